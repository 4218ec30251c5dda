//! pipe1 --trace: every event of a run, in a file a picture can be drawn from.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::path::PathBuf;

use common::testing::*;
use timeline::recorded::{Event, Line, Role, Run, Until};

const PIPE1: &str = env!("CARGO_BIN_EXE_pipe1");

/// A fresh path for test `name`'s trace.
fn trace_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("pipe1_{name}.jsonl"))
}

/// Run pipe1 with `args` and `--trace`; its stdout, and the trace read back.
fn traced(name: &str, args: &[&str]) -> (String, Run) {
    let path = trace_path(name);
    let mut args = args.to_vec();
    args.extend(["--trace", path.to_str().unwrap()]);
    let running = spawn(PIPE1, &args);
    let pid = running.pid();
    let run = running.wait().success().stderr("");
    let trace = Run::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(trace.events.iter().all(|e| (e.role == Role::Reader) == (e.pid == pid)), "{trace:?}");
    (stdout(&run), trace)
}

/// How many events of the kind named `name` (`"write"`, ...) `run` has.
fn count(run: &Run, name: &str) -> usize {
    run.events.iter().filter(|e| e.event.name() == name).count()
}

/// The `ends` of every `holds` (`exit` if `exit`) event, in order.
fn ends(run: &Run, exit: bool) -> Vec<&str> {
    fn ends(e: &Line, exit: bool) -> Option<&str> {
        match &e.event {
            Event::Holds { ends, .. } if !exit => Some(ends),
            Event::Exit { ends, .. } if exit => Some(ends),
            _ => None,
        }
    }
    run.events.iter().filter_map(|e| ends(e, exit)).collect()
}

#[test]
fn a_traced_run_records_every_event_and_is_possible() {
    let (stdout, trace) = traced("late", &["--count", "5", "--tick", "0", "--late-reader"]);
    trace.check().unwrap();
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let (parent, child) = (trace.events.iter().find_map(|e| match e.event {
        Event::Fork { child } => Some((e.pid, child)),
        _ => None,
    }))
    .unwrap();
    let forked = trace.events.iter().find(|e| matches!(e.event, Event::Forked { .. })).unwrap();
    assert_eq!(forked.event, Event::Forked { parent }, "each names the other");
    assert_eq!(forked.pid, child);
    let counts = ["holds", "start", "sleep", "write", "read", "eof", "wait"];
    let counts: Vec<usize> = counts.into_iter().map(|name| count(&trace, name)).collect();
    assert_eq!(counts, [2, 1, 5, 5, 2, 0, 1], "two processes hold ends; no end-of-file in pipe1");
    let wait = trace.events.iter().find(|e| matches!(e.event, Event::Wait { .. })).unwrap();
    assert!(
        matches!(wait.event, Event::Wait { until: Until::Finished, .. }),
        "--late-reader waited for the writer: {wait:?}"
    );
    assert_eq!(
        ends(&trace, false),
        ["fd 3 (read end), fd 4 (write end)"; 2],
        "both hold both ends"
    );
    assert_eq!(ends(&trace, true), ["", ""], "each exits holding none: its owners were dropped");
    if cfg!(target_os = "linux") {
        let written: Vec<Option<u64>> = (trace.events.iter())
            .filter_map(|e| match e.event {
                Event::Write { bytes, .. } => Some(bytes),
                _ => None,
            })
            .collect();
        assert_eq!(written, [Some(8); 5], "the kernel counted 8 bytes a write");
    }
    let reads: Vec<u64> = trace.reads.iter().map(|r| r.data.len() as u64).collect();
    assert_eq!(reads, [32, 8]);
    assert_eq!(trace.frame.as_deref(), Some(&b""[..]), "no separator");
}

#[test]
fn tracing_does_not_change_what_pipe1_prints() {
    let args = ["--count", "5", "--tick", "0", "--late-reader"];
    let untraced = stdout(&run(PIPE1, &args).success());
    let (traced, _) = traced("same", &args);
    let data =
        |out: &str| parse_lines(out.as_bytes()).into_iter().map(|l| l.data).collect::<Vec<_>>();
    assert_eq!(data(&traced), data(&untraced));
}

#[test]
fn both_processes_append_whole_lines_to_one_file() {
    // Flat out, the writer's and the reader's lines are appended at once.
    let (_, trace) = traced("busy", &["--count", "3000", "--tick", "0"]);
    trace.check().unwrap();
    assert_eq!(count(&trace, "write"), 3000);
    assert_eq!(trace.reads.iter().map(|r| r.data.len()).sum::<usize>(), 3000 * 8);
}

#[test]
fn a_trace_file_that_cannot_be_made_is_said_and_nothing_runs() {
    let args = ["--count", "1", "--trace", "/no/such/folder/t.jsonl"];
    let run = run(PIPE1, &args).code(1).stdout("");
    assert_eq!(
        stderr(&run),
        "pipe1: cannot open the trace file /no/such/folder/t.jsonl: \
         No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_command_line_that_runs_nothing_leaves_the_trace_file_alone() {
    let path = trace_path("kept");
    let path = path.to_str().unwrap();
    let kept = "a trace recorded before\n";
    for (args, status) in [
        (&["--count", "abc"][..], 2),
        (&["--bogus"], 2),
        (&["--count", "1", "stray"], 2),
        (&["--help"], 0),
        (&["--version"], 0),
    ] {
        std::fs::write(path, kept).unwrap();
        let mut args = args.to_vec();
        args.splice(0..0, ["--trace", path]);
        run(PIPE1, &args).code(status);
        assert_eq!(std::fs::read_to_string(path).unwrap(), kept, "{args:?}");
    }
}

#[test]
fn a_trace_needs_one_descriptor_and_leaves_the_pipe_its_numbers() {
    // 64 descriptors at most: the trace still records, and the pipe is still
    // fds 3 and 4, as --show-fds shows them in an untraced run.
    let path = trace_path("few_fds");
    let args = ["--count", "5", "--tick", "0", "--late-reader", "--trace", path.to_str().unwrap()];
    run_with(PIPE1, &args, [Setup::MaxOpenFiles(64)]).success().stderr("");
    let trace = Run::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    trace.check().unwrap();
    assert_eq!(count(&trace, "write"), 5);
    if cfg!(target_os = "linux") {
        assert_eq!(
            ends(&trace, false),
            ["fd 3 (read end), fd 4 (write end)"; 2],
            "read from /proc"
        );
    }
    let fd = |e: &Line| match e.event {
        Event::Read { fd, .. } => Some(fd),
        _ => None,
    };
    assert!(trace.events.iter().filter_map(fd).all(|fd| fd == 3));
    // Six descriptors: stdin, stdout, stderr, the trace and the pipe's two ends.
    run_with(PIPE1, &args, [Setup::MaxOpenFiles(6)]).success().stderr("");
    let trace = Run::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(count(&trace, "write"), 5);
}

#[cfg(target_os = "linux")] // /dev/full
#[test]
fn a_trace_that_cannot_be_written_is_said_and_the_run_fails() {
    let run = run(PIPE1, &["--count", "3", "--tick", "0", "--trace", "/dev/full"]).code(1);
    let reads: Vec<String> =
        parse_lines(&run.get_output().stdout).into_iter().map(|l| l.data).collect();
    let read: String = reads.iter().map(|data| unquote(data)).collect();
    assert_eq!(read, stream(3), "the run itself went on");
    let stderr = stderr(&run);
    let first = stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first, "pipe1: cannot write the trace to /dev/full: No space left on device (os error 28)",
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
