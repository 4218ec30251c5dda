//! A right attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: std's own pipe (`std::io::pipe`), and nix's fork.
//! `tests/exercises/right_attempts.rs` checks that it passes.

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    use nix::unistd::{ForkResult, fork};
    use std::io::{Read, Write};
    use std::time::{Duration, UNIX_EPOCH};
    use std::{process, thread::sleep};
    let (mut pipein, mut pipeout) = std::io::pipe()?;
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        let mut zzz = 0;
        loop {
            sleep(Duration::from_secs(zzz));
            pipeout
                .write_all(format!("Spam {zzz:03}").as_bytes())?;
            zzz = (zzz + 1) % 5;
        }
    }
    let mut buf = [0; 32];
    loop {
        let n = pipein.read(&mut buf)?;
        let line = buf[..n].escape_ascii();
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
    }
}
