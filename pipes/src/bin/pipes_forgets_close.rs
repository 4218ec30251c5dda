//! pipes_plain with two lines left out: the child's closes of the
//! parent's ends. nix's pipes are not closed by exec, so the program
//! inherits them: it holds a write end of its own stdin, and never
//! sees end-of-file there. Try `pipes_forgets_close cat`: predict
//! what happens before you run it (Ctrl-C to stop).

use {
    nix::sys::wait::{WaitStatus, waitpid},
    nix::unistd::{ForkResult, Pid, dup2_stdin, dup2_stdout},
    nix::unistd::{execvp, fork, pipe},
    std::convert::Infallible,
    std::ffi::{CString, OsString},
    std::io::{self, BufRead, Write},
    std::os::fd::OwnedFd,
    std::os::unix::ffi::OsStringExt,
    std::process::{self, ExitCode},
    std::{env, fs::File, time::UNIX_EPOCH},
};

// ANCHOR: spawn
/// `spawn(prog, *args)`: starts the program `argv` names on two
/// pipes, its stdin and stdout on one end of each and ours on the
/// other, and returns its pid, or which call failed. In the child
/// it never returns: if the program cannot start, the child says
/// why on stderr and exits with status 127, as a shell does.
fn spawn(argv: &[CString]) -> Result<Pid, String> {
    let (from_child, to_parent) = pipe().map_err(failed("pipe"))?;
    let (from_parent, to_child) = pipe().map_err(failed("pipe"))?;
    // SAFETY: no thread was started, so the child is a whole copy.
    match unsafe { fork() }.map_err(failed("fork"))? {
        ForkResult::Parent { child } => {
            drop(to_parent); // close the child's ends
            drop(from_parent);
            // our stdin reads its output, our stdout feeds its input
            dup2_stdin(&from_child)
                .map_err(failed("dup2 stdin"))?;
            dup2_stdout(&to_child)
                .map_err(failed("dup2 stdout"))?;
            drop(from_child); // 0 and 1 are enough now
            drop(to_child);
            Ok(child)
        }
        ForkResult::Child => {
            // drop(from_child);  <- left out: the program inherits
            // drop(to_child);    <- the parent's ends across exec
            let Err(why) = exec(from_parent, to_parent, argv);
            eprintln!("error: {why}");
            process::exit(127) // never go on as the parent
        }
    }
}
// ANCHOR_END: spawn

/// The child's half of `spawn`: puts `stdin` on fd 0 and `stdout`
/// on fd 1, closes the originals (nix's pipes are not closed by
/// exec, as Python's are), and becomes the program `argv` names
/// (`execvp` searches PATH). Returns only if a call failed, saying
/// which.
fn exec(
    stdin: OwnedFd,
    stdout: OwnedFd,
    argv: &[CString],
) -> Result<Infallible, String> {
    dup2_stdin(&stdin).map_err(failed("dup2 stdin"))?;
    dup2_stdout(&stdout).map_err(failed("dup2 stdout"))?;
    drop(stdin); // 0 and 1 are enough now
    drop(stdout);
    let prog = argv[0].to_string_lossy();
    // os.execvp(prog, (prog,) + args): returns only on failure
    execvp(&argv[0], argv)
        .map_err(|e| format!("cannot run {prog}: {e}"))
}

/// An error as a line: the call that failed, then why, as in
/// `dup2 stdin: EBADF: Bad file descriptor`.
fn failed(call: &'static str) -> impl Fn(nix::Error) -> String {
    move |e| format!("{call}: {e}")
}

/// The self-test: starts the child (the command line, else
/// `pipes_child spam`), sends it PIPES_COUNT greetings one at a time
/// and reports each reply on stderr, then closes its end and reaps
/// the child. Exit status 0 when all went well, 1 when the child
/// stopped early or failed or a call failed (said on stderr), 2 for
/// a bad PIPES_COUNT or an argument with a NUL byte in it.
fn main() -> ExitCode {
    let (argv, count) = match command_and_count() {
        Ok(found) => found,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let mypid = process::id();
    let pid = match spawn(&argv) {
        Ok(pid) => pid,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::FAILURE;
        }
    };
    let errors: Vec<String> = [
        talk(count, mypid), // the conversation
        close_stdout(),     // the child sees end-of-file
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    let status = waitpid(pid, None); // and we reap it
    if errors.is_empty() && status == Ok(WaitStatus::Exited(pid, 0))
    {
        return ExitCode::SUCCESS;
    }
    for why in errors {
        eprintln!("error: {why}");
    }
    match status {
        Ok(WaitStatus::Exited(_, code)) => {
            eprintln!("child {pid} exited with status {code}")
        }
        Ok(WaitStatus::Signaled(_, signal, _)) => {
            eprintln!("child {pid} was killed by {signal}")
        }
        Ok(other) => eprintln!("child {pid}: {other:?}"),
        Err(why) => eprintln!("error: waitpid: {why}"),
    }
    ExitCode::FAILURE
}

/// The conversation, as pipes.py has it: `count` times, a greeting
/// on stdout (the child's stdin), flushed, then one line of reply
/// read from stdin (the child's stdout), reported on stderr with
/// our pid and the time. An error says which greeting got no reply
/// and why: the child closed its stdin (the write fails, EPIPE) or
/// its stdout (the read sees end-of-file).
fn talk(count: u32, mypid: u32) -> Result<(), String> {
    let (mut stdin, mut stdout) =
        (io::stdin().lock(), io::stdout());
    for n in 1..=count {
        let no_reply =
            |why| format!("no reply to greeting {n}: {why}");
        writeln!(stdout, "Greeting {n} from parent {mypid}")
            .and_then(|()| stdout.flush()) // else both wait forever
            .map_err(|e| no_reply(format!("send: {e}")))?;
        let mut reply = String::new(); // blocks for its reply
        let got = stdin
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

/// `os.close(1)`: std's stdout keeps fd 1 for as long as the
/// process lives, so /dev/null goes there instead; the pipe's last
/// write end in this process closes, and the child sees
/// end-of-file. Says which call failed, if one did.
fn close_stdout() -> Result<(), String> {
    let null = File::open("/dev/null")
        .map_err(|e| format!("open /dev/null: {e}"))?;
    dup2_stdout(null).map_err(failed("dup2 stdout"))
}

/// The child's command line (ours, else `pipes_child spam`, the
/// program beside this one, or on PATH if this one's path is
/// unknown) and PIPES_COUNT (default 2), or what is wrong with them.
fn command_and_count() -> Result<(Vec<CString>, u32), String> {
    let mut command: Vec<OsString> =
        env::args_os().skip(1).collect();
    if command.is_empty() {
        // beside this program; if its path is unknown, on PATH
        let child = env::current_exe()
            .map(|me| me.with_file_name("pipes_child"))
            .unwrap_or_else(|_| "pipes_child".into());
        command = vec![child.into_os_string(), "spam".into()];
    }
    let argv: Result<Vec<CString>, _> = (command.into_iter())
        .map(|arg| CString::new(arg.into_vec()))
        .collect();
    let argv = argv
        .map_err(|e| format!("a NUL byte in an argument: {e}"))?;
    let count = match env::var("PIPES_COUNT") {
        Err(env::VarError::NotPresent) => 2,
        Ok(value) => value
            .parse()
            .map_err(|e| format!("PIPES_COUNT={value:?}: {e}"))?,
        Err(e) => Err(format!("PIPES_COUNT: {e}"))?,
    };
    Ok((argv, count))
}
