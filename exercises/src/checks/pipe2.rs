//! The checks of the pipe2 chapter's exercises (framing, and closing the
//! unused ends), and the behaviours the catalogue names.

use std::path::Path;

use harness::*;
use nix::sys::signal::Signal;

use super::book::{Book, book_run};
use super::shared::*;
use super::watched::*;
use crate::{Behaviour, Programs};
use harness::stuck::{Look, OVERDUE_AFTER, STUCK_AFTER, Watch};

/// The behaviours of `pipe2_predict`, in the order a student meets them.
pub(crate) static PREDICT: &[Behaviour] = &[
    Behaviour { what: "prints a prediction for the parent and the child", check: close_predicted },
    Behaviour {
        what: "predicts what the parent does after the third line",
        check: |p| close_prediction_right(p, 0),
    },
    Behaviour {
        what: "predicts what becomes of the child after its third message",
        check: |p| close_prediction_right(p, 1),
    },
];

/// The behaviours of `pipe2_length_prefix`, in the order a student meets them.
pub(crate) static LENGTH_PREFIX: &[Behaviour] = &[
    Behaviour {
        what: "prints each two-line message whole, newline and all (--count 7 --tick 0)",
        check: |p| two_line_messages(p, &["--count", "7", "--tick", "0"]),
    },
    Behaviour {
        what: "does so with a tick too (--count 12 --tick 1ms)",
        check: |p| two_line_messages(p, &["--count", "12", "--tick", "1ms"]),
    },
    Behaviour {
        what: "the child writes a length byte before each message, the parent reads \
               both from the pipe (--count 7 --tick 20ms)",
        check: length_byte_sent,
    },
];

/// The behaviours of `pipe2_unframed`, in the order a student meets them.
pub(crate) static UNFRAMED: &[Behaviour] = &[
    Behaviour {
        what: "the parent prints every byte in order, and ends by itself at end-of-file \
               (--count 12 --tick 0)",
        check: unframed_ends_at_end_of_file,
    },
    Behaviour {
        what: "the child ends by itself once its parent is killed (--tick 0, no --count)",
        check: child_ends_with_its_reader,
    },
];

/// The behaviours of `pipe2_scratch`, in the order a student meets them.
pub(crate) static SCRATCH: &[Behaviour] = &[
    Behaviour {
        what: "prints `Parent <pid> got [Spam 000] at <time>` at once",
        check: |p| first_line_is(p, "Spam 000"),
    },
    Behaviour {
        what: "each process keeps only the pipe end it uses (os.close)",
        check: one_end_each,
    },
    Behaviour {
        what: "the child writes each line into the pipe, the parent reads it there, a \
               line at a time, and prints it at its time (the first 3 messages)",
        check: |p| book_run(p, &PIPE2, 3),
    },
    Behaviour {
        what: "keeps the book's schedule, 000 to 004 and back to 000 (ten seconds), \
               and Ctrl-C stops it all",
        check: |p| book_run(p, &PIPE2, 6),
    },
];

/// The book's program that the chapter's scratch exercise mirrors.
const PIPE2: Book = Book { name: "pipe2.py", forked: true, framed: true };

/// The student's two answers, as the program prints them: `None` or `Some(...)`.
fn close_answers(p: &Programs) -> Vec<String> {
    let run = run_ok(&p.attempt, &[]);
    stdout(&run).lines().map(str::to_owned).collect()
}

fn close_predicted(p: &Programs) {
    let answers = close_answers(p);
    for (answer, name) in answers.iter().zip(["THE_PARENT", "THE_CHILD"]) {
        if answer == "None" {
            missing!("No prediction yet for {name}: replace None with Some(...) and your choice.");
        }
    }
    if answers.len() != 2 {
        missing!(
            "Expected two lines, THE_PARENT and THE_CHILD; the program printed {}.",
            answers.len()
        );
    }
}

/// What pipe2_forgets_close really does, looked at: after its three lines
/// the parent sleeps (in `read`) and prints nothing more; the child has
/// ended and is a zombie, never reaped.
fn forgets_close_observed(program: &Path) -> [&'static str; 2] {
    let mut running = spawn(program, &["--count", "3", "--tick", "0"]);
    for _ in 0..3 {
        running.next_line();
    }
    let child = running.child_pid();
    running.wait_for_state(child, 'Z');
    running.wait_for_state(running.pid(), 'S');
    assert_eq!(running.lines_so_far(), Vec::<String>::new(), "no line after the third");
    assert_eq!(running.state_of(child), Some('Z'), "the child is still not reaped");
    ["Some(KeepsWaiting)", "Some(EndsButIsNeverReaped)"]
}

fn close_prediction_right(p: &Programs, which: usize) {
    let answers = close_answers(p);
    let truth = forgets_close_observed(p.other("pipe2_forgets_close"));
    let (name, answer) = (["THE_PARENT", "THE_CHILD"][which], &answers[which]);
    if *answer != truth[which] {
        missing!(
            "{name}: you predicted {answer}, and that is not what happens. Run it and look:\n  \
             cargo run -q -p pipe2 --bin pipe2_forgets_close -- --count 3 --tick 0\n\
             and, from a second terminal while it runs, at both processes:\n  \
             ps -o pid,ppid,stat,comm -C pipe2_forgets_c"
        );
    }
}

fn two_line_messages(p: &Programs, args: &[&str]) {
    let run = run_ok(&p.attempt, args);
    let lines = data(&run);
    let count = args[1].parse().unwrap();
    let expected: Vec<String> = common::schedule::zzz_values(Some(count))
        .map(|zzz| format!("{}\nand eggs", common::message(zzz)).escape_debug().to_string())
        .collect();
    lines_are(args, &lines, &expected, " (A newline frame cuts a message at its newline.)");
}

fn unframed_ends_at_end_of_file(p: &Programs) {
    let args = ["--count", "12", "--tick", "0"];
    let run = run_ok(&p.attempt, &args);
    let lines = checked_lines(&run.get_output().stdout);
    let reads: Vec<&str> = lines.iter().map(|line| bare(&line.data)).collect();
    if reads.concat() != stream(12) {
        missing!(
            "Run with {}, the reads joined are {:?}: expected every byte sent, in order, {:?}.",
            shown(&args),
            reads.concat(),
            stream(12)
        );
    }
    if reads.iter().any(|read| read.len() > 32) {
        missing!("Run with {}, a read returned more than 32 bytes: {reads:?}", shown(&args));
    }
}

fn child_ends_with_its_reader(p: &Programs) {
    let (running, _) = started(&p.attempt, &["--tick", "0"]);
    let pid = running.pid();
    let child = running.child_pid();
    send(pid, Signal::SIGKILL);
    match Watch::new(pid).with_name(child, "the child").until_ended_or_stuck() {
        Look::Ended => {}
        Look::Stuck(why) => missing!(
            "After its parent was killed, the child (process {child}) did not end: it has \
             slept for {} seconds.\n{why}\nWhich end does the child not use?",
            STUCK_AFTER.as_secs()
        ),
        Look::Busy(why) => missing!(
            "After its parent was killed, the child (process {child}) kept running, busy: \
             {why} {EPIPE}"
        ),
        Look::Overdue(why) => missing!(
            "After its parent was killed, the child (process {child}) was still running \
             {} seconds later.\n{why}\nWhich end does the child not use? {EPIPE}",
            OVERDUE_AFTER.as_secs()
        ),
        Look::Running => missing!(
            "After its parent was killed, the child (process {child}) kept running for {} \
             seconds. {EPIPE}",
            DEADLINE.as_secs()
        ),
    }
}

/// Why a writer ends once its reader is gone, and how it can keep running.
const EPIPE: &str = "Once no read end is left open, its next write fails (EPIPE): does it close \
                     the end it does not use, and stop when a write fails?";

fn one_end_each(p: &Programs) {
    let (running, _) = started(&p.attempt, &[]);
    let child = running.child_pid();
    for (who, pid) in [("parent", running.pid()), ("child", child)] {
        let pipes = own_pipes(pid);
        if pipes.len() != 1 {
            missing!(
                "The {who} holds {} pipe ends, {pipes:?}: it should keep only the one it uses \
                 and close the other, as pipe2.py does with os.close.",
                pipes.len()
            );
        }
    }
}

fn length_byte_sent(p: &Programs) {
    let args = ["--count", "7", "--tick", "20ms"];
    let watched = watched_run(&p.attempt, &args);
    let wrote = others_wrote(&args, &watched, "the child", 7 * 17);
    if wrote != 7 * 18 {
        missing!(
            "Run with {}, the child wrote {wrote} bytes for 7 messages of 17 bytes (the counts \
             in /proc/<pid>/io): expected 126, each message after one byte that says its \
             length. A fixed size of 17 frames these messages, and no others.",
            shown(&args)
        );
    }
    through_the_pipe(&args, &watched, |_| 18);
}
