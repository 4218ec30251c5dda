//! A wrong attempt at the exercise "Frame by length", kept for the
//! tests: no length byte; every message is 17 bytes, so the parent
//! reads 17 at a time. It prints every message right, and frames no
//! message of another length. `tests/exercises/wrong_attempts.rs` checks the
//! verdict.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, BufReader, Read, Write},
    },
};

// ANCHOR: frame
/// The bytes the child writes for `msg`: the message alone.
#[cfg(unix)]
fn frame(msg: &str) -> Vec<u8> {
    msg.as_bytes().to_vec() // <- the mistake: no length byte
}
// ANCHOR_END: frame

// ANCHOR: read_frame
/// The next message from the pipe, or `None` at end-of-file.
#[cfg(unix)]
fn read_frame(
    pipein: &mut impl Read,
) -> io::Result<Option<String>> {
    // <- the mistake: every message is 17 bytes, so read 17
    let mut message = [0; 17];
    match pipein.read_exact(&mut message) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    }
    Ok(Some(String::from_utf8_lossy(&message).into_owned()))
}
// ANCHOR_END: read_frame

#[cfg(unix)]
fn parent(opts: common::Framed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Parent(child) => {
            drop(pipeout);
            let mut pipein = BufReader::new(File::from(pipein));
            while let Some(message) = read_frame(&mut pipein)? {
                // escape_debug shows the newline as \n: a line each
                common::report(message.escape_debug())?;
            }
            child.wait()
        }
        Fork::Child(_) => {
            drop(pipein);
            let mut pipeout = File::from(pipeout);
            common::send_messages(&opts.run, |msg| {
                let msg = format!("{msg}\nand eggs"); // holds a newline
                pipeout.write_all(&frame(&msg)) // still one write
            })
        }
    }
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let about = "pipe2 with a length before each message";
    common::main("pipe2_length_prefix", about, parent)
}
