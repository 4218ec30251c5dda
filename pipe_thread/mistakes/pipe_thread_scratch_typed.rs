//! A wrong attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: a pipe and a thread that holds its write end but
//! never writes; the main thread prints the messages typed in, on the
//! book's schedule. `tests/exercises/wrong_attempts.rs` checks the verdict.

use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread, thread::sleep};

fn main() -> std::io::Result<()> {
    let (_pipein, pipeout) = os_pipe::pipe()?;
    thread::spawn(move || {
        let _pipeout = pipeout; // held, never written
        loop {
            sleep(Duration::from_secs(60));
        }
    });
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
