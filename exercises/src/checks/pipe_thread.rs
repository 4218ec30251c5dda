//! The checks of the pipe_thread chapter's exercises (the same pipe between
//! threads), and the behaviours the catalogue names.

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use harness::*;
use nix::sys::signal::Signal;

use super::book::{Book, book_run};
use super::needs_proc;
use super::seen::{Io, Wait};
use super::shared::*;
use super::watched::*;
use crate::{Behaviour, Programs};

/// The behaviours of `pipe_thread_two_writers`, in the order a student meets them.
pub(crate) static TWO_WRITERS: &[Behaviour] = &[
    Behaviour {
        what: "prints every line of both writers whole, each writer's in its order \
               (--count 3000 --tick 0)",
        check: two_writers_whole,
    },
    Behaviour {
        what: "two threads write at once, each line in one write, and the main thread \
               reads them from the pipe (--count 8 --tick 20ms)",
        check: two_writers_write_lines,
    },
];

/// The behaviours of `pipe_thread_mpsc`, in the order a student meets them.
pub(crate) static MPSC: &[Behaviour] = &[
    Behaviour {
        what: "prints one whole message a line, and ends (--count 12 --tick 0)",
        check: channel_whole,
    },
    Behaviour { what: "uses no pipe at all", check: no_pipe },
    Behaviour {
        what: "the writer thread sleeps and sends, the main thread waits for each \
               message (--count 12 --tick 20ms)",
        check: channel_carries,
    },
];

/// The behaviours of `pipe_thread_join_first`, in the order a student meets them.
pub(crate) static JOIN_FIRST: &[Behaviour] = &[
    Behaviour {
        what: "with 5 messages, reads as many bytes as --read-size says, and ends \
               (--count 5 --tick 0, with no --read-size, then 12)",
        check: join_first_small,
    },
    Behaviour {
        what: "with 9000 messages, joins before it reads (--count 9000 --tick 0)",
        check: join_first_large,
    },
];

/// The behaviours of `pipe_thread_scratch`, in the order a student meets them.
pub(crate) static SCRATCH: &[Behaviour] = &[
    Behaviour {
        what: "prints `Parent <pid> got [b\"Spam 000\"] at <time>` at once",
        check: |p| first_line_is(p, r#"b"Spam 000""#),
    },
    Behaviour {
        what: "one process, a writer thread and a reader: no fork",
        check: one_process_two_threads,
    },
    Behaviour {
        what: "the writer thread writes each message into the pipe, the reader reads it \
               there, 32 bytes a read, and prints it at its time (the first 3 messages)",
        check: |p| book_run(p, &PIPE_THREAD, 3),
    },
    Behaviour {
        what: "keeps the book's schedule, 000 to 004 and back to 000 (ten seconds), \
               and Ctrl-C stops it",
        check: |p| book_run(p, &PIPE_THREAD, 6),
    },
];

/// The book's program that the chapter's scratch exercise mirrors.
const PIPE_THREAD: Book = Book { name: "pipe-thread.py", forked: false, framed: false };

fn two_writers_whole(p: &Programs) {
    let args = ["--count", "3000", "--tick", "0"];
    let run = run_ok(&p.attempt, &args);
    let lines = data(&run);
    for name in ["A", "B"] {
        let tag = format!("{name} ");
        let mine: Vec<&str> = lines.iter().filter_map(|line| line.strip_prefix(&tag)).collect();
        if let Some(bad) = mine.iter().find(|message| message.len() != 8) {
            missing!(
                "Run with {}, a line of writer {name} is [{name} {bad}]: not one whole message.",
                shown(&args)
            );
        }
        if mine.concat() != stream(3000) {
            missing!(
                "Run with {}, writer {name}'s lines (those starting `{name} `) are not its 3000 \
                 messages in order: {} lines.",
                shown(&args),
                mine.len()
            );
        }
    }
    if lines.len() != 6000 {
        missing!(
            "Run with {}, it printed {} lines: expected 6000, 3000 from each writer.",
            shown(&args),
            lines.len()
        );
    }
}

fn channel_whole(p: &Programs) {
    let args = ["--count", "12", "--tick", "0"];
    let outcome = panic::catch_unwind(|| one_message_a_line(p, &args, 12));
    if let Err(payload) = outcome {
        let reason = payload.downcast_ref::<String>().cloned().unwrap_or_default();
        let move_it = "Is one kept alive (in main, or a clone)? Move the Sender into the writer \
                       thread, so that it is dropped when the thread ends.";
        if reason.contains("did not end") && reason.contains("waits for another thread") {
            missing!(
                "{reason}\nThe receiving loop ends only once every Sender of the channel is \
                 dropped: a sender still exists. {move_it}"
            );
        }
        // Without /proc, where it waits is not seen: asked, not told.
        if reason.contains("had not ended after") {
            missing!(
                "{reason}\nDoes the main thread wait in its receiving loop? It ends only once \
                 every Sender of the channel is dropped. {move_it}"
            );
        }
        panic::resume_unwind(payload);
    }
}

fn no_pipe(p: &Programs) {
    let (running, _) = started(&p.attempt, &["--count", "12", "--tick", "10ms"]);
    let pipes = own_pipes(running.pid());
    if !pipes.is_empty() {
        missing!("The program holds pipe ends {pipes:?}: a channel needs no pipe.");
    }
}

fn join_first_small(p: &Programs) {
    // The default, 32 bytes; then a size the attempt cannot guess.
    for (args, size) in [
        (&["--count", "5", "--tick", "0"][..], 32),
        (&["--count", "5", "--tick", "0", "--read-size", "12"][..], 12),
    ] {
        let run = run_ok(&p.attempt, args);
        let reads: Vec<String> = data(&run).iter().map(|read| bare(read).to_owned()).collect();
        let sent = stream(5);
        let expected: Vec<String> =
            sent.as_bytes().chunks(size).map(|c| String::from_utf8_lossy(c).into()).collect();
        if reads != expected {
            missing!(
                "Run with {}, the reads were {reads:?}: expected reads of {size} bytes (the last \
                 one shorter), {expected:?}. Read up to read_size bytes a time.",
                shown(args)
            );
        }
    }
}

fn join_first_large(p: &Programs) {
    let args = ["--count", "9000", "--tick", "0"];
    needs_proc(
        "whether both threads sleep, the writer in a write to the full pipe and the main \
         thread in its join (/proc/<pid>/task)",
    );
    let mut running = spawn(&p.attempt, &args);
    // 72 000 bytes do not fit in a 64 KiB pipe: the writer sleeps in write,
    // the main thread in join, and nothing is printed, ever. A program that
    // ends has read before the writer finished (or not read at all): that
    // is told as soon as it ends.
    if panic::catch_unwind(AssertUnwindSafe(|| running.wait_until_threads_sleep(2))).is_err() {
        let run = running.wait(); // it ended, or it is past the deadline: killed
        let printed = lines(stdout(&run).lines().count());
        if killed_by(run.get_output().status) == Some(Signal::SIGKILL) {
            missing!(
                "Run with {}, it did not end up with two sleeping threads ({printed} \
                 printed). Does the main thread join the writer before it reads a byte?",
                shown(&args)
            );
        }
        missing!(
            "Run with {}, it ended, having printed {printed}; but 9000 messages do not fit \
             in the pipe (64 KiB), so a program that joins the writer before it reads a \
             byte never ends. Does the main thread join the writer first?",
            shown(&args)
        );
    }
    let printed = running.lines_so_far();
    if !printed.is_empty() {
        missing!(
            "Run with {}, it printed before the writer finished: join first, then read.",
            shown(&args)
        );
    }
}

fn one_process_two_threads(p: &Programs) {
    let (running, _) = started(&p.attempt, &[]);
    let members = harness::proc::group_members(running.pid());
    if members.len() != 1 {
        missing!("The program runs {} processes: threads need no fork.", members.len());
    }
    needs_proc("how many threads the program runs (/proc/<pid>/task)");
    let threads = harness::proc::threads(running.pid()).len();
    // Two: the main thread reads, as pipe-thread.py's does. Three: the main
    // thread started a reader and a writer, and waits for them.
    if !(2..=3).contains(&threads) {
        missing!(
            "The program runs {threads} threads: expected two, the main thread reading and a \
             writer thread (or three, if the main thread starts a reader thread too)."
        );
    }
}

fn channel_carries(p: &Programs) {
    let args = ["--count", "12", "--tick", "20ms"];
    let watched = watched_run(&p.attempt, &args);
    lines_honest(&args, watched.pid, &watched.lines, (watched.start, watched.end));
    not_before_sent(&args, &watched.lines, watched.start, Duration::from_millis(20), 8);
    needs_proc(
        "which thread sleeps and which waits for each message \
         (/proc/<pid>/task/<tid>/syscall)",
    );
    let pid = watched.pid;
    if tasks(&watched).any(|task| task.tid == pid && task.wait == Some(Wait::Sleep)) {
        missing!(
            "Run with {}, the main thread sleeps (a timer): the writer thread sleeps before \
             each message, and the main thread waits for each one in recv.",
            shown(&args)
        );
    }
    if !tasks(&watched).any(|task| task.tid != pid && task.wait == Some(Wait::Sleep)) {
        missing!(
            "Run with {}, no thread but the main one was seen sleeping between messages: \
             the writer thread sleeps before each message and sends it (common::send_messages \
             does both).",
            shown(&args)
        );
    }
}

fn two_writers_write_lines(p: &Programs) {
    let args = ["--count", "8", "--tick", "20ms"];
    let watched = watched_run(&p.attempt, &args);
    lines_honest(&args, watched.pid, &watched.lines, (watched.start, watched.end));
    needs_proc(
        "how many bytes each thread wrote, and in how many writes \
         (/proc/<pid>/task/<tid>/io)",
    );
    for task in tasks(&watched).filter(|task| !task.main() && task.io.syscw > 0) {
        let Io { wchar, syscw, .. } = task.io;
        if wchar < syscw * 11 {
            missing!(
                "Run with {}, a writer thread (thread {}) had written {wchar} bytes in {syscw} \
                 writes: less than a line (11 bytes) a write. It writes each line in pieces \
                 (writeln! on the pipe end makes a write for each piece), and the other \
                 writer's pieces can come between them. Write each line with one write_all \
                 of the whole line: a write of up to PIPE_BUF bytes (4096 on Linux) is never \
                 mixed with another.",
                shown(&args),
                task.tid
            );
        }
    }
    let at_once = watched.looks.iter().any(|look| {
        let writing = look.tasks.iter().filter(|t| !t.main() && t.io.wchar >= 11);
        writing.count() >= 2
    });
    if !at_once {
        missing!(
            "Run with {}, never were two threads seen writing into the pipe at the same time: \
             start both writers, then read; each writer thread sends its own messages.",
            shown(&args)
        );
    }
    through_the_pipe(&args, &watched, line_bytes);
}
