//! Wrong attempts at the pipe2 chapter's exercises (`mistakes/`), each
//! rejected with a verdict that says what is missing. Each was accepted by
//! the checks before they looked, in `/proc`, at what went through the
//! pipe (issue 16).

use exercises::assert_behaviour_missing;

#[test]
fn pipe2_scratch_typed_in() {
    let reason = assert_behaviour_missing(
        "pipe2_scratch",
        "the child writes each line into the pipe",
        env!("CARGO_BIN_EXE_pipe2_scratch_typed"),
        &["the parent was never seen waiting in a read of a pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe2_scratch_raw_reads() {
    let reason = assert_behaviour_missing(
        "pipe2_scratch",
        "the child writes each line into the pipe",
        env!("CARGO_BIN_EXE_pipe2_scratch_raw_reads"),
        &["While the parent was stopped (SIGSTOP)", "reads a line at a time"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe2_length_prefix_fixed_frames() {
    let reason = assert_behaviour_missing(
        "pipe2_length_prefix",
        "the child writes a length byte before each message",
        env!("CARGO_BIN_EXE_pipe2_length_prefix_fixed_frames"),
        &["the child wrote 119 bytes for 7 messages of 17 bytes", "expected 126"],
    );
    eprintln!("{reason}");
}
