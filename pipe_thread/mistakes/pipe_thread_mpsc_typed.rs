//! A wrong attempt at the exercise "A channel instead of a pipe", kept
//! for the tests: an idle thread, and the main thread sleeps and prints
//! the messages typed in. `tests/exercises/wrong_attempts.rs` checks the verdict.

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: channel
/// An idle thread; the main thread prints what it would send.
fn channel(run: &RunOptions) -> io::Result<()> {
    let idle = std::thread::spawn(|| ());
    common::send_messages(run, |msg| common::report(msg))?;
    let _ = idle.join();
    Ok(())
}
// ANCHOR_END: channel

fn main() -> std::process::ExitCode {
    let about = "pipe_thread with a channel instead of a pipe";
    common::main("pipe_thread_mpsc", about, |opts: Framed| {
        channel(&opts.run)
    })
}
