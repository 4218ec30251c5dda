//! The command line the three programs share.
//!
//! Run with no options, every program behaves as the book's: it runs forever
//! with a one-second tick, until Ctrl-C. The options make a run bounded and
//! fast (for the tests and the book) or make a race certain (`--late-reader`).

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::{Arg, Args, Command, Parser};

/// The largest `--read-size`: 64 KiB, what a Linux pipe holds by default, so a
/// bigger buffer could never be filled by one read.
pub const MAX_READ_SIZE: u32 = 64 * 1024;

/// The longest `--tick`: one hour. Four ticks must still fit in a `Duration`.
pub const MAX_TICK: Duration = Duration::from_secs(60 * 60);

// ANCHOR: options
/// Options of every program: how many messages, and how fast.
#[derive(Args, Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Send N messages, then finish and exit (default: forever, as the book)
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = Strict(parse_count))]
    pub count: Option<u64>,

    /// The unit of the 0,1,2,3,4 sleep schedule: 1s, 250ms, 10ms, or 0 for flat out
    #[arg(long, value_name = "DURATION", default_value = "1s",
          value_parser = Strict(parse_tick), allow_hyphen_values = true)]
    pub tick: Duration,

    /// Print on stderr which pipe ends each process holds (unix)
    #[arg(long)]
    pub show_fds: bool,

    /// Record every read, write and sleep of the run in FILE (emptied first), one
    /// JSON object a line. If FILE cannot be written, the run says so, goes on
    /// untraced, and exits with status 1
    #[arg(long, value_name = "FILE", value_parser = Strict(parse_path))]
    pub trace: Option<PathBuf>,
}

/// The options of pipe1 and pipe_thread, which read raw bytes.
#[derive(Parser, Debug, Clone, PartialEq, Eq)]
pub struct Unframed {
    #[command(flatten)]
    pub run: RunOptions,

    /// Read at most BYTES bytes a time, as os.read(fd, 32) does (1 to 65536)
    #[arg(long, value_name = "BYTES", default_value_t = 32, allow_negative_numbers = true,
          value_parser = Strict(parse_read_size))]
    pub read_size: u32,

    /// Do not read until the writer has finished, so every message is already
    /// in the pipe: makes the clumping certain
    #[arg(long)]
    pub late_reader: bool,
}

/// The options of pipe2, which reads lines.
#[derive(Parser, Debug, Clone, PartialEq, Eq)]
pub struct Framed {
    #[command(flatten)]
    pub run: RunOptions,
}

/// Every program's options hold the shared ones: `common::main` finds
/// `--trace` there.
impl AsRef<RunOptions> for Unframed {
    fn as_ref(&self) -> &RunOptions {
        &self.run
    }
}

impl AsRef<RunOptions> for Framed {
    fn as_ref(&self) -> &RunOptions {
        &self.run
    }
}
// ANCHOR_END: options

/// The options of pipes, which starts a program on two pipes: a bounded
/// run's greetings and pace, and the program to start, after `--`.
#[derive(Parser, Debug, Clone, PartialEq, Eq)]
#[command(mut_arg("count", |count| count.help(format!(
    "Send N greetings, then close the pipe and exit (default: {BOOK_GREETINGS}, as the book)"
))))]
#[command(mut_arg("tick", |tick| tick.help(
    "The child sleeps 2 ticks before each read and 2 before each reply: 1s (the book's \
     pace), 250ms, 10ms, or 0 for flat out"
)))]
pub struct Spawning {
    #[command(flatten)]
    pub run: RunOptions,

    /// The program to start and its arguments, after `--` (default: pipes_child spam,
    /// the program beside this one)
    #[arg(last = true, value_name = "PROGRAM")]
    pub command: Vec<OsString>,
}

/// How many greetings pipes.py sends: pipes' default `--count`.
pub const BOOK_GREETINGS: u64 = 2;

impl Spawning {
    /// How many greetings to send: `--count`, else [`BOOK_GREETINGS`].
    pub fn greetings(&self) -> u64 {
        self.run.count.unwrap_or(BOOK_GREETINGS)
    }

    /// Set, in this process's environment, the settings the child reads from
    /// its own (an environment crosses `execvp`): `PIPES_COUNT`, the
    /// greetings it answers, and `PIPES_SLEEP`, the seconds it sleeps before
    /// each read and each reply, 2 ticks (2 s at the book's pace). Both
    /// children read them (`pipes_child`, `python/pipes_child.py`); another
    /// program ignores them. With `--trace`, also `PIPES_TRACE`
    /// ([`crate::trace::TRACE_VAR`]), the trace's path, which `pipes_child`
    /// joins (see [`crate::trace::join`]): the trace's own descriptor is
    /// close-on-exec, and does not cross `exec`. Untraced, `PIPES_TRACE` is
    /// taken out of the environment, so that the child joins no trace.
    ///
    /// # Safety
    ///
    /// No other thread may read or write the environment meanwhile (see
    /// [`std::env::set_var`]): call it where this is the only thread, as in
    /// the child after `fork`.
    pub unsafe fn tell_child(&self) {
        let sleep = (self.run.tick * 2).as_secs_f64();
        for (name, value) in
            [("PIPES_COUNT", self.greetings().to_string()), ("PIPES_SLEEP", sleep.to_string())]
        {
            // SAFETY: our caller promises that no other thread uses the environment.
            unsafe { std::env::set_var(name, value) };
        }
        let traced = self.run.trace.as_ref().filter(|_| crate::trace::enabled());
        if let Some(path) = traced {
            // SAFETY: as above.
            unsafe { std::env::set_var(crate::trace::TRACE_VAR, path) };
        } else {
            // Untraced: no PIPES_TRACE of our own environment reaches the child.
            // SAFETY: as above.
            unsafe { std::env::remove_var(crate::trace::TRACE_VAR) };
        }
    }
}

#[cfg(unix)]
impl Spawning {
    /// The program to start, as `execvp` takes it: the words after `--`,
    /// else `pipes_child spam`, the program beside this one (on PATH if this
    /// one's path is unknown). An error if a word holds a NUL byte, which no
    /// word of a command line can.
    pub fn argv(&self) -> std::io::Result<Vec<std::ffi::CString>> {
        use std::os::unix::ffi::OsStrExt;
        let beside = std::env::current_exe().map(|me| me.with_file_name("pipes_child"));
        let default = [beside.unwrap_or_else(|_| "pipes_child".into()).into(), "spam".into()];
        let words = if self.command.is_empty() { &default[..] } else { &self.command[..] };
        (words.iter())
            .map(|word| std::ffi::CString::new(word.as_bytes()).map_err(std::io::Error::other))
            .collect()
    }
}

impl AsRef<RunOptions> for Spawning {
    fn as_ref(&self) -> &RunOptions {
        &self.run
    }
}

// ANCHOR: parse
/// Parse the command line into `T`, naming the program `name` and describing
/// it with `about` in `--help`. A bad option or value is an error whose
/// first line names it (`clap` prints it, and the program exits with status
/// 2); so is `--help` or `--version`, whose text goes to stdout (see
/// `common::main`).
pub fn parse<T: Parser>(name: &'static str, about: &'static str) -> Result<T, clap::Error> {
    parse_from(name, about, std::env::args_os())
}
// ANCHOR_END: parse

/// [`parse`] the words `args`, the first of them the program's name.
pub fn parse_from<T: Parser>(
    name: &'static str,
    about: &'static str,
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
) -> Result<T, clap::Error> {
    let command = T::command().name(name).about(about);
    let command = command.version(env!("CARGO_PKG_VERSION")).after_help(VALUES);
    T::from_arg_matches(&command.try_get_matches_from(args)?)
}

/// What every option's value may be, said once at the end of `--help`.
pub const VALUES: &str = "\
Values: N and BYTES are digits only (no sign, no spaces); a DURATION is one
whole number and its unit (h, m, s, ms, us, ns), as 1s or 250ms, or 0.";

// ANCHOR: strict
/// The rules of [`VALUES`], for every option alike. A value that is not
/// UTF-8 text is an error that names the option and shows the value's bytes.
#[derive(Clone, Copy, Debug)]
struct Strict<T>(fn(&str) -> Result<T, String>);

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Strict<T> {
    type Value = T;

    fn parse_ref(&self, cmd: &Command, arg: Option<&Arg>, value: &OsStr) -> Result<T, clap::Error> {
        if value.to_str().is_some() {
            return self.0.parse_ref(cmd, arg, value);
        }
        // clap's own message would name neither the option nor the value.
        let shown = value.as_encoded_bytes().escape_ascii().to_string();
        let not_utf8 = |_: &str| Err::<T, _>("not UTF-8 text");
        not_utf8.parse_ref(cmd, arg, OsStr::new(&shown))
    }
}
// ANCHOR_END: strict

/// A whole number written with digits only: no sign, no spaces.
fn parse_digits(text: &str) -> Result<u64, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a whole number written with digits only, such as 5".to_owned());
    }
    text.parse().map_err(|_| format!("too large: at most {}", u64::MAX))
}

/// `--trace`: a path, opened only once the whole command line is good (see
/// [`crate::trace::start`]).
fn parse_path(text: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(text))
}

/// `--count`: a whole number of messages.
fn parse_count(text: &str) -> Result<u64, String> {
    parse_digits(text)
}

/// `--read-size`: 1 to [`MAX_READ_SIZE`] bytes.
fn parse_read_size(text: &str) -> Result<u32, String> {
    let bytes = parse_digits(text)?;
    match u32::try_from(bytes) {
        Ok(bytes) if (1..=MAX_READ_SIZE).contains(&bytes) => Ok(bytes),
        _ => Err(format!("not from 1 to {MAX_READ_SIZE}")),
    }
}

/// `--tick`: one whole number and its unit, such as `1s` or `250ms`, or `0`;
/// at most [`MAX_TICK`].
fn parse_tick(text: &str) -> Result<Duration, String> {
    let not_a_duration = || {
        "not a duration: one whole number and its unit (h, m, s, ms, us, ns), as 1s or 250ms, or 0"
            .to_owned()
    };
    let unit_starts = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_starts);
    let number = parse_digits(number).map_err(|_| not_a_duration())?;
    let tick = match unit {
        "" if number == 0 => Some(Duration::ZERO),
        "h" => Duration::from_secs(number).checked_mul(60 * 60),
        "m" => Duration::from_secs(number).checked_mul(60),
        "s" => Some(Duration::from_secs(number)),
        "ms" => Some(Duration::from_millis(number)),
        "us" => Some(Duration::from_micros(number)),
        "ns" => Some(Duration::from_nanos(number)),
        _ => return Err(not_a_duration()),
    };
    match tick {
        Some(tick) if tick <= MAX_TICK => Ok(tick),
        _ => Err("longer than the longest tick, 1h".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    fn unframed(args: &[&str]) -> Result<Unframed, clap::Error> {
        Unframed::try_parse_from(std::iter::once("pipe1").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_are_the_books() {
        let opts = unframed(&[]).unwrap();
        assert_eq!(
            opts.run,
            RunOptions { count: None, tick: Duration::from_secs(1), show_fds: false, trace: None }
        );
        assert_eq!(opts.read_size, 32);
        assert!(!opts.late_reader);
    }

    #[test]
    fn tick_takes_human_durations_and_zero() {
        for (text, tick) in [("250ms", 250), ("10ms", 10), ("0", 0), ("2s", 2000)] {
            let opts = unframed(&["--tick", text]).unwrap();
            assert_eq!(opts.run.tick, Duration::from_millis(tick), "--tick {text}");
        }
    }

    #[test]
    fn bad_values_are_usage_errors_naming_the_option() {
        for args in [
            &["--count", "abc"][..],
            &["--count", "-1"],
            &["--count", "99999999999999999999"],
            &["--tick", "5parsecs"],
            &["--tick", "-1s"],
            &["--tick", "2h"],
            &["--read-size", "0"],
            &["--read-size", "65537"],
        ] {
            let err = unframed(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
            let first = err.to_string().lines().next().unwrap().to_owned();
            assert!(first.contains(args[0]) && first.contains(args[1]), "{args:?}: {first}");
        }
    }

    #[test]
    fn every_option_takes_digits_only_and_one_unit() {
        let ok = unframed(&["--count", "007", "--tick", "2m", "--read-size", "65536"]).unwrap();
        assert_eq!(
            (ok.run.count, ok.run.tick, ok.read_size),
            (Some(7), Duration::from_secs(120), 65536)
        );
        for (option, value) in [
            ("--count", "+5"),
            ("--count", " 5"),
            ("--count", "5 "),
            ("--count", ""),
            ("--read-size", "+8"),
            ("--read-size", " 8"),
            ("--tick", "+1s"),
            ("--tick", " 1s"),
            ("--tick", "1s "),
            ("--tick", "1 s"),
            ("--tick", "1s 1ms"),
            ("--tick", "1s1ms"),
            ("--tick", "1.5s"),
            ("--tick", "1"),
            ("--tick", "1S"),
            ("--tick", "1sec"),
            ("--tick", "99999999999999999999h"),
        ] {
            let err = unframed(&[option, value]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ValueValidation, "{option} {value:?}");
            let first = err.to_string().lines().next().unwrap().to_owned();
            assert!(first.contains(&format!("'{value}' for '{option}")), "{first}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_utf8_is_named_with_its_option() {
        use std::os::unix::ffi::OsStrExt;
        for option in ["--count", "--tick", "--read-size", "--trace"] {
            let value = OsStr::from_bytes(b"5\xff");
            let err = Unframed::try_parse_from([OsStr::new("pipe1"), OsStr::new(option), value])
                .unwrap_err();
            assert_eq!(err.exit_code(), 2);
            let first = err.to_string().lines().next().unwrap().to_owned();
            assert!(first.contains(option) && first.contains(r"5\xff"), "{first}");
            assert!(first.ends_with("not UTF-8 text"), "{first}");
        }
    }

    #[test]
    fn version_and_help_are_errors_whose_text_goes_to_stdout() {
        for (flag, kind, text) in [
            ("--version", ErrorKind::DisplayVersion, concat!("pipe1 ", env!("CARGO_PKG_VERSION"))),
            ("-V", ErrorKind::DisplayVersion, concat!("pipe1 ", env!("CARGO_PKG_VERSION"))),
            ("--help", ErrorKind::DisplayHelp, "Values: N and BYTES are digits only"),
        ] {
            let err = parse_from::<Unframed>("pipe1", "about", ["pipe1", flag]).unwrap_err();
            assert_eq!(err.kind(), kind, "{flag}");
            assert!(!err.use_stderr(), "{flag}");
            assert!(err.render().to_string().contains(text), "{flag}: {}", err.render());
        }
    }

    #[test]
    fn framed_programs_have_no_read_size() {
        let err = Framed::try_parse_from(["pipe2", "--read-size", "5"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownArgument);
    }
}
