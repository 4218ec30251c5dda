//! pipe1 when things go wrong: the book's chapter "When things go wrong".

use common::testing::*;
use nix::sys::signal::Signal;

const PIPE1: &str = env!("CARGO_BIN_EXE_pipe1");

#[test]
fn a_closed_stdout_ends_the_run_quietly_and_kills_the_child() {
    // pipe1 --tick 0 | head -3: forever, flat out, until head has its lines.
    let (lines, run) = head(PIPE1, &["--tick", "0"], 3);
    run.success().stderr("");
    let received: String = parse_lines((lines.join("\n") + "\n").as_bytes())
        .iter()
        .map(|line| unquote(&line.data).to_owned())
        .collect();
    assert!(stream(1000).starts_with(&received), "the first bytes, in order: {received}");
}

#[test]
fn ctrl_c_stops_both_processes_without_a_word() {
    let run = interrupt(PIPE1, &[]);
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGINT));
    run.stdout("").stderr("");
}

#[test]
fn a_killed_child_leaves_the_parent_waiting_forever() {
    let mut running = spawn(PIPE1, &["--tick", "50ms"]);
    running.next_line();
    let child = running.child_pid();
    send(child, Signal::SIGKILL);
    running.wait_for_state(child, 'Z');
    running.wait_for_state(running.pid(), 'S');
    // The parent still holds a write end, so its read never sees end-of-file:
    // it sleeps in read, and never reaps the dead child.
    let state = |pid| describe(running.state_of(pid).expect("still in the process table"));
    let states = format!("parent: {}\nchild:  {}\n", state(running.pid()), state(child));
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_child_killed", states));
    assert_eq!(running.lines_so_far(), Vec::<String>::new(), "nothing more arrives");
    // Dropping `running` kills the parent: the Ctrl-C the reader would need.
}

#[test]
fn a_killed_parent_takes_the_child_with_it() {
    // One tick is a second: without die_with_parent the child would write on
    // for hours, since it holds the read end itself and never gets EPIPE.
    let mut running = spawn(PIPE1, &[]);
    running.next_line();
    let child = running.child_pid();
    send(running.pid(), Signal::SIGKILL);
    wait_until_group_ended(running.pid());
    assert_eq!(running.state_of(child).unwrap_or('Z'), 'Z', "the child ended with its parent");
    let run = running.wait();
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGKILL));
}

#[test]
fn show_fds_shows_both_processes_holding_both_ends() {
    let run = run(PIPE1, &["--count", "1", "--tick", "0", "--show-fds"]).success();
    let mut lines: Vec<String> = stderr(&run).lines().map(str::to_owned).collect();
    lines.sort(); // the two processes print in either order
    let shown = lines.join("\n") + "\n";
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_show_fds", shown));
}

#[test]
fn a_full_pipe_makes_the_late_reader_read_early_and_say_why() {
    let run = run(PIPE1, &["--count", "10000", "--tick", "0", "--late-reader"]).success();
    let stderr = stderr(&run);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_full_pipe", stderr));
}

#[test]
fn a_bad_value_starts_no_child_and_names_the_problem() {
    let run = run(PIPE1, &["--count", "abc"]).code(2).stdout("");
    let first_line = stderr(&run).lines().next().unwrap().to_owned();
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_bad_count", first_line));
}
