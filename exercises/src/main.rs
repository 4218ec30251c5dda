//! The command that checks an exercise: `cargo run -q -p exercises -- check <name>`.
//!
//! It builds the student's file first (with cargo, so a cold checkout only
//! takes longer, it never times out), runs the exercise's checks on it, and
//! ends with a verdict: which behaviours are there, and which one is missing.
//!
//! Where there is no `/proc` (macOS; on Linux, with `EXERCISES_NO_PROC=1`),
//! the behaviours that only `/proc` shows are not checked, and the verdict
//! and `prove` say which.

#[cfg(unix)]
use {
    exercises::{Exercise, Programs},
    std::path::PathBuf,
    std::process::{Command, ExitCode},
    std::time::{Duration, SystemTime},
    std::{env, fs, thread},
};

#[cfg(unix)]
const USAGE: &str = "\
Usage: cargo run -q -p exercises -- <command>

  list                   the exercises: name, time, difficulty, file
  check <name>           build your file for exercise <name> and check it
  watch <name>           check again each time you save the file (Ctrl-C to stop)
  check <name> --solution
                         check the exercise's solution instead of your file
  check <name> --attempt <program>
                         check a program already built, instead of your file
  prove                  every solution passes, every starter fails (CI)

Where there is no /proc (macOS), what only Linux's /proc shows is not
checked, and the verdict says so; EXERCISES_NO_PROC=1 does the same on Linux.";

#[cfg(unix)]
fn main() -> ExitCode {
    // A check says what is missing by panicking; the verdict says it better
    // than the default hook's `thread 'main' panicked at ...`.
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<String> = env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Whatever an attempt starts is stopped before the check ends, even a
    // process that leaves its process group: see `become_the_reaper`.
    if matches!(args.first(), Some(&("check" | "watch" | "prove")))
        && let Err(error) = exercises::become_the_reaper()
    {
        eprintln!("error: prctl(PR_SET_CHILD_SUBREAPER) failed: {error}");
        return ExitCode::from(2);
    }
    match args.as_slice() {
        ["list"] => list(),
        ["check", name] => with_exercise(name, |exercise| check(exercise, Attempt::Yours, false)),
        ["check", name, "--solution"] => {
            with_exercise(name, |exercise| check(exercise, Attempt::Solution, false))
        }
        ["check", name, "--attempt", program] => {
            with_exercise(name, |exercise| check(exercise, Attempt::Built(program), false))
        }
        ["watch", name] => with_exercise(name, |exercise| watch(exercise, Attempt::Yours)),
        ["watch", name, "--attempt", program] => {
            with_exercise(name, |exercise| watch(exercise, Attempt::Built(program)))
        }
        ["prove"] => prove(),
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["check" | "watch"] => usage_error("which exercise? Give its name; `list` lists them"),
        _ => usage_error(&format!("not a command: {}", args.join(" "))),
    }
}

#[cfg(unix)]
fn usage_error(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n\n{USAGE}");
    ExitCode::from(2)
}

#[cfg(unix)]
fn with_exercise(name: &str, then: impl FnOnce(&'static Exercise) -> ExitCode) -> ExitCode {
    match exercises::find(name) {
        Some(exercise) => then(exercise),
        None => {
            let names: Vec<&str> = exercises::all().iter().map(|e| e.name).collect();
            usage_error(&format!(
                "no exercise named {name:?}; the exercises are: {}",
                names.join(", ")
            ))
        }
    }
}

#[cfg(unix)]
fn list() -> ExitCode {
    let width = exercises::all().iter().map(|e| e.file().len()).max().unwrap_or(0);
    for exercise in exercises::all() {
        println!(
            "{:<24} {:>3} min  {:<7} {:<width$}  {}",
            exercise.name,
            exercise.minutes,
            exercise.level.as_str(),
            exercise.file(),
            exercise.title
        );
    }
    ExitCode::SUCCESS
}

#[cfg(unix)]
/// Build binaries of `package` with cargo, in this program's profile, so
/// they land beside this program. Compiler errors and warnings go to the
/// terminal, as with `cargo build`.
fn build(package: &str, bins: &[&str]) -> bool {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.arg("build").arg("-q").arg("--manifest-path").arg(exercises::root().join("Cargo.toml"));
    command.args(["-p", package]);
    for bin in bins {
        command.args(["--bin", bin]);
    }
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    command.status().is_ok_and(|status| status.success())
}

#[cfg(unix)]
/// Where cargo put the binaries: beside this program.
fn binary(name: &str) -> PathBuf {
    let me = env::current_exe().expect("this program's path");
    me.parent().expect("a folder").join(name)
}

#[cfg(unix)]
fn programs(exercise: &Exercise, attempt: &str) -> Programs {
    let others = exercise.uses.iter().map(|name| (name.to_string(), binary(name))).collect();
    Programs { attempt: binary(attempt), others }
}

#[cfg(unix)]
/// What the check command checks.
#[derive(Debug, Clone, Copy)]
enum Attempt<'a> {
    /// The student's file, built first.
    Yours,
    /// The exercise's solution, built first.
    Solution,
    /// A program already built (the checker's own tests use it).
    Built(&'a str),
}

#[cfg(unix)]
/// Check `attempt`, and print the verdict; `watching` if `watch` checks
/// again at each save (the verdict then does not say to run `check`).
fn check(exercise: &'static Exercise, attempt: Attempt, watching: bool) -> ExitCode {
    let solution = matches!(attempt, Attempt::Solution);
    let (bin, file) = match attempt {
        Attempt::Solution => (exercise.solution(), exercise.solution_file()),
        _ => (exercise.name.to_owned(), exercise.file()),
    };
    print!("{}", exercise.header(solution));
    let mut bins = match attempt {
        Attempt::Built(_) => vec![],
        _ => vec![bin.as_str()],
    };
    bins.extend(exercise.uses);
    if !bins.is_empty() && !build(exercise.package, &bins) {
        println!("\nNot yet: {file} does not compile. The compiler's messages above say where.");
        match watching {
            true => println!("Fix them and save the file: it is checked again."),
            false => println!("Fix them, then check again:\n  {}", exercise.command()),
        }
        return ExitCode::FAILURE;
    }
    println!();
    let mut programs = programs(exercise, &bin);
    if let Attempt::Built(program) = attempt {
        programs.attempt = PathBuf::from(program);
    }
    let verdict = exercises::check(exercise, &programs);
    let source = match attempt {
        Attempt::Yours => fs::read_to_string(exercises::root().join(&file)).ok(),
        _ => None,
    };
    match watching {
        true => print!("{}", verdict.report_when_watching(source.as_deref())),
        false => print!("{}", verdict.report(source.as_deref())),
    }
    if verdict.passed() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

#[cfg(unix)]
fn watch(exercise: &'static Exercise, attempt: Attempt) -> ExitCode {
    let file = exercises::root().join(exercise.file());
    let changed = |file: &PathBuf| fs::metadata(file).and_then(|m| m.modified()).ok();
    loop {
        let seen: Option<SystemTime> = changed(&file);
        check(exercise, attempt, true);
        println!("\nWatching {}: save it to check again (Ctrl-C to stop).\n", exercise.file());
        while changed(&file) == seen {
            thread::sleep(Duration::from_millis(300));
        }
    }
}

#[cfg(unix)]
/// Both directions, through this command: every starter fails its checks,
/// for the reason its exercise names, and every solution passes. The starter
/// is the project's (`<chapter>/starters/`), never the student's file, which
/// may hold any attempt (it is not even built).
fn prove() -> ExitCode {
    let mut wrong = 0;
    for package in exercises::chapters() {
        let mut built = Vec::new();
        let mut uses: Vec<&str> = Vec::new();
        for exercise in exercises::all().iter().filter(|e| e.package == package) {
            built.push(exercise.solution());
            uses.extend(exercise.uses);
            built.push(exercise.starter());
        }
        let mut bins: Vec<&str> = built.iter().map(String::as_str).collect();
        bins.extend(uses);
        if !build(package, &bins) {
            eprintln!("error: the exercises of {package} do not build");
            return ExitCode::FAILURE;
        }
    }
    for exercise in exercises::all() {
        let starter = exercises::check(exercise, &programs(exercise, &exercise.starter()));
        let solution = exercises::check(exercise, &programs(exercise, &exercise.solution()));
        let starter_fails =
            starter.reason().is_some_and(|reason| reason.contains(exercise.starter_says));
        let ok = starter_fails && solution.passed();
        println!(
            "{} {:<24} starter: {:<6} solution: {}",
            if ok { "ok  " } else { "FAIL" },
            exercise.name,
            if starter_fails { "fails" } else { "WRONG" },
            if solution.passed() { "passes" } else { "FAILS" },
        );
        if !starter_fails {
            println!(
                "     the starter should fail, saying {:?}:\n{}",
                exercise.starter_says,
                starter.report(None)
            );
        }
        if !solution.passed() {
            println!("{}", solution.report(None));
        }
        for what in solution.skipped() {
            println!("     not checked on this system (no /proc): {what}");
        }
        wrong += usize::from(!ok);
    }
    if wrong == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

#[cfg(not(unix))]
fn main() -> std::process::ExitCode {
    eprintln!("error: the exercises' checks need a unix system (Linux or macOS): they fork");
    std::process::ExitCode::from(2)
}
