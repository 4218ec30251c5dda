//! A wrong attempt at "deadlocks.py from scratch": deadlocks_plain
//! whose alarm says it kills the child and does not: the child waits
//! for its stdin, the parent in its read for a reply, both for ever.
//! (tests/exercises.rs)

use {
    nix::pty::openpty,
    nix::sys::wait::{WaitStatus, waitpid},
    nix::unistd::{ForkResult, Pid, dup2_stdin, dup2_stdout},
    nix::unistd::{execvp, fork, pipe},
    std::convert::Infallible,
    std::ffi::{CString, OsString},
    std::io::{self, BufRead, Write},
    std::os::fd::OwnedFd,
    std::os::unix::ffi::OsStringExt,
    std::process::{self, ExitCode},
    std::sync::mpsc::{self, RecvTimeoutError},
    std::sync::{Arc, atomic::AtomicU32, atomic::Ordering::SeqCst},
    std::{
        env, fs::File, thread, time::Duration, time::UNIX_EPOCH,
    },
};

/// `spawn(prog, *args)` of pipes.py: starts the program `argv`
/// names on two pipes, its stdin and stdout on one end of each and
/// ours on the other, and returns its pid, or which call failed.
/// In the child it never returns: if the program cannot start, the
/// child says why on stderr and exits with status 127.
fn spawn(argv: &[CString]) -> Result<Pid, String> {
    let (from_child, to_parent) = pipe().map_err(failed("pipe"))?;
    spawn_on(from_child, to_parent, argv)
}

/// `spawn_on_a_terminal(prog, *args)`: `spawn`, but the child's
/// stdout is a terminal (a pseudo-terminal: it writes to its
/// slave end, we read its master end) instead of a pipe.
fn spawn_on_a_terminal(argv: &[CString]) -> Result<Pid, String> {
    let pty = openpty(None, None).map_err(failed("openpty"))?;
    spawn_on(pty.master, pty.slave, argv)
}

/// The rest of `spawn`: the child's stdout writes into `to_parent`
/// and we read `from_child`; a pipe for its stdin; fork, and each
/// side puts its ends on its 0 and 1. The child's pid, or which
/// call failed; the child never returns (see `spawn`).
fn spawn_on(
    from_child: OwnedFd,
    to_parent: OwnedFd,
    argv: &[CString],
) -> Result<Pid, String> {
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
            drop(from_child); // close the parent's ends
            drop(to_child);
            let Err(why) = exec(from_parent, to_parent, argv);
            eprintln!("error: {why}");
            process::exit(127) // never go on as the parent
        }
    }
}

/// The child's half of `spawn`: puts `stdin` on fd 0 and `stdout`
/// on fd 1, closes the originals, and becomes the program `argv`
/// names (`execvp` searches PATH). Returns only if a call failed,
/// saying which.
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

/// An error as a line: the call that failed, then why.
fn failed(call: &'static str) -> impl Fn(nix::Error) -> String {
    move |e| format!("{call}: {e}")
}

/// `signal.alarm(bound)` and its handler `caught`, as a thread: if
/// `ended` has not been dropped within `bound` seconds, it says
/// that no reply came (to greeting `n`, as the parent keeps it) and
/// kills the child `pid`. Joined, it says whether it did; the
/// parent then reaps the child and exits with status 3.
fn alarm(
    bound: u64,
    pid: Pid,
    n: Arc<AtomicU32>,
) -> (mpsc::Sender<()>, thread::JoinHandle<bool>) {
    let (ended, end) = mpsc::channel::<()>();
    let ringing = thread::spawn(move || {
        let waited = end.recv_timeout(Duration::from_secs(bound));
        if waited != Err(RecvTimeoutError::Timeout) {
            return false; // in time: no alarm
        }
        let (mypid, n) = (process::id(), n.load(SeqCst));
        eprintln!(
            "deadlocks: no reply within {bound} s: parent {mypid} \
             waits for its reply to greeting {n}; killing child {pid}"
        );
        true
    });
    (ended, ringing)
}

/// The self-test: starts the child (the command line, else
/// `deadlocks_child`), sends it PIPES_COUNT greetings one at a time
/// and reports each reply on stderr, then closes its end and reaps
/// the child, all within DEADLOCKS_BOUND seconds. Exit status 0
/// when all went well, 1 when the child stopped early or failed or
/// a call failed (said on stderr), 2 for a bad setting or an
/// argument with a NUL byte in it, 3 when no reply came in time.
fn main() -> ExitCode {
    let (argv, count, bound, terminal) = match settings() {
        Ok(found) => found,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let mypid = process::id();
    let spawned = match terminal {
        true => spawn_on_a_terminal(&argv),
        false => spawn(&argv),
    };
    let pid = match spawned {
        Ok(pid) => pid,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::FAILURE;
        }
    };
    let n = Arc::new(AtomicU32::new(0)); // the greeting, for alarm
    let (ended, ringing) = alarm(bound, pid, Arc::clone(&n));
    let talked = talk(count, mypid, &n);
    drop(ended); // in time: no alarm
    if ringing.join().unwrap_or(false) {
        let _ = waitpid(pid, None); // it rang: reap the child
        return ExitCode::from(3); // status 3: a deadlock
    }
    let errors: Vec<String> = [talked, close_stdout()]
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
/// our pid and the time. `n` holds the greeting sent last. An
/// error says which greeting got no reply and why.
fn talk(
    count: u32,
    mypid: u32,
    n: &AtomicU32,
) -> Result<(), String> {
    let (mut stdin, mut stdout) =
        (io::stdin().lock(), io::stdout());
    for k in 1..=count {
        n.store(k, SeqCst);
        let no_reply =
            |why| format!("no reply to greeting {k}: {why}");
        writeln!(stdout, "Greeting {k} from parent {mypid}")
            .and_then(|()| stdout.flush()) // ours goes out: theirs?
            .map_err(|e| no_reply(format!("send: {e}")))?;
        let mut reply = String::new(); // blocks for its reply
        let got = stdin
            .read_line(&mut reply)
            .map_err(|e| no_reply(format!("read: {e}")))?;
        if got == 0 {
            return Err(no_reply("end-of-file".into()));
        }
        // a terminal ends it \r\n
        let reply = reply.trim_end_matches(['\r', '\n']);
        let time =
            UNIX_EPOCH.elapsed().unwrap_or_default().as_secs_f64();
        eprintln!("Parent {mypid} got [{reply}] at {time:.2}");
    }
    Ok(())
}

/// `os.close(1)`: /dev/null goes onto fd 1 (std's stdout keeps
/// it), so the pipe's last write end here closes and the child
/// sees end-of-file. Says which call failed, if one did.
fn close_stdout() -> Result<(), String> {
    let null = File::open("/dev/null")
        .map_err(|e| format!("open /dev/null: {e}"))?;
    dup2_stdout(null).map_err(failed("dup2 stdout"))
}

/// The child's command line (ours, else `deadlocks_child` beside
/// this program, or on PATH if its path is unknown), PIPES_COUNT
/// (default 2), DEADLOCKS_BOUND (seconds, default 3) and whether
/// DEADLOCKS_PTY is 1 (the child's stdout a terminal), or what is
/// wrong with them.
fn settings() -> Result<(Vec<CString>, u32, u64, bool), String> {
    let mut command: Vec<OsString> =
        env::args_os().skip(1).collect();
    if command.is_empty() {
        let child = env::current_exe()
            .map(|me| me.with_file_name("deadlocks_child"))
            .unwrap_or_else(|_| "deadlocks_child".into());
        command = vec![child.into_os_string()];
    }
    let argv: Result<Vec<CString>, _> = (command.into_iter())
        .map(|arg| CString::new(arg.into_vec()))
        .collect();
    let argv = argv
        .map_err(|e| format!("a NUL byte in an argument: {e}"))?;
    let terminal =
        env::var_os("DEADLOCKS_PTY").is_some_and(|v| v == "1");
    Ok((
        argv,
        setting("PIPES_COUNT", 2)?,
        setting("DEADLOCKS_BOUND", 3)?,
        terminal,
    ))
}

/// The environment variable `name` as a number, `default` if it is
/// not set, or what is wrong with it.
fn setting<T: std::str::FromStr>(
    name: &str,
    default: T,
) -> Result<T, String>
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
