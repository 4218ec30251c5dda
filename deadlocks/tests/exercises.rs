//! The deadlocks chapter's exercises, both ways: each solution passes
//! its checks, and each starter (as `<chapter>/starters/` keeps it,
//! never the student's file) fails them (`exercises/src/checks/
//! deadlocks.rs` says what each check looks for); and each wrong
//! attempt (`mistakes/`) is rejected, for its mistake.

#![cfg(target_os = "linux")] // the checks look at /proc

use exercises::{assert_behaviour_missing_with, assert_solution_passes, assert_starter_fails};

const DEADLOCKS: (&str, &str) = ("deadlocks", env!("CARGO_BIN_EXE_deadlocks"));
const CHILD: (&str, &str) = ("deadlocks_child", env!("CARGO_BIN_EXE_deadlocks_child"));
const MYSTERY: (&str, &str) = ("deadlocks_mystery", env!("CARGO_BIN_EXE_deadlocks_mystery"));

#[test]
fn deadlocks_predict_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_deadlocks_predict_solution");
    assert_solution_passes("deadlocks_predict", solution, &[DEADLOCKS, CHILD]);
}

#[test]
fn deadlocks_predict_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_deadlocks_predict_starter");
    assert_starter_fails("deadlocks_predict", starter, &[DEADLOCKS, CHILD]);
}

#[test]
fn deadlocks_flush_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_deadlocks_flush_solution");
    assert_solution_passes("deadlocks_flush", solution, &[]);
}

#[test]
fn deadlocks_flush_starter_fails() {
    assert_starter_fails("deadlocks_flush", env!("CARGO_BIN_EXE_deadlocks_flush_starter"), &[]);
}

#[test]
fn deadlocks_command_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_deadlocks_command_solution");
    assert_solution_passes("deadlocks_command", solution, &[]);
}

#[test]
fn deadlocks_command_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_deadlocks_command_starter");
    assert_starter_fails("deadlocks_command", starter, &[]);
}

#[test]
fn deadlocks_why_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_deadlocks_why_solution");
    assert_solution_passes("deadlocks_why", solution, &[MYSTERY]);
}

#[test]
fn deadlocks_why_starter_fails() {
    assert_starter_fails("deadlocks_why", env!("CARGO_BIN_EXE_deadlocks_why_starter"), &[MYSTERY]);
}

#[test]
fn deadlocks_scratch_solution_passes() {
    let plain = env!("CARGO_BIN_EXE_deadlocks_plain");
    assert_solution_passes("deadlocks_scratch", plain, &[CHILD]);
}

#[test]
fn deadlocks_scratch_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_deadlocks_scratch_starter");
    assert_starter_fails("deadlocks_scratch", starter, &[CHILD]);
}

/// The starter of "The reply that stays in a buffer" deadlocks; the
/// check stops it once both processes have slept for two seconds (not
/// at the 20-second deadline), and the verdict says who waits for
/// what: the parent in a read of a pipe the child has written nothing
/// to, the child in a read of its stdin.
#[test]
fn deadlocks_flush_starter_is_told_who_waits_for_what() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_flush",
        "the conversation ends",
        env!("CARGO_BIN_EXE_deadlocks_flush_starter"),
        &[],
        &[
            "it did not end: every process of it has slept for 2 seconds",
            "The parent (process ",
            ") waits in a read of a pipe (fd ",
            "has not written a byte",
            "still sit in a buffer",
            ") waits in a read of a pipe (fd 0)",
            "A BufWriter writes when it is full (8 KiB)",
        ],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "The reply that stays in a buffer": the child
/// flushes once, at the end, which the conversation never reaches.
#[test]
fn deadlocks_flush_at_exit() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_flush",
        "the conversation ends",
        env!("CARGO_BIN_EXE_deadlocks_flush_at_exit"),
        &[],
        &["it did not end", "has not written a byte", "still sit in a buffer"],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "A large input through cat": all of the input
/// written before any of the output is read. 1 MiB does not fit in
/// the pipes: the parent and cat each wait in a write.
#[test]
fn deadlocks_command_writes_all_first() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_command",
        "1 MiB goes through cat",
        env!("CARGO_BIN_EXE_deadlocks_command_writes_all_first"),
        &[],
        &[
            "Run with `1048576`, it did not end",
            "The parent (process ",
            ") waits in a write to a full pipe (fd ",
            "Stdio::piped",
        ],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "A large input through cat": one read, which
/// takes what the pipe holds, not all of the output. The verdict says
/// how the run failed (the broken pipe it met), not that it left cat
/// unreaped on its way out.
#[test]
fn deadlocks_command_one_read() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_command",
        "1 MiB goes through cat",
        env!("CARGO_BIN_EXE_deadlocks_command_one_read"),
        &[],
        &["Run with 1048576, it exited with status 1", "error: through cat: Broken pipe"],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "Which runs deadlock?": the pseudo-terminal taken
/// for a fix of the Rust child's BufWriter.
#[test]
fn deadlocks_predict_pty_fixes_all() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_predict",
        "predicts which runs deadlock",
        env!("CARGO_BIN_EXE_deadlocks_predict_pty_fixes_all"),
        &[DEADLOCKS, CHILD],
        &["`deadlocks rust-child --fix pty`: you predicted it ends, and it deadlocks"],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "Which runs deadlock?": RUNS cut down to the two
/// runs it is sure of, both predicted right. The check holds it to the
/// exercise's runs, as the starter declares them.
#[test]
fn deadlocks_predict_runs_cut() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_predict",
        "predicts every run",
        env!("CARGO_BIN_EXE_deadlocks_predict_runs_cut"),
        &[DEADLOCKS, CHILD],
        &[
            "Expected a prediction for each of the exercise's runs, in order:",
            "  rust-child --fix pty\n",
            "Leave RUNS as the exercise gives it",
        ],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "Why does it hang?": the parent taken for a
/// reader.
#[test]
fn deadlocks_why_blames_a_buffer() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_why",
        "names the call each process waits in",
        env!("CARGO_BIN_EXE_deadlocks_why_blames_a_buffer"),
        &[MYSTERY],
        &["You say the parent waits in `read 5`: it does not."],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "deadlocks.py from scratch": no bound. It holds
/// the conversation with a child that flushes, and waits for ever with
/// one that does not: the check stops it once both processes sleep.
#[test]
fn deadlocks_scratch_no_bound() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_scratch",
        "with deadlocks_child, whose replies stay in its buffer",
        env!("CARGO_BIN_EXE_deadlocks_scratch_no_bound"),
        &[CHILD],
        &[
            "Run with `deadlocks_child`, it did not end",
            "The parent (process ",
            "waits in a read of a pipe (fd 0)",
            "DEADLOCKS_BOUND=1 should have caught it",
        ],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "deadlocks.py from scratch": the bound read as
/// milliseconds. It exits with status 3 and says `no reply within 1 s`,
/// a hundredth of a second after the start: the check times it.
#[test]
fn deadlocks_scratch_bound_in_millis() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_scratch",
        "with deadlocks_child, whose replies stay in its buffer",
        env!("CARGO_BIN_EXE_deadlocks_scratch_bound_in_millis"),
        &[CHILD],
        &[
            "Run with `deadlocks_child` (DEADLOCKS_BOUND=1), it said it caught a deadlock \
             after 0.",
            "before the bound: DEADLOCKS_BOUND is in seconds",
        ],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "deadlocks.py from scratch": the alarm rings and
/// says so, and does not kill the child; the parent still waits in its
/// read. The verdict quotes what it said, and asks about the kill,
/// instead of saying that the bound should have caught it.
#[test]
fn deadlocks_scratch_no_kill() {
    let reason = assert_behaviour_missing_with(
        "deadlocks_scratch",
        "with deadlocks_child, whose replies stay in its buffer",
        env!("CARGO_BIN_EXE_deadlocks_scratch_no_kill"),
        &[CHILD],
        &[
            "Run with `deadlocks_child`, it did not end",
            "It said it caught the deadlock:\ndeadlocks: no reply within 1 s: parent ",
            "Is the child killed, so that the parent's read sees end-of-file",
        ],
    );
    assert!(!reason.contains("should have caught it"), "{reason}");
    eprintln!("{reason}");
}

/// A right attempt at "A large input through cat", the other way round:
/// a thread reads while the main thread writes.
#[test]
fn deadlocks_command_reader_thread_passes() {
    let attempt = env!("CARGO_BIN_EXE_deadlocks_command_reader_thread");
    assert_solution_passes("deadlocks_command", attempt, &[]);
}

/// A right attempt at "Why does it hang?": `Write(fd 4)`, `write fd 1`,
/// `Thread` are the answers too.
#[test]
fn deadlocks_why_spelled_out_passes() {
    let attempt = env!("CARGO_BIN_EXE_deadlocks_why_spelled_out");
    assert_solution_passes("deadlocks_why", attempt, &[MYSTERY]);
}

/// A right attempt at "Why does it hang?": `write to fd 4`, `writes to
/// fd 1`, `a reader thread` are the answers too, in words.
#[test]
fn deadlocks_why_in_words_passes() {
    let attempt = env!("CARGO_BIN_EXE_deadlocks_why_in_words");
    assert_solution_passes("deadlocks_why", attempt, &[MYSTERY]);
}
