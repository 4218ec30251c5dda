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
    for example in programs::names() {
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

/// A fenced code block of a page: the line above it, its info string
/// (`rust,ignore`) and its lines.
#[derive(Debug)]
struct Block {
    chapter: PathBuf,
    above: String,
    info: String,
    body: Vec<String>,
}

impl Block {
    /// The files this block includes, relative to the workspace root.
    fn included(&self) -> Vec<String> {
        let chapter_dir = self.chapter.parent().unwrap();
        self.body
            .iter()
            .filter_map(|line| line.split("{{#").nth(1))
            .filter_map(|directive| directive.split_whitespace().nth(1))
            .map(|target| {
                let path = target.split(':').next().unwrap().trim_end_matches("}}");
                let file = chapter_dir.join(path).canonicalize().unwrap();
                file.strip_prefix(root().canonicalize().unwrap())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }
}

fn blocks(chapter: &Path, text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    let mut above = String::new();
    while let Some(line) = lines.next() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
            let body: Vec<String> = lines
                .by_ref()
                .take_while(|l| !l.trim_start().starts_with("```"))
                .map(str::to_owned)
                .collect();
            found.push(Block {
                chapter: chapter.to_owned(),
                above: above.clone(),
                info: info.trim().to_owned(),
                body,
            });
        }
        above = line.to_owned();
    }
    found
}

/// Each page's number, as the sidebar shows it: `1`, `2`, `1.1` for the
/// numbered chapters of SUMMARY.md, `0` for a page before them, `A`, `B`,
/// ... for the pages after them.
fn page_numbers() -> Vec<(PathBuf, String)> {
    let summary = fs::read_to_string(root().join("book/src/SUMMARY.md")).unwrap();
    let (mut numbers, mut counters, mut indents) = (Vec::new(), Vec::<u32>::new(), Vec::new());
    let (mut seen_numbered, mut appendix) = (false, b'A');
    for line in summary.lines() {
        let Some(file) = line.split("](").nth(1).and_then(|rest| rest.split(')').next()) else {
            continue;
        };
        let trimmed = line.trim_start();
        let number = if trimmed.starts_with("- [") || trimmed.starts_with("* [") {
            seen_numbered = true;
            let indent = line.len() - trimmed.len();
            while indents.last().is_some_and(|&top| indent < top) {
                indents.pop();
                counters.pop();
            }
            if indents.last().is_none_or(|&top| indent > top) {
                indents.push(indent);
                counters.push(0);
            }
            *counters.last_mut().unwrap() += 1;
            counters.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
        } else if seen_numbered {
            appendix += 1;
            char::from(appendix - 1).to_string()
        } else {
            "0".to_owned()
        };
        numbers.push((root().join("book/src").join(file), number));
    }
    numbers
}

/// The caption line of a listing: its number and its text.
fn caption(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("<span class=\"caption\" id=\"listing-")?;
    let (id, rest) = rest.split_once("\">Listing ")?;
    let (number, text) = rest.strip_suffix("</span>")?.split_once(": ")?;
    (id == number).then(|| (number.to_owned(), text.to_owned()))
}

/// The listings: blocks that include a file.
fn listings() -> Vec<Block> {
    chapters()
        .iter()
        .flat_map(|(chapter, text)| blocks(chapter, text))
        .filter(|block| block.body.iter().any(|l| l.contains("{{#")))
        .collect()
}

#[test]
fn every_listing_has_a_caption_with_its_number_and_its_files() {
    let numbers = page_numbers();
    let mut count = 0;
    for (chapter, text) in chapters() {
        if chapter.ends_with("SUMMARY.md") {
            continue;
        }
        let page = &numbers.iter().find(|(file, _)| *file == chapter).expect("in SUMMARY.md").1;
        let mut n = 0;
        for block in blocks(&chapter, &text) {
            if !block.body.iter().any(|l| l.contains("{{#")) {
                continue;
            }
            n += 1;
            count += 1;
            let name = chapter.display();
            let Some((number, text)) = caption(&block.above) else {
                panic!(
                    "{name}: a listing without a caption on the line above it \
                     (<span class=\"caption\" id=\"listing-{page}-{n}\">Listing {page}-{n}: ...</span>):\n{}",
                    block.body.join("\n")
                );
            };
            assert_eq!(number, format!("{page}-{n}"), "{name}: listings are numbered in order");
            for file in block.included() {
                assert!(
                    text.contains(&format!("`{file}`")),
                    "{name}: the caption of Listing {number} does not name `{file}`"
                );
            }
        }
    }
    assert!(count >= 30, "the book's listings are found ({count})");
}

#[test]
fn every_rust_listing_is_left_to_cargo() {
    for block in listings().iter().filter(|block| block.info.starts_with("rust")) {
        assert!(
            block.info.split(',').any(|attribute| attribute == "ignore"),
            "{}: a Rust listing must be ```rust,ignore (cargo builds and tests it; \
             `mdbook test book` cannot, without the workspace's crates): {}",
            block.chapter.display(),
            block.above
        );
    }
}

#[test]
fn no_included_fragment_starts_indented() {
    let mut checked = 0;
    for block in listings() {
        let directives = block.body.iter().filter_map(|line| line.split("{{#").nth(1));
        for directive in directives {
            let target = directive.split_whitespace().nth(1).unwrap().trim_end_matches("}}");
            let Some((path, anchor)) = target.split_once(':') else { continue };
            if anchor.is_empty() || anchor.starts_with(|c: char| c.is_ascii_digit()) {
                continue; // a line range (snapshots)
            }
            let file = block.chapter.parent().unwrap().join(path);
            let text = fs::read_to_string(&file).unwrap();
            // What mdBook shows: the lines between the markers, markers dropped.
            let shown: Vec<&str> = text
                .lines()
                .skip_while(|line| !is_marker(line, "ANCHOR: ", anchor))
                .skip(1)
                .take_while(|line| !is_marker(line, "ANCHOR_END: ", anchor))
                .filter(|line| !line.contains("ANCHOR"))
                .collect();
            let indent = shown
                .iter()
                .filter(|line| !line.trim().is_empty())
                .map(|line| line.len() - line.trim_start().len())
                .min();
            assert_eq!(
                indent,
                Some(0),
                "{}: the fragment {anchor:?} of {} keeps its indentation; anchor a whole item instead",
                block.chapter.display(),
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "the anchored fragments are found ({checked})");
}

fn is_marker(line: &str, marker: &str, name: &str) -> bool {
    line.split_once(marker).is_some_and(|(_, rest)| rest.trim() == name)
}

#[test]
fn every_output_is_shown_with_the_command_that_printed_it() {
    // Snapshots that are not what a command prints: the process states the
    // test read from /proc, and what pipe_thread prints under a process
    // limit that the test sets and no `cargo run` command line can.
    let not_output = ["pipe1_child_killed.snap", "pipe_thread_no_thread.snap"];
    let mut checked = 0;
    for block in listings() {
        let files = block.included();
        let outputs: Vec<&String> = files
            .iter()
            .filter(|file| file.ends_with(".snap") || file.contains("/tests/runs/"))
            .filter(|file| !not_output.iter().any(|name| file.ends_with(name)))
            .collect();
        let name = block.chapter.display();
        for output in outputs {
            assert_eq!(
                block.info, "console",
                "{name}: output of `{output}` outside a console block"
            );
            let command = block.body[0].strip_prefix("$ ").unwrap_or_else(|| {
                panic!(
                    "{name}: the block with `{output}` starts with its command: `$ cargo run ...`"
                )
            });
            let (krate, rest) = output.split_once('/').unwrap();
            assert!(
                command.starts_with(&format!("cargo run -q -p {krate} -- ")),
                "{name}: `{output}` is printed by `cargo run -q -p {krate} -- ...`, not by `{command}`"
            );
            let words =
                command.split(" -- ").nth(1).unwrap().split_whitespace().take_while(|word| {
                    !word.starts_with(['|', '>', '2', '&']) && !word.contains(">")
                });
            let key = Path::new(rest).file_stem().unwrap().to_string_lossy().into_owned();
            let test = test_function_mentioning(krate, &key);
            for word in words {
                assert!(
                    test.contains(&format!("\"{word}\"")),
                    "{name}: `{command}` is not the command whose output `{output}` holds: \
                     its test never passes {word:?}:\n{test}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "the outputs are found ({checked})");
}

/// The text of the test function in `krate/tests/*.rs` that names `key` (a
/// snapshot's name or a recorded run's file name) as a string.
fn test_function_mentioning(krate: &str, key: &str) -> String {
    for entry in fs::read_dir(root().join(krate).join("tests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        if let Some(test) = text.split("#[test]").find(|test| names(test, key)) {
            return test.to_owned();
        }
    }
    panic!("no test in {krate}/tests names {key}")
}

/// Does `text` hold `key` as a whole name, not inside a longer one (the
/// snapshot `python_child` is not named by a test called
/// `on_a_terminal_the_python_child_answers`)?
fn names(text: &str, key: &str) -> bool {
    let part_of_a_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(key).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + key.len()..].chars().next();
        !before.is_some_and(part_of_a_name) && !after.is_some_and(part_of_a_name)
    })
}

#[test]
fn the_introduction_leaves_snapshot_tooling_to_the_appendix() {
    let text = fs::read_to_string(root().join("book/src/introduction.md")).unwrap();
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map(str::to_lowercase)
        .collect();
    for tool in ["insta", "cargo-insta", "insta_update"] {
        assert!(
            !words.iter().any(|word| word == tool),
            "the introduction mentions {tool}: maintainers' business, for Appendix B"
        );
    }
}

#[test]
fn rust_is_taught_with_links_to_the_rust_book_and_std() {
    let links: BTreeSet<String> = chapters()
        .iter()
        .flat_map(|(_, text)| text.split("](").skip(1).map(|rest| rest.split(')').next().unwrap()))
        .filter(|link| {
            link.starts_with("https://doc.rust-lang.org/book/")
                || link.starts_with("https://doc.rust-lang.org/std/")
        })
        .map(str::to_owned)
        .collect();
    assert!(links.len() >= 15, "{} links to TRPL and std: {links:#?}", links.len());
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
