//! The scratch exercises' last checks: the book's program, run as it is,
//! mirrored line for line and read for read (see [`book_run`]). A chapter
//! names its program with a [`Book`].

use std::panic;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use harness::*;
use nix::sys::signal::Signal;

use super::needs_proc;
use super::seen::{self, Wait};
use super::shared::*;
use super::watched::{
    line_bytes, main_waits, pipe_reads, reader_read_what_it_printed, unframed_bytes,
};
use crate::Programs;

/// One of the book's programs, as a whole-program exercise must mirror it.
#[derive(Debug)]
pub(super) struct Book {
    /// `pipe1.py`
    pub(super) name: &'static str,
    /// The writer is a forked child (else a thread of the one process).
    pub(super) forked: bool,
    /// The reader reads lines (pipe2), else raw reads of `read_size`.
    pub(super) framed: bool,
}

/// The unframed programs' read size, as the book's `os.read(pipein, 32)`.
pub(super) const READ_SIZE: u64 = 32;

/// The book's program, run as it is (no options, a tick of one second),
/// until its first `count` messages are printed, then stopped with Ctrl-C.
/// Looked at every millisecond: each line is the next message in the
/// book's order, from the program's own process, at its time, not before
/// its message is sent nor long after; the writer (the child, or a
/// thread) writes every message into the pipe, and the reader (the
/// parent, or a thread) waits in reads of that pipe and reads every byte
/// it prints. pipe2's parent is stopped (SIGSTOP) while its child sends two
/// messages, so that both wait in the pipe together: a line reader prints
/// them a line each, whatever the reads return.
pub(super) fn book_run(p: &Programs, book: &Book, count: u64) {
    let ours = seen::checks_pipes();
    let start = SystemTime::now();
    let started = std::time::Instant::now();
    let mut running = spawn(&p.attempt, &[]);
    let pid = running.pid();
    let sent = |n: u64| if book.framed { n * 9 } else { n * 8 };
    let mut raw: Vec<(String, SystemTime)> = Vec::new();
    let mut looks: Vec<seen::Look> = Vec::new();
    // pipe2: the child's bytes written when its parent was stopped.
    let mut paused: Option<u64> = None;
    let mut resumed: Option<usize> = None;
    let due = Duration::from_secs(ticks_slept_before(count - 1));
    // Without /proc, a look asks `ps` (milliseconds of work): one every
    // 50 ms, so that each line is still taken as it comes.
    let mut looked = std::time::Instant::now();
    loop {
        if let Some(line) = running.next_line_within(Duration::from_millis(1)) {
            raw.push((line, SystemTime::now()));
        }
        if !harness::proc::present() && looked.elapsed() < Duration::from_millis(50) {
            continue;
        }
        looked = std::time::Instant::now();
        let look = seen::look(pid, &ours);
        if let Some(zombie) = look.zombies.iter().find(|&&z| z != pid) {
            let wrote =
                looks.iter().flat_map(|l: &seen::Look| &l.tasks).filter(|t| t.pid == *zombie);
            let wrote = wrote.map(|t| t.io.wchar).max().unwrap_or(0);
            missing!(
                "The child (process {zombie}) has ended, after writing {wrote} bytes, and the \
                 parent has not reaped it: it is a zombie. In {} the child loops forever, \
                 sending message after message.",
                book.name
            );
        }
        if seen::has_ended(pid) {
            let run = running.wait();
            let output = run.get_output();
            if !output.status.success() {
                missing!("{}", ended_badly(&[], output));
            }
            missing!(
                "Run with no options, it ended by itself after {}: {} runs until Ctrl-C.",
                lines(raw.len() + stdout(&run).lines().count()),
                book.name
            );
        }
        let child = look.tasks.iter().find(|t| t.ppid == pid && t.main()).cloned();
        let parent_reads = look
            .tasks
            .iter()
            .any(|t| t.tid == pid && matches!(t.wait, Some(Wait::ReadPipe { .. })));
        match (book.framed, paused, &child) {
            (true, None, Some(child))
                if !raw.is_empty()
                    && resumed.is_none()
                    && parent_reads
                    && child.wait == Some(Wait::Sleep) =>
            {
                send(pid, Signal::SIGSTOP);
                paused = Some(child.io.wchar);
            }
            (true, Some(before), Some(child))
                if child.io.wchar >= before + 18 && child.wait == Some(Wait::Sleep) =>
            {
                send(pid, Signal::SIGCONT);
                resumed = Some(raw.len());
                paused = None;
            }
            _ => {}
        }
        looks.push(look);
        let parsed: Option<Vec<Line>> =
            raw.iter().map(|(line, _)| parse_line_or_whole(line)).collect();
        let Some(parsed) = parsed else {
            // A line not in the format: `book_lines` says which, with the next.
            if let Some(line) = running.next_line_within(Duration::from_millis(100)) {
                raw.push((line, SystemTime::now()));
            }
            break;
        };
        let received: u64 = parsed.iter().map(|line| bytes_sent(book, &line.data)).sum();
        if received >= sent(count) && paused.is_none() {
            break;
        }
        if started.elapsed() > due + Duration::from_secs(3) {
            if paused.is_some() {
                send(pid, Signal::SIGCONT);
            }
            missing!(
                "Run with no options, it printed {} in {} seconds: the first {count} messages \
                 come within {} seconds, as the child sleeps 0, 1, 2, 3, 4, 0, ... seconds \
                 before them.",
                lines(raw.len()),
                started.elapsed().as_secs(),
                due.as_secs()
            );
        }
    }
    // The writer's counts once every line wanted has come: the last look.
    let last = looks.last().cloned().expect("a look");
    // Which pipe ends each process holds, at the end.
    let held: Vec<(u32, Vec<harness::proc::PipeEnd>)> = (last.tasks.iter())
        .filter(|task| task.main())
        .map(|task| (task.pid, harness::proc::pipe_ends(harness::proc::Holder::Pid(task.pid))))
        .collect();
    running.signal_group(Signal::SIGINT);
    running.wait_for_ctrl_c(); // says at once if a process ignores it, or left the group
    let run = running.wait();
    wait_until_group_ended(pid);
    if killed_by(run.get_output().status) != Some(Signal::SIGINT) {
        missing!(
            "Ctrl-C (SIGINT to every process of the run) did not end it: {}",
            ended_badly(&[], run.get_output())
        );
    }
    book_lines(book, pid, start, &raw, resumed, count);
    book_traffic(book, pid, &raw, &looks, &last, &held);
}

/// The data of an output line, `Parent <pid> got [<data>] at <time>`, if it has that shape.
pub(super) fn data_of(line: &str) -> Option<&str> {
    let rest = line.split_once(" got [")?.1;
    Some(rest.rsplit_once("] at ")?.0)
}

/// `parse_lines` on one line; `None` if the line is not in the format.
pub(super) fn parse_line_or_whole(line: &str) -> Option<Line> {
    data_of(line)?;
    let parsed = panic::catch_unwind(|| parse_lines(format!("{line}\n").as_bytes()));
    parsed.ok()?.pop()
}

/// The bytes the writer sent for a line's data: `Spam 000\n` for a line
/// of pipe2, the bytes of the read for pipe1's and pipe-thread's.
pub(super) fn bytes_sent(book: &Book, data: &str) -> u64 {
    if book.framed { data.len() as u64 + 1 } else { bare(data).len() as u64 }
}

/// The lines of [`book_run`]: `raw` with the time each came; the parent
/// went on after its stop before line `resumed` (pipe2).
pub(super) fn book_lines(
    book: &Book,
    pid: u32,
    start: SystemTime,
    raw: &[(String, SystemTime)],
    resumed: Option<usize>,
    count: u64,
) {
    let seconds = |time: SystemTime| time.duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let start = seconds(start);
    let after_stop = |number: usize| resumed.is_some_and(|r| (r..r + 2).contains(&number));
    let unframing = |number: usize| {
        let shown: Vec<&str> =
            raw[number..].iter().take(2).map(|(line, _)| line.as_str()).collect();
        missing!(
            "While the parent was stopped (SIGSTOP), the child sent `Spam 001\\n` and \
             `Spam 002\\n`, and both waited in the pipe together. Once the parent went on, \
             it printed:\n{}\nexpected a line each, [Spam 001] then [Spam 002]. A read returns \
             whatever bytes wait in the pipe; {} reads a line at a time (readline, on the file \
             object os.fdopen makes).",
            shown.join("\n"),
            book.name
        )
    };
    let message_len = if book.framed { 9 } else { 8 };
    let stream: String =
        common::schedule::zzz_values(Some(count + 4)).map(common::message).collect();
    let mut received = 0u64;
    for (number, (text, came)) in raw.iter().enumerate() {
        let Some(line) = parse_line_or_whole(text) else {
            if after_stop(number) {
                unframing(number);
            }
            let problem = format_problem(text, !book.framed).unwrap_or_default();
            missing!("Line {}, {text:?}: {problem}", number + 1);
        };
        if let Some(problem) = format_problem(text, !book.framed) {
            missing!("Line {}, {text:?}: {problem}", number + 1);
        }
        let said = format!("Line {} ([{}])", number + 1, line.data);
        // Which bytes: the next message (pipe2), the next bytes of the stream.
        let bytes = bytes_sent(book, &line.data);
        let expected = if book.framed {
            common::message(common::schedule::zzz_values(None).nth(number).unwrap())
        } else {
            stream.get(received as usize..(received + bytes) as usize).unwrap_or("").to_owned()
        };
        if bare(&line.data) != expected {
            if after_stop(number) && book.framed {
                unframing(number);
            }
            missing!(
                "{said}: expected [{}]{}. The messages go 000, 001, 002, 003, 004, then back \
                 to 000 (zzz = (zzz + 1) % 5), each sent once, in order.",
                if book.framed { expected.clone() } else { format!("b\"{expected}\"") },
                if book.framed { String::new() } else { ", the bytes sent next".to_owned() }
            );
        }
        if line.pid != pid {
            missing!("{said} names process {}: the program's own is {pid}.", line.pid);
        }
        if line.time < start - 0.01 || line.time > seconds(*came) + 0.01 {
            missing!(
                "{said} says `at {:.2}`, but it was printed at {:.2}: the time is when the line \
                 is printed, in seconds since 1970.",
                line.time,
                seconds(*came)
            );
        }
        let first = received / message_len;
        received += bytes;
        let last = (received - 1) / message_len;
        let earliest = start + ticks_slept_before(last) as f64;
        if line.time < earliest - 0.01 {
            missing!(
                "{said} was printed {:.2} s after the start, but message {} comes only after \
                 {} seconds of sleep (the child sleeps 0, 1, 2, 3, 4, 0, ... seconds, zzz \
                 seconds before each message).",
                line.time - start,
                last + 1,
                earliest - start
            );
        }
        let late = seconds(*came) - (start + ticks_slept_before(first) as f64);
        if late > 2.0 && !after_stop(number) {
            missing!(
                "{said} came {late:.1} s after its message was due (the child sleeps 0, 1, 2, \
                 3, 4, 0, ... seconds, zzz seconds before each message)."
            );
        }
    }
}

/// The reader of [`book_run`] waits in reads of a pipe (of 32 bytes, if
/// unframed) and reads every byte it prints; the writer wrote them all.
/// Needs `/proc` (see [`needs_proc`]).
pub(super) fn book_traffic(
    book: &Book,
    pid: u32,
    raw: &[(String, SystemTime)],
    looks: &[seen::Look],
    last: &seen::Look,
    held: &[(u32, Vec<harness::proc::PipeEnd>)],
) {
    needs_proc(
        "which process waits in a read of the pipe, how many bytes it asks for, and how \
         many bytes each process read and wrote (/proc/<pid>/task/<tid>/syscall and io)",
    );
    let reader_is =
        |task: &&seen::Task| if book.forked { task.tid == pid } else { task.pid == pid };
    let reads: Vec<&seen::Task> = pipe_reads(looks).into_iter().filter(reader_is).collect();
    let who = if book.forked { "the parent" } else { "the reading thread" };
    let Some(first) = reads.first() else {
        missing!(
            "Run with no options, {} seen waiting in a read of a pipe: the lines it printed \
             did not come through one.{}",
            if book.forked { "the parent was never" } else { "no thread of the program was" },
            main_waits(looks, pid)
        );
    };
    let reads: Vec<&&seen::Task> = reads.iter().filter(|task| task.tid == first.tid).collect();
    if !book.framed {
        for read in &reads {
            if let Some(Wait::ReadPipe { fd, count, .. }) = read.wait
                && count != READ_SIZE
            {
                missing!(
                    "Run with no options, {who} asks for {count} bytes a read (read(fd {fd}, \
                     buffer, {count}), as /proc/<pid>/syscall shows): {} reads up to 32 bytes \
                     at a time, os.read(pipein, 32).",
                    book.name
                );
            }
        }
    }
    let lines: Vec<Line> = raw.iter().filter_map(|(text, _)| parse_line_or_whole(text)).collect();
    let sizes: Vec<u64> = raw.iter().map(|(text, _)| text.len() as u64 + 1).collect();
    let bytes: fn(&str) -> u64 = if book.framed { line_bytes } else { unframed_bytes };
    let latest = reads.last().expect("a read").io;
    let output: u64 = sizes.iter().sum();
    let now = last.tasks.iter().find(|task| task.tid == first.tid);
    let reader_printed = now.map_or(latest.wchar, |task| task.io.wchar);
    if reader_printed < output {
        missing!(
            "Run with no options, {who} (the one that waits in reads of the pipe) printed \
             {reader_printed} of the {output} bytes of output: the lines come from elsewhere, \
             not from what its reads return."
        );
    }
    reader_read_what_it_printed(&[], who, first, latest, &lines, &sizes, bytes);
    let printed: u64 = lines.iter().map(|line| bytes(&line.data)).sum();
    let writers = last.tasks.iter().filter(|task| match book.forked {
        true => task.ppid == pid,
        false => task.pid == pid && task.tid != first.tid,
    });
    let writer = writers.max_by_key(|task| task.io.wchar);
    let wrote = writer.map_or(0, |task| task.io.wchar);
    if wrote < printed {
        missing!(
            "Run with no options, it printed {} ({printed} bytes of messages), but {} wrote \
             {wrote} bytes (its counts in /proc/<pid>/io): the messages did not go into the \
             pipe. The {} writes each message into the pipe.",
            lines.len(),
            if book.forked { "the child" } else { "its writer thread" },
            if book.forked { "child" } else { "writer thread" }
        );
    }
    // The child's bytes went into the pipe the parent reads: it holds a
    // write end of it. (Threads share one table of descriptors.)
    if let (true, Some(writer), Some(Wait::ReadPipe { fd, pipe, .. })) =
        (book.forked, writer, &first.wait)
    {
        let ends = held.iter().find(|(held_by, _)| *held_by == writer.pid);
        let holds = ends.is_some_and(|(_, ends)| ends.iter().any(|e| e.pipe == *pipe && e.writes));
        if !holds {
            missing!(
                "Run with no options, the child (process {}) wrote {wrote} bytes, but it holds \
                 no write end of the pipe the parent reads (fd {fd} of the parent): it wrote \
                 them elsewhere.",
                writer.pid
            );
        }
    }
}
