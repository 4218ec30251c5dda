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
use std::thread;

use crate::RunOptions;

/// The length of one message, `Spam 000`, in bytes.
pub const MESSAGE_LEN: u64 = 8;

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
pub fn send_messages(
    run: &RunOptions,
    mut send: impl FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    let mut send = crate::trace::sending(run.tick, &mut send); // --trace: record sleeps and writes
    for zzz in zzz_values(run.count) {
        thread::sleep(run.tick * zzz); // time.sleep(zzz): make the parent wait
        send(&message(zzz))?; //          os.write(pipeout, msg)
    }
    Ok(())
}
// ANCHOR_END: send_messages

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zzz_counts_zero_to_four_then_starts_again() {
        let values: Vec<u32> = zzz_values(Some(12)).collect();
        assert_eq!(values, [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
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

    #[test]
    fn send_messages_sends_each_message_once_in_order() {
        let run = RunOptions {
            count: Some(7),
            tick: std::time::Duration::ZERO,
            show_fds: false,
            trace: None,
        };
        let mut sent = Vec::new();
        send_messages(&run, |m| {
            sent.push(m.to_owned());
            Ok(())
        })
        .unwrap();
        let expected: Vec<String> = [0, 1, 2, 3, 4, 0, 1].into_iter().map(message).collect();
        assert_eq!(sent, expected);
    }

    #[test]
    fn send_messages_stops_at_the_first_error() {
        let run = RunOptions {
            count: Some(5),
            tick: std::time::Duration::ZERO,
            show_fds: false,
            trace: None,
        };
        let mut calls = 0;
        let result = send_messages(&run, |_| {
            calls += 1;
            Err(io::ErrorKind::BrokenPipe.into())
        });
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(calls, 1);
    }
}
