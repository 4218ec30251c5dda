//! The stand-alone programs of the chapter: `pipes_plain` beside the book's
//! Python (`python/pipes.py`), each with either child (`pipes_child`, or
//! `python/pipes_child.py`), and what happens when a child stops early,
//! cannot start, never flushes, or inherits a pipe end it should not hold.
//!
//! Every run is a subprocess in a process group of its own, with a
//! deadline: a run that hangs is killed and fails its test. The Python runs
//! need `python3`.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use std::time::{SystemTime, UNIX_EPOCH};

use harness::assert::*;
use harness::*;

const PLAIN: &str = env!("CARGO_BIN_EXE_pipes_plain");
const CHILD: &str = env!("CARGO_BIN_EXE_pipes_child");
const PIPES_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/pipes.py");
const CHILD_PY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../python/pipes_child.py");

/// The Python interpreter itself, `sys.executable` of `python3`: a
/// `python3` on the path may be a script that starts the interpreter as a
/// child (pyenv's is), and the tests check who is whose parent.
fn python3() -> String {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let found = std::process::Command::new("python3")
            .args(["-E", "-c", "import sys; print(sys.executable)"])
            .output();
        let found = found.expect("these tests run the book's Python: install python3");
        String::from_utf8(found.stdout).unwrap().trim().to_owned()
    })
    .clone()
}

/// Python as a reader runs it: `PYTHONUNBUFFERED` empty (Python then takes
/// it as unset), so that a Python on a pipe buffers its output, whatever
/// the test's own environment says. (The Python parent also runs with
/// `-E`, but its child inherits the environment.)
fn buffered() -> Setup {
    Setup::Env("PYTHONUNBUFFERED".into(), String::new())
}

/// The environment of a fast run: the children do not sleep; Python
/// buffers as it does for a reader ([`buffered`]).
fn fast() -> [Setup; 2] {
    [Setup::Env("PIPES_SLEEP".into(), "0".into()), buffered()]
}

/// `text` with the pids after `Parent `, `parent ` and `child ` shown as
/// `[PID]` and the time at the end of a line as `[TIME]`, after checking
/// them: every parent is `parent` (the run's own pid), every child one
/// other process, and every time has two decimals.
fn redact(text: &str, parent: u32) -> String {
    let mut child = None;
    let mut lines = Vec::new();
    for line in text.lines() {
        let mut line = line.to_owned();
        if let Some((before, time)) = line.rsplit_once(" at ") {
            let (whole, decimals) = time.split_once('.').unwrap_or_default();
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if digits(whole) && decimals.len() == 2 && digits(decimals) {
                line = format!("{before} at [TIME]");
            }
        }
        for word in ["Parent ", "parent ", "child "] {
            let mut redacted = String::new();
            let mut rest = line.as_str();
            while let Some(at) = rest.find(word) {
                let after = &rest[at + word.len()..];
                let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                redacted.push_str(&rest[..at + word.len()]);
                if digits > 0 {
                    let pid: u32 = after[..digits].parse().unwrap();
                    if word == "child " {
                        assert_ne!(pid, parent, "the child has a pid of its own: {text}");
                        assert_eq!(*child.get_or_insert(pid), pid, "one child: {text}");
                    } else {
                        assert_eq!(pid, parent, "every parent is the run's own process: {text}");
                    }
                    redacted.push_str("[PID]");
                }
                rest = &after[digits..];
            }
            redacted.push_str(rest);
            line = redacted;
        }
        lines.push(line);
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Run `program args` to its end with `setup`, and return its stderr,
/// redacted (see [`redact`]), after checking that it exited with `code`,
/// printed nothing on stdout (its stdout is the pipe to its child), did
/// not panic, and left no process behind.
fn stderr_of(
    program: &str,
    args: &[&str],
    setup: impl IntoIterator<Item = Setup>,
    code: i32,
) -> String {
    let running = spawn_with(program, args, setup);
    let pid = running.pid();
    let run = running.wait_for_group().assert();
    let text = stderr(&run);
    let run = run.code(code).stdout("");
    assert!(!text.contains("panicked"), "{text}");
    drop(run);
    redact(&text, pid)
}

/// The book's conversation: each way of running it (our plain program or
/// the book's Python as the parent, our child or the Python one) gives the
/// same stderr, once pids and times are redacted.
#[test]
fn the_plain_program_and_the_python_hold_the_same_conversation() {
    let py = python3();
    let plain = stderr_of(PLAIN, &[], fast(), 0);
    snapshot_settings().bind(|| insta::assert_snapshot!("conversation", plain));
    let others = [
        (
            "pipes_plain with the Python child",
            stderr_of(PLAIN, &[&py, CHILD_PY, "spam"], fast(), 0),
        ),
        ("pipes.py", stderr_of(&py, &["-E", PIPES_PY], fast(), 0)),
        (
            "pipes.py with the Rust child",
            stderr_of(&py, &["-E", PIPES_PY, CHILD, "spam"], fast(), 0),
        ),
    ];
    for (what, text) in others {
        assert_eq!(text, plain, "{what} and pipes_plain differ");
    }
}

/// At the book's pace, with no setting from the environment: the child
/// sleeps two seconds before it reads a greeting and two more before it
/// replies, so reply 1 cannot come before 4 s and reply 2 before 8 s; both
/// programs (and both of their defaults: two greetings, two-second sleeps)
/// say the same as in the fast run.
#[test]
fn at_the_books_pace_each_reply_comes_four_seconds_after_the_last() {
    let py = python3();
    let start = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    let runs = [(PLAIN, vec![]), (py.as_str(), vec!["-E", PIPES_PY])].map(|(program, args)| {
        let running = spawn_with(program, &args, [buffered()]);
        (running.pid(), running)
    });
    for (pid, running) in runs {
        let run = running.wait_for_group().assert().success().stdout("");
        let text = stderr(&run);
        let times: Vec<f64> = (text.lines())
            .filter_map(|line| line.strip_prefix("Parent ")?.rsplit_once(" at ")?.1.parse().ok())
            .collect();
        assert_eq!(times.len(), 2, "{text}");
        for (k, time) in times.iter().enumerate() {
            // 10 ms of slack for the two decimals printed.
            let earliest = start + 4.0 * (k + 1) as f64 - 0.010;
            assert!(
                *time >= earliest,
                "reply {} came {:.2} s early: {text}",
                k + 1,
                earliest - time
            );
        }
        snapshot_settings().bind(|| insta::assert_snapshot!("conversation", redact(&text, pid)));
    }
}

/// Lesson: an `execvp` that fails returns, in the child, which is a copy of
/// the parent. The child says why and exits with status 127 (as a shell
/// does); it never goes on to run the parent's conversation. The parent's
/// greeting finds no one: its write fails (EPIPE) or its read sees
/// end-of-file, whichever comes first, and it says so and reaps the child.
#[test]
fn a_program_that_cannot_start_is_told_and_the_child_exits_127() {
    let text = stderr_of(PLAIN, &["no-such-program-for-pipes"], fast(), 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let cannot = "error: cannot run no-such-program-for-pipes: ENOENT: No such file or directory";
    assert_eq!(lines[0], cannot, "the child says why, first");
    let no_reply = [
        "error: no reply to greeting 1: end-of-file",
        "error: no reply to greeting 1: send: Broken pipe (os error 32)",
    ];
    assert!(no_reply.contains(&lines[1]), "{text}");
    assert_eq!(lines[2], "child [PID] exited with status 127");
    assert!(!text.contains("Greeting"), "the child ran the parent's code: {text}");
}

/// Lesson: a child that ends after reading the first greeting, with no
/// reply. The parent's read sees end-of-file (it closed its copy of the
/// child's write end, so the child's exit closes the last one): it says so,
/// reaps the child and fails, with no panic.
#[test]
fn a_child_that_ends_without_a_reply_gives_end_of_file() {
    let text = stderr_of(PLAIN, &["sh", "-c", "read line"], fast(), 1);
    let expected = "error: no reply to greeting 1: end-of-file\n\
                    child [PID] exited with status 0\n";
    assert_eq!(text, expected);
}

/// Lesson: a child that closes its stdin and then replies. The parent
/// writes its second greeting into a pipe nobody can read any more (it
/// closed its own copy of the child's read end): the write fails with
/// EPIPE, and the parent says so instead of dying of SIGPIPE or panicking.
#[test]
fn a_child_that_closes_its_stdin_makes_the_next_greeting_fail_with_epipe() {
    let script = r#"read line; exec <&-; echo "$line""#;
    let text = stderr_of(PLAIN, &["sh", "-c", script], fast(), 1);
    let expected = "Parent [PID] got [Greeting 1 from parent [PID]] at [TIME]\n\
                    error: no reply to greeting 2: send: Broken pipe (os error 32)\n\
                    child [PID] exited with status 0\n";
    assert_eq!(text, expected);
}

/// Lesson: a program that reads its stdin to the end, as `cat` does, ends
/// only when the last write end of that pipe closes. pipes_plain closes the
/// parent's ends in the child before `execvp` (nix's pipes stay open
/// across exec), and its own when the conversation is over: cat ends, and
/// the parent reaps it.
#[test]
fn cat_as_the_child_echoes_each_greeting_and_ends() {
    let text = stderr_of(PLAIN, &["cat"], fast(), 0);
    let expected = "Parent [PID] got [Greeting 1 from parent [PID]] at [TIME]\n\
                    Parent [PID] got [Greeting 2 from parent [PID]] at [TIME]\n";
    assert_eq!(text, expected);
}

/// Bad settings: exit status 2 and a first line that names the setting.
#[test]
fn a_bad_setting_is_told_with_status_2() {
    for (program, name, value) in
        [(PLAIN, "PIPES_COUNT", "two"), (CHILD, "PIPES_COUNT", "-1"), (CHILD, "PIPES_SLEEP", "-1")]
    {
        let setup = [Setup::Env(name.into(), value.into())];
        let text = stderr_of(program, &[], setup, 2);
        let first = text.lines().next().unwrap_or_default();
        assert!(first.starts_with(&format!("error: {name}=")), "{first}");
        assert!(first.contains(value), "{first}");
    }
}

/// Is `line` one of the book's anchor markers (mdBook's `ANCHOR` comments)?
fn is_anchor(line: &str) -> bool {
    line.strip_prefix("//").is_some_and(|rest| rest.trim_start().starts_with("ANCHOR"))
}

/// pipes_forgets_close is pipes_plain with the child's two closes left out,
/// and nothing else changed (but for its `//!` doc and the book's anchors).
#[test]
fn pipes_forgets_close_is_pipes_plain_without_the_childs_closes() {
    let read = |name: &str| {
        let path = format!("{}/src/bin/{name}.rs", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    };
    let code = |text: &str| -> String {
        text.lines()
            .filter(|line| !line.starts_with("//!") && !is_anchor(line))
            .map(|line| format!("{line}\n"))
            .collect()
    };
    let (plain, forgets) = (code(&read("pipes_plain")), code(&read("pipes_forgets_close")));
    let closes = "            drop(from_child); // close the parent's ends\n\
                  \x20           drop(to_child);\n";
    let left_out = "            // drop(from_child);  <- left out: the program inherits\n\
                    \x20           // drop(to_child);    <- the parent's ends across exec\n";
    assert_eq!(plain.matches(closes).count(), 1, "the child's closes, in pipes_plain");
    assert_eq!(forgets, plain.replace(closes, left_out));
}

/// Is process `pid` asleep in a read of a pipe: its main thread asleep
/// (`S`) in `read` of a descriptor that is a pipe? (procview, the one
/// reader of `/proc`, through harness.)
#[cfg(target_os = "linux")]
fn asleep_reading_a_pipe(pid: u32) -> bool {
    use harness::proc::{Call, Holder, pipe_of, threads};
    threads(pid).iter().any(|t| match t.call {
        Some(Call::Read { fd, .. }) if t.main() && t.state == 'S' => {
            pipe_of(Holder::Pid(pid), fd).is_some()
        }
        _ => false,
    })
}

/// Lesson, the hang caught: pipes_forgets_close leaves the parent's ends
/// open in the child, and `execvp` keeps them (nix's pipes have no
/// `O_CLOEXEC`). Once the parent has closed its stdout and waits, cat
/// still holds a write end of its own stdin: it sleeps in a read that can
/// never see end-of-file, and the parent sleeps in `waitpid`. The test
/// sees that state, then kills the run.
#[cfg(target_os = "linux")]
#[test]
fn a_pipe_end_left_open_across_exec_keeps_cat_waiting_for_ever() {
    const FORGETS_CLOSE: &str = env!("CARGO_BIN_EXE_pipes_forgets_close");
    let running = spawn_with(FORGETS_CLOSE, &["cat"], fast());
    let (parent, cat) = (running.pid(), running.child_pid());
    // The conversation is over once the parent's fd 1 is /dev/null.
    let start = std::time::Instant::now();
    use harness::proc::{Holder, pipe_ends, pipe_of};
    // (/dev/null, which is no pipe)
    while pipe_of(Holder::Pid(parent), 1).is_some() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the parent never closed its stdout"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let fds = pipe_ends(Holder::Pid(cat));
    let stdin = pipe_of(Holder::Pid(cat), 0).expect("cat's stdin, a pipe");
    let writers: Vec<u32> = fds
        .iter()
        .filter(|end| end.pipe == stdin && end.writes && !end.reads)
        .map(|end| end.fd)
        .collect();
    assert!(!writers.is_empty(), "cat holds no write end of its stdin ({stdin}): {fds:?}");
    let parents = pipe_ends(Holder::Pid(parent));
    let held = parents.iter().any(|end| end.pipe == stdin && end.writes);
    assert!(!held, "the parent still holds a write end of cat's stdin: {parents:?}");
    running.wait_for_state(cat, 'S');
    let start = std::time::Instant::now();
    while !asleep_reading_a_pipe(cat) {
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "cat is not reading");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    running.wait_for_state(parent, 'S');
    running.signal_group(nix::sys::signal::Signal::SIGKILL);
    let text = stderr(&running.wait());
    assert_eq!(
        redact(&text, parent),
        "Parent [PID] got [Greeting 1 from parent [PID]] at [TIME]\n\
         Parent [PID] got [Greeting 2 from parent [PID]] at [TIME]\n",
        "the conversation itself went well"
    );
}

/// Lesson, flushing: a Python child that prints its reply without flushing
/// it. Its stdout is a pipe, so Python keeps the line in its buffer; the
/// child goes on to read the next greeting, and the parent waits for the
/// reply: each sleeps in a read of an empty pipe only the other can fill.
/// The test sees both asleep in those reads, and kills the run. With the
/// flush, the same child answers.
#[cfg(target_os = "linux")]
#[test]
fn a_child_that_does_not_flush_leaves_both_waiting_for_ever() {
    let py = python3();
    let child = "import sys\n\
                 line = sys.stdin.readline()\n\
                 print('child read [%s]' % line[:-1])\n\
                 FLUSH\
                 sys.stdin.readline()\n";
    let flushed = child.replace("FLUSH", "sys.stdout.flush()\n");
    let text = stderr_of(PLAIN, &[&py, "-E", "-c", &flushed], fast(), 1);
    assert_eq!(
        text,
        "Parent [PID] got [child read [Greeting 1 from parent [PID]]] at [TIME]\n\
         error: no reply to greeting 2: end-of-file\n\
         child [PID] exited with status 0\n",
        "with the flush, the reply comes"
    );
    let running = spawn_with(PLAIN, &[&py, "-E", "-c", &child.replace("FLUSH", "")], fast());
    let (parent, python) = (running.pid(), running.child_pid());
    let start = std::time::Instant::now();
    while !(asleep_reading_a_pipe(parent) && asleep_reading_a_pipe(python)) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the two are not both reading"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // Both read pipes: the parent its stdin, the child its stdin.
    use harness::proc::{Holder, pipe_of};
    assert!(pipe_of(Holder::Pid(parent), 0).is_some());
    assert!(pipe_of(Holder::Pid(python), 0).is_some());
    running.signal_group(nix::sys::signal::Signal::SIGKILL);
    let text = stderr(&running.wait());
    assert_eq!(text, "", "no reply reached the parent");
}

/// Ctrl-C, as a terminal sends it to every process of the foreground job:
/// the parent and its child both end (neither catches SIGINT), at whatever
/// point of the conversation, and no process is left running.
#[test]
fn ctrl_c_ends_the_parent_and_its_child() {
    let running = spawn(PLAIN, &[]); // the book's pace: 8 s
    let (parent, child) = (running.pid(), running.child_pid());
    running.signal_group(nix::sys::signal::Signal::SIGINT);
    running.wait_for_ctrl_c();
    let run = running.wait();
    wait_until_group_ended(parent);
    let status = run.get_output().status;
    assert_eq!(killed_by(status), Some(nix::sys::signal::Signal::SIGINT), "child {child}");
}

/// The exercises' conversation (`conversation/lib.rs`, their `main` being
/// `conversation::run(spawn)`) is pipes_plain's own: its `talk`,
/// `close_stdout`, `command_and_count` and `failed` are pipes_plain's, to
/// the letter (but for `pub` and the lines rustfmt breaks otherwise at 80
/// columns than at 68), and `run` is pipes_plain's `main`.
#[test]
fn the_exercises_conversation_is_pipes_plains() {
    let words = |text: &str| text.split_whitespace().collect::<String>();
    let read = |path: &str| {
        std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let (plain, shared) = (read("src/bin/pipes_plain.rs"), read("conversation/lib.rs"));
    /// The function `name` of `text`: from its `fn` line to its closing brace.
    fn function<'a>(text: &'a str, name: &str) -> &'a str {
        let start = text.find(&format!("fn {name}(")).unwrap_or_else(|| panic!("fn {name}"));
        let end = start + text[start..].find("\n}\n").unwrap() + 3;
        &text[start..end]
    }
    for name in ["talk", "close_stdout", "command_and_count", "failed"] {
        assert_eq!(words(function(&shared, name)), words(function(&plain, name)), "fn {name}");
    }
    let body = |text: &str, head: &str| -> String {
        let f = text.find(head).unwrap_or_else(|| panic!("{head}"));
        let f = &text[f..];
        f[f.find(" {\n").unwrap()..f.find("\n}\n").unwrap()].to_owned()
    };
    let run = "pub fn run(";
    let main = "fn main() -> ExitCode";
    assert_eq!(words(&body(&shared, run)), words(&body(&plain, main)), "run is main");
}
