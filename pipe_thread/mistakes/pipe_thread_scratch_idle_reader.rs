//! A wrong attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: a writer thread sends every message into the pipe, a
//! reader thread reads them and throws them away, and the main thread
//! prints the messages typed in, on the book's schedule.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use std::io::{Read, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread, thread::sleep};

fn main() -> std::io::Result<()> {
    let (mut pipein, mut pipeout) = os_pipe::pipe()?;
    thread::spawn(move || -> std::io::Result<()> {
        let mut zzz = 0;
        loop {
            sleep(Duration::from_secs(zzz));
            pipeout
                .write_all(format!("Spam {zzz:03}").as_bytes())?;
            zzz = (zzz + 1) % 5;
        }
    });
    thread::spawn(move || -> std::io::Result<()> {
        let mut buf = [0; 32];
        while pipein.read(&mut buf)? > 0 {} // read, thrown away
        Ok(())
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
