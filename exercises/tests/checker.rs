//! The check command under abuse: small wrong attempts
//! (`exercises/tests/attempts/`), each run through the command itself as a
//! subprocess (`check <name> --attempt <program>`), or through one of its
//! checks, as a chapter's tests do. Each gets a verdict that says what
//! happened, the checker holds a bounded part of what it printed, and
//! nothing the attempt started outlives the check.

#![cfg(target_os = "linux")] // most of these verdicts come from /proc (the last test forces its absence)

use exercises::assert_behaviour_missing;
use harness::assert::*;
use harness::*;

const EXERCISES: &str = env!("CARGO_BIN_EXE_exercises");

/// The address space the checker may use in the tests below: a checker
/// that keeps all of an attempt's output runs out of it.
const CHECKER_MEMORY: u64 = 1 << 30;

/// What the check command printed, checking `attempt` (a program) as an
/// attempt at exercise `name`, with at most [`CHECKER_MEMORY`] of address
/// space; and how it ended.
fn checked(name: &str, attempt: &str, setup: Vec<Setup>) -> Assert {
    let mut setup = setup;
    setup.push(Setup::MaxMemory(CHECKER_MEMORY));
    finish_with(EXERCISES, &["check", name, "--attempt", attempt], setup)
}

/// 2,000 lines of 1 MiB: the checker keeps a bounded part (it does not run
/// out of its 1 GiB), and its verdict quotes a bounded part of a line.
#[test]
fn a_check_keeps_and_quotes_a_bounded_part_of_a_long_output() {
    let run = checked("pipe1_whole", env!("CARGO_BIN_EXE_attempt_prints_long_lines"), vec![]);
    let said = stdout(&run);
    assert!(
        said.contains("\nNot yet: "),
        "a verdict: {}\n{}",
        &said[..said.len().min(2000)],
        stderr(&run)
    );
    assert!(said.len() < 10_000, "a verdict of {} bytes", said.len());
    assert!(said.contains("more bytes)"), "the quote says it is cut: {said}");
    run.code(1);
}

/// Lines of 1 MiB, for ever: the checker stops the attempt and gives a
/// verdict (it does not run out of memory first).
#[test]
fn a_check_of_an_endless_output_ends_with_a_verdict() {
    let run = checked("pipe1_whole", env!("CARGO_BIN_EXE_attempt_prints_forever"), vec![]);
    let said = stdout(&run);
    assert!(
        said.contains("still running after"),
        "{}\n{}",
        &said[..said.len().min(2000)],
        stderr(&run)
    );
    assert!(said.len() < 10_000, "a verdict of {} bytes", said.len());
    run.code(1);
}

/// A child that calls `setsid` leaves the process group, out of reach of
/// the group's signals: the checker still kills it before it ends, and
/// says so.
#[test]
fn nothing_an_attempt_starts_outlives_the_check() {
    let dir = std::env::temp_dir().join(format!("checker-escapee-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pid_file = dir.join("pid");
    let env = Setup::Env("ESCAPEE_PID_FILE".into(), pid_file.to_str().unwrap().into());
    let run = checked("pipe1_scratch", env!("CARGO_BIN_EXE_attempt_child_escapes"), vec![env]);
    let escapee: i32 = std::fs::read_to_string(&pid_file).unwrap().parse().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let alive = nix::sys::signal::kill(nix::unistd::Pid::from_raw(escapee), None).is_ok();
    if alive {
        send(escapee as u32, nix::sys::signal::Signal::SIGKILL);
    }
    assert!(!alive, "process {escapee}, started by the attempt, outlived the check");
    let said = stdout(&run);
    let named = format!("Process {escapee}, which the program started");
    assert!(said.contains(&named) && said.contains("left the program's process group"), "{said}");
    run.code(1);
}

/// Ctrl-C reaches every process of the group but one, which left it:
/// the verdict says so, at once, not at the 20-second deadline.
#[test]
fn an_attempt_whose_child_escaped_ctrl_c_is_told_so() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        "the child writes each message into the pipe",
        env!("CARGO_BIN_EXE_attempt_child_escapes"),
        &["left the program's process group", "Ctrl-C"],
    );
    kill_named(&reason);
    println!("{reason}");
    assert!(!reason.contains("never comes"), "{reason}");
}

/// The process the verdict names, `process <pid>` after `left`: killed,
/// since this test runs the check in its own process, which is no
/// subreaper.
fn kill_named(reason: &str) {
    for word in reason.split("process ").skip(1) {
        let pid: String = word.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(pid) = pid.parse::<i32>() {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

/// A program that ignores Ctrl-C is told so, at once.
#[test]
fn an_attempt_that_ignores_ctrl_c_is_told_so() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        "the child writes each message into the pipe",
        env!("CARGO_BIN_EXE_attempt_ignores_ctrl_c"),
        &["ignores Ctrl-C (SIGINT)"],
    );
    println!("{reason}");
    assert!(!reason.contains("never comes"), "{reason}");
}

/// A child whose bytes sit in a `BufWriter` never flushed: the verdict
/// says nothing arrived, and asks about a buffer; and for a program that
/// runs for ever, it never speaks of a run that ends within a second.
#[test]
fn a_writer_that_never_flushes_is_asked_about_its_buffer() {
    let reason = assert_behaviour_missing(
        "pipe1_scratch",
        "prints `Parent",
        env!("CARGO_BIN_EXE_attempt_never_flushes"),
        &["nothing has arrived in it", "still sit in a buffer"],
    );
    println!("{reason}");
    assert!(!reason.contains("within a second"), "{reason}");
    assert!(!reason.contains("a write end of it is still open"), "{reason}");
}

/// `watch` checks again at each save: its verdict does not tell the
/// student to run `check` again.
#[test]
fn watch_does_not_say_to_run_check_again() {
    let args = ["watch", "pipe1_scratch", "--attempt", env!("CARGO_BIN_EXE_attempt_says_nothing")];
    let mut watching = spawn(EXERCISES, &args);
    let mut said = String::new();
    loop {
        let line = watching.next_line();
        said.push_str(&line);
        said.push('\n');
        if line.starts_with("Watching ") {
            break;
        }
    }
    assert!(said.contains("\nNot yet: "), "{said}");
    assert!(!said.contains("-- check pipe1_scratch"), "{said}");
    assert!(!said.contains("check again:"), "{said}");
    assert!(said.contains("save it"), "{said}");
}

/// Where there is no /proc (forced here with `EXERCISES_NO_PROC=1`, as a
/// Mac has none): a run that never ends is stopped at the watch's deadline,
/// and the verdict says what it printed, that it did not end, which pipe
/// ends each process holds (`lsof`), and what the check could not see.
#[test]
fn without_proc_a_stuck_run_is_stopped_and_its_pipe_ends_said() {
    let no_proc = Setup::Env(harness::proc::NO_PROC.into(), "1".into());
    let run = checked("pipe1_scratch", env!("CARGO_BIN_EXE_attempt_never_flushes"), vec![no_proc]);
    // The verdict's lines are wrapped: its words, one space apart.
    let said = stdout(&run).split_whitespace().collect::<Vec<&str>>().join(" ");
    let seconds = harness::stuck::OVERDUE_AFTER.as_secs();
    for words in [
        format!("it printed no line, and had not ended after {seconds} seconds"),
        "The parent (process ".into(),
        ") holds the read end of pipe 1 (fd ".into(),
        "The child (process ".into(),
        ") holds the write end of pipe 1 (fd ".into(),
        "This system has no /proc, so the check cannot see the state of each".into(),
    ] {
        assert!(said.contains(&words), "the verdict should say {words:?}:\n{said}");
    }
    assert!(!said.contains("nothing has arrived"), "what only /proc shows is not guessed: {said}");
    run.code(1);
}
