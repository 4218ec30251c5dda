//! pipe2, as a reader of the book sees it: one test per behaviour.

use std::time::{Duration, SystemTime};

use common::testing::*;

/// The binary cargo built for this test (`CARGO_BIN_EXE_<name>`).
const PIPE2: &str = env!("CARGO_BIN_EXE_pipe2");

#[test]
fn a_bounded_run_prints_one_line_per_message() {
    let run = run(PIPE2, &["--count", "5", "--tick", "10ms"]).success().stderr("");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_count_5", stdout(&run)));
}

#[test]
fn after_spam_004_the_schedule_starts_again_at_spam_000() {
    let run = run(PIPE2, &["--count", "7", "--tick", "0"]).success().stderr("");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_count_7", stdout(&run)));
}

#[test]
fn flat_out_every_read_is_still_exactly_one_message() {
    let running = spawn(PIPE2, &["--count", "1000", "--tick", "0"]);
    let pid = running.pid();
    let lines = parse_lines(&running.wait().success().stderr("").get_output().stdout);
    let messages: Vec<String> = lines.iter().map(|line| line.data.clone()).collect();
    assert_eq!(messages.concat(), stream(1000), "every message, in order");
    assert!(messages.iter().all(|m| m.len() == 8), "one message per line");
    assert!(lines.iter().all(|line| line.pid == pid), "the parent's pid on every line");
}

#[test]
fn messages_are_never_printed_before_the_schedule_allows() {
    let (start, tick) = (SystemTime::now(), Duration::from_millis(50));
    let run = run(PIPE2, &["--count", "5", "--tick", "50ms"]).success();
    assert_never_early(&parse_lines(&run.get_output().stdout), start, tick);
}

#[test]
fn count_zero_sends_nothing_and_exits_0() {
    run(PIPE2, &["--count", "0"]).success().stdout("").stderr("");
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
    let help = stdout(&run(PIPE2, &["--help"]).success());
    assert!(help.contains("pipe2.py") && help.contains("file objects"), "{help}");
}
