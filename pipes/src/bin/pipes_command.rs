//! pipes_plain as a Rust programmer would write it: the same spawn
//! and conversation with `std::process::Command`, std only. The
//! child's stdin and stdout are `Stdio::piped()`: Command makes the
//! two pipes, forks, puts the child's ends on its fd 0 and 1, closes
//! the rest and execs; we keep our own stdin and stdout, and talk
//! through the two handles it gives us. `pipes_command [PROGRAM
//! [ARG...]]`, PIPES_COUNT (default 2), as pipes_plain.

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{self, Child, ChildStdin, ChildStdout};
use std::process::{Command, ExitCode, Stdio};
use std::{env, time::UNIX_EPOCH};

// ANCHOR: spawn
/// `spawn(prog, *args)`: starts the program `command` names with a
/// pipe on its stdin and one on its stdout, and returns it with our
/// ends: the one we write to, the one we read from (buffered, for
/// lines). If the program cannot start, the error comes here, in
/// the parent: no child runs on.
fn spawn(
    command: &[OsString],
) -> io::Result<(Child, ChildStdin, BufReader<ChildStdout>)> {
    let mut child = Command::new(&command[0])
        .args(&command[1..])
        .stdin(Stdio::piped()) // a pipe: we write, it reads
        .stdout(Stdio::piped()) // a pipe: it writes, we read
        .spawn()?; // pipes, fork, dup2s, closes, exec
    // Some, both: they were asked for as pipes
    let no_pipe = || io::Error::other("no pipe to the child");
    let to_child = child.stdin.take().ok_or_else(no_pipe)?;
    let from_child = child.stdout.take().ok_or_else(no_pipe)?;
    Ok((child, to_child, BufReader::new(from_child)))
}
// ANCHOR_END: spawn

/// The self-test, as pipes_plain's: starts the child, sends it
/// PIPES_COUNT greetings one at a time and reports each reply on
/// stderr, then closes its end and reaps the child. Exit status 0
/// when all went well, 1 when the child could not start, stopped
/// early or failed (said on stderr), 2 for a bad PIPES_COUNT.
fn main() -> ExitCode {
    let (command, count) = match command_and_count() {
        Ok(found) => found,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let (mut child, mut to_child, mut from_child) =
        match spawn(&command) {
            Ok(spawned) => spawned,
            Err(why) => {
                let prog = command[0].to_string_lossy();
                eprintln!("error: cannot run {prog}: {why}");
                return ExitCode::FAILURE;
            }
        };
    let talked = talk(count, &mut to_child, &mut from_child);
    drop(to_child); // close our end: the child sees end-of-file
    let status = child.wait(); // and we reap it
    match (talked, status) {
        (Ok(()), Ok(status)) if status.success() => {
            ExitCode::SUCCESS
        }
        (talked, status) => {
            if let Err(why) = talked {
                eprintln!("error: {why}");
            }
            match status {
                Ok(status) => {
                    eprintln!("child {}: {status}", child.id())
                }
                Err(why) => eprintln!("error: wait: {why}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// The conversation, as pipes_plain's, through the two handles:
/// `count` times, a greeting into `to_child`, flushed, then one
/// line of reply from `from_child`, reported on stderr with our pid
/// and the time. An error says which greeting got no reply and why.
fn talk(
    count: u32,
    to_child: &mut ChildStdin,
    from_child: &mut impl BufRead,
) -> Result<(), String> {
    let mypid = process::id();
    for n in 1..=count {
        let no_reply =
            |why| format!("no reply to greeting {n}: {why}");
        let greeting =
            format!("Greeting {n} from parent {mypid}\n");
        (to_child.write_all(greeting.as_bytes())) // one write(2)
            .and_then(|()| to_child.flush()) // not buffered: a no-op
            .map_err(|e| no_reply(format!("send: {e}")))?;
        let mut reply = String::new(); // blocks for its reply
        let got = from_child
            .read_line(&mut reply)
            .map_err(|e| no_reply(format!("read: {e}")))?;
        if got == 0 {
            return Err(no_reply("end-of-file".into()));
        }
        let reply = reply.strip_suffix('\n').unwrap_or(&reply);
        let time =
            UNIX_EPOCH.elapsed().unwrap_or_default().as_secs_f64();
        eprintln!("Parent {mypid} got [{reply}] at {time:.2}");
    }
    Ok(())
}

/// The child's command line (ours, else `pipes_child spam`, the
/// program beside this one, or on PATH if this one's path is
/// unknown) and PIPES_COUNT (default 2), or what is wrong with it.
fn command_and_count() -> Result<(Vec<OsString>, u32), String> {
    let mut command: Vec<OsString> =
        env::args_os().skip(1).collect();
    if command.is_empty() {
        let child = env::current_exe()
            .map(|me| me.with_file_name("pipes_child"))
            .unwrap_or_else(|_| "pipes_child".into());
        command = vec![child.into_os_string(), "spam".into()];
    }
    let count = match env::var("PIPES_COUNT") {
        Err(env::VarError::NotPresent) => 2,
        Ok(value) => value
            .parse()
            .map_err(|e| format!("PIPES_COUNT={value:?}: {e}"))?,
        Err(e) => Err(format!("PIPES_COUNT: {e}"))?,
    };
    Ok((command, count))
}
