//! Exercise "Frame by length": pipe2 with a length byte before each message
//! instead of a newline after it. The message may then hold any byte at all,
//! newlines included.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, BufReader, Read, Write},
    },
};

#[cfg(unix)]
fn parent(opts: common::Framed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        // ANCHOR: parent
        Fork::Parent(child) => {
            drop(pipeout);
            let mut pipein = BufReader::new(File::from(pipein));
            let mut length = [0; 1];
            while pipein.read(&mut length)? == 1 {
                let mut message = vec![0; usize::from(length[0])];
                pipein.read_exact(&mut message)?; // the whole message, however it was split
                common::report(String::from_utf8_lossy(&message))?;
            }
            child.wait()
        }
        // ANCHOR_END: parent
        Fork::Child(_) => {
            drop(pipein);
            let mut pipeout = File::from(pipeout);
            // ANCHOR: child
            common::send_messages(&opts.run, |msg| {
                let length = u8::try_from(msg.len())
                    .expect("a message fits a one-byte length");
                pipeout.write_all(
                    &[&[length], msg.as_bytes()].concat(),
                ) // still one write
            })
            // ANCHOR_END: child
        }
    }
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let about =
        "pipe2 with length-prefixed frames instead of newlines";
    common::main("pipe2_length_prefix", about, parent)
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    common::main(
        "pipe2_length_prefix",
        "",
        common::run::no_fork::<common::Framed>,
    )
}
