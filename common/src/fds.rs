//! `--show-fds`: which ends of the pipe a process holds.
//!
//! A pipe is only closed for good, and its reader only sees end-of-file,
//! when every descriptor for its write end is closed, in every process.
//! Printing the ends each process holds shows what pipe2's two `drop` calls
//! change: in pipe1 both processes hold both ends; in pipe2 each holds one.

use std::io;

use crate::RunOptions;
#[cfg(unix)]
use crate::report::say;
#[cfg(unix)]
use crate::trace::{self, Event};

/// Who this process said it was in its last traced `show_fds`, and the
/// name of the pipe in `/proc/self/fd` (`pipe:[<inode>]`).
#[cfg(unix)]
static HELD: std::sync::Mutex<Option<(String, std::path::PathBuf)>> = std::sync::Mutex::new(None);

impl RunOptions {
    /// With `--show-fds`, print on stderr which ends of `pipe` this process
    /// holds, as `<who> <pid> holds: fd 3 (read end), fd 4 (write end)`.
    /// `pipe` is any descriptor of the pipe: it tells which pipe to look for.
    /// An error if `/proc` cannot tell (`--show-fds needs Linux's /proc`).
    ///
    /// With `--trace`, the ends held go into the trace too (a `holds` event,
    /// where `/proc` can tell them), `--show-fds` or not; and `who` and the
    /// pipe are kept in a global, so that `record_exit` can record the ends
    /// still held as the process exits.
    #[cfg(unix)]
    pub fn show_fds(&self, who: &str, pipe: impl crate::trace::PipeEnd) -> io::Result<()> {
        if self.show_fds {
            let ends = pipe_ends(&pipe)?;
            say(&format!("{who} {} holds: {}", std::process::id(), ends.join(", ")));
        }
        if trace::enabled()
            && let Ok(name) = pipe_name(&pipe)
            && let Ok(ends) = ends_of(&name)
        {
            let ends = ends.join(", ");
            trace::record(trace::now(), Event::Holds { who: who.to_owned(), ends });
            // After a fork each process has its own copy, which its own call sets.
            *HELD.lock().unwrap_or_else(|e| e.into_inner()) = Some((who.to_owned(), name));
        }
        Ok(())
    }

    /// Without `/proc` there is no simple way to list descriptors.
    #[cfg(not(unix))]
    pub fn show_fds(&self, _who: &str, _pipe: impl crate::trace::PipeEnd) -> io::Result<()> {
        if self.show_fds {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "--show-fds needs Linux's /proc",
            ));
        }
        Ok(())
    }
}

/// The program's body has returned and the process is about to exit: with
/// `--trace`, record the ends of the pipe it still holds (an `exit` event:
/// none, once every owner was dropped; the kernel would close any left),
/// under the name it gave `show_fds`. Only for a process that recorded a
/// `holds` before (see [`RunOptions::show_fds`]), and where `/proc` can tell.
pub(crate) fn record_exit() {
    #[cfg(unix)]
    if trace::enabled() {
        let t = trace::now(); // before looking: the ends were closed by then
        let held = HELD.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some((who, pipe)) = held
            && let Ok(ends) = ends_of(&pipe)
        {
            trace::record(t, Event::Exit { who, ends: ends.join(", ") });
        }
    }
}

/// The descriptors of this process that are ends of the same pipe as `pipe`,
/// read from Linux's `/proc/self/fd` (each one a link named `pipe:[<inode>]`)
/// and `/proc/self/fdinfo` (whose `flags` say read or write).
#[cfg(unix)]
fn pipe_ends(pipe: impl std::os::fd::AsFd) -> io::Result<Vec<String>> {
    ends_of(&pipe_name(pipe)?)
}

/// The name of the pipe behind `pipe` in `/proc/self/fd`: `pipe:[<inode>]`.
#[cfg(unix)]
fn pipe_name(pipe: impl std::os::fd::AsFd) -> io::Result<std::path::PathBuf> {
    use std::os::fd::AsRawFd;

    let unsupported =
        |_| io::Error::new(io::ErrorKind::Unsupported, "--show-fds needs Linux's /proc");
    std::fs::read_link(format!("/proc/self/fd/{}", pipe.as_fd().as_raw_fd())).map_err(unsupported)
}

/// The descriptors of this process that are ends of the pipe named
/// `this_pipe` in `/proc/self/fd`: [`pipe_ends`], for a pipe this process
/// may no longer hold (then none).
#[cfg(unix)]
fn ends_of(this_pipe: &std::path::Path) -> io::Result<Vec<String>> {
    let ends =
        held_ends("self")?.into_iter().filter(|end| Some(end.pipe.as_str()) == this_pipe.to_str());
    Ok(ends
        .map(|end| format!("fd {} ({} end)", end.fd, if end.writes { "write" } else { "read" }))
        .collect())
}

/// A pipe end a process holds: see [`held_ends`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldEnd {
    pub fd: u32,
    /// Which pipe: its name in `/proc`, `pipe:[<inode>]`.
    pub pipe: String,
    /// Open for reading, for writing (a pipe end is one or the other; a
    /// descriptor could be open both ways).
    pub reads: bool,
    pub writes: bool,
}

/// Every pipe end that `process` (a pid, or `self`) holds, by descriptor
/// number: from Linux's `/proc/<process>/fd`, where each is a link named
/// `pipe:[<inode>]`, and `/proc/<process>/fdinfo`, whose `flags` (octal) say
/// how it is open: 0 for reading, 1 for writing, 2 for both in their low two
/// bits. The test helpers of the exercises read other processes with it.
#[cfg(unix)]
pub fn held_ends(process: &str) -> io::Result<Vec<HeldEnd>> {
    use std::fs;

    let mut ends: Vec<HeldEnd> = fs::read_dir(format!("/proc/{process}/fd"))?
        .filter_map(|entry| {
            let fd: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let pipe = fs::read_link(format!("/proc/{process}/fd/{fd}")).ok()?;
            let pipe = pipe.to_str().filter(|name| name.starts_with("pipe:"))?.to_owned();
            let info = fs::read_to_string(format!("/proc/{process}/fdinfo/{fd}")).ok()?;
            let flags = info.lines().find_map(|line| line.strip_prefix("flags:"))?.trim();
            let mode = u32::from_str_radix(flags, 8).ok()? & 0o3;
            Some(HeldEnd { fd, pipe, reads: mode != 1, writes: mode != 0 })
        })
        .collect();
    ends.sort_by_key(|end| end.fd);
    Ok(ends)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_new_pipe_shows_both_ends_then_one_after_a_drop() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        let ends = pipe_ends(&reader).unwrap();
        assert_eq!(ends.len(), 2, "{ends:?}");
        assert!(ends[0].ends_with("(read end)") && ends[1].ends_with("(write end)"), "{ends:?}");
        drop(writer);
        let ends = pipe_ends(&reader).unwrap();
        assert_eq!(ends.len(), 1, "{ends:?}");
        assert!(ends[0].ends_with("(read end)"), "{ends:?}");
    }
}
