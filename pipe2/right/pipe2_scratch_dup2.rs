//! A right attempt at the exercise "pipe2.py from scratch", kept for
//! the tests: pipe2_plain plumbed as a shell does it. The child's
//! stdout becomes the pipe's write end, the parent's stdin its read
//! end (`dup2`), and the original descriptors are closed: each process
//! holds one end, at fd 1 or fd 0.
//! `tests/exercises/right_attempts.rs` checks that it passes.

use nix::unistd::{self, ForkResult, fork, pipe};
use std::io::{self, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread::sleep};

fn child(mut pipeout: io::Stdout) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}\n"); // a newline ends it
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz = (zzz + 1) % 5; // roll to 0 at 5
    }
}

fn parent() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?; // make 2-ended pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        unistd::dup2_stdout(&pipeout)?; // <- stdout is the pipe now
        drop(pipein); // close input side here
        drop(pipeout); // <- and the original: fd 1 is the pipe
        child(io::stdout())
    } else {
        unistd::dup2_stdin(&pipein)?; // <- stdin is the pipe now
        drop(pipeout); // close output side here
        drop(pipein); // <- and the original: fd 0 is the pipe
        for line in io::stdin().lines() {
            // line? blocks until a whole line is sent
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            println!("Parent {pid} got [{}] at {time:.2}", line?);
        }
        Ok(()) // end-of-file: the child has closed its end
    }
}

fn main() -> io::Result<()> {
    parent()
}
