//! The parent's side: what it prints for each read.
//!
//! ```python
//! print('Parent %d got [%s] at %s' % (os.getpid(), line, time.time()))
//! ```

use std::fmt::Display;
use std::io;
use std::process;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Context;

// ANCHOR: report
/// Print one output line: `Parent <pid> got [<data>] at <seconds since the epoch>`.
///
/// An error (say, stdout is a pipe whose reader has gone: `| head -3`) is
/// returned, not a panic as with `println!`.
pub fn report(data: impl Display) -> io::Result<()> {
    let mut line = Vec::new();
    write_line(&mut line, process::id(), data)?; // the line, in memory
    write_stdout(&line) // then out, in one write
}

/// Write the output line of process `pid` into `out`, with the time now.
pub fn write_line(out: &mut impl io::Write, pid: u32, data: impl Display) -> io::Result<()> {
    let time = timestamp(SystemTime::now());
    writeln!(out, "Parent {pid} got [{data}] at {time}")
}
// ANCHOR_END: report

/// [`report`]'s line on stderr, in one write (see [`say`]), for a program
/// whose stdout is a pipe to its child (pipes). Nothing fails: if stderr
/// cannot be written, nobody can be told.
pub fn report_on_stderr(data: impl Display) {
    let mut line = Vec::new();
    let _ = write_line(&mut line, process::id(), data); // into memory: cannot fail
    say(String::from_utf8_lossy(&line).trim_end_matches('\n'));
}

// ANCHOR: write_stdout
/// Write `bytes` to stdout now, unbuffered (one `write(2)` for a line), and
/// return any error, named: `cannot write to stdout: ...`.
///
/// Not through [`io::stdout`]: std treats the error `EBADF` on stdout as
/// success, so that a program started with stdout closed runs on quietly. But
/// stdout open read-only (`pipe1 1<file`) fails with `EBADF` too, and a
/// program that printed nothing would exit with 0 as if all went well. On unix
/// we write to descriptor 1 ourselves and see every error. (On Windows std's
/// stdout is used, which hides an invalid handle in the same way.)
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    #[cfg(unix)]
    let written = io::Write::write_all(&mut Fd1, bytes);
    #[cfg(not(unix))]
    let written = {
        let mut stdout = io::stdout().lock();
        io::Write::write_all(&mut stdout, bytes).and_then(|()| io::Write::flush(&mut stdout))
    };
    written.context("cannot write to stdout")
}
// ANCHOR_END: write_stdout

/// Descriptor 1, stdout, without std's buffer and without its `EBADF` rule.
#[cfg(unix)]
struct Fd1;

#[cfg(unix)]
impl io::Write for Fd1 {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        Ok(rustix::io::write(rustix::stdio::stdout(), bytes)?)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(()) // nothing is buffered
    }
}

/// Print one line on stderr in a single write, so that the lines of two
/// processes sharing stderr never mix (`eprintln!` may write a line in pieces).
/// If stderr cannot be written, nothing is said, and nothing fails.
pub fn say(line: &str) {
    say_to(&mut io::stderr(), line);
}

/// [`say`], to `stderr`: the tests pass a buffer and read what was said.
pub fn say_to(stderr: &mut impl io::Write, line: &str) {
    // If stderr cannot be written, there is nobody to tell.
    let _ = stderr.write_all(format!("{line}\n").as_bytes());
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
}
