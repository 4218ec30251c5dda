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
fn channel(run: &RunOptions) -> io::Result<()> {
    let (sender, receiver) = std::sync::mpsc::channel::<String>();
    let run = run.clone();
    let writer = std::thread::spawn(move || {
        common::send_messages(&run, |msg| {
            sender.send(msg.to_owned()).map_err(io::Error::other)
        })
    }); // the thread ends, the sender is dropped: the loop below ends
    for msg in receiver {
        common::report(msg)?; // one whole message per receive, always
    }
    let panicked =
        |_| io::Error::other("the writer thread panicked");
    writer.join().map_err(panicked)?
}
// ANCHOR_END: channel

fn main() -> std::process::ExitCode {
    let about = "pipe_thread with a channel instead of a pipe";
    common::main("pipe_thread_mpsc", about, |opts: Framed| {
        channel(&opts.run)
    })
}
