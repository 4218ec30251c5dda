//! The checks of the pipe1 chapter's exercises (bytes, not messages), and
//! the behaviours the catalogue names.

use harness::*;

use super::book::{Book, book_run};
use super::shared::*;
use super::watched::*;
use crate::{Behaviour, Programs};

/// The behaviours of `pipe1_predict`, in the order a student meets them.
pub(crate) static PREDICT: &[Behaviour] = &[
    Behaviour { what: "prints a prediction, one read a line", check: predict_says_something },
    Behaviour {
        what: "predicts every read of `pipe1 --count 5 --tick 0 --late-reader --read-size 12`",
        check: predict_matches_pipe1,
    },
];

/// The behaviours of `pipe1_read_sizes`, in the order a student meets them.
pub(crate) static READ_SIZES: &[Behaviour] = &[
    Behaviour { what: "answers for every read size it is asked about", check: sizes_answered },
    Behaviour {
        what: "answers as runs of `pipe1 --count 5 --tick 0 --late-reader --read-size N` show",
        check: sizes_right,
    },
];

/// The behaviours of `pipe1_whole`, in the order a student meets them.
pub(crate) static WHOLE: &[Behaviour] = &[
    Behaviour {
        what: "prints one whole message a line when all of them wait in the pipe at once \
               (--count 12 --tick 0 --late-reader)",
        check: whole_when_late,
    },
    Behaviour {
        what: "prints one whole message a line in a live run (--count 12 --tick 0)",
        check: whole_when_live,
    },
    Behaviour {
        what: "the child writes the messages into the pipe, the parent reads them there \
               and prints them with its own pid and the time (--count 9 --tick 20ms)",
        check: whole_through_the_pipe,
    },
];

/// The behaviours of `pipe1_scratch`, in the order a student meets them.
pub(crate) static SCRATCH: &[Behaviour] = &[
    Behaviour {
        what: "prints `Parent <pid> got [b\"Spam 000\"] at <time>` at once",
        check: |p| first_line_is(p, r#"b"Spam 000""#),
    },
    Behaviour {
        what: "the parent's child writes: two processes, the child forked by the parent",
        check: two_processes,
    },
    Behaviour {
        what: "the child writes each message into the pipe, the parent reads it there, \
               32 bytes a read, and prints it at its time (the first 3 messages)",
        check: |p| book_run(p, &PIPE1, 3),
    },
    Behaviour {
        what: "keeps the book's schedule, 000 to 004 and back to 000 (ten seconds), \
               and Ctrl-C stops it all",
        check: |p| book_run(p, &PIPE1, 6),
    },
];

/// The book's program that the chapter's scratch exercise mirrors.
const PIPE1: Book = Book { name: "pipe1.py", forked: true, framed: false };

const PREDICTED_RUN: [&str; 7] =
    ["--count", "5", "--tick", "0", "--late-reader", "--read-size", "12"];

fn predict_says_something(p: &Programs) {
    let run = run_ok(&p.attempt, &[]);
    if stdout(&run).trim().is_empty() {
        missing!("No prediction yet: write what each read returns in READS, one string per read.");
    }
}

fn predict_matches_pipe1(p: &Programs) {
    let predicted: Vec<String> =
        stdout(&run_ok(&p.attempt, &[])).lines().map(str::to_owned).collect();
    let run = run_ok(p.other("pipe1"), &PREDICTED_RUN);
    let reads: Vec<String> = data(&run).iter().map(|read| unquote(read).to_owned()).collect();
    let look = format!("Run it and look:\n  cargo run -q -p pipe1 -- {}", PREDICTED_RUN.join(" "));
    if predicted.len() != reads.len() {
        missing!("You predicted {} reads; pipe1 made {}. {look}", predicted.len(), reads.len());
    }
    for (number, (guess, read)) in predicted.iter().zip(&reads).enumerate() {
        if bare(guess) != read {
            missing!(
                "Read {}: you predicted {guess:?}; pipe1 read other bytes. {look}",
                number + 1
            );
        }
    }
}

/// The read sizes the student answers for: every size up to 48, and a few
/// larger ones up to the largest, 64 KiB.
fn read_sizes() -> Vec<u32> {
    (1..=48).chain([56, 64, 100, 4096, 65536]).collect()
}

/// The student's answers: `<size> true` or `<size> false`, a line each.
fn sizes_answers(p: &Programs) -> Vec<(u32, bool)> {
    let sizes: Vec<String> = read_sizes().iter().map(u32::to_string).collect();
    let args: Vec<&str> = sizes.iter().map(String::as_str).collect();
    let run = run_ok(&p.attempt, &args);
    let text = stdout(&run);
    let answers: Vec<(u32, bool)> = text
        .lines()
        .filter_map(|line| {
            let (size, answer) = line.split_once(' ')?;
            Some((size.parse().ok()?, answer.parse().ok()?))
        })
        .collect();
    for size in read_sizes() {
        if !answers.iter().any(|(answered, _)| *answered == size) {
            missing!(
                "No answer for --read-size {size}: expected a line `{size} true` or `{size} false`."
            );
        }
    }
    answers
}

fn sizes_answered(p: &Programs) {
    sizes_answers(p);
}

fn sizes_right(p: &Programs) {
    for (size, said) in sizes_answers(p) {
        let size_text = size.to_string();
        let args = ["--count", "5", "--tick", "0", "--late-reader", "--read-size", &size_text];
        let run = run_ok(p.other("pipe1"), &args);
        let reads: Vec<String> = data(&run).iter().map(|read| unquote(read).to_owned()).collect();
        let whole = reads.iter().all(|read| read.len() % 8 == 0);
        if said != whole {
            let you =
                if said { "every read is whole messages" } else { "some read cuts a message" };
            missing!("--read-size {size}: you said {you}, but pipe1's reads were {reads:?}.");
        }
    }
}

fn whole_when_late(p: &Programs) {
    one_message_a_line(p, &["--count", "12", "--tick", "0", "--late-reader"], 12);
}

fn whole_when_live(p: &Programs) {
    one_message_a_line(p, &["--count", "12", "--tick", "0"], 12);
}

fn two_processes(p: &Programs) {
    let (running, _) = started(&p.attempt, &[]);
    let members = harness::proc::group_members(running.pid());
    if !members.iter().any(|process| process.ppid == running.pid()) {
        missing!("The program has no child process: the writer should be a forked child.");
    }
}

fn whole_through_the_pipe(p: &Programs) {
    // Not 12, as the other runs: a count the attempt cannot have guessed.
    let args = ["--count", "9", "--tick", "20ms"];
    let watched = watched_run(&p.attempt, &args);
    through_the_pipe(&args, &watched, unframed_bytes);
}
