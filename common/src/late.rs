//! `--late-reader`: read only once the writer has finished.
//!
//! Then every message is already in the pipe when the first read happens, and
//! a read of 32 bytes takes four messages at once: certain, every run.
//!
//! Waiting has a limit. A pipe holds a fixed number of bytes (64 KiB on
//! Linux); a writer that fills it blocks until somebody reads. If the reader
//! waited for such a writer to finish, both would wait forever: a deadlock. So
//! the reader watches the pipe too, and starts reading when it is full.

use std::io;
use std::thread;
use std::time::Duration;

#[cfg(unix)]
use std::os::fd::AsFd;

/// How often the reader looks at the writer and the pipe while it waits.
const POLL: Duration = Duration::from_millis(1);

// ANCHOR: wait_for_writer
/// Wait until `writer_finished()` says yes, or until the pipe behind `pipein`
/// is full (then say so on stderr, since waiting longer would deadlock).
///
/// "Full" means every byte of the pipe's capacity is unread. Our 8-byte
/// messages fill Linux's 4 KiB pipe pages exactly, so that is when the writer
/// blocks; a writer of other sizes may block a few bytes short of it.
#[cfg(unix)]
pub fn wait_for_writer(
    name: &str,
    pipein: impl AsFd,
    mut writer_finished: impl FnMut() -> io::Result<bool>,
) -> io::Result<()> {
    let capacity = pipe_capacity(&pipein)?;
    loop {
        if writer_finished()? {
            return Ok(());
        }
        let unread = rustix::io::ioctl_fionread(&pipein)?;
        if unread >= capacity {
            crate::run::say(&format!(
                "{name}: the pipe is full ({unread} bytes unread) and its writer is blocked: \
                 waiting longer would deadlock, so reading starts now"
            ));
            return Ok(());
        }
        thread::sleep(POLL);
    }
}
// ANCHOR_END: wait_for_writer

/// Without a way to see how full a pipe is, waiting could deadlock: refuse.
#[cfg(not(unix))]
pub fn wait_for_writer<P>(
    _name: &str,
    _pipein: P,
    _writer_finished: impl FnMut() -> io::Result<bool>,
) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "--late-reader needs a unix system, where a reader can see how full the pipe is",
    ))
}

/// How many bytes the pipe can hold: asked of the kernel on Linux.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn pipe_capacity(pipe: impl AsFd) -> io::Result<u64> {
    Ok(rustix::pipe::fcntl_getpipe_size(pipe)? as u64)
}

/// Elsewhere there is no call to ask: 16 KiB is what BSD and macOS pipes start
/// with. If the pipe is really larger, the reader only starts a little early.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn pipe_capacity(_pipe: impl AsFd) -> io::Result<u64> {
    Ok(16 * 1024)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn returns_as_soon_as_the_writer_has_finished() {
        let (reader, _writer) = rustix::pipe::pipe().unwrap();
        let mut asked = 0;
        wait_for_writer("test", &reader, || {
            asked += 1;
            Ok(asked == 3)
        })
        .unwrap();
        assert_eq!(asked, 3);
    }

    #[test]
    fn returns_when_the_pipe_is_full_even_if_the_writer_never_finishes() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        let capacity = pipe_capacity(&reader).unwrap() as usize;
        let mut writer = std::fs::File::from(writer);
        writer.write_all(&vec![b'x'; capacity]).unwrap();
        wait_for_writer("test", &reader, || Ok(false)).unwrap();
    }
}
