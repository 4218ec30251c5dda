//! Exercise "Put the messages back together": pipe1's child, unchanged, and a
//! parent that prints one whole message a line all the same.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, Read, Write},
    },
};

#[cfg(unix)]
fn parent(opts: common::Unframed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        // ANCHOR: solution
        Fork::Parent(child) => {
            // Every message is 8 bytes long: the length is the frame.
            // read_exact calls read again and again until it has all 8.
            let mut pipein = File::from(pipein);
            let mut message =
                [0; common::schedule::MESSAGE_LEN as usize];
            for _ in common::schedule::zzz_values(opts.run.count) {
                pipein.read_exact(&mut message)?;
                common::report(String::from_utf8_lossy(&message))?;
            }
            child.wait()
        }
        // ANCHOR_END: solution
        Fork::Child(parent) => {
            parent.die_with_parent()?;
            let mut pipeout = File::from(pipeout);
            common::send_messages(&opts.run, |msg| {
                pipeout.write_all(msg.as_bytes())
            })
        }
    }
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let about =
        "pipe1 with a parent that reads whole 8-byte messages";
    common::main("pipe1_whole", about, parent)
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    common::main(
        "pipe1_whole",
        "",
        common::run::no_fork::<common::Unframed>,
    )
}
