//! The book's programs, listed once in `programs.txt` at the workspace root.
//!
//! The file is compiled in, so a reader needs no path at run time; the shell
//! script `timeline/record.sh` reads the same file. It has no dependencies,
//! so any crate can use it without a circle.

/// The list as written: one program a line, blank lines and `#` comments
/// aside.
pub const LIST: &str = include_str!("../../programs.txt");

/// One of the book's programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    /// The crate, and its program's name: `pipe1`.
    pub name: &'static str,
    /// Its chapter, a page of `book/src/`: `pipe1.md`.
    pub chapter: &'static str,
    /// The book's Python, a file of `python/`: `pipe1.py`.
    pub python: &'static str,
    /// Its plain binary, the Python line for line: `pipe1_plain`.
    pub plain: &'static str,
}

/// Every program, in the book's order.
///
/// # Panics
///
/// If a line of `programs.txt` does not have four words (this crate's test
/// reads the list, so a wrong line fails there first).
pub fn all() -> Vec<Program> {
    LIST.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_whitespace().collect::<Vec<_>>()[..] {
            [name, chapter, python, plain] => Program { name, chapter, python, plain },
            _ => panic!("programs.txt: not four words: {line}"),
        })
        .collect()
}

/// Programs on their way in (issue 18): the crate, its plain binary
/// (`<name>_plain`) and its Python (`python/<name>.py`) are there, but not
/// yet everything every program of the list has (its chapter, its
/// workspace binary, the benchmark's cases). Its exercises may come first:
/// the exercises' catalogue and tests take these too. A program's line goes
/// into programs.txt with the rest, and out of here
/// (`programs/tests/workspace.rs` checks that none is in both).
pub const ON_THE_WAY: &[&str] = &[];

/// The names alone, in the book's order (`pipe1` first).
pub fn names() -> Vec<&'static str> {
    all().iter().map(|program| program.name).collect()
}
