//! A right attempt at the exercise "Put the messages back together",
//! kept for the tests: the parent gathers its reads in a buffer and
//! prints each whole message from it, instead of `read_exact`.
//! `tests/exercises/right_attempts.rs` checks that it passes.

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
/// each one whole: reads of up to 32 bytes, gathered in a buffer, and
/// every whole message taken out of its front.
#[cfg(unix)]
fn read_messages(
    mut pipein: File,
    count: Option<u64>,
) -> io::Result<()> {
    use std::io::Read; // read
    const LEN: usize = common::schedule::MESSAGE_LEN as usize;
    let mut gathered: Vec<u8> = Vec::new();
    let mut left = count;
    while left != Some(0) {
        while gathered.len() >= LEN && left != Some(0) {
            let message: Vec<u8> = gathered.drain(..LEN).collect();
            common::report(String::from_utf8_lossy(&message))?;
            left = left.map(|n| n - 1);
        }
        if left == Some(0) {
            break;
        }
        let mut buffer = [0; 32];
        match pipein.read(&mut buffer)? {
            0 => return Ok(()), // end-of-file
            n => gathered.extend_from_slice(&buffer[..n]),
        }
    }
    Ok(())
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
