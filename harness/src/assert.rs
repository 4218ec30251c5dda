//! What the chapters' tests share (feature `assert`): assert_cmd's
//! `Assert` for a finished run, insta's settings for snapshots, and the
//! checks every program of the SPEC must pass (bad options, `--help`, the
//! plain programs, the unframed programs' byte stream, the timing of the
//! lines).

use std::ffi::OsStr;
use std::time::Duration;

pub use assert_cmd::assert::Assert;
pub use assert_cmd::prelude::*;
use nix::sys::signal::Signal;

use crate::output::{Finished, Line, parse_lines, stdout, stream, ticks_slept_before, unquote};
use crate::proc::group_members;
use crate::{Setup, killed_by, spawn, spawn_with, wait_until_group_ended};

impl Finished for Assert {
    /// assert_cmd's own [`Assert::get_output`].
    fn get_output(&self) -> &std::process::Output {
        Assert::get_output(self)
    }
}

// ANCHOR: redactions
/// The insta filters every snapshot uses: the parent's process id and the
/// time change from run to run, so snapshots show `[PID]` and `[TIME]`.
pub const REDACTIONS: [(&str, &str); 3] = [
    (r"Parent \d+ got", "Parent [PID] got"),
    (r"(?m) at \d+\.\d\d$", " at [TIME]"),
    (r"\b(pid|child|parent|process) \d+", "$1 [PID]"),
];
// ANCHOR_END: redactions

/// Run `program` to its end (within [`DEADLINE`](crate::DEADLINE)) and
/// check that no process of the run is left, not even a zombie: every child
/// was reaped ([`Running::wait_for_group`](crate::Running::wait_for_group)).
pub fn finish(program: impl AsRef<OsStr>, args: &[&str]) -> Assert {
    finish_with(program, args, [])
}

/// [`finish`], with the program started under each of `setup`'s conditions.
pub fn finish_with(
    program: impl AsRef<OsStr>,
    args: &[&str],
    setup: impl IntoIterator<Item = Setup>,
) -> Assert {
    spawn_with(program, args, setup).wait_for_group().assert()
}

/// The insta settings of every snapshot: [`REDACTIONS`] applied, no
/// expression in the header (so the book can include a snapshot from its
/// fourth line on, see `common/tests/book.rs`), and the snapshot's own name as
/// its file name: `tests/snapshots/<name>.snap`.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    for (pattern, replacement) in REDACTIONS {
        settings.add_filter(pattern, replacement);
    }
    settings.set_omit_expression(true);
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// The checks that hold for an unframed run in every interleaving: one
/// process id (the program's own), no empty and no over-long read, and the
/// reads joined are exactly the bytes sent, in order.
pub fn assert_unframed_run(run: Assert, pid: u32, count: u64, read_size: usize) -> Assert {
    let run = run.success();
    let lines = parse_lines(&run.get_output().stdout);
    let reads: Vec<&str> = lines.iter().map(|line| unquote(&line.data)).collect();
    assert!(lines.iter().all(|line| line.pid == pid), "one pid, the program's: {lines:?}");
    assert!(reads.iter().all(|r| !r.is_empty() && r.len() <= read_size), "read sizes: {reads:?}");
    assert_eq!(reads.concat(), stream(count), "the bytes received are the bytes sent");
    run
}

/// The timing check, lower bounds only: message `k` is sent after the sleeps
/// before messages 0 to `k` (0+1+2+3+4+0+1+... ticks), so no line holding a
/// byte of it can be printed before `start` plus those sleeps. 10 ms of slack
/// covers the two decimals of the printed time. There is no upper bound: a
/// busy machine may print any line late.
pub fn assert_never_early(lines: &[Line], start: std::time::SystemTime, tick: Duration) {
    let start = start.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    let mut received = 0;
    for line in lines {
        let is_bytes = line.data.starts_with("b\"");
        received += if is_bytes { unquote(&line.data).len() } else { line.data.len() };
        let last_message = (received as u64 - 1) / common::schedule::MESSAGE_LEN;
        let earliest = start + tick.as_secs_f64() * ticks_slept_before(last_message) as f64 - 0.010;
        let early = earliest - line.time;
        assert!(
            early <= 0.0,
            "{line:?} printed {early:.3} s before its last message could be sent"
        );
    }
}

/// A bad command line: exit status 2, a first stderr line that names the
/// problem (`error: ...` holding every word of `names`), nothing on stdout,
/// no panic, and no process of the run left.
pub fn assert_usage_error(program: impl AsRef<OsStr>, args: &[&str], names: &[&str]) {
    let run = finish(program, args).code(2).stdout("");
    let stderr = String::from_utf8_lossy(&run.get_output().stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{args:?}: {first}");
    for name in names {
        assert!(first.contains(name), "{args:?}: the first line should name {name:?}: {first}");
    }
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

/// Every bad command line of the SPEC, with the words its error must name.
pub const BAD_ARGS: &[(&[&str], &[&str])] = &[
    (&["--count", "abc"], &["--count", "abc"]),
    (&["--count", "-1"], &["--count", "-1"]),
    (&["--count", "99999999999999999999"], &["--count", "99999999999999999999"]),
    (&["--tick", "5parsecs"], &["--tick", "5parsecs"]),
    (&["--tick", "-1s"], &["--tick", "-1s"]),
    // One rule for every value: digits only, one unit, no sign, no space.
    (&["--count", "+5"], &["--count", "+5"]),
    (&["--count", " 5"], &["--count", " 5"]),
    (&["--tick", "+1s"], &["--tick", "+1s"]),
    (&["--tick", " 1s"], &["--tick", " 1s"]),
    (&["--tick", "1s 1ms"], &["--tick", "1s 1ms"]),
    (&["--no-such-flag"], &["--no-such-flag"]),
    (&["stray"], &["stray"]),
];

/// The bad values of the unframed programs' own options.
pub const BAD_UNFRAMED_ARGS: &[(&[&str], &[&str])] = &[
    (&["--read-size", "0"], &["--read-size", "0"]),
    (&["--read-size", "65537"], &["--read-size", "65537"]),
    (&["--read-size", "+8"], &["--read-size", "+8"]),
];

/// `--help` and `--version`: each on stdout with status 0, nothing on
/// stderr; the help says what values the options take; the version is the
/// program's name and the workspace's version.
pub fn assert_help_and_version(program: impl AsRef<OsStr>, name: &str) -> String {
    let program = program.as_ref();
    let help = stdout(&finish(program, &["--help"]).success().stderr(""));
    assert!(help.contains(common::options::VALUES), "{help}");
    assert!(help.contains("-V, --version"), "{help}");
    for flag in ["--version", "-V"] {
        let version = format!("{name} {}\n", env!("CARGO_PKG_VERSION"));
        finish(program, &[flag]).success().stdout(version).stderr("");
    }
    help
}

/// `program args | head -n`: take the first `n` lines, close the pipe, and
/// let the run end. Returns those lines and how the run ended.
pub fn head(program: impl AsRef<OsStr>, args: &[&str], n: usize) -> (Vec<String>, Assert) {
    let mut running = spawn(program, args);
    let group = running.pid();
    let lines = (0..n).map(|_| running.next_line()).collect();
    running.close_stdout();
    let run = running.wait().assert();
    assert_eq!(group_members(group), [], "every process of the run ended, and was reaped");
    (lines, run)
}

/// A stand-alone program (`*_plain`), which runs forever at the book's pace:
/// its first two lines are `first` and `second` (data only), printed by the
/// program's own process about one second apart. Then Ctrl-C stops the whole
/// process group, and no process of the run is left running.
pub fn assert_plain_program(program: impl AsRef<OsStr>, first: &str, second: &str) {
    let start = std::time::SystemTime::now();
    let mut running = spawn(program, &[]);
    let pid = running.pid();
    let text = format!("{}\n{}\n", running.next_line(), running.next_line());
    let lines = parse_lines(text.as_bytes());
    running.signal_group(Signal::SIGINT);
    running.wait_for_ctrl_c();
    let run = running.wait().assert();
    wait_until_group_ended(pid);
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGINT), "Ctrl-C ended it");
    let data: Vec<&str> = lines.iter().map(|line| line.data.as_str()).collect();
    assert_eq!(data, [first, second]);
    assert!(lines.iter().all(|line| line.pid == pid), "the program's own pid: {lines:?}");
    // The child sleeps 1 s before the second: it cannot be printed earlier
    // than 1 s after the start (a busy machine may print the first line
    // late, so the gap between the two can be shorter: 0.98 s was seen).
    // The upper bound is loose: a busy machine is slow.
    assert_never_early(&lines, start, Duration::from_secs(1));
    let gap = lines[1].time - lines[0].time;
    assert!(gap < 2.0, "{gap:.2} s between the first two lines");
}

/// Ctrl-C: once the first line is out, send SIGINT to the whole process
/// group, as a terminal does, and let the run end.
pub fn interrupt(program: impl AsRef<OsStr>, args: &[&str]) -> Assert {
    let mut running = spawn(program, args);
    let group = running.pid();
    running.next_line();
    running.signal_group(Signal::SIGINT);
    let run = running.wait().assert();
    wait_until_group_ended(group);
    run
}
