//! A wrong attempt at the exercise "Two writers, one pipe", kept for
//! the tests: two threads that write nothing, and the main thread
//! prints both writers' lines typed in. `tests/exercises/wrong_attempts.rs`
//! checks the verdict.

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: two_writers
/// Two idle threads; the main thread prints what they would send.
fn two_writers(run: &RunOptions) -> io::Result<()> {
    let idle: Vec<_> =
        (0..2).map(|_| std::thread::spawn(|| ())).collect();
    for zzz in common::schedule::zzz_values(run.count) {
        for name in ["A", "B"] {
            common::report(format!(
                "{name} {}",
                common::message(zzz)
            ))?;
        }
    }
    for thread in idle {
        let _ = thread.join();
    }
    Ok(())
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
