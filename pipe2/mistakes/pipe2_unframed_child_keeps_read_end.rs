//! A wrong attempt at the exercise "Closing without framing", kept for
//! the tests: the solution (`solutions/pipe2_unframed.rs`) with one
//! line left out, the child's `drop(pipein)`. The parent still gets
//! every byte and ends; but once the parent is killed, the child
//! fills the pipe and waits in `write` forever, since it holds a read
//! end itself. `tests/exercises.rs` checks the verdict on it.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    common::{RunOptions, Unframed},
    std::{io, os::fd::OwnedFd},
};

// ANCHOR: child
/// The child: send every message into the pipe, as pipe1's child does.
#[cfg(unix)]
fn child(
    pipein: OwnedFd,
    pipeout: OwnedFd,
    run: &RunOptions,
) -> io::Result<()> {
    use std::io::Write; // write_all
    let _pipein = pipein; // <- kept open: the mistake
    let mut pipeout = std::fs::File::from(pipeout);
    common::send_messages(run, |msg| {
        pipeout.write_all(msg.as_bytes())
    })
}
// ANCHOR_END: child

// ANCHOR: parent
/// The parent: print each read of up to `read_size` bytes, as pipe1's
/// parent does, until end-of-file.
#[cfg(unix)]
fn parent(
    pipein: OwnedFd,
    pipeout: OwnedFd,
    read_size: u32,
) -> io::Result<()> {
    use std::io::Read; // read
    drop(pipeout); // the child's end is the only write end left
    let mut pipein = std::fs::File::from(pipein);
    let mut buffer = vec![0; read_size as usize];
    loop {
        let n = pipein.read(&mut buffer)?;
        if n == 0 {
            return Ok(()); // end-of-file: no byte count needed
        }
        common::report(common::bytes_literal(&buffer[..n]))?;
    }
}
// ANCHOR_END: parent

#[cfg(unix)]
fn pipe_and_fork(opts: Unframed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Child(_) => child(pipein, pipeout, &opts.run),
        Fork::Parent(process) => {
            parent(pipein, pipeout, opts.read_size)?;
            process.wait() // reap the child
        }
    }
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let about = "pipe1 with the unused pipe ends closed";
    common::main("pipe2_unframed", about, pipe_and_fork)
}
