//! The chapter "How fast is a pipe" shows measurements, and every one of them
//! must come from the committed results file, `bench/results.json`: the
//! tables and plots in `book/src/speed/` are made from it by `bench/run`, and
//! these tests make them again and compare. No number is typed by hand.

use std::fs;

use bench::cases::{self, Size};
use bench::render;
use bench::results::{self, CaseResult, Results};

fn committed() -> Results {
    let text = fs::read_to_string(bench::results_file()).expect("bench/results.json");
    serde_json::from_str(&text).expect("bench/results.json is a results file")
}

fn chapter() -> String {
    fs::read_to_string(bench::root().join("book/src/speed.md")).expect("book/src/speed.md")
}

#[test]
fn the_books_tables_and_plots_are_made_from_the_results_file() {
    let results = committed();
    for (name, expected) in render::book_files(&results) {
        let path = bench::book_dir().join(&name);
        let shown = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            shown == expected,
            "book/src/speed/{name} is not what bench/results.json makes: run `bench/run --render`"
        );
    }
}

#[test]
fn the_chapter_shows_every_table_and_plot() {
    let chapter = chapter();
    for (name, _) in render::book_files(&committed()) {
        let include = format!("{{{{#include speed/{name}}}}}");
        assert!(chapter.contains(&include), "speed.md does not include speed/{name}");
    }
}

#[test]
fn the_results_file_measured_every_case_as_it_is_defined_now() {
    let results = committed();
    assert_eq!(results.size, "full", "the committed results are a full run");
    let ids: Vec<&str> = results.cases.iter().map(|c| c.id.as_str()).collect();
    let all = cases::cases(Size::Full);
    let expected: Vec<&str> = all.iter().map(|c| c.id).collect();
    assert_eq!(ids, expected, "a case was added or changed since the results: run bench/run");
    for (result, case) in results.cases.iter().zip(&all) {
        // Every number of a case follows from its run times and its command.
        let again = CaseResult::new(case, result.times.clone(), result.context_switches);
        assert_eq!(result, &again, "{}: not what its times and its command give", case.id);
    }
    assert_eq!(
        results.ratios,
        results::ratios_again(&results),
        "the ratios follow from their pairs"
    );
    let shown: Vec<&str> = results.ratios.iter().map(|r| r.id.as_str()).collect();
    let defined: Vec<&str> = results::RATIOS.iter().map(|d| d.id).collect();
    assert_eq!(shown, defined, "a ratio was added or changed since the results: run bench/run");
    assert_eq!(results.python_stdout.as_deref(), Some("block-buffered"), "Python's output");
}

/// Numbers with a unit of speed or time are measurements, and belong in the
/// generated tables, not in the chapter's text.
#[test]
fn no_measured_number_is_typed_into_the_chapter() {
    let mut in_code = false;
    for line in chapter().lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && !line.contains("{{#") {
            assert!(!typed_measurement(line), "a measurement typed into speed.md: {line}");
        }
    }
}

/// Does `line` hold a number followed by a unit of speed or time, or a
/// ratio such as `1.6x`?
fn typed_measurement(line: &str) -> bool {
    let units =
        ["MB/s", "GB/s", "msgs/s", "messages/s", "messages a second", "/s", "µs", "us", "ns", "ms"];
    let words: Vec<&str> = line.split_whitespace().collect();
    words.iter().enumerate().any(|(i, word)| {
        let number = word.trim_start_matches(['(', '~', '≈', '*']);
        if !number.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        let digits = number.trim_end_matches(|c: char| !c.is_ascii_digit());
        let glued = &number[digits.len()..]; // `10µs`, `1.6x`
        let mut rest = words[i + 1..].to_vec();
        if rest.first().is_some_and(|w| ["k", "M", "G", "thousand", "million"].contains(w)) {
            rest.remove(0);
        }
        let rest = rest.join(" ");
        ["x", "×"].iter().any(|x| glued.starts_with(x))
            || units.iter().any(|unit| glued.starts_with(unit) || rest.starts_with(unit))
    })
}

#[test]
fn typed_measurements_are_recognised() {
    for typed in [
        "pipe2 carries 3.2 M messages/s here",
        "about 1.6x the floor",
        "a round trip takes 40 µs",
        "(4551 MB/s)",
        "a write costs 300ns",
    ] {
        assert!(typed_measurement(typed), "{typed}");
    }
    for fine in ["a pipe holds 64 KiB", "1-byte reads, eight system calls", "at most 1.2 times"] {
        assert!(!typed_measurement(fine), "{fine}");
    }
}
