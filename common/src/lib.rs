//! What the chapter's three programs share, written once.
//!
//! `pipe1`, `pipe2` and `pipe_thread` differ only in how they use a pipe; the
//! rest lives here:
//!
//! - [`options`]: the command line every program takes (`--count`, `--tick`, ...);
//! - [`schedule`]: the child's messages, `Spam 000` to `Spam 004` after 0 to 4 ticks;
//! - [`report`](mod@report): the parent's output line, `Parent <pid> got [<data>] at <time>`;
//! - [`late`]: `--late-reader`, which waits for the writer before reading;
//! - [`fds`]: `--show-fds`, which pipe ends each process holds;
//! - [`fork`] (unix): `fork`, reaping and killing the child;
//! - [`trace`]: `--trace FILE`, a record of every read, write and sleep of a run;
//! - [`error`]: errors that say what failed, and reads retried after a signal;
//! - [`run`](mod@run): the one place where errors are reported and the exit status is chosen.

pub mod error;
pub mod fds;
pub mod late;
pub mod options;
pub mod report;
pub mod run;
pub mod schedule;
pub mod trace;

#[cfg(all(unix, feature = "fork"))]
pub mod fork;

pub use error::{Context, retry_read};
pub use options::{Framed, RunOptions, Unframed};
pub use report::{bytes_literal, report};
pub use run::{main, run};
pub use schedule::{message, send_messages};
