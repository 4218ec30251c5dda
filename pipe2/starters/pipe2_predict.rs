//! Exercise "Forget to close": pipe2 chapter; easy, about 10 minutes.
//!
//! `pipe2/src/bin/pipe2_forgets_close.rs` is pipe2 with one line left
//! out: the parent's `drop(pipeout)`. Read it. Then, before you run
//! it, predict what this command does once it has printed its three
//! lines: what the parent does next, and what becomes of the child.
//!
//!     cargo run -q -p pipe2 --bin pipe2_forgets_close -- --count 3 --tick 0
//!
//! Choose one answer for each in `THE_PARENT` and `THE_CHILD` below,
//! check them, and only then run the command above.
//!
//!     cargo run -q -p exercises -- check pipe2_predict

/// What the parent does after it has printed the third line.
#[derive(Debug)]
#[allow(dead_code)] // you choose one
enum Parent {
    /// It reaps its child and exits with status 0, as pipe2 does.
    ExitsWithStatus0,
    /// It reports an error and exits with status 1.
    ExitsWithAnError,
    /// It keeps waiting, and never exits by itself.
    KeepsWaiting,
}

/// What becomes of the child once it has sent its three messages.
#[derive(Debug)]
#[allow(dead_code)] // you choose one
enum Child {
    /// It ends, and its parent reaps it.
    EndsAndIsReaped,
    /// It ends, and nobody reaps it: a zombie, as long as its parent lives.
    EndsButIsNeverReaped,
    /// It keeps running.
    KeepsRunning,
}

// ANCHOR: prediction
/// Your predictions: `Some(Parent::...)`, `Some(Child::...)`.
const THE_PARENT: Option<Parent> = None; // TODO
const THE_CHILD: Option<Child> = None; // TODO
// ANCHOR_END: prediction

fn main() {
    // `None`, or the choice: `Some(KeepsWaiting)`, for the check.
    println!("{THE_PARENT:?}");
    println!("{THE_CHILD:?}");
}
