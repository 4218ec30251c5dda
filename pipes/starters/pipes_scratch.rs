//! Exercise "pipes.py from scratch": pipes chapter; harder, about 40
//! minutes.
//!
//! Write the book's pipes.py (`python/pipes.py`) in Rust, in this
//! file, without looking back at the chapter. Its `spawn(prog, *args)`
//! makes two pipes and forks; the parent keeps the read end of one and
//! the write end of the other, puts them on its stdin and stdout
//! (dup2) and closes the rest; the child does the same with the other
//! two ends, then becomes the program (execvp). Then the parent sends
//! `Greeting <n> from parent <pid>` on stdout, flushed, twice, and
//! after each reads one line of reply on stdin and says on stderr
//!
//!     Parent <its pid> got [<the reply>] at <seconds since 1970, 2 decimals>
//!
//! then closes its stdout (the child sees end-of-file) and reaps the
//! child. The child is the command line (`pipes_child spam` without
//! one: the program beside this one, `pipes/src/bin/pipes_child.rs`).
//! You have std, and nix for what std lacks (`nix::unistd`: `pipe`,
//! `fork`, `dup2_stdin`, `dup2_stdout`, `execvp`, and
//! `nix::sys::wait::waitpid`).
//!
//!     cargo run -q -p pipes --bin pipes_scratch -- cat
//!     cargo run -q -p exercises -- check pipes_scratch

fn main() {
    todo!("pipes.py in Rust: replace this line with your program")
}
