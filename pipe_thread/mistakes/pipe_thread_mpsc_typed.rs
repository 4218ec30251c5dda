//! A wrong attempt at the exercise "A channel instead of a pipe", kept
//! for the tests: an idle thread, and the main thread sleeps and prints
//! the messages typed in. `tests/exercises/wrong_attempts.rs` checks the verdict.

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: channel
/// An idle writer thread; the main thread prints what it would send.
fn channel(run: &RunOptions) -> io::Result<()> {
    let (sender, receiver) = std::sync::mpsc::channel::<String>();
    let run = run.clone();
    let writer = std::thread::spawn(move || {
        drop((sender, receiver)); // <- the mistake: idle
        Ok(())
    });
    // <- the main thread sleeps and prints the messages, typed in
    common::send_messages(&run, |msg| common::report(msg))?;
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
