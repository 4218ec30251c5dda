//! Exercise "Two writers, one pipe": pipe_thread chapter; medium,
//! about 25 minutes.
//!
//! Write `two_writers`: it starts two writer threads on the same pipe.
//! Each sends the usual messages, a line each, tagged with its name:
//! one writes `A Spam 000`, `A Spam 001`, ..., the other `B Spam 000`,
//! `B Spam 001`, .... The main thread reads the pipe line by line and
//! prints each line (`common::report`) until end-of-file. Then ask:
//! can the two writers' bytes mix inside a line?
//!
//!     cargo run -q -p pipe_thread --bin pipe_thread_two_writers -- --count 5 --tick 0
//!     cargo run -q -p exercises -- check pipe_thread_two_writers

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: two_writers
/// Two writer threads, A and B, send their messages as lines into one
/// pipe; the main thread prints each line, until end-of-file.
fn two_writers(_run: &RunOptions) -> io::Result<()> {
    // TODO: rename `_run` to `run` when you use it.
    todo!("a pipe, two writer threads, and a reader")
}
// ANCHOR_END: two_writers

fn main() -> std::process::ExitCode {
    let about = "two writer threads, one pipe";
    common::main(
        "pipe_thread_two_writers",
        about,
        |opts: Framed| two_writers(&opts.run),
    )
}
