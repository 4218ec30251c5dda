//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: pipe1_plain whose count never goes back to 000 (its
//! sleeps are right: 0, 1, 2, 3, 4, 0, ... seconds).
//! `tests/exercises/wrong_attempts.rs` checks the verdict.

#[cfg(unix)] // fork exists on Unix only, as os.fork does
use {
    nix::unistd::{ForkResult, fork, pipe},
    std::io::{self, Read, Write},
    std::time::{Duration, UNIX_EPOCH},
    std::{fs::File, process, thread::sleep},
};

#[cfg(unix)]
fn child(mut pipeout: File) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz % 5)); // make parent wait
        let msg = format!("Spam {zzz:03}"); // 'Spam %03d' % zzz
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz += 1; // <- the mistake: no % 5
    }
}

#[cfg(unix)]
fn parent() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?; // make 2-ended pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        child(File::from(pipeout)) // in copy, run child
    } else {
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

#[cfg(unix)]
fn main() -> io::Result<()> {
    parent()
}
