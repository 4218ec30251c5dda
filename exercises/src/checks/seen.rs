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

pub use harness::proc::Io;
use harness::proc::{self, Call, Holder, group_members};

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
    proc::pipe_ends(Holder::Me).into_iter().map(|end| end.pipe).collect()
}

/// Look at every thread of group `group` now; `ours` are [`checks_pipes`].
/// A thread whose counts cannot be read is left out.
pub fn look(group: u32, ours: &[String]) -> Look {
    let mut tasks = Vec::new();
    let mut zombies = Vec::new();
    for process in group_members(group) {
        if process.ended() {
            zombies.push(process.pid);
            continue;
        }
        for thread in proc::threads(process.pid) {
            let Some(io) = thread.io else { continue };
            let wait = thread.call.map(|call| wait(process.pid, call, ours));
            tasks.push(Task { pid: process.pid, tid: thread.tid, ppid: process.ppid, io, wait });
        }
    }
    tasks.sort_by_key(|task| task.tid);
    Look { tasks, zombies }
}

/// What a thread of process `pid` that sleeps in `call` waits for: a read
/// of a pipe it holds and the check does not (`ours`) is a read of its pipe.
fn wait(pid: u32, call: Call, ours: &[String]) -> Wait {
    match call {
        Call::Read { fd, count } => match proc::pipe_of(Holder::Pid(pid), fd) {
            Some(pipe) if !ours.contains(&pipe) => Wait::ReadPipe { fd, count, pipe },
            _ => Wait::Read,
        },
        Call::Readv { .. } => Wait::Read,
        Call::Write { .. } => Wait::Write,
        Call::Sleep => Wait::Sleep,
        Call::Futex => Wait::Futex,
        Call::WaitChild => Wait::Child,
        Call::Other(_) => Wait::Other,
    }
}

/// Has process `pid`, a child of this process, ended? It is left a zombie,
/// not reaped: its `/proc` files stay until the check waits for it.
/// (`waitid` with `WNOWAIT`; where there is no `/proc`, `ps` says: a
/// zombie, or gone.)
pub fn has_ended(pid: u32) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if proc::present() {
        use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
        let id = Id::Pid(nix::unistd::Pid::from_raw(pid as i32));
        return !matches!(waitid(id, flags), Ok(WaitStatus::StillAlive) | Err(_));
    }
    !proc::processes().iter().any(|process| process.pid == pid && !process.ended())
}

/// The counts of an ended, unreaped process (see [`has_ended`]): the whole
/// run's (itself, the threads that ended, the children it reaped), and its
/// main thread's own.
pub fn totals(pid: u32) -> Option<(Io, Io)> {
    Some((proc::process_io(pid)?, proc::thread_io(pid, pid)?))
}
