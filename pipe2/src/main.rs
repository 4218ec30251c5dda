// ANCHOR: all
//! pipe2: the book's pipe2.py. As pipe1, but every message ends with a
//! newline, each process closes the pipe end it does not use, and the parent
//! reads lines through a buffered file: one read, one message, and an
//! end-of-file when the child is done.

// ANCHOR: imports
use common::fork::{Fork, fork};
use common::{Context, Framed, RunOptions};
use nix::unistd::pipe;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::OwnedFd;
// ANCHOR_END: imports

// ANCHOR: child
fn child(pipeout: OwnedFd, run: &RunOptions) -> io::Result<()> {
    let mut pipeout = File::from(pipeout); // unbuffered: one write_all, one write(2)
    common::send_messages(run, |msg| {
        pipeout.write_all(format!("{msg}\n").as_bytes())
    }) // newline frames it
}
// ANCHOR_END: child

// ANCHOR: parent
fn parent(opts: Framed) -> io::Result<()> {
    // os.pipe(): make 2-ended pipe
    let (pipein, pipeout) = pipe().context("cannot create the pipe")?;
    // SAFETY: pipe2 has started no thread, so the child is a whole copy of
    // this process and may run any code (see `fork`'s # Safety section).
    match unsafe { fork() }? {
        Fork::Child(_) => {
            drop(pipein); // os.close(pipein): close input side here
            opts.run.show_fds("child", &pipeout)?; // --show-fds: the write end only
            child(pipeout, &opts.run)
        }
        Fork::Parent(child) => {
            drop(pipeout); // os.close(pipeout): close output side here
            opts.run.show_fds("parent", &pipein)?; // --show-fds: the read end only
            let pipein = BufReader::new(File::from(pipein)); // os.fdopen(pipein)
            let pipein = common::trace::reader(pipein); // --trace
            for line in pipein.lines() {
                // readline()[:-1]: blocks until a whole line is sent (a
                // read a signal interrupts is made again); the loop ends
                // at end-of-file, once the child's end is closed
                common::report(line.context("cannot read from the pipe")?)?;
            }
            child.wait() // reap the child, and hear how it ended
        }
    }
}
// ANCHOR_END: parent

// ANCHOR: main
fn main() -> std::process::ExitCode {
    common::main("pipe2", ABOUT, parent) // parse the options, run parent(opts), report errors
}
// ANCHOR_END: main

// ANCHOR: about
const ABOUT: &str = "\
The book's pipe2.py (Programming Python, 4th ed., ch. 5, \"Anonymous Pipes\",
\"Wrapping pipe descriptors in file objects\"): the child ends each message
with a newline, both processes close the pipe end they do not use, and the
parent reads whole lines through a buffered file: one line, one message.
Try: pipe2 --count 5 --tick 10ms";
// ANCHOR_END: about
// ANCHOR_END: all
