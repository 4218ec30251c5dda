//! A wrong attempt at the exercise "pipe2.py from scratch", kept for
//! the tests: pipe2_plain without the framing. The parent reads up to
//! 32 bytes at a time, as pipe1 does, and trims the newline: a line
//! a message, as long as each read returns one message.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

#[cfg(unix)] // fork exists on Unix only, as os.fork does
use {
    nix::unistd::{ForkResult, fork, pipe},
    std::io::{self, Read, Write},
    std::time::{Duration, UNIX_EPOCH},
    std::{fs::File, process, thread::sleep},
};

#[cfg(unix)]
fn child(mut pipeout: File) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}\n"); // a newline ends it
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz = (zzz + 1) % 5; // roll to 0 at 5
    }
}

#[cfg(unix)]
fn parent() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?; // make 2-ended pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        drop(pipein); // close input side here
        child(File::from(pipeout))
    } else {
        drop(pipeout); // close output side here
        let mut pipein = File::from(pipein); // <- no BufReader
        let mut buf = [0; 32];
        loop {
            let n = pipein.read(&mut buf)?; // <- the mistake
            if n == 0 {
                return Ok(()); // end-of-file
            }
            let line = String::from_utf8_lossy(&buf[..n]);
            let line = line.trim_end_matches('\n');
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            println!("Parent {pid} got [{line}] at {time:.2}");
        }
    }
}

#[cfg(unix)]
fn main() -> io::Result<()> {
    parent()
}
