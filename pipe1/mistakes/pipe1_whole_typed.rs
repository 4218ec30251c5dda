//! A wrong attempt at the exercise "Put the messages back together",
//! kept for the tests: `read_messages` never reads the pipe; it prints
//! the messages it knows will come, typed in. Its output is right, to
//! the byte; `tests/exercises/wrong_attempts.rs` checks that the verdict says the
//! parent never read them from the pipe.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, Write},
    },
};

// ANCHOR: read_messages
/// Print the messages the child sends, without reading them.
#[cfg(unix)]
fn read_messages(
    _pipein: File,
    count: Option<u64>,
) -> io::Result<()> {
    for zzz in common::schedule::zzz_values(count) {
        common::report(common::message(zzz))?; // typed in
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
