//! pipe1, as a reader of the book sees it: one test per behaviour.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::time::{Duration, SystemTime};

use harness::assert::*;
use harness::proc::group_members;
use harness::*;

/// The binary cargo built for this test (`CARGO_BIN_EXE_<name>`).
const PIPE1: &str = env!("CARGO_BIN_EXE_pipe1");

#[test]
fn late_reader_makes_the_clumping_certain() {
    let run = finish(PIPE1, &["--count", "5", "--tick", "0", "--late-reader"]).success().stderr("");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_late_reader", stdout(&run)));
}

#[test]
fn read_size_5_splits_messages() {
    let args = ["--count", "5", "--tick", "0", "--late-reader", "--read-size", "5"];
    let run = finish(PIPE1, &args).success().stderr("");
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_read_size_5", stdout(&run)));
}

#[test]
fn a_live_run_receives_every_byte_in_order_whatever_the_interleaving() {
    let running = spawn(PIPE1, &["--count", "12", "--tick", "0"]);
    let pid = running.pid();
    assert_unframed_run(running.wait().assert(), pid, 12, 32);
    assert_eq!(group_members(pid), [], "the child was reaped");
}

#[test]
fn the_parent_prints_its_own_pid_not_the_childs() {
    let running = spawn(PIPE1, &["--count", "3", "--tick", "0", "--late-reader"]);
    let pid = running.pid();
    let lines = parse_lines(&running.wait().assert().get_output().stdout);
    assert!(!lines.is_empty() && lines.iter().all(|line| line.pid == pid), "{lines:?}");
}

#[test]
fn messages_are_never_printed_before_the_schedule_allows() {
    let (start, tick) = (SystemTime::now(), Duration::from_millis(40));
    let run = finish(PIPE1, &["--count", "6", "--tick", "40ms"]).success();
    assert_never_early(&parse_lines(&run.get_output().stdout), start, tick);
}

#[test]
fn late_reader_starts_early_when_the_pipe_is_full_and_loses_nothing() {
    let running = spawn(PIPE1, &["--count", "10000", "--tick", "0", "--late-reader"]);
    let pid = running.pid();
    let run = assert_unframed_run(running.wait().assert(), pid, 10000, 32);
    let stderr = stderr(&run);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("pipe1: the pipe is full"), "{stderr}");
    assert!(stderr.contains("deadlock"), "{stderr}");
}

/// The live run the book shows, one possible run among many, recorded from
/// `pipe1 --count 11 --tick 100ms`. It must be a run pipe1 can print. After a
/// change to what pipe1 prints, record it again (and read the diff):
/// `RECORD_LIVE_RUN=1 cargo test -p pipe1 live_run`.
#[test]
fn the_live_run_shown_in_the_book_is_a_possible_run() {
    let recording = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/runs/live_count_11_tick_100ms.txt");
    if std::env::var_os("RECORD_LIVE_RUN").is_some() {
        let run = finish(PIPE1, &["--count", "11", "--tick", "100ms"]).success();
        std::fs::write(recording, &run.get_output().stdout).unwrap();
    }
    let recorded = std::fs::read(recording).unwrap();
    let lines = parse_lines(&recorded);
    let reads: Vec<&str> = lines.iter().map(|line| unquote(&line.data)).collect();
    assert_eq!(reads.concat(), stream(11), "every byte, in order");
    assert!(reads.iter().all(|read| !read.is_empty() && read.len() <= 32));
    assert!(lines.iter().all(|line| line.pid == lines[0].pid), "one parent");
    assert!(lines.windows(2).all(|pair| pair[0].time <= pair[1].time), "time runs forward");
    let first = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(lines[0].time);
    assert_never_early(&lines, first, Duration::from_millis(100));
}

#[test]
fn count_zero_sends_nothing_and_exits_0() {
    finish(PIPE1, &["--count", "0"]).success().stdout("").stderr("");
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    for (args, names) in BAD_ARGS.iter().chain(BAD_UNFRAMED_ARGS) {
        assert_usage_error(PIPE1, args, names);
    }
}

#[test]
fn help_says_what_it_teaches_and_exits_0() {
    let help = assert_help_and_version(PIPE1, "pipe1");
    assert!(help.contains("pipe1.py") && help.contains("Anonymous Pipes"), "{help}");
    assert!(help.contains("--late-reader") && help.contains("--read-size"), "{help}");
}
