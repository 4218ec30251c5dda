//! pipe_thread --trace: two threads, one process, one file.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::path::PathBuf;

use common::testing::*;
use timeline::recorded::{Event, Role, Run};

const PIPE_THREAD: &str = env!("CARGO_BIN_EXE_pipe_thread");

#[test]
fn a_traced_run_is_one_process_with_a_writer_thread() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pipe_thread_run.jsonl");
    let args = ["--count", "5", "--tick", "0", "--late-reader", "--trace", path.to_str().unwrap()];
    let running = spawn(PIPE_THREAD, &args);
    let pid = running.pid();
    running.wait().success().stderr("");
    let trace = Run::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    trace.check().unwrap();
    assert!(trace.events.iter().all(|e| e.pid == pid), "one process");
    let first_writer = trace.events.iter().find(|e| e.role == Role::Writer).unwrap();
    assert_eq!(first_writer.event, Event::Start {}, "the writer thread starts, no fork");
    let reads: Vec<usize> = trace.reads.iter().map(|r| r.data.len()).collect();
    assert_eq!(reads, [32, 8]);
    assert_eq!(trace.events.iter().filter(|e| matches!(e.event, Event::Eof { .. })).count(), 1);
}

#[cfg(target_os = "linux")] // /dev/full
#[test]
fn a_trace_that_cannot_be_written_is_said_once_and_the_run_fails() {
    let run = run(PIPE_THREAD, &["--count", "3", "--tick", "0", "--trace", "/dev/full"]).code(1);
    assert!(!stdout(&run).is_empty(), "the run itself went on");
    let said =
        "pipe_thread: cannot write the trace to /dev/full: No space left on device (os error 28)\n";
    assert_eq!(stderr(&run), said, "one line for the two threads");
}
