//! bench: measure every case of the chapter "How fast is a pipe" on this
//! machine with hyperfine, write the results file, and make the book's tables
//! and plots from it. Run it with `bench/run`, which builds the programs first.
//!
//! ```sh
//! bench/run              # measure (a few minutes), write bench/results.json and book/src/speed/
//! bench/run --tiny       # every case once, tiny: does it all run? (CI; the numbers mean nothing)
//! bench/run --render     # only make book/src/speed/ again from bench/results.json
//!                        # (its ratios made again from its runs, as this code makes them)
//! ```

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use bench::cases::{self, Case, Program, Size};
use bench::results::{self, CaseResult, Results};
use bench::{machine, render};
use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "bench",
    about = "Measure how fast a pipe is, for the book's chapter \"How fast is a pipe\""
)]
struct Args {
    /// Run every case once with tiny counts: checks that all of it runs, in a
    /// few seconds. Writes target/bench-tiny.json, not the committed results
    #[arg(long)]
    tiny: bool,

    /// Measure nothing: make the book's tables and plots again from the results file
    #[arg(long, conflicts_with = "tiny")]
    render: bool,

    /// Rounds: every case runs once a round, all cases in turn
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,

    /// Runs of each case in a round
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,

    /// Where the programs to measure are (default: next to this one)
    #[arg(long, value_name = "DIR")]
    bin_dir: Option<PathBuf>,

    /// The results file to write (default: bench/results.json, and then the
    /// book's tables and plots too; target/bench-tiny.json with --tiny)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    common::run("bench", || run(Args::parse()))
}

fn run(mut args: Args) -> io::Result<()> {
    if args.render {
        let path = bench::results_file();
        let mut results = read_results(&path)?;
        let ratios = results::ratios(&results.cases);
        if results.ratios != ratios {
            // The way a ratio is made has changed since the measurement.
            results.ratios = ratios;
            let json = serde_json::to_string_pretty(&results).map_err(io::Error::other)? + "\n";
            std::fs::write(&path, json)?;
        }
        return write_book(&results);
    }
    let size = if args.tiny { Size::Tiny } else { Size::Full };
    if args.tiny {
        (args.rounds, args.runs) = (1, 1);
    }
    let hyperfine = machine::output("hyperfine", &["--version"]).ok_or_else(|| {
        io::Error::other(
            "hyperfine not found: install it (apt-get install hyperfine, brew install hyperfine, \
             or cargo install --locked hyperfine)",
        )
    })?;
    let bin_dir = match args.bin_dir.clone() {
        Some(dir) => dir,
        None => std::env::current_exe()?.parent().unwrap().to_owned(),
    };
    let python = python();
    let cases = runnable(cases::cases(size), python.is_some());
    let out = args.out.clone().unwrap_or_else(|| match size {
        Size::Full => bench::results_file(),
        Size::Tiny => bench::root().join("target/bench-tiny.json"),
    });

    let commands = cases
        .iter()
        .map(|case| command(case, &bin_dir, python.as_ref()))
        .collect::<io::Result<Vec<_>>>()?;
    let load_average = machine::load_average();
    if let Some(load) = load_average.filter(|&load| load > 0.5) {
        eprintln!(
            "the machine is busy (load average {load:.2}): other programs will slow some cases \
             and make them noisier"
        );
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let order = run_order(&cases);
    for round in 0..args.rounds {
        eprintln!("round {} of {}: {} cases", round + 1, args.rounds, cases.len());
        for &i in &order {
            times[i].extend(hyperfine_times(&commands[i], args.runs, round == 0 && !args.tiny)?);
        }
    }
    eprintln!("{COUNTING_RUNS} more runs of each case, counting context switches");
    let mut counted: Vec<Vec<u64>> = vec![Vec::new(); cases.len()];
    for _ in 0..COUNTING_RUNS {
        for &i in &order {
            counted[i].extend(context_switches(&commands[i])?);
        }
    }
    // The median run: how often a run waits can swing from run to run.
    let switches: Vec<Option<u64>> = counted
        .into_iter()
        .map(|mut n| {
            n.sort();
            n.get(n.len() / 2).copied()
        })
        .collect();
    let cases: Vec<CaseResult> = (cases.iter().zip(times).zip(switches))
        .map(|((case, times), switches)| CaseResult::new(case, times, switches))
        .collect();
    let results = Results {
        machine: machine::machine(),
        date: machine::now(),
        hyperfine,
        python: python.map(|p| p.version),
        load_average,
        size: if args.tiny { "tiny" } else { "full" }.to_owned(),
        rounds: args.rounds,
        runs: args.runs,
        ratios: results::ratios(&cases),
        cases,
    };
    let json = serde_json::to_string_pretty(&results).map_err(io::Error::other)? + "\n";
    std::fs::write(&out, json)?;
    print_summary(&results);
    println!("results written to {}", out.display());
    if size == Size::Full && args.out.is_none() {
        write_book(&results)?;
    }
    Ok(())
}

/// The cases this machine can run: Python's only with python3, Linux's only
/// on Linux, two cores' only with two cores.
fn runnable(all: Vec<Case>, have_python: bool) -> Vec<Case> {
    let linux = cfg!(target_os = "linux");
    let one_core = std::thread::available_parallelism().map_or(true, |n| n.get() < 2);
    let skip = |case: &Case| {
        (matches!(case.program, Program::Python(_)) && !have_python)
            || (case.linux_only && !linux)
            || (case.two_cores && one_core)
    };
    for case in all.iter().filter(|c| skip(c)) {
        eprintln!("skipped on this machine: {} ({})", case.id, case.display());
    }
    all.into_iter().filter(|c| !skip(c)).collect()
}

/// The order of the cases in a round: first the pairs the ratios compare,
/// each pair one right after the other, then the rest in the tables' order.
fn run_order(cases: &[Case]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::new();
    for id in results::PAIRS.iter().flat_map(|&(a, b)| [a, b]) {
        if let Some(i) = cases.iter().position(|c| c.id == id)
            && !order.contains(&i)
        {
            order.push(i);
        }
    }
    let rest: Vec<usize> = (0..cases.len()).filter(|i| !order.contains(i)).collect();
    order.extend(rest);
    order
}

/// `python3`, resolved to the real interpreter (a pyenv shim would add its own
/// start-up to every run), and its version.
struct Python {
    executable: String,
    version: String,
}

fn python() -> Option<Python> {
    let executable = machine::output("python3", &["-c", "import sys; print(sys.executable)"])?;
    let version = machine::output(&executable, &["--version"])?;
    Some(Python { executable, version })
}

/// How many runs of each case count context switches (the median is kept).
const COUNTING_RUNS: usize = 3;

/// What runs one case: a program and its arguments, or a shell command line.
enum Run {
    Words(Vec<String>),
    Shell(String),
}

/// What runs `case`.
fn command(case: &Case, bin_dir: &Path, python: Option<&Python>) -> io::Result<Run> {
    let words: Vec<String> = match &case.program {
        Program::Shell => return Ok(Run::Shell(case.args.join(" "))),
        Program::Bin(name) => {
            let path = bin_dir.join(name);
            if !path.is_file() {
                return Err(io::Error::other(format!(
                    "{} is not built: run bench/run, which builds every program first",
                    path.display()
                )));
            }
            vec![path.display().to_string()]
        }
        Program::Python(file) => {
            let python = python.expect("Python cases run only with python3");
            let script = bench::root().join("bench/python").join(file);
            vec![python.executable.clone(), script.display().to_string()]
        }
    };
    Ok(Run::Words(words.into_iter().chain(case.args.iter().cloned()).collect()))
}

/// The context switches of every process and thread of one run of `command`
/// (its own, and those of the processes it waited for): getrusage.
#[cfg(unix)]
fn context_switches(command: &Run) -> io::Result<Option<u64>> {
    use nix::sys::resource::{UsageWho, getrusage};
    use std::process::Stdio;
    let count = || -> io::Result<i64> {
        let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
        Ok(usage.voluntary_context_switches() + usage.involuntary_context_switches())
    };
    let before = count()?;
    let mut run = match command {
        Run::Words(words) => {
            Command::new(&words[0]).args(&words[1..]).stdout(Stdio::null()).spawn()?
        }
        Run::Shell(line) => Command::new("sh").args(["-c", line]).stdout(Stdio::null()).spawn()?,
    };
    let status = run.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("a run failed ({status})")));
    }
    Ok(u64::try_from(count()? - before).ok())
}

#[cfg(not(unix))]
fn context_switches(_command: &Run) -> io::Result<Option<u64>> {
    Ok(None)
}

/// A word as `sh` (and hyperfine's own splitting) reads it back.
fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Run `command` `runs` times under hyperfine (after one warm-up run if
/// `warmup`) and return the seconds each run took.
fn hyperfine_times(command: &Run, runs: u32, warmup: bool) -> io::Result<Vec<f64>> {
    let (command, shell) = match command {
        Run::Words(words) => (words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "), false),
        Run::Shell(line) => (line.clone(), true),
    };
    let export = std::env::temp_dir().join(format!("bench-{}.json", std::process::id()));
    let mut hyperfine = Command::new("hyperfine");
    hyperfine.args(["--style", "none", "--runs", &runs.to_string(), "--export-json"]).arg(&export);
    hyperfine.args(if warmup { &["--warmup", "1"][..] } else { &[] });
    hyperfine.args(if shell { ["--shell", "sh"] } else { ["--shell", "none"] });
    let output = hyperfine.arg(&command).output()?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(io::Error::other(format!("hyperfine failed on `{command}`:\n{why}")));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export)?).map_err(io::Error::other)?;
    let _ = std::fs::remove_file(&export);
    let times = json["results"][0]["times"].as_array().cloned().unwrap_or_default();
    let times: Vec<f64> = times.iter().filter_map(|t| t.as_f64()).collect();
    if times.len() != runs as usize {
        return Err(io::Error::other(format!(
            "hyperfine reported {} runs of `{command}`",
            times.len()
        )));
    }
    Ok(times)
}

fn read_results(path: &Path) -> io::Result<Results> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
}

/// Write the book's tables and plots (`book/src/speed/`) from `results`.
fn write_book(results: &Results) -> io::Result<()> {
    let dir = bench::book_dir();
    std::fs::create_dir_all(&dir)?;
    for (name, text) in render::book_files(results) {
        std::fs::write(dir.join(name), text)?;
    }
    println!("book tables and plots written to {}", dir.display());
    Ok(())
}

/// The rates of every case, then the ratios, and which targets fall short.
fn print_summary(results: &Results) {
    println!(
        "{:<20} {:>8} {:>8} {:>12} {:>8} {:>8} {:>9}",
        "case", "best s", "median s", "messages/s", "MB/s", "µs/msg", "switches"
    );
    let dash = || "-".to_owned();
    for case in &results.cases {
        println!(
            "{:<20} {:>8.4} {:>8.4} {:>12} {:>8} {:>8} {:>9}",
            case.id,
            case.seconds,
            case.median,
            case.messages_per_s.map_or_else(dash, render::rate),
            render::decimal(case.mb_per_s),
            case.us_per_message.map_or_else(dash, render::decimal),
            case.switches_per_message.map_or_else(dash, render::decimal),
        );
    }
    println!();
    let mut short = Vec::new();
    for ratio in &results.ratios {
        let verdict = match (&ratio.target, ratio.met) {
            (Some(target), Some(true)) => format!("target {target}: met"),
            (Some(target), _) => {
                short.push(ratio.label.clone());
                format!("target {target}: FALLS SHORT")
            }
            (None, _) => String::new(),
        };
        println!("{:<50} {:>6.2}  {verdict}", ratio.label, ratio.value);
    }
    if results.size == "tiny" {
        println!("(a tiny run: it checks that every case runs; its numbers mean nothing)");
    } else if short.is_empty() {
        println!("every target ratio is met");
    } else {
        println!(
            "{} target ratio(s) fall short on this machine: {}",
            short.len(),
            short.join("; ")
        );
    }
}
