//! A right attempt at the exercise "pipe1.py from scratch", kept for
//! the tests: the C library's `pipe`, `fork`, `read` and `write`,
//! declared by hand (`extern "C"`), no crate at all. Unusual, and
//! right: `tests/exercises/right_attempts.rs` checks that it passes.

#[cfg(unix)]
unsafe extern "C" {
    fn pipe(fds: *mut i32) -> i32;
    fn fork() -> i32;
    fn read(fd: i32, buffer: *mut u8, count: usize) -> isize;
    fn write(fd: i32, buffer: *const u8, count: usize) -> isize;
}

#[cfg(unix)]
fn main() {
    use std::time::{Duration, UNIX_EPOCH};
    use std::{process, thread::sleep};
    let mut fds = [0; 2];
    // SAFETY: pipe writes two descriptors into an array of two.
    if unsafe { pipe(fds.as_mut_ptr()) } != 0 {
        eprintln!("pipe failed");
        process::exit(1);
    }
    let [pipein, pipeout] = fds;
    // SAFETY: no thread was started, so the child is a whole copy.
    match unsafe { fork() } {
        -1 => {
            eprintln!("fork failed");
            process::exit(1);
        }
        0 => {
            let mut zzz = 0;
            loop {
                sleep(Duration::from_secs(zzz));
                let msg = format!("Spam {zzz:03}");
                // SAFETY: the buffer holds msg.len() bytes.
                if unsafe {
                    write(pipeout, msg.as_ptr(), msg.len())
                } < 0
                {
                    process::exit(1);
                }
                zzz = (zzz + 1) % 5;
            }
        }
        _ => {
            let mut buf = [0u8; 32];
            loop {
                // SAFETY: the buffer has room for 32 bytes.
                let n =
                    unsafe { read(pipein, buf.as_mut_ptr(), 32) };
                let Ok(n) = usize::try_from(n) else {
                    process::exit(1)
                };
                let line = buf[..n].escape_ascii();
                let now = UNIX_EPOCH.elapsed().unwrap_or_default();
                let (pid, time) =
                    (process::id(), now.as_secs_f64());
                println!(
                    "Parent {pid} got [b\"{line}\"] at {time:.2}"
                );
            }
        }
    }
}
