//! Exercise "pipe1.py from scratch": pipe1 chapter; harder, about 40
//! minutes.
//!
//! Write the book's pipe1.py (`python/pipe1.py`) in Rust, in this file,
//! without looking back at the chapter: a parent makes a pipe and
//! forks; the child writes `Spam 000`, `Spam 001`, ... after sleeping
//! 0, 1, 2, 3, 4, 0, ... seconds; the parent reads up to 32 bytes at a
//! time, forever, and prints each read as
//!
//!     Parent <its pid> got [b"Spam 000"] at <seconds since 1970, 2 decimals>
//!
//! with the bytes as a Rust byte string (`<[u8]>::escape_ascii`). No
//! options: it runs until Ctrl-C, as the Python does. You have std,
//! and nix for the one call std lacks, `nix::unistd::fork` (the pipe: `std::io::pipe`).
//!
//!     cargo run -q -p pipe1 --bin pipe1_scratch
//!     cargo run -q -p exercises -- check pipe1_scratch

fn main() {
    todo!("pipe1.py in Rust: replace this line with your program")
}
