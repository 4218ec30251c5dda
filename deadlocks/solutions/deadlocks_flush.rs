//! Exercise "The reply that stays in a buffer": deadlocks chapter;
//! easy, about 10 minutes.
//!
//! This program is both sides of a conversation. Run without an
//! argument it is the parent: it starts itself again as its child
//! (with the argument `child`) on two pipes, with std's Command,
//! sends it three greetings, one at a time, and prints each reply
//! as it comes. The child answers every line it reads, through a
//! BufWriter. Run it: it prints nothing, and never ends.
//!
//!     cargo run -q -p deadlocks --bin deadlocks_flush
//!
//! (Ctrl-C stops it.) The check runs it the same way, and once both
//! processes have slept for two seconds it says which waits in which
//! call. Find where the first reply is, and fix the child's side,
//! `answer`, in the gap marked TODO, so that each reply reaches the
//! parent as soon as it is written. Keep the BufWriter.
//!
//!     cargo run -q -p exercises -- check deadlocks_flush

use std::env;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::{self, Command, ExitCode, Stdio};
use std::time::UNIX_EPOCH;

/// How many greetings the parent sends, one at a time.
const GREETINGS: u32 = 3;

// ANCHOR: answer
/// The child's side: reads lines from `input` until end-of-file and
/// answers each with `child <pid> read [<line>]` through `output`,
/// the buffer in front of the pipe to the parent. Each reply is
/// flushed as soon as it is written: the parent waits for it before
/// it sends the next line. Returns the first error of a read, a
/// write or a flush.
fn answer(
    input: impl BufRead,
    output: &mut BufWriter<impl Write>,
) -> io::Result<()> {
    let pid = process::id();
    for line in input.lines() {
        writeln!(output, "child {pid} read [{}]", line?)?;
        output.flush()?; // the parent waits for this line: send it
    }
    Ok(())
}
// ANCHOR_END: answer

/// The child: [`answer`] on its stdin and stdout, stdout behind a
/// BufWriter (8 KiB, as Python's block buffer on a pipe).
fn child() -> Result<(), String> {
    let mut output = BufWriter::new(io::stdout());
    answer(io::stdin().lock(), &mut output)
        .map_err(|e| format!("child: {e}"))
}

/// The parent: starts this program again as its child on two pipes,
/// sends it [`GREETINGS`] greetings, each in one write, and waits
/// for each reply before the next, printing it on stdout as
/// `Parent <pid> got [<reply>] at <time>`; then closes the child's
/// stdin (end-of-file) and reaps it. An error says which call
/// failed, or that the child ended early or badly.
fn parent() -> Result<(), String> {
    let me = env::current_exe()
        .map_err(|e| format!("where is this program? {e}"))?;
    let mut child = Command::new(me)
        .arg("child")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let mut to_child = child.stdin.take().ok_or("no pipe")?;
    let from_child = child.stdout.take().ok_or("no pipe")?;
    let mut from_child = BufReader::new(from_child);
    let mypid = process::id();
    for n in 1..=GREETINGS {
        let greeting =
            format!("Greeting {n} from parent {mypid}\n");
        to_child // ChildStdin has no buffer: one write, sent now
            .write_all(greeting.as_bytes())
            .map_err(|e| format!("send greeting {n}: {e}"))?;
        let mut reply = String::new(); // blocks for the reply
        let got = from_child
            .read_line(&mut reply)
            .map_err(|e| format!("read reply {n}: {e}"))?;
        if got == 0 {
            return Err(format!(
                "no reply to greeting {n}: end-of-file"
            ));
        }
        let reply = reply.strip_suffix('\n').unwrap_or(&reply);
        let time =
            UNIX_EPOCH.elapsed().unwrap_or_default().as_secs_f64();
        println!("Parent {mypid} got [{reply}] at {time:.2}");
    }
    drop(to_child); // the child sees end-of-file, and ends
    let status = child.wait().map_err(|e| format!("wait: {e}"))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("the child ended badly: {status}")),
    }
}

/// The parent without an argument, the child with `child`. Exit
/// status 0 when all went well, 1 when a call failed (said on
/// stderr), 2 for any other argument.
fn main() -> ExitCode {
    let result = match env::args().nth(1).as_deref() {
        None => parent(),
        Some("child") => child(),
        Some(other) => {
            eprintln!(
                "error: unexpected argument {other:?}: none, or `child`"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
    }
}
