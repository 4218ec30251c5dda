//! Exercise "Closing without framing": pipe1 (no framing) with pipe2's
//! one lesson applied. The reads still clump, but now the parent sees
//! end-of-file, so it needs no byte count to know when to stop.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, Read, Write},
    },
};

// ANCHOR: solution
#[cfg(unix)]
fn parent(opts: common::Unframed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Child(_) => {
            drop(pipein); // no read end left here: a dead parent means EPIPE
            let mut pipeout = File::from(pipeout);
            common::send_messages(&opts.run, |msg| {
                pipeout.write_all(msg.as_bytes())
            })
        }
        Fork::Parent(child) => {
            drop(pipeout); // the child's end is the only write end left
            let mut pipein = File::from(pipein);
            let mut buffer = vec![0; opts.read_size as usize];
            loop {
                let n = pipein.read(&mut buffer)?;
                if n == 0 {
                    break; // end-of-file: no byte count needed
                }
                common::report(common::bytes_literal(
                    &buffer[..n],
                ))?;
            }
            child.wait()
        }
    }
}
// ANCHOR_END: solution

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let about = "pipe1 with the unused pipe ends closed: it sees end-of-file";
    common::main("pipe2_unframed", about, parent)
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    common::main(
        "pipe2_unframed",
        "",
        common::run::no_fork::<common::Unframed>,
    )
}
