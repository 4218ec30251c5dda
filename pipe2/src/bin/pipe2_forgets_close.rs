//! Exercise "Forget to close": pipe2 with one line left out. The parent keeps
//! its copy of the write end, so the pipe never reports end-of-file: after
//! the last message the parent waits forever. Stop it with Ctrl-C.

#[cfg(unix)]
use {
    common::fork::{Fork, fork},
    std::{
        fs::File,
        io::{self, BufRead, BufReader, Write},
    },
};

#[cfg(unix)]
fn parent(opts: common::Framed) -> io::Result<()> {
    let (pipein, pipeout) = nix::unistd::pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        // ANCHOR: solution
        Fork::Parent(child) => {
            // drop(pipeout);  <- forgotten: this process still holds a write end
            opts.run.show_fds("parent", &pipein)?; // --show-fds: both ends, alas
            let pipein = BufReader::new(File::from(pipein));
            for line in pipein.lines() {
                common::report(line?)?; // after the last message: blocks forever
            }
            child.wait() // never reached
        }
        // ANCHOR_END: solution
        Fork::Child(_) => {
            drop(pipein);
            let mut pipeout = File::from(pipeout);
            common::send_messages(&opts.run, |msg| {
                pipeout.write_all(format!("{msg}\n").as_bytes())
            })
        }
    }
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    let about = "pipe2 without drop(pipeout): it hangs after the last message";
    common::main("pipe2_forgets_close", about, parent)
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    common::main(
        "pipe2_forgets_close",
        "",
        common::run::no_fork::<common::Framed>,
    )
}
