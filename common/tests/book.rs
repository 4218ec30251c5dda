//! Checks that keep the book (`book/src`) true to the code.
//!
//! mdBook itself only logs a missing include file and renders a missing
//! anchor as nothing, so these tests make both fail `cargo test`, and check
//! the rules the book keeps: code comes from the real sources, output from
//! the snapshots and files the tests compare.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The workspace's root folder.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// Every Markdown file of the book, with its text.
fn chapters() -> Vec<(PathBuf, String)> {
    let mut chapters: Vec<_> = fs::read_dir(root().join("book/src"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    chapters.sort();
    assert!(chapters.len() >= 6, "the book has its chapters");
    chapters
}

/// One `{{#include path}}` (or `rustdoc_include`) directive, taken apart.
#[derive(Debug)]
struct Include {
    chapter: PathBuf,
    file: PathBuf,
    /// What follows the path: an anchor name, a line range, or nothing.
    selector: Option<String>,
}

fn includes() -> Vec<Include> {
    let mut found = Vec::new();
    for (chapter, text) in chapters() {
        for piece in text.split("{{#").skip(1) {
            let directive = piece.split("}}").next().unwrap();
            let mut words = directive.split_whitespace();
            let kind = words.next().unwrap_or_default();
            assert!(
                ["include", "rustdoc_include", "title"].contains(&kind),
                "{}: unknown directive {{{{#{directive}}}}}",
                chapter.display()
            );
            if kind == "title" {
                continue;
            }
            let target = words.next().expect("a path");
            let (path, selector) = match target.split_once(':') {
                Some((path, selector)) => (path, Some(selector.to_owned())),
                None => (target, None),
            };
            let file = chapter.parent().unwrap().join(path);
            found.push(Include { chapter: chapter.clone(), file, selector });
        }
    }
    found
}

/// The anchors a source file defines: comment lines `// ANCHOR: name` and
/// `// ANCHOR_END: name`.
fn anchors(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let names = |marker: &str| -> BTreeSet<String> {
        text.lines()
            .filter_map(|line| line.trim_start().strip_prefix("// ")?.strip_prefix(marker))
            .map(|name| name.trim().to_owned())
            .collect()
    };
    (names("ANCHOR: "), names("ANCHOR_END: "))
}

#[test]
fn every_include_names_a_file_that_exists() {
    for include in includes() {
        assert!(
            include.file.is_file(),
            "{}: no file {}",
            include.chapter.display(),
            include.file.display()
        );
    }
}

#[test]
fn every_included_anchor_exists_in_its_file() {
    for include in includes() {
        let Some(selector) = &include.selector else {
            continue;
        };
        if selector.starts_with(|c: char| c.is_ascii_digit()) {
            continue; // a line range: checked for snapshots below
        }
        let text = fs::read_to_string(&include.file).unwrap();
        let (starts, ends) = anchors(&text);
        assert!(
            starts.contains(selector) && ends.contains(selector),
            "{}: anchor {selector:?} is not in {}",
            include.chapter.display(),
            include.file.display()
        );
    }
}

#[test]
fn every_anchor_in_the_sources_has_its_end() {
    let sources = rust_sources(&root());
    assert!(sources.len() > 10, "the workspace's sources");
    // (This file is left out: it names the markers without being marked.)
    for source in sources.into_iter().filter(|source| !source.ends_with("common/tests/book.rs")) {
        let text = fs::read_to_string(&source).unwrap();
        let (starts, ends) = anchors(&text);
        assert_eq!(starts, ends, "{}: every ANCHOR needs its ANCHOR_END", source.display());
        // mdBook drops every line that holds a marker, code and all.
        for line in text.lines().filter(|line| line.contains("// ANCHOR")) {
            assert!(
                line.trim_start().starts_with("// ANCHOR"),
                "{}: a marker shares its line: {line}",
                source.display()
            );
        }
    }
}

#[test]
fn snapshots_are_included_from_the_line_after_their_header() {
    for include in includes() {
        if include.file.extension().is_none_or(|ext| ext != "snap") {
            continue;
        }
        let text = fs::read_to_string(&include.file).unwrap();
        // The header is `---`, some `key: value` lines, `---`; the output follows.
        let header_lines =
            text.lines().skip(1).position(|line| line == "---").expect("a header") + 2;
        let expected = format!("{}:", header_lines + 1);
        assert_eq!(
            include.selector.as_deref(),
            Some(expected.as_str()),
            "{}: include {} from its first line of output",
            include.chapter.display(),
            include.file.display()
        );
    }
}

#[test]
fn the_book_shows_each_example_whole() {
    let shown: Vec<PathBuf> = includes()
        .iter()
        .filter(|include| include.selector.as_deref() == Some("all"))
        .map(|include| include.file.canonicalize().unwrap())
        .collect();
    for example in ["pipe1", "pipe2", "pipe_thread"] {
        let main = root().join(example).join("src/main.rs").canonicalize().unwrap();
        assert!(shown.contains(&main), "the book never shows {} whole", main.display());
    }
}

#[test]
fn no_rust_listing_is_typed_into_the_book() {
    for (chapter, text) in chapters() {
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if !line.trim_start().starts_with("```rust") {
                continue;
            }
            let body: Vec<&str> =
                lines.by_ref().take_while(|l| !l.trim_start().starts_with("```")).collect();
            let typed = body.iter().filter(|l| !l.contains("{{#")).count();
            assert!(
                typed <= 3,
                "{}: a Rust listing of {typed} typed lines; include it from a source file instead:\n{}",
                chapter.display(),
                body.join("\n")
            );
        }
    }
}

#[test]
fn no_output_line_is_typed_into_the_book() {
    for (chapter, text) in chapters() {
        if let Some(line) =
            text.lines().find(|line| line.contains("Parent ") && line.contains(" got ["))
        {
            panic!(
                "{}: output typed by hand; include it from a tested file: {line}",
                chapter.display()
            );
        }
    }
}

/// Every `.rs` file of the workspace, outside `target` and hidden folders.
fn rust_sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() && !name.starts_with('.') && name != "target" && name != "build" {
            found.extend(rust_sources(&path));
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
    found
}

/// After `mdbook build book`: every link between the built pages, and every
/// `#heading` it points to, exists. `.ci/run` runs it, since it needs the
/// built book: `cargo test --workspace --test book -- --ignored`.
#[test]
#[ignore = "needs the built book: run `mdbook build book` first (.ci/run does)"]
fn the_built_book_has_no_broken_internal_links() {
    let build = root().join("book/build");
    let pages = html_files(&build);
    assert!(pages.len() >= 6, "no built book in {}", build.display());
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        assert!(!html.contains("{{#"), "{}: an include was not expanded", page.display());
        for link in attribute_values(&html, "href") {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target =
                if path.is_empty() { page.clone() } else { page.parent().unwrap().join(path) };
            assert!(target.exists(), "{}: broken link {link}", page.display());
            if !fragment.is_empty() && target.extension().is_some_and(|ext| ext == "html") {
                let ids = attribute_values(&fs::read_to_string(&target).unwrap(), "id");
                assert!(
                    ids.iter().any(|id| id == fragment),
                    "{}: no #{fragment} in {}",
                    page.display(),
                    target.display()
                );
            }
        }
    }
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for path in entries.map(|entry| entry.unwrap().path()) {
        if path.is_dir() {
            found.extend(html_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "html") {
            found.push(path);
        }
    }
    found
}

/// The values of every `name="..."` attribute in `html`.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let marker = format!(" {name}=\"");
    html.split(&marker).skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()).collect()
}
