//! A wrong attempt at the exercise "Join before reading", kept for the
//! tests: it reads 32 bytes at a time, whatever `--read-size` says.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use common::Unframed;
use os_pipe::PipeReader;
use std::io::{self, Write};
use std::thread::{self, JoinHandle};

// ANCHOR: join_then_read
/// Wait for `writer` to finish, then print every read of the pipe.
fn join_then_read(
    writer: JoinHandle<io::Result<()>>,
    mut pipein: PipeReader,
    read_size: u32,
) -> io::Result<()> {
    use std::io::Read; // read
    // Wait for the writer first: it has sent everything, or failed.
    let panicked = |_| io::Error::other("the writer panicked");
    writer.join().map_err(panicked)??;
    let _ = read_size; // <- the mistake: ignored
    let mut buffer = vec![0; 32];
    loop {
        match pipein.read(&mut buffer)? {
            0 => return Ok(()), // end-of-file: the writer's end is closed
            n => {
                common::report(common::bytes_literal(&buffer[..n]))?
            }
        }
    }
}
// ANCHOR_END: join_then_read

fn main() -> std::process::ExitCode {
    let about = "pipe_thread that joins its writer before reading";
    common::main(
        "pipe_thread_join_first",
        about,
        |opts: Unframed| {
            let (pipein, mut pipeout) = os_pipe::pipe()?;
            let run = opts.run.clone();
            let writer = thread::spawn(move || {
                common::send_messages(&run, |msg| {
                    pipeout.write_all(msg.as_bytes())
                })
            });
            join_then_read(writer, pipein, opts.read_size)
        },
    )
}
