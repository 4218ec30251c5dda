//! pipe2 with one line left out: the parent's `drop(pipeout)`. What
//! happens then is the exercise "Forget to close"
//! (`pipe2/exercises/pipe2_predict.rs`): predict it before you run this.

use common::fork::{Fork, fork};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

fn parent(opts: common::Framed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Parent(child) => {
            // drop(pipeout);  <- left out: the parent keeps its write end
            opts.run.show_fds("parent", &pipein)?; // --show-fds
            let pipein = BufReader::new(File::from(pipein));
            for line in pipein.lines() {
                common::report(line?)?;
            }
            child.wait()
        }
        Fork::Child(_) => {
            drop(pipein);
            let mut pipeout = File::from(pipeout);
            common::send_messages(&opts.run, |msg| {
                pipeout.write_all(format!("{msg}\n").as_bytes())
            })
        }
    }
}

fn main() -> std::process::ExitCode {
    let about = "pipe2 without the parent's drop(pipeout)";
    common::main("pipe2_forgets_close", about, parent)
}
