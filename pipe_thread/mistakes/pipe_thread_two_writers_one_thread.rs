//! A wrong attempt at the exercise "Two writers, one pipe", kept for
//! the tests: one thread writes all of A's lines, then all of B's. The
//! output is right, and the writers never had a chance to mix.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use common::{Framed, RunOptions};
use std::io;

// ANCHOR: two_writers
/// One writer thread sends A's messages, then B's, as lines into one
/// pipe; the main thread prints each line, until end-of-file.
fn two_writers(run: &RunOptions) -> io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    let (pipein, mut pipeout) = os_pipe::pipe()?;
    let mut writers = Vec::new();
    let run = run.clone();
    // <- the mistake: one thread for both writers, one after the other
    writers.push(std::thread::spawn(move || {
        for name in ["A", "B"] {
            common::send_messages(&run, |msg| {
                let line = format!("{name} {msg}\n"); // who, and what
                pipeout.write_all(line.as_bytes()) // 11 bytes: atomic
            })?;
        }
        Ok::<(), io::Error>(())
    }));
    // End-of-file once the thread has ended and dropped its end.
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
