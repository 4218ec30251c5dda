//! A right attempt at the exercise "pipe2.py from scratch", kept for
//! the tests: plumbing as a shell does it. The child's stdout becomes
//! the pipe's write end, the parent's stdin its read end (`dup2`), and
//! the original descriptors are closed: each process holds one end, at
//! fd 1 or fd 0. `tests/exercises/right_attempts.rs` checks that it passes.

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    use nix::unistd::{
        ForkResult, dup2_stdin, dup2_stdout, fork, pipe,
    };
    use std::time::{Duration, UNIX_EPOCH};
    use std::{process, thread::sleep};
    let (pipein, pipeout) = pipe()?;
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        dup2_stdout(&pipeout)?; // stdout is the pipe now
        drop((pipein, pipeout));
        let mut zzz = 0;
        loop {
            sleep(Duration::from_secs(zzz));
            println!("Spam {zzz:03}"); // one line, one write
            zzz = (zzz + 1) % 5;
        }
    }
    dup2_stdin(&pipein)?; // stdin is the pipe now
    drop((pipein, pipeout));
    for line in std::io::stdin().lines() {
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [{}] at {time:.2}", line?);
    }
    Ok(())
}
