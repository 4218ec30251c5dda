//! `timeline`: draw a `--trace` file as a timeline, or a `--show-fds` output
//! as who holds which end, in SVG on stdout.
//!
//! ```text
//! pipe1 --count 11 --tick 100ms --trace run.jsonl
//! timeline run.jsonl > run.svg
//! pipe2 --count 1 --tick 0 --show-fds 2> fds.txt
//! timeline --fds fds.txt > fds.svg
//! pipes --count 2 --tick 100ms --trace both.jsonl
//! timeline --holds both.jsonl > holds.svg
//! ```

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Draw a run of pipe1, pipe2, pipe_thread or pipes as an SVG picture, on stdout
#[derive(Parser, Debug)]
#[command(name = "timeline")]
struct Options {
    /// A trace (`--trace FILE` of any of the programs), or with --fds the
    /// stderr of a `--show-fds` run
    input: PathBuf,

    /// Draw who holds which pipe end, from a `--show-fds` run's stderr
    #[arg(long)]
    fds: bool,

    /// Draw who holds which end of each pipe, stage by stage (before dup2,
    /// after it, after exec), from the holds events of a trace of two pipes
    /// (pipes --trace)
    #[arg(long, conflicts_with = "fds")]
    holds: bool,

    /// The picture's title (its accessible name)
    #[arg(long, default_value = "A run")]
    title: String,

    /// Draw the trace even if it is not a run a pipe can make (bytes lost,
    /// reordered, or read before they were written): by default that is an error
    #[arg(long)]
    no_check: bool,
}

/// Why no picture was drawn, and the exit status that says it.
enum Failure {
    /// A system call failed (the input cannot be read): status 1.
    System(String),
    /// The input is not what it should be: no events, a line that is not an
    /// event, a run no pipe can make: status 2, as for a bad option.
    Input(String),
}

fn main() -> ExitCode {
    let opts = Options::parse();
    match draw(&opts) {
        Ok(svg) => match io::stdout().write_all(svg.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => fail(&format!("cannot write the picture: {e}"), ExitCode::FAILURE),
        },
        Err(Failure::System(e)) => fail(&e, ExitCode::FAILURE),
        Err(Failure::Input(e)) => fail(&e, ExitCode::from(2)),
    }
}

fn draw(opts: &Options) -> Result<String, Failure> {
    let text = std::fs::read_to_string(&opts.input)
        .map_err(|e| Failure::System(format!("cannot read {}: {e}", opts.input.display())))?;
    let name = opts.input.display();
    if opts.fds {
        let holders =
            timeline::holders::parse(&text).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
        return Ok(timeline::holders::picture(&holders, &opts.title));
    }
    let run = timeline::recorded::Run::parse(&text)
        .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    if opts.holds {
        let stages = timeline::holders::Stages::of(&run)
            .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
        return Ok(timeline::holders::stages_picture(&stages, &opts.title));
    }
    if !opts.no_check {
        run.check().map_err(|e| Failure::Input(format!("{name} is not a possible run: {e}")))?;
    }
    timeline::two_way::lanes_drawn(&run).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    Ok(timeline::draw::timeline(&run, &opts.title))
}

fn fail(message: &str, status: ExitCode) -> ExitCode {
    let _ = io::stderr().write_all(format!("timeline: {message}\n").as_bytes());
    status
}
