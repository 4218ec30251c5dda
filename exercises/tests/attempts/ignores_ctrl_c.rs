//! A wrong attempt, for the checker's own tests: pipe1's first three lines,
//! at the book's times (0, 1 and 3 s), from one process that ignores Ctrl-C (SIGINT), then
//! nothing, for ever.

#[cfg(unix)]
fn main() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: SIG_IGN installs no handler.
    unsafe { signal(Signal::SIGINT, SigHandler::SigIgn) }.expect("ignore SIGINT");
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
