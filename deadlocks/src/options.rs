//! deadlocks' command line: which demonstration, which fix, the bound.

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use std::ffi::OsString;
use std::io;
use std::process::{Command, ExitCode};
use std::time::Duration;

/// The exit status of a run whose deadlock the watch caught: not 0 (it did
/// not end by itself), not 1 (no call failed), not 2 (the input was good).
pub const DEADLOCK_CAUGHT: u8 = 3;

/// The longest `--bound`: a demonstration is for watching, not waiting.
const MAX_BOUND: Duration = Duration::from_secs(60);

/// Which deadlock to show.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demo {
    /// 1a: the Python child prints its replies and never flushes
    PythonChild,
    /// 1a: the Rust child writes its replies through a BufWriter it never flushes
    RustChild,
    /// 1b: the parent writes --bytes to an echoing child before it reads one
    FullPipes,
    /// 1c: the parent's greeting stays in its own BufWriter
    ParentGreeting,
}

/// How to fix it.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// The writer flushes after each line (python-child, rust-child, parent-greeting)
    Flush,
    /// python3 -u: Python's stdout unbuffered (python-child)
    Unbuffered,
    /// The Rust child writes through a LineWriter (rust-child)
    LineWriter,
    /// The child's stdout is a pseudo-terminal, the child unchanged (python-child;
    /// rust-child, where it fixes nothing)
    Pty,
    /// A thread writes while the main thread reads (full-pipes)
    Thread,
    /// A thread writes while Child::wait_with_output reads (full-pipes)
    WaitWithOutput,
}

impl Demo {
    /// The fixes that belong to this demonstration.
    pub fn fixes(self) -> &'static [Fix] {
        match self {
            Demo::PythonChild => &[Fix::Flush, Fix::Unbuffered, Fix::Pty],
            Demo::RustChild => &[Fix::Flush, Fix::LineWriter, Fix::Pty],
            Demo::FullPipes => &[Fix::Thread, Fix::WaitWithOutput],
            Demo::ParentGreeting => &[Fix::Flush],
        }
    }
}

/// The options: see `--help`.
#[derive(Parser, Debug, Clone)]
pub struct Options {
    /// Which deadlock to show
    #[arg(value_enum)]
    pub demo: Demo,

    /// Fix it (each demonstration has its own fixes: see above)
    #[arg(long, value_enum, value_name = "FIX")]
    pub fix: Option<Fix>,

    /// How long the conversation may take before it is called a deadlock: the
    /// child is then killed, and the exit status is 3
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_bound)]
    pub bound: Duration,

    /// How many greetings the parent sends (python-child, rust-child, parent-greeting)
    #[arg(long, value_name = "N", default_value = "2", value_parser = parse_digits,
          allow_negative_numbers = true)]
    pub count: u64,

    /// How many bytes full-pipes sends, and expects back
    #[arg(long, value_name = "BYTES", default_value = "1048576", value_parser = parse_digits,
          allow_negative_numbers = true)]
    pub bytes: u64,

    /// The Python interpreter of python-child, run with -E (so that
    /// PYTHONUNBUFFERED in the environment changes nothing)
    #[arg(long, value_name = "PROGRAM", default_value = "python3")]
    pub python: OsString,

    /// Record the run into FILE, one JSON line per event (for `timeline`):
    /// the parent's greetings and reads, the Rust child's (across exec), and
    /// at the bound where each waits
    #[arg(long, value_name = "FILE")]
    pub trace: Option<std::path::PathBuf>,
}

const ABOUT: &str = "\
The book's \"Output stream buffering revisited: deadlocks and flushes\": a
parent and its child on two pipes, each waiting for the other. Each DEMO
deadlocks, every run; after --bound the parent says which process waits in
which call on which pipe, and why, kills the child and exits with status 3.
With --fix, it ends.
Try: deadlocks python-child, then deadlocks python-child --fix pty";

const EXIT: &str = "\
Exit status: 0 the conversation ended; 1 a call failed (said on stderr);
2 bad input; 3 a deadlock caught after --bound (the child killed and reaped).";

/// The command line, checked: a fix that does not belong to the demonstration
/// is a usage error. On an error, clap's message is printed (stderr for an
/// error, stdout for `--help` and `--version`) and the exit status returned:
/// 2 for an error, 0 for help.
pub fn parse() -> Result<Options, ExitCode> {
    let command = Options::command().name("deadlocks").about(ABOUT);
    let mut command = command
        .version(env!("CARGO_PKG_VERSION"))
        .after_help(format!("{}\n\n{EXIT}", common::options::VALUES));
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|matches| Options::from_arg_matches(&matches));
    let checked = parsed.and_then(|opts| match opts.fix {
        Some(fix) if !opts.demo.fixes().contains(&fix) => {
            let name =
                |value: &dyn Fn() -> Option<clap::builder::PossibleValue>| {
                    value().map(|v| v.get_name().to_owned()).unwrap_or_default()
                };
            let fixes: Vec<String> = opts
                .demo
                .fixes()
                .iter()
                .map(|f| name(&|| f.to_possible_value()))
                .collect();
            Err(command.error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "--fix {} does not fix {}: its fixes are {}",
                    name(&|| fix.to_possible_value()),
                    name(&|| opts.demo.to_possible_value()),
                    fixes.join(", ")
                ),
            ))
        }
        _ => Ok(opts),
    });
    checked.map_err(|e| {
        let _ = e.print(); // if it cannot be written, nobody can be told
        ExitCode::from(e.exit_code() as u8)
    })
}

// ANCHOR: child_command
impl Options {
    /// The child this demonstration starts, as a `Command` (its stdin and
    /// stdout not yet set; it stays in our process group, so that Ctrl-C
    /// ends it with us):
    ///
    /// - python-child: `<python> -E -B [-u] python/deadlocks_child.py [flush]`,
    ///   the interpreter itself (see [`Options::interpreter`]);
    /// - rust-child: `deadlocks_child bufwriter|flush|line-writer`;
    /// - full-pipes: `deadlocks_child echo`;
    /// - parent-greeting: `deadlocks_child flush` (the child is right).
    ///
    /// `deadlocks_child` is the program beside this one; with `--trace`, its
    /// environment names the trace ([`common::trace::TRACE_VAR`]), and
    /// without, it has no such variable.
    pub fn child_command(&self) -> io::Result<Command> {
        let command = match self.demo {
            Demo::PythonChild => {
                let mut command = Command::new(self.interpreter()?);
                command.arg("-E"); // PYTHONUNBUFFERED and the others: ignored
                // No .pyc written: /proc's count of its writes is its output.
                command.arg("-B");
                if self.fix == Some(Fix::Unbuffered) {
                    command.arg("-u"); // the fix: no buffer at all
                }
                command.arg(PYTHON_CHILD);
                if self.fix == Some(Fix::Flush) {
                    command.arg("flush"); // the fix: flush after each print
                }
                command
            }
            Demo::RustChild | Demo::FullPipes | Demo::ParentGreeting => {
                let beside =
                    std::env::current_exe()?.with_file_name("deadlocks_child");
                let mut command = Command::new(beside);
                command.arg(match (self.demo, self.fix) {
                    (Demo::FullPipes, _) => "echo",
                    (Demo::ParentGreeting, _) | (_, Some(Fix::Flush)) => {
                        "flush"
                    }
                    (_, Some(Fix::LineWriter)) => "line-writer",
                    _ => "bufwriter", // the deadlock, and the pty that cannot help
                });
                // --trace: the child records into our trace (see
                // common::ends::join_trace); else it records nothing.
                match &self.trace {
                    Some(path) => command.env(common::trace::TRACE_VAR, path),
                    None => command.env_remove(common::trace::TRACE_VAR),
                };
                command
            }
        };
        Ok(command)
    }

    /// The interpreter `--python` names, as Python itself reports it
    /// (`sys.executable`): a `python3` on PATH may be a launcher script
    /// (pyenv's) that starts the interpreter as one more process, which the
    /// watch would see waiting for its child instead of in a read.
    fn interpreter(&self) -> io::Result<OsString> {
        let python = self.python.to_string_lossy().into_owned();
        let asked = Command::new(&self.python)
            .args(["-E", "-c", "import sys; sys.stdout.write(sys.executable)"])
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot run {python}: {e}"))
            })?;
        match String::from_utf8(asked.stdout) {
            Ok(path) if asked.status.success() && !path.is_empty() => {
                Ok(path.into())
            }
            _ => Err(io::Error::other(format!(
                "{python} did not say where it is"
            ))),
        }
    }
}
// ANCHOR_END: child_command

/// python/deadlocks_child.py, in this checkout.
const PYTHON_CHILD: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../python/deadlocks_child.py");

/// `--count`, `--bytes`: a whole number written with digits only.
fn parse_digits(text: &str) -> Result<u64, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            "not a whole number written with digits only, such as 5".to_owned()
        );
    }
    text.parse().map_err(|_| format!("too large: at most {}", u64::MAX))
}

/// `--bound`: a duration as [`common::options::VALUES`] says (one whole
/// number and its unit: h, m, s, ms, us, ns), more than 0 and at most
/// [`MAX_BOUND`].
fn parse_bound(text: &str) -> Result<Duration, String> {
    let not_a_duration = || {
        "not a duration: one whole number and its unit (h, m, s, ms, us, ns), \
         as 2s or 500ms"
            .to_owned()
    };
    let unit_starts =
        text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_starts);
    let number = parse_digits(number).map_err(|_| not_a_duration())?;
    let bound = match unit {
        "" if number == 0 => Duration::ZERO,
        "h" => Duration::from_secs(number.saturating_mul(60 * 60)),
        "m" => Duration::from_secs(number.saturating_mul(60)),
        "s" => Duration::from_secs(number),
        "ms" => Duration::from_millis(number),
        "us" => Duration::from_micros(number),
        "ns" => Duration::from_nanos(number),
        _ => return Err(not_a_duration()),
    };
    match bound {
        Duration::ZERO => {
            Err("a bound of 0 would call every run a deadlock".to_owned())
        }
        bound if bound > MAX_BOUND => {
            Err("longer than the longest bound, 1m".to_owned())
        }
        bound => Ok(bound),
    }
}
