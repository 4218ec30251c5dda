//! A wrong attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: pipe_thread_plain whose writer thread sends every
//! message into the pipe, a reader thread reads them and throws them
//! away, and the main thread prints the messages typed in, on the
//! book's schedule. `tests/exercises/wrong_attempts.rs` checks the verdict.

use os_pipe::{PipeReader, PipeWriter, pipe};
use std::io::{self, Read, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread, thread::sleep};

fn child(mut pipeout: PipeWriter) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz = (zzz + 1) % 5; // goto 0 after 4
    }
}

fn reader(mut pipein: PipeReader) -> io::Result<()> {
    let mut buf = [0; 32];
    while pipein.read(&mut buf)? > 0 {} // <- read, thrown away
    Ok(())
}

fn parent() -> io::Result<()> {
    let mut zzz = 0;
    loop {
        // <- the messages typed in, on the writer's schedule
        sleep(Duration::from_secs(zzz));
        let line = format!("Spam {zzz:03}");
        zzz = (zzz + 1) % 5;
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
    }
}

fn main() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?;
    thread::spawn(move || child(pipeout)); // Thread(...).start()
    thread::spawn(move || reader(pipein)); // <- the mistake
    parent()
}
