//! The command line the three programs share.
//!
//! Run with no options, every program behaves as the book's: it runs forever
//! with a one-second tick, until Ctrl-C. The options make a run bounded and
//! fast (for the tests and the book) or make a race certain (`--late-reader`).

use std::time::Duration;

use clap::{Args, Parser};

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
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub count: Option<u64>,

    /// The unit of the 0,1,2,3,4 sleep schedule: 1s, 250ms, 10ms, or 0 for flat out
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_tick, allow_hyphen_values = true)]
    pub tick: Duration,

    /// Print on stderr which pipe ends each process holds (Linux)
    #[arg(long)]
    pub show_fds: bool,

    /// Record every read, write and sleep of the run in FILE, one JSON object a line
    #[arg(long, value_name = "FILE", value_parser = crate::trace::start)]
    pub trace: Option<std::path::PathBuf>,
}

/// The options of pipe1 and pipe_thread, which read raw bytes.
#[derive(Parser, Debug, Clone, PartialEq, Eq)]
pub struct Unframed {
    #[command(flatten)]
    pub run: RunOptions,

    /// Read at most BYTES bytes a time, as os.read(fd, 32) does (1 to 65536)
    #[arg(long, value_name = "BYTES", default_value_t = 32, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_READ_SIZE)))]
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
// ANCHOR_END: options

// ANCHOR: parse
/// Parse the command line into `T`, naming the program `name` and describing
/// it with `about` in `--help`. A bad option or value prints clap's error and
/// exits with status 2; `--help` prints the help and exits with 0.
pub fn parse<T: Parser>(name: &'static str, about: &'static str) -> T {
    let command = T::command().name(name).about(about);
    let matches = command.get_matches();
    T::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}
// ANCHOR_END: parse

/// `--tick`: a duration such as `1s`, `250ms` or `0`, at most [`MAX_TICK`].
fn parse_tick(text: &str) -> Result<Duration, String> {
    let tick = humantime::parse_duration(text)
        .map_err(|e| format!("not a duration such as 1s, 250ms or 0: {e}"))?;
    if tick > MAX_TICK {
        return Err("longer than the longest tick, 1h".to_owned());
    }
    Ok(tick)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn framed_programs_have_no_read_size() {
        let err = Framed::try_parse_from(["pipe2", "--read-size", "5"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
