//! Exercise "pipe2.py from scratch": pipe2 chapter; harder, about 40
//! minutes.
//!
//! Write the book's pipe2.py (`python/pipe2.py`) in Rust, in this file,
//! without looking back at the chapter: a parent makes a pipe and
//! forks; each process closes the end it does not use; the child
//! writes `Spam 000\n`, `Spam 001\n`, ... after sleeping 0, 1, 2, 3, 4,
//! 0, ... seconds; the parent wraps its end in a buffered reader and
//! prints each line, without its newline, forever:
//!
//!     Parent <its pid> got [Spam 000] at <seconds since 1970, 2 decimals>
//!
//! No options: it runs until Ctrl-C, as the Python does. You have std,
//! and nix for the one call std lacks, `nix::unistd::fork` (the pipe: `std::io::pipe`).
//!
//!     cargo run -q -p pipe2 --bin pipe2_scratch
//!     cargo run -q -p exercises -- check pipe2_scratch

fn main() {
    todo!("pipe2.py in Rust: replace this line with your program")
}
