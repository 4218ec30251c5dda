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
use std::time::Duration;

use crate::options::{RunOptions, Unframed};
#[cfg(unix)]
use crate::trace::{Event, Until};
use crate::trace::{PipeEnd, Traceable};

/// The first pause between two looks at the pipe, and the longest: each pause
/// is twice the one before, so a short run is seen to end within a
/// millisecond or two, and a long wait wakes the reader once a second.
#[cfg(unix)]
const PAUSES: (Duration, Duration) = (Duration::from_millis(1), Duration::from_secs(1));

// ANCHOR: reading
impl Unframed {
    /// The reader's side of pipe1 and pipe_thread, before its first read, in
    /// one call: with `--late-reader`, wait for the writer to finish (see
    /// [`wait_for_writer`]: `finished_within` says whether it has, and the
    /// program is named `program` in what it says on stderr); then return
    /// `pipein` wrapped so that, with `--trace`, each read is recorded (see
    /// [`crate::trace::reader`]). Without either option, `pipein` only
    /// passes its reads through.
    pub fn reading<E: Traceable + PipeEnd>(
        &self,
        program: &str,
        pipein: E,
        finished_within: impl FnMut(Duration) -> io::Result<bool>,
    ) -> io::Result<E::Traced> {
        if self.late_reader {
            wait_for_writer(program, &pipein, &self.run, finished_within)?;
        }
        Ok(crate::trace::reader(pipein))
    }
}
// ANCHOR_END: reading

// ANCHOR: wait_for_writer
/// Wait until the writer has finished, or until the pipe behind `pipein` is
/// full while the writer has more to send (then say so on stderr, since
/// waiting longer would deadlock). Without `--count` and with a tick, first
/// say on stderr how long the pipe takes to fill. With `--trace`, record the
/// wait (a `wait` event) when it ends.
///
/// `finished_within(pause)` waits at most `pause` for the writer to finish,
/// waking as soon as it does, and says whether it has. Nothing tells a reader
/// when a pipe becomes full, so between two such waits the reader looks at
/// the pipe, at pauses that grow from 1 ms to 1 s.
///
/// "Full" means every byte of the pipe's capacity is unread. Our 8-byte
/// messages fill Linux's 4 KiB pipe pages exactly, so that is when the writer
/// blocks; a writer of other sizes may block a few bytes short of it.
#[cfg(unix)]
pub fn wait_for_writer(
    name: &str,
    pipein: impl PipeEnd,
    run: &RunOptions,
    finished_within: impl FnMut(Duration) -> io::Result<bool>,
) -> io::Result<()> {
    wait_for_writer_saying(&mut io::stderr(), name, pipein, run, finished_within)
}
// ANCHOR_END: wait_for_writer

// ANCHOR: full
/// [`wait_for_writer`], saying its lines to `stderr`.
#[cfg(unix)]
fn wait_for_writer_saying(
    stderr: &mut impl io::Write,
    name: &str,
    pipein: impl PipeEnd,
    run: &RunOptions,
    mut finished_within: impl FnMut(Duration) -> io::Result<bool>,
) -> io::Result<()> {
    use crate::report::say_to;

    let capacity = pipe_capacity(&pipein)?;
    // All the bytes the writer will send, if it ever finishes.
    let total = run.count.map(|n| n.saturating_mul(crate::schedule::MESSAGE_LEN));
    if total.is_none() && !run.tick.is_zero() {
        let fills_in = humantime::format_duration(time_to_fill(capacity, run.tick));
        say_to(
            stderr,
            &format!(
                "{name}: with --late-reader and no --count the writer never finishes: \
                 reading starts when the pipe is full, in about {fills_in} at this tick"
            ),
        );
    }
    let waited = crate::trace::now(); // --trace: the wait is recorded when it ends
    let (mut pause, longest) = PAUSES;
    let mut until = Until::Finished;
    while !finished_within(pause)? {
        let unread = rustix::io::ioctl_fionread(&pipein)?;
        // A full pipe holding every byte the writer sends: it has finished
        // writing and is about to end. It is not blocked: wait on.
        if unread >= capacity && total != Some(unread) {
            say_to(
                stderr,
                &format!(
                    "{name}: the pipe is full ({unread} bytes unread) and its writer has more \
                     to send, so it blocks until somebody reads: reading starts now, since \
                     waiting longer would deadlock"
                ),
            );
            until = Until::Full;
            break;
        }
        pause = (pause * 2).min(longest);
    }
    record_wait(waited, until);
    Ok(())
}
// ANCHOR_END: full

/// `--late-reader` waited from `t` until now, `until` the writer had
/// finished or the pipe was full: with `--trace`, record it.
#[cfg(unix)]
fn record_wait(t: u64, until: Until) {
    if crate::trace::enabled() {
        crate::trace::record(t, Event::Wait { end: crate::trace::now(), until });
    }
}

/// How long the writer takes to fill a pipe of `capacity` bytes: each round
/// of the schedule sends 5 messages of 8 bytes in 0+1+2+3+4 = 10 ticks, so 4
/// bytes a tick. Whole seconds, or milliseconds below one second.
#[cfg(unix)]
fn time_to_fill(capacity: u64, tick: Duration) -> Duration {
    let time = tick.saturating_mul(u32::try_from(capacity / 4).unwrap_or(u32::MAX));
    match time.as_secs() {
        0 => Duration::from_millis(time.as_millis() as u64),
        seconds => Duration::from_secs(seconds),
    }
}

/// Wait at most `timeout` for every write end of the pipe behind `pipein` to
/// be closed (the pipe "hangs up"), and say whether it is.
///
/// `poll(2)` asked for no event at all still reports a hang-up: it sleeps
/// until then, or until the timeout, however much data the pipe holds.
#[cfg(unix)]
pub fn hung_up(pipein: impl PipeEnd, timeout: Duration) -> io::Result<bool> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};

    let mut fds = [PollFd::new(&pipein, PollFlags::empty())];
    let timeout = Timespec::try_from(timeout).map_err(io::Error::other)?;
    match poll(&mut fds, Some(&timeout)) {
        Ok(_) => Ok(fds[0].revents().contains(PollFlags::HUP)),
        Err(rustix::io::Errno::INTR) => Ok(false), // a signal: the caller looks again
        Err(e) => crate::error::Context::context(Err(e), "cannot wait for the writer"),
    }
}

/// Without `poll(2)`, never a hang-up: `wait_for_writer` refuses to wait anyway.
#[cfg(not(unix))]
pub fn hung_up(_pipein: impl PipeEnd, _timeout: Duration) -> io::Result<bool> {
    Ok(false)
}

/// Without a way to see how full a pipe is, waiting could deadlock: refuse.
#[cfg(not(unix))]
pub fn wait_for_writer(
    _name: &str,
    _pipein: impl PipeEnd,
    _run: &RunOptions,
    _finished_within: impl FnMut(Duration) -> io::Result<bool>,
) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "--late-reader needs a unix system, where a reader can see how full the pipe is",
    ))
}

/// How many bytes the pipe can hold: asked of the kernel on Linux.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn pipe_capacity(pipe: impl std::os::fd::AsFd) -> io::Result<u64> {
    Ok(rustix::pipe::fcntl_getpipe_size(pipe)? as u64)
}

/// Elsewhere there is no call to ask: 16 KiB is what BSD and macOS pipes start
/// with. If the pipe is really larger, the reader only starts a little early.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn pipe_capacity(_pipe: impl std::os::fd::AsFd) -> io::Result<u64> {
    Ok(16 * 1024)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    fn run(count: Option<u64>, tick: Duration) -> RunOptions {
        RunOptions { count, tick, show_fds: false, trace: None }
    }

    #[test]
    fn returns_as_soon_as_the_writer_has_finished() {
        let (reader, _writer) = rustix::pipe::pipe().unwrap();
        let (mut asked, mut said) = (0, Vec::new());
        wait_for_writer_saying(&mut said, "test", &reader, &run(Some(5), Duration::ZERO), |_| {
            asked += 1;
            Ok(asked == 3)
        })
        .unwrap();
        assert_eq!(asked, 3);
        assert_eq!(String::from_utf8(said).unwrap(), "", "nothing to say");
    }

    #[test]
    fn a_long_wait_wakes_the_reader_rarely() {
        let (reader, _writer) = rustix::pipe::pipe().unwrap();
        // The writer finishes after one minute of waiting; the pipe stays empty.
        let (mut waited, mut asked) = (Duration::ZERO, 0);
        let mut said = Vec::new();
        wait_for_writer_saying(
            &mut said,
            "test",
            &reader,
            &run(Some(5), Duration::ZERO),
            |pause| {
                asked += 1;
                waited += pause;
                Ok(waited >= Duration::from_secs(60))
            },
        )
        .unwrap();
        // 1 ms, 2 ms, ... 512 ms (10 pauses, 1.023 s), then 59 of 1 s: 69. A
        // reader looking every millisecond would have asked 60 000 times.
        assert_eq!(asked, 69, "one minute of waiting");
    }

    #[test]
    fn returns_when_the_pipe_is_full_and_the_writer_has_more_to_send() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        let capacity = pipe_capacity(&reader).unwrap();
        let mut writer = std::fs::File::from(writer);
        writer.write_all(&vec![b'x'; capacity as usize]).unwrap();
        let mut said = Vec::new();
        let more = run(Some(capacity / 8 + 1), Duration::ZERO);
        wait_for_writer_saying(&mut said, "test", &reader, &more, |_| Ok(false)).unwrap();
        let said = String::from_utf8(said).unwrap();
        assert!(said.starts_with(&format!("test: the pipe is full ({capacity} bytes")), "{said}");
        assert!(said.ends_with("would deadlock\n") && said.lines().count() == 1, "{said}");
    }

    #[test]
    fn a_full_pipe_that_holds_every_byte_is_no_deadlock_wait_on() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        let capacity = pipe_capacity(&reader).unwrap();
        let mut writer = std::fs::File::from(writer);
        writer.write_all(&vec![b'x'; capacity as usize]).unwrap();
        // Exactly the pipe's capacity: the writer wrote its last byte, and has
        // not ended yet when the reader looks, twice.
        let (mut asked, mut said) = (0, Vec::new());
        let exact = run(Some(capacity / 8), Duration::ZERO);
        wait_for_writer_saying(&mut said, "test", &reader, &exact, |_| {
            asked += 1;
            Ok(asked == 3)
        })
        .unwrap();
        assert_eq!(asked, 3, "it waited for the writer to end");
        assert_eq!(String::from_utf8(said).unwrap(), "", "and claimed no blocked writer");
    }

    #[test]
    fn without_a_count_it_says_at_the_start_how_long_the_pipe_takes_to_fill() {
        let (reader, _writer) = rustix::pipe::pipe().unwrap();
        let capacity = pipe_capacity(&reader).unwrap();
        let mut said = Vec::new();
        let forever = run(None, Duration::from_secs(1));
        wait_for_writer_saying(&mut said, "test", &reader, &forever, |_| Ok(true)).unwrap();
        let said = String::from_utf8(said).unwrap();
        let fills_in = humantime::format_duration(Duration::from_secs(capacity / 4));
        assert_eq!(
            said,
            format!(
                "test: with --late-reader and no --count the writer never finishes: reading \
                 starts when the pipe is full, in about {fills_in} at this tick\n"
            )
        );
        if capacity == 65536 {
            assert!(said.contains("in about 4h 33m 4s"), "{said}");
        }
    }

    #[test]
    fn hung_up_waits_for_the_last_write_end_to_close() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        rustix::io::write(&writer, b"data").unwrap();
        assert!(!hung_up(&reader, Duration::from_millis(1)).unwrap(), "a writer is left");
        drop(writer);
        assert!(hung_up(&reader, Duration::from_secs(60)).unwrap(), "at once, data or not");
    }
}
