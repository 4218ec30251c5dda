//! deadlocks --trace: a deadlock recorded as a picture needs it (the reply
//! held in a buffer, where each process waits at the bound, the bound), and
//! its fix recorded without any of that. The Rust child records after exec
//! into the parent's trace. Every run is a subprocess with a deadline
//! (harness), and every deadlock has a short `--bound`.

#![cfg(target_os = "linux")] // the calls each waits in come from /proc

use std::path::PathBuf;

use harness::assert::*;
use harness::*;
use timeline::recorded::{Event, Line, Role, Run};

const DEADLOCKS: &str = env!("CARGO_BIN_EXE_deadlocks");

/// A file for the trace of the test `name`, in cargo's directory for them.
fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("deadlocks_{name}.jsonl"))
}

/// Run `deadlocks args --trace <file>` to its end with exit status `code`,
/// and read the trace back: a run a pipe can make (each byte read after its
/// write began).
fn traced(name: &str, args: &[&str], code: i32) -> Run {
    let path = path(name);
    let path = path.to_str().unwrap();
    let args: Vec<&str> = args.iter().copied().chain(["--trace", path]).collect();
    finish(DEADLOCKS, &args).code(code);
    let run = Run::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    run.check().unwrap();
    run
}

/// The parent's pid and the child's: the lanes, by role.
fn pids(run: &Run) -> (u32, u32) {
    let pid = |role| run.lanes().into_iter().find(|l| l.1 == role).map(|l| l.0).unwrap();
    (pid(Role::Parent), pid(Role::Child))
}

/// The events of `run` that `pick` takes.
fn picked(run: &Run, pick: impl Fn(&Line) -> bool) -> Vec<&Line> {
    run.events.iter().filter(|e| pick(e)).collect()
}

/// A `stuck`: its lane's pid, its call, fd, pipe and bytes unread.
type Stuck = (u32, String, Option<u64>, Option<u64>, Option<u64>);

/// Each `stuck` of `run`.
fn stuck(run: &Run) -> Vec<Stuck> {
    (run.events.iter())
        .filter_map(|e| match &e.event {
            Event::Stuck { call, fd, pipe, unread, .. } => {
                Some((e.pid, call.clone(), *fd, *pipe, *unread))
            }
            _ => None,
        })
        .collect()
}

/// The pipe read on descriptor `fd` by `pid` (from its `holds` after exec,
/// for the child; from its reads for the parent).
fn pipe_of(run: &Run, pid: u32, wanted: u64) -> Option<u64> {
    run.events.iter().filter(|e| e.pid == pid).find_map(|e| match &e.event {
        Event::Read { fd, pipe, .. } | Event::Eof { fd, pipe, .. } if *fd == wanted => *pipe,
        _ => None,
    })
}

#[test]
fn a_traced_deadlock_holds_the_buffered_reply_both_waits_and_the_bound() {
    let run = traced("bufwriter_deadlock", &["rust-child", "--bound", "500ms"], 3);
    let (parent, child) = pids(&run);
    assert_eq!(run.lanes().len(), 2, "the watch records as the parent and for the child");
    // The child read greeting 1 and put its reply in its BufWriter: nothing written.
    let greeting = format!("Greeting 1 from parent {parent}");
    let held = picked(&run, |e| matches!(e.event, Event::Buffered { .. }));
    assert_eq!(held.len(), 1, "{held:?}");
    let Event::Buffered { message, pipe: held_in, .. } = &held[0].event else { unreachable!() };
    assert_eq!(message.0, format!("child {child} read [{greeting}]").into_bytes());
    assert_eq!(held[0].pid, child);
    assert!(picked(&run, |e| e.pid == child && matches!(e.event, Event::Write { .. })).is_empty());
    assert!(picked(&run, |e| e.pid == parent && matches!(e.event, Event::Read { .. })).is_empty());
    // At the bound: the parent in read(2) of the replies' pipe, the child in
    // read(2) of fd 0, the greetings' pipe, both empty.
    let greetings = pipe_of(&run, child, 0).expect("the child read greeting 1 on fd 0");
    let waits = stuck(&run);
    assert_eq!(waits.len(), 2, "{waits:?}");
    let (p, c) = (&waits[0], &waits[1]);
    assert_eq!((p.0, p.1.as_str(), p.3, p.4), (parent, "read", *held_in, Some(0)), "{waits:?}");
    assert_eq!(
        (c.0, c.1.as_str(), c.2, c.3, c.4),
        (child, "read", Some(0), Some(greetings), Some(0))
    );
    assert_ne!(greetings, held_in.unwrap(), "two pipes");
    // The parent says since when it reads: after its greeting was written.
    let since = run.events.iter().find_map(|e| match e.event {
        Event::Stuck { since, .. } if e.pid == parent => since,
        _ => None,
    });
    let written = picked(&run, |e| e.pid == parent && matches!(e.event, Event::Write { .. }));
    assert!(since.unwrap() >= written[0].end(), "{since:?}");
    // Then the bound, half a second after the start at least, killing the child.
    let caught: Vec<(u64, u64, u32)> = (run.events.iter())
        .filter_map(|e| match e.event {
            Event::Caught { bound_ns, killed } => Some((e.t, bound_ns, killed)),
            _ => None,
        })
        .collect();
    assert_eq!(caught.len(), 1);
    let (at, bound_ns, killed) = caught[0];
    assert_eq!((bound_ns, killed), (500_000_000, child));
    assert!(at - run.start() >= bound_ns, "caught at the bound, not before");
    // The waits were open at the bound: the parent's read, begun at `since`,
    // returned only after it (end-of-file: the killed child's end closed);
    // the child recorded nothing after its reply went into its buffer.
    let parents_read = picked(&run, |e| e.pid == parent && e.t >= since.unwrap());
    let parents_read: Vec<_> = parents_read.iter().filter(|e| e.event.end().is_some()).collect();
    assert_eq!(parents_read.len(), 1, "{parents_read:?}");
    assert!(matches!(parents_read[0].event, Event::Eof { .. }) && parents_read[0].end() > at);
    let after = picked(&run, |e| e.pid == child && e.end() > held[0].end());
    assert!(after.iter().all(|e| matches!(e.event, Event::Stuck { .. })), "{after:?}");
}

#[test]
fn a_traced_greeting_left_in_the_parents_bufwriter_is_buffered() {
    let run = traced("greeting_held", &["parent-greeting", "--bound", "500ms"], 3);
    let (parent, child) = pids(&run);
    let held = picked(&run, |e| matches!(e.event, Event::Buffered { .. }));
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0].pid, parent);
    let Event::Buffered { message, .. } = &held[0].event else { unreachable!() };
    assert_eq!(message.0, format!("Greeting 1 from parent {parent}").into_bytes());
    let waits: Vec<(u32, String)> = stuck(&run).into_iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(waits, [(parent, "read".to_owned()), (child, "read".to_owned())]);
}

#[test]
fn a_traced_fix_has_each_reply_written_and_read_and_nothing_stuck() {
    let args = ["rust-child", "--fix", "line-writer", "--bound", "15s"];
    let run = traced("line_writer_fix", &args, 0);
    let (parent, child) = pids(&run);
    let none = |e: &Line| {
        matches!(e.event, Event::Buffered { .. } | Event::Stuck { .. } | Event::Caught { .. })
    };
    assert!(picked(&run, none).is_empty());
    let count = |pid, write| {
        picked(&run, |e| {
            e.pid == pid
                && if write {
                    matches!(e.event, Event::Write { .. })
                } else {
                    matches!(e.event, Event::Read { .. })
                }
        })
        .len()
    };
    assert_eq!([count(parent, true), count(parent, false)], [2, 2], "greetings, replies");
    assert_eq!([count(child, true), count(child, false)], [2, 2], "replies, greetings");
    assert_eq!(run.pipes.len(), 2);
}

#[test]
fn an_untraced_run_does_not_pass_on_a_trace_of_its_own_environment() {
    let path = path("not_ours");
    std::fs::write(&path, "left as it was\n").unwrap();
    let env = Setup::Env("PIPES_TRACE".into(), path.to_str().unwrap().into());
    let args = ["rust-child", "--fix", "line-writer", "--bound", "15s"];
    finish_with(DEADLOCKS, &args, [env]).success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "left as it was\n");
}

#[test]
fn a_trace_that_cannot_be_opened_is_said_with_status_1() {
    let run = finish(DEADLOCKS, &["rust-child", "--trace", "/no/such/dir/t.jsonl"]).code(1);
    let err = stderr(&run);
    assert!(err.starts_with("deadlocks: cannot open the trace file /no/such/dir/t.jsonl"), "{err}");
}
