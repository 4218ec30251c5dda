//! pipe_thread when things go wrong: the book's chapter "When things go wrong".

use common::testing::*;
use nix::sys::signal::Signal;

const PIPE_THREAD: &str = env!("CARGO_BIN_EXE_pipe_thread");

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    // pipe_thread --tick 0 | head -3: forever, flat out, until head has its lines.
    let (lines, run) = head(PIPE_THREAD, &["--tick", "0"], 3);
    run.success().stderr("");
    assert_eq!(parse_lines((lines.join("\n") + "\n").as_bytes()).len(), 3);
}

#[test]
fn ctrl_c_stops_both_threads_without_a_word() {
    let run = interrupt(PIPE_THREAD, &[]);
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGINT));
    run.stdout("").stderr("");
}

#[test]
fn show_fds_shows_one_table_for_both_threads() {
    let run = run(PIPE_THREAD, &["--count", "1", "--tick", "0", "--show-fds"]).success();
    let stderr = stderr(&run);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe_thread_show_fds", stderr));
}
