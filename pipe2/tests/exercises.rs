//! The pipe2 chapter's exercises, both ways: each solution passes its
//! checks, and each starter (as `<chapter>/starters/` keeps it, never the
//! student's file) fails them (`exercises/src/checks/pipe2.rs`
//! says what each check looks for). Where there is no /proc (macOS, or
//! `EXERCISES_NO_PROC=1`), the checks that need it are skipped, and the
//! tests accept that.

#![cfg(unix)] // the checks run each program in a process group: unix only

use exercises::{assert_behaviour_missing, assert_solution_passes, assert_starter_fails};

// The wrong and the right attempts of this chapter (issue 16), in this test
// binary, so that their checks, which watch a program for seconds, run at
// the same time as these, not one binary after another.
#[path = "exercises/right_attempts.rs"]
mod right_attempts;
#[path = "exercises/wrong_attempts.rs"]
mod wrong_attempts;

const FORGETS_CLOSE: (&str, &str) =
    ("pipe2_forgets_close", env!("CARGO_BIN_EXE_pipe2_forgets_close"));

#[test]
fn pipe2_predict_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe2_predict_solution");
    assert_solution_passes("pipe2_predict", solution, &[FORGETS_CLOSE]);
}

#[test]
fn pipe2_predict_starter_fails() {
    assert_starter_fails(
        "pipe2_predict",
        env!("CARGO_BIN_EXE_pipe2_predict_starter"),
        &[FORGETS_CLOSE],
    );
}

#[test]
fn pipe2_length_prefix_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipe2_length_prefix_solution");
    assert_solution_passes("pipe2_length_prefix", solution, &[]);
}

#[test]
fn pipe2_length_prefix_starter_fails() {
    assert_starter_fails(
        "pipe2_length_prefix",
        env!("CARGO_BIN_EXE_pipe2_length_prefix_starter"),
        &[],
    );
}

#[test]
fn pipe2_unframed_solution_passes() {
    assert_solution_passes("pipe2_unframed", env!("CARGO_BIN_EXE_pipe2_unframed_solution"), &[]);
}

#[test]
fn pipe2_unframed_starter_fails() {
    assert_starter_fails("pipe2_unframed", env!("CARGO_BIN_EXE_pipe2_unframed_starter"), &[]);
}

#[test]
fn pipe2_scratch_solution_passes() {
    assert_solution_passes("pipe2_scratch", env!("CARGO_BIN_EXE_pipe2_plain"), &[]);
}

#[test]
fn pipe2_scratch_starter_fails() {
    assert_starter_fails("pipe2_scratch", env!("CARGO_BIN_EXE_pipe2_scratch_starter"), &[]);
}

/// A wrong attempt at "Closing without framing": the parent keeps its write
/// end, as pipe2_forgets_close does. Once the run is stuck (in about two
/// seconds, not at the 20-second deadline) the verdict says who waits for
/// what, and who holds the write end. (Without /proc, the run is stopped
/// at the watch's deadline, and the verdict says which ends the parent holds.)
#[test]
fn pipe2_unframed_says_when_the_parent_keeps_its_write_end() {
    let reason = assert_behaviour_missing(
        "pipe2_unframed",
        "the parent prints every byte in order",
        FORGETS_CLOSE.1,
        match harness::proc::present() {
            true => &[
                "printed 12 lines, then stopped, and did not end",
                "The parent (process ",
                "waits in a read of a pipe (fd ",
                ") that never sees end-of-file",
                "a write end of it is still open: the parent itself holds one (fd ",
            ],
            // Without /proc: stopped at the watch's deadline; the ends it
            // holds (which way each is open, macOS's lsof may not say).
            false => &[
                "printed 12 lines, and had not ended after",
                "The parent (process ",
                " end of pipe 1 (fd ",
                "This system has no /proc",
            ],
        },
    );
    let [read_end, write_end] = fds_named(&reason);
    assert_ne!(read_end, write_end, "the end held is the other end: {reason}");
}

/// A wrong attempt at "Closing without framing": the child keeps its read
/// end. Once the parent is killed, the child waits in a write to the full
/// pipe forever; the verdict says so once the child is stuck (in about two
/// seconds, not at the 20-second deadline), and who holds the read end.
/// (Without /proc, the child is stopped at the watch's deadline, and the
/// verdict says which ends it holds.)
#[test]
fn pipe2_unframed_says_when_the_child_keeps_its_read_end() {
    let reason = assert_behaviour_missing(
        "pipe2_unframed",
        "the child ends by itself once its parent is killed",
        env!("CARGO_BIN_EXE_pipe2_unframed_child_keeps_read_end"),
        match harness::proc::present() {
            true => &[
                "After its parent was killed, the child (process ",
                ") did not end",
                "The child (process ",
                "waits in a write to a full pipe (fd ",
                ") that nobody reads",
                "a read end of it is still open: the child itself holds one (fd ",
            ],
            // Without /proc: stopped at the watch's deadline; the ends it
            // holds (which way each is open, macOS's lsof may not say).
            false => &[
                "After its parent was killed, the child (process ",
                ") was still running",
                "The child (process ",
                " end of pipe 1 (fd ",
                "This system has no /proc",
            ],
        },
    );
    let [write_end, read_end] = fds_named(&reason);
    assert_ne!(write_end, read_end, "the end held is the other end: {reason}");
}

/// The two descriptors a verdict names, `(fd 3)` and `(fd 4)`: the end a
/// process waits on, and the other end, which it holds (without /proc: the
/// two ends it holds).
fn fds_named(reason: &str) -> [u32; 2] {
    let fds: Vec<u32> = reason
        .split("(fd ")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap().parse().unwrap())
        .collect();
    fds.try_into().unwrap_or_else(|fds| panic!("two descriptors named: {fds:?}: {reason}"))
}

/// The wrong attempt is the solution with one line changed (its header
/// aside), so the test above keeps testing the mistake it names.
#[test]
fn the_wrong_attempt_is_the_solution_but_one_line() {
    let code = |path: &str| {
        let text = std::fs::read_to_string(exercises::root().join(path)).unwrap();
        let code = text.lines().skip_while(|line| line.starts_with("//!"));
        code.map(str::to_owned).collect::<Vec<String>>()
    };
    let solution = code("pipe2/solutions/pipe2_unframed.rs");
    let mistake = code("pipe2/mistakes/pipe2_unframed_child_keeps_read_end.rs");
    assert_eq!(solution.len(), mistake.len());
    let changed: Vec<(&str, &str)> = solution
        .iter()
        .zip(&mistake)
        .filter(|(right, wrong)| right != wrong)
        .map(|(right, wrong)| (right.trim(), wrong.trim()))
        .collect();
    let drop = "drop(pipein); // no read end left here: a dead parent means EPIPE";
    assert_eq!(changed, [(drop, "let _pipein = pipein; // <- kept open: the mistake")]);
}
