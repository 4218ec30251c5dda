//! Every process a check started, stopped: once a behaviour is checked,
//! the check command kills and reaps whatever its runs left behind,
//! even a process that left its run's process group (`setsid`), which the
//! group's signals never reach. The check command is a child subreaper
//! ([`crate::become_the_reaper`]), so such a process, once its parent has
//! ended, is the check command's child: it can be reaped here.

use std::time::{Duration, Instant};

use harness::proc::{self, Process};
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

/// Kill every process this one started (its children, their children, ...)
/// and reap those that are its own children, until none is left (within
/// five seconds). Returns those that were still running when first seen
/// (zombies left out).
pub(crate) fn kill_what_is_left() -> Vec<Process> {
    let me = std::process::id();
    let mut now = descendants(me);
    let running: Vec<Process> = now.iter().filter(|p| !p.ended()).cloned().collect();
    let start = Instant::now();
    while !now.is_empty() && start.elapsed() < Duration::from_secs(5) {
        for process in &now {
            let pid = Pid::from_raw(process.pid as i32);
            if !process.ended() {
                let _ = kill(pid, Signal::SIGKILL);
            }
            if process.ppid == me {
                let _ = waitpid(pid, Some(WaitPidFlag::WNOHANG));
            }
        }
        std::thread::sleep(Duration::from_millis(1));
        now = descendants(me);
    }
    running
}

/// Every process whose parent, or its parent's parent, and so on, is `me`.
fn descendants(me: u32) -> Vec<Process> {
    let all = proc::processes();
    let parent_of = |pid: u32| all.iter().find(|p| p.pid == pid).map(|p| p.ppid);
    all.iter()
        .filter(|process| {
            let mut ancestor = process.ppid;
            for _ in 0..all.len() {
                if ancestor == me {
                    return true;
                }
                match parent_of(ancestor) {
                    Some(next) if ancestor > 1 => ancestor = next,
                    _ => return false,
                }
            }
            false
        })
        .cloned()
        .collect()
}
