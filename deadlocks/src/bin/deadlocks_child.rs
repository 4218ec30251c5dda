//! deadlocks_child.py in Rust: the program deadlocks starts on
//! two pipes. It answers each line it reads on stdin with a line
//! on stdout, at once, through the writer its one argument names;
//! `echo` copies its input back as it comes. Its three lines
//! marked `--trace` record into the parent's trace, if any.

use {
    common::{ends, trace},
    std::io::{self, BufRead, BufWriter, LineWriter, Read, Write},
    std::process::{self, ExitCode},
};

/// How it writes: `deadlocks_child [MODE]`, default `bufwriter`.
const USAGE: &str = "usage: deadlocks_child \
    [bufwriter|flush|line-writer|println|echo]";

/// Answers each line of stdin with `child <pid> read [<line>]` on
/// stdout, until end-of-file, through the writer the argument
/// names: `bufwriter` (a BufWriter, flushed only when its 8 KiB
/// are full or at exit), `flush` (the same, flushed after each
/// line), `line-writer` (a LineWriter: each line written at its
/// newline), `println` (std's stdout, a LineWriter too), or `echo`
/// (stdin copied to stdout, each read written at once). Exit
/// status 0 at end-of-file, 1 if a read or write fails (said on
/// stderr), 2 for any other argument.
fn main() -> ExitCode {
    ends::join_trace("deadlocks_child"); // --trace: the parent's trace
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("bufwriter", String::as_str);
    let stdout = io::stdout(); // std's: a LineWriter on fd 1
    let answered = match (mode, args.len()) {
        (_, 2..) => Err(USAGE.to_owned()),
        ("bufwriter", _) => answer(BufWriter::new(stdout), false),
        ("flush", _) => answer(BufWriter::new(stdout), true),
        ("line-writer", _) => {
            answer(LineWriter::new(stdout), false)
        }
        ("println", _) => answer(stdout, false),
        ("echo", _) => echo(),
        _ => Err(USAGE.to_owned()),
    };
    match answered {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) if why == USAGE => {
            eprintln!("error: {why}");
            ExitCode::from(2)
        }
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
    }
}

/// The loop: for each line read, a reply written into `out`; then
/// `out.flush()` if `flush`. At end-of-file, a last flush (as a
/// BufWriter's drop would do, but seeing its error). Traced, each
/// read is recorded, and each reply as a `write`, or as `buffered`
/// if no byte of it reached the pipe.
fn answer(mut out: impl Write, flush: bool) -> Result<(), String> {
    let mypid = process::id();
    for line in trace::reader(io::stdin()).lines() {
        // --trace
        let line = line.map_err(|e| format!("read stdin: {e}"))?;
        let reply = format!("child {mypid} read [{line}]");
        trace::writing(io::stdout(), &reply, || {
            // --trace
            writeln!(out, "{reply}")?; // to the parent?
            if flush {
                out.flush()?; // now it is sent
            }
            Ok(())
        })
        .map_err(|e| format!("write stdout: {e}"))?;
    }
    out.flush().map_err(|e| format!("write stdout: {e}"))
}

/// `echo`: each read of stdin (at most 64 KiB) written to stdout at
/// once, until end-of-file. std's stdin and stdout have buffers of
/// their own, but a read as large as this goes past stdin's, and
/// each write is flushed: what it holds is at most one read.
fn echo() -> Result<(), String> {
    let (mut stdin, mut stdout) = (io::stdin(), io::stdout());
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let got = match stdin.read(&mut buffer) {
            Ok(0) => return Ok(()), // end-of-file
            Ok(got) => got,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                continue;
            }
            Err(e) => return Err(format!("read stdin: {e}")),
        };
        stdout
            .write_all(&buffer[..got])
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("write stdout: {e}"))?;
    }
}
