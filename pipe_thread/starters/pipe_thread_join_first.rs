//! Exercise "Join before reading": pipe_thread chapter; easy, about
//! 15 minutes.
//!
//! A simpler late reader than `--late-reader`: write `join_then_read`,
//! which joins the writer thread first, and only then reads the pipe
//! (up to `read_size` bytes a time) and prints each read as
//! pipe_thread does, until end-of-file. Before you run it: does it
//! work for 5 messages? For 9000?
//!
//!     cargo run -q -p pipe_thread --bin pipe_thread_join_first -- --count 5 --tick 0
//!     cargo run -q -p exercises -- check pipe_thread_join_first

use common::Unframed;
use os_pipe::PipeReader;
use std::io::{self, Write};
use std::thread::{self, JoinHandle};

// ANCHOR: join_then_read
/// Wait for `writer` to finish, then print every read of the pipe.
fn join_then_read(
    _writer: JoinHandle<io::Result<()>>,
    _pipein: PipeReader,
    _read_size: u32,
) -> io::Result<()> {
    // TODO: rename the parameters you use: `_writer` to `writer`, ...
    todo!("join the writer, then read and print until end-of-file")
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
