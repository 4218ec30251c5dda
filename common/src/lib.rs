//! What the chapter's three programs share, written once.
//!
//! `pipe1`, `pipe2` and `pipe_thread` differ only in how they use a pipe; the
//! rest lives here:
//!
//! - [`options`]: the command line every program takes (`--count`, `--tick`, ...);
//! - [`schedule`]: the child's messages, `Spam 000` to `Spam 004` after 0 to 4 ticks;
//! - [`report`](mod@report): the parent's output line, `Parent <pid> got [<data>] at <time>`;
//! - [`late`]: `--late-reader`, which waits for the writer before reading;
//! - [`ends`]: `--show-fds`, which pipe ends each process holds;
//! - `fork` (with the feature `fork`; unix): `fork`, reaping and killing the child;
//! - [`trace`]: `--trace FILE`, a record of every read, write and sleep of a run;
//! - [`error`]: errors that say what failed, and reads retried after a signal;
//! - [`outcome`]: the one place where errors are reported and the exit status is chosen.

pub mod ends;
pub mod error;
pub mod late;
pub mod options;
pub mod outcome;
pub mod report;
pub mod schedule;
pub mod trace;

// `fork` is made where the system has one (unix); elsewhere (Windows) the
// same names stand in, and their `fork` returns an "unsupported" error. This
// is the one place that chooses between the two.
#[cfg(all(unix, feature = "fork"))]
pub mod fork;
#[cfg(all(not(unix), feature = "fork"))]
#[path = "fork_unsupported.rs"]
pub mod fork;
// Its test runs here too, though only Windows uses it.
#[cfg(all(test, unix))]
#[allow(dead_code)]
mod fork_unsupported;

pub use error::{Context, retry_read};
pub use options::{Framed, RunOptions, Spawning, Unframed};
pub use outcome::{exit_status, main};
pub use report::{bytes_literal, report};
pub use schedule::{message, send_messages};
