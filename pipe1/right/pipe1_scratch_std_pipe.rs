//! A right attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: pipe1_plain with std's own pipe (`std::io::pipe`) in
//! place of nix's, and nix's fork.
//! `tests/exercises/right_attempts.rs` checks that it passes.

use nix::unistd::{ForkResult, fork};
use std::io::{self, PipeWriter, Read, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread::sleep};

fn child(mut pipeout: PipeWriter) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz = (zzz + 1) % 5; // goto 0 after 4
    }
}

fn parent() -> io::Result<()> {
    let (mut pipein, pipeout) = io::pipe()?; // <- std's pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        child(pipeout) // in copy, run child
    } else {
        let mut buf = [0; 32];
        loop {
            // os.read(pipein, 32): blocks until data sent
            let n = pipein.read(&mut buf)?;
            let line = buf[..n].escape_ascii(); // shown as b"..."
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
        }
    }
}

fn main() -> io::Result<()> {
    parent()
}
