//! The pipe2 chapter's exercises, both ways: each solution passes its
//! checks, and each untouched starter fails them (`exercises/src/checks.rs`
//! says what each check looks for).

#![cfg(target_os = "linux")] // the checks look at /proc

use exercises::{assert_solution_passes, assert_starter_fails};

const FORGETS_CLOSE: (&str, &str) =
    ("pipe2_forgets_close", env!("CARGO_BIN_EXE_pipe2_forgets_close"));

#[test]
fn pipe2_predict_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe2_predict_solution");
    assert_solution_passes("pipe2_predict", solution, &[FORGETS_CLOSE]);
}

#[test]
fn pipe2_predict_starter_fails() {
    assert_starter_fails("pipe2_predict", env!("CARGO_BIN_EXE_pipe2_predict"), &[FORGETS_CLOSE]);
}

#[test]
fn pipe2_length_prefix_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe2_length_prefix_solution");
    assert_solution_passes("pipe2_length_prefix", solution, &[]);
}

#[test]
fn pipe2_length_prefix_starter_fails() {
    assert_starter_fails("pipe2_length_prefix", env!("CARGO_BIN_EXE_pipe2_length_prefix"), &[]);
}

#[test]
fn pipe2_unframed_solution_passes() {
    assert_solution_passes("pipe2_unframed", env!("CARGO_BIN_EXE_pipe2_unframed_solution"), &[]);
}

#[test]
fn pipe2_unframed_starter_fails() {
    assert_starter_fails("pipe2_unframed", env!("CARGO_BIN_EXE_pipe2_unframed"), &[]);
}

#[test]
fn pipe2_scratch_solution_passes() {
    assert_solution_passes("pipe2_scratch", env!("CARGO_BIN_EXE_pipe2_plain"), &[]);
}

#[test]
fn pipe2_scratch_starter_fails() {
    assert_starter_fails("pipe2_scratch", env!("CARGO_BIN_EXE_pipe2_scratch"), &[]);
}
