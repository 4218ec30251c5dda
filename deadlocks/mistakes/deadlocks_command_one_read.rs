//! A wrong attempt at "A large input through cat": one read, into
//! room for all of the input, takes what the pipe holds (64 KiB on
//! Linux), not all cat writes; then, the read end closed, cat and
//! the writing thread fail on a broken pipe. (tests/exercises.rs)
//!
//! This program sends BYTES bytes of numbered lines (default 1 MiB)
//! through `cat`, started with std's Command on two pipes, and checks
//! that they all come back as sent. Write `through_cat`: it gets the
//! input, and must start cat, send all of the input to cat's stdin,
//! close it, and read all of cat's stdout, up to end-of-file. Mind
//! std's own warning, in the docs of `Stdio::piped`: writing more
//! than a pipe's worth to a child without reading what it writes at
//! the same time may deadlock.
//!
//!     cargo run -q -p deadlocks --bin deadlocks_command -- 1000
//!     cargo run -q -p exercises -- check deadlocks_command

use std::env;
// ANCHOR: uses
use std::io::{self, Read, Write};
use std::process::{self, Command, ExitCode, Stdio};
use std::thread;
// ANCHOR_END: uses
use std::time::UNIX_EPOCH;

/// What the program sends when no BYTES is given: 1 MiB, sixteen
/// times what a pipe holds on Linux.
const DEFAULT_BYTES: usize = 1 << 20;

// ANCHOR: through
/// Starts `cat` with its stdin and stdout on two pipes, sends all of
/// `input` to its stdin, closes it, and returns all that cat wrote
/// on its stdout, up to end-of-file, once it has ended with status
/// 0. A thread writes while this one reads: neither pipe can stay
/// full. Returns the first error of the spawn, a write, a read or
/// the wait, or cat's failure.
fn through_cat(input: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut back = vec![0; input.len()]; // room for all of it
    let writer = thread::spawn(move || stdin.write_all(&input));
    // (the thread drops stdin when it is done: cat sees end-of-file)
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let got = stdout.read(&mut back)?; // one read: all of it?
    drop(stdout);
    back.truncate(got);
    writer.join().expect("the writing thread panicked")?;
    let status = child.wait()?;
    if !status.success() {
        let why = format!("cat ended badly: {status}");
        return Err(io::Error::other(why));
    }
    Ok(back)
}
// ANCHOR_END: through

/// `bytes` bytes of numbered lines, `line 000001\n` and on, the last
/// one cut short if it does not fit.
fn input(bytes: usize) -> Vec<u8> {
    let lines = (1..).map(|n| format!("line {n:06}\n"));
    let mut input: Vec<u8> = lines
        .take(bytes / 12 + 1)
        .flat_map(String::into_bytes)
        .collect();
    input.truncate(bytes);
    input
}

/// BYTES, the only argument (digits), else [`DEFAULT_BYTES`]; or
/// what is wrong with the command line.
fn bytes() -> Result<usize, String> {
    let args: Vec<String> = env::args().skip(1).collect();
    match &args[..] {
        [] => Ok(DEFAULT_BYTES),
        [bytes] if bytes.bytes().all(|b| b.is_ascii_digit()) => {
            bytes
                .parse()
                .map_err(|e| format!("BYTES {bytes:?}: {e}"))
        }
        _ => Err(format!("expected one number, BYTES: {args:?}")),
    }
}

/// Sends the input through `cat` and says on stdout that it came
/// back as sent: `Parent <pid> got [<n> bytes back, as sent] at
/// <time>`. Exit status 0 when it did, 1 when it did not or a call
/// failed (said on stderr), 2 for a bad command line.
fn main() -> ExitCode {
    let bytes = match bytes() {
        Ok(bytes) => bytes,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let sent = input(bytes);
    let back = match through_cat(sent.clone()) {
        Ok(back) => back,
        Err(why) => {
            eprintln!("error: through cat: {why}");
            return ExitCode::FAILURE;
        }
    };
    if back != sent {
        eprintln!(
            "error: sent {} bytes, got {} bytes back, not as sent",
            sent.len(),
            back.len()
        );
        return ExitCode::FAILURE;
    }
    let time =
        UNIX_EPOCH.elapsed().unwrap_or_default().as_secs_f64();
    let (mypid, n) = (process::id(), back.len());
    println!(
        "Parent {mypid} got [{n} bytes back, as sent] at {time:.2}"
    );
    ExitCode::SUCCESS
}
