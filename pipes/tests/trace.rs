//! pipes --trace: both ways through two pipes, the child's part recorded
//! after exec by pipes_child, into the parent's trace.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::path::PathBuf;

use harness::assert::*;
use harness::*;
use timeline::recorded::{Event, Role, Run};

const PIPES: &str = env!("CARGO_BIN_EXE_pipes");

/// A file for the trace of the test `name`, in cargo's directory for them.
fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("pipes_{name}.jsonl"))
}

#[test]
fn a_traced_run_holds_both_directions_and_the_childs_part_after_exec() {
    let path = path("both_ways");
    let args = ["--count", "3", "--tick", "0", "--trace", path.to_str().unwrap()];
    let run = finish(PIPES, &args).success().stdout("");
    assert_eq!(stderr(&run).lines().count(), 4, "the child's line and three replies");
    let trace = Run::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    trace.check().unwrap();
    assert_eq!(trace.pipes.len(), 2, "the greetings' pipe and the replies'");
    let roles: Vec<Role> = trace.lanes().into_iter().map(|(_, role)| role).collect();
    assert!(roles.contains(&Role::Parent) && roles.contains(&Role::Child), "{roles:?}");
    assert_eq!(roles.len(), 2, "one lane each: the child before and after exec is one");
    // The child's reads and writes are recorded after exec, by pipes_child.
    let (parent, child) = (trace.events.iter())
        .find_map(|e| match e.event {
            Event::Fork { child } => Some((e.pid, child)),
            _ => None,
        })
        .unwrap();
    let count = |pid, write| {
        (trace.events.iter())
            .filter(|e| e.pid == pid)
            .filter(|e| match e.event {
                Event::Write { .. } => write,
                Event::Read { .. } => !write,
                _ => false,
            })
            .count()
    };
    assert_eq!([count(parent, true), count(parent, false)], [3, 3], "greetings, replies");
    assert_eq!([count(child, true), count(child, false)], [3, 3], "replies, greetings");
    let after_exec: Vec<&str> = (trace.events.iter())
        .filter_map(|e| match &e.event {
            Event::Holds { who, ends, .. } if who == "after exec: child" => Some(ends.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(after_exec, ["fd 0 (read end)", "fd 1 (write end)"]);
    // Each read and write names its pipe; each pipe is written by one side, read by the other.
    for stream in &trace.pipes {
        let writers: Vec<u32> = stream.writes.iter().map(|w| trace.events[w.event].pid).collect();
        let readers: Vec<u32> = stream.reads.iter().map(|r| trace.events[r.event].pid).collect();
        assert!(stream.pipe.is_some());
        assert!(
            writers.iter().all(|&w| w == writers[0]) && readers.iter().all(|&r| r != writers[0])
        );
    }
}

#[test]
fn an_untraced_run_does_not_pass_on_a_pipes_trace_of_its_own_environment() {
    let path = path("not_ours");
    std::fs::write(&path, "left as it was\n").unwrap();
    let env = Setup::Env("PIPES_TRACE".into(), path.to_str().unwrap().into());
    finish_with(PIPES, &["--count", "1", "--tick", "0"], [env]).success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "left as it was\n");
}

#[test]
fn a_child_that_cannot_open_the_trace_says_so_and_exits_1() {
    let child = env!("CARGO_BIN_EXE_pipes_child");
    let env = [
        Setup::Env("PIPES_TRACE".into(), "/no/such/dir/t.jsonl".into()),
        Setup::Env("PIPES_SLEEP".into(), "0".into()),
    ];
    let run = finish_with(child, &["spam"], env).code(1);
    let text = stderr(&run);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("pipes_child: cannot open the trace file /no/such/dir/t.jsonl: "),
        "{text}"
    );
}
