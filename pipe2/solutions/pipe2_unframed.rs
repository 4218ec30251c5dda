//! Exercise "Closing without framing": pipe2 chapter; medium, about
//! 20 minutes.
//!
//! Take pipe1 and apply only pipe2's closing: each process closes the
//! pipe end it does not use, but there is no newline and no
//! BufReader. Write `child`, which sends pipe1's messages (8 bytes, no
//! separator), and `parent`, which prints each read as pipe1 does
//! (`common::bytes_literal`) until end-of-file: no byte count. Each
//! is given both ends of the pipe. Which of pipe1's problems go away,
//! and which stay?
//!
//!     cargo run -q -p pipe2 --bin pipe2_unframed -- --count 12 --tick 0
//!     cargo run -q -p exercises -- check pipe2_unframed

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
    drop(pipein); // no read end left here: a dead parent means EPIPE
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
