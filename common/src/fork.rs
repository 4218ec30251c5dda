//! `os.fork()` for pipe1 and pipe2, and looking after the child it makes.

use std::io::{self, Write};
use std::process;

use nix::sys::signal::{self, Signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{self, ForkResult, Pid};

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
/// buffering revisited" tells more).
///
/// # Safety
///
/// Only the calling thread is copied into the child. If another thread held
/// a lock at that moment (the allocator's, stdout's), the child's copy of the
/// lock stays locked forever, and the child may hang or worse as soon as it
/// allocates or prints. So the caller must make sure that no other thread is
/// running when it calls `fork`, as nix's
/// [`fork`](https://docs.rs/nix/latest/nix/unistd/fn.fork.html) asks too.
pub unsafe fn fork() -> io::Result<Fork> {
    io::stdout().flush()?;
    let parent = process::id();
    // SAFETY: our caller promises that this is the only thread (see # Safety).
    let forked = unsafe { unistd::fork() }?;
    crate::trace::fork(parent, &forked); // --trace: record the fork, in each process
    Ok(match forked {
        ForkResult::Child => Fork::Child(Parent { pid: parent }),
        ForkResult::Parent { child } => Fork::Parent(Child { pid: child, reaped: false }),
    })
}
// ANCHOR_END: fork

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
            let status = waitpid(self.pid, Some(WaitPidFlag::WNOHANG))?;
            self.reaped = status != WaitStatus::StillAlive;
            check(self.pid, status)?;
        }
        Ok(self.reaped)
    }

    /// Wait for the child to end and reap it (`os.waitpid(pid, 0)`).
    /// An error says how it ended if it did not exit with status 0.
    pub fn wait(mut self) -> io::Result<()> {
        if !self.reaped {
            let status = waitpid(self.pid, None)?;
            self.reaped = true;
            check(self.pid, status)?;
        }
        Ok(())
    }
}
// ANCHOR_END: wait

// ANCHOR: drop
impl Drop for Child {
    fn drop(&mut self) {
        if !self.reaped {
            let _ = signal::kill(self.pid, Signal::SIGKILL);
            let _ = waitpid(self.pid, None);
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
