//! The stand-alone program a chapter opens with: `src/bin/pipe_thread_plain.rs`,
//! the book's Python in Rust with no options, running forever.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::*;

const PIPE_THREAD_PLAIN: &str = env!("CARGO_BIN_EXE_pipe_thread_plain");

#[test]
fn the_plain_program_prints_the_first_two_messages_a_second_apart_until_ctrl_c() {
    assert_plain_program(PIPE_THREAD_PLAIN, r#"b"Spam 000""#, r#"b"Spam 001""#);
}

/// The book's "Errors that say what failed": where no thread can start,
/// `thread::spawn` (which the plain program calls) panics, status 101. A
/// backtrace comes only with `RUST_BACKTRACE` set; without it, a note says
/// how to get one. (Run this test both ways: `RUST_BACKTRACE=0 cargo test`.)
#[test]
fn thread_spawn_panics_where_no_thread_can_start() {
    let run = finish_with(PIPE_THREAD_PLAIN, &[], [Setup::NoNewProcesses]).code(101).stdout("");
    let stderr = stderr(&run);
    assert!(stderr.contains("panicked") && stderr.contains("failed to spawn thread"), "{stderr}");
    let backtrace = std::env::var_os("RUST_BACKTRACE").is_some_and(|value| value != "0");
    let note = "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";
    assert_eq!(stderr.contains("stack backtrace:"), backtrace, "{stderr}");
    assert_eq!(stderr.contains(note), !backtrace, "{stderr}");
}
