//! What went through the pipe, seen from outside (see [`super::seen`]): a
//! bounded run looked at every millisecond, and what the looks say of who
//! wrote the messages and who read them.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use harness::*;

use super::needs_proc;
use super::seen::{self, Io, Wait};
use super::shared::*;
use harness::stuck::{Look, Watch};

/// A run of a program that ends (`--count`), looked at every millisecond
/// from its start to its end.
pub(super) struct Watched {
    pub(super) pid: u32,
    /// When the check started it, and when it saw it end.
    pub(super) start: SystemTime,
    pub(super) end: SystemTime,
    pub(super) looks: Vec<seen::Look>,
    /// The whole run's counts, and the main thread's own, at its end.
    pub(super) totals: (Io, Io),
    pub(super) lines: Vec<Line>,
    /// Each line's length on stdout, its newline included.
    pub(super) sizes: Vec<u64>,
}

/// Run `program` to its end, looking at it every millisecond (every 50 ms
/// where there is no `/proc`); it must exit with status 0 (a run that
/// never ends is told as [`run_ok`] tells it).
pub(super) fn watched_run(program: &Path, args: &[&str]) -> Watched {
    let ours = seen::checks_pipes();
    let start = SystemTime::now();
    let mut running = spawn(program, args);
    let pid = running.pid();
    let mut watch = Watch::new(pid);
    let mut looks = Vec::new();
    let mut totals = None;
    for n in 0.. {
        if seen::has_ended(pid) {
            totals = seen::totals(pid);
            break;
        }
        looks.push(seen::look(pid, &ours));
        if n % 10 == 9 {
            match watch.look() {
                Look::Ended => {}
                Look::Running if !watch.past_deadline() => {}
                Look::Running => break, // `wait` below kills it, and says so
                look => running = never_ends(running, args, look),
            }
        }
        // Without /proc, a look asks `ps`, and sees no thread: fewer looks.
        let pause = if harness::proc::present() { 1 } else { 50 };
        std::thread::sleep(Duration::from_millis(pause));
    }
    let end = SystemTime::now();
    let run = running.wait_for_group();
    if !run.get_output().status.success() {
        missing!("{}", ended_badly(args, run.get_output()));
    }
    // Where there is no /proc, there are no counts: a check that needs
    // them stops at `needs_proc`, after what it can see without them.
    let totals = match totals {
        Some(totals) => totals,
        None if !harness::proc::present() => Default::default(),
        None => missing!("The program's counts in /proc were gone."),
    };
    let lines = checked_lines(&run.get_output().stdout);
    let sizes = stdout(&run).lines().map(|line| line.len() as u64 + 1).collect();
    Watched { pid, start, end, looks, totals, lines, sizes }
}

/// Every line names the program's own process, and the time it was printed.
pub(super) fn lines_honest(
    args: &[&str],
    pid: u32,
    lines: &[Line],
    times: (SystemTime, SystemTime),
) {
    let seconds = |time: SystemTime| time.duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let (first, last) = (seconds(times.0) - 0.01, seconds(times.1) + 0.01);
    for (number, line) in lines.iter().enumerate() {
        if line.pid != pid {
            missing!(
                "Run with {}, line {} names process {}: the program's own is {pid} \
                 (std::process::id()).",
                shown(args),
                number + 1,
                line.pid
            );
        }
        if line.time < first || line.time > last {
            missing!(
                "Run with {}, line {} says `at {:.2}`: the run went from {first:.2} to \
                 {last:.2}. The time is when the line is printed, in seconds since 1970 \
                 (SystemTime::now()).",
                shown(args),
                number + 1,
                line.time
            );
        }
    }
}

/// How many bytes of messages the lines whose text fits in the first
/// `written` bytes of stdout stand for; `bytes` gives a line's share.
pub(super) fn data_in(lines: &[Line], sizes: &[u64], written: u64, bytes: fn(&str) -> u64) -> u64 {
    let mut total = 0;
    let mut printed = 0;
    for (line, size) in lines.iter().zip(sizes) {
        printed += size;
        if printed > written {
            break;
        }
        total += bytes(&line.data);
    }
    total
}

/// The reads of a pipe, by the thread that made them, in the order seen.
pub(super) fn pipe_reads(looks: &[seen::Look]) -> Vec<&seen::Task> {
    let tasks = looks.iter().flat_map(|look| &look.tasks);
    tasks.filter(|task| matches!(task.wait, Some(Wait::ReadPipe { .. }))).collect()
}

/// What the main thread of `pid` was seen waiting in, most often: for a
/// verdict on a program that never reads a pipe.
pub(super) fn main_waits(looks: &[seen::Look], pid: u32) -> String {
    let waits: Vec<&Wait> = looks
        .iter()
        .flat_map(|look| &look.tasks)
        .filter(|task| task.tid == pid)
        .filter_map(|task| task.wait.as_ref())
        .collect();
    let count = |wanted: fn(&Wait) -> bool| waits.iter().filter(|w| wanted(w)).count();
    let said = [
        (count(|w| *w == Wait::Sleep), "sleeps (a timer, as thread::sleep sets)"),
        (count(|w| *w == Wait::Futex), "waits for another thread (a join, a lock, a channel)"),
        (count(|w| *w == Wait::Child), "waits for its child to end"),
        (count(|w| *w == Wait::Read), "waits in a read of something else than its pipe"),
    ];
    match said.iter().max_by_key(|(n, _)| *n) {
        Some((n, words)) if *n > 0 => format!(" Instead, it mostly {words}."),
        _ => String::new(),
    }
}

/// The reader read, from its pipe, at least the bytes of the messages it
/// printed: between its first wait in a read of the pipe and `last` (its
/// counts at its end, or at a later wait), it read no fewer bytes than the
/// lines it printed in between hold. `who` is the reader, in words.
pub(super) fn reader_read_what_it_printed(
    args: &[&str],
    who: &str,
    first: &seen::Task,
    last: Io,
    lines: &[Line],
    sizes: &[u64],
    bytes: fn(&str) -> u64,
) {
    let printed =
        data_in(lines, sizes, last.wchar, bytes) - data_in(lines, sizes, first.io.wchar, bytes);
    let read = last.rchar - first.io.rchar;
    if read < printed {
        missing!(
            "Run with {}, {who} printed {printed} bytes of messages while it read only {read} \
             bytes (its counts in /proc/<pid>/io): the messages it prints do not come out \
             of the pipe. Print what each read of the pipe returns.",
            shown(args)
        );
    }
}

/// The whole run's writers, every process and thread but the main thread
/// of the program, wrote at least the bytes of the messages printed.
/// Needs `/proc` (see [`needs_proc`]).
pub(super) fn others_wrote(args: &[&str], watched: &Watched, who: &str, expected: u64) -> u64 {
    needs_proc("how many bytes each process and thread wrote (/proc/<pid>/io)");
    let (whole, main) = watched.totals;
    let wrote = whole.wchar - main.wchar;
    if wrote < expected {
        missing!(
            "Run with {}, it printed {} lines ({expected} bytes of messages), but {who} wrote \
             {wrote} bytes in all (the counts in /proc/<pid>/io): the messages did not go \
             into the pipe. {}",
            shown(args),
            watched.lines.len(),
            if wrote == 0 { "Nothing was written but the output." } else { "" }
        );
    }
    wrote
}

/// The bounded runs' look at the pipe: the program's main thread waits in
/// reads of a pipe and reads every byte it prints; the rest of the run
/// (the child, the writer threads) writes them; each line names the
/// program's process and the time it is printed. The rest after the
/// lines needs `/proc` (see [`needs_proc`]).
pub(super) fn through_the_pipe(args: &[&str], watched: &Watched, bytes: fn(&str) -> u64) {
    lines_honest(args, watched.pid, &watched.lines, (watched.start, watched.end));
    needs_proc(
        "which thread waits in a read of a pipe, and how many bytes each thread read and \
         wrote (/proc/<pid>/task/<tid>/syscall and io)",
    );
    let reads = pipe_reads(&watched.looks);
    let Some(first) = reads.iter().find(|task| task.tid == watched.pid) else {
        missing!(
            "Run with {}, the main thread was never seen waiting in a read of a pipe: the \
             lines it printed did not come from one.{}",
            shown(args),
            main_waits(&watched.looks, watched.pid)
        );
    };
    let (lines, sizes) = (&watched.lines, &watched.sizes);
    let main = watched.totals.1;
    let output: u64 = sizes.iter().sum();
    if main.wchar < output {
        missing!(
            "Run with {}, the main thread (the one that waits in reads of the pipe) printed \
             {} of the {output} bytes of output: the lines come from elsewhere, not from what \
             its reads return.",
            shown(args),
            main.wchar
        );
    }
    reader_read_what_it_printed(args, "the main thread", first, main, lines, sizes, bytes);
    let expected: u64 = watched.lines.iter().map(|line| bytes(&line.data)).sum();
    others_wrote(args, watched, "its other processes and threads", expected);
}

/// `b"Spam 000"`'s share of the bytes sent: 8.
pub(super) fn unframed_bytes(data: &str) -> u64 {
    bare(data).len() as u64
}

/// `A Spam 000`'s share: 11, its newline included.
pub(super) fn line_bytes(data: &str) -> u64 {
    data.len() as u64 + 1
}

/// No line is printed before the last message it holds could be sent: the
/// writer sleeps the schedule's ticks before each one.
pub(super) fn not_before_sent(
    args: &[&str],
    lines: &[Line],
    start: SystemTime,
    tick: Duration,
    message_len: u64,
) {
    let start = start.duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let mut received = 0;
    for (number, line) in lines.iter().enumerate() {
        received += bare(&line.data).len() as u64;
        let last = received.saturating_sub(1) / message_len;
        let ticks = ticks_slept_before(last);
        let due = start + tick.as_secs_f64() * ticks as f64;
        if line.time < due - 0.01 {
            missing!(
                "Run with {}, line {} ([{}]) was printed {:.2} s after the start, but the \
                 writer sends that message only after sleeping {ticks} ticks ({:.2} s): the \
                 lines are not printed as the messages come.",
                shown(args),
                number + 1,
                line.data,
                (line.time - start).max(0.0),
                due - start
            );
        }
    }
}

/// The tasks of a watched run, look by look.
pub(super) fn tasks(watched: &Watched) -> impl Iterator<Item = &seen::Task> {
    watched.looks.iter().flat_map(|look| &look.tasks)
}
