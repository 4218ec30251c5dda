//! What a run printed: the SPEC's output line taken apart, the bytes and
//! the timing of the messages it should show, and a finished run's stdout
//! and stderr as text.

use std::process::Output;

/// One output line, `Parent <pid> got [<data>] at <time>`, taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub pid: u32,
    /// What the read returned: a line of text (pipe2), or the bytes inside
    /// `b"..."` (pipe1 and pipe_thread).
    pub data: String,
    /// Seconds since the epoch, to two decimals.
    pub time: f64,
}

/// Take stdout apart into [`Line`]s; panics, naming the line, if one is not
/// in the SPEC's format.
pub fn parse_lines(stdout: &[u8]) -> Vec<Line> {
    let stdout = std::str::from_utf8(stdout).expect("stdout is text");
    stdout
        .lines()
        .map(|line| parse_line(line).unwrap_or_else(|| panic!("malformed line: {line:?}")))
        .collect()
}

/// One line in the SPEC's format taken apart; `None` if it is not: the
/// time must be digits, a point and two decimals.
fn parse_line(line: &str) -> Option<Line> {
    let rest = line.strip_prefix("Parent ")?;
    let (pid, rest) = rest.split_once(" got [")?;
    let (data, time) = rest.rsplit_once("] at ")?;
    let (whole, decimals) = time.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && decimals.len() == 2 && digits(decimals)).then_some(())?;
    Some(Line { pid: pid.parse().ok()?, data: data.to_owned(), time: time.parse().ok()? })
}

/// The bytes of an unframed read, `b"Spam 000"` -> `Spam 000`. Panics on a
/// literal that is not a plain, escape-free byte string: our messages never
/// hold a byte that needs an escape.
pub fn unquote(data: &str) -> &str {
    let bytes = data.strip_prefix("b\"").and_then(|d| d.strip_suffix('"'));
    let bytes = bytes.unwrap_or_else(|| panic!("not a byte string: {data}"));
    assert!(!bytes.contains('\\') && !bytes.contains('"'), "unexpected escape in {data}");
    bytes
}

/// The bytes the child sends for `count` messages, all together:
/// `Spam 000Spam 001...`.
pub fn stream(count: u64) -> String {
    common::schedule::zzz_values(Some(count)).map(common::message).collect()
}

/// How many ticks the child has slept when it sends message `k` (from 0):
/// 10 for each full round of 0+1+2+3+4, then 0+1+... for the rest.
pub fn ticks_slept_before(k: u64) -> u64 {
    let (rounds, rest) = ((k + 1) / 5, (k + 1) % 5);
    rounds * 10 + rest * rest.saturating_sub(1) / 2
}

/// A finished run: a plain [`Output`] (the checks of `exercises`), or
/// assert_cmd's `Assert` (the tests, with the feature `assert`), so that
/// [`stdout`] and [`stderr`] serve both.
pub trait Finished {
    /// How the run ended, and what it printed.
    fn get_output(&self) -> &Output;
}

impl Finished for Output {
    /// The output itself.
    fn get_output(&self) -> &Output {
        self
    }
}

/// What a run printed on stdout; panics if it is not UTF-8.
pub fn stdout(run: &impl Finished) -> String {
    String::from_utf8(run.get_output().stdout.clone()).expect("stdout is text")
}

/// What a run printed on stderr; panics if it is not UTF-8.
pub fn stderr(run: &impl Finished) -> String {
    String::from_utf8(run.get_output().stderr.clone()).expect("stderr is text")
}
