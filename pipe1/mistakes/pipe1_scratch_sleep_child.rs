//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: the child is the `sleep` command, started to look like a
//! writer; the parent prints the messages typed in, on the book's
//! schedule. `tests/exercises/wrong_attempts.rs` checks the verdict.

fn main() -> std::io::Result<()> {
    use std::time::{Duration, UNIX_EPOCH};
    use std::{process, thread::sleep};
    let _child =
        process::Command::new("sleep").arg("600").spawn()?;
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
