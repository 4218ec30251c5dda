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
                let line = format!("{name} {msg}\n"); // who, and what
                pipeout.write_all(line.as_bytes()) // 11 bytes: atomic
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
