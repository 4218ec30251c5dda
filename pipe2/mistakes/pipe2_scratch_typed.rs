//! A wrong attempt at the exercise "pipe2.py from scratch", kept for
//! the tests: pipe2_plain with a pipe, a forked child, each process
//! closing the end it does not use; but the child never writes, and
//! the parent prints the messages typed in, on the book's schedule.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use nix::unistd::{ForkResult, fork, pipe};
use std::io;
use std::time::{Duration, UNIX_EPOCH};
use std::{fs::File, process, thread::sleep};

fn child(_pipeout: File) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}\n"); // a newline ends it
        drop(msg); // <- the mistake: holds its end, writes nothing
        zzz = (zzz + 1) % 5; // roll to 0 at 5
    }
}

fn parent() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?; // make 2-ended pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        drop(pipein); // close input side here
        child(File::from(pipeout))
    } else {
        drop(pipeout); // close output side here
        let _pipein = File::from(pipein); // kept, never read
        let mut zzz = 0;
        loop {
            // <- the messages typed in, on the child's schedule
            sleep(Duration::from_secs(zzz));
            let line = format!("Spam {zzz:03}");
            zzz = (zzz + 1) % 5;
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            println!("Parent {pid} got [{}] at {time:.2}", line);
        }
    }
}

fn main() -> io::Result<()> {
    parent()
}
