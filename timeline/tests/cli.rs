//! The `timeline` program, as a reader of the book runs it.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::path::{Path, PathBuf};

use harness::assert::*;
use harness::*;

const TIMELINE: &str = env!("CARGO_BIN_EXE_timeline");

fn file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn draws_a_trace_as_the_book_shows_it() {
    let trace = file("runs/pipe2.jsonl");
    let title = "pipe2 --count 5 --tick 100ms: one read per line, then end-of-file";
    let run = finish(TIMELINE, &[arg(&trace), "--title", title]).success().stderr("");
    let shown = std::fs::read_to_string(file("../book/src/pictures/pipe2.svg")).unwrap();
    assert_eq!(stdout(&run), shown);
}

#[test]
fn draws_who_holds_which_end() {
    let fds = file("runs/pipe1_show_fds.txt");
    let title = "pipe1 after the fork: both processes hold both ends of the pipe";
    let run = finish(TIMELINE, &["--fds", arg(&fds), "--title", title]).success().stderr("");
    let shown = std::fs::read_to_string(file("../book/src/pictures/pipe1_show_fds.svg")).unwrap();
    assert_eq!(stdout(&run), shown);
}

#[test]
fn refuses_an_impossible_run_and_says_why() {
    let trace = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("impossible.jsonl");
    let text = std::fs::read_to_string(file("runs/pipe2.jsonl")).unwrap();
    let lost: String = text
        .lines()
        .filter(|l| !l.contains(r#""data":"Spam 002\n""#))
        .map(|l| l.to_owned() + "\n")
        .collect();
    std::fs::write(&trace, lost).unwrap();
    let run = finish(TIMELINE, &[arg(&trace)]).code(2).stdout("");
    let stderr = stderr(&run);
    assert!(
        stderr.starts_with("timeline: ") && stderr.contains("is not a possible run"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_missing_file_or_a_bad_line_is_an_error_naming_it() {
    // A file that cannot be read: status 1; a bad line is bad input: 2.
    let missing = finish(TIMELINE, &["/no/such/trace.jsonl"]).code(1).stdout("");
    let said = stderr(&missing);
    assert!(said.starts_with("timeline: cannot read /no/such/trace.jsonl"), "{said}");
    let bad = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bad.jsonl");
    std::fs::write(&bad, "{\"t\":1}\n").unwrap();
    let said = stderr(&finish(TIMELINE, &[arg(&bad)]).code(2).stdout(""));
    assert!(said.contains("line 1"), "{said}");
}

#[test]
fn bad_options_exit_2() {
    assert_usage_error(TIMELINE, &["--no-such-flag", "x"], &["--no-such-flag"]);
    assert_usage_error(TIMELINE, &[], &["required"]);
}

#[test]
fn a_trace_without_events_is_bad_input() {
    let empty = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("empty.jsonl");
    for text in ["", "\n", "  \n\t\n"] {
        std::fs::write(&empty, text).unwrap();
        let said = stderr(&finish(TIMELINE, &[arg(&empty)]).code(2).stdout(""));
        let first = format!("timeline: {}: no events: the trace is empty", empty.display());
        assert_eq!(said, first + "\n", "{text:?}");
    }
}

#[test]
fn draws_a_run_both_ways_and_who_holds_which_end_stage_by_stage() {
    let trace = file("runs/pipes.jsonl");
    let title = "pipes --count 2 --tick 100ms: the greetings go to the child on one pipe, \
                 its replies come back on the other";
    let run = finish(TIMELINE, &[arg(&trace), "--title", title]).success().stderr("");
    let shown = std::fs::read_to_string(file("../book/src/pictures/pipes.svg")).unwrap();
    assert_eq!(stdout(&run), shown);
    let title = "pipes: who holds which end of the two pipes before dup2, after it, and after exec";
    let run = finish(TIMELINE, &["--holds", arg(&trace), "--title", title]).success().stderr("");
    let shown = std::fs::read_to_string(file("../book/src/pictures/pipes_holds.svg")).unwrap();
    assert_eq!(stdout(&run), shown);
}

/// `--holds` of a trace whose `holds` name no pipe (one recorded before
/// there were two pipes), and a trace of three lanes: bad input, said in
/// one line.
#[test]
fn holds_without_pipes_and_a_third_lane_are_bad_input() {
    let said = stderr(&finish(TIMELINE, &["--holds", arg(&file("runs/pipe2.jsonl"))]).code(2));
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.ends_with("pipe2.jsonl: no holds event that names its pipe\n"), "{said}");
    let three = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("three_lanes.jsonl");
    let text = std::fs::read_to_string(file("runs/pipe2.jsonl")).unwrap();
    let first = text.lines().next().unwrap();
    let value: serde_json::Value = serde_json::from_str(first).unwrap();
    let stranger = first.replace(&format!(r#""pid":{}"#, value["pid"]), r#""pid":1"#);
    std::fs::write(&three, format!("{text}{stranger}\n")).unwrap();
    let said = stderr(&finish(TIMELINE, &[arg(&three)]).code(2).stdout(""));
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.ends_with("a timeline draws two lanes, and this trace has 3\n"), "{said}");
}
