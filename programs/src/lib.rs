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

/// The names alone, in the book's order (`pipe1` first).
pub fn names() -> Vec<&'static str> {
    all().iter().map(|program| program.name).collect()
}
