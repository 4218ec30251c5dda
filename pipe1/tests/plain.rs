//! The stand-alone program a chapter opens with: `src/bin/pipe1_plain.rs`,
//! the book's Python in Rust with no options, running forever.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;

const PIPE1_PLAIN: &str = env!("CARGO_BIN_EXE_pipe1_plain");

#[test]
fn the_plain_program_prints_the_first_two_messages_a_second_apart_until_ctrl_c() {
    assert_plain_program(PIPE1_PLAIN, r#"b"Spam 000""#, r#"b"Spam 001""#);
}
