//! `--show-fds`: which ends of the pipe a process holds.
//!
//! A pipe is only closed for good, and its reader only sees end-of-file,
//! when every descriptor for its write end is closed, in every process.
//! Printing the ends each process holds shows what pipe2's two `drop` calls
//! change: in pipe1 both processes hold both ends; in pipe2 each holds one.
//!
//! Only POSIX calls are used, no `/proc`, so it works on Linux and macOS
//! alike: `fstat(2)` says whether a descriptor is a pipe (`S_ISFIFO`) and
//! which one (its device and inode number), `fcntl(2)` with `F_GETFL` says
//! which way it is open (`O_RDONLY`, `O_WRONLY`).

use std::io;

use crate::options::RunOptions;
use crate::trace::PipeEnd;
#[cfg(unix)]
use {
    crate::report::say,
    crate::trace::{self, Event},
    std::os::fd::BorrowedFd,
};

/// Who this process said it was in its last traced `show_fds`, and which
/// pipe it looked for: what [`record_exit`] needs to look again.
#[cfg(unix)]
static HELD: std::sync::Mutex<Option<(String, Pipe)>> = std::sync::Mutex::new(None);

impl RunOptions {
    /// With `--show-fds`, print on stderr which ends of `pipe` this process
    /// holds, as `<who> <pid> holds: fd 3 (read end), fd 4 (write end)`.
    /// `pipe` is any descriptor of the pipe: it tells which pipe to look for
    /// (see `ends_of`). An error if `pipe` is not a pipe, or cannot be
    /// looked at (`cannot look at the pipe: ...`).
    ///
    /// With `--trace`, the ends held go into the trace too (a `holds`
    /// event), `--show-fds` or not; and `who` and the pipe are kept in a
    /// global, so that `record_exit` can record the ends still held as the
    /// process exits.
    ///
    /// Where there are no numbered descriptors (Windows), `--show-fds` is an
    /// error of kind `Unsupported`, and nothing is traced.
    pub fn show_fds(&self, who: &str, pipe: impl PipeEnd) -> io::Result<()> {
        #[cfg(unix)]
        if self.show_fds || trace::enabled() {
            let pipe = Pipe::of(pipe.as_fd())?
                .ok_or_else(|| io::Error::other("--show-fds: the end given is not a pipe"))?;
            let ends = ends_of(pipe).join(", ");
            if self.show_fds {
                say(&format!("{who} {} holds: {ends}", std::process::id()));
            }
            if trace::enabled() {
                let event = Event::Holds { who: who.to_owned(), pipe: Some(pipe.ino), ends };
                trace::record(trace::now(), event);
                // After a fork each process has its own copy, which its own call sets.
                *HELD.lock().unwrap_or_else(|e| e.into_inner()) = Some((who.to_owned(), pipe));
            }
        }
        #[cfg(not(unix))]
        if self.show_fds {
            let _ = (who, pipe);
            let why = "--show-fds needs numbered descriptors (a unix system)";
            return Err(io::Error::new(io::ErrorKind::Unsupported, why));
        }
        Ok(())
    }
}

/// The program's body has returned and the process is about to exit: with
/// `--trace`, record the ends of the pipe it still holds (an `exit` event:
/// none, once every owner was dropped; the kernel would close any left),
/// under the name it gave `show_fds`. Only for a process that recorded a
/// `holds` before (see [`RunOptions::show_fds`]).
pub(crate) fn record_exit() {
    #[cfg(unix)]
    if trace::enabled() {
        let t = trace::now(); // before looking: the ends were closed by then
        let held = HELD.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some((who, pipe)) = held {
            let ends = ends_of(pipe).join(", ");
            trace::record(t, Event::Exit { who, pipe: Some(pipe.ino), ends });
        }
    }
}

/// In a program that a traced parent's child became with `exec`
/// (`pipes_child`, `deadlocks_child`): join the parent's trace
/// ([`trace::join`]: nothing if the run is not traced), and record what
/// crossed `exec`: a `holds` of each pipe on this process's stdin and
/// stdout, `who` being `after exec: child`.
pub fn join_trace(program: &str) {
    if crate::trace::join(program) {
        #[cfg(unix)]
        record_inherited("after exec: child");
    }
}

/// With `--trace`, record a `holds` of each pipe on this process's stdin
/// and stdout (once if both are ends of one pipe), under `who`. A
/// descriptor that is not a pipe is left out.
#[cfg(unix)]
fn record_inherited(who: &str) {
    let mut seen = Vec::new();
    for end in [rustix::stdio::stdin(), rustix::stdio::stdout()] {
        if let Ok(Some(pipe)) = Pipe::of(end)
            && !seen.contains(&pipe)
        {
            seen.push(pipe);
            let ends = ends_of(pipe).join(", ");
            let (who, pipe) = (who.to_owned(), Some(pipe.ino));
            trace::record(trace::now(), Event::Holds { who, pipe, ends });
        }
    }
}

// ANCHOR: pipe
/// Which pipe a descriptor stands for: the device and inode number that
/// `fstat` gives each of its ends. On Linux the inode is the number that
/// `/proc/<pid>/fd` shows as `pipe:[<inode>]`: checked on Linux 6.x by the
/// test `the_inode_is_the_one_proc_shows`; on macOS it is checked by
/// nothing here but POSIX (both ends of a pipe are one file).
#[cfg(unix)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pipe {
    dev: u64,
    ino: u64,
}

#[cfg(unix)]
impl Pipe {
    /// The pipe `fd` stands for: `None` if it is open but no pipe (or FIFO);
    /// an error if `fstat` fails (`cannot look at the pipe: ...`).
    fn of(fd: BorrowedFd<'_>) -> io::Result<Option<Pipe>> {
        let stat = rustix::fs::fstat(fd).map_err(|e| {
            io::Error::new(io::Error::from(e).kind(), format!("cannot look at the pipe: {e}"))
        })?;
        let fifo = rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Fifo;
        Ok(fifo.then_some(Pipe { dev: stat.st_dev as u64, ino: stat.st_ino as u64 }))
    }
}

/// How many descriptors [`ends_of`] looks at, at most: 0 to 1023.
#[cfg(unix)]
const LOOKED_AT: i32 = 1024;

/// The ends of `pipe` this process holds, by descriptor number, each as
/// `fd 3 (read end)` or `fd 4 (write end)`; none if it holds none.
///
/// Every descriptor from 0 up to the limit of open files (`ulimit -n`), and
/// below [`LOOKED_AT`], is looked at with `fstat` (a closed one fails with
/// `EBADF`, and is skipped); those that are ends of `pipe` are asked which
/// way they are open with `fcntl(F_GETFL)`: `O_RDONLY` is the read end,
/// anything else the write end. `pipe(2)` gives its ends the lowest free
/// numbers, so the ends of the programs' pipe are among the first few.
#[cfg(unix)]
fn ends_of(pipe: Pipe) -> Vec<String> {
    use rustix::fs::OFlags;

    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    let highest = limit.unwrap_or(u64::MAX).min(LOOKED_AT as u64) as i32;
    (0..highest)
        .filter_map(|fd| {
            // SAFETY: `fd` is only looked at by `fstat` and `fcntl` while
            // borrowed here; neither closes it, and a number that is not open
            // makes them fail with EBADF, harmlessly.
            let end = unsafe { BorrowedFd::borrow_raw(fd) };
            if Pipe::of(end).ok()?? != pipe {
                return None;
            }
            let flags = rustix::fs::fcntl_getfl(end).ok()?;
            let way = if flags & OFlags::RWMODE == OFlags::RDONLY { "read" } else { "write" };
            Some(format!("fd {fd} ({way} end)"))
        })
        .collect()
}
// ANCHOR_END: pipe

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    /// The ends of the pipe behind `end` that this process holds.
    fn ends(end: impl AsFd) -> Vec<String> {
        ends_of(Pipe::of(end.as_fd()).unwrap().expect("a pipe"))
    }

    #[test]
    fn a_new_pipe_shows_both_ends_then_one_after_a_drop() {
        use std::os::fd::AsRawFd;
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        let (r, w) = (reader.as_raw_fd(), writer.as_raw_fd());
        assert_eq!(ends(&reader), [format!("fd {r} (read end)"), format!("fd {w} (write end)")]);
        drop(writer);
        assert_eq!(ends(&reader), [format!("fd {r} (read end)")]);
    }

    #[test]
    fn another_pipe_and_a_file_are_not_ends_of_this_one() {
        let (reader, _writer) = rustix::pipe::pipe().unwrap();
        let (other, _other_writer) = rustix::pipe::pipe().unwrap();
        assert_eq!(ends(&reader).len(), 2);
        assert_ne!(Pipe::of(reader.as_fd()).unwrap(), Pipe::of(other.as_fd()).unwrap());
        let file = std::fs::File::open("Cargo.toml").unwrap();
        assert_eq!(Pipe::of(file.as_fd()).unwrap(), None, "a file is no pipe");
    }

    /// The experiment behind [`Pipe`]'s doc: `fstat`'s inode is the number
    /// in Linux's `/proc/self/fd/<fd>` link, `pipe:[<inode>]`.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_inode_is_the_one_proc_shows() {
        use std::os::fd::AsRawFd;
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        for end in [reader.as_fd(), writer.as_fd()] {
            let fd = end.as_raw_fd() as u32;
            let link = procview::pipe_of(procview::Holder::Me, fd).unwrap(); // /proc/self/fd/<fd>
            let ino = Pipe::of(end).unwrap().unwrap().ino;
            assert_eq!(link, format!("pipe:[{ino}]"));
        }
    }
}
