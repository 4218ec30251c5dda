//! pipe2 --trace: the reads under the BufReader, the closes, the end-of-file.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::path::PathBuf;

use common::testing::*;
use timeline::run::{Kind, Role, Run};

const PIPE2: &str = env!("CARGO_BIN_EXE_pipe2");

#[test]
fn a_traced_run_shows_one_end_each_and_ends_with_end_of_file() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pipe2_run.jsonl");
    let args = ["--count", "5", "--tick", "10ms", "--trace", path.to_str().unwrap()];
    let run = run(PIPE2, &args).success().stderr("");
    assert_eq!(stdout(&run).lines().count(), 5);
    let trace = Run::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    trace.check().unwrap();
    assert_eq!(trace.frame.as_deref(), Some(&b"\n"[..]), "a newline after each message");
    let holds = |role| {
        let e = trace.events.iter().find(|e| e.event == Kind::Holds && e.role == role).unwrap();
        e.ends.clone().unwrap()
    };
    assert_eq!(holds(Role::Writer), "fd 4 (write end)", "the child closed its read end");
    assert_eq!(holds(Role::Reader), "fd 3 (read end)", "the parent closed its write end");
    let last = trace.events.iter().rfind(|e| e.role == Role::Reader && e.event != Kind::Exit);
    assert_eq!(last.unwrap().event, Kind::Eof, "the reader's last read");
    let exits: Vec<(&str, &str)> = (trace.events.iter().filter(|e| e.event == Kind::Exit))
        .map(|e| (e.who.as_deref().unwrap(), e.ends.as_deref().unwrap()))
        .collect();
    assert_eq!(
        exits,
        [("child", ""), ("parent", "")],
        "the child exits first; neither holds an end"
    );
    if cfg!(target_os = "linux") {
        let written = trace.events.iter().filter(|e| e.event == Kind::Write).map(|e| e.bytes);
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
