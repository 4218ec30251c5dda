//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: pipe1_plain with no pipe at all. A forked child keeps
//! the schedule, to look like a writer, and sends nothing; the
//! parent prints the messages typed in, on the book's schedule.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use nix::unistd::{ForkResult, fork};
use std::io;
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread::sleep};

fn child() -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        drop(msg); // <- the mistake: no pipe to send it into
        zzz = (zzz + 1) % 5; // goto 0 after 4
    }
}

fn parent() -> io::Result<()> {
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        child() // in copy, run child
    } else {
        let mut zzz = 0;
        loop {
            // <- the messages typed in, on the book's schedule
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
