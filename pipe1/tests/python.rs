//! What the book says the book's Python does, measured.
//!
//! The numbers the book gives are recorded in `tests/runs/python.txt`, and
//! the test that always runs checks that the book gives those numbers. The
//! other tests need `python3` (Linux), so they are ignored by default; they
//! run the book's programs unchanged, through `tests/python/at_tick.py`,
//! which makes the one-second sleep unit shorter. To check the Python again
//! and record the numbers anew (about a minute; then read the diff, and
//! update the book if a number changed):
//!
//!     cargo test -p pipe1 --test python -- --ignored --test-threads 1
//!
//! Python runs with `-E`, so that `PYTHONUNBUFFERED` and the like in the
//! environment cannot change what it does.

#![cfg(unix)] // the helpers run each program in a process group: unix only

const RECORD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/runs/python.txt");
const BOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../book/src");

/// The race: cycles of five messages (`Spam 000` to `Spam 004`) per run.
const CYCLES: u64 = 60;
/// The race: runs of each program.
const RUNS: usize = 3;

/// The recorded numbers, one `key: value` a line.
fn recorded() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(RECORD).expect("tests/runs/python.txt");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (key, value) = line.split_once(": ").expect("key: value");
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

fn value(record: &[(String, String)], key: &str) -> String {
    let found = record.iter().find(|(k, _)| k == key);
    found.unwrap_or_else(|| panic!("{key} is not in tests/runs/python.txt")).1.clone()
}

/// The book gives the recorded numbers.
#[test]
fn the_book_gives_the_recorded_numbers() {
    let record = recorded();
    let read = |page: &str| std::fs::read_to_string(format!("{BOOK}/{page}")).unwrap();
    let (pipe1, failures) = (read("pipe1.md"), read("failures.md"));
    let says = |page: &str, text: &str, what: &str| {
        let flat = page.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(text), "the book should say {text:?} ({what})");
    };
    let total = |key: &str| -> u64 {
        value(&record, key).split(' ').map(|n| n.parse::<u64>().unwrap()).sum()
    };
    let chances = RUNS as u64 * CYCLES;
    for (key, what) in [
        ("race pipe1", "ours"),
        ("race pipe1.py", "the book's"),
        ("race pipe1.py without time.sleep(0)", "no zero sleep"),
    ] {
        says(&pipe1, &format!("{} times in {chances}", total(key)), what);
    }
    // "10000 calls, 10000 switches, 75.5 us each"
    let zero = value(&record, "time.sleep(0)");
    let fields: Vec<&str> = zero.split([' ', ',']).filter(|f| !f.is_empty()).collect();
    let (switches, micros): (u64, f64) = (fields[2].parse().unwrap(), fields[4].parse().unwrap());
    let switches = format!("{},{:03}", switches / 1000, switches % 1000);
    says(&pipe1, &format!("made {switches} voluntary context switches"), "time.sleep(0)");
    says(&pipe1, &format!("about {} µs each", micros.round()), "time.sleep(0)");
    let rust = value(&record, "thread::sleep(Duration::ZERO)");
    let rust_switches = rust.split(", ").nth(1).unwrap().trim_end_matches(" switches");
    assert_eq!(rust_switches, "0", "a zero sleep in Rust gives up nothing: {rust}");
    let load: f64 = value(&record, "load before").parse().unwrap();
    let cores = value(&record, "cores");
    says(&pipe1, &format!("{cores} cores and a load average of about {}", load.round()), "load");
    // "168 lines, 8192 bytes, out after 336 s"
    let block = value(&record, "pipe2.py first block");
    let lines: u64 = block.split(' ').next().unwrap().parse().unwrap();
    assert!((160..=170).contains(&lines), "the book says 160 to 170 messages: {block}");
    says(&failures, "some 160 to 170 messages", "pipe2.py's first block");
    let seconds: u64 = block.rsplit(' ').nth(1).unwrap().parse().unwrap();
    let minutes = seconds as f64 / 60.0;
    assert!((5.25..5.75).contains(&minutes), "the book says five and a half minutes: {block}");
    says(&failures, "five and a half minutes", "pipe2.py's first block");
    says(&failures, "and exits with 120", "a few lines to /dev/full");
    says(&failures, "the script dies of the `OSError` with status 1", "a print that fails");
    says(&failures, "`python3 --help >/dev/full` exits with 0", "--help");
    for (key, status) in [
        ("3 lines to /dev/full", "120"),
        ("3 lines to /dev/full, -u", "1"),
        ("400 lines to /dev/full", "1"),
        ("--help to /dev/full", "0"),
    ] {
        assert_eq!(value(&record, key), status, "{key}: the book says {status}");
    }
}

/// Running the Python (and our pipe1 beside it): Linux, with `python3`.
#[cfg(target_os = "linux")]
mod run_python {
    use std::time::{Duration, Instant};

    use harness::assert::*;
    use harness::*;

    use super::*;

    const PIPE1: &str = env!("CARGO_BIN_EXE_pipe1");
    const AT_TICK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/at_tick.py");

    /// The Python interpreter itself, `sys.executable` of `python3`: a
    /// `python3` on the path may be a script that starts other programs first
    /// (pyenv's is), and the tests look for the interpreter's child.
    fn python3() -> String {
        static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        PATH.get_or_init(|| {
            let run =
                finish("python3", &["-E", "-c", "import sys; print(sys.executable)"]).success();
            stdout(&run).trim().to_owned()
        })
        .clone()
    }

    /// The book's Python program `name` (in `python/`).
    fn book_program(name: &str) -> String {
        format!("{}/../python/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    /// The race's tick, in milliseconds: one cycle of sleeps is 10 ticks.
    const TICK_MS: u64 = 10;
    /// Calls of a zero-length sleep, to count how often each gives up the processor.
    const ZERO_SLEEPS: u32 = 10_000;

    /// Of the `CYCLES` times `Spam 004` is followed by `Spam 000` in the first
    /// `5 * CYCLES + 1` messages, how many came in one read, given each read's
    /// length in bytes?
    fn clumps(read_lengths: &[usize]) -> u64 {
        let mut boundaries = std::collections::HashSet::new();
        let mut at = 0;
        for length in read_lengths {
            at += length;
            boundaries.insert(at);
        }
        assert!(at >= 8 * (5 * CYCLES as usize + 1), "too few bytes read: {at}");
        // Spam 004 is message 5k + 4; Spam 000 starts where it ends.
        let clumped = |k: u64| !boundaries.contains(&(8 * (5 * k as usize + 5)));
        (0..CYCLES).filter(|&k| clumped(k)).count() as u64
    }

    /// The bytes of each read of a pipe1.py line, `... got [b'Spam 004Spam 000'] at ...`.
    fn python_read(line: &str) -> &str {
        let (_, rest) = line.split_once(" got [b'").unwrap_or_else(|| panic!("{line}"));
        rest.rsplit_once("'] at ").unwrap_or_else(|| panic!("{line}")).0
    }

    /// One run of `pipe1.py` at the race's tick (`mode`: see `at_tick.py`),
    /// read until it has sent `5 * CYCLES + 1` messages; then it is killed.
    fn python_race(mode: &str) -> u64 {
        let tick = format!("{}", TICK_MS as f64 / 1000.0);
        let program = book_program("pipe1.py");
        let mut running = spawn(python3(), &["-E", "-u", AT_TICK, &tick, mode, &program]);
        let mut lengths = Vec::new();
        while lengths.iter().sum::<usize>() < 8 * (5 * CYCLES as usize + 1) {
            let line = running.next_line();
            let read = python_read(&line);
            assert!(read.starts_with("Spam "), "{line}");
            lengths.push(read.len());
        }
        drop(running); // kills both processes
        clumps(&lengths)
    }

    /// One run of our pipe1 at the race's tick, to its end.
    fn rust_race() -> u64 {
        let (count, tick) = ((5 * CYCLES + 1).to_string(), format!("{TICK_MS}ms"));
        let run = finish(PIPE1, &["--count", &count, "--tick", &tick]).success();
        let lines = parse_lines(&run.get_output().stdout);
        clumps(&lines.iter().map(|line| unquote(&line.data).len()).collect::<Vec<_>>())
    }

    /// How a zero-length sleep goes in Python: (voluntary context switches,
    /// microseconds per call) for `ZERO_SLEEPS` calls of `time.sleep(0)`.
    fn python_zero_sleep() -> (u64, f64) {
        let script = format!(
            "import resource, time\n\
             before = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw\n\
             start = time.perf_counter()\n\
             for _ in range({ZERO_SLEEPS}): time.sleep(0)\n\
             took = time.perf_counter() - start\n\
             after = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw\n\
             print(after - before, took / {ZERO_SLEEPS} * 1e6)"
        );
        let run = finish(python3(), &["-E", "-c", &script]).success();
        let out = stdout(&run);
        let (switches, micros) = out.trim().split_once(' ').expect("two numbers");
        (switches.parse().unwrap(), micros.parse().unwrap())
    }

    /// The same for `thread::sleep(Duration::ZERO)`, in this thread:
    /// (voluntary context switches, microseconds per call).
    fn rust_zero_sleep() -> (u64, f64) {
        let switches = || {
            let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
            let line = status.lines().find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"));
            line.unwrap().trim().parse::<u64>().unwrap()
        };
        let (before, start) = (switches(), Instant::now());
        for _ in 0..ZERO_SLEEPS {
            std::thread::sleep(Duration::ZERO);
        }
        let took = start.elapsed();
        (switches() - before, took.as_secs_f64() / f64::from(ZERO_SLEEPS) * 1e6)
    }

    /// `pipe2.py` with stdout a pipe, block-buffered (no `-u`): how many lines,
    /// and bytes, its first write holds. Messages come every 10 ms or more; a
    /// block's lines come all at once, then nothing for seconds.
    fn python_first_block() -> (u64, usize) {
        let program = book_program("pipe2.py");
        let mut running = spawn(python3(), &["-E", AT_TICK, "0.01", "as-is", &program]);
        let first = running.next_line();
        let mut block = vec![first];
        while let Some(line) = running.next_line_within(Duration::from_millis(200)) {
            block.push(line);
        }
        drop(running);
        assert!(block.iter().all(|line| line.contains(" got [Spam 00")), "{block:?}");
        (block.len() as u64, block.iter().map(|line| line.len() + 1).sum())
    }

    /// The exit status of `python3 -E args` with stdout on `/dev/full`.
    fn python_status_on_full(args: &[&str]) -> i32 {
        let full = std::fs::File::options().write(true).open("/dev/full").unwrap();
        let args: Vec<&str> = ["-E"].iter().chain(args).copied().collect();
        let run = finish_with(python3(), &args, [Setup::Stdout(full)]);
        run.get_output().status.code().expect("an exit status")
    }

    /// Record every number the book gives about the book's Python. Needs `python3`.
    #[test]
    #[ignore = "needs python3, takes about a minute: see the top of this file"]
    fn record_the_pythons_numbers() {
        let version = finish(python3(), &["-E", "--version"]).success();
        let mut out = String::from(
            "# Recorded by `cargo test -p pipe1 --test python -- --ignored --test-threads 1`:\n\
             # the numbers the book gives about the book's Python. Do not edit by hand.\n",
        );
        out += &format!("python: {}\n", stdout(&version).trim());
        let load = || {
            std::fs::read_to_string("/proc/loadavg").unwrap().split(' ').next().unwrap().to_owned()
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        out += &format!("race: {RUNS} runs of {CYCLES} cycles each, at a {TICK_MS} ms tick\n");
        out += &format!("cores: {cores}\n");
        out += &format!("load before: {}\n", load());
        let race =
            |each: &dyn Fn() -> u64| (0..RUNS).map(|_| each().to_string()).collect::<Vec<_>>();
        out += &format!("race pipe1: {}\n", race(&rust_race).join(" "));
        out += &format!("race pipe1.py: {}\n", race(&|| python_race("as-is")).join(" "));
        let no_zero = race(&|| python_race("no-zero-sleep"));
        out += &format!("race pipe1.py without time.sleep(0): {}\n", no_zero.join(" "));
        out += &format!("load after: {}\n", load());
        let (switches, micros) = python_zero_sleep();
        out += &format!(
            "time.sleep(0): {ZERO_SLEEPS} calls, {switches} switches, {micros:.1} us each\n"
        );
        let (switches, micros) = rust_zero_sleep();
        out += &format!(
            "thread::sleep(Duration::ZERO): {ZERO_SLEEPS} calls, {switches} switches, {micros:.3} us each\n"
        );
        let (lines, bytes) = python_first_block();
        let seconds = ticks_slept_before(lines);
        out +=
            &format!("pipe2.py first block: {lines} lines, {bytes} bytes, out after {seconds} s\n");
        let print = |n: u32| {
            format!("for i in range({n}): print('Parent 1234 got [Spam 000] at 1267997789.33')")
        };
        let few = print(3);
        out += &format!("3 lines to /dev/full: {}\n", python_status_on_full(&["-c", &few]));
        out +=
            &format!("3 lines to /dev/full, -u: {}\n", python_status_on_full(&["-u", "-c", &few]));
        let many = print(400);
        out += &format!("400 lines to /dev/full: {}\n", python_status_on_full(&["-c", &many]));
        out += &format!("--help to /dev/full: {}\n", python_status_on_full(&["--help"]));
        std::fs::write(RECORD, out).unwrap();
    }

    /// `python3 -E -u at_tick.py 0.01 as-is <program>`: a book's program,
    /// unbuffered, at a 10 ms tick.
    fn spawn_python(program: &str) -> Running {
        spawn(python3(), &["-E", "-u", AT_TICK, "0.01", "as-is", &book_program(program)])
    }

    /// Wait until `check` holds, within [`DEADLINE`].
    fn wait_until(what: &str, check: impl Fn() -> bool) {
        let start = Instant::now();
        while !check() {
            assert!(start.elapsed() < DEADLINE, "still not so: {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The book's "A closed stdout": `python3 -u pipe-thread.py | head -3`. The
    /// main thread dies of the BrokenPipeError, the writer thread (no daemon)
    /// keeps the process running, until Ctrl-C.
    #[test]
    #[ignore = "needs python3: see the top of this file"]
    fn pipe_thread_py_outlives_head_until_ctrl_c() {
        let mut running = spawn_python("pipe-thread.py");
        let pid = running.pid();
        for _ in 0..3 {
            running.next_line();
        }
        running.close_stdout();
        std::thread::sleep(Duration::from_millis(500)); // 50 ticks: five more messages
        let threads = std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().count();
        assert_eq!((running.state_of(pid), threads), (Some('S'), 2), "still running, two threads");
        running.signal_group(nix::sys::signal::Signal::SIGINT);
        let run = running.wait().assert();
        let stderr = stderr(&run);
        assert!(stderr.contains("BrokenPipeError"), "{stderr}");
        assert!(stderr.contains("KeyboardInterrupt"), "the second traceback: {stderr}");
    }

    /// The book's "A closed stdout": `python3 -u pipe1.py | head -3`. The
    /// parent dies of the BrokenPipeError; the child, which holds a read end
    /// itself, writes on.
    #[test]
    #[ignore = "needs python3: see the top of this file"]
    fn pipe1_py_leaves_its_child_running_after_head() {
        let mut running = spawn_python("pipe1.py");
        let (parent, child) = (running.pid(), running.child_pid());
        for _ in 0..3 {
            running.next_line();
        }
        running.close_stdout();
        wait_until("the parent has ended", || running.state_of(parent) == Some('Z'));
        std::thread::sleep(Duration::from_millis(500)); // 50 ticks: five more messages
        let state = running.state_of(child);
        assert!(matches!(state, Some('S' | 'R')), "the child runs on: {state:?}");
        // dropping `running` kills the child too: it is still in the run's group
    }

    /// The book's "The child is killed": pipe2.py's parent prints `[]` as fast
    /// as it can, and never reaps the dead child, which stays a zombie.
    #[test]
    #[ignore = "needs python3: see the top of this file"]
    fn pipe2_py_with_its_child_killed_floods_and_keeps_a_zombie() {
        let mut running = spawn_python("pipe2.py");
        let (parent, child) = (running.pid(), running.child_pid());
        assert!(running.next_line().contains(" got [Spam 000] at "));
        send(child, nix::sys::signal::Signal::SIGKILL);
        running.wait_for_state(child, 'Z');
        std::thread::sleep(Duration::from_millis(500));
        let lines = running.lines_so_far();
        let empty = lines.iter().filter(|line| line.contains(" got [] at ")).count();
        assert!(empty > 1000, "{empty} lines with nothing between the brackets in 0.5 s");
        assert_eq!(running.state_of(child), Some('Z'), "the child is still a zombie");
        assert!(matches!(running.state_of(parent), Some('S' | 'R')), "the parent runs on");
    }
}
