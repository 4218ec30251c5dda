//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: no pipe at all. A forked child only sleeps, to look like
//! a writer; the parent prints the messages typed in, on the book's
//! schedule. `tests/exercises/wrong_attempts.rs` checks the verdict.

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    use nix::unistd::{ForkResult, fork};
    use std::time::{Duration, UNIX_EPOCH};
    use std::{process, thread::sleep};
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        loop {
            sleep(Duration::from_secs(60)); // an idle child
        }
    }
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz));
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!(
            "Parent {pid} got [b\"Spam {zzz:03}\"] at {time:.2}"
        );
        zzz = (zzz + 1) % 5;
    }
}
