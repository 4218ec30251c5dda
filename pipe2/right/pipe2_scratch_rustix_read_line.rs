//! A right attempt at the exercise "pipe2.py from scratch", kept for
//! the tests: rustix's pipe, nix's fork, and `read_line` into one
//! String, cleared each time. `tests/exercises/right_attempts.rs` checks that
//! it passes.

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    use nix::unistd::{ForkResult, fork};
    use std::io::{BufRead, BufReader, Write};
    use std::time::{Duration, UNIX_EPOCH};
    use std::{fs::File, process, thread::sleep};
    let (pipein, pipeout) = rustix::pipe::pipe()?;
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        drop(pipein);
        let mut pipeout = File::from(pipeout);
        let mut zzz = 0;
        loop {
            sleep(Duration::from_secs(zzz));
            pipeout
                .write_all(format!("Spam {zzz:03}\n").as_bytes())?;
            zzz = (zzz + 1) % 5;
        }
    }
    drop(pipeout);
    let mut pipein = BufReader::new(File::from(pipein));
    let mut line = String::new();
    while pipein.read_line(&mut line)? > 0 {
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        let message = line.trim_end_matches('\n');
        println!("Parent {pid} got [{message}] at {time:.2}");
        line.clear();
    }
    Ok(())
}
