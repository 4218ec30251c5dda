//! A right attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: pipe_thread_plain whose main thread starts a writer
//! thread and a reader thread, and waits for both. Three threads, not
//! pipe-thread.py's two, and the same pipe between them:
//! `tests/exercises/right_attempts.rs` checks that it passes.

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
    let writer = thread::spawn(move || child(pipeout));
    let reader = thread::spawn(move || parent(pipein)); // <-
    for thread in [writer, reader] {
        let joined = thread.join(); // <- the main thread waits
        joined
            .map_err(|_| io::Error::other("a thread panicked"))??;
    }
    Ok(())
}
