// ANCHOR: all
//! pipe1: the book's pipe1.py. A parent and a forked child share one pipe; the
//! child writes 8-byte messages with no separator, the parent reads up to 32
//! bytes at a time. A pipe is a stream of bytes, not of messages, so one read
//! can return two messages at once: `b"Spam 004Spam 000"`.

// ANCHOR: imports
#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    common::{Context, RunOptions, Unframed, schedule::MESSAGE_LEN},
    nix::unistd::pipe,
    std::{
        fs::File,
        io::{self, Read, Write},
        os::fd::OwnedFd,
    },
};
// ANCHOR_END: imports

// ANCHOR: child
#[cfg(unix)]
fn child(pipeout: OwnedFd, run: &RunOptions) -> io::Result<()> {
    let mut pipeout = File::from(pipeout); // unbuffered: one write_all, one write(2)
    common::send_messages(run, |msg| pipeout.write_all(msg.as_bytes())) // no separator
}
// ANCHOR_END: child

// ANCHOR: parent
#[cfg(unix)]
fn parent(opts: Unframed) -> io::Result<()> {
    // os.pipe(): make 2-ended pipe
    let (pipein, pipeout) = pipe().context("cannot create the pipe")?;
    // SAFETY: pipe1 has started no thread, so the child is a whole copy of
    // this process and may run any code (see `fork`'s # Safety section).
    match unsafe { fork() }? {
        Fork::Child(parent) => {
            // Like the book, we close neither end. Since we hold the read end
            // ourselves, a write never fails with EPIPE when the parent dies,
            // so ask the kernel to end us with it instead.
            parent.die_with_parent()?;
            opts.run.show_fds("child", &pipeout)?; // --show-fds: both ends
            child(pipeout, &opts.run)
        }
        Fork::Parent(mut child) => {
            opts.run.show_fds("parent", &pipein)?; // --show-fds: both ends
            if opts.late_reader {
                let run = &opts.run;
                common::late::wait_for_writer("pipe1", &pipein, run, |t| {
                    child.has_exited_within(t) // wakes when the child ends
                })?;
            }
            // We hold the write end too, so the pipe never reports end-of-file:
            // a bounded run stops once it has all 8 bytes of every message.
            let expected =
                opts.run.count.map(|n| n.saturating_mul(MESSAGE_LEN));
            let mut pipein = File::from(pipein);
            let mut pipein = common::trace::reader(&mut pipein); // --trace
            let mut buffer = vec![0; opts.read_size as usize]; // 32 bytes by default
            let mut received = 0;
            while expected.is_none_or(|total| received < total) {
                // os.read(pipein, 32): blocks until data sent (and is
                // made again if a signal interrupts it: see retry_read)
                let n = common::retry_read(|| pipein.read(&mut buffer))?;
                common::report(common::bytes_literal(&buffer[..n]))?; // print('Parent ...')
                received += n as u64;
            }
            child.wait() // reap the child: no zombie left
        }
    }
}
// ANCHOR_END: parent

// ANCHOR: main
#[cfg(unix)]
fn main() -> std::process::ExitCode {
    common::main("pipe1", ABOUT, parent) // parse the options, run parent(opts), report errors
}
// ANCHOR_END: main

// ANCHOR: not_unix
#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    common::main("pipe1", ABOUT, common::run::no_fork::<common::Unframed>) // --help still works
}
// ANCHOR_END: not_unix

// ANCHOR: about
const ABOUT: &str = "\
The book's pipe1.py (Programming Python, 4th ed., ch. 5, \"Anonymous Pipes\"):
a forked child writes 'Spam NNN' messages into a pipe with no separator, and
the parent prints what each read returns. A pipe carries bytes, not messages:
one read can return parts of two. Try: pipe1 --count 5 --tick 0 --late-reader";
// ANCHOR_END: about
// ANCHOR_END: all
