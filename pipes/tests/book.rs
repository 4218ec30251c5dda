//! The chapter shows pipes.py's `spawn` (Listing 4-6) beside our
//! `spawn` (Listing 4-7) by its line numbers, since a whole-file include
//! would show anchor comments in Listing 4-1: the range must still be
//! that function, whole.

use std::path::Path;

#[test]
fn listing_4_6_the_python_beside_listing_4_7_is_spawn_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let chapter = std::fs::read_to_string(root.join("book/src/pipes.md")).unwrap();
    let marker = "{{#include ../../python/pipes.py:";
    let at = chapter.find(marker).expect("a range of pipes.py in the chapter") + marker.len();
    let range = &chapter[at..at + chapter[at..].find("}}").unwrap()];
    let (first, last) = range.split_once(':').unwrap();
    let (first, last): (usize, usize) = (first.parse().unwrap(), last.parse().unwrap());
    let python = std::fs::read_to_string(root.join("python/pipes.py")).unwrap();
    let lines: Vec<&str> = python.lines().collect();
    assert!(lines[first - 1].starts_with("def spawn("), "{}", lines[first - 1]);
    assert!(lines[last - 1].trim_start().starts_with("os._exit(127)"), "{}", lines[last - 1]);
    assert!(lines[last].trim().is_empty(), "the function ends at line {last}");
}
