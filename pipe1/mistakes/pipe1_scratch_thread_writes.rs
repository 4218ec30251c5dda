//! A wrong attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: the messages go through the pipe, but a thread of the
//! parent writes them; the forked child closes the pipe and writes its
//! messages to /dev/null. `tests/exercises/wrong_attempts.rs` checks that the
//! verdict says the child holds no write end of the pipe.

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    use nix::unistd::{ForkResult, fork, pipe};
    use std::io::{Read, Write};
    use std::time::{Duration, UNIX_EPOCH};
    use std::{fs::File, process, thread, thread::sleep};
    let send = |mut out: File| -> std::io::Result<()> {
        let mut zzz = 0;
        loop {
            sleep(Duration::from_secs(zzz));
            out.write_all(format!("Spam {zzz:03}").as_bytes())?;
            zzz = (zzz + 1) % 5;
        }
    };
    let (pipein, pipeout) = pipe()?;
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        drop((pipein, pipeout)); // <- the child does not use the pipe
        return send(File::create("/dev/null")?);
    }
    thread::spawn(move || send(File::from(pipeout))); // <- the writer
    let mut pipein = File::from(pipein);
    let mut buf = [0; 32];
    loop {
        let n = pipein.read(&mut buf)?;
        let line = buf[..n].escape_ascii();
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
    }
}
