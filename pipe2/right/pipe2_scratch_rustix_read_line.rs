//! A right attempt at the exercise "pipe2.py from scratch", kept for
//! the tests: pipe2_plain with rustix's pipe, nix's fork, and
//! `read_line` into one String, cleared each time.
//! `tests/exercises/right_attempts.rs` checks that it passes.

use nix::unistd::{ForkResult, fork};
use rustix::pipe::pipe;
use std::io::{self, BufRead, BufReader, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{fs::File, process, thread::sleep};

fn child(mut pipeout: File) -> io::Result<()> {
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
        drop(pipein); // close input side here
        child(File::from(pipeout))
    } else {
        drop(pipeout); // close output side here
        let mut pipein = BufReader::new(File::from(pipein)); // fdopen
        let mut line = String::new(); // <- one String, reused
        while pipein.read_line(&mut line)? > 0 {
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            let message = line.trim_end_matches('\n');
            println!("Parent {pid} got [{message}] at {time:.2}");
            line.clear();
        }
        Ok(()) // end-of-file: the child has closed its end
    }
}

fn main() -> io::Result<()> {
    parent()
}
