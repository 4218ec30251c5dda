//! What a run does, seen from outside in Linux's `/proc`: which thread
//! waits in which system call, and how many bytes each has read and
//! written.
//!
//! A check cannot tell from a program's output whether the messages went
//! through the pipe: a program may print them typed in. But the kernel
//! counts, for every thread, the bytes it asked `read` and `write` to move
//! and how many calls it made (`/proc/<pid>/task/<tid>/io`: `rchar`,
//! `wchar`, `syscr`, `syscw`; a new process or thread starts from 0). And
//! `/proc/<pid>/task/<tid>/syscall` says which call a sleeping thread waits
//! in, with its arguments: `read(3, buffer, 32)`. Looked at every
//! millisecond while a run goes, these say who wrote the messages, who read
//! them, and how many bytes at a time.
//!
//! When the program's last process ends, the check does not reap it at
//! once: `waitid` with `WNOWAIT` sees it end and leaves it a zombie, whose
//! `/proc/<pid>/io` still holds the totals of the whole run, the children
//! it reaped and the threads that ended included, and whose main thread's
//! own counts are in `/proc/<pid>/task/<pid>/io`.

use std::fs;

use common::testing::{group_members, task_state};
use nix::libc;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::Pid;

/// The counts of `/proc/<pid>/io`: bytes and calls, read and written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Io {
    /// Bytes that `read` (and its kin) returned.
    pub rchar: u64,
    /// Bytes that `write` (and its kin) took.
    pub wchar: u64,
    /// Read calls.
    pub syscr: u64,
    /// Write calls.
    pub syscw: u64,
}

/// The counts in an `io` file: `/proc/<pid>/io` (the whole process, and
/// what it reaped) or `/proc/<pid>/task/<tid>/io` (one thread).
pub fn io(file: &str) -> Option<Io> {
    let text = fs::read_to_string(file).ok()?;
    let field = |key: &str| -> Option<u64> {
        let line = text.lines().find_map(|line| line.strip_prefix(key))?;
        line.trim_start_matches(':').trim().parse().ok()
    };
    Some(Io {
        rchar: field("rchar")?,
        wchar: field("wchar")?,
        syscr: field("syscr")?,
        syscw: field("syscw")?,
    })
}

/// What a sleeping thread waits in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wait {
    /// `read(fd, buffer, count)` of a pipe the program made: `pipe` is its
    /// name, `pipe:[<inode>]`.
    ReadPipe {
        fd: u32,
        count: u64,
        pipe: String,
    },
    /// Any other read: a file, a terminal, a pipe the check holds too.
    Read,
    /// A write.
    Write,
    /// `nanosleep`: a timer, as `thread::sleep` sets.
    Sleep,
    /// A futex: a join, a lock, a channel.
    Futex,
    /// Waiting for a child.
    Child,
    Other,
}

/// One thread at one look.
#[derive(Debug, Clone)]
pub struct Task {
    pub pid: u32,
    pub tid: u32,
    /// The process's parent.
    pub ppid: u32,
    pub io: Io,
    /// What it waits in, if it sleeps in a system call.
    pub wait: Option<Wait>,
}

impl Task {
    /// Is it the main thread of its process?
    pub fn main(&self) -> bool {
        self.pid == self.tid
    }
}

/// One look at every thread of every live process of the run whose
/// process group is `group`.
#[derive(Debug, Clone)]
pub struct Look {
    pub tasks: Vec<Task>,
    /// Processes of the run that have ended and wait to be reaped.
    pub zombies: Vec<u32>,
}

/// The pipes this process, the check, holds: the run's stdout and stderr,
/// cargo's jobserver. A program's read of one of them is not a read of its
/// own pipe.
pub fn checks_pipes() -> Vec<String> {
    let ends = crate::stuck::held_ends("self").unwrap_or_default();
    ends.into_iter().map(|end| end.pipe).collect()
}

/// Look at every thread of group `group` now; `ours` are [`checks_pipes`].
pub fn look(group: u32, ours: &[String]) -> Look {
    let mut tasks = Vec::new();
    let mut zombies = Vec::new();
    for process in group_members(group) {
        if process.state == 'Z' {
            zombies.push(process.pid);
            continue;
        }
        let Ok(dir) = fs::read_dir(format!("/proc/{}/task", process.pid)) else { continue };
        for entry in dir.flatten() {
            let Some(tid) = entry.file_name().to_str().and_then(|t| t.parse::<u32>().ok()) else {
                continue;
            };
            let path = entry.path();
            // The call first, then the counts, then whether the thread ran in
            // between: if it did, its counts may be from after it woke (a
            // read returned, its bytes not yet printed), so its wait is not told.
            let before = switches(&path);
            let Some(state) = task_state(&path) else { continue };
            let syscall = fs::read_to_string(path.join("syscall")).unwrap_or_default();
            let Some(io) = io(&format!("{}/io", path.display())) else { continue };
            let still =
                before.is_some() && switches(&path) == before && task_state(&path) == Some(state);
            let asleep = state == 'S' && still;
            let wait = asleep.then(|| wait(process.pid, &syscall, ours)).flatten();
            tasks.push(Task { pid: process.pid, tid, ppid: process.ppid, io, wait });
        }
    }
    tasks.sort_by_key(|task| task.tid);
    Look { tasks, zombies }
}

/// How many times a thread (its folder in `/proc`) has been switched off
/// the processor: it has not run in between two looks that give the same.
fn switches(task: &std::path::Path) -> Option<u64> {
    let status = fs::read_to_string(task.join("status")).ok()?;
    let count = |key: &str| -> Option<u64> {
        status.lines().find_map(|line| line.strip_prefix(key))?.trim().parse().ok()
    };
    Some(count("voluntary_ctxt_switches:")? + count("nonvoluntary_ctxt_switches:")?)
}

/// `0 0x3 0x7ffd... 0x20 ...` (the call's number, then its arguments) ->
/// `ReadPipe { fd: 3, count: 32, .. }`.
fn wait(pid: u32, syscall: &str, ours: &[String]) -> Option<Wait> {
    let mut fields = syscall.split_whitespace();
    let number: i64 = fields.next()?.parse().ok()?;
    let args: Vec<u64> = fields
        .take(6)
        .filter_map(|arg| u64::from_str_radix(arg.strip_prefix("0x")?, 16).ok())
        .collect();
    Some(match number {
        -1 => return None,
        libc::SYS_read => {
            let fd = u32::try_from(*args.first()?).ok()?;
            let target = fs::read_link(format!("/proc/{pid}/fd/{fd}")).ok();
            match target.and_then(|t| t.to_str().map(str::to_owned)) {
                Some(pipe) if pipe.starts_with("pipe:") && !ours.contains(&pipe) => {
                    Wait::ReadPipe { fd, count: *args.get(2)?, pipe }
                }
                _ => Wait::Read,
            }
        }
        libc::SYS_readv => Wait::Read,
        libc::SYS_write | libc::SYS_writev => Wait::Write,
        libc::SYS_nanosleep | libc::SYS_clock_nanosleep => Wait::Sleep,
        libc::SYS_futex => Wait::Futex,
        libc::SYS_wait4 | libc::SYS_waitid => Wait::Child,
        _ => Wait::Other,
    })
}

/// Has process `pid`, a child of this process, ended? It is left a zombie,
/// not reaped: its `/proc` files stay until the check waits for it.
pub fn has_ended(pid: u32) -> bool {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    !matches!(
        waitid(Id::Pid(Pid::from_raw(pid as i32)), flags),
        Ok(WaitStatus::StillAlive) | Err(_)
    )
}

/// The counts of an ended, unreaped process (see [`has_ended`]): the whole
/// run's (itself, the threads that ended, the children it reaped), and its
/// main thread's own.
pub fn totals(pid: u32) -> Option<(Io, Io)> {
    Some((io(&format!("/proc/{pid}/io"))?, io(&format!("/proc/{pid}/task/{pid}/io"))?))
}
