//! The pipe_thread chapter's exercises, both ways: each solution passes
//! its checks, and each starter (as `<chapter>/starters/` keeps it, never the
//! student's file) fails them
//! (`exercises/src/checks/pipe_thread.rs` says what each check looks for).
//! Where there is no /proc (macOS, or `EXERCISES_NO_PROC=1`), the checks
//! that need it are skipped, and the tests accept that.

#![cfg(unix)] // the checks run each program in a process group: unix only

use exercises::{assert_behaviour_missing, assert_solution_passes, assert_starter_fails};

// The wrong and the right attempts of this chapter (issue 16), in this test
// binary, so that their checks, which watch a program for seconds, run at
// the same time as these, not one binary after another.
#[path = "exercises/right_attempts.rs"]
mod right_attempts;
#[path = "exercises/wrong_attempts.rs"]
mod wrong_attempts;

#[test]
fn pipe_thread_two_writers_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe_thread_two_writers_solution");
    assert_solution_passes("pipe_thread_two_writers", solution, &[]);
}

#[test]
fn pipe_thread_two_writers_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_pipe_thread_two_writers_starter");
    assert_starter_fails("pipe_thread_two_writers", starter, &[]);
}

#[test]
fn pipe_thread_mpsc_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe_thread_mpsc_solution");
    assert_solution_passes("pipe_thread_mpsc", solution, &[]);
}

#[test]
fn pipe_thread_mpsc_starter_fails() {
    assert_starter_fails("pipe_thread_mpsc", env!("CARGO_BIN_EXE_pipe_thread_mpsc_starter"), &[]);
}

#[test]
fn pipe_thread_join_first_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe_thread_join_first_solution");
    assert_solution_passes("pipe_thread_join_first", solution, &[]);
}

#[test]
fn pipe_thread_join_first_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_pipe_thread_join_first_starter");
    assert_starter_fails("pipe_thread_join_first", starter, &[]);
}

#[test]
fn pipe_thread_scratch_solution_passes() {
    assert_solution_passes("pipe_thread_scratch", env!("CARGO_BIN_EXE_pipe_thread_plain"), &[]);
}

#[test]
fn pipe_thread_scratch_starter_fails() {
    assert_starter_fails(
        "pipe_thread_scratch",
        env!("CARGO_BIN_EXE_pipe_thread_scratch_starter"),
        &[],
    );
}

/// pipe_thread itself is the wrong answer to "Join before reading": it reads
/// while the writer writes, so with 9000 messages it ends instead of getting
/// stuck. The verdict says so as soon as it ends (not at the 20-second
/// deadline).
#[test]
fn pipe_thread_join_first_says_when_the_program_reads_before_the_join() {
    assert_behaviour_missing(
        "pipe_thread_join_first",
        "with 9000 messages, joins before it reads",
        env!("CARGO_BIN_EXE_pipe_thread"),
        &[
            "Run with --count 9000 --tick 0, it ended, having printed ",
            "a program that joins the writer before it reads a byte never ends",
        ],
    );
}
