// ANCHOR: all
//! pipe_thread: the book's pipe-thread.py (Example 5-21). The same pipe as
//! pipe1, between two threads of one process instead of two processes: no
//! fork, so it runs on Windows too.

// ANCHOR: imports
use {
    common::late::hung_up,
    common::{Context, RunOptions, Unframed},
    os_pipe::{PipeWriter, pipe},
    std::{
        io::{self, Read, Write},
        thread,
    },
};
// ANCHOR_END: imports

// ANCHOR: child
fn child(mut pipeout: PipeWriter, run: &RunOptions) -> io::Result<()> {
    common::send_messages(run, |msg| pipeout.write_all(msg.as_bytes())) // 8 bytes, no separator
} // pipeout is dropped here: the only write end closes, the reader sees end-of-file
// ANCHOR_END: child

// ANCHOR: parent
fn parent(mut pipein: impl Read, read_size: u32) -> io::Result<()> {
    let mut buffer = vec![0; read_size as usize]; // 32 bytes by default
    loop {
        // os.read(pipein, 32): blocks until data sent (and is made
        // again if a signal interrupts it: see retry_read)
        let n = common::retry_read(|| pipein.read(&mut buffer))?;
        if n == 0 {
            return Ok(()); // end-of-file: the writer thread has dropped its end
        }
        common::report(common::bytes_literal(&buffer[..n]))?; // print('Parent ...')
    }
}
// ANCHOR_END: parent

// ANCHOR: main
fn main() -> std::process::ExitCode {
    common::main("pipe_thread", ABOUT, |opts: Unframed| {
        // os.pipe(): make 2-ended pipe
        let (pipein, pipeout) = pipe().context("cannot create the pipe")?;
        opts.run.show_fds("process", &pipein)?; // --show-fds: one table, for both threads
        let run = opts.run.clone();
        // threading.Thread(...).start(); Builder::spawn returns an error when
        // the system cannot start a thread, where thread::spawn would panic
        let writer = thread::Builder::new()
            .spawn(move || child(pipeout, &run))
            .context("cannot start the writer thread")?;
        // --late-reader: the writer drops the only write end when it is
        // done, so the pipe hangs up (hung_up wakes at once); then --trace
        let finished = |t| Ok(hung_up(&pipein, t)? || writer.is_finished());
        let pipein = opts.reading("pipe_thread", &pipein, finished)?;
        parent(pipein, opts.read_size)?; // parent(pipein), until end-of-file
        writer
            .join()
            .map_err(|_| io::Error::other("the writer thread panicked"))?
    })
}
// ANCHOR_END: main

// ANCHOR: about
const ABOUT: &str = "\
The book's pipe-thread.py (Programming Python, 4th ed., ch. 5, \"Anonymous
Pipes\", \"Anonymous pipes and threads\", Example 5-21): the same pipe as
pipe1, between two threads of one process instead of two processes. Threads
share descriptors, so no fork is needed: this one runs on Windows too.
Try: pipe_thread --count 5 --tick 0 --late-reader";
// ANCHOR_END: about
// ANCHOR_END: all
