//! Exercise "deadlocks.py from scratch": deadlocks chapter; harder,
//! about 40 minutes.
//!
//! Write the chapter's deadlocks.py (`python/deadlocks.py`) in Rust,
//! in this file, without looking back at the chapter. It is pipes.py
//! with a bound: `spawn` starts the child (the command line, else
//! `deadlocks_child`, the program beside this one, whose replies sit
//! in a BufWriter it never flushes) on two pipes, put on the parent's
//! stdin and stdout; the parent sends `Greeting <n> from parent
//! <pid>` on stdout, flushed, PIPES_COUNT times (default 2), and
//! after each reads one line of reply on stdin and says on stderr
//!
//!     Parent <its pid> got [<the reply>] at <seconds since 1970, 2 decimals>
//!
//! then closes its stdout and reaps the child: exit status 0. If no
//! reply has come DEADLOCKS_BOUND seconds (default 3) after the
//! start, it says on stderr `deadlocks: no reply within <bound> s:
//! ...`, kills the child and reaps it, and exits with status 3. You
//! have std, and nix for what std lacks (`nix::unistd`, `nix::sys::
//! wait::waitpid`, `nix::sys::signal::kill`); a thread and a channel
//! with `recv_timeout` make a bound, as deadlocks_plain does.
//!
//!     cargo run -q -p deadlocks --bin deadlocks_scratch
//!     cargo run -q -p exercises -- check deadlocks_scratch

fn main() {
    todo!(
        "deadlocks.py in Rust: replace this line with your program"
    )
}
