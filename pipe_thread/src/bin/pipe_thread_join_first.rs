//! Exercise "Join before reading": a late reader without `--late-reader`'s
//! safety net. It joins the writer thread first and reads afterwards. Fine
//! while everything fits in the pipe; past 64 KiB the writer blocks on a full
//! pipe, the reader blocks in `join`, and neither ever moves again.

use std::io::{self, Read, Write};
use std::thread;

// ANCHOR: solution
fn main() -> std::process::ExitCode {
    let about = "pipe_thread that joins its writer before reading: deadlocks past 64 KiB";
    common::main(
        "pipe_thread_join_first",
        about,
        |opts: common::Unframed| {
            let (pipein, mut pipeout) = os_pipe::pipe()?;
            let run = opts.run.clone();
            let writer = thread::spawn(move || {
                common::send_messages(&run, |msg| {
                    pipeout.write_all(msg.as_bytes())
                })
            });
            // Wait for the writer first: blocks forever once the pipe is full.
            writer.join().map_err(|_| {
                io::Error::other("the writer panicked")
            })??;
            let (mut pipein, mut buffer) =
                (pipein, vec![0; opts.read_size as usize]);
            loop {
                match pipein.read(&mut buffer)? {
                    0 => return Ok(()),
                    n => common::report(common::bytes_literal(
                        &buffer[..n],
                    ))?,
                }
            }
        },
    )
}
// ANCHOR_END: solution
