//! The solutions of the pipe1 chapter's exercises, checked.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use common::testing::*;

const PIPE1: &str = env!("CARGO_BIN_EXE_pipe1");
const PIPE1_WHOLE: &str = env!("CARGO_BIN_EXE_pipe1_whole");

/// The bytes of each read of a late-reader run of 5 messages.
fn late_reads(read_size: u32) -> Vec<String> {
    let size = read_size.to_string();
    let args = ["--count", "5", "--tick", "0", "--late-reader", "--read-size", &size];
    let run = run(PIPE1, &args).success();
    parse_lines(&run.get_output().stdout)
        .iter()
        .map(|line| unquote(&line.data).to_owned())
        .collect()
}

// ANCHOR: predict
#[test]
fn exercise_predict_the_reads_of_read_size_12() {
    // 40 bytes wait in the pipe; each read takes up to 12 of them, the last one
    // what is left. The prediction is the snapshot `pipe1_predict_read_size_12`.
    let args = ["--count", "5", "--tick", "0", "--late-reader", "--read-size", "12"];
    let run = run(PIPE1, &args).success();
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("pipe1_predict_read_size_12", stdout(&run)));
}
// ANCHOR_END: predict

// ANCHOR: whole
#[test]
fn exercise_only_multiples_of_8_keep_every_message_whole() {
    for read_size in 1..=41 {
        let whole = late_reads(read_size).iter().all(|read| read.len() % 8 == 0);
        // With 40 bytes waiting, a read size of 40 or more takes them all in one read.
        assert_eq!(whole, read_size % 8 == 0 || read_size >= 40, "--read-size {read_size}");
    }
}
// ANCHOR_END: whole

#[test]
fn exercise_pipe1_whole_prints_one_message_a_line_even_in_a_live_run() {
    let run = run(PIPE1_WHOLE, &["--count", "12", "--tick", "0"]).success().stderr("");
    let lines = parse_lines(&run.get_output().stdout);
    let messages: Vec<&str> = lines.iter().map(|line| line.data.as_str()).collect();
    assert_eq!(messages.concat(), stream(12));
    assert!(messages.iter().all(|m| m.len() == 8), "{messages:?}");
}
