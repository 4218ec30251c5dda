//! A right attempt at "Why does it hang?": the answers in words, as a
//! student may write them, which the check accepts: the call and the
//! one number in each, the fix as a word that begins with it.
//! (tests/exercises.rs)
//!
//! `deadlocks/mystery/deadlocks_mystery.rs` never ends. Do not read
//! its code yet: run it with its two options, which make each of its
//! two processes say on stderr which pipe ends it holds
//! (`--show-fds`) and every read and write it starts and finishes
//! (`--trace`):
//!
//!     cargo run -q -p deadlocks --bin deadlocks_mystery -- --show-fds --trace
//!
//! (Ctrl-C stops it.) From what it says alone, answer: which call
//! does each process wait in, for ever, and on which of its
//! descriptors (`"read 0"`, `"write 4"`, ...)? And which change
//! would make it end: `"flush"` (what one waits for sits in the
//! other's buffer), `"close"` (a write end left open keeps a reader
//! from end-of-file) or `"thread"` (one process must read while it
//! writes)? The check runs the mystery too, and reads the last line
//! each process traced.
//!
//!     cargo run -q -p exercises -- check deadlocks_why

// ANCHOR: answers
/// Your answers: the call and the descriptor each waits in, as
/// `Some("read 0")`; and the fix, `Some("flush")`, `Some("close")`
/// or `Some("thread")`.
const PARENT_WAITS_IN: Option<&str> = Some("write to fd 4");
const CHILD_WAITS_IN: Option<&str> = Some("writes to fd 1");
const FIX: Option<&str> = Some("a reader thread");
// ANCHOR_END: answers

fn main() {
    // For the check: your answers, one a line, `None` if not given.
    for answer in [PARENT_WAITS_IN, CHILD_WAITS_IN, FIX] {
        println!("{}", answer.unwrap_or("None"));
    }
}
