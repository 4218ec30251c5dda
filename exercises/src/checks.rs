//! Every exercise, and the behaviours its checks look for.
//!
//! A check runs programs as subprocesses (never a fork in this process) with
//! the helpers of `common::testing`, and says what is missing with
//! `missing!`, in words a student understands: what was run, what came
//! out, what was expected.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::testing::*;
use nix::sys::signal::Signal;

use crate::stuck::{BUSY_AFTER, Look, STUCK_AFTER, Watch};
use crate::{Behaviour, Exercise, Kind, Level, Programs};

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
                what: "prints `b\"Spam 001\"` one second later, and Ctrl-C stops it all",
                check: |p| assert_plain_program(&p.attempt, r#"b"Spam 000""#, r#"b"Spam 001""#),
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
                what: "prints `Spam 001` one second later, and Ctrl-C stops it all",
                check: |p| assert_plain_program(&p.attempt, "Spam 000", "Spam 001"),
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
        behaviours: &[Behaviour {
            what: "prints every line of both writers whole, each writer's in its order \
                   (--count 3000 --tick 0)",
            check: two_writers_whole,
        }],
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
                what: "with 5 messages, reads 32 bytes then 8, and ends (--count 5 --tick 0)",
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
            Behaviour { what: "one process, two threads: no fork", check: one_process_two_threads },
            Behaviour {
                what: "prints `b\"Spam 001\"` one second later, and Ctrl-C stops it",
                check: |p| assert_plain_program(&p.attempt, r#"b"Spam 000""#, r#"b"Spam 001""#),
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
    parse_lines(&run.get_output().stdout).into_iter().map(|line| line.data).collect()
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

/// The pipes a process holds besides stdin, stdout and stderr: `(fd, pipe)`,
/// from `/proc/<pid>/fd`, where each is a link named `pipe:[<inode>]`. A
/// pipe this process holds too (cargo's jobserver, say) was inherited, not
/// made by the program: it is left out.
fn own_pipes(pid: u32) -> Vec<(u32, String)> {
    let inherited: Vec<String> = pipes_of("self").into_iter().map(|(_, pipe)| pipe).collect();
    let mine = pipes_of(&pid.to_string());
    mine.into_iter().filter(|(fd, pipe)| *fd > 2 && !inherited.contains(pipe)).collect()
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
    let lines = panic::catch_unwind(|| parse_lines(format!("{line}\n").as_bytes()));
    let Ok(lines) = lines else {
        missing!("The first line is not `Parent <pid> got [<data>] at <time>`: {line}");
    };
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
    let lines = parse_lines(&run.get_output().stdout);
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
    one_message_a_line(p, &["--count", "12", "--tick", "0"], 12);
}

fn no_pipe(p: &Programs) {
    let (running, _) = started(&p.attempt, &["--count", "12", "--tick", "10ms"]);
    let pipes = own_pipes(running.pid());
    if !pipes.is_empty() {
        missing!("The program holds pipe ends {pipes:?}: a channel needs no pipe.");
    }
}

fn join_first_small(p: &Programs) {
    let args = ["--count", "5", "--tick", "0"];
    let run = run_ok(&p.attempt, &args);
    let reads: Vec<String> = data(&run).iter().map(|read| bare(read).to_owned()).collect();
    let expected = [stream(4), stream(5)[32..].to_owned()];
    if reads != expected {
        missing!(
            "Run with {}, the reads were {reads:?}: expected 32 bytes, then 8, {expected:?}.",
            shown(&args)
        );
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
    if threads != 2 {
        missing!("The program runs {threads} threads: expected two, the reader and the writer.");
    }
}
