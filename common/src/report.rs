//! The parent's side: what it prints for each read.
//!
//! ```python
//! print('Parent %d got [%s] at %s' % (os.getpid(), line, time.time()))
//! ```

use std::fmt::Display;
use std::io::{self, Read, Write};
use std::process;
use std::time::{SystemTime, UNIX_EPOCH};

/// Print one output line: `Parent <pid> got [<data>] at <seconds since the epoch>`.
///
/// An error (say, stdout is a pipe whose reader has gone: `| head -3`) is
/// returned, not a panic as with `println!`.
pub fn report(data: impl Display) -> io::Result<()> {
    // ANCHOR: report
    let (pid, time) = (process::id(), timestamp(SystemTime::now()));
    writeln!(io::stdout().lock(), "Parent {pid} got [{data}] at {time}")
    // ANCHOR_END: report
}

// ANCHOR: timestamp
/// Seconds since the epoch with two decimals, like the book's `1267997789.33`.
pub fn timestamp(now: SystemTime) -> String {
    let seconds = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs_f64();
    format!("{seconds:.2}")
}
// ANCHOR_END: timestamp

// ANCHOR: bytes_literal
/// Bytes as a Rust byte-string literal, `b"Spam 000"`: the analogue of
/// Python's `b'Spam 000'`. Bytes that are not printable ASCII are escaped.
pub fn bytes_literal(bytes: &[u8]) -> String {
    format!("b\"{}\"", bytes.escape_ascii())
}
// ANCHOR_END: bytes_literal

/// The parent loop of pipe1 and pipe_thread: read up to `read_size` bytes,
/// print them, again, until end-of-file or until `expected` bytes came.
///
/// ```python
/// while True:
///     line = os.read(pipein, 32)   # blocks until data sent
///     print('Parent %d got [%s] at %s' % (os.getpid(), line, time.time()))
/// ```
pub fn print_reads(mut pipein: impl Read, read_size: u32, expected: Option<u64>) -> io::Result<()> {
    // ANCHOR: print_reads
    let mut buffer = vec![0; read_size as usize];
    let mut received = 0;
    while expected.is_none_or(|total| received < total) {
        let n = pipein.read(&mut buffer)?; // blocks until data is sent
        if n == 0 {
            break; // end-of-file: every write end is closed
        }
        report(bytes_literal(&buffer[..n]))?; // one line per read, however many messages
        received += n as u64;
    }
    Ok(())
    // ANCHOR_END: print_reads
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamp_has_two_decimals() {
        let book_time = UNIX_EPOCH + Duration::from_millis(1_267_997_789_330);
        assert_eq!(timestamp(book_time), "1267997789.33");
    }

    #[test]
    fn bytes_are_shown_as_a_rust_byte_string() {
        assert_eq!(bytes_literal(b"Spam 004Spam 000"), r#"b"Spam 004Spam 000""#);
    }

    #[test]
    fn unprintable_bytes_are_escaped() {
        assert_eq!(bytes_literal(b"Spam 000\n\"\xff"), r#"b"Spam 000\n\"\xff""#);
    }

    #[test]
    fn print_reads_stops_after_the_expected_bytes() {
        // An endless reader: only `expected` can end the loop, as in pipe1.
        let endless = io::repeat(b'x');
        print_reads(endless, 32, Some(100)).unwrap();
    }

    #[test]
    fn print_reads_stops_at_end_of_file() {
        print_reads(&b"Spam 000Spam 001"[..], 5, None).unwrap();
    }
}
