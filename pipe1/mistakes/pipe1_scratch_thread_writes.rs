//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: pipe1_plain whose messages go through the pipe, but a
//! thread of the parent writes them; the forked child closes the pipe
//! and writes its messages to /dev/null.
//! `tests/exercises/wrong_attempts.rs` checks that the verdict says
//! the child holds no write end of the pipe.

use nix::unistd::{ForkResult, fork, pipe};
use std::io::{self, Read, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{fs::File, process, thread, thread::sleep};

fn child(mut pipeout: File) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz = (zzz + 1) % 5; // goto 0 after 4
    }
}

fn parent() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?; // make 2-ended pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        drop((pipein, pipeout)); // <- the child drops the pipe
        child(File::create("/dev/null")?) // <- and writes elsewhere
    } else {
        // <- the mistake: a thread of the parent writes
        thread::spawn(move || child(File::from(pipeout)));
        let mut pipein = File::from(pipein); // in parent, listen
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
