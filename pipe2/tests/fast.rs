//! pipe2_fast, the chapter "How fast is a pipe": the same output as pipe2,
//! written in blocks when the child is fast, and still line by line when it
//! is slow. (How fast it is, the benchmark says: `bench/run`.)

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::proc::group_members;
use harness::*;

const PIPE2: &str = env!("CARGO_BIN_EXE_pipe2");
const FAST: &str = env!("CARGO_BIN_EXE_pipe2_fast");

/// What a bounded run printed: the lines, checked to carry the program's pid.
fn messages(program: &str, args: &[&str]) -> Vec<String> {
    let running = spawn(program, args);
    let pid = running.pid();
    let run = running.wait().assert().success().stderr("");
    let lines = parse_lines(&run.get_output().stdout);
    assert_eq!(group_members(pid), [], "every process of the run ended, and was reaped");
    assert!(lines.iter().all(|line| line.pid == pid), "the parent's pid on every line");
    lines.into_iter().map(|line| line.data).collect()
}

#[test]
fn a_bounded_run_prints_what_pipe2_prints() {
    for args in [&["--count", "7", "--tick", "0"][..], &["--count", "6", "--tick", "10ms"]] {
        assert_eq!(messages(FAST, args), messages(PIPE2, args), "{args:?}");
    }
}

#[test]
fn flat_out_every_message_arrives_once_in_order() {
    // More than one 64 KiB block of output (about 45 bytes a line).
    let got = messages(FAST, &["--count", "5000", "--tick", "0"]);
    assert_eq!(got.concat(), stream(5000));
}

#[test]
fn a_slow_run_prints_each_line_before_the_next_message_is_sent() {
    // Spam 000 is sent at once, Spam 001 an hour later: the first line can
    // only come out in time if the parent flushes before it waits.
    let mut running = spawn(FAST, &["--count", "2", "--tick", "1h"]);
    let first = running.next_line();
    assert_eq!(parse_lines(first.as_bytes())[0].data, common::message(0));
    running.wait_for_state(running.pid(), 'S'); // the parent waits in read for Spam 001
    assert_eq!(running.lines_so_far(), Vec::<String>::new());
    // Dropping `running` ends the run.
}

#[test]
fn head_3_ends_the_run_quietly() {
    let (lines, run) = head(FAST, &["--tick", "0"], 3);
    let got: Vec<String> =
        lines.iter().map(|l| parse_lines(l.as_bytes())[0].data.clone()).collect();
    assert_eq!(got, (0..3).map(common::message).collect::<Vec<_>>());
    run.success().stderr("");
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    for (args, names) in BAD_ARGS {
        assert_usage_error(FAST, args, names);
    }
}
