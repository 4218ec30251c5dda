//! pipes_child.py in Rust: the program pipes and pipes_plain start
//! on two pipes. std only, but for `common`'s calls, which
//! record pipes' `--trace` runs. It answers each line it reads on
//! stdin with a line on stdout, slowly. PIPES_SLEEP (seconds,
//! default 2) and PIPES_COUNT (default 2) make a run shorter.

use {
    common::{ends, trace},
    std::io::{self, BufRead, Write},
    std::os::unix::process::parent_id,
    std::process::{self, ExitCode},
    std::str::FromStr,
    std::{env, time::Duration},
};

/// Says who it is, its parent and its first argument on stderr;
/// then PIPES_COUNT times: sleeps, reads a line, sleeps, and
/// replies naming it, flushed. Stops early, with status 0, at
/// end-of-file. Exit status 1 if a read or write fails, 2 for a
/// bad PIPES_SLEEP or PIPES_COUNT (each said on stderr).
fn main() -> ExitCode {
    ends::join_trace("pipes_child"); // PIPES_TRACE: the parent's --trace
    let nap = setting("PIPES_SLEEP", 2.0).and_then(|secs| {
        Duration::try_from_secs_f64(secs)
            .map_err(|e| format!("PIPES_SLEEP={secs}: {e}"))
    });
    let (nap, count) = match (nap, setting("PIPES_COUNT", 2)) {
        (Ok(nap), Ok(count)) => (nap, count),
        (Err(why), _) | (_, Err(why)) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let (mypid, parent) = (process::id(), parent_id());
    let arg = env::args_os().nth(1).unwrap_or_default();
    let arg = arg.to_string_lossy();
    // to the terminal: stderr is not on a pipe
    eprintln!(
        "child {mypid} of parent {parent} started with [{arg}]"
    );
    match answer(nap, count, mypid) {
        Ok(()) if trace::lost() => ExitCode::FAILURE, // said already
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
    }
}

/// The loop of pipes_child.py: `count` times, sleep `nap`, read a
/// line from stdin (the parent's stdout), sleep `nap`, print
/// `child <pid> read [<line>]` on stdout (the parent's stdin) and
/// flush. Returns at end-of-file; an error says which call failed.
fn answer(
    nap: Duration,
    count: u32,
    mypid: u32,
) -> Result<(), String> {
    let (mut stdin, mut stdout) =
        (trace::reader(io::stdin()), io::stdout()); // --trace
    for _ in 0..count {
        trace::sleep(nap); // make the parent wait
        let mut line = String::new(); // from the parent's stdout
        let read = stdin.read_line(&mut line);
        if read.map_err(|e| format!("read stdin: {e}"))? == 0 {
            break; // end-of-file: it is gone
        }
        trace::sleep(nap);
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let reply = format!("child {mypid} read [{line}]");
        let sent = trace::writing(io::stdout(), &reply, || {
            writeln!(stdout, "{reply}")?;
            stdout.flush() // a pipe: not sent till then
        });
        sent.map_err(|e| format!("write stdout: {e}"))?;
    }
    Ok(())
}

/// The environment variable `name` as a `T`, `default` if it is not
/// set, or what is wrong with it.
fn setting<T: FromStr>(name: &str, default: T) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    match env::var(name) {
        Err(env::VarError::NotPresent) => Ok(default),
        Ok(value) => value
            .parse()
            .map_err(|e| format!("{name}={value:?}: {e}")),
        Err(e) => Err(format!("{name}: {e}")),
    }
}
