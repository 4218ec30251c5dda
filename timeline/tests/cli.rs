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
