//! pipe_thread when things go wrong: the book's chapter "When things go wrong".

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::*;
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

#[cfg(target_os = "linux")] // --show-fds reads /proc
#[test]
fn show_fds_shows_one_table_for_both_threads() {
    let run = finish(PIPE_THREAD, &["--count", "1", "--tick", "0", "--show-fds"]).success();
    let stderr = stderr(&run);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe_thread_show_fds", stderr));
}

#[test]
fn a_writer_thread_that_cannot_start_is_an_error_not_a_panic() {
    let run = finish_with(PIPE_THREAD, &["--count", "1"], [Setup::NoNewProcesses]);
    let run = run.code(1).stdout("");
    let stderr = stderr(&run);
    assert_eq!(stderr.lines().count(), 1, "one line, no panic, no backtrace: {stderr}");
    assert!(stderr.starts_with("pipe_thread: cannot start the writer thread: "), "{stderr}");
    #[cfg(target_os = "linux")] // the error's number, 11, is Linux's
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe_thread_no_thread", stderr));
}

#[test]
fn a_pipe_that_cannot_be_made_is_named() {
    let run = finish_with(PIPE_THREAD, &["--count", "1"], [Setup::MaxOpenFiles(4)]);
    let stderr = stderr(&run.code(1).stdout(""));
    assert!(stderr.starts_with("pipe_thread: cannot create the pipe: Too many open"), "{stderr}");
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    let readonly = std::fs::File::open(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let run = finish_with(PIPE_THREAD, &["--count", "5", "--tick", "0"], [Setup::Stdout(readonly)]);
    let stderr = stderr(&run.code(1));
    assert!(stderr.starts_with("pipe_thread: cannot write to stdout: Bad file"), "{stderr}");
}

#[cfg(target_os = "linux")] // a pipe of 64 KiB
#[test]
fn a_pipe_filled_by_the_last_message_is_no_deadlock_and_no_claim() {
    // 8192 messages fill the pipe exactly as the writer thread finishes: see
    // pipe1's test of the same name. Here the reader wakes when the thread
    // drops its end, so even without the check it was never seen to claim a
    // blocked writer (0 in 300 runs): these runs guard the whole behaviour,
    // and common's late.rs has the unit test that fails without the check.
    for _ in 0..40 {
        let args = ["--count", "8192", "--tick", "0", "--late-reader"];
        let running = spawn(PIPE_THREAD, &args);
        let pid = running.pid();
        assert_unframed_run(running.wait().assert(), pid, 8192, 32).stderr("");
    }
}

#[cfg(target_os = "linux")] // counts context switches in /proc
#[test]
fn the_late_reader_sleeps_while_it_waits() {
    let running = spawn(PIPE_THREAD, &["--late-reader"]);
    let (before, start) = (running.voluntary_context_switches(), std::time::Instant::now());
    std::thread::sleep(std::time::Duration::from_secs(2));
    let (waits, seconds) = (running.voluntary_context_switches() - before, start.elapsed());
    assert!(waits < 40, "{waits} waits in {seconds:?}, both threads");
    running.signal_group(Signal::SIGINT);
    let stderr = stderr(&running.wait().assert());
    assert!(stderr.contains("in about 4h 33m 4s at this tick"), "{stderr}");
}
