//! Errors that say what failed, and reads that a signal may interrupt.

use std::io;

// ANCHOR: context
/// Name what failed in front of an error: `pipe().context("cannot create the
/// pipe")?` turns `Too many open files` into `cannot create the pipe: Too many
/// open files`. The error keeps its kind, so a broken pipe is still a broken
/// pipe (which `common::exit_status` treats as a quiet end).
pub trait Context<T> {
    /// The result, with `what` in front of its error, if any.
    fn context(self, what: &str) -> io::Result<T>;
}

impl<T, E: Into<io::Error>> Context<T> for Result<T, E> {
    fn context(self, what: &str) -> io::Result<T> {
        self.map_err(|e| {
            let e: io::Error = e.into();
            io::Error::new(e.kind(), format!("{what}: {e}"))
        })
    }
}
// ANCHOR_END: context

// ANCHOR: retry_read
/// Make the read `read` and return what it returns; if a signal interrupted
/// it before any byte arrived (`EINTR`, [`io::ErrorKind::Interrupted`]), make
/// it again. Any other error is named: `cannot read from the pipe: ...`.
///
/// A signal whose action is to run a handler interrupts a blocked `read`, and
/// unless the handler was installed with `SA_RESTART`, the kernel does not
/// restart the read: it fails with `EINTR`, and nothing was read. Our programs
/// install no handler (without one, a stop and continue, `Ctrl-Z` then `fg`,
/// restarts the read inside the kernel), but a program that adds one, say to
/// print a summary on Ctrl-C, would end with an error on the first signal.
/// Python (3.5 and newer, PEP 475) retries for you; Rust's `read` does not,
/// though `read_exact`, `read_to_end` and `BufRead::lines` do.
pub fn retry_read(mut read: impl FnMut() -> io::Result<usize>) -> io::Result<usize> {
    loop {
        match read() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue, // EINTR: again
            result => return result.context("cannot read from the pipe"),
        }
    }
}
// ANCHOR_END: retry_read

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_names_what_failed_and_keeps_the_kind() {
        let failed: io::Result<()> = Err(io::ErrorKind::BrokenPipe.into());
        let e = failed.context("cannot write to stdout").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(e.to_string(), "cannot write to stdout: broken pipe");
    }

    #[test]
    fn an_interrupted_read_is_made_again() {
        let mut results = vec![
            Ok(8),
            Err(io::ErrorKind::Interrupted.into()),
            Err(io::ErrorKind::Interrupted.into()),
        ];
        let mut calls = 0;
        let n = retry_read(|| {
            calls += 1;
            results.pop().unwrap()
        })
        .unwrap();
        assert_eq!((n, calls), (8, 3), "two interrupted reads, then the 8 bytes");
    }

    #[test]
    fn other_read_errors_are_named_and_not_retried() {
        let mut calls = 0;
        let e = retry_read(|| {
            calls += 1;
            Err(io::Error::from(io::ErrorKind::InvalidInput))
        })
        .unwrap_err();
        assert_eq!(calls, 1);
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().starts_with("cannot read from the pipe: "), "{e}");
    }
}
