//! A wrong attempt at the exercise "Put the messages back together",
//! kept for the tests: each line shows the time of the book's run, not
//! the time it is printed. `tests/exercises/wrong_attempts.rs` checks the verdict.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, Write},
    },
};

// ANCHOR: read_messages
/// Read `count` messages from the pipe, and print each one whole.
#[cfg(unix)]
fn read_messages(
    mut pipein: File,
    count: Option<u64>,
) -> io::Result<()> {
    use std::io::Read; // read_exact
    let mut message = [0; common::schedule::MESSAGE_LEN as usize];
    let pid = std::process::id();
    for _ in common::schedule::zzz_values(count) {
        pipein.read_exact(&mut message)?;
        let data = String::from_utf8_lossy(&message);
        // <- the mistake: a time copied from the book
        let line =
            format!("Parent {pid} got [{data}] at 1267997789.33\n");
        common::report::write_stdout(line.as_bytes())?;
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
