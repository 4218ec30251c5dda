//! Exercise "Put the messages back together": pipe1 chapter; medium,
//! about 20 minutes.
//!
//! This is pipe1, with its child exactly as it is. Write the parent's
//! `read_messages`, so that it prints one whole message a line, however
//! the reads clump: even when all of them wait in the pipe at once.
//!
//!     cargo run -q -p pipe1 --bin pipe1_whole -- --count 12 --tick 0 --late-reader
//!     cargo run -q -p exercises -- check pipe1_whole

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, Write},
    },
};

// ANCHOR: read_messages
/// Read `count` messages (forever if `None`) from the pipe, and print
/// each one whole, on a line of its own, with `common::report`.
#[cfg(unix)]
fn read_messages(
    _pipein: File,
    _count: Option<u64>,
) -> io::Result<()> {
    // TODO: your parent. (Rename the parameters to `pipein` and
    // `count` when you use them.)
    todo!("print each message whole, on a line of its own")
}
// ANCHOR_END: read_messages

#[cfg(unix)]
fn parent(opts: common::Unframed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Parent(mut child) => {
            if opts.late_reader {
                common::late::wait_for_writer(
                    "pipe1_whole",
                    &pipein,
                    &opts.run,
                    |t| child.has_exited_within(t),
                )?;
            }
            read_messages(File::from(pipein), opts.run.count)?;
            child.wait()
        }
        Fork::Child(parent) => {
            parent.die_with_parent()?;
            let mut pipeout = File::from(pipeout);
            common::send_messages(&opts.run, |msg| {
                pipeout.write_all(msg.as_bytes()) // no separator
            })
        }
    }
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let about = "pipe1 with a parent that prints whole messages";
    common::main("pipe1_whole", about, parent)
}
