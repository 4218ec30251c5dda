//! The programs the benchmark times do what the chapter says they do.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::*;

const CASE: &str = env!("CARGO_BIN_EXE_bench_case");

/// The data of each output line, checked to be in pipe2's format.
fn data(run: Assert) -> Vec<String> {
    let run = run.success().stderr("");
    parse_lines(&run.get_output().stdout).into_iter().map(|line| line.data).collect()
}

#[test]
fn the_three_ways_to_flush_print_pipe2s_lines() {
    let expected: Vec<String> = (0..1000u32).map(|i| common::message(i % 5)).collect();
    for flush in ["line", "block", "idle"] {
        let got = data(finish(CASE, &["print", "--count", "1000", "--flush", flush]));
        assert_eq!(got, expected, "--flush {flush}");
    }
}

#[test]
fn every_case_checks_what_arrived_and_ends_cleanly() {
    for args in [
        &["floor", "--count", "1001"][..],
        &["floor", "--count", "1001", "--thread"],
        &["floor", "--count", "1001", "--spin"],
        &["reads", "--count", "1001", "--read-size", "3"],
        &["batch", "--count", "1001", "--every", "7"],
        &["batch", "--count", "1001", "--whole-rounds"],
        &["batch", "--count", "1001", "--parse"],
        &["batch", "--count", "1001", "--parse", "--framing", "length", "--buffer", "100"],
        &["bulk", "--bytes", "655360"],
        &["pingpong", "--count", "101"],
        &["pingpong", "--count", "101", "--thread"],
        &["spawned", "--count", "101"],
    ] {
        finish(CASE, args).success().stdout("").stderr("");
    }
}

/// The book's Python programs, sleeps taken out, print what our programs
/// print: the same messages, read the same way.
#[test]
fn the_python_programs_print_what_the_rust_programs_print() {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("no python3: skipped");
        return;
    }
    let script = |name| format!("{}/python/{name}", env!("CARGO_MANIFEST_DIR"));
    let python = |name| {
        let out = finish("python3", &[&script(name), "7"]).success().stderr("");
        let lines = parse_python_lines(&String::from_utf8_lossy(&out.get_output().stdout));
        assert!(!lines.is_empty(), "{name} printed nothing");
        lines
    };
    let expected: Vec<String> = (0..7u32).map(|i| common::message(i % 5)).collect();
    assert_eq!(python("pipe2.py"), expected);
    for name in ["pipe1.py", "pipe_thread.py"] {
        // Reads of up to 32 bytes: joined, the reads are the whole stream.
        let reads: Vec<String> = python(name).iter().map(|r| python_bytes(r)).collect();
        assert_eq!(reads.concat(), stream(7), "{name}");
    }
}

/// pipes.py without its sleeps holds pipes' conversation: COUNT greetings,
/// each reply reported on stderr (its stdout is the pipe to its child).
#[test]
fn the_python_pipes_holds_count_exchanges() {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("no python3: skipped");
        return;
    }
    let script = format!("{}/python/pipes.py", env!("CARGO_MANIFEST_DIR"));
    // Python buffers its output on a pipe, as for a reader: each side flushes.
    let unbuffered = Setup::Env("PYTHONUNBUFFERED".into(), String::new());
    let run = finish_with("python3", &[&script, "7"], [unbuffered]).success().stdout("");
    let text = stderr(&run);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "{text}");
    assert!(lines[0].starts_with("child ") && lines[0].ends_with("started with [bench]"));
    for (n, line) in lines[1..].iter().enumerate() {
        let greeting = format!("Greeting {} from parent ", n + 1);
        assert!(line.starts_with("Parent ") && line.contains(&greeting), "{text}");
    }
}

/// `Parent 123 got [<data>] at 1795676955.4213` -> `<data>` (Python prints
/// the time with all its decimals).
fn parse_python_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let rest = line.split_once(" got [").expect("a Parent line").1;
            rest.rsplit_once("] at ").expect("a time").0.to_owned()
        })
        .collect()
}

/// Python's `b'Spam 000'` -> `Spam 000`.
fn python_bytes(data: &str) -> String {
    data.strip_prefix("b'").and_then(|d| d.strip_suffix('\'')).expect("a bytes literal").to_owned()
}
