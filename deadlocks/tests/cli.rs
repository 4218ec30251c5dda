//! deadlocks, the workspace program, as a reader of the book sees it: one
//! test per behaviour. Every run is a subprocess in a process group of its
//! own, with a deadline (harness): a run that hangs is killed and fails its
//! test. Every demonstration that deadlocks runs with a short `--bound`, so
//! the program itself ends it long before the deadline.
//!
//! This machine's environment may set `PYTHONUNBUFFERED=1`: every run sets
//! it to 1 on purpose ([`unbuffered_env`]), to show that `deadlocks` runs
//! its Python with `-E`, which ignores it.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::time::{Duration, Instant};

use harness::assert::*;
use harness::*;

const DEADLOCKS: &str = env!("CARGO_BIN_EXE_deadlocks");
const CHILD: &str = env!("CARGO_BIN_EXE_deadlocks_child");

/// `PYTHONUNBUFFERED=1` in the run's environment, as on this machine:
/// `deadlocks` must not depend on it (its Python runs with `-E`).
fn unbuffered_env() -> Setup {
    Setup::Env("PYTHONUNBUFFERED".into(), "1".into())
}

/// Run `deadlocks args` to its end (no process left behind, not even a
/// zombie), check its exit status `code` and that it did not panic;
/// return its stdout and stderr.
fn run(args: &[&str], code: i32) -> (String, String) {
    run_with(args, code, [unbuffered_env()])
}

/// [`run`], with the run started under `setup`'s conditions.
fn run_with(args: &[&str], code: i32, setup: impl IntoIterator<Item = Setup>) -> (String, String) {
    let run = finish_with(DEADLOCKS, args, setup).code(code);
    let (out, err) = (stdout(&run), stderr(&run));
    assert!(!err.contains("panicked"), "{err}");
    (out, err)
}

/// [`snapshot_settings`], and the length of a greeting (its pid has 4 to
/// 7 digits) shown as `[N]`.
fn settings() -> insta::Settings {
    let mut settings = snapshot_settings();
    settings.add_filter(r"greeting (\d+) \(\d+ bytes", "greeting $1 ([N] bytes");
    settings
}

/// A demonstration that deadlocks: caught after its bound (exit status 3),
/// nothing on stdout; returns stderr.
fn caught(args: &[&str]) -> String {
    let (out, err) = run(args, 3);
    assert_eq!(out, "", "no reply came: {err}");
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("deadlocks: deadlock caught after "), "{err}");
    assert!(err.ends_with("was killed and reaped\n"), "{err}");
    err
}

/// A demonstration fixed: exit status 0, nothing on stderr; returns stdout.
/// Its bound is long (15 s), so that a busy machine never makes a right run
/// look like a deadlock.
fn fixed(args: &[&str]) -> String {
    let args: Vec<&str> = args.iter().copied().chain(["--bound", "15s"]).collect();
    let (out, err) = run(&args, 0);
    assert_eq!(err, "", "{out}");
    out
}

// 1a: the child that does not flush.

#[test]
fn a_python_child_that_never_flushes_deadlocks_and_is_caught() {
    let err = caught(&["python-child", "--bound", "2s"]);
    settings().bind(|| insta::assert_snapshot!("python_child", err));
}

#[test]
fn a_rust_child_with_an_unflushed_bufwriter_deadlocks_and_is_caught() {
    let err = caught(&["rust-child", "--bound", "1s"]);
    settings().bind(|| insta::assert_snapshot!("rust_child", err));
}

#[test]
fn a_python_child_that_flushes_answers_each_greeting() {
    let out = fixed(&["python-child", "--fix", "flush", "--count", "3"]);
    settings().bind(|| insta::assert_snapshot!("conversation_3", out));
}

#[test]
fn a_python_child_run_with_dash_u_answers_each_greeting() {
    let out = fixed(&["python-child", "--fix", "unbuffered", "--count", "3"]);
    settings().bind(|| insta::assert_snapshot!("conversation_3", out));
}

/// The Python child unchanged (no `-u`, no flush: the same command line as
/// the deadlock's) answers each greeting when its stdout is a terminal:
/// each reply comes before the next greeting is sent, so each came alone,
/// at its newline.
#[test]
fn a_python_child_unchanged_on_a_pseudo_terminal_answers_line_by_line() {
    let out = fixed(&["python-child", "--fix", "pty", "--count", "3"]);
    settings().bind(|| insta::assert_snapshot!("conversation_3", out));
}

#[test]
fn a_rust_child_that_flushes_answers_each_greeting() {
    let out = fixed(&["rust-child", "--fix", "flush", "--count", "3"]);
    settings().bind(|| insta::assert_snapshot!("conversation_3", out));
}

#[test]
fn a_rust_child_with_a_linewriter_answers_each_greeting() {
    let out = fixed(&["rust-child", "--fix", "line-writer", "--count", "3"]);
    settings().bind(|| insta::assert_snapshot!("conversation_3", out));
}

/// A BufWriter does not look at what its output is: a terminal changes
/// nothing, and the Rust child deadlocks there too.
#[test]
fn a_pseudo_terminal_does_not_fix_a_rust_bufwriter() {
    let err = caught(&["rust-child", "--fix", "pty", "--bound", "500ms"]);
    let parent = err.lines().nth(1).unwrap_or_default();
    assert!(
        parent.ends_with("waits in read(2) of fd 3, the pseudo-terminal of the child's stdout, which holds 0 bytes unread"),
        "{err}"
    );
    assert!(err.contains("a terminal changes nothing for it"), "{err}");
}

// 1b: two full pipes.

#[test]
fn writing_all_before_reading_fills_both_pipes_and_is_caught() {
    let err = caught(&["full-pipes", "--bound", "1s"]);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    for (line, expected) in [(lines[1], "the parent (process "), (lines[2], "the child (process ")]
    {
        assert!(line.starts_with(&format!("deadlocks: {expected}")), "{err}");
    }
    if proc::present() {
        assert!(lines[1].contains("waits in write(2) to fd "), "{err}");
        assert!(
            lines[1].ends_with("the greetings' pipe, which is full: 65536 bytes unread"),
            "{err}"
        );
        assert!(
            lines[2].contains(
                "waits in write(2) to fd 1, the replies' pipe, which is full: 65536 bytes unread"
            ),
            "{err}"
        );
    }
    assert!(lines[3].starts_with("deadlocks: why: the parent writes all 1048576 bytes before it reads one, and has written "), "{err}");
}

#[test]
fn a_writer_thread_moves_a_large_input_through_the_echoing_child() {
    let out = fixed(&["full-pipes", "--fix", "thread"]);
    settings().bind(|| insta::assert_snapshot!("full_pipes_fixed", out));
}

#[test]
fn wait_with_output_and_a_writer_thread_move_a_large_input_through() {
    let out = fixed(&["full-pipes", "--fix", "wait-with-output"]);
    settings().bind(|| insta::assert_snapshot!("full_pipes_fixed", out));
}

/// Below what the two pipes and the child hold, writing all before reading
/// does not deadlock: the bug shows only with a large input.
#[test]
fn a_small_input_written_before_reading_gets_through() {
    let out = fixed(&["full-pipes", "--bytes", "4096"]);
    assert!(out.contains("got [4096 bytes back, as sent]"), "{out}");
}

// 1c: the parent's own greeting.

#[test]
fn a_greeting_left_in_the_parents_bufwriter_deadlocks_and_is_caught() {
    let err = caught(&["parent-greeting", "--bound", "1s"]);
    settings().bind(|| insta::assert_snapshot!("parent_greeting", err));
}

#[test]
fn a_parent_that_flushes_its_greeting_gets_each_reply() {
    let out = fixed(&["parent-greeting", "--fix", "flush", "--count", "3"]);
    settings().bind(|| insta::assert_snapshot!("conversation_3", out));
}

// The bound.

/// The bound works: a deadlock ends after `--bound`, not before, and soon
/// after (the watch looks at the processes for at most a second), long
/// before the test's own deadline (20 s).
#[test]
fn the_bound_ends_a_deadlock_after_its_time() {
    for (bound, at_least) in [("300ms", 300), ("2s", 2000)] {
        let start = Instant::now();
        caught(&["rust-child", "--bound", bound]);
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(at_least), "--bound {bound}: {took:?}");
        // The watch's look takes at most a second; a busy machine adds some.
        assert!(took < Duration::from_millis(at_least + 5000), "--bound {bound}: {took:?}");
    }
}

/// Without /proc (macOS; here, EXERCISES_NO_PROC=1) the calls cannot be
/// seen: said so, with what the parent says it does and the bytes counted.
#[test]
fn without_proc_the_calls_are_unknown_but_the_bytes_are_counted() {
    let no_proc = Setup::Env(proc::NO_PROC.into(), "1".into());
    let (_, err) = run_with(&["python-child", "--bound", "2s"], 3, [no_proc]);
    settings().bind(|| insta::assert_snapshot!("python_child_no_proc", err));
}

// Bad input.

#[test]
fn a_fix_of_another_demonstration_is_a_usage_error() {
    assert_usage_error(
        DEADLOCKS,
        &["full-pipes", "--fix", "flush"],
        &["--fix flush", "full-pipes", "thread, wait-with-output"],
    );
    assert_usage_error(
        DEADLOCKS,
        &["python-child", "--fix", "line-writer"],
        &["line-writer", "python-child"],
    );
}

#[test]
fn bad_values_are_usage_errors_naming_them() {
    for (args, names) in [
        (&["no-such-demo"][..], &["no-such-demo"][..]),
        (&[], &["required"]),
        (&["rust-child", "--bound", "0"], &["--bound", "0"]),
        (&["rust-child", "--bound", "0s"], &["--bound", "0s", "every run a deadlock"]),
        (&["rust-child", "--bound", "61s"], &["--bound", "61s", "longest bound, 1m"]),
        (&["rust-child", "--bound", "2h"], &["--bound", "2h"]),
        (&["rust-child", "--bound", "1.5s"], &["--bound", "1.5s"]),
        (&["rust-child", "--count", "-1"], &["--count", "-1"]),
        (&["rust-child", "--bytes", "+5"], &["--bytes", "+5"]),
        (&["rust-child", "--fix", "magic"], &["--fix", "magic"]),
    ] {
        assert_usage_error(DEADLOCKS, args, names);
    }
}

#[test]
fn a_python_that_cannot_run_is_said_with_status_1() {
    let (out, err) = run(&["python-child", "--python", "no-such-python-for-deadlocks"], 1);
    assert_eq!(out, "");
    assert!(err.starts_with("deadlocks: cannot run no-such-python-for-deadlocks: "), "{err}");
}

#[test]
fn help_says_each_exit_status() {
    let help = assert_help_and_version(DEADLOCKS, "deadlocks");
    for said in [
        "0 the conversation ended",
        "2 bad input",
        "3 a deadlock caught",
        "python-child",
        "--bound",
    ] {
        assert!(help.contains(said), "{said}: {help}");
    }
}

// The Rust child.

#[test]
fn the_rust_child_refuses_an_unknown_mode_with_status_2() {
    let run = finish(CHILD, &["sideways"]).code(2).stdout("");
    let err = stderr(&run);
    assert!(err.starts_with("error: usage: deadlocks_child "), "{err}");
}

/// Ctrl-C in the middle of a deadlock (long before its bound) ends both:
/// the child is in the parent's process group, so the terminal's SIGINT
/// reaches it too, and nothing is left.
#[test]
fn ctrl_c_ends_the_parent_and_its_child() {
    let running = spawn(DEADLOCKS, &["rust-child", "--bound", "1m"]);
    let (parent, child) = (running.pid(), running.child_pid());
    running.wait_for_state(child, 'S');
    running.signal_group(nix::sys::signal::Signal::SIGINT);
    running.wait_for_ctrl_c();
    let run = running.wait();
    wait_until_group_ended(parent);
    let signal = killed_by(run.status);
    assert_eq!(signal, Some(nix::sys::signal::Signal::SIGINT), "child {child}");
}
