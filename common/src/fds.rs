//! `--show-fds`: which ends of the pipe a process holds.
//!
//! A pipe is only closed for good, and its reader only sees end-of-file,
//! when every descriptor for its write end is closed, in every process.
//! Printing the ends each process holds shows what pipe2's two `drop` calls
//! change: in pipe1 both processes hold both ends; in pipe2 each holds one.

use std::io;

use crate::RunOptions;

impl RunOptions {
    /// With `--show-fds`, print on stderr which ends of `pipe` this process
    /// holds, as `<who> <pid> holds: fd 3 (read end), fd 4 (write end)`.
    /// `pipe` is any descriptor of the pipe: it tells which pipe to look for.
    ///
    /// With `--trace`, the ends held go into the trace too (as a `holds`
    /// event, where `/proc` can tell them), `--show-fds` or not.
    #[cfg(unix)]
    pub fn show_fds(&self, who: &str, pipe: impl std::os::fd::AsFd) -> io::Result<()> {
        if self.show_fds {
            let ends = pipe_ends(&pipe)?;
            crate::run::say(&format!("{who} {} holds: {}", std::process::id(), ends.join(", ")));
        }
        if crate::trace::enabled()
            && let Ok(name) = pipe_name(&pipe)
            && let Ok(ends) = ends_of(&name)
        {
            crate::trace::holds(who, &ends.join(", "), name);
        }
        Ok(())
    }

    /// Without `/proc` there is no simple way to list descriptors.
    #[cfg(not(unix))]
    pub fn show_fds<P>(&self, _who: &str, _pipe: P) -> io::Result<()> {
        if self.show_fds {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "--show-fds needs Linux's /proc",
            ));
        }
        Ok(())
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
pub(crate) fn ends_of(this_pipe: &std::path::Path) -> io::Result<Vec<String>> {
    use std::fs;

    let mut fds: Vec<u32> = fs::read_dir("/proc/self/fd")?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter(|fd| {
            fs::read_link(format!("/proc/self/fd/{fd}")).is_ok_and(|link| link == *this_pipe)
        })
        .collect();
    fds.sort_unstable();
    fds.into_iter()
        .map(|fd| {
            let info = fs::read_to_string(format!("/proc/self/fdinfo/{fd}"))?;
            let flags =
                info.lines().find_map(|line| line.strip_prefix("flags:")).unwrap_or_default();
            let writes = u32::from_str_radix(flags.trim(), 8).is_ok_and(|flags| flags & 0b11 == 1);
            Ok(format!("fd {fd} ({} end)", if writes { "write" } else { "read" }))
        })
        .collect()
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
