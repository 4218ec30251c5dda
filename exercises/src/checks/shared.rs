//! What every chapter's checks share: runs of a program, told in words a
//! student understands (how a run ended, that it never ends, what it
//! printed), and the output line's format.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use harness::*;
use nix::sys::signal::Signal;

use crate::Programs;
use harness::stuck::{BUSY_AFTER, Look, OVERDUE_AFTER, STUCK_AFTER, Watch};

/// The command line, for a sentence: `--count 5 --tick 0`, or `no options`.
pub(super) fn shown(args: &[&str]) -> String {
    match args {
        [] => "no options".to_owned(),
        [first @ .., last] if args.len() > 8 => format!("{} ... {last}", first[..4].join(" ")),
        _ => args.join(" "),
    }
}

/// How a run that should have exited with status 0 ended instead: a
/// `todo!()` reached, another panic, or an error status.
pub(super) fn ended_badly(args: &[&str], output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    if let Some(rest) = stderr.split("panicked at ").nth(1) {
        let (location, message) = rest.split_once(":\n").unwrap_or((rest, ""));
        let message = message.lines().next().unwrap_or_default();
        if let Some(todo) = message.strip_prefix("not yet implemented") {
            let todo = todo.trim_start_matches(": ");
            return format!(
                "Run with {}, it stopped at a todo!() ({location}): {todo}\n\
                 That gap is yours to fill.",
                shown(args)
            );
        }
        return format!("Run with {}, it panicked at {location}: {message}", shown(args));
    }
    let how = match (output.status.code(), killed_by(output.status)) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(signal)) => format!("was killed by {signal}"),
        (None, None) => format!("ended: {}", output.status),
    };
    let said: Vec<&str> = stderr.lines().take(3).collect();
    let said =
        if said.is_empty() { String::new() } else { format!(", saying:\n{}", said.join("\n")) };
    format!("Run with {}, it {how} instead of exiting with status 0{said}", shown(args))
}

/// `no line`, `1 line`, `12 lines`.
pub(super) fn lines(count: usize) -> String {
    match count {
        0 => "no line".to_owned(),
        1 => "1 line".to_owned(),
        _ => format!("{count} lines"),
    }
}

/// If `look` says the run is stuck, busy or overdue, stop it and say so:
/// it printed this much, then it did not end. Else, give it back.
pub(super) fn never_ends(running: Running, args: &[&str], look: Look) -> Running {
    let (stuck, why) = match look {
        Look::Stuck(why) => (true, why),
        Look::Busy(why) => (false, why),
        Look::Overdue(why) => {
            running.signal_group(Signal::SIGKILL);
            let printed = lines(stdout(&running.wait()).lines().count());
            let seconds = OVERDUE_AFTER.as_secs();
            let when = match args.contains(&"--count") {
                true => "a right run ends within a second",
                false => "a right program prints its first line at once",
            };
            missing!(
                "Run with {}, it printed {printed}, and had not ended after {seconds} seconds, \
                 when {when}. The check stopped it.\n{why}",
                shown(args)
            );
        }
        Look::Ended | Look::Running => return running,
    };
    running.signal_group(Signal::SIGKILL);
    let printed = lines(stdout(&running.wait()).lines().count());
    if stuck {
        let seconds = STUCK_AFTER.as_secs();
        // Without --count, a right program runs for ever: it never ends,
        // but prints its first line at once.
        let what = match args.contains(&"--count") {
            true => format!(
                "it printed {printed}, then stopped, and did not end: every thread of it has \
                 slept for {seconds} seconds, when a right run ends within a second"
            ),
            false => format!(
                "it printed {printed}, and every thread of it has slept for {seconds} \
                 seconds, when a right program prints its first line at once"
            ),
        };
        missing!("Run with {}, {what}.\n{why}", shown(args));
    }
    missing!(
        "Run with {}, it printed {printed}, and it was still running after {} seconds of \
         processor time, when a right run needs a few hundredths: a loop that never ends? \
         A read returns 0 at end-of-file, and every read after it too.\n{why}",
        shown(args),
        BUSY_AFTER.as_secs()
    );
}

/// Run `program` to its end; it must exit with status 0. A run that will
/// never end is stopped once it is plainly stuck or busy (see
/// [`harness::stuck`]), and the verdict says which process waits for what.
pub(super) fn run_ok(program: &Path, args: &[&str]) -> Output {
    let running = spawn(program, args);
    let look = Watch::new(running.pid()).until_ended_or_stuck();
    let running = never_ends(running, args, look);
    let run = running.wait_for_group();
    if !run.get_output().status.success() {
        missing!("{}", ended_badly(args, run.get_output()));
    }
    run
}

/// The data of every output line: `b"Spam 000"` or `Spam 000`.
pub(super) fn data(run: &Output) -> Vec<String> {
    checked_lines(&run.get_output().stdout).into_iter().map(|line| line.data).collect()
}

/// A read as the student may write it: `b"Spam 000"` or `Spam 000`.
pub(super) fn bare(read: &str) -> &str {
    read.strip_prefix("b\"").and_then(|r| r.strip_suffix('"')).unwrap_or(read)
}

/// Start `program` and wait for its first line; if none comes, say why.
/// Before its first line, a right program does not sleep (its first
/// message is sent at once, whatever the tick), so one that gets stuck, or
/// busy, is stopped as [`run_ok`] stops it (see [`harness::stuck`]).
pub(super) fn started(program: &Path, args: &[&str]) -> (Running, String) {
    let mut running = spawn(program, args);
    let mut watch = Watch::new(running.pid());
    loop {
        if let Some(line) = running.next_line_within(Duration::from_millis(10)) {
            return (running, line);
        }
        match watch.look() {
            Look::Running if !watch.past_deadline() => continue,
            Look::Ended | Look::Running => break, // the line may still be on its way
            look => running = never_ends(running, args, look),
        }
    }
    match panic::catch_unwind(AssertUnwindSafe(|| running.next_line())) {
        Ok(line) => (running, line),
        Err(_) => {
            let run = running.wait(); // it ended, or it is past the deadline: killed
            let output = run.get_output();
            if !output.status.success() {
                missing!("{}", ended_badly(args, output));
            }
            missing!("Run with {}, it ended without printing a line.", shown(args))
        }
    }
}

/// The pipes a process made and holds: `(fd, pipe)`, from `/proc/<pid>/fd`,
/// where each is a link named `pipe:[<inode>]`. A pipe this process holds
/// too (the run's stdout and stderr, cargo's jobserver) was inherited, not
/// made by the program: it is left out.
pub(super) fn own_pipes(pid: u32) -> Vec<(u32, String)> {
    let inherited: Vec<String> =
        pipes_of(harness::proc::Holder::Me).into_iter().map(|(_, pipe)| pipe).collect();
    let mine = pipes_of(harness::proc::Holder::Pid(pid));
    // A pipe end moved onto stdin or stdout with dup2 counts: the check's
    // own pipes (the run's stdout and stderr) are the ones left out.
    mine.into_iter().filter(|(_, pipe)| !inherited.contains(pipe)).collect()
}

/// Every pipe descriptor `holder` holds, sorted: `(fd, pipe)`.
pub(super) fn pipes_of(holder: harness::proc::Holder) -> Vec<(u32, String)> {
    harness::proc::pipe_ends(holder).into_iter().map(|end| (end.fd, end.pipe)).collect()
}

/// The lines of a run must be the messages, one each, in order.
pub(super) fn one_message_a_line(p: &Programs, args: &[&str], count: u64) {
    let run = run_ok(&p.attempt, args);
    let lines: Vec<String> = data(&run).iter().map(|line| bare(line).to_owned()).collect();
    let expected: Vec<String> =
        common::schedule::zzz_values(Some(count)).map(common::message).collect();
    lines_are(args, &lines, &expected, "");
}

/// Each line shows the next of `expected`, whole, and there are no more
/// lines than messages; `hint` follows the verdict on a wrong line.
pub(super) fn lines_are(args: &[&str], lines: &[String], expected: &[String], hint: &str) {
    for (number, (line, message)) in lines.iter().zip(expected).enumerate() {
        if line != message {
            missing!(
                "Run with {}, line {} shows [{line}]: expected the whole message [{message}].{hint}",
                shown(args),
                number + 1
            );
        }
    }
    if lines.len() != expected.len() {
        missing!(
            "Run with {}, it printed {} lines for {} messages.",
            shown(args),
            lines.len(),
            expected.len()
        );
    }
}

/// The first line comes at once, in the book's format, from the program's own process.
pub(super) fn first_line_is(p: &Programs, expected: &str) {
    let (running, line) = started(&p.attempt, &[]);
    if let Some(problem) = format_problem(&line, expected.starts_with("b\"")) {
        missing!("The first line, {line:?}: {problem}");
    }
    let lines = parse_lines(format!("{line}\n").as_bytes());
    if lines[0].data != expected {
        missing!("The first line shows [{}]: expected [{expected}].", lines[0].data);
    }
    if lines[0].pid != running.pid() {
        missing!(
            "The first line names process {}, not the program's own, {}.",
            lines[0].pid,
            running.pid()
        );
    }
}

/// What is wrong with an output line, field by field, if anything: the
/// words `Parent` and `got`, the process id, the brackets, the time (seconds
/// since 1970, two decimals), and with `bytes` the data as a byte string,
/// `b"..."`.
pub(super) fn format_problem(line: &str, bytes: bool) -> Option<String> {
    const FORMAT: &str = "expected `Parent <pid> got [<data>] at <time>`";
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let Some(rest) = line.strip_prefix("Parent ") else {
        return Some(format!("it does not start with `Parent `: {FORMAT}."));
    };
    let Some((pid, rest)) = rest.split_once(" got [") else {
        return Some(format!("no ` got [` after the process id: {FORMAT}."));
    };
    if !digits(pid) {
        return Some(format!(
            "the process id is `{pid}`, not a number: {FORMAT}, <pid> from std::process::id()."
        ));
    }
    let Some((data, time)) = rest.rsplit_once("] at ") else {
        return Some(format!("no `] at ` after the data: {FORMAT}."));
    };
    let two_decimals = time
        .split_once('.')
        .is_some_and(|(whole, decimals)| digits(whole) && decimals.len() == 2 && digits(decimals));
    if !two_decimals {
        return Some(format!(
            "the time is `{time}`: expected seconds since 1970 with two decimals, like \
             1267997789.33 (`{{:.2}}` of the seconds as an f64)."
        ));
    }
    let quoted = data.len() >= 3 && data.starts_with("b\"") && data.ends_with('"');
    if bytes && !quoted {
        return Some(format!(
            "the data is [{data}]: expected the bytes of the read as a Rust byte string, \
             b\"...\" (`b\"{{}}\"` around <[u8]>::escape_ascii), as Python prints b'...'."
        ));
    }
    None
}

/// The output lines of a run, each in the format; a line that is not is
/// told field by field (see [`format_problem`]).
pub(super) fn checked_lines(stdout: &[u8]) -> Vec<Line> {
    let text = String::from_utf8_lossy(stdout);
    for (number, line) in text.lines().enumerate() {
        if let Some(problem) = format_problem(line, false) {
            missing!("Line {}, {line:?}: {problem}", number + 1);
        }
    }
    parse_lines(stdout)
}
