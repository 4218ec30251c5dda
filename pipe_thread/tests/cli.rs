//! pipe_thread, as a reader of the book sees it: one test per behaviour.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::time::{Duration, SystemTime};

use harness::assert::*;
use harness::*;

/// The binary cargo built for this test (`CARGO_BIN_EXE_<name>`).
const PIPE_THREAD: &str = env!("CARGO_BIN_EXE_pipe_thread");

#[test]
fn late_reader_makes_the_clumping_certain() {
    let args = ["--count", "5", "--tick", "0", "--late-reader"];
    let run = finish(PIPE_THREAD, &args).success().stderr("");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe_thread_late_reader", stdout(&run)));
}

#[test]
fn a_live_run_receives_every_byte_in_order_in_one_process() {
    let running = spawn(PIPE_THREAD, &["--count", "12", "--tick", "0"]);
    let pid = running.pid();
    // Every line carries `pid`, the one process both threads belong to.
    assert_unframed_run(running.wait().assert(), pid, 12, 32);
}

#[test]
fn read_size_splits_messages_between_threads_too() {
    let running = spawn(PIPE_THREAD, &["--count", "10", "--tick", "0", "--read-size", "3"]);
    let pid = running.pid();
    assert_unframed_run(running.wait().assert(), pid, 10, 3);
}

#[test]
fn messages_are_never_printed_before_the_schedule_allows() {
    let (start, tick) = (SystemTime::now(), Duration::from_millis(40));
    let run = finish(PIPE_THREAD, &["--count", "6", "--tick", "40ms"]).success();
    assert_never_early(&parse_lines(&run.get_output().stdout), start, tick);
}

#[test]
fn late_reader_starts_early_when_the_pipe_is_full_and_loses_nothing() {
    let running = spawn(PIPE_THREAD, &["--count", "10000", "--tick", "0", "--late-reader"]);
    let pid = running.pid();
    let run = assert_unframed_run(running.wait().assert(), pid, 10000, 32);
    let stderr = stderr(&run);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("pipe_thread: the pipe is full"), "{stderr}");
}

#[test]
fn count_zero_sends_nothing_and_exits_0() {
    finish(PIPE_THREAD, &["--count", "0"]).success().stdout("").stderr("");
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    for (args, names) in BAD_ARGS.iter().chain(BAD_UNFRAMED_ARGS) {
        assert_usage_error(PIPE_THREAD, args, names);
    }
}

#[test]
fn help_says_what_it_teaches_and_exits_0() {
    let help = assert_help_and_version(PIPE_THREAD, "pipe_thread");
    assert!(help.contains("pipe-thread.py") && help.contains("Example 5-21"), "{help}");
}
