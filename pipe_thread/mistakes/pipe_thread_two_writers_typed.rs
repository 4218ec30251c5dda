//! A wrong attempt at the exercise "Two writers, one pipe", kept for
//! the tests: two threads that write nothing, and the main thread
//! prints both writers' lines typed in. `tests/exercises/wrong_attempts.rs`
//! checks the verdict.

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: two_writers
/// Two threads that hold the pipe's write end and write nothing; the
/// main thread prints what they would send, typed in.
fn two_writers(run: &RunOptions) -> io::Result<()> {
    let (pipein, pipeout) = os_pipe::pipe()?;
    let mut writers = Vec::new();
    for (name, pipeout) in
        [("A", pipeout.try_clone()?), ("B", pipeout)]
    {
        let run = run.clone();
        writers.push(std::thread::spawn(move || {
            drop((name, run, pipeout)); // <- the mistake: idle
            Ok::<(), io::Error>(())
        }));
    }
    drop(pipein); // <- never read: the lines are typed in
    for zzz in common::schedule::zzz_values(run.count) {
        for name in ["A", "B"] {
            common::report(format!(
                "{name} {}",
                common::message(zzz)
            ))?;
        }
    }
    for writer in writers {
        let panicked = |_| io::Error::other("a writer panicked");
        writer.join().map_err(panicked)??;
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
