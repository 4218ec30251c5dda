//! The book's table of trace events (book/src/timelines.md, "The trace
//! format") against the type: one line of each kind of event is written with
//! serde_json, and its fields must be the table's row for that kind, in the
//! same order.

use std::path::Path;

use trace_format::{Bytes, Event, Line, Role, Until};

/// One event of each kind, with every field it can have.
fn one_of_each() -> Vec<Event> {
    let bytes = || Bytes(b"Spam 000".to_vec());
    vec![
        Event::Fork { child: 2 },
        Event::Forked { parent: 1 },
        Event::Holds { who: "parent".into(), pipe: Some(7), ends: "fd 3 (read end)".into() },
        Event::Exit { who: "parent".into(), pipe: Some(7), ends: String::new() },
        Event::Start {},
        Event::Sleep { end: 2, ticks: 1, tick_ns: 10 },
        Event::Write { end: 2, fd: Some(1), pipe: Some(7), bytes: Some(8), message: bytes() },
        Event::Read { end: 2, fd: 3, pipe: Some(7), asked: 32, bytes: 8, data: bytes() },
        Event::Eof { end: 2, fd: 3, pipe: Some(7), asked: 32 },
        Event::Wait { end: 2, until: Until::Finished },
    ]
}

/// Which kinds `events` has: one flag per kind. The match has no `_`, so a
/// kind added to `Event` does not compile here until it is given a place,
/// and then fails the test until `one_of_each` has an example of it.
fn kinds(events: &[Event]) -> [bool; 10] {
    let mut seen = [false; 10];
    for event in events {
        let place = match event {
            Event::Fork { .. } => 0,
            Event::Forked { .. } => 1,
            Event::Holds { .. } => 2,
            Event::Exit { .. } => 3,
            Event::Start {} => 4,
            Event::Sleep { .. } => 5,
            Event::Write { .. } => 6,
            Event::Read { .. } => 7,
            Event::Eof { .. } => 8,
            Event::Wait { .. } => 9,
        };
        seen[place] = true;
    }
    seen
}

/// The keys of `line` written as JSON, in order.
fn keys(line: &Line) -> Vec<String> {
    let text = line.to_json().unwrap();
    // serde_json keeps a map's keys sorted: read the order from the text.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort_by_key(|key| text.find(&format!("\"{key}\":")).unwrap());
    keys
}

/// The rows of the first table of the book's section "The trace format",
/// below its header: each kind's name (first column) and the fields named in
/// the second, in order.
fn table() -> Vec<(String, Vec<String>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/src/timelines.md");
    let book = std::fs::read_to_string(&path).unwrap();
    let section = book.split_once("## The trace format").expect("the section").1;
    let names = |cell: &str| -> Vec<String> {
        cell.split('`').skip(1).step_by(2).map(str::to_owned).collect()
    };
    let table = section.lines().skip_while(|line| !line.starts_with('|'));
    table
        .take_while(|line| line.starts_with('|'))
        .skip(2) // the header and the line under it
        .map(|row| {
            let cells: Vec<&str> = row.split('|').collect();
            let kind = names(cells[1]);
            assert_eq!(kind.len(), 1, "{row}");
            (kind[0].clone(), names(cells[2]))
        })
        .collect()
}

#[test]
fn the_examples_have_every_kind() {
    assert_eq!(kinds(&one_of_each()), [true; 10]);
}

#[test]
fn the_books_table_has_each_kind_with_its_fields_in_order() {
    let rows: Vec<(String, Vec<String>)> = one_of_each()
        .into_iter()
        .map(|event| {
            let line = Line { t: 1, pid: 1, role: Role::Reader, event };
            let keys = keys(&line);
            assert_eq!(keys[..4], ["t", "pid", "role", "event"], "{keys:?}");
            (line.event.name().to_owned(), keys[4..].to_vec())
        })
        .collect();
    assert_eq!(table(), rows, "book/src/timelines.md against trace_format::Event");
}

#[test]
fn each_example_reads_back_the_same() {
    for event in one_of_each() {
        let line = Line { t: 1, pid: 1, role: Role::Writer, event };
        assert_eq!(Line::from_json(&line.to_json().unwrap()).unwrap(), line);
    }
}
