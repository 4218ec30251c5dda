//! Exercise "Two writers, one pipe": two threads write newline-framed
//! messages into one pipe at once, `A Spam NNN` and `B Spam NNN`. Lines never
//! mix, because POSIX makes a write of at most PIPE_BUF bytes (512 at least,
//! 4096 on Linux) atomic: its bytes enter the pipe together.

use std::io::{self, BufRead, BufReader, Write};
use std::thread;

// ANCHOR: solution
fn main() -> std::process::ExitCode {
    let about =
        "two writer threads, one pipe: whole lines, in any order";
    common::main(
        "pipe_thread_two_writers",
        about,
        |opts: common::Framed| {
            let (pipein, pipeout) = os_pipe::pipe()?;
            let mut writers = Vec::new();
            for (name, mut pipeout) in
                [("A", pipeout.try_clone()?), ("B", pipeout)]
            {
                let run = opts.run.clone();
                writers.push(thread::spawn(move || {
                    common::send_messages(&run, |msg| {
                        let line = format!("{name} {msg}\n"); // which writer, and its message
                        pipeout.write_all(line.as_bytes()) // 11 bytes <= PIPE_BUF: atomic
                    })
                }));
            }
            for line in BufReader::new(pipein).lines() {
                common::report(line?)?;
            }
            for writer in writers {
                writer.join().map_err(|_| {
                    io::Error::other("a writer panicked")
                })??;
            }
            Ok(())
        },
    )
}
// ANCHOR_END: solution
