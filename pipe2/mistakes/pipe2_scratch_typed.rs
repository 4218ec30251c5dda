//! A wrong attempt at the exercise "pipe2.py from scratch", kept for
//! the tests: a pipe, a forked child, each process closes the end it
//! does not use; but the child never writes, and the parent prints the
//! messages typed in, on the book's schedule.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    use nix::unistd::{ForkResult, fork, pipe};
    use std::time::{Duration, UNIX_EPOCH};
    use std::{process, thread::sleep};
    let (pipein, pipeout) = pipe()?;
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        drop(pipein);
        let _pipeout = pipeout; // kept, never written
        loop {
            sleep(Duration::from_secs(60));
        }
    }
    drop(pipeout);
    let _pipein = pipein; // kept, never read
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz));
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [Spam {zzz:03}] at {time:.2}");
        zzz = (zzz + 1) % 5;
    }
}
