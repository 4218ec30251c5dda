//! A wrong attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: pipe_thread_plain with an mpsc channel instead of a
//! pipe. Its output is right; `tests/exercises/wrong_attempts.rs`
//! checks that the verdict says no pipe carried it.

use std::io;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread, thread::sleep};

fn child(pipeout: Sender<Vec<u8>>) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        let sent = pipeout.send(msg.into_bytes()); // send to parent
        sent.map_err(io::Error::other)?;
        zzz = (zzz + 1) % 5; // goto 0 after 4
    }
}

fn parent(pipein: Receiver<Vec<u8>>) -> io::Result<()> {
    loop {
        let msg = pipein.recv().map_err(io::Error::other)?;
        let line = msg.escape_ascii(); // shown as b"..."
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
    }
}

fn main() -> io::Result<()> {
    let (pipeout, pipein) = channel(); // <- the mistake
    thread::spawn(move || child(pipeout)); // Thread(...).start()
    parent(pipein)
}
