//! Wrong attempts at the pipe1 chapter's exercises (`mistakes/`), each
//! rejected with a verdict that says what is missing. Each was accepted by
//! the checks before they looked, in `/proc`, at what went through the
//! pipe (issue 16).

use exercises::assert_behaviour_missing;

#[test]
fn pipe1_whole_typed_in() {
    let reason = assert_behaviour_missing(
        "pipe1_whole",
        "the child writes the messages into the pipe",
        env!("CARGO_BIN_EXE_pipe1_whole_typed"),
        &["the main thread was never seen waiting in a read of a pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_whole_wrong_pid() {
    let reason = assert_behaviour_missing(
        "pipe1_whole",
        "the child writes the messages into the pipe",
        env!("CARGO_BIN_EXE_pipe1_whole_wrong_pid"),
        &["line 1 names process "],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_whole_fixed_time() {
    let reason = assert_behaviour_missing(
        "pipe1_whole",
        "the child writes the messages into the pipe",
        env!("CARGO_BIN_EXE_pipe1_whole_fixed_time"),
        &["line 1 says `at 1267997789.33`"],
    );
    eprintln!("{reason}");
}

const FIRST_MESSAGES: &str = "the child writes each message into the pipe";

#[test]
fn pipe1_scratch_typed_in() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe1_scratch_typed"),
        &["the parent was never seen waiting in a read of a pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_scratch_silent_child() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe1_scratch_silent_child"),
        &["the parent was never seen waiting in a read of a pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_scratch_sleep_child() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe1_scratch_sleep_child"),
        &["the parent was never seen waiting in a read of a pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_scratch_one_second() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        "keeps the book's schedule",
        env!("CARGO_BIN_EXE_pipe1_scratch_one_second"),
        &["Line 4 ([b\"Spam 003\"]) was printed 4.", "message 4 comes only after 6 seconds"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_scratch_no_wrap() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        "keeps the book's schedule",
        env!("CARGO_BIN_EXE_pipe1_scratch_no_wrap"),
        &["Spam 005"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_scratch_zombie() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe1_scratch_zombie"),
        &["zombie"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe1_scratch_read_8() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe1_scratch_read_8"),
        &["asks for 8 bytes a read"],
    );
    eprintln!("{reason}");
}

/// A line in another format: the verdict names the field that differs.
#[test]
fn pipe1_scratch_no_byte_string() {
    assert_behaviour_missing(
        "pipe1_scratch",
        "prints `Parent <pid> got [b\"Spam 000\"] at <time>` at once",
        env!("CARGO_BIN_EXE_pipe1_scratch_no_byte_string"),
        &["the data is [Spam 000]: expected the bytes of the read as a Rust byte string, b\"...\""],
    );
}

#[test]
fn pipe1_scratch_three_decimals() {
    assert_behaviour_missing(
        "pipe1_scratch",
        "prints `Parent <pid> got [b\"Spam 000\"] at <time>` at once",
        env!("CARGO_BIN_EXE_pipe1_scratch_three_decimals"),
        &["the time is `", "`: expected seconds since 1970 with two decimals"],
    );
}

/// The child writes as many bytes as the messages, but elsewhere.
#[test]
fn pipe1_scratch_thread_writes() {
    assert_behaviour_missing(
        "pipe1_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe1_scratch_thread_writes"),
        &["but it holds no write end of the pipe the parent reads"],
    );
}
