//! pipe2.py in Rust, standing alone: std and nix, no options.
//! Unix only, as os.fork is (on Windows: pipe_thread_plain).

use nix::unistd::{ForkResult, fork, pipe};
use std::io::{self, BufRead, BufReader, Write};
use std::time::{Duration, UNIX_EPOCH};
use std::{fs::File, process, thread::sleep};

fn child(mut pipeout: File) -> io::Result<()> {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz)); // make parent wait
        let msg = format!("Spam {zzz:03}\n"); // a newline ends it
        pipeout.write_all(msg.as_bytes())?; // send to parent
        zzz = (zzz + 1) % 5; // roll to 0 at 5
    }
}

fn parent() -> io::Result<()> {
    let (pipein, pipeout) = pipe()?; // make 2-ended pipe
    // SAFETY: no thread was started, so the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }? {
        drop(pipein); // close input side here
        child(File::from(pipeout))
    } else {
        drop(pipeout); // close output side here
        let pipein = BufReader::new(File::from(pipein)); // fdopen
        for line in pipein.lines() {
            // line? blocks until a whole line is sent
            let now = UNIX_EPOCH.elapsed().unwrap_or_default();
            let (pid, time) = (process::id(), now.as_secs_f64());
            println!("Parent {pid} got [{}] at {time:.2}", line?);
        }
        Ok(()) // end-of-file: the child has closed its end
    }
}

fn main() -> io::Result<()> {
    parent()
}
