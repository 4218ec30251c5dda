//! A wrong attempt at the exercise "A channel instead of a pipe", kept
//! for the tests: main keeps a clone of the Sender, so the receiving
//! loop never ends. `tests/exercises/wrong_attempts.rs` checks the verdict.

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: channel
/// A writer thread sends the messages through a channel; the main
/// thread prints each one it receives.
fn channel(run: &RunOptions) -> io::Result<()> {
    let (sender, receiver) = std::sync::mpsc::channel::<String>();
    let _kept = sender.clone(); // <- the mistake: a sender stays
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
