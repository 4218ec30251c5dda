//! Every exercise, and the behaviours its checks look for.
//!
//! A check runs programs as subprocesses (never a fork in this process) with
//! the helpers of `common::testing`, and says what is missing with
//! `missing!`, in words a student understands: what was run, what came
//! out, what was expected.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::testing::*;
use nix::sys::signal::Signal;

use crate::stuck::{BUSY_AFTER, Look, STUCK_AFTER, Watch};
use crate::{Behaviour, Exercise, Kind, Level, Programs};

mod seen;
use seen::{Io, Wait};

/// Say that a behaviour is missing, and why: the check stops here.
macro_rules! missing {
    ($($words:tt)*) => {
        std::panic::panic_any(format!($($words)*))
    };
}

pub static EXERCISES: &[Exercise] = &[
    // pipe1: bytes, not messages
    Exercise {
        name: "pipe1_predict",
        title: "Predict the reads",
        package: "pipe1",
        kind: Kind::Gaps,
        level: Level::Easy,
        minutes: 5,
        solution: "pipe1_predict_solution",
        solution_file: "pipe1/solutions/pipe1_predict.rs",
        uses: &["pipe1"],
        starter_says: "No prediction yet",
        behaviours: &[
            Behaviour {
                what: "prints a prediction, one read a line",
                check: predict_says_something,
            },
            Behaviour {
                what: "predicts every read of `pipe1 --count 5 --tick 0 --late-reader --read-size 12`",
                check: predict_matches_pipe1,
            },
        ],
    },
    Exercise {
        name: "pipe1_read_sizes",
        title: "Which read sizes keep every message whole?",
        package: "pipe1",
        kind: Kind::Gaps,
        level: Level::Easy,
        minutes: 10,
        solution: "pipe1_read_sizes_solution",
        solution_file: "pipe1/solutions/pipe1_read_sizes.rs",
        uses: &["pipe1"],
        starter_says: "todo!()",
        behaviours: &[
            Behaviour {
                what: "answers for every read size it is asked about",
                check: sizes_answered,
            },
            Behaviour {
                what: "answers as runs of `pipe1 --count 5 --tick 0 --late-reader --read-size N` show",
                check: sizes_right,
            },
        ],
    },
    Exercise {
        name: "pipe1_whole",
        title: "Put the messages back together",
        package: "pipe1",
        kind: Kind::Gaps,
        level: Level::Medium,
        minutes: 20,
        solution: "pipe1_whole_solution",
        solution_file: "pipe1/solutions/pipe1_whole.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
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
        ],
    },
    Exercise {
        name: "pipe1_scratch",
        title: "pipe1.py from scratch",
        package: "pipe1",
        kind: Kind::Scratch,
        level: Level::Harder,
        minutes: 40,
        solution: "pipe1_plain",
        solution_file: "pipe1/src/bin/pipe1_plain.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
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
        ],
    },
    // pipe2: framing and closing unused ends
    Exercise {
        name: "pipe2_predict",
        title: "Forget to close",
        package: "pipe2",
        kind: Kind::Gaps,
        level: Level::Easy,
        minutes: 10,
        solution: "pipe2_predict_solution",
        solution_file: "pipe2/solutions/pipe2_predict.rs",
        uses: &["pipe2_forgets_close"],
        starter_says: "No prediction yet",
        behaviours: &[
            Behaviour {
                what: "prints a prediction for the parent and the child",
                check: close_predicted,
            },
            Behaviour {
                what: "predicts what the parent does after the third line",
                check: |p| close_prediction_right(p, 0),
            },
            Behaviour {
                what: "predicts what becomes of the child after its third message",
                check: |p| close_prediction_right(p, 1),
            },
        ],
    },
    Exercise {
        name: "pipe2_length_prefix",
        title: "Frame by length",
        package: "pipe2",
        kind: Kind::Gaps,
        level: Level::Medium,
        minutes: 25,
        solution: "pipe2_length_prefix_solution",
        solution_file: "pipe2/solutions/pipe2_length_prefix.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
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
        ],
    },
    Exercise {
        name: "pipe2_unframed",
        title: "Closing without framing",
        package: "pipe2",
        kind: Kind::Gaps,
        level: Level::Medium,
        minutes: 20,
        solution: "pipe2_unframed_solution",
        solution_file: "pipe2/solutions/pipe2_unframed.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
            Behaviour {
                what: "the parent prints every byte in order, and ends by itself at end-of-file \
                       (--count 12 --tick 0)",
                check: unframed_ends_at_end_of_file,
            },
            Behaviour {
                what: "the child ends by itself once its parent is killed (--tick 0, no --count)",
                check: child_ends_with_its_reader,
            },
        ],
    },
    Exercise {
        name: "pipe2_scratch",
        title: "pipe2.py from scratch",
        package: "pipe2",
        kind: Kind::Scratch,
        level: Level::Harder,
        minutes: 40,
        solution: "pipe2_plain",
        solution_file: "pipe2/src/bin/pipe2_plain.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
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
        ],
    },
    // pipe_thread: the same pipe between threads
    Exercise {
        name: "pipe_thread_two_writers",
        title: "Two writers, one pipe",
        package: "pipe_thread",
        kind: Kind::Gaps,
        level: Level::Medium,
        minutes: 25,
        solution: "pipe_thread_two_writers_solution",
        solution_file: "pipe_thread/solutions/pipe_thread_two_writers.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
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
        ],
    },
    Exercise {
        name: "pipe_thread_mpsc",
        title: "A channel instead of a pipe",
        package: "pipe_thread",
        kind: Kind::Gaps,
        level: Level::Easy,
        minutes: 15,
        solution: "pipe_thread_mpsc_solution",
        solution_file: "pipe_thread/solutions/pipe_thread_mpsc.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
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
        ],
    },
    Exercise {
        name: "pipe_thread_join_first",
        title: "Join before reading",
        package: "pipe_thread",
        kind: Kind::Gaps,
        level: Level::Easy,
        minutes: 15,
        solution: "pipe_thread_join_first_solution",
        solution_file: "pipe_thread/solutions/pipe_thread_join_first.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
            Behaviour {
                what: "with 5 messages, reads as many bytes as --read-size says, and ends \
                       (--count 5 --tick 0, with no --read-size, then 12)",
                check: join_first_small,
            },
            Behaviour {
                what: "with 9000 messages, joins before it reads (--count 9000 --tick 0)",
                check: join_first_large,
            },
        ],
    },
    Exercise {
        name: "pipe_thread_scratch",
        title: "pipe-thread.py from scratch",
        package: "pipe_thread",
        kind: Kind::Scratch,
        level: Level::Harder,
        minutes: 30,
        solution: "pipe_thread_plain",
        solution_file: "pipe_thread/src/bin/pipe_thread_plain.rs",
        uses: &[],
        starter_says: "todo!()",
        behaviours: &[
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
        ],
    },
];

// ---- how a run went, in words

/// The command line, for a sentence: `--count 5 --tick 0`, or `no options`.
fn shown(args: &[&str]) -> String {
    match args {
        [] => "no options".to_owned(),
        [first @ .., last] if args.len() > 8 => format!("{} ... {last}", first[..4].join(" ")),
        _ => args.join(" "),
    }
}

/// How a run that should have exited with status 0 ended instead: a
/// `todo!()` reached, another panic, or an error status.
fn ended_badly(args: &[&str], output: &Output) -> String {
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
fn lines(count: usize) -> String {
    match count {
        0 => "no line".to_owned(),
        1 => "1 line".to_owned(),
        _ => format!("{count} lines"),
    }
}

/// If `look` says the run is stuck or busy, stop it and say so: it
/// printed this much, then it did not end. Else, give it back.
fn never_ends(running: Running, args: &[&str], look: Look) -> Running {
    let (stuck, why) = match look {
        Look::Stuck(why) => (true, why),
        Look::Busy(why) => (false, why),
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
/// [`crate::stuck`]), and the verdict says which process waits for what.
fn run_ok(program: &Path, args: &[&str]) -> Assert {
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
fn data(run: &Assert) -> Vec<String> {
    checked_lines(&run.get_output().stdout).into_iter().map(|line| line.data).collect()
}

/// A read as the student may write it: `b"Spam 000"` or `Spam 000`.
fn bare(read: &str) -> &str {
    read.strip_prefix("b\"").and_then(|r| r.strip_suffix('"')).unwrap_or(read)
}

/// Start `program` and wait for its first line; if none comes, say why.
/// Before its first line, a right program does not sleep (its first
/// message is sent at once, whatever the tick), so one that gets stuck, or
/// busy, is stopped as [`run_ok`] stops it (see [`crate::stuck`]).
fn started(program: &Path, args: &[&str]) -> (Running, String) {
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
fn own_pipes(pid: u32) -> Vec<(u32, String)> {
    let inherited: Vec<String> = pipes_of("self").into_iter().map(|(_, pipe)| pipe).collect();
    let mine = pipes_of(&pid.to_string());
    // A pipe end moved onto stdin or stdout with dup2 counts: the check's
    // own pipes (the run's stdout and stderr) are the ones left out.
    mine.into_iter().filter(|(_, pipe)| !inherited.contains(pipe)).collect()
}

/// Every pipe descriptor in `/proc/<process>/fd`, sorted: `(fd, pipe)`.
fn pipes_of(process: &str) -> Vec<(u32, String)> {
    crate::stuck::pipe_ends(process).into_iter().map(|(fd, pipe, _)| (fd, pipe)).collect()
}

// ---- pipe1

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

/// The lines of a run must be the messages, one each, in order.
fn one_message_a_line(p: &Programs, args: &[&str], count: u64) {
    let run = run_ok(&p.attempt, args);
    let lines: Vec<String> = data(&run).iter().map(|line| bare(line).to_owned()).collect();
    let expected: Vec<String> =
        common::schedule::zzz_values(Some(count)).map(common::message).collect();
    lines_are(args, &lines, &expected, "");
}

/// Each line shows the next of `expected`, whole, and there are no more
/// lines than messages; `hint` follows the verdict on a wrong line.
fn lines_are(args: &[&str], lines: &[String], expected: &[String], hint: &str) {
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

fn whole_when_late(p: &Programs) {
    one_message_a_line(p, &["--count", "12", "--tick", "0", "--late-reader"], 12);
}

fn whole_when_live(p: &Programs) {
    one_message_a_line(p, &["--count", "12", "--tick", "0"], 12);
}

/// The first line comes at once, in the book's format, from the program's own process.
fn first_line_is(p: &Programs, expected: &str) {
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

fn two_processes(p: &Programs) {
    let (running, _) = started(&p.attempt, &[]);
    let members = group_members(running.pid());
    if !members.iter().any(|process| process.ppid == running.pid()) {
        missing!("The program has no child process: the writer should be a forked child.");
    }
}

// ---- pipe2

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

// ---- pipe_thread

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
        if reason.contains("did not end") && reason.contains("waits for another thread") {
            missing!(
                "{reason}\nThe receiving loop ends only once every Sender of the channel is \
                 dropped: a sender still exists. Is one kept alive (in main, or a clone)? Move \
                 the Sender into the writer thread, so that it is dropped when the thread ends."
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
    let members = group_members(running.pid());
    if members.len() != 1 {
        missing!("The program runs {} processes: threads need no fork.", members.len());
    }
    let threads =
        std::fs::read_dir(format!("/proc/{}/task", running.pid())).map_or(0, Iterator::count);
    // Two: the main thread reads, as pipe-thread.py's does. Three: the main
    // thread started a reader and a writer, and waits for them.
    if !(2..=3).contains(&threads) {
        missing!(
            "The program runs {threads} threads: expected two, the main thread reading and a \
             writer thread (or three, if the main thread starts a reader thread too)."
        );
    }
}

// ---- what went through the pipe: seen from outside (see `seen`)

/// A run of a program that ends (`--count`), looked at every millisecond
/// from its start to its end.
struct Watched {
    pid: u32,
    /// When the check started it, and when it saw it end.
    start: SystemTime,
    end: SystemTime,
    looks: Vec<seen::Look>,
    /// The whole run's counts, and the main thread's own, at its end.
    totals: (Io, Io),
    lines: Vec<Line>,
    /// Each line's length on stdout, its newline included.
    sizes: Vec<u64>,
}

/// Run `program` to its end, looking at it every millisecond; it must
/// exit with status 0 (a run that never ends is told as [`run_ok`] tells it).
fn watched_run(program: &Path, args: &[&str]) -> Watched {
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
        std::thread::sleep(Duration::from_millis(1));
    }
    let end = SystemTime::now();
    let run = running.wait_for_group();
    if !run.get_output().status.success() {
        missing!("{}", ended_badly(args, run.get_output()));
    }
    let totals = totals.unwrap_or_else(|| missing!("The program's counts in /proc were gone."));
    let lines = checked_lines(&run.get_output().stdout);
    let sizes = stdout(&run).lines().map(|line| line.len() as u64 + 1).collect();
    Watched { pid, start, end, looks, totals, lines, sizes }
}

/// Every line names the program's own process, and the time it was printed.
fn lines_honest(args: &[&str], pid: u32, lines: &[Line], times: (SystemTime, SystemTime)) {
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
fn data_in(lines: &[Line], sizes: &[u64], written: u64, bytes: fn(&str) -> u64) -> u64 {
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
fn pipe_reads(looks: &[seen::Look]) -> Vec<&seen::Task> {
    let tasks = looks.iter().flat_map(|look| &look.tasks);
    tasks.filter(|task| matches!(task.wait, Some(Wait::ReadPipe { .. }))).collect()
}

/// What the main thread of `pid` was seen waiting in, most often: for a
/// verdict on a program that never reads a pipe.
fn main_waits(looks: &[seen::Look], pid: u32) -> String {
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
fn reader_read_what_it_printed(
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
fn others_wrote(args: &[&str], watched: &Watched, who: &str, expected: u64) -> u64 {
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
/// program's process and the time it is printed.
fn through_the_pipe(args: &[&str], watched: &Watched, bytes: fn(&str) -> u64) {
    lines_honest(args, watched.pid, &watched.lines, (watched.start, watched.end));
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
fn unframed_bytes(data: &str) -> u64 {
    bare(data).len() as u64
}

/// `A Spam 000`'s share: 11, its newline included.
fn line_bytes(data: &str) -> u64 {
    data.len() as u64 + 1
}

/// No line is printed before the last message it holds could be sent: the
/// writer sleeps the schedule's ticks before each one.
fn not_before_sent(
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
fn tasks(watched: &Watched) -> impl Iterator<Item = &seen::Task> {
    watched.looks.iter().flat_map(|look| &look.tasks)
}

fn whole_through_the_pipe(p: &Programs) {
    // Not 12, as the other runs: a count the attempt cannot have guessed.
    let args = ["--count", "9", "--tick", "20ms"];
    let watched = watched_run(&p.attempt, &args);
    through_the_pipe(&args, &watched, unframed_bytes);
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

fn channel_carries(p: &Programs) {
    let args = ["--count", "12", "--tick", "20ms"];
    let watched = watched_run(&p.attempt, &args);
    lines_honest(&args, watched.pid, &watched.lines, (watched.start, watched.end));
    not_before_sent(&args, &watched.lines, watched.start, Duration::from_millis(20), 8);
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

/// One of the book's programs, as a whole-program exercise must mirror it.
#[derive(Debug)]
struct Book {
    /// `pipe1.py`
    name: &'static str,
    /// The writer is a forked child (else a thread of the one process).
    forked: bool,
    /// The reader reads lines (pipe2), else raw reads of `read_size`.
    framed: bool,
}

const PIPE1: Book = Book { name: "pipe1.py", forked: true, framed: false };
const PIPE2: Book = Book { name: "pipe2.py", forked: true, framed: true };
const PIPE_THREAD: Book = Book { name: "pipe-thread.py", forked: false, framed: false };

/// The unframed programs' read size, as the book's `os.read(pipein, 32)`.
const READ_SIZE: u64 = 32;

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
fn book_run(p: &Programs, book: &Book, count: u64) {
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
    loop {
        if let Some(line) = running.next_line_within(Duration::from_millis(1)) {
            raw.push((line, SystemTime::now()));
        }
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
    let held: Vec<(u32, Vec<crate::stuck::HeldEnd>)> = (last.tasks.iter())
        .filter(|task| task.main())
        .map(|task| (task.pid, crate::stuck::held_ends(&task.pid.to_string()).unwrap_or_default()))
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
fn data_of(line: &str) -> Option<&str> {
    let rest = line.split_once(" got [")?.1;
    Some(rest.rsplit_once("] at ")?.0)
}

/// `parse_lines` on one line; `None` if the line is not in the format.
fn parse_line_or_whole(line: &str) -> Option<Line> {
    data_of(line)?;
    let parsed = panic::catch_unwind(|| parse_lines(format!("{line}\n").as_bytes()));
    parsed.ok()?.pop()
}

/// The bytes the writer sent for a line's data: `Spam 000\n` for a line
/// of pipe2, the bytes of the read for pipe1's and pipe-thread's.
fn bytes_sent(book: &Book, data: &str) -> u64 {
    if book.framed { data.len() as u64 + 1 } else { bare(data).len() as u64 }
}

/// The lines of [`book_run`]: `raw` with the time each came; the parent
/// went on after its stop before line `resumed` (pipe2).
fn book_lines(
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
fn book_traffic(
    book: &Book,
    pid: u32,
    raw: &[(String, SystemTime)],
    looks: &[seen::Look],
    last: &seen::Look,
    held: &[(u32, Vec<crate::stuck::HeldEnd>)],
) {
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

/// What is wrong with an output line, field by field, if anything: the
/// words `Parent` and `got`, the process id, the brackets, the time (seconds
/// since 1970, two decimals), and with `bytes` the data as a byte string,
/// `b"..."`.
fn format_problem(line: &str, bytes: bool) -> Option<String> {
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
fn checked_lines(stdout: &[u8]) -> Vec<Line> {
    let text = String::from_utf8_lossy(stdout);
    for (number, line) in text.lines().enumerate() {
        if let Some(problem) = format_problem(line, false) {
            missing!("Line {}, {line:?}: {problem}", number + 1);
        }
    }
    parse_lines(stdout)
}
