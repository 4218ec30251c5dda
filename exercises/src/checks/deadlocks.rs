//! The checks of the deadlocks chapter's exercises (two processes on
//! two pipes, each waiting for the other), and the behaviours the
//! catalogue names.
//!
//! A deadlocking attempt never ends by itself: every run here is
//! watched ([`harness::stuck`]), and one whose processes have all
//! slept for two seconds is stopped, and the verdict says which process
//! waits in which call, as the watch sees it. Where there is no `/proc`,
//! a run is stopped once it is overdue, and the verdict says which pipe
//! ends each process holds.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use harness::stuck::{BUSY_AFTER, Look, OVERDUE_AFTER, STUCK_AFTER, Watch};
use harness::*;
use nix::sys::signal::Signal;

use super::shared::*;
use crate::{Behaviour, Programs};

/// The behaviours of `deadlocks_predict`, in the order a student meets them.
pub(crate) static PREDICT: &[Behaviour] = &[
    Behaviour { what: "predicts every run: it deadlocks, or it ends", check: predicted },
    Behaviour { what: "predicts which runs deadlock, each one right", check: deadlocks_predicted },
];

/// The behaviours of `deadlocks_flush`, in the order a student meets them.
pub(crate) static FLUSH: &[Behaviour] = &[
    Behaviour {
        what: "the conversation ends: each greeting gets its reply before the next is sent",
        check: flush_conversation_ends,
    },
    Behaviour {
        what: "each reply is the child's answer to its greeting, in order",
        check: flush_replies_answer,
    },
];

/// The behaviours of `deadlocks_command`, in the order a student meets them.
pub(crate) static COMMAND: &[Behaviour] = &[
    Behaviour {
        what: "1000 bytes go through cat and come back as sent",
        check: small_input_through_cat,
    },
    Behaviour {
        what: "no input: cat sees end-of-file at once, and the run ends",
        check: no_input_through_cat,
    },
    Behaviour {
        what: "1 MiB goes through cat and comes back as sent: no deadlock",
        check: large_input_through_cat,
    },
];

/// The behaviours of `deadlocks_why`, in the order a student meets them.
pub(crate) static WHY: &[Behaviour] = &[
    Behaviour { what: "answers the three questions", check: why_answered },
    Behaviour {
        what: "names the call each process waits in, and its descriptor",
        check: waiting_calls_named,
    },
    Behaviour { what: "names the change that makes it end", check: fix_named },
];

/// The behaviours of `deadlocks_scratch`, in the order a student meets them.
pub(crate) static SCRATCH: &[Behaviour] = &[
    Behaviour {
        what: "holds the conversation with a child that flushes (deadlocks_child flush)",
        check: talks_with_a_flushing_child,
    },
    Behaviour {
        what: "with deadlocks_child, whose replies stay in its buffer, it catches the \
               deadlock after DEADLOCKS_BOUND: says so, kills the child, exits with status 3",
        check: catches_the_deadlock,
    },
];

/// An argument as a verdict shows it: a path's file name only.
fn file_name(arg: &str) -> &str {
    Path::new(arg).file_name().and_then(|f| f.to_str()).unwrap_or(arg)
}

/// The command line a verdict shows: `deadlocks_child flush`, not its path.
fn shown_command(args: &[&str]) -> String {
    match args {
        [] => "no arguments".to_owned(),
        _ => format!("`{}`", args.iter().map(|arg| file_name(arg)).collect::<Vec<_>>().join(" ")),
    }
}

/// One run of `program` with `args` and the variables `env`, to its
/// end. A run that never ends is stopped once it is plainly stuck,
/// busy or overdue, and the verdict says so: what each process waits
/// for (see [`harness::stuck`]), then the `hint` for what the run said
/// on stderr before it was stopped. Gives back the run and its pid;
/// how it ended is the caller's to judge, before it asks whether a
/// process was left behind ([`nothing_left`]): a run that fails on its
/// way may leave its child, and its failure is the news.
fn finished(
    program: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    hint: impl Fn(&str) -> String,
) -> (u32, Output) {
    let setup = env.iter().map(|(key, value)| Setup::Env(key.to_string(), value.to_string()));
    let running = spawn_with(program, args, setup);
    let pid = running.pid();
    let look = Watch::new(pid).with_name(pid, "the parent").until_ended_or_stuck();
    let (words, why) = match look {
        Look::Stuck(why) => (
            format!(
                "it did not end: every process of it has slept for {} seconds, each waiting \
                 for the other: a deadlock.",
                STUCK_AFTER.as_secs()
            ),
            why,
        ),
        Look::Busy(why) => (
            format!(
                "it was still running after {} seconds of processor time, when a right run \
                 needs a few hundredths: a loop that never ends?",
                BUSY_AFTER.as_secs()
            ),
            why,
        ),
        Look::Overdue(why) => (
            format!(
                "it did not end: it was still running after {} seconds, when a right run \
                 ends within one.",
                OVERDUE_AFTER.as_secs()
            ),
            why,
        ),
        Look::Ended | Look::Running => return (pid, running.wait()),
    };
    running.signal_group(Signal::SIGKILL);
    let said = running.wait();
    let hint = hint(&String::from_utf8_lossy(&said.stderr));
    missing!("Run with {}, {words}\n{why}{hint}", shown_command(args))
}

/// No process of the run whose program was `pid` is left: the verdict
/// says so otherwise (a child still running, or never reaped).
fn nothing_left(pid: u32) {
    if !group_is_gone(pid) {
        // Said as harness says it, and put in plain words for the student.
        missing!("processes of the run are left: {:?}", proc::group_members(pid));
    }
}

/// [`finished`], and the run must have exited with status 0.
fn finished_ok(
    program: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    hint: impl Fn(&str) -> String,
) -> (u32, Output) {
    let (pid, output) = finished(program, args, env, hint);
    if !output.status.success() {
        let names: Vec<&str> = args.iter().map(|arg| file_name(arg)).collect();
        missing!("{}", ended_badly(&names, &output));
    }
    nothing_left(pid);
    (pid, output)
}

/// The output lines `Parent <pid> got [...] at <time>` among `text`
/// (a program may say more), each checked field by field, each naming
/// `pid`; there must be `count`.
fn reply_lines(text: &[u8], pid: u32, count: usize, args: &[&str], on: &str) -> Vec<Line> {
    let said: String = String::from_utf8_lossy(text)
        .lines()
        .filter(|line| line.starts_with("Parent"))
        .map(|line| format!("{line}\n"))
        .collect();
    let found = checked_lines(said.as_bytes());
    if let Some(line) = found.iter().find(|line| line.pid != pid) {
        missing!(
            "Run with {}, a line names process {}: the program's own is {pid} \
             (std::process::id()).",
            shown_command(args),
            line.pid
        );
    }
    if found.len() != count {
        missing!(
            "Run with {}, it said {} on {on} about a reply (`Parent <pid> got [...] at \
             <time>`): expected {count}. It said:\n{}",
            shown_command(args),
            lines(found.len()),
            String::from_utf8_lossy(text).trim_end()
        );
    }
    found
}

/// Each reply is `child <cpid> read [Greeting <n> from parent <pid>]`,
/// in order, all from one child that is not the parent.
fn replies_answer(args: &[&str], pid: u32, replies: &[Line]) {
    let child = replies.first().and_then(|line| {
        let rest = line.data.strip_prefix("child ")?;
        rest.split_once(' ')?.0.parse::<u32>().ok()
    });
    let Some(child) = child.filter(|&child| child != pid) else {
        missing!(
            "Run with {}, the first reply is [{}]: expected `child <its pid> read [Greeting 1 \
             from parent {pid}]`, from the child.",
            shown_command(args),
            replies.first().map(|line| line.data.as_str()).unwrap_or_default()
        );
    };
    for (n, line) in replies.iter().enumerate() {
        let expected = format!("child {child} read [Greeting {} from parent {pid}]", n + 1);
        if line.data != expected {
            missing!(
                "Run with {}, reply {} is [{}]: expected [{expected}], the child's answer \
                 to greeting {}.",
                shown_command(args),
                n + 1,
                line.data,
                n + 1
            );
        }
    }
}

// Which runs deadlock?

/// The bound the check gives each run of `deadlocks`: long enough that a
/// run that ends never meets it, on a busy machine too.
const PREDICT_BOUND: &str = "3s";

/// The runs to predict, as the exercise declares them: the strings of
/// `RUNS` in its starter (`deadlocks/starters/deadlocks_predict.rs`),
/// in order, whatever the attempt has made of its own copy.
fn runs_to_predict() -> Vec<String> {
    let exercise = crate::find("deadlocks_predict").expect("the exercise is in the catalogue");
    let path = crate::root().join(exercise.starter_file());
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let list = source.split_once("const RUNS").and_then(|(_, rest)| rest.split_once('='));
    let list = list.and_then(|(_, rest)| rest.split_once("];")).map(|(list, _)| list);
    let list = list.unwrap_or_else(|| panic!("{} declares no `const RUNS`", path.display()));
    list.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The student's answers, one a line, as the attempt prints them:
/// `(run, answer)`, the answer `deadlocks`, `ends` or `None`. The runs
/// must be the exercise's ([`runs_to_predict`]), all of them, in order.
fn predictions(p: &Programs) -> Vec<(String, String)> {
    let run = run_ok(&p.attempt, &[]);
    let pairs: Option<Vec<(String, String)>> = stdout(&run)
        .lines()
        .map(|line| line.rsplit_once(": ").map(|(run, answer)| (run.into(), answer.into())))
        .collect();
    let pairs = match pairs {
        Some(pairs) if !pairs.is_empty() => pairs,
        _ => missing!(
            "Expected one line a run, `<run>: deadlocks` or `<run>: ends`; it printed:\n{}",
            stdout(&run).trim_end()
        ),
    };
    let runs = runs_to_predict();
    if !pairs.iter().map(|(run, _)| run).eq(&runs) {
        missing!(
            "Expected a prediction for each of the exercise's runs, in order:\n  {}\nit \
             printed:\n{}\nLeave RUNS as the exercise gives it, and predict every run.",
            runs.join("\n  "),
            stdout(&run).trim_end()
        );
    }
    pairs
}

fn predicted(p: &Programs) {
    for (run, answer) in predictions(p) {
        if answer == "None" {
            missing!("No prediction yet for `deadlocks {run}`: replace its None with Some(...).");
        }
    }
}

fn deadlocks_predicted(p: &Programs) {
    let predictions = predictions(p);
    // Every run at once: those that deadlock each take the bound.
    let runs: Vec<(String, Vec<String>, Running)> = predictions
        .iter()
        .map(|(run, _)| {
            let mut args: Vec<String> = run.split_whitespace().map(str::to_owned).collect();
            args.extend(["--bound".to_owned(), PREDICT_BOUND.to_owned()]);
            let shown: Vec<&str> = args.iter().map(String::as_str).collect();
            let running = spawn(p.other("deadlocks"), &shown);
            (run.clone(), args, running)
        })
        .collect();
    let truths: Vec<(String, &str)> = runs
        .into_iter()
        .map(|(run, args, running)| {
            let output = running.wait();
            let truth = match output.status.code() {
                Some(0) => "ends",
                Some(3) => "deadlocks",
                _ => {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    missing!("`deadlocks {run}`: {}", ended_badly(&args, &output))
                }
            };
            (run, truth)
        })
        .collect();
    for ((run, answer), (_, truth)) in predictions.iter().zip(&truths) {
        if answer != truth {
            missing!(
                "`deadlocks {run}`: you predicted it {answer}, and it {truth}. Run it, and \
                 read what it says:\n  cargo run -q -p deadlocks -- {run}"
            );
        }
    }
}

// The reply that stays in a buffer

/// What a stuck run of a two-way conversation asks the student.
const FLUSH_HINT: &str = "\nWhere is the child's first reply: in the pipe, or still in its \
                          process? A BufWriter writes when it is full (8 KiB), when it is \
                          flushed, or when it is dropped.";

/// How many greetings `deadlocks_flush` sends (its `GREETINGS`).
const GREETINGS: usize = 3;

fn flush_conversation_ends(p: &Programs) {
    let (pid, output) = finished_ok(&p.attempt, &[], &[], |_| FLUSH_HINT.to_owned());
    reply_lines(&output.stdout, pid, GREETINGS, &[], "stdout");
}

fn flush_replies_answer(p: &Programs) {
    let (pid, output) = finished_ok(&p.attempt, &[], &[], |_| FLUSH_HINT.to_owned());
    let replies = reply_lines(&output.stdout, pid, GREETINGS, &[], "stdout");
    replies_answer(&[], pid, &replies);
}

// A large input through cat

/// What a stuck run through cat asks the student.
const CAT_HINT: &str = "\nstd's docs warn of it (Stdio::piped): writing more than a pipe's \
                        worth of input without reading the output at the same time may \
                        deadlock.";

/// `bytes` through cat: the run must end, and say on stdout, from its
/// own pid, that they came back as sent.
fn through_cat(p: &Programs, bytes: usize) {
    let bytes = bytes.to_string();
    let args = [bytes.as_str()];
    let (pid, output) = finished_ok(&p.attempt, &args, &[], |_| CAT_HINT.to_owned());
    let line = reply_lines(&output.stdout, pid, 1, &args, "stdout").remove(0);
    let expected = format!("{bytes} bytes back, as sent");
    if line.data != expected {
        missing!("Run with {bytes}, it said [{}]: expected [{expected}].", line.data);
    }
}

fn small_input_through_cat(p: &Programs) {
    through_cat(p, 1000);
}

fn no_input_through_cat(p: &Programs) {
    through_cat(p, 0);
}

fn large_input_through_cat(p: &Programs) {
    through_cat(p, 1 << 20);
}

// Why does it hang?

/// The student's three answers: the parent's call, the child's, the fix.
fn why_answers(p: &Programs) -> Vec<String> {
    let run = run_ok(&p.attempt, &[]);
    let answers: Vec<String> = stdout(&run).lines().map(str::to_owned).collect();
    if answers.len() != 3 {
        missing!("Expected three lines, your three answers; it printed {}.", lines(answers.len()));
    }
    answers
}

fn why_answered(p: &Programs) {
    let answers = why_answers(p);
    for (answer, name) in answers.iter().zip(["PARENT_WAITS_IN", "CHILD_WAITS_IN", "FIX"]) {
        if answer == "None" {
            missing!("No answer yet for {name}: replace None with Some(...) and your answer.");
        }
    }
}

/// What the mystery's own trace says each process waits in: a run of
/// it, stopped once it is stuck (or overdue), and the last line each
/// process traced, a call it started and never finished: `(parent's,
/// child's)`, as `write 4`.
fn mystery_waits(p: &Programs) -> (String, String) {
    let mystery = p.other("deadlocks_mystery");
    let running = spawn(mystery, &["--trace"]);
    let look = Watch::new(running.pid()).until_ended_or_stuck();
    running.signal_group(Signal::SIGKILL);
    let output = running.wait();
    if !matches!(look, Look::Stuck(_) | Look::Overdue(_)) {
        missing!("The mystery did not hang ({look:?}): it has changed; tell the book's authors.");
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = |who: &str| {
        let prefix = format!("trace: {who} ");
        let line = stderr.lines().rfind(|line| line.starts_with(&prefix));
        let call = line.and_then(|line| line.splitn(3, ": ").nth(2)).unwrap_or_default();
        let (name, rest) = call.split_once("(fd ").unwrap_or_default();
        let fd: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !call.ends_with("...") || fd.is_empty() {
            missing!(
                "The mystery's trace ends oddly for the {who}: {call:?}; tell the book's authors."
            );
        }
        format!("{name} {fd}")
    };
    (last("parent"), last("child"))
}

/// An answer as the check reads it: its words, lower case, brackets and
/// commas left out: `Write(fd 4)` is `write`, `fd`, `4`.
fn words(answer: &str) -> Vec<String> {
    let answer = answer.to_lowercase().replace(['(', ')', ','], " ");
    answer.split_whitespace().map(str::to_owned).collect()
}

/// The call an answer names, as `(call, descriptor)`: the call `read`
/// or `write`, its first word that begins so (`writes`, `reading`), and
/// the descriptor, the one number among its words; either `None` when
/// the answer has none (or, for the descriptor, more than one).
/// `Write(fd 4)`, `write to fd 4` and `writes 4` are all `write`, `4`.
fn call_named(answer: &str) -> (Option<&'static str>, Option<String>) {
    let words = words(answer);
    let call = words
        .iter()
        .find_map(|word| ["read", "write"].into_iter().find(|call| word.starts_with(&call[..4])));
    let numbers: Vec<&String> =
        words.iter().filter(|word| word.bytes().all(|b| b.is_ascii_digit())).collect();
    let fd = match numbers[..] {
        [fd] => Some(fd.clone()),
        _ => None,
    };
    (call, fd)
}

/// The command that shows the evidence, for a verdict.
const RUN_THE_MYSTERY: &str =
    "  cargo run -q -p deadlocks --bin deadlocks_mystery -- --show-fds --trace";

fn waiting_calls_named(p: &Programs) {
    let answers = why_answers(p);
    let (parent, child) = mystery_waits(p);
    for ((answer, truth), who) in answers.iter().zip([&parent, &child]).zip(["parent", "child"]) {
        let (call, fd) = call_named(answer);
        let (true_call, true_fd) = call_named(truth);
        if call.is_some() && (call, &fd) == (true_call, &true_fd) {
            continue;
        }
        if call.is_some() && call == true_call && fd.is_none() {
            missing!(
                "You say the {who} waits in `{answer}`: the call is right; on which \
                 descriptor? Give its number too, as the trace does. Run it again and \
                 read:\n{RUN_THE_MYSTERY}"
            );
        }
        if call.is_some() && call == true_call {
            missing!(
                "You say the {who} waits in `{answer}`: the call is right, the descriptor is \
                 not. Which descriptor does the {who}'s last traced call name? Run it again \
                 and read:\n{RUN_THE_MYSTERY}"
            );
        }
        missing!(
            "You say the {who} waits in `{answer}`: it does not. The last line the {who} \
             traces is a call it started and never finished; which descriptor is it, \
             and which pipe is that (--show-fds)? Run it again and read:\n\
             {RUN_THE_MYSTERY}"
        );
    }
}

/// The fixes an answer may name, each as the word it begins.
const FIXES: [&str; 3] = ["flush", "close", "thread"];

/// The fix an answer names: the one of [`FIXES`] that begins some of its
/// words (`a thread`, `Flushes`, `closing`); `None` when it names none,
/// or more than one.
fn fix_in(answer: &str) -> Option<&'static str> {
    let words = words(answer);
    let named: Vec<&str> =
        FIXES.into_iter().filter(|fix| words.iter().any(|word| word.starts_with(fix))).collect();
    match named[..] {
        [fix] => Some(fix),
        _ => None,
    }
}

fn fix_named(p: &Programs) {
    let answers = why_answers(p);
    let (parent, child) = mystery_waits(p);
    // Both in a write: each waits for the other to read. Both in a
    // read: what one waits for sits in the other's buffer. One reads,
    // and nobody writes: a write end left open.
    let writes = |call: &String| call.starts_with("write");
    let truth = match (writes(&parent), writes(&child)) {
        (true, true) => "thread",
        (false, false) => "flush",
        _ => "close",
    };
    let answer = &answers[2];
    let Some(fix) = fix_in(answer) else {
        missing!(
            "FIX: you say {answer:?}: which one change is it? Answer with one of {}.",
            FIXES.map(|fix| format!("{fix:?}")).join(", ")
        );
    };
    if fix != truth {
        let why = match truth {
            "thread" => {
                "Each waits in a write to a full pipe that only the other reads: a flush \
                 adds nothing (there is no buffer), and no end is left open."
            }
            _ => "Read the trace again: which call does each wait in?",
        };
        missing!("FIX: you say {answer:?}, and that would not make it end. {why}");
    }
}

// deadlocks.py from scratch

/// The bound a right attempt gets, in seconds (`DEADLOCKS_BOUND`): one,
/// so that it ends before the watch calls it stuck (two seconds asleep).
const SHORT_BOUND: &str = "1";

/// What a run says on stderr when it has caught the deadlock, after
/// [`SHORT_BOUND`].
const CAUGHT: &str = "deadlocks: no reply within 1 s";

fn talks_with_a_flushing_child(p: &Programs) {
    let child = p.other("deadlocks_child").to_str().expect("a path in UTF-8");
    let args = [child, "flush"];
    let env = [("DEADLOCKS_BOUND", "10")];
    let (pid, output) = finished_ok(&p.attempt, &args, &env, |_| String::new());
    let replies = reply_lines(&output.stderr, pid, 2, &args, "stderr");
    replies_answer(&args, pid, &replies);
}

fn catches_the_deadlock(p: &Programs) {
    let child = p.other("deadlocks_child").to_str().expect("a path in UTF-8");
    let args = [child];
    let env = [("DEADLOCKS_BOUND", SHORT_BOUND)];
    let hint = |said: &str| match said.contains(CAUGHT) {
        true => format!(
            "\nIt said it caught the deadlock:\n{}\nand did not end: the parent still waits. \
             Is the child killed, so that the parent's read sees end-of-file, and reaped?",
            said.trim_end()
        ),
        false => "\nThat is the deadlock: DEADLOCKS_BOUND=1 should have caught it after a \
                  second."
            .to_owned(),
    };
    let started = Instant::now();
    let (pid, output) = finished(&p.attempt, &args, &env, hint);
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() != Some(3) {
        missing!(
            "Run with {} (DEADLOCKS_BOUND=1), it ended with {} instead of status 3, a deadlock \
             caught. It said:\n{}",
            shown_command(&args),
            output.status,
            stderr.trim_end()
        );
    }
    if !stderr.contains(CAUGHT) {
        missing!(
            "Run with {} (DEADLOCKS_BOUND=1), it exited with status 3 without saying \
             `deadlocks: no reply within 1 s: ...` on stderr. It said:\n{}",
            shown_command(&args),
            stderr.trim_end()
        );
    }
    let bound = Duration::from_secs(SHORT_BOUND.parse().expect("a number of seconds"));
    if took < bound {
        missing!(
            "Run with {} (DEADLOCKS_BOUND=1), it said it caught a deadlock after {:.2} s, \
             before the bound: DEADLOCKS_BOUND is in seconds; the parent waits that long for \
             a reply.",
            shown_command(&args),
            took.as_secs_f64()
        );
    }
    nothing_left(pid);
}
