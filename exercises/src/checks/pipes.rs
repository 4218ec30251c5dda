//! The checks of the pipes chapter's exercises (a parent and the program
//! it starts, talking both ways through two pipes), and the behaviours the
//! catalogue names.
//!
//! Every run is of a program shaped as `pipes_plain`: its command line
//! names the child (`pipes_child spam`, or `cat`), it talks on its stdin
//! and stdout, which are the pipes, and says each reply on stderr,
//! `Parent <pid> got [<reply>] at <time>`. `PIPES_SLEEP` sets the child's
//! naps (`pipes_child` only): 0 makes a run quick.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use harness::*;
use nix::sys::signal::Signal;

use super::shared::*;
use crate::{Behaviour, Programs};
use harness::stuck::{BUSY_AFTER, Look, OVERDUE_AFTER, STUCK_AFTER, Watch};

/// The behaviours of `pipes_predict`, in the order a student meets them.
pub(crate) static PREDICT: &[Behaviour] = &[
    Behaviour {
        what: "prints a prediction for the first reply and for the times",
        check: predicted,
    },
    Behaviour {
        what: "predicts the parent's first line about a reply, word for word",
        check: first_reply_predicted,
    },
    Behaviour {
        what: "predicts when each reply comes, in seconds after the start",
        check: times_predicted,
    },
];

/// The behaviours of `pipes_close`, in the order a student meets them.
pub(crate) static CLOSE: &[Behaviour] = &[
    Behaviour {
        what: "with `cat` as the child, the run ends by itself: cat sees end-of-file",
        check: talks_with_cat,
    },
    Behaviour {
        what: "holds the conversation with pipes_child (PIPES_SLEEP=0)",
        check: talks_with_pipes_child,
    },
    Behaviour {
        what: "the parent and the child each hold two pipe ends, their stdin and stdout",
        check: two_ends_each,
    },
];

/// The behaviours of `pipes_std_command`, in the order a student meets them.
pub(crate) static STD_COMMAND: &[Behaviour] = &[
    Behaviour {
        what: "holds the conversation with pipes_child (PIPES_SLEEP=0)",
        check: talks_with_pipes_child,
    },
    Behaviour {
        what: "with `cat` as the child, the run ends by itself: cat sees end-of-file",
        check: talks_with_cat,
    },
    Behaviour {
        what: "the parent and the child each hold two pipe ends, their stdin and stdout",
        check: two_ends_each,
    },
    Behaviour {
        what: "a program that cannot start is an error of spawn itself: no fork by hand",
        check: cannot_start_said_by_spawn,
    },
];

/// The behaviours of `pipes_scratch`, in the order a student meets them.
pub(crate) static SCRATCH: &[Behaviour] = &[
    Behaviour {
        what: "holds the conversation with pipes_child (PIPES_SLEEP=0)",
        check: talks_with_pipes_child,
    },
    Behaviour {
        what: "with `cat` as the child, the run ends by itself: cat sees end-of-file",
        check: talks_with_cat,
    },
    Behaviour {
        what: "the parent and the child each hold two pipe ends, their stdin and stdout",
        check: two_ends_each,
    },
];

/// The child's naps in seconds (`PIPES_SLEEP`) when it is not set: what
/// the prediction is about.
const NAP: f64 = 2.0;

/// The naps of the run the prediction is compared with: 4 times shorter
/// than [`NAP`], so that the check takes two seconds, not eight.
const SHORT_NAP: &str = "0.5";

/// How many replies a run gets: `PIPES_COUNT` is left unset, so 2.
const REPLIES: usize = 2;

/// The command line a verdict shows: `pipes_child spam`, not its path.
fn shown_command<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let name = |arg: &'a str| Path::new(arg).file_name().and_then(|f| f.to_str()).unwrap_or(arg);
    args.iter().map(|arg| name(arg)).collect()
}

/// One run of `program` with `args` (the child's command line) and the
/// child's naps `nap`, to its end, with the time it started: it must end
/// by itself and exit with status 0. A run that never ends is stopped
/// once it is plainly stuck or busy, and the verdict says which process
/// waits for what (see [`harness::stuck`]).
fn conversation(program: &Path, args: &[&str], nap: &str) -> (u32, Output, SystemTime) {
    let shown = shown_command(args);
    let start = SystemTime::now();
    let running = spawn_with(program, args, [Setup::Env("PIPES_SLEEP".into(), nap.into())]);
    let pid = running.pid();
    let look = Watch::new(pid).until_ended_or_stuck();
    let stopped = |words: String, why: String| {
        running.signal_group(Signal::SIGKILL);
        missing!("Run as `{}`, {words}\n{why}", shown.join(" "))
    };
    match look {
        Look::Stuck(why) => stopped(
            format!(
                "it did not end: every process of it has slept for {} seconds, when a right \
                 run ends at once.",
                STUCK_AFTER.as_secs()
            ),
            why,
        ),
        Look::Busy(why) => stopped(
            format!(
                "it was still running after {} seconds of processor time, when a right run \
                 needs a few hundredths: a loop that never ends?",
                BUSY_AFTER.as_secs()
            ),
            why,
        ),
        Look::Overdue(why) => stopped(
            format!(
                "it did not end: it was still running after {} seconds, when a right run \
                 ends at once.",
                OVERDUE_AFTER.as_secs()
            ),
            why,
        ),
        Look::Ended | Look::Running => {}
    }
    let run = running.wait_for_group();
    if !run.get_output().status.success() {
        missing!("{}", ended_badly(&shown, run.get_output()));
    }
    (pid, run.get_output().clone(), start)
}

/// The lines of stderr about a reply, `Parent <pid> got [<reply>] at
/// <time>`, each checked field by field, and every one naming `pid`, the
/// program's own process.
fn replies(args: &[&str], pid: u32, output: &Output) -> Vec<Line> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said: String = stderr
        .lines()
        .filter(|line| line.starts_with("Parent"))
        .map(|l| format!("{l}\n"))
        .collect();
    let found = checked_lines(said.as_bytes());
    for line in &found {
        if line.pid != pid {
            missing!(
                "Run as `{}`, a line names process {}: the program's own is {pid} \
                 (std::process::id()).",
                shown_command(args).join(" "),
                line.pid
            );
        }
    }
    if found.len() != REPLIES {
        missing!(
            "Run as `{}`, it said {} on stderr about a reply (`Parent <pid> got [...] at \
             <time>`): expected {REPLIES}, one a greeting. It said:\n{}",
            shown_command(args).join(" "),
            lines(found.len()),
            stderr.trim_end()
        );
    }
    found
}

/// The child's pid, as pipes_child says it on stderr when it starts:
/// `child <pid> of parent <parent> started with [spam]`, the parent being
/// the program itself.
fn pipes_child_pid(args: &[&str], pid: u32, output: &Output) -> u32 {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let started = stderr.lines().find_map(|line| {
        let rest = line.strip_prefix("child ")?;
        let (child, rest) = rest.split_once(" of parent ")?;
        let (parent, _) = rest.split_once(" started with ")?;
        Some((child.parse::<u32>().ok()?, parent.parse::<u32>().ok()?))
    });
    let Some((child, parent)) = started else {
        missing!(
            "Run as `{}`, pipes_child never said on stderr that it started (`child <pid> of \
             parent <pid> started with [spam]`): does the child become the program its command \
             line names (execvp)? It said:\n{}",
            shown_command(args).join(" "),
            stderr.trim_end()
        );
    };
    if parent != pid {
        missing!(
            "Run as `{}`, pipes_child says its parent is process {parent}: the program's own is \
             {pid}. The child must be the program's own child.",
            shown_command(args).join(" ")
        );
    }
    child
}

fn talks_with_pipes_child(p: &Programs) {
    let child = p.other("pipes_child").to_str().expect("a path in UTF-8");
    let args = [child, "spam"];
    let (pid, output, _) = conversation(&p.attempt, &args, "0");
    let child = pipes_child_pid(&args, pid, &output);
    for (n, line) in replies(&args, pid, &output).iter().enumerate() {
        let expected = format!("child {child} read [Greeting {} from parent {pid}]", n + 1);
        if line.data != expected {
            missing!(
                "Run as `pipes_child spam`, reply {} is [{}]: expected [{expected}], the \
                 child's answer to the greeting the parent printed on its stdout.",
                n + 1,
                line.data
            );
        }
    }
}

fn talks_with_cat(p: &Programs) {
    let args = ["cat"];
    let (pid, output, _) = conversation(&p.attempt, &args, "0");
    for (n, line) in replies(&args, pid, &output).iter().enumerate() {
        let expected = format!("Greeting {} from parent {pid}", n + 1);
        if line.data != expected {
            missing!(
                "Run as `cat`, reply {} is [{}]: expected [{expected}], the greeting itself, \
                 which cat sends back.",
                n + 1,
                line.data
            );
        }
    }
}

/// While pipes_child naps (one second, before its first read), the
/// parent's and the child's pipe ends: each holds two, on fds 0 and 1.
/// (That they cross, the parent's stdin the child's stdout, the runs of
/// the conversation have shown.)
fn two_ends_each(p: &Programs) {
    let pipes_child = p.other("pipes_child");
    let args = [pipes_child.to_str().expect("a path in UTF-8"), "spam"];
    let running = spawn_with(&p.attempt, &args, [Setup::Env("PIPES_SLEEP".into(), "1".into())]);
    let pid = running.pid();
    let child = execed_child(pid, pipes_child);
    let ends = [("parent", own_pipes(pid)), ("child", child.map(own_pipes).unwrap_or_default())];
    running.signal_group(Signal::SIGKILL);
    running.wait();
    let Some(child) = child else {
        missing!(
            "Run as `pipes_child spam` (PIPES_SLEEP=1), no child of the program became \
             pipes_child within a second."
        );
    };
    for (who, pipes) in &ends {
        let fds: Vec<u32> = pipes.iter().map(|(fd, _)| *fd).collect();
        if fds != [0, 1] {
            let process = if *who == "parent" { pid } else { child };
            missing!(
                "The {who} (process {process}) holds pipe ends on fds {fds:?}: expected its \
                 stdin and stdout only, [0, 1]. Once dup2 has put an end on 0 or 1, close the \
                 descriptor it came from; and close the ends that are the other process's."
            );
        }
    }
}

/// The child of `pid` once it runs `program` (its `/proc/<pid>/exe`), and
/// the parent waits in a call: `None` if that does not come within a
/// second.
fn execed_child(pid: u32, program: &Path) -> Option<u32> {
    let program = program.canonicalize().ok()?;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        let members = harness::proc::group_members(pid);
        let runs = |child: u32| std::fs::read_link(format!("/proc/{child}/exe")).ok();
        let child = members.iter().find(|c| c.ppid == pid && runs(c.pid) == Some(program.clone()));
        let parent_waits = members.iter().any(|c| c.pid == pid && c.state == 'S');
        if let Some(child) = child
            && parent_waits
        {
            return Some(child.pid);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    None
}

/// A program that does not exist, for the child's command line.
const NO_SUCH_PROGRAM: &str = "pipes-no-such-program";

fn cannot_start_said_by_spawn(p: &Programs) {
    let running = spawn(&p.attempt, &[NO_SUCH_PROGRAM]);
    let look = Watch::new(running.pid()).until_ended_or_stuck();
    if let Look::Stuck(why) | Look::Busy(why) = look {
        running.signal_group(Signal::SIGKILL);
        running.wait();
        missing!("Run as `{NO_SUCH_PROGRAM}`, it did not end.\n{why}");
    }
    let run = running.wait_for_group();
    let output = run.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said = stderr.trim_end();
    if stderr.contains("exited with status 127") {
        missing!(
            "Run as `{NO_SUCH_PROGRAM}`, a child was forked, could not become the program, \
             said so and exited with status 127, after spawn had returned and the parent had \
             started talking:\n{said}\nspawn still forks by hand. std's Command finds out in \
             spawn() itself, before it returns, and returns the error."
        );
    }
    let first = stderr.lines().next().unwrap_or_default();
    if output.status.code() != Some(1) || !first.starts_with("error: ") {
        missing!(
            "Run as `{NO_SUCH_PROGRAM}`, it should say what failed on its first line of stderr \
             (`error: ...`) and exit with status 1, as pipes_plain does when a call fails; it \
             ended with {} and said:\n{said}",
            output.status
        );
    }
    if !first.contains(NO_SUCH_PROGRAM) {
        missing!(
            "Run as `{NO_SUCH_PROGRAM}`, its error does not name the program that cannot start: \
             {first}"
        );
    }
}

/// The student's answers, one a line: the first reply's line, and the two
/// times, `4 8`; `None` for a prediction not made yet.
fn answers(p: &Programs) -> Vec<String> {
    let run = run_ok(&p.attempt, &[]);
    stdout(&run).lines().map(str::to_owned).collect()
}

fn predicted(p: &Programs) {
    let answers = answers(p);
    for (answer, name) in answers.iter().zip(["FIRST_REPLY", "REPLIES_AT"]) {
        if answer == "None" {
            missing!("No prediction yet for {name}: replace None with Some(...) and your answer.");
        }
    }
    if answers.len() != 2 {
        missing!(
            "Expected two lines, FIRST_REPLY and REPLIES_AT; the program printed {}.",
            answers.len()
        );
    }
}

/// What pipes_plain really does, run with the child's naps shorter
/// ([`SHORT_NAP`]): its first line about a reply, the pids shown as
/// `<parent>` and `<child>` and the time left out, and when each reply
/// came, in seconds after the start with naps of [`NAP`] seconds: how
/// many short naps it came after (the nearest whole number: a busy
/// machine starts the programs late by a few hundredths), times [`NAP`].
fn observed(p: &Programs) -> (String, Vec<u64>) {
    let child = p.other("pipes_child").to_str().expect("a path in UTF-8");
    let args = [child, "spam"];
    let (pid, output, start) = conversation(p.other("pipes_plain"), &args, SHORT_NAP);
    let child = pipes_child_pid(&args, pid, &output);
    let lines = replies(&args, pid, &output);
    let first = format!("Parent {pid} got [{}]", lines[0].data)
        .replace(&format!("parent {pid}"), "parent <parent>")
        .replace(&format!("Parent {pid}"), "Parent <parent>")
        .replace(&format!("child {child}"), "child <child>");
    let start = start.duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let nap: f64 = SHORT_NAP.parse().unwrap();
    let naps = |line: &Line| ((line.time - start) / nap).round();
    let times = lines.iter().map(|line| (naps(line) * NAP) as u64).collect();
    (first, times)
}

/// The command that shows the conversation, for a verdict.
const RUN_IT: &str = "Run it and look:\n  cargo run -q -p pipes --bin pipes_plain";

fn first_reply_predicted(p: &Programs) {
    let answer = answers(p).swap_remove(0);
    let (truth, _) = observed(p);
    if answer != truth {
        missing!(
            "FIRST_REPLY: you predicted\n  {answer}\nand that is not what the parent prints \
             (without its ` at <time>`, the pids as <parent> and <child>). {RUN_IT}"
        );
    }
}

fn times_predicted(p: &Programs) {
    let answer = answers(p).swap_remove(1);
    let (_, truth) = observed(p);
    let truth = truth.iter().map(u64::to_string).collect::<Vec<_>>().join(" ");
    if answer != truth {
        missing!(
            "REPLIES_AT: you predicted the replies at {answer} seconds after the start, and \
             that is not when they come. {RUN_IT}\nWho sleeps, and when? Read \
             pipes/src/bin/pipes_child.rs too."
        );
    }
}
