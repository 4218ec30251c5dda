//! pipes_command, the same spawn with `std::process::Command`: it holds
//! the plain program's conversation, with either child, and an exec that
//! fails comes back to the parent as an error, with no child left.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::*;

const COMMAND: &str = env!("CARGO_BIN_EXE_pipes_command");
const CHILD_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/pipes_child.py");

/// A fast run (the children do not sleep), Python buffering as it does for
/// a reader (`PYTHONUNBUFFERED` empty: see tests/plain.rs).
fn fast() -> [Setup; 2] {
    [Setup::Env("PIPES_SLEEP".into(), "0".into()), Setup::Env("PYTHONUNBUFFERED".into(), "".into())]
}

/// Run pipes_command with `args` to its end (no process left behind):
/// its exit status is `code`, its stdout (our terminal: it keeps it) is
/// empty; its stderr, returned.
fn stderr_of(args: &[&str], code: i32) -> String {
    let run = finish_with(COMMAND, args, fast()).code(code).stdout("");
    let text = stderr(&run);
    assert!(!text.contains("panicked"), "{text}");
    text
}

/// The conversation of pipes_plain (tests/plain.rs), the same snapshot:
/// with our child, then with the Python one.
#[test]
fn command_holds_the_same_conversation_as_the_plain_program() {
    let text = stderr_of(&[], 0);
    snapshot_settings().bind(|| insta::assert_snapshot!("conversation", text));
    let text = stderr_of(&["python3", CHILD_PY, "spam"], 0);
    snapshot_settings().bind(|| insta::assert_snapshot!("conversation", text));
}

/// `Command::spawn` reports a program that cannot start in the parent, as
/// an error: no child runs on as a copy of the parent, and no greeting is
/// sent.
#[test]
fn a_program_that_cannot_start_is_an_error_of_spawn() {
    let text = stderr_of(&["no-such-program-for-pipes"], 1);
    let told =
        "error: cannot run no-such-program-for-pipes: No such file or directory (os error 2)\n";
    assert_eq!(text, told);
}
