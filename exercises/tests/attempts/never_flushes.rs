//! A wrong attempt, for the checker's own tests: pipe1 whose child writes
//! into a `BufWriter` and never flushes it, so that no byte reaches the
//! pipe; the child sleeps, the parent waits in its read, for ever.

#[cfg(unix)]
fn main() {
    use nix::unistd::{ForkResult, fork, pipe};
    use std::io::{BufWriter, Read, Write};
    let (pipein, pipeout) = pipe().expect("pipe");
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            drop(pipein);
            let mut pipeout = BufWriter::new(std::fs::File::from(pipeout));
            for zzz in 0..5 {
                write!(pipeout, "Spam {zzz:03}").expect("into the buffer");
            }
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
        ForkResult::Parent { .. } => {
            drop(pipeout); // the child's is the only write end
            let mut pipein = std::fs::File::from(pipein);
            let mut buffer = [0; 32];
            loop {
                let n = pipein.read(&mut buffer).expect("read");
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
                let now = now.unwrap().as_secs_f64();
                let data = buffer[..n].escape_ascii();
                println!("Parent {} got [b\"{data}\"] at {now:.2}", std::process::id());
            }
        }
    }
}
