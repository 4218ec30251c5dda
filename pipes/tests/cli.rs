//! pipes, the workspace program, as a reader of the book sees it: one test
//! per behaviour. Every run is a subprocess in a process group of its own,
//! with a deadline (harness): a run that hangs is killed and fails its test.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::time::{Duration, Instant};

use harness::assert::*;
use harness::*;
use nix::sys::signal::Signal;

/// The binary cargo built for this test (`CARGO_BIN_EXE_<name>`).
const PIPES: &str = env!("CARGO_BIN_EXE_pipes");
const CHILD_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/pipes_child.py");

/// Python as a reader runs it: `PYTHONUNBUFFERED` empty (Python then takes
/// it as unset), so that a Python child on a pipe buffers its output and
/// must flush, whatever the test's own environment says.
fn buffered() -> Setup {
    Setup::Env("PYTHONUNBUFFERED".into(), String::new())
}

/// Run `pipes args` to its end (no process left behind) and check that it
/// exited with `code`, printed nothing on stdout (its stdout is the pipe to
/// its child) and did not panic; return its stderr.
fn stderr_of(args: &[&str], code: i32) -> String {
    let run = finish_with(PIPES, args, [buffered()]).code(code).stdout("");
    let text = stderr(&run);
    assert!(!text.contains("panicked"), "{text}");
    text
}

#[test]
fn a_bounded_run_holds_the_conversation_on_stderr() {
    let text = stderr_of(&["--count", "3", "--tick", "0"], 0);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipes_count_3", text));
}

#[test]
fn the_python_child_holds_the_same_conversation() {
    let args = ["--count", "3", "--tick", "0", "--", "python3", CHILD_PY, "spam"];
    let text = stderr_of(&args, 0);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipes_count_3", text));
}

/// `--count` and `--tick` reach the child through its environment: it
/// answers three greetings (its own default is two), and sleeps two ticks
/// before each read and two before each reply (its own default is 2 s).
#[test]
fn count_and_tick_set_the_childs_pace() {
    let start = Instant::now();
    let text = stderr_of(&["--count", "3", "--tick", "100ms"], 0);
    let elapsed = start.elapsed();
    assert_eq!(text.lines().filter(|line| line.starts_with("Parent ")).count(), 3, "{text}");
    // 3 greetings * 4 ticks of 100 ms: 1.2 s at least; the child's own
    // pace (2 s naps) would take 12 s.
    assert!(elapsed >= Duration::from_millis(1200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(6), "{elapsed:?}");
}

#[test]
fn count_zero_sends_no_greeting() {
    let text = stderr_of(&["--count", "0", "--tick", "0"], 0);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipes_count_0", text));
}

/// `--show-fds`: each process says which ends of the two pipes it holds
/// once it has closed the other side's ends, before `dup2` (3 and 6 in the
/// parent, 4 and 5 in the child), and after (0 and 1 in both: the pipes
/// are their stdin and stdout now, and the other descriptors are closed).
#[test]
fn show_fds_shows_the_ends_before_and_after_dup2_in_both_processes() {
    let text = stderr_of(&["--count", "1", "--tick", "0", "--show-fds"], 0);
    // Each process's lines in the order it printed them, the parent's first:
    // the two processes print at the same time, in either order.
    let of =
        |who: &'static str| text.lines().filter(move |line| line.contains(&format!(": {who} ")));
    let shown: String = of("parent").chain(of("child")).map(|line| format!("{line}\n")).collect();
    snapshot_settings().bind(|| insta::assert_snapshot!("pipes_show_fds", shown));
}

/// Lesson: an `execvp` that fails returns, in the child, a copy of the
/// parent. The child says why and exits with status 127, as a shell does:
/// it never runs the parent's conversation. The parent's greeting finds no
/// one (its write fails, EPIPE, or its read sees end-of-file, whichever
/// comes first): it says so, with how the child ended.
#[test]
fn a_program_that_cannot_start_exits_127_and_runs_no_parent_code() {
    let text = stderr_of(&["--tick", "0", "--", "no-such-program"], 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "the child's line and the parent's: {text}");
    let cannot = "pipes: cannot run no-such-program: No such file or directory (os error 2)";
    assert_eq!(lines[0], cannot, "the child says why, first");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipes_cannot_start", lines[0]));
    let (no_reply, how) = lines[1].split_once("; child ").expect(lines[1]);
    let why = ["end-of-file", "cannot write to stdout: Broken pipe (os error 32)"];
    assert!(
        why.map(|why| format!("pipes: no reply to greeting 1: {why}")).contains(&no_reply.into())
    );
    let (pid, how) = how.split_once(' ').expect(how);
    assert!(pid.parse::<u32>().is_ok() && how == "exited with status 127", "{text}");
}

/// Lesson: a child that ends after reading the first greeting, with no
/// reply: the parent's read sees end-of-file, and the parent says so.
#[test]
fn a_child_that_ends_without_a_reply_is_told_as_end_of_file() {
    let text = stderr_of(&["--tick", "0", "--", "sh", "-c", "read line"], 1);
    assert_eq!(text, "pipes: no reply to greeting 1: end-of-file\n");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipes_child_ends", text));
}

/// Lesson: a child that closes its stdin, then replies: the parent's next
/// greeting goes into a pipe nobody can read. The write fails with EPIPE
/// (Rust's runtime ignores SIGPIPE), and the parent says so: an error, not
/// the quiet end of a `| head` run, and no panic.
#[test]
fn a_child_that_closes_its_stdin_makes_the_next_greeting_fail_with_epipe() {
    let script = r#"read line; exec <&-; echo "$line""#;
    let text = stderr_of(&["--tick", "0", "--", "sh", "-c", script], 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("Parent ") && lines[0].contains("got [Greeting 1 from parent "));
    let epipe = "pipes: no reply to greeting 2: cannot write to stdout: Broken pipe (os error 32)";
    assert_eq!(lines[1], epipe);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipes_epipe", text));
}

/// Ctrl-C, as a terminal sends it to every process of the foreground job:
/// at the book's pace, both the parent and its child end (neither catches
/// SIGINT), and no process is left.
#[test]
fn ctrl_c_ends_the_parent_and_its_child() {
    let running = spawn(PIPES, &[]);
    let (parent, child) = (running.pid(), running.child_pid());
    running.signal_group(Signal::SIGINT);
    running.wait_for_ctrl_c();
    let run = running.wait();
    wait_until_group_ended(parent);
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGINT), "child {child}");
}

#[test]
fn help_says_what_it_teaches_and_exits_0() {
    let help = assert_help_and_version(PIPES, "pipes");
    assert!(help.contains("pipes.py") && help.contains("Bidirectional IPC"), "{help}");
    assert!(help.contains("default: 2, as the book"), "{help}");
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    for (args, names) in BAD_ARGS {
        assert_usage_error(PIPES, args, names);
    }
    assert_usage_error(PIPES, &["--read-size", "5"], &["--read-size"]);
}

/// `pipes | head -3` has nothing to cut: `dup2` puts the pipe to the child
/// on the parent's stdout, so a reader of the stdout it was started with
/// gets no line (stdout closes in both processes as `spawn` ends), while
/// the conversation goes on to its end, on stderr, with status 0.
#[test]
fn a_reader_of_its_stdout_gets_nothing_the_conversation_is_on_stderr() {
    let mut running = spawn_with(PIPES, &["--count", "2", "--tick", "100ms"], [buffered()]);
    assert_eq!(running.next_line_within(Duration::from_millis(600)), None, "no line");
    let run = running.wait().assert().success().stdout("");
    let text = stderr(&run);
    assert_eq!(text.lines().filter(|line| line.starts_with("Parent ")).count(), 2, "{text}");
}
