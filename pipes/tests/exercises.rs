//! The pipes chapter's exercises, both ways: each solution passes its
//! checks, and each starter (as `<chapter>/starters/` keeps it, never the
//! student's file) fails them (`exercises/src/checks/pipes.rs` says what
//! each check looks for); and each wrong attempt (`mistakes/`) is
//! rejected, for its mistake.

#![cfg(target_os = "linux")] // the checks look at /proc

use exercises::{assert_behaviour_missing_with, assert_solution_passes, assert_starter_fails};

const PLAIN: (&str, &str) = ("pipes_plain", env!("CARGO_BIN_EXE_pipes_plain"));
const CHILD: (&str, &str) = ("pipes_child", env!("CARGO_BIN_EXE_pipes_child"));

#[test]
fn pipes_predict_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipes_predict_solution");
    assert_solution_passes("pipes_predict", solution, &[PLAIN, CHILD]);
}

#[test]
fn pipes_predict_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_pipes_predict_starter");
    assert_starter_fails("pipes_predict", starter, &[PLAIN, CHILD]);
}

#[test]
fn pipes_close_solution_passes() {
    assert_solution_passes("pipes_close", env!("CARGO_BIN_EXE_pipes_close_solution"), &[CHILD]);
}

#[test]
fn pipes_close_starter_fails() {
    assert_starter_fails("pipes_close", env!("CARGO_BIN_EXE_pipes_close_starter"), &[CHILD]);
}

#[test]
fn pipes_std_command_solution_passes() {
    let solution = env!("CARGO_BIN_EXE_pipes_std_command_solution");
    assert_solution_passes("pipes_std_command", solution, &[CHILD]);
}

#[test]
fn pipes_std_command_starter_fails() {
    let starter = env!("CARGO_BIN_EXE_pipes_std_command_starter");
    assert_starter_fails("pipes_std_command", starter, &[CHILD]);
}

#[test]
fn pipes_scratch_solution_passes() {
    assert_solution_passes("pipes_scratch", PLAIN.1, &[CHILD]);
}

#[test]
fn pipes_scratch_starter_fails() {
    assert_starter_fails("pipes_scratch", env!("CARGO_BIN_EXE_pipes_scratch_starter"), &[CHILD]);
}

/// The starter of "The end that keeps cat waiting" is stopped once the
/// run is stuck (in about two seconds, not at the 20-second deadline),
/// and the verdict says who waits for what: cat in a read of its stdin,
/// whose write end the child itself kept, and the parent for its child.
#[test]
fn pipes_close_starter_is_told_who_waits_for_what() {
    let reason = assert_behaviour_missing_with(
        "pipes_close",
        "with `cat` as the child",
        env!("CARGO_BIN_EXE_pipes_close_starter"),
        &[CHILD],
        &[
            "Run as `cat`, it did not end",
            "The parent (process ",
            ") waits for its child to end.",
            "The child (process ",
            ") waits in a read of a pipe (fd 0) that never sees end-of-file, since a write \
             end of it is still open: the child itself holds one (fd ",
        ],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "The end that keeps cat waiting": the child closes
/// the read end only, and keeps the write end of cat's stdin.
#[test]
fn pipes_close_keeps_write_end() {
    let reason = assert_behaviour_missing_with(
        "pipes_close",
        "with `cat` as the child",
        env!("CARGO_BIN_EXE_pipes_close_keeps_write_end"),
        &[CHILD],
        &["did not end", "the child itself holds one (fd "],
    );
    eprintln!("{reason}");
}

/// A wrong attempt at "The end that keeps cat waiting": the child keeps
/// a read end, which keeps nothing waiting; only its descriptors tell.
#[test]
fn pipes_close_keeps_read_end() {
    let reason = assert_behaviour_missing_with(
        "pipes_close",
        "the parent and the child each hold two pipe ends",
        env!("CARGO_BIN_EXE_pipes_close_keeps_read_end"),
        &[CHILD],
        &["The child (process ", ") holds pipe ends on fds [0, 1, "],
    );
    eprintln!("{reason}");
}

#[test]
fn pipes_predict_one_nap_a_reply() {
    let reason = assert_behaviour_missing_with(
        "pipes_predict",
        "predicts when each reply comes",
        env!("CARGO_BIN_EXE_pipes_predict_one_nap_a_reply"),
        &[PLAIN, CHILD],
        &["you predicted the replies at 2 4 seconds after the start"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipes_std_command_forks_by_hand() {
    let reason = assert_behaviour_missing_with(
        "pipes_std_command",
        "a program that cannot start is an error of spawn itself",
        env!("CARGO_BIN_EXE_pipes_std_command_forks_by_hand"),
        &[CHILD],
        &["exited with status 127", "spawn still forks by hand"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipes_scratch_parent_keeps_read_end() {
    let reason = assert_behaviour_missing_with(
        "pipes_scratch",
        "the parent and the child each hold two pipe ends",
        env!("CARGO_BIN_EXE_pipes_scratch_parent_keeps_read_end"),
        &[CHILD],
        &["The parent (process ", ") holds pipe ends on fds [0, 1, "],
    );
    eprintln!("{reason}");
}
