//! Wrong attempts at the pipe_thread chapter's exercises (`mistakes/`),
//! each rejected with a verdict that says what is missing. Each was
//! accepted by the checks before they looked, in `/proc`, at what went
//! through the pipe (issue 16).

use exercises::assert_behaviour_missing;

const FIRST_MESSAGES: &str = "the writer thread writes each message into the pipe";

#[test]
fn pipe_thread_scratch_typed_in() {
    let reason = assert_behaviour_missing(
        "pipe_thread_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe_thread_scratch_typed"),
        &["no thread of the program was seen waiting in a read of a pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe_thread_scratch_mpsc() {
    let reason = assert_behaviour_missing(
        "pipe_thread_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe_thread_scratch_mpsc"),
        &["no thread of the program was seen waiting in a read of a pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe_thread_scratch_one_second() {
    let reason = assert_behaviour_missing(
        "pipe_thread_scratch",
        "keeps the book's schedule",
        env!("CARGO_BIN_EXE_pipe_thread_scratch_one_second"),
        &["Line 4 ([b\"Spam 003\"]) was printed 4."],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe_thread_mpsc_typed_in() {
    let reason = assert_behaviour_missing(
        "pipe_thread_mpsc",
        "the writer thread sleeps and sends",
        env!("CARGO_BIN_EXE_pipe_thread_mpsc_typed"),
        &["the main thread sleeps"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe_thread_mpsc_sender_kept() {
    let reason = assert_behaviour_missing(
        "pipe_thread_mpsc",
        "prints one whole message a line, and ends",
        env!("CARGO_BIN_EXE_pipe_thread_mpsc_sender_kept"),
        match harness::proc::present() {
            true => &["printed 12 lines, then stopped", "a sender still exists"],
            // Without /proc: stopped at the watch's deadline, where it waits not seen.
            false => &["printed 12 lines, and had not ended", "every Sender of the channel"],
        },
    );
    eprintln!("{reason}");
}

#[test]
fn pipe_thread_two_writers_typed_in() {
    let reason = assert_behaviour_missing(
        "pipe_thread_two_writers",
        "two threads write at once",
        env!("CARGO_BIN_EXE_pipe_thread_two_writers_typed"),
        &["never were two threads seen writing into the pipe"],
    );
    eprintln!("{reason}");
}

#[test]
fn pipe_thread_two_writers_one_thread() {
    let reason = assert_behaviour_missing(
        "pipe_thread_two_writers",
        "two threads write at once",
        env!("CARGO_BIN_EXE_pipe_thread_two_writers_one_thread"),
        &["never were two threads seen writing into the pipe"],
    );
    eprintln!("{reason}");
}

/// The writes are counted, not a mix waited for: rejected every time.
#[test]
fn pipe_thread_two_writers_writeln_twenty_times() {
    for _ in 0..20 {
        assert_behaviour_missing(
            "pipe_thread_two_writers",
            "two threads write at once",
            env!("CARGO_BIN_EXE_pipe_thread_two_writers_writeln"),
            &["less than a line (11 bytes) a write", "one write_all of the whole line"],
        );
    }
}

#[test]
fn pipe_thread_join_first_fixed_read_size() {
    let reason = assert_behaviour_missing(
        "pipe_thread_join_first",
        "with 5 messages, reads as many bytes as --read-size says",
        env!("CARGO_BIN_EXE_pipe_thread_join_first_fixed_read_size"),
        &["--read-size 12, the reads were", "expected reads of 12 bytes"],
    );
    eprintln!("{reason}");
}

/// The pipe is read, but the lines come from another thread.
#[test]
fn pipe_thread_scratch_idle_reader() {
    assert_behaviour_missing(
        "pipe_thread_scratch",
        FIRST_MESSAGES,
        env!("CARGO_BIN_EXE_pipe_thread_scratch_idle_reader"),
        &["the reading thread (the one that waits in reads of the pipe) printed 0 of the"],
    );
}
