//! The one place where a program's errors are reported.

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::options::RunOptions;
use crate::report::{say, write_stdout};

// ANCHOR: main
/// A program's whole `main`: parse the command line into the options `body`
/// takes, run `body`, and turn its result into the exit status with [`exit_status`].
///
/// A bad option or value: clap's error on stderr, status 2, nothing run.
/// `--help` and `--version`: their text on stdout, status 0; if it cannot be
/// written (`--help >/dev/full`), an error as for any output, status 1.
/// `--trace FILE` is opened only once the command line is good, before
/// `body` (see [`crate::trace::start`]).
pub fn main<T: Parser + AsRef<RunOptions>>(
    name: &'static str,
    about: &'static str,
    body: impl FnOnce(T) -> io::Result<()>,
) -> ExitCode {
    match crate::options::parse::<T>(name, about) {
        Ok(opts) => exit_status(name, || {
            crate::trace::start(name, opts.as_ref().trace.as_deref())?; // --trace FILE, if asked
            body(opts)
        }),
        Err(e) if e.use_stderr() => {
            let _ = e.print(); // if stderr cannot be written, nobody can be told
            ExitCode::from(2)
        }
        Err(help) => exit_status(name, || write_stdout(help.render().to_string().as_bytes())),
    }
}
// ANCHOR_END: main

// ANCHOR: run
// ANCHOR: exit_status
/// Run a program's body and turn its result into the exit status:
///
/// - `Ok`: status 0;
/// - a broken pipe: status 0, silently. The reader has gone (`| head -3`, or
///   the parent died): there is nobody left to tell, and nothing is wrong
///   with this program;
/// - any other error: `<name>: <error>` on stderr and status 1. Each error
///   says what failed: `pipe1: cannot fork: Resource temporarily unavailable`.
///
/// With `--trace`, the ends this process still holds are recorded as it
/// exits; and if a line of its trace could not be written (already said on
/// stderr, see [`crate::trace::lost`]), the status is 1 whatever the body
/// returned.
///
/// Usage errors never get here: [`main`] reports them with status 2.
pub fn exit_status(name: &str, body: impl FnOnce() -> io::Result<()>) -> ExitCode {
    let result = body();
    crate::ends::record_exit(); // --trace: the ends this process still holds as it exits
    // --trace: a run whose trace lost a line (said on stderr then) did not succeed
    let success = if crate::trace::lost() { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    match result {
        Ok(()) => success,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => success,
        Err(e) => {
            say(&format!("{name}: {e}"));
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: exit_status
// ANCHOR_END: run
