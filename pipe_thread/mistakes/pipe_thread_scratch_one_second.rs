//! A wrong attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: pipe_thread_plain with the writer's schedule wrong,
//! one second before each message, and no way back to 000.
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

use os_pipe::{PipeReader, PipeWriter, pipe};
use std::io::{self, Read, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread, thread::sleep};

fn child(mut pipeout: PipeWriter) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(1)); // <- the mistake: always 1 s
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz += 1; // <- and no % 5
    }
}

fn parent(mut pipein: PipeReader) -> io::Result<()> {
    let mut buf = [0; 32];
    loop {
        let n = pipein.read(&mut buf)?; // blocks until data sent
        let line = buf[..n].escape_ascii(); // shown as b"..."
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
    }
}

fn main() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?;
    thread::spawn(move || child(pipeout)); // Thread(...).start()
    parent(pipein)
}
