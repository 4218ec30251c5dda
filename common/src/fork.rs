//! `os.fork()` for pipe1 and pipe2, and looking after the child it makes.

use std::io::{self, Write};
use std::process;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{self, SigHandler, Signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{self, ForkResult, Pid};

use crate::error::Context;
use crate::trace::{self, Event};

// ANCHOR: fork_result
/// Which side of a fork this process is on (Python: `if os.fork() == 0:`).
#[derive(Debug)]
pub enum Fork {
    /// The new process; it knows its parent.
    Child(Parent),
    /// The original process, holding its new child.
    Parent(Child),
}
// ANCHOR_END: fork_result

// ANCHOR: fork
/// Copy this process: after the call there are two, each told which it is
/// (Python: `os.fork()`).
///
/// stdout is flushed first: a buffer not yet written would otherwise be
/// copied into the child and printed twice (the book's section "Output stream
/// buffering revisited" tells more). `SIGCHLD` gets its default action (see
/// `wait_for_children_ourselves`). With `--trace`, each process records the
/// fork (see `record_fork`), and the child records as the writer from then on.
///
/// # Safety
///
/// Only the calling thread is copied into the child. If another thread held
/// a lock at that moment (the allocator's, stdout's), the child's copy of the
/// lock stays locked forever, and the child may hang or worse as soon as it
/// allocates or prints. So the caller must make sure that no other thread is
/// running when it calls `fork`, as nix's
/// [`fork`](https://docs.rs/nix/latest/nix/unistd/fn.fork.html) asks too.
///
/// Errors say what failed: `cannot fork: Resource temporarily unavailable`.
pub unsafe fn fork() -> io::Result<Fork> {
    io::stdout().flush().context("cannot write to stdout")?;
    wait_for_children_ourselves()?;
    let parent = process::id();
    // SAFETY: our caller promises that this is the only thread (see # Safety).
    let forked = unsafe { unistd::fork() }.context("cannot fork")?;
    record_fork(parent, &forked); // --trace: record the fork, in each process
    Ok(match forked {
        ForkResult::Child => Fork::Child(Parent { pid: parent }),
        ForkResult::Parent { child } => Fork::Parent(Child { pid: child, reaped: false }),
    })
}
// ANCHOR_END: fork

/// `fork` returned: with `--trace`, the parent records the child it made
/// (`fork`); the child records its parent (`forked`) and, traced or not,
/// records as the writer from now on.
fn record_fork(parent: u32, forked: &ForkResult) {
    match forked {
        ForkResult::Child => {
            trace::become_writer();
            if trace::enabled() {
                trace::record(trace::now(), Event::Forked { parent });
            }
        }
        ForkResult::Parent { child } => {
            if trace::enabled() {
                trace::record(trace::now(), Event::Fork { child: child.as_raw() as u32 });
            }
        }
    }
}

// ANCHOR: sigchld
/// Give `SIGCHLD` its default action, so that our children wait to be reaped.
///
/// A shell starts each job with `SIGCHLD` at its default action. But an
/// ignored signal stays ignored through `fork` and `exec`, so a program
/// started by one that ignores `SIGCHLD` (`env --ignore-signal=CHLD pipe2`
/// does it on purpose) starts with it ignored too. With `SIGCHLD` ignored,
/// the kernel reaps a child itself the moment it ends: no zombie, but also no
/// exit status for the parent, whose `waitpid` then fails with `ECHILD`, "No
/// child processes". We want to hear how our child ended, so we restore the
/// default action, as a shell does, before the first fork.
fn wait_for_children_ourselves() -> io::Result<()> {
    // SAFETY: `SigDfl` installs no handler, so no code of ours can run at an
    // unexpected moment; this is the only thread (see `fork`).
    unsafe { signal::signal(Signal::SIGCHLD, SigHandler::SigDfl) }
        .context("cannot restore SIGCHLD")?;
    Ok(())
}
// ANCHOR_END: sigchld

/// The child's view of its parent.
#[derive(Debug)]
pub struct Parent {
    pid: u32,
}

// ANCHOR: die_with_parent
impl Parent {
    /// Ask the kernel to kill this process when the parent dies.
    ///
    /// A child that still holds the pipe's read end (pipe1 never closes it)
    /// can never get EPIPE, so it would write on forever after the parent
    /// died. Linux can send a signal instead: `prctl(PR_SET_PDEATHSIG)`.
    /// Other systems have no such call; there, a child of pipe1 outlives a
    /// killed parent until its `--count` runs out.
    pub fn die_with_parent(&self) -> io::Result<()> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
            // The parent may have died before the request: then nobody sends the signal.
            if unistd::getppid().as_raw() as u32 != self.pid {
                process::exit(0);
            }
        }
        Ok(())
    }
}
// ANCHOR_END: die_with_parent

impl Parent {
    /// The parent's process id, as it was at the fork.
    pub fn pid(&self) -> u32 {
        self.pid
    }
}

/// The parent's handle on its child: reap it with [`Child::wait`].
///
/// A child that is dropped without being reaped (the parent stopped on an
/// error, say stdout closed) is killed and reaped then, so no run leaves a
/// process behind, nor a zombie.
#[derive(Debug)]
pub struct Child {
    pid: Pid,
    reaped: bool,
}

// ANCHOR: wait
impl Child {
    /// Has the child ended? Reaps it if so, without blocking.
    pub fn has_exited(&mut self) -> io::Result<bool> {
        if !self.reaped {
            let status = reap(self.pid, Some(WaitPidFlag::WNOHANG))?;
            self.reaped = status != WaitStatus::StillAlive;
            check(self.pid, status)?;
        }
        Ok(self.reaped)
    }

    /// Wait at most `timeout` for the child to end, waking as soon as it
    /// does; then say whether it has ended, and reap it if so.
    pub fn has_exited_within(&mut self, timeout: Duration) -> io::Result<bool> {
        if !self.reaped {
            wait_for_exit(self.pid, timeout)?;
        }
        self.has_exited()
    }

    /// Wait for the child to end and reap it (`os.waitpid(pid, 0)`).
    /// An error says how it ended if it did not exit with status 0.
    pub fn wait(mut self) -> io::Result<()> {
        if !self.reaped {
            let status = reap(self.pid, None)?;
            self.reaped = true;
            check(self.pid, status)?;
        }
        Ok(())
    }
}
// ANCHOR_END: wait

/// `waitpid`, made again if a signal interrupts it (`EINTR`), its other
/// errors named: `cannot wait for the child: No child processes`.
fn reap(pid: Pid, flags: Option<WaitPidFlag>) -> io::Result<WaitStatus> {
    loop {
        match waitpid(pid, flags) {
            Err(Errno::EINTR) => continue,
            status => return status.context("cannot wait for the child"),
        }
    }
}

/// Sleep until process `pid` ends, or `timeout` has passed. Linux can say
/// when a process ends: a pidfd (`pidfd_open(2)`, Linux 5.3) becomes readable
/// then, and `poll(2)` sleeps until it does.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn wait_for_exit(pid: Pid, timeout: Duration) -> io::Result<()> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::process::{PidfdFlags, pidfd_open};

    let pid = rustix::process::Pid::from_raw(pid.as_raw()).expect("a child's pid is positive");
    let timespec = Timespec::try_from(timeout).map_err(io::Error::other)?;
    match pidfd_open(pid, PidfdFlags::empty()) {
        Ok(pidfd) => match poll(&mut [PollFd::new(&pidfd, PollFlags::IN)], Some(&timespec)) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {} // either way, the caller looks
            Err(e) => return Err(e).context("cannot wait for the child"),
        },
        Err(_) => std::thread::sleep(timeout), // an older kernel: look again later
    }
    Ok(())
}

/// Elsewhere, just sleep: the caller looks again after `timeout`.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn wait_for_exit(_pid: Pid, timeout: Duration) -> io::Result<()> {
    std::thread::sleep(timeout);
    Ok(())
}

// ANCHOR: drop
impl Drop for Child {
    fn drop(&mut self) {
        if !self.reaped {
            let _ = signal::kill(self.pid, Signal::SIGKILL);
            let _ = reap(self.pid, None); // waitpid, made again after EINTR
        }
    }
}
// ANCHOR_END: drop

// ANCHOR: check
/// `Ok` if the child is still running or exited with status 0, else an error
/// that says how it ended.
fn check(pid: Pid, status: WaitStatus) -> io::Result<()> {
    let how = match status {
        WaitStatus::Exited(_, 0) | WaitStatus::StillAlive => return Ok(()),
        WaitStatus::Exited(_, code) => format!("exited with status {code}"),
        WaitStatus::Signaled(_, signal, _) => format!("was killed by {signal}"),
        other => format!("changed state: {other:?}"),
    };
    Err(io::Error::other(format!("child {pid} {how}")))
}
// ANCHOR_END: check
