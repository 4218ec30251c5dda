//! A wrong attempt, for the checker's own tests: a parent prints pipe1's
//! first three lines, at the book's times (0, 1 and 3 s), and forks a child that leaves the
//! process group (`setsid`), so that Ctrl-C never reaches it, and sleeps,
//! holding stdout open. If `ESCAPEE_PID_FILE` is set, the child writes its
//! pid there, for the test to look for it. (It ends after 30 seconds, so
//! that a checker that fails to stop it leaves it behind for no longer.)

#[cfg(unix)]
fn main() {
    use nix::unistd::{ForkResult, fork, pipe, setsid};
    use std::io::Read;
    // The parent prints once the child has left: it waits for end-of-file.
    let (left, has_left) = pipe().expect("pipe");
    // SAFETY: no thread has been started: the child is a whole copy.
    if let ForkResult::Child = unsafe { fork() }.expect("fork") {
        drop(left);
        setsid().expect("setsid");
        if let Some(file) = std::env::var_os("ESCAPEE_PID_FILE") {
            std::fs::write(file, std::process::id().to_string()).expect("the pid file");
        }
        drop(has_left);
        std::thread::sleep(std::time::Duration::from_secs(30));
        std::process::exit(0);
    }
    drop(has_left);
    let _ = std::fs::File::from(left).read(&mut [0]);
    println!("{}", line("Spam 000"));
    std::thread::sleep(std::time::Duration::from_secs(1));
    println!("{}", line("Spam 001"));
    std::thread::sleep(std::time::Duration::from_secs(2));
    println!("{}", line("Spam 002"));
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// `Parent <pid> got [b"<data>"] at <seconds>`.
#[cfg(unix)]
fn line(data: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    format!("Parent {} got [b\"{data}\"] at {:.2}", std::process::id(), now.as_secs_f64())
}
