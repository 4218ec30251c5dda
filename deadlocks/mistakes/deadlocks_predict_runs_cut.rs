//! A wrong attempt at "Which runs deadlock?": the runs it was not sure
//! of left out of RUNS, and only the two it knows predicted; the check
//! holds it to the exercise's six. (tests/exercises.rs)
//!
//! Each line of `RUNS` is a run of the chapter's program, `deadlocks`
//! (`deadlocks/src/main.rs`, and the child it starts,
//! `deadlocks/src/bin/deadlocks_child.rs`). Some of them end, with
//! every reply; the others deadlock: the parent and the child wait
//! for each other until the bound catches it, and the program exits
//! with status 3. Before you run any of them, predict which: in
//! `DEADLOCKS`, `Some(true)` for a run that deadlocks, `Some(false)`
//! for one that ends, one for each run, in order. Check; only then
//! run them, as
//!
//!     cargo run -q -p deadlocks -- rust-child --fix pty
//!
//! The check runs each one with `--bound 3s`.
//!
//!     cargo run -q -p exercises -- check deadlocks_predict

/// The runs, as the arguments of `deadlocks`.
const RUNS: [&str; 2] = [
    "rust-child",
    "rust-child --fix line-writer",
    // "rust-child --fix pty",
    // "full-pipes --bytes 1000",
    // "full-pipes",
    // "parent-greeting",
];

// ANCHOR: prediction
/// Your predictions, one for each of `RUNS`, in order: `Some(true)`
/// if it deadlocks, `Some(false)` if it ends.
const DEADLOCKS: [Option<bool>; 2] = [
    Some(true), // the reply waits in the child's BufWriter
    Some(false), // a LineWriter writes each line as it ends
                // Some(true),  // a BufWriter does not care what its output is
                // Some(false), // 1000 bytes fit in a pipe: all sent, then read
                // Some(true),  // 1 MiB does not: both pipes fill, both wait
                // Some(true),  // the greeting waits in the parent's BufWriter
];
// ANCHOR_END: prediction

fn main() {
    // For the check: each run, then your answer, one a line.
    for (run, answer) in RUNS.iter().zip(DEADLOCKS) {
        let answer = match answer {
            Some(true) => "deadlocks",
            Some(false) => "ends",
            None => "None",
        };
        println!("{run}: {answer}");
    }
}
