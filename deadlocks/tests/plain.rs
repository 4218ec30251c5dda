//! The stand-alone programs of the chapter: `deadlocks_plain` beside the
//! book's Python (`python/deadlocks.py`), each with either child
//! (`deadlocks_child`, `python/deadlocks_child.py`): both deadlock alike,
//! both are caught by their bound, both hold the conversation once the
//! child flushes.
//!
//! Every run is a subprocess in a process group of its own, with a
//! deadline. `PYTHONUNBUFFERED` is set empty in every run ([`buffered`]):
//! this machine's environment sets it to 1, and a Python child started
//! without `-E` would then never buffer.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::*;

const PLAIN: &str = env!("CARGO_BIN_EXE_deadlocks_plain");
const CHILD: &str = env!("CARGO_BIN_EXE_deadlocks_child");
const DEADLOCKS_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/deadlocks.py");
const CHILD_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/deadlocks_child.py");

/// The Python interpreter itself, `sys.executable` of `python3`: a
/// `python3` on the path may be a script that starts the interpreter as a
/// child (pyenv's is), and the parent kills its child by pid.
fn python3() -> String {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let found = std::process::Command::new("python3")
            .args(["-E", "-c", "import sys; print(sys.executable)"])
            .output();
        let found = found.expect("these tests run the book's Python: install python3");
        String::from_utf8(found.stdout).unwrap().trim().to_owned()
    })
    .clone()
}

/// Python as a reader runs it: `PYTHONUNBUFFERED` empty (Python takes an
/// empty value as unset).
fn buffered() -> Setup {
    Setup::Env("PYTHONUNBUFFERED".into(), String::new())
}

/// A run with a bound of one second, three greetings.
fn bounded() -> [Setup; 3] {
    [
        buffered(),
        Setup::Env("DEADLOCKS_BOUND".into(), "1".into()),
        Setup::Env("PIPES_COUNT".into(), "3".into()),
    ]
}

/// Run `program args` to its end with `setup` (no process left behind),
/// check it exited with `code`, printed nothing on stdout (its stdout is
/// the pipe to its child) and did not panic; return its stderr.
fn stderr_of(
    program: &str,
    args: &[&str],
    setup: impl IntoIterator<Item = Setup>,
    code: i32,
) -> String {
    let run = finish_with(program, args, setup).code(code).stdout("");
    let text = stderr(&run);
    assert!(!text.contains("panicked"), "{text}");
    text
}

/// Lesson: the child prints its reply, and it stays in its buffer: the
/// plain program and the Python, with either child, wait for the reply to
/// greeting 1 until their bound, then say so and kill the child: status 3.
#[test]
fn the_plain_program_and_the_python_deadlock_alike_and_are_caught() {
    let py = python3();
    let plain = stderr_of(PLAIN, &[], bounded(), 3);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("plain_caught", plain);
        for (what, args) in [
            ("deadlocks_plain, the Python child", vec![py.as_str(), "-E", CHILD_PY]),
            ("deadlocks.py", vec!["-E", DEADLOCKS_PY]),
            ("deadlocks.py, the Rust child", vec!["-E", DEADLOCKS_PY, CHILD]),
        ] {
            let program = if what.starts_with("deadlocks_plain") { PLAIN } else { py.as_str() };
            let text = stderr_of(program, &args, bounded(), 3);
            insta::assert_snapshot!("plain_caught", text, what);
        }
    });
}

/// Lesson: the fixes, in both programs: the child flushes (`flush`), or
/// runs unbuffered (`-u`; for Rust, a LineWriter): each greeting gets its
/// reply, and the run ends with status 0.
#[test]
fn with_a_child_that_flushes_both_hold_the_conversation() {
    let py = python3();
    let runs = [
        (PLAIN, vec![CHILD, "flush"]),
        (PLAIN, vec![CHILD, "line-writer"]),
        (PLAIN, vec![py.as_str(), "-E", "-u", CHILD_PY]),
        (py.as_str(), vec!["-E", DEADLOCKS_PY, py.as_str(), "-E", CHILD_PY, "flush"]),
        (py.as_str(), vec!["-E", DEADLOCKS_PY, py.as_str(), "-E", "-u", CHILD_PY]),
        (py.as_str(), vec!["-E", DEADLOCKS_PY, CHILD, "flush"]),
    ];
    for (program, args) in runs {
        let text = stderr_of(program, &args, bounded(), 0);
        let what = format!("{program} {args:?}");
        snapshot_settings().bind(|| insta::assert_snapshot!("plain_conversation", text, &what));
    }
}

/// `PYTHONUNBUFFERED=1` in the environment is `-u` for every Python that
/// does not run with `-E`: the same child, started without `-E`, answers.
/// (This machine sets it: a test that forgets it sees no deadlock.)
#[test]
fn pythonunbuffered_in_the_environment_hides_the_deadlock() {
    let py = python3();
    let unbuffered = [
        Setup::Env("PYTHONUNBUFFERED".into(), "1".into()),
        Setup::Env("DEADLOCKS_BOUND".into(), "1".into()),
    ];
    stderr_of(PLAIN, &[py.as_str(), CHILD_PY], unbuffered, 0);
    let unbuffered = [
        Setup::Env("PYTHONUNBUFFERED".into(), "1".into()),
        Setup::Env("DEADLOCKS_BOUND".into(), "1".into()),
    ];
    stderr_of(PLAIN, &[py.as_str(), "-E", CHILD_PY], unbuffered, 3);
}

#[test]
fn a_bad_setting_is_said_with_status_2() {
    let setup = [Setup::Env("DEADLOCKS_BOUND".into(), "soon".into())];
    let text = stderr_of(PLAIN, &[], setup, 2);
    assert_eq!(text, "error: DEADLOCKS_BOUND=\"soon\": invalid digit found in string\n");
}

/// Lesson: the pseudo-terminal, for a child that cannot be changed.
/// DEADLOCKS_PTY=1: the child's stdout is a terminal, and the Python child,
/// unchanged (no `-u`, no `flush`), prints a line at a time there: both
/// programs hold the conversation. The Rust child's BufWriter does not
/// look at what its output is: it deadlocks on a terminal too.
#[test]
fn on_a_terminal_the_python_child_unchanged_answers_line_by_line() {
    let py = python3();
    let on_a_terminal = || {
        let [a, b, c] = bounded();
        [a, b, c, Setup::Env("DEADLOCKS_PTY".into(), "1".into())]
    };
    for (program, args) in
        [(PLAIN, vec![py.as_str(), "-E", CHILD_PY]), (py.as_str(), vec!["-E", DEADLOCKS_PY])]
    {
        let text = stderr_of(program, &args, on_a_terminal(), 0);
        let what = format!("{program} {args:?}");
        snapshot_settings().bind(|| insta::assert_snapshot!("plain_conversation", text, &what));
    }
    for (program, args) in [(PLAIN, vec![]), (py.as_str(), vec!["-E", DEADLOCKS_PY, CHILD])] {
        let text = stderr_of(program, &args, on_a_terminal(), 3);
        let what = format!("{program} {args:?}");
        snapshot_settings().bind(|| insta::assert_snapshot!("plain_caught", text, &what));
    }
}
