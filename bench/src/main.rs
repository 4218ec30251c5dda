//! bench: measure every case of the chapter "How fast is a pipe" on this
//! machine with hyperfine, write the results file, and make the book's tables
//! and plots from it. Run it with `bench/run`, which builds the programs first.
//!
//! ```sh
//! bench/run              # measure (minutes), write bench/results.json and book/src/speed/
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

    /// Rounds: every case runs once a round, all cases in turn, after the pairs
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,

    /// Pairs of each ratio in a round: its two cases, one right after the other
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pairs: u32,

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
    common::exit_status("bench", || run(Args::parse()))
}

fn run(mut args: Args) -> io::Result<()> {
    if args.render {
        let path = bench::results_file();
        let mut results = read_results(&path)?;
        let ratios = results::ratios_again(&results);
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
        (args.rounds, args.runs, args.pairs) = (1, 1, 1);
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

    let traces = Traces::new()?;
    let commands = cases
        .iter()
        .map(|case| command(case, &bin_dir, python.as_ref(), &traces))
        .collect::<io::Result<Vec<_>>>()?;
    let load_average = machine::load_average();
    if let Some(load) = load_average.filter(|&load| load > 0.5) {
        eprintln!(
            "the machine is busy (load average {load:.2}): other programs will slow some cases \
             and make them noisier"
        );
    }
    // First the runs that count context switches: they warm up every case too.
    eprintln!("{COUNTING_RUNS} runs of each case, counting context switches");
    let mut counted: Vec<Vec<u64>> = vec![Vec::new(); cases.len()];
    for _ in 0..COUNTING_RUNS {
        for (i, command) in commands.iter().enumerate() {
            counted[i].extend(context_switches(command)?);
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

    // The ratios whose two cases this machine runs.
    let position = |id: &str| cases.iter().position(|c| c.id == id);
    let pairs_to_run: Vec<(&results::RatioDef, usize, usize)> = results::RATIOS
        .iter()
        .filter_map(|def| Some((def, position(def.a)?, position(def.b)?)))
        .collect();
    let mut pairs: Vec<Vec<[f64; 2]>> = vec![Vec::new(); pairs_to_run.len()];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    for round in 0..args.rounds {
        eprintln!(
            "round {} of {}: {} pairs, then {} cases",
            round + 1,
            args.rounds,
            pairs_to_run.len(),
            cases.len()
        );
        // Each ratio's two cases, one right after the other; which goes
        // first changes from round to round.
        for (k, &(_, a, b)) in pairs_to_run.iter().enumerate() {
            for j in 0..args.pairs {
                let a_first = (round * args.pairs + j + k as u32).is_multiple_of(2);
                let (first, second) = if a_first { (a, b) } else { (b, a) };
                let t = hyperfine_times(&[&commands[first], &commands[second]], 1)?;
                let (t_first, t_second) = (t[0][0], t[1][0]);
                pairs[k].push(if a_first { [t_first, t_second] } else { [t_second, t_first] });
            }
        }
        for (i, command) in commands.iter().enumerate() {
            times[i].extend(hyperfine_times(&[command], args.runs)?.remove(0));
        }
    }
    drop(traces);
    let cases: Vec<CaseResult> = (cases.iter().zip(times).zip(switches))
        .map(|((case, times), switches)| CaseResult::new(case, times, switches))
        .collect();
    let ratios = (pairs_to_run.iter().zip(pairs))
        .filter_map(|(&(def, _, _), pairs)| results::ratio(def, &cases, pairs))
        .collect();
    let results = Results {
        machine: machine::machine(),
        date: machine::now(),
        hyperfine,
        python_stdout: python.as_ref().map(|p| p.stdout.clone()),
        python: python.map(|p| p.version),
        unset: unset_variables(),
        load_average,
        size: if args.tiny { "tiny" } else { "full" }.to_owned(),
        rounds: args.rounds,
        runs: args.runs,
        pairs: args.pairs,
        ratios,
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

/// The environment variables every measured run goes without, of those set
/// now: every `PYTHON...` one. With `PYTHONUNBUFFERED` set, say, each
/// `print` of the Python programs would be two `write`s, where Python run
/// as it comes writes its output in blocks.
fn unset_variables() -> Vec<String> {
    let mut names: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| name.starts_with("PYTHON"))
        .collect();
    names.sort();
    names
}

/// A command for `program` in the environment of the measured runs: without
/// the [`unset_variables`].
fn clean(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    for name in unset_variables() {
        command.env_remove(name);
    }
    command
}

/// `python3`, resolved to the real interpreter (a pyenv shim would add its own
/// start-up to every run), its version, and how its stdout is buffered
/// into a pipe in the environment of the measured runs.
struct Python {
    executable: String,
    version: String,
    stdout: String,
}

fn python() -> Option<Python> {
    let executable =
        machine::first_line(clean("python3").args(["-c", "import sys; print(sys.executable)"]))?;
    let version = machine::first_line(clean(&executable).arg("--version"))?;
    // With PYTHONUNBUFFERED (or -u), stdout's binary layer is a plain FileIO,
    // not a BufferedWriter.
    let buffering = "import sys; b = type(sys.stdout.buffer).__name__; \
         print('unbuffered' if b == 'FileIO' else 'line-buffered' if sys.stdout.line_buffering \
         else 'block-buffered')";
    let stdout = machine::first_line(clean(&executable).args(["-c", buffering]))?;
    Some(Python { executable, version, stdout })
}

/// How many runs of each case count context switches (the median is kept).
const COUNTING_RUNS: usize = 3;

/// The trace files the `timeline` cases draw, in a folder of their own,
/// removed at the end.
struct Traces(PathBuf);

impl Traces {
    fn new() -> io::Result<Traces> {
        let dir = std::env::temp_dir().join(format!("bench-traces-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Traces(dir))
    }
}

impl Drop for Traces {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What runs `case`: a program and its arguments (a pipeline is `sh -c`
/// and its line).
fn command(
    case: &Case,
    bin_dir: &Path,
    python: Option<&Python>,
    traces: &Traces,
) -> io::Result<Vec<String>> {
    let built = |name: &str| {
        let path = bin_dir.join(name);
        if path.is_file() {
            Ok(path.display().to_string())
        } else {
            Err(io::Error::other(format!(
                "{} is not built: run bench/run, which builds every program first",
                path.display()
            )))
        }
    };
    let words: Vec<String> = match &case.program {
        Program::Shell => return Ok(vec!["sh".into(), "-c".into(), case.args.join(" ")]),
        Program::Bin(name) => vec![built(name)?],
        Program::Python(file) => {
            let python = python.expect("Python cases run only with python3");
            let script = bench::root().join("bench/python").join(file);
            vec![python.executable.clone(), script.display().to_string()]
        }
        Program::Timeline => {
            let messages = case.messages.expect("a timeline case says how many messages");
            let trace = traces.0.join(Case::trace_name(messages));
            if !trace.exists() {
                let status = clean(built("pipe2")?)
                    .args(["--count", &messages.to_string(), "--tick", cases::TRACE_TICK])
                    .arg("--trace")
                    .arg(&trace)
                    .stdout(std::process::Stdio::null())
                    .status()?;
                if !status.success() {
                    return Err(io::Error::other(format!("pipe2 --trace failed ({status})")));
                }
            }
            // The trace's path, instead of its name (the case's argument).
            return Ok(vec![built("timeline")?, trace.display().to_string()]);
        }
    };
    let words: Vec<String> = words.into_iter().chain(case.args.iter().cloned()).collect();
    if case.to_pipe {
        let line = words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
        return Ok(vec!["sh".into(), "-c".into(), format!("{line} {}", cases::TO_PIPE)]);
    }
    Ok(words)
}

/// The context switches of every process and thread of one run of `command`
/// (its own, and those of the processes it waited for): getrusage.
#[cfg(unix)]
fn context_switches(command: &[String]) -> io::Result<Option<u64>> {
    use nix::sys::resource::{UsageWho, getrusage};
    use std::process::Stdio;
    let count = || -> io::Result<i64> {
        let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
        Ok(usage.voluntary_context_switches() + usage.involuntary_context_switches())
    };
    let before = count()?;
    let status = clean(&command[0]).args(&command[1..]).stdout(Stdio::null()).status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "a run of `{}` failed ({status})",
            command.join(" ")
        )));
    }
    Ok(u64::try_from(count()? - before).ok())
}

#[cfg(not(unix))]
fn context_switches(_command: &[String]) -> io::Result<Option<u64>> {
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

/// Run each of `commands` `runs` times under hyperfine, one command after
/// the other, each directly (no shell), its output to `/dev/null`, without
/// the [`unset_variables`]; return the seconds each run took, command by
/// command.
fn hyperfine_times(commands: &[&Vec<String>], runs: u32) -> io::Result<Vec<Vec<f64>>> {
    let lines: Vec<String> = commands
        .iter()
        .map(|words| words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "))
        .collect();
    let export = std::env::temp_dir().join(format!("bench-{}.json", std::process::id()));
    let mut hyperfine = clean("hyperfine");
    hyperfine.args(["--style", "none", "--shell", "none", "--output", "null"]);
    hyperfine.args(["--runs", &runs.to_string(), "--export-json"]).arg(&export);
    let output = hyperfine.args(&lines).output()?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(io::Error::other(format!(
            "hyperfine failed on `{}`:\n{why}",
            lines.join("`, `")
        )));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export)?).map_err(io::Error::other)?;
    let _ = std::fs::remove_file(&export);
    let mut all = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let times = json["results"][i]["times"].as_array().cloned().unwrap_or_default();
        let times: Vec<f64> = times.iter().filter_map(|t| t.as_f64()).collect();
        if times.len() != runs as usize {
            return Err(io::Error::other(format!(
                "hyperfine reported {} runs of `{line}`",
                times.len()
            )));
        }
        all.push(times);
    }
    Ok(all)
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
        "{:<20} {:>8} {:>8} {:>7} {:>12} {:>8} {:>8} {:>9}",
        "case", "best s", "median s", "spread", "messages/s", "MB/s", "µs/msg", "switches"
    );
    let dash = || "-".to_owned();
    for case in &results.cases {
        println!(
            "{:<20} {:>8.4} {:>8.4} {:>7.2} {:>12} {:>8} {:>8} {:>9}",
            case.id,
            case.seconds,
            case.median,
            case.spread,
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
        println!(
            "{:<72} {:>6.2} ({:.2} to {:.2})  {verdict}",
            ratio.label, ratio.value, ratio.lowest, ratio.highest
        );
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
