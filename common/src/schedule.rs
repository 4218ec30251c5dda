//! The child's side of every example: the book's `child()` loop.
//!
//! ```python
//! zzz = 0
//! while True:
//!     time.sleep(zzz)
//!     msg = ('Spam %03d' % zzz).encode()
//!     os.write(pipeout, msg)
//!     zzz = (zzz+1) % 5
//! ```

use std::io;
#[cfg(not(test))]
use std::thread;

#[cfg(test)]
use tests::recorded_thread as thread; // the unit tests record each sleep instead

use std::time::Duration;

use crate::error::Context;
use crate::options::RunOptions;
use crate::trace::{self, Bytes, Event};

/// The length of one message, `Spam 000`, in bytes.
pub const MESSAGE_LEN: u64 = 8;

// ANCHOR: expects_more
impl RunOptions {
    /// Does a reader that has `received` bytes of unframed messages (8 bytes
    /// each, no separator) have more to read? Always with no `--count`;
    /// with `--count N`, until it has all `N` * 8 bytes. For a reader that
    /// never sees end-of-file, because it holds the write end too (pipe1).
    pub fn expects_more(&self, received: u64) -> bool {
        self.count.is_none_or(|n| received < n.saturating_mul(MESSAGE_LEN))
    }
}
// ANCHOR_END: expects_more

// ANCHOR: zzz_values
/// The values `zzz` takes: 0, 1, 2, 3, 4, 0, 1, ... (`count` of them, or forever).
///
/// `zzz` is both the message number and how many ticks to sleep before it.
pub fn zzz_values(count: Option<u64>) -> impl Iterator<Item = u32> {
    let all = (0..5).cycle();
    all.take(count.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)))
}
// ANCHOR_END: zzz_values

// ANCHOR: message
/// The message for one value of `zzz`: `Spam 000` to `Spam 004` (Python's `'Spam %03d' % zzz`).
pub fn message(zzz: u32) -> String {
    format!("Spam {zzz:03}")
}
// ANCHOR_END: message

// ANCHOR: send_messages
/// Run the book's child loop: for each `zzz`, sleep `zzz` ticks, then `send` the message.
///
/// `send` is the one thing the programs do differently: pipe1 and
/// pipe_thread write the 8 bytes as they are, pipe2 adds a newline.
///
/// The first error of `send` ends the loop and is returned, named: `cannot
/// write to the pipe: ...`. The calling thread records as the writer from
/// now on; with `--trace`, it records each sleep and write (see `recording`).
pub fn send_messages(
    run: &RunOptions,
    mut send: impl FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    let mut send = recording(run.tick, &mut send); // --trace: record sleeps and writes
    // An error says what failed: "cannot write to the pipe: ..."
    let mut send = |msg: &str| send(msg).context("cannot write to the pipe");
    for zzz in zzz_values(run.count) {
        thread::sleep(run.tick * zzz); // time.sleep(zzz): make the parent wait
        send(&message(zzz))?; //          os.write(pipeout, msg)
    }
    Ok(())
}
// ANCHOR_END: send_messages

/// Wrap the child loop's `send` so that each call records the sleep before
/// it and the write it makes, in step with the loop of [`send_messages`]:
/// the sleep before the n-th message is the n-th value of `zzz`, of `tick`
/// each. From now on the calling thread records as the writer; traced, it
/// records `start` at once, then for each call a `sleep` (from the end of
/// the last call to this one) and, if `send` succeeded, a `write` with the
/// bytes the kernel counted (see [`procview::ThreadWrites`]): a write that failed
/// (the reader gone: `EPIPE`) put no byte in the pipe. Without `--trace`,
/// `send` is called as it is.
fn recording<'a>(
    tick: Duration,
    mut send: impl FnMut(&str) -> io::Result<()> + 'a,
) -> impl FnMut(&str) -> io::Result<()> + 'a {
    trace::become_writer();
    let traced = trace::enabled();
    let mut ticks = zzz_values(None);
    let mut since = trace::now();
    // Opened here, in the writer's own thread: it counts this thread's writes.
    let mut written = if traced { procview::ThreadWrites::open() } else { None };
    if traced {
        trace::record(since, Event::Start {});
    }
    move |msg| {
        if !traced {
            return send(msg);
        }
        let slept = ticks.next().unwrap_or_default();
        let t = trace::now();
        let tick_ns = tick.as_nanos() as u64;
        trace::record(since, Event::Sleep { end: t, ticks: u64::from(slept), tick_ns });
        let before = written.as_mut().and_then(procview::ThreadWrites::bytes);
        let sent = send(msg);
        since = trace::now();
        let after = written.as_mut().and_then(procview::ThreadWrites::bytes);
        if sent.is_ok() {
            let bytes = before.zip(after).map(|(before, after)| after - before);
            let message = Bytes(msg.as_bytes().to_vec());
            // `send` does not say which descriptor it writes to: no fd, no pipe.
            let (fd, pipe) = (None, None);
            trace::record(t, Event::Write { end: since, fd, pipe, bytes, message });
        }
        sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn zzz_counts_zero_to_four_then_starts_again() {
        let values: Vec<u32> = zzz_values(Some(12)).collect();
        assert_eq!(values, [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
    }

    #[test]
    fn a_bounded_reader_expects_every_byte_of_every_message() {
        let run = |count| RunOptions { count, tick: Duration::ZERO, show_fds: false, trace: None };
        assert!(!run(Some(0)).expects_more(0), "--count 0: nothing to read");
        assert!(run(Some(5)).expects_more(39) && !run(Some(5)).expects_more(40));
        assert!(run(None).expects_more(u64::MAX), "forever");
        assert!(run(Some(u64::MAX)).expects_more(u64::MAX - 1), "no overflow");
    }

    #[test]
    fn count_zero_sends_nothing() {
        assert_eq!(zzz_values(Some(0)).count(), 0);
    }

    #[test]
    fn no_count_runs_forever() {
        assert_eq!(zzz_values(None).take(1000).count(), 1000);
    }

    #[test]
    fn messages_are_one_word_and_zzz_in_three_digits() {
        let messages: Vec<String> = (0..5).map(message).collect();
        for (zzz, msg) in messages.iter().enumerate() {
            assert_eq!(msg.len() as u64, MESSAGE_LEN, "{msg:?}");
            assert!(msg.ends_with(&format!(" {zzz:03}")), "{msg:?}");
            assert_eq!(msg[..4], messages[0][..4], "the same word in every message");
        }
    }

    /// What `send_messages` did, in order: each sleep and each message sent.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Step {
        Slept(Duration),
        Sent(String),
    }

    thread_local! {
        static EVENTS: RefCell<Vec<Step>> = const { RefCell::new(Vec::new()) };
    }

    /// Stands for `std::thread` in `send_messages` under test: its `sleep`
    /// only records how long it was asked to sleep.
    pub mod recorded_thread {
        pub fn sleep(how_long: super::Duration) {
            super::EVENTS.with(|events| events.borrow_mut().push(super::Step::Slept(how_long)));
        }
    }

    /// Run `send_messages`, and return what it did and how it ended.
    fn record(
        count: u64,
        tick: Duration,
        mut fail_at: Option<usize>,
    ) -> (Vec<Step>, io::Result<()>) {
        EVENTS.with(|events| events.borrow_mut().clear());
        let run = RunOptions { count: Some(count), tick, show_fds: false, trace: None };
        let result = send_messages(&run, |msg| {
            EVENTS.with(|events| events.borrow_mut().push(Step::Sent(msg.to_owned())));
            match fail_at.as_mut() {
                Some(0) => Err(io::ErrorKind::BrokenPipe.into()),
                Some(n) => {
                    *n -= 1;
                    Ok(())
                }
                None => Ok(()),
            }
        });
        (EVENTS.with(|events| events.take()), result)
    }

    #[test]
    fn the_child_sleeps_0_1_2_3_4_0_ticks_each_before_its_message() {
        let tick = Duration::from_millis(10);
        let (events, result) = record(12, tick, None);
        result.unwrap();
        let expected: Vec<Step> = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]
            .into_iter()
            .flat_map(|zzz| [Step::Slept(tick * zzz), Step::Sent(message(zzz))])
            .collect();
        assert_eq!(events, expected);
        // Spam 004 and the next Spam 000 go out together: no time between them.
        assert_eq!(
            events[9..12],
            [Step::Sent(message(4)), Step::Slept(Duration::ZERO), Step::Sent(message(0))]
        );
    }

    #[test]
    fn send_messages_stops_at_the_first_error_and_names_it() {
        let (events, result) = record(5, Duration::ZERO, Some(1));
        let e = result.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe, "still a broken pipe: a quiet end");
        assert_eq!(e.to_string(), "cannot write to the pipe: broken pipe");
        let sent = events.iter().filter(|e| matches!(e, Step::Sent(_))).count();
        assert_eq!(sent, 2, "the message that failed was the last: {events:?}");
    }
}
