//! pipe2 when things go wrong: the book's chapter "When things go wrong".

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::*;
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
    let run = running.wait().assert().code(1);
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
    let run = running.wait().assert();
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGKILL));
    run.stderr(""); // the child said nothing: a broken pipe is a quiet end
}

#[cfg(target_os = "linux")] // --show-fds reads /proc
#[test]
fn show_fds_shows_each_process_holding_one_end() {
    let run = finish(PIPE2, &["--count", "1", "--tick", "0", "--show-fds"]).success();
    let mut lines: Vec<String> = stderr(&run).lines().map(str::to_owned).collect();
    lines.sort(); // the two processes print in either order
    let shown = lines.join("\n") + "\n";
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_show_fds", shown));
}

#[test]
fn a_bad_value_starts_no_child_and_names_the_problem() {
    let run = finish(PIPE2, &["--tick", "5parsecs"]).code(2).stdout("");
    let first_line = stderr(&run).lines().next().unwrap().to_owned();
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe2_bad_tick", first_line));
}

#[test]
fn started_with_sigchld_ignored_it_still_hears_its_child_end() {
    // `env --ignore-signal=CHLD pipe2 --count 5 --tick 0`: with SIGCHLD
    // ignored the kernel would reap the child itself, and waitpid would fail
    // with ECHILD after the last line. pipe2 restores the default first.
    let run = finish_with(PIPE2, &["--count", "5", "--tick", "0"], [Setup::SigchldIgnored]);
    let run = run.success().stderr("");
    assert_eq!(parse_lines(&run.get_output().stdout).len(), 5);
}

#[test]
fn a_pipe_that_cannot_be_made_is_named() {
    let run = finish_with(PIPE2, &["--count", "1"], [Setup::MaxOpenFiles(4)]).code(1).stdout("");
    let stderr = stderr(&run);
    assert!(stderr.starts_with("pipe2: cannot create the pipe: Too many open files"), "{stderr}");
}

#[test]
fn a_fork_that_fails_is_named() {
    let run = finish_with(PIPE2, &["--count", "1"], [Setup::NoNewProcesses]).code(1).stdout("");
    let stderr = stderr(&run);
    assert!(stderr.starts_with("pipe2: cannot fork: Resource temporarily unavailable"), "{stderr}");
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    let readonly = std::fs::File::open(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let run = finish_with(PIPE2, &["--count", "5", "--tick", "0"], [Setup::Stdout(readonly)]);
    let stderr = stderr(&run.code(1));
    assert!(stderr.starts_with("pipe2: cannot write to stdout: Bad file descriptor"), "{stderr}");
}
