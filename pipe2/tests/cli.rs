//! pipe2, as a reader of the book sees it: one test per behaviour.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::time::{Duration, SystemTime};

use harness::assert::*;
use harness::*;

/// The binary cargo built for this test (`CARGO_BIN_EXE_<name>`).
const PIPE2: &str = env!("CARGO_BIN_EXE_pipe2");

#[test]
fn a_bounded_run_prints_one_line_per_message() {
    let run = finish(PIPE2, &["--count", "5", "--tick", "10ms"]).success().stderr("");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_count_5", stdout(&run)));
}

#[test]
fn after_spam_004_the_schedule_starts_again_at_spam_000() {
    let run = finish(PIPE2, &["--count", "7", "--tick", "0"]).success().stderr("");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_count_7", stdout(&run)));
}

#[test]
fn spam_004_and_the_next_spam_000_are_sent_together() {
    // The child sleeps 0, 1, 2, 3, 4 ticks before Spam 000 to Spam 004, then
    // 0 before the next Spam 000 (common's unit tests check every sleep).
    // End to end: the line of Spam 000 follows that of Spam 004 by far less
    // than a tick, where any sleep between them would put a whole tick of
    // 400 ms (at least 390 ms apart in times printed with two decimals). A
    // false alarm needs the machine to hold one of the two processes back
    // for 300 ms between two writes; a loaded machine held a line back by
    // 90 ms in 50 stress runs.
    let run = finish(PIPE2, &["--count", "6", "--tick", "400ms"]).success().stderr("");
    let lines = parse_lines(&run.get_output().stdout);
    let data: Vec<&str> = lines.iter().map(|line| line.data.as_str()).collect();
    assert_eq!(data[4..], ["Spam 004", "Spam 000"]);
    let gap = lines[5].time - lines[4].time;
    assert!(gap < 0.3, "{gap:.2} s between Spam 004 and Spam 000");
}

#[test]
fn flat_out_every_read_is_still_exactly_one_message() {
    let running = spawn(PIPE2, &["--count", "1000", "--tick", "0"]);
    let pid = running.pid();
    let lines = parse_lines(&running.wait().assert().success().stderr("").get_output().stdout);
    let messages: Vec<String> = lines.iter().map(|line| line.data.clone()).collect();
    assert_eq!(messages.concat(), stream(1000), "every message, in order");
    assert!(messages.iter().all(|m| m.len() == 8), "one message per line");
    assert!(lines.iter().all(|line| line.pid == pid), "the parent's pid on every line");
}

#[test]
fn messages_are_never_printed_before_the_schedule_allows() {
    let (start, tick) = (SystemTime::now(), Duration::from_millis(50));
    let run = finish(PIPE2, &["--count", "5", "--tick", "50ms"]).success();
    assert_never_early(&parse_lines(&run.get_output().stdout), start, tick);
}

#[test]
fn count_zero_sends_nothing_and_exits_0() {
    finish(PIPE2, &["--count", "0"]).success().stdout("").stderr("");
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    for (args, names) in BAD_ARGS {
        assert_usage_error(PIPE2, args, names);
    }
    // pipe2 reads lines: a read size means nothing to it.
    assert_usage_error(PIPE2, &["--read-size", "5"], &["--read-size"]);
}

#[test]
fn help_says_what_it_teaches_and_exits_0() {
    let help = assert_help_and_version(PIPE2, "pipe2");
    assert!(help.contains("pipe2.py") && help.contains("file objects"), "{help}");
}
