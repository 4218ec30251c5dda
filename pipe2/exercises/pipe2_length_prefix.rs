//! Exercise "Frame by length": pipe2 chapter; medium, about 25
//! minutes.
//!
//! A newline frame cannot carry a message that holds a newline, and
//! here every message does: `Spam 000`, a newline, `and eggs`. Frame
//! them by length instead. Write `frame`, which gives the bytes the
//! child writes for one message: one byte that says how long the
//! message is, then the message, and no newline. Then `read_frame`,
//! which reads one such frame: the length byte, then exactly that many
//! bytes. The parent prints each message with its newline shown as
//! `\n`, so one message is one line.
//!
//!     cargo run -q -p pipe2 --bin pipe2_length_prefix -- --count 7 --tick 0
//!     cargo run -q -p exercises -- check pipe2_length_prefix

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, BufReader, Read, Write},
    },
};

// ANCHOR: frame
/// The bytes the child writes for `msg`: its length in one byte, then
/// the message itself.
#[cfg(unix)]
fn frame(msg: &str) -> Vec<u8> {
    todo!("the length of {msg:?} in one byte, then its bytes")
}
// ANCHOR_END: frame

// ANCHOR: read_frame
/// The next message from the pipe, or `None` at end-of-file.
#[cfg(unix)]
fn read_frame(
    _pipein: &mut impl Read,
) -> io::Result<Option<String>> {
    // TODO: rename `_pipein` to `pipein` when you use it.
    todo!("read one length byte, then that many bytes")
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
