//! Exercise "pipe-thread.py from scratch": pipe_thread chapter;
//! harder, about 30 minutes.
//!
//! Write the book's pipe-thread.py (`python/pipe-thread.py`) in Rust,
//! in this file, without looking back at the chapter: one process
//! makes a pipe and starts a thread that writes `Spam 000`, `Spam 001`,
//! ... after sleeping 0, 1, 2, 3, 4, 0, ... seconds; the main thread
//! reads up to 32 bytes at a time, forever, and prints each read as
//!
//!     Parent <its pid> got [b"Spam 000"] at <seconds since 1970, 2 decimals>
//!
//! with the bytes as a Rust byte string (`<[u8]>::escape_ascii`). No
//! options: it runs until Ctrl-C, as the Python does. You have std,
//! and the crate os_pipe for the pipe (`os_pipe::pipe`).
//!
//!     cargo run -q -p pipe_thread --bin pipe_thread_scratch
//!     cargo run -q -p exercises -- check pipe_thread_scratch

fn main() {
    todo!(
        "pipe-thread.py in Rust: replace this line with your program"
    )
}
