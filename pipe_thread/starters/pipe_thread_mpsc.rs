//! Exercise "A channel instead of a pipe": pipe_thread chapter; easy,
//! about 15 minutes.
//!
//! Write pipe_thread again with a `std::sync::mpsc` channel instead of
//! a pipe: a writer thread sends each message, the main thread prints
//! each one it receives (`common::report`), until the writer is done.
//! `common::send_messages` wants an `io::Result`: `send` fails, with a
//! `SendError`, only once the receiver is gone, and
//! `.map_err(io::Error::other)` turns that into an `io::Error`. What
//! happens to framing? And if a channel is this easy, why use a
//! pipe at all?
//!
//!     cargo run -q -p pipe_thread --bin pipe_thread_mpsc -- --count 12 --tick 0
//!     cargo run -q -p exercises -- check pipe_thread_mpsc

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: channel
/// A writer thread sends the messages through a channel; the main
/// thread prints each one it receives.
fn channel(_run: &RunOptions) -> io::Result<()> {
    // TODO: rename `_run` to `run` when you use it.
    todo!("a channel, a writer thread, and a receiving loop")
}
// ANCHOR_END: channel

fn main() -> std::process::ExitCode {
    let about = "pipe_thread with a channel instead of a pipe";
    common::main("pipe_thread_mpsc", about, |opts: Framed| {
        channel(&opts.run)
    })
}
