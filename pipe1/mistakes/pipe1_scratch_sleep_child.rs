//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: pipe1_plain whose child is the `sleep` command, started
//! to look like a writer, with no pipe; the parent prints the
//! messages typed in, on the book's schedule.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use std::io;
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread::sleep};

fn parent() -> io::Result<()> {
    // <- the mistake: the child is the sleep command, not a copy
    let _child =
        process::Command::new("sleep").arg("600").spawn()?;
    let mut zzz = 0;
    loop {
        // <- the messages typed in, on the book's schedule
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        let line = msg.escape_default(); // shown as b"..."
        zzz = (zzz + 1) % 5; // goto 0 after 4
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
    }
}

fn main() -> io::Result<()> {
    parent()
}
