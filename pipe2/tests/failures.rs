//! pipe2 when things go wrong: the book's chapter "When things go wrong".

use common::testing::*;
use nix::sys::signal::Signal;

const PIPE2: &str = env!("CARGO_BIN_EXE_pipe2");

#[test]
fn a_closed_stdout_ends_the_run_quietly_with_nothing_left_running() {
    // pipe2 --tick 0 | head -3: forever, flat out, until head has its lines.
    let (lines, run) = head(PIPE2, &["--tick", "0"], 3);
    let run = run.success().stderr("");
    let shown = lines.join("\n") + "\n";
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_head_3", shown));
    drop(run);
}

#[test]
fn ctrl_c_stops_both_processes_without_a_word() {
    let run = interrupt(PIPE2, &[]);
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGINT));
    run.stdout("").stderr("");
}

#[test]
fn a_killed_child_gives_the_parent_end_of_file_and_an_error() {
    let mut running = spawn(PIPE2, &["--tick", "50ms"]);
    running.next_line();
    send(running.child_pid(), Signal::SIGKILL);
    let run = running.wait().code(1);
    let stderr = stderr(&run);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_child_killed", stderr));
}

#[test]
fn a_killed_parent_makes_the_child_fail_with_epipe_and_exit_quietly() {
    let mut running = spawn(PIPE2, &["--tick", "50ms"]);
    running.next_line();
    let child = running.child_pid();
    send(running.pid(), Signal::SIGKILL);
    // The child sleeps at most 4 ticks, then its write fails: no reader is left.
    wait_until_group_ended(running.pid());
    assert_eq!(running.state_of(child).unwrap_or('Z'), 'Z');
    let run = running.wait();
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGKILL));
    run.stderr(""); // the child said nothing: a broken pipe is a quiet end
}

#[test]
fn show_fds_shows_each_process_holding_one_end() {
    let run = run(PIPE2, &["--count", "1", "--tick", "0", "--show-fds"]).success();
    let mut lines: Vec<String> = stderr(&run).lines().map(str::to_owned).collect();
    lines.sort(); // the two processes print in either order
    let shown = lines.join("\n") + "\n";
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_show_fds", shown));
}

#[test]
fn a_bad_value_starts_no_child_and_names_the_problem() {
    let run = run(PIPE2, &["--tick", "5parsecs"]).code(2).stdout("");
    let first_line = stderr(&run).lines().next().unwrap().to_owned();
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_bad_tick", first_line));
}
