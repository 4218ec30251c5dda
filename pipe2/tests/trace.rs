//! pipe2 --trace: the reads under the BufReader, the closes, the end-of-file.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::path::PathBuf;

use harness::assert::*;
use harness::*;
use timeline::recorded::{Event, Role, Run};

const PIPE2: &str = env!("CARGO_BIN_EXE_pipe2");

#[test]
fn a_traced_run_shows_one_end_each_and_ends_with_end_of_file() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pipe2_run.jsonl");
    let args = ["--count", "5", "--tick", "10ms", "--trace", path.to_str().unwrap()];
    let run = finish(PIPE2, &args).success().stderr("");
    assert_eq!(stdout(&run).lines().count(), 5);
    let trace = Run::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    trace.check().unwrap();
    assert_eq!(trace.frame.as_deref(), Some(&b"\n"[..]), "a newline after each message");
    let holds = |role| {
        let holds = |e: &&timeline::recorded::Line| matches!(e.event, Event::Holds { .. });
        let e = trace.events.iter().filter(holds).find(|e| e.role == role).unwrap();
        let Event::Holds { ends, .. } = &e.event else { unreachable!() };
        ends.clone()
    };
    assert_eq!(holds(Role::Writer), "fd 4 (write end)", "the child closed its read end");
    assert_eq!(holds(Role::Reader), "fd 3 (read end)", "the parent closed its write end");
    let last = (trace.events.iter())
        .rfind(|e| e.role == Role::Reader && !matches!(e.event, Event::Exit { .. }));
    assert!(matches!(last.unwrap().event, Event::Eof { .. }), "the reader's last read: {last:?}");
    let exits: Vec<(&str, &str)> = (trace.events.iter())
        .filter_map(|e| match &e.event {
            Event::Exit { who, ends, .. } => Some((who.as_str(), ends.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        exits,
        [("child", ""), ("parent", "")],
        "the child exits first; neither holds an end"
    );
    if cfg!(target_os = "linux") {
        let written = trace.events.iter().filter_map(|e| match e.event {
            Event::Write { bytes, .. } => Some(bytes),
            _ => None,
        });
        assert!(
            written.eq([Some(9); 5]),
            "the kernel counted 9 bytes a write: message and newline"
        );
    }
    assert!(
        trace.reads.iter().all(|r| r.data.ends_with(b"\n")),
        "BufReader reads whole lines here"
    );
}

#[test]
fn a_trace_cut_short_by_a_full_disk_is_said_and_the_run_fails() {
    // The file may grow to one block (`ulimit -f 1`: 512 bytes in dash and
    // in bash as sh, 1024 in plain bash), a few lines: then each write fails with EFBIG
    // (SIGXFSZ ignored: it would otherwise kill the process).
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pipe2_cut_short.jsonl");
    let script = r#"trap "" XFSZ; ulimit -f 1 && exec "$0" "$@""#;
    let args = ["-c", script, PIPE2, "--count", "20", "--tick", "0", "--trace"];
    let mut args = args.to_vec();
    args.push(path.to_str().unwrap());
    let run = finish("sh", &args).code(1);
    assert_eq!(stdout(&run).lines().count(), 20, "the run itself went on");
    let stderr = stderr(&run);
    let first = stderr.lines().next().unwrap_or_default();
    let said = format!("pipe2: cannot write the trace to {}: File too large", path.display());
    assert!(first.starts_with(&said), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(std::fs::metadata(&path).unwrap().len() <= 1024);
}
