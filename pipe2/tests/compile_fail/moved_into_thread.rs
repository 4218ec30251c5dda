// pipe_thread, writing from the main thread too: refused.
use os_pipe::pipe;
use std::{io::Write, thread};

fn main() -> std::io::Result<()> {
    let (pipein, mut pipeout) = pipe()?;
    let writer =
        thread::spawn(move || pipeout.write_all(b"Spam 000"));
    pipeout.write_all(b"Spam 001")?; // the main thread writes too
    drop(pipein);
    writer.join().unwrap()
}
