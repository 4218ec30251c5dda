//! A right attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: the main thread starts a writer thread and a reader
//! thread, and waits for both. Three threads, not pipe-thread.py's
//! two, and the same pipe between them: `tests/exercises/right_attempts.rs`
//! checks that it passes.

use std::io::{Read, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread, thread::sleep};

fn main() -> std::io::Result<()> {
    let (mut pipein, mut pipeout) = os_pipe::pipe()?;
    let writer = thread::spawn(move || -> std::io::Result<()> {
        let mut zzz = 0;
        loop {
            sleep(Duration::from_secs(zzz));
            pipeout
                .write_all(format!("Spam {zzz:03}").as_bytes())?;
            zzz = (zzz + 1) % 5;
        }
    });
    let reader = thread::spawn(move || -> std::io::Result<()> {
        let mut buf = [0; 32];
        loop {
            let n = pipein.read(&mut buf)?;
            let line = buf[..n].escape_ascii();
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
        }
    });
    for thread in [writer, reader] {
        thread.join().map_err(|_| {
            std::io::Error::other("a thread panicked")
        })??;
    }
    Ok(())
}
