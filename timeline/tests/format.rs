//! The trace format is written down twice, for two readers: in the doc
//! comment of `common::trace` and in the book's chapter "Pictures of real
//! runs". Both must name every kind of event the programs record, and no
//! other.

use std::fs;
use std::path::Path;

/// Every `event` of the format, as `timeline::run::Kind` reads them.
const EVENTS: [&str; 10] =
    ["fork", "forked", "holds", "exit", "start", "sleep", "write", "read", "eof", "wait"];

/// The event names in the first column of the format's table in `text`:
/// the rows that start with `| \`name\``.
fn table(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim_start_matches("//!").trim())
        .filter_map(|line| {
            line.strip_prefix("| `")?.split_once('`').map(|(name, _)| name.to_owned())
        })
        .filter(|name| name != "event")
        .collect()
}

#[test]
fn the_doc_comment_and_the_book_name_the_same_events() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let doc = fs::read_to_string(root.join("common/src/trace.rs")).unwrap();
    let book = fs::read_to_string(root.join("book/src/timelines.md")).unwrap();
    assert_eq!(table(&doc), EVENTS, "common/src/trace.rs");
    assert_eq!(table(&book), EVENTS, "book/src/timelines.md");
}

#[test]
fn the_reader_knows_every_event() {
    for event in EVENTS {
        let line = format!(r#"{{"t":1,"pid":2,"role":"reader","event":"{event}"}}"#);
        let run = timeline::run::Run::parse(&line).unwrap_or_else(|e| panic!("{event}: {e}"));
        assert_eq!(run.events.len(), 1);
    }
    assert!(
        timeline::run::Run::parse(r#"{"t":1,"pid":2,"role":"reader","event":"close"}"#).is_err()
    );
}
