//! The pipe1 chapter's exercises, both ways: each solution passes its
//! checks, and each starter (as `<chapter>/starters/` keeps it, never the
//! student's file) fails them (`exercises/src/checks/pipe1.rs`
//! says what each check looks for). Where there is no /proc (macOS, or
//! `EXERCISES_NO_PROC=1`), the checks that need it are skipped, and the
//! tests accept that.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use exercises::{Programs, assert_solution_passes, assert_starter_fails};
use harness::assert::*;
use harness::*;

// The wrong and the right attempts of this chapter (issue 16), in this test
// binary, so that their checks, which watch a program for seconds, run at
// the same time as these, not one binary after another.
#[path = "exercises/right_attempts.rs"]
mod right_attempts;
#[path = "exercises/wrong_attempts.rs"]
mod wrong_attempts;

const PIPE1: &str = env!("CARGO_BIN_EXE_pipe1");

#[test]
fn pipe1_predict_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe1_predict_solution");
    assert_solution_passes("pipe1_predict", solution, &[("pipe1", PIPE1)]);
}

#[test]
fn pipe1_predict_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_pipe1_predict_starter");
    assert_starter_fails("pipe1_predict", starter, &[("pipe1", PIPE1)]);
}

#[test]
fn pipe1_read_sizes_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe1_read_sizes_solution");
    assert_solution_passes("pipe1_read_sizes", solution, &[("pipe1", PIPE1)]);
}

#[test]
fn pipe1_read_sizes_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_pipe1_read_sizes_starter");
    assert_starter_fails("pipe1_read_sizes", starter, &[("pipe1", PIPE1)]);
}

#[test]
fn pipe1_whole_solution_passes() {
    assert_solution_passes("pipe1_whole", env!("CARGO_BIN_EXE_pipe1_whole_solution"), &[]);
}

#[test]
fn pipe1_whole_starter_fails() {
    assert_starter_fails("pipe1_whole", env!("CARGO_BIN_EXE_pipe1_whole_starter"), &[]);
}

#[test]
fn pipe1_scratch_solution_passes() {
    assert_solution_passes("pipe1_scratch", env!("CARGO_BIN_EXE_pipe1_plain"), &[]);
}

#[test]
fn pipe1_scratch_starter_fails() {
    assert_starter_fails("pipe1_scratch", env!("CARGO_BIN_EXE_pipe1_scratch_starter"), &[]);
}

/// The run the exercise "Predict the reads" asks about, as the book shows it
/// with its solution.
#[test]
fn exercise_predict_the_reads_of_read_size_12() {
    let args = ["--count", "5", "--tick", "0", "--late-reader", "--read-size", "12"];
    let run = finish(PIPE1, &args).success();
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("pipe1_predict_read_size_12", stdout(&run)));
}

/// What the check command prints for the untouched starter of "Put the
/// messages back together", once it has built it: a verdict in plain words,
/// a snapshot to read when it changes. (The starter as `pipe1/starters/`
/// keeps it: the student's file may hold anything.)
#[test]
fn the_check_command_says_what_the_starter_of_pipe1_whole_lacks() {
    let args = ["check", "pipe1_whole"];
    let exercise = exercises::find(args[1]).unwrap();
    assert_eq!(exercise.command(), format!("cargo run -q -p exercises -- {}", args.join(" ")));
    let starter = env!("CARGO_BIN_EXE_pipe1_whole_starter").into();
    let verdict = exercises::check(exercise, &Programs { attempt: starter, others: vec![] });
    let source = exercises::root().join(exercise.starter_file());
    let source = std::fs::read_to_string(source).unwrap();
    let printed = format!("{}\n{}", exercise.header(false), verdict.report(Some(&source)));
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_whole_starter_verdict", printed));
}
