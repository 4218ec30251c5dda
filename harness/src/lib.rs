//! Runs the book's programs under test (the chapters' tests) and under
//! check (the exercises' check command), as subprocesses, never a fork in
//! the caller: a test harness runs tests on many threads, and a fork copies
//! only one of them.
//!
//! Each run starts in a process group of its own ([`spawn`]), so that a
//! test can signal the whole run (as Ctrl-C does), list every process of it,
//! and kill all of it if it outlives its [`DEADLINE`]: a hang fails the
//! test, it never hangs the suite.
//!
//! - [`proc`]: what the kernel says of a run (processes, threads, system
//!   calls, counts, pipe ends, signals): the crate `procview`, the one reader
//!   of `/proc`, re-exported;
//! - [`stuck`]: the watch that tells a run that will never end in seconds;
//! - [`output`]: the SPEC's output line taken apart, a run's stdout as text;
//! - `assert` (feature `assert`, for tests only): assert_cmd, insta, and the
//!   assertions the chapters' tests share.
//!
//! Everything here is POSIX (process groups, `kill`, `setrlimit`), except
//! what [`proc`] reads, which only Linux has.
#![cfg(unix)]

pub mod output;
mod running;
pub mod stuck;

#[cfg(feature = "assert")]
pub mod assert;

/// What the kernel says of a run: the `procview` crate, the one reader of `/proc`.
pub use procview as proc;

pub use output::{
    Finished, Line, parse_lines, stderr, stdout, stream, ticks_slept_before, unquote,
};
pub use running::*;
