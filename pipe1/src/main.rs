// ANCHOR: all
//! pipe1: the book's pipe1.py. A forked child writes 8-byte messages into a
//! pipe, the parent reads 32 bytes at a time: one read can return two.

use common::fork::{Fork, fork};
use common::{Context, RunOptions, Unframed};
use nix::unistd::pipe;
use std::fs::File;
use std::io::{self, Read, Write};

// ANCHOR: child
fn child(mut pipeout: File, run: &RunOptions) -> io::Result<()> {
    // os.write(pipeout, msg): 8 bytes, no separator, one write(2)
    common::send_messages(run, |msg| pipeout.write_all(msg.as_bytes()))
}
// ANCHOR_END: child

// ANCHOR: parent
fn parent(opts: Unframed) -> io::Result<()> {
    // os.pipe(): make 2-ended pipe; a File each end: unbuffered
    let (pipein, pipeout) = pipe().context("cannot create the pipe")?;
    let (mut pipein, pipeout) = (File::from(pipein), File::from(pipeout));
    // SAFETY: pipe1 started no thread: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Child(parent) => {
            // Like the book, we close neither end: a write cannot fail
            parent.die_with_parent()?; // when the parent dies: die too
            opts.run.show_fds("child", &pipeout)?; // --show-fds
            child(pipeout, &opts.run)
        }
        Fork::Parent(mut child) => {
            opts.run.show_fds("parent", &pipein)?; // --show-fds
            let exited = |t| child.has_exited_within(t); // --late-reader
            let mut pipein = opts.reading("pipe1", &mut pipein, exited)?;
            let mut buffer = vec![0; opts.read_size as usize]; // 32 bytes
            let mut received = 0; // we hold the write end: no end-of-file
            while opts.run.expects_more(received) {
                // os.read(pipein, 32): blocks until data sent
                let n = common::retry_read(|| pipein.read(&mut buffer))?;
                common::report(common::bytes_literal(&buffer[..n]))?;
                received += n as u64;
            }
            child.wait() // reap the child: no zombie left
        }
    }
}
// ANCHOR_END: parent

// ANCHOR: main
fn main() -> std::process::ExitCode {
    common::main("pipe1", ABOUT, parent) // parse, run parent, report
}
// ANCHOR_END: main

const ABOUT: &str = "\
The book's pipe1.py (Programming Python, 4th ed., ch. 5, \"Anonymous Pipes\"):
a forked child writes 'Spam NNN' messages into a pipe with no separator, and
the parent prints what each read returns. A pipe carries bytes, not messages:
one read can return parts of two. Try: pipe1 --count 5 --tick 0 --late-reader";
// ANCHOR_END: all
