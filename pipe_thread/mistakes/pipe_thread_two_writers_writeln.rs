//! A wrong attempt at the exercise "Two writers, one pipe", kept for
//! the tests: the solution, but each writer sends its line with
//! `writeln!` straight on the pipe end, which has no buffer: a write
//! for each piece of the line, so the other writer's pieces can come
//! between them. Most runs show no mix; the verdict must not wait for
//! one. `tests/exercises/wrong_attempts.rs` checks it.

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: two_writers
/// Two writer threads, A and B, send their messages as lines into one
/// pipe; the main thread prints each line, until end-of-file.
fn two_writers(run: &RunOptions) -> io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    let (pipein, pipeout) = os_pipe::pipe()?;
    let mut writers = Vec::new();
    // A second descriptor for the same write end: one for each thread.
    for (name, mut pipeout) in
        [("A", pipeout.try_clone()?), ("B", pipeout)]
    {
        let run = run.clone();
        writers.push(std::thread::spawn(move || {
            common::send_messages(&run, |msg| {
                // <- the mistake: a write for each piece
                writeln!(pipeout, "{name} {msg}")
            })
        }));
    }
    // End-of-file once both threads have ended and dropped their ends.
    for line in BufReader::new(pipein).lines() {
        common::report(line?)?;
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
