//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: pipe1_plain with a pipe and a forked child, but the
//! child never writes into it; the parent prints the messages typed
//! in, on the book's schedule.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use nix::unistd::{ForkResult, fork, pipe};
use std::io;
use std::time::{Duration, UNIX_EPOCH};
use std::{fs::File, process, thread::sleep};

fn child(_pipeout: File) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        drop(msg); // <- the mistake: holds the pipe, writes nothing
        zzz = (zzz + 1) % 5; // goto 0 after 4
    }
}

fn parent() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?; // make 2-ended pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        child(File::from(pipeout)) // in copy, run child
    } else {
        let _pipein = File::from(pipein); // in parent, never read
        let mut zzz = 0;
        loop {
            // <- the messages typed in, on the child's schedule
            sleep(Duration::from_secs(zzz));
            let line = format!("Spam {zzz:03}");
            zzz = (zzz + 1) % 5;
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
        }
    }
}

fn main() -> io::Result<()> {
    parent()
}
