//! Helpers for the integration tests (feature `testing`, unix only).
//!
//! Tests never fork inside the test harness (it runs tests on many threads,
//! and a fork copies only one of them). They run the programs as
//! subprocesses instead, each in a process group of its own, so that a test
//! can signal the whole run (as Ctrl-C does), list every process of it, and
//! kill all of it if it outlives its deadline: a hang fails the test, it
//! never hangs the suite.
//!
//! Everything here is POSIX (process groups, `kill`, `setrlimit`), except a
//! few looks at Linux's `/proc`, each behind `cfg(target_os = "linux")`; on
//! other systems [`group_members`] asks `ps` instead.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

pub use assert_cmd::assert::Assert;
pub use assert_cmd::prelude::*;
use nix::sys::signal::{SigHandler, Signal, killpg, signal};
use nix::unistd::Pid;

/// How long any run may take before the test calls it a hang.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// How much of a run's stdout is kept, at most: a program may print without
/// end. What comes after is read and thrown away, so that the program never
/// waits for the test. (The largest output of a right run of the tests is
/// under 1 MiB: 10,000 messages.)
pub const KEPT_STDOUT: u64 = 8 << 20;

/// How much of a run's stderr is kept, at most; the rest is thrown away.
pub const KEPT_STDERR: u64 = 1 << 20;

// ANCHOR: redactions
/// The insta filters every snapshot uses: the parent's process id and the
/// time change from run to run, so snapshots show `[PID]` and `[TIME]`.
pub const REDACTIONS: [(&str, &str); 3] = [
    (r"Parent \d+ got", "Parent [PID] got"),
    (r"(?m) at \d+\.\d\d$", " at [TIME]"),
    (r"\b(pid|child|parent|process) \d+", "$1 [PID]"),
];
// ANCHOR_END: redactions

/// A program running in its own process group.
#[derive(Debug)]
pub struct Running {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    stdout_done: Option<thread::JoinHandle<()>>,
    stderr: Option<thread::JoinHandle<String>>,
    /// The pipes this process reads the run's output from, as `/proc`
    /// names them: `pipe:[1234]` (Linux; empty elsewhere).
    outputs: Vec<String>,
    started: Instant,
    finished: bool,
    /// The folder of a copy of the program made for [`copy_for_others`].
    copied: Option<PathBuf>,
}

/// A copy of `program` that the user `nobody` can run, in a new folder of
/// the temporary directory (`/tmp`): the checkout itself may be out of
/// nobody's reach (under `/root`, mode 700). Panics with a clear message if
/// the copy is out of reach too. The caller removes the folder.
fn copy_for_others(program: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    static COPIES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("pipes-as-nobody-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder for the copy");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let copy = dir.join(program.file_name().expect("a program file"));
    // Not `std::fs::copy`: it holds the copy open for writing in this
    // process, where other tests' threads fork; a child forked in that window
    // keeps the descriptor until its exec, and exec of the copy then fails
    // with "Text file busy" (ETXTBSY). `cp` holds it in its own process.
    let copied = Command::new("cp").arg(program).arg(&copy).status().expect("cp starts");
    assert!(copied.success(), "cp {} {} failed", program.display(), copy.display());
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    for path in copy.ancestors() {
        let mode = std::fs::metadata(path).expect("the path exists").permissions().mode();
        assert!(
            mode & 0o001 != 0,
            "run as root, this test starts {} as the user nobody, who cannot reach it: \
             {} has mode {:o}; set TMPDIR to a folder others can enter",
            copy.display(),
            path.display(),
            mode & 0o777
        );
    }
    copy
}

/// Start `program` with `args`, stdout and stderr captured, in a new process
/// group whose id is the program's pid.
pub fn spawn(program: impl AsRef<OsStr>, args: &[&str]) -> Running {
    spawn_with(program, args, [])
}

/// A condition to start a program in, to see how it copes: see [`spawn_with`].
#[derive(Debug)]
pub enum Setup {
    /// `SIGCHLD` ignored, as `env --ignore-signal=CHLD` starts a program.
    SigchldIgnored,
    /// At most this many open descriptors (`RLIMIT_NOFILE`): 4 leaves one
    /// after stdin, stdout and stderr, so no pipe can be made.
    MaxOpenFiles(u64),
    /// No new process or thread can start (`RLIMIT_NPROC` of 1). The limit
    /// does not hold for root, so a test run as root starts the program as
    /// the user `nobody` (uid 65534), who must be able to reach the program's
    /// file: a checkout under `/root` (mode 700) is out of its reach.
    NoNewProcesses,
    /// stdout is this file, not a pipe to the test (nothing is read from it).
    Stdout(std::fs::File),
    /// At most this many bytes of address space (`RLIMIT_AS`): a program
    /// that needs more fails to allocate it.
    MaxMemory(u64),
    /// This variable set in the program's environment, besides the test's own.
    Env(String, String),
}

/// [`spawn`], with the program started under each of `setup`'s conditions.
pub fn spawn_with(
    program: impl AsRef<OsStr>,
    args: &[&str],
    setup: impl IntoIterator<Item = Setup>,
) -> Running {
    let (mut sigchld_ignored, mut max_open_files, mut max_processes) = (false, None, None);
    let (mut max_memory, mut env) = (None, Vec::new());
    let mut stdout = Stdio::piped();
    for condition in setup {
        match condition {
            Setup::SigchldIgnored => sigchld_ignored = true,
            Setup::MaxOpenFiles(n) => max_open_files = Some(n),
            Setup::NoNewProcesses => max_processes = Some(1),
            Setup::Stdout(file) => stdout = file.into(),
            Setup::MaxMemory(n) => max_memory = Some(n),
            Setup::Env(key, value) => env.push((key, value)),
        }
    }
    let as_nobody = max_processes.is_some() && nix::unistd::geteuid().is_root();
    let copied = as_nobody.then(|| copy_for_others(Path::new(program.as_ref())));
    let mut command = Command::new(copied.as_deref().map_or(program.as_ref(), Path::as_os_str));
    command.args(args).stdin(Stdio::null()).stdout(stdout).stderr(Stdio::piped());
    command.envs(env);
    command.process_group(0);
    // A shell starts a foreground job with SIGINT at its default action, so
    // that Ctrl-C ends it. A test run started in the background (`cargo test
    // &`) has SIGINT ignored, and a program would inherit that: restore it.
    // SAFETY: `pre_exec` runs the closure in the forked child, before exec,
    // where only async-signal-safe calls are sound. `sigaction`, `setrlimit`,
    // `setgid` and `setuid` are system calls, safe there; the default action
    // and `SIG_IGN` install no handler; nothing is allocated.
    unsafe {
        command.pre_exec(move || {
            use rustix::process::{Resource, Rlimit, setrlimit};
            let limit = |n| Rlimit { current: Some(n), maximum: Some(n) };
            signal(Signal::SIGINT, SigHandler::SigDfl)?;
            if sigchld_ignored {
                signal(Signal::SIGCHLD, SigHandler::SigIgn)?;
            }
            if let Some(n) = max_open_files {
                setrlimit(Resource::Nofile, limit(n))?;
            }
            if let Some(n) = max_memory {
                setrlimit(Resource::As, limit(n))?;
            }
            if as_nobody {
                let nobody = 65534;
                nix::unistd::setgid(nix::unistd::Gid::from_raw(nobody))?;
                nix::unistd::setuid(nix::unistd::Uid::from_raw(nobody))?;
            }
            if let Some(n) = max_processes {
                setrlimit(Resource::Nproc, limit(n))?;
            }
            Ok(())
        });
    }
    let mut child = command.spawn().expect("the program starts");
    RUN_GROUPS.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(child.id());
    let outputs = output_pipes(&child);
    let (send, lines) = mpsc::channel();
    let stdout_done =
        child.stdout.take().map(|stdout| thread::spawn(move || read_lines(stdout, send)));
    let stderr = child.stderr.take().unwrap();
    let stderr = thread::spawn(move || {
        let mut stderr = BufReader::new(stderr);
        let mut text = Vec::new();
        let _ = (&mut stderr).take(KEPT_STDERR).read_to_end(&mut text);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink()); // the rest, thrown away
        String::from_utf8_lossy(&text).into_owned()
    });
    Running {
        child,
        lines,
        stdout_done,
        stderr: Some(stderr),
        outputs,
        started: Instant::now(),
        finished: false,
        copied: copied.and_then(|copy| copy.parent().map(Path::to_owned)),
    }
}

/// The pipes this process reads `child`'s stdout and stderr from, as
/// `/proc/self/fd` names them: `pipe:[1234]` (Linux; none elsewhere).
fn output_pipes(child: &std::process::Child) -> Vec<String> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let stdout = child.stdout.as_ref().map(AsRawFd::as_raw_fd);
        let stderr = child.stderr.as_ref().map(AsRawFd::as_raw_fd);
        let pipes = [stdout, stderr].into_iter().flatten();
        let pipes = pipes.filter_map(|fd| std::fs::read_link(format!("/proc/self/fd/{fd}")).ok());
        pipes.map(|pipe| pipe.to_string_lossy().into_owned()).collect()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = child;
        Vec::new()
    }
}

/// Send each line of `stdout` (without its `\n` or `\r\n`; bytes that
/// are not UTF-8 replaced) to `send`, until end-of-file or until the test
/// closes its end. Past [`KEPT_STDOUT`] bytes, the rest is read and thrown
/// away (a line cut there is sent as far as it goes).
fn read_lines(stdout: impl Read, send: mpsc::Sender<String>) {
    let mut stdout = BufReader::new(stdout);
    let mut left = KEPT_STDOUT;
    loop {
        let mut line = Vec::new();
        match (&mut stdout).take(left).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(n) => left -= n as u64,
        }
        if line.ends_with(b"\n") {
            line.pop();
            if line.ends_with(b"\r") {
                line.pop();
            }
        }
        if send.send(String::from_utf8_lossy(&line).into_owned()).is_err() {
            return; // the test closed its end, as `head` does
        }
    }
    let _ = std::io::copy(&mut stdout, &mut std::io::sink());
}

/// The process groups of every run [`spawn`] started in this process.
static RUN_GROUPS: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

/// Is `group` the process group of a run that [`spawn`] started in this
/// process? A process of a run that is in another group has left it.
pub fn is_a_run_group(group: u32) -> bool {
    RUN_GROUPS.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).contains(&group)
}

/// Run `program` to its end (within [`DEADLINE`]) and check that no process
/// of the run is left, not even a zombie: every child was reaped.
pub fn run(program: impl AsRef<OsStr>, args: &[&str]) -> Assert {
    run_with(program, args, [])
}

/// [`run`], with the program started under each of `setup`'s conditions.
pub fn run_with(
    program: impl AsRef<OsStr>,
    args: &[&str],
    setup: impl IntoIterator<Item = Setup>,
) -> Assert {
    spawn_with(program, args, setup).wait_for_group()
}

/// Is process group `group` empty, not even a zombie left in it? Portable:
/// `kill(-group, 0)` (no signal is sent) fails with `ESRCH` once it is.
pub fn group_is_gone(group: u32) -> bool {
    killpg(Pid::from_raw(group as i32), None) == Err(nix::errno::Errno::ESRCH)
}

impl Running {
    /// The program's process id, which is also its process group's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line on stdout; panics if none comes within [`DEADLINE`].
    pub fn next_line(&mut self) -> String {
        let left = DEADLINE.saturating_sub(self.started.elapsed());
        self.lines.recv_timeout(left).expect("a line on stdout in time")
    }

    /// The next line on stdout, if one comes within `wait` (and before
    /// [`DEADLINE`]); else `None`, once `wait` has passed (even if stdout
    /// is closed, so that a caller may ask again and again).
    pub fn next_line_within(&mut self, wait: Duration) -> Option<String> {
        let wait = wait.min(DEADLINE.saturating_sub(self.started.elapsed()));
        match self.lines.recv_timeout(wait) {
            Ok(line) => Some(line),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                thread::sleep(wait);
                None
            }
        }
    }

    /// The lines printed so far and not yet taken, without waiting.
    pub fn lines_so_far(&mut self) -> Vec<String> {
        self.lines.try_iter().collect()
    }

    /// Stop reading stdout and close it, as `head` does after its lines.
    pub fn close_stdout(&mut self) {
        let (_, closed) = mpsc::channel();
        drop(std::mem::replace(&mut self.lines, closed));
    }

    /// Send `signal` to every process of the run, as the terminal does for Ctrl-C.
    pub fn signal_group(&self, signal: Signal) {
        killpg(Pid::from_raw(self.pid() as i32), signal).expect("the group exists");
    }

    /// Wait for the program to end, within [`DEADLINE`], and collect what it
    /// printed. Lines taken by [`Running::next_line`] are not in `stdout`.
    pub fn wait(mut self) -> Assert {
        let status = self.wait_status();
        // A process left in the group (a child whose parent died) may still
        // hold stdout or stderr open: wait for it too, within the deadline.
        let stderr = self.stderr.take().unwrap();
        let mut outsider: Option<(u32, Instant)> = None;
        let mut looks = 0u32;
        while !stderr.is_finished() || self.stdout_done.as_ref().is_some_and(|r| !r.is_finished()) {
            self.after_deadline("its output still open");
            thread::sleep(Duration::from_millis(5));
            // Held open by a process out of the group, no process of the
            // group running: for a second (no mere fork-to-exec window of
            // another test's program), then said at once, not at the deadline.
            // (Looked for every 50 ms: each look reads all of /proc.)
            looks += 1;
            if !looks.is_multiple_of(10) {
                continue;
            }
            let holder = self.output_held_outside_the_group();
            match (holder, outsider) {
                (Some(pid), Some((seen, since))) if pid == seen => {
                    if since.elapsed() > Duration::from_secs(1) {
                        let _ = killpg(Pid::from_raw(self.pid() as i32), Signal::SIGKILL);
                        panic!(
                            "The program ended, but process {pid}, which it started, still holds \
                             its output open: it left the program's process group (with setsid \
                             or setpgid), so a signal to the group, as Ctrl-C sends, never \
                             reaches it. A program's processes stay in its group."
                        );
                    }
                }
                (Some(pid), _) => outsider = Some((pid, Instant::now())),
                (None, _) => outsider = None,
            }
        }
        self.finished = true;
        let stdout: String = match self.stdout_done.take() {
            Some(_) => self.lines.try_iter().map(|line| line + "\n").collect(),
            None => String::new(),
        };
        let stderr = stderr.join().expect("stderr reader");
        Output { status, stdout: stdout.into_bytes(), stderr: stderr.into_bytes() }.assert()
    }

    /// [`Running::wait`], then check that no process of the run is left,
    /// not even a zombie: every child was reaped. ([`run`] is
    /// [`spawn`] and this.)
    pub fn wait_for_group(self) -> Assert {
        let group = self.pid();
        let output = self.wait();
        assert!(group_is_gone(group), "processes of the run are left: {:?}", group_members(group));
        output
    }

    /// A process that holds the run's stdout or stderr open, though it is
    /// not in the run's process group, when no process of the group runs
    /// any more (Linux: from `/proc/<pid>/fd`; elsewhere, never found).
    fn output_held_outside_the_group(&self) -> Option<u32> {
        if self.outputs.is_empty() || group_members(self.pid()).iter().any(|p| p.state != 'Z') {
            return None;
        }
        let me = std::process::id();
        let processes = std::fs::read_dir("/proc").ok()?.flatten();
        let pids = processes.filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok());
        pids.filter(|&pid| pid != me).find(|pid| {
            let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).into_iter().flatten().flatten();
            fds.filter_map(|fd| std::fs::read_link(fd.path()).ok()).any(|target| {
                self.outputs.iter().any(|output| target.as_os_str() == output.as_str())
            })
        })
    }

    /// Past [`DEADLINE`], kill every process of the run and fail the test.
    fn after_deadline(&self, what: &str) {
        if self.started.elapsed() > DEADLINE {
            let _ = killpg(Pid::from_raw(self.pid() as i32), Signal::SIGKILL);
            panic!("the run took longer than {DEADLINE:?} ({what}): killed it");
        }
    }

    fn wait_status(&mut self) -> ExitStatus {
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the program") {
                return status;
            }
            self.after_deadline("still running");
            thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Running {
    /// A test that fails half-way must not leave its run behind, nor a copy
    /// of its program.
    fn drop(&mut self) {
        if !self.finished {
            let _ = killpg(Pid::from_raw(self.pid() as i32), Signal::SIGKILL);
            let _ = self.child.wait();
        }
        if let Some(dir) = &self.copied {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The signal that ended a process, if one did.
pub fn killed_by(status: ExitStatus) -> Option<Signal> {
    status.signal().and_then(|n| Signal::try_from(n).ok())
}

/// One process as `/proc/<pid>/stat` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub state: char,
    pub ppid: u32,
}

/// Every process in process group `group`, zombies included (Linux: from
/// `/proc/<pid>/stat`).
#[cfg(target_os = "linux")]
pub fn group_members(group: u32) -> Vec<Process> {
    let mut members = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue; // not a process, or it ended while we looked
        };
        // "pid (name) state ppid pgrp ...": the name may hold spaces, so split after ')'.
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2).and_then(|pgrp| pgrp.parse().ok()) == Some(group) {
            members.push(Process {
                pid: head.split(' ').next().unwrap().parse().unwrap(),
                state: fields[0].chars().next().unwrap(),
                ppid: fields[1].parse().unwrap(),
            });
        }
    }
    members
}

/// Every process in process group `group`, zombies included (elsewhere: from
/// `ps`, whose first letter of `stat` is the state; macOS's `I`, a process
/// asleep for more than 20 seconds, counts as `S`).
#[cfg(not(target_os = "linux"))]
pub fn group_members(group: u32) -> Vec<Process> {
    let columns = ["-A", "-o", "pid=", "-o", "ppid=", "-o", "pgid=", "-o", "stat="];
    let ps = Command::new("ps").args(columns).output().expect("ps runs");
    let mut members = Vec::new();
    for line in String::from_utf8_lossy(&ps.stdout).lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [pid, ppid, pgid, stat] = fields[..] else { continue };
        if pgid.parse() == Ok(group) {
            let state = match stat.chars().next() {
                Some('I') => 'S',
                Some(state) => state,
                None => continue,
            };
            members.push(Process { pid: pid.parse().unwrap(), state, ppid: ppid.parse().unwrap() });
        }
    }
    members
}

/// Wait (within [`DEADLINE`]) until no process of group `group` runs any
/// more. A zombie counts as ended: it runs nothing and holds no pipe. (When a
/// parent is killed, its child becomes a child of init, which reaps it. On
/// machines whose init does not reap, the zombie stays; it is not ours to reap.)
pub fn wait_until_group_ended(group: u32) {
    let start = Instant::now();
    loop {
        let running: Vec<Process> =
            group_members(group).into_iter().filter(|p| p.state != 'Z').collect();
        if running.is_empty() {
            return;
        }
        assert!(start.elapsed() < DEADLINE, "processes of the run still run: {running:?}");
        thread::sleep(Duration::from_millis(5));
    }
}

/// The insta settings of every snapshot: [`REDACTIONS`] applied, no
/// expression in the header (so the book can include a snapshot from its
/// fourth line on, see `common/tests/book.rs`), and the snapshot's own name as
/// its file name: `tests/snapshots/<name>.snap`.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    for (pattern, replacement) in REDACTIONS {
        settings.add_filter(pattern, replacement);
    }
    settings.set_omit_expression(true);
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// One output line, `Parent <pid> got [<data>] at <time>`, taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub pid: u32,
    /// What the read returned: a line of text (pipe2), or the bytes inside
    /// `b"..."` (pipe1 and pipe_thread).
    pub data: String,
    /// Seconds since the epoch, to two decimals.
    pub time: f64,
}

/// Take stdout apart into [`Line`]s; panics, naming the line, if one is not
/// in the SPEC's format.
pub fn parse_lines(stdout: &[u8]) -> Vec<Line> {
    let stdout = std::str::from_utf8(stdout).expect("stdout is text");
    stdout
        .lines()
        .map(|line| parse_line(line).unwrap_or_else(|| panic!("malformed line: {line:?}")))
        .collect()
}

fn parse_line(line: &str) -> Option<Line> {
    let rest = line.strip_prefix("Parent ")?;
    let (pid, rest) = rest.split_once(" got [")?;
    let (data, time) = rest.rsplit_once("] at ")?;
    let (whole, decimals) = time.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && decimals.len() == 2 && digits(decimals)).then_some(())?;
    Some(Line { pid: pid.parse().ok()?, data: data.to_owned(), time: time.parse().ok()? })
}

/// The bytes of an unframed read, `b"Spam 000"` -> `Spam 000`. Panics on a
/// literal that is not a plain, escape-free byte string: our messages never
/// hold a byte that needs an escape.
pub fn unquote(data: &str) -> &str {
    let bytes = data.strip_prefix("b\"").and_then(|d| d.strip_suffix('"'));
    let bytes = bytes.unwrap_or_else(|| panic!("not a byte string: {data}"));
    assert!(!bytes.contains('\\') && !bytes.contains('"'), "unexpected escape in {data}");
    bytes
}

/// The bytes the child sends for `count` messages, all together:
/// `Spam 000Spam 001...`.
pub fn stream(count: u64) -> String {
    crate::schedule::zzz_values(Some(count)).map(crate::message).collect()
}

/// The checks that hold for an unframed run in every interleaving: one
/// process id (the program's own), no empty and no over-long read, and the
/// reads joined are exactly the bytes sent, in order.
pub fn assert_unframed_run(run: Assert, pid: u32, count: u64, read_size: usize) -> Assert {
    let run = run.success();
    let lines = parse_lines(&run.get_output().stdout);
    let reads: Vec<&str> = lines.iter().map(|line| unquote(&line.data)).collect();
    assert!(lines.iter().all(|line| line.pid == pid), "one pid, the program's: {lines:?}");
    assert!(reads.iter().all(|r| !r.is_empty() && r.len() <= read_size), "read sizes: {reads:?}");
    assert_eq!(reads.concat(), stream(count), "the bytes received are the bytes sent");
    run
}

/// The timing check, lower bounds only: message `k` is sent after the sleeps
/// before messages 0 to `k` (0+1+2+3+4+0+1+... ticks), so no line holding a
/// byte of it can be printed before `start` plus those sleeps. 10 ms of slack
/// covers the two decimals of the printed time. There is no upper bound: a
/// busy machine may print any line late.
pub fn assert_never_early(lines: &[Line], start: std::time::SystemTime, tick: Duration) {
    let start = start.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    let mut received = 0;
    for line in lines {
        let is_bytes = line.data.starts_with("b\"");
        received += if is_bytes { unquote(&line.data).len() } else { line.data.len() };
        let last_message = (received as u64 - 1) / crate::schedule::MESSAGE_LEN;
        let earliest = start + tick.as_secs_f64() * ticks_slept_before(last_message) as f64 - 0.010;
        let early = earliest - line.time;
        assert!(
            early <= 0.0,
            "{line:?} printed {early:.3} s before its last message could be sent"
        );
    }
}

/// How many ticks the child has slept when it sends message `k` (from 0):
/// 10 for each full round of 0+1+2+3+4, then 0+1+... for the rest.
pub fn ticks_slept_before(k: u64) -> u64 {
    let (rounds, rest) = ((k + 1) / 5, (k + 1) % 5);
    rounds * 10 + rest * rest.saturating_sub(1) / 2
}

/// A bad command line: exit status 2, a first stderr line that names the
/// problem (`error: ...` holding every word of `names`), nothing on stdout,
/// no panic, and no process of the run left.
pub fn assert_usage_error(program: impl AsRef<OsStr>, args: &[&str], names: &[&str]) {
    let run = run(program, args).code(2).stdout("");
    let stderr = String::from_utf8_lossy(&run.get_output().stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{args:?}: {first}");
    for name in names {
        assert!(first.contains(name), "{args:?}: the first line should name {name:?}: {first}");
    }
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

/// Every bad command line of the SPEC, with the words its error must name.
pub const BAD_ARGS: &[(&[&str], &[&str])] = &[
    (&["--count", "abc"], &["--count", "abc"]),
    (&["--count", "-1"], &["--count", "-1"]),
    (&["--count", "99999999999999999999"], &["--count", "99999999999999999999"]),
    (&["--tick", "5parsecs"], &["--tick", "5parsecs"]),
    (&["--tick", "-1s"], &["--tick", "-1s"]),
    // One rule for every value: digits only, one unit, no sign, no space.
    (&["--count", "+5"], &["--count", "+5"]),
    (&["--count", " 5"], &["--count", " 5"]),
    (&["--tick", "+1s"], &["--tick", "+1s"]),
    (&["--tick", " 1s"], &["--tick", " 1s"]),
    (&["--tick", "1s 1ms"], &["--tick", "1s 1ms"]),
    (&["--no-such-flag"], &["--no-such-flag"]),
    (&["stray"], &["stray"]),
];

/// The bad values of the unframed programs' own options.
pub const BAD_UNFRAMED_ARGS: &[(&[&str], &[&str])] = &[
    (&["--read-size", "0"], &["--read-size", "0"]),
    (&["--read-size", "65537"], &["--read-size", "65537"]),
    (&["--read-size", "+8"], &["--read-size", "+8"]),
];

/// `--help` and `--version`: each on stdout with status 0, nothing on
/// stderr; the help says what values the options take; the version is the
/// program's name and the workspace's version.
pub fn assert_help_and_version(program: impl AsRef<OsStr>, name: &str) -> String {
    let program = program.as_ref();
    let help = stdout(&run(program, &["--help"]).success().stderr(""));
    assert!(help.contains(crate::options::VALUES), "{help}");
    assert!(help.contains("-V, --version"), "{help}");
    for flag in ["--version", "-V"] {
        let version = format!("{name} {}\n", env!("CARGO_PKG_VERSION"));
        run(program, &[flag]).success().stdout(version).stderr("");
    }
    help
}

/// What a run printed on stdout.
pub fn stdout(run: &Assert) -> String {
    String::from_utf8(run.get_output().stdout.clone()).expect("stdout is text")
}

/// What a run printed on stderr.
pub fn stderr(run: &Assert) -> String {
    String::from_utf8(run.get_output().stderr.clone()).expect("stderr is text")
}

/// `program args | head -n`: take the first `n` lines, close the pipe, and
/// let the run end. Returns those lines and how the run ended.
pub fn head(program: impl AsRef<OsStr>, args: &[&str], n: usize) -> (Vec<String>, Assert) {
    let mut running = spawn(program, args);
    let group = running.pid();
    let lines = (0..n).map(|_| running.next_line()).collect();
    running.close_stdout();
    let run = running.wait();
    assert_eq!(group_members(group), [], "every process of the run ended, and was reaped");
    (lines, run)
}

/// A stand-alone program (`*_plain`), which runs forever at the book's pace:
/// its first two lines are `first` and `second` (data only), printed by the
/// program's own process about one second apart. Then Ctrl-C stops the whole
/// process group, and no process of the run is left running.
pub fn assert_plain_program(program: impl AsRef<OsStr>, first: &str, second: &str) {
    let start = std::time::SystemTime::now();
    let mut running = spawn(program, &[]);
    let pid = running.pid();
    let text = format!("{}\n{}\n", running.next_line(), running.next_line());
    let lines = parse_lines(text.as_bytes());
    running.signal_group(Signal::SIGINT);
    running.wait_for_ctrl_c();
    let run = running.wait();
    wait_until_group_ended(pid);
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGINT), "Ctrl-C ended it");
    let data: Vec<&str> = lines.iter().map(|line| line.data.as_str()).collect();
    assert_eq!(data, [first, second]);
    assert!(lines.iter().all(|line| line.pid == pid), "the program's own pid: {lines:?}");
    // The child sleeps 1 s before the second: it cannot be printed earlier
    // than 1 s after the start (a busy machine may print the first line
    // late, so the gap between the two can be shorter: 0.98 s was seen).
    // The upper bound is loose: a busy machine is slow.
    assert_never_early(&lines, start, Duration::from_secs(1));
    let gap = lines[1].time - lines[0].time;
    assert!(gap < 2.0, "{gap:.2} s between the first two lines");
}

/// Ctrl-C: once the first line is out, send SIGINT to the whole process
/// group, as a terminal does, and let the run end.
pub fn interrupt(program: impl AsRef<OsStr>, args: &[&str]) -> Assert {
    let mut running = spawn(program, args);
    let group = running.pid();
    running.next_line();
    running.signal_group(Signal::SIGINT);
    let run = running.wait();
    wait_until_group_ended(group);
    run
}

impl Running {
    /// After Ctrl-C (SIGINT sent to the group): wait (within [`DEADLINE`])
    /// until no process of the group runs any more. A process that ignores
    /// SIGINT never will: that is said at once (Linux: `SigIgn` in
    /// `/proc/<pid>/status`); one that catches it with a handler, at the
    /// deadline (`SigCgt`). Either way the whole group is killed first.
    pub fn wait_for_ctrl_c(&self) {
        loop {
            let running: Vec<Process> =
                group_members(self.pid()).into_iter().filter(|p| p.state != 'Z').collect();
            if running.is_empty() {
                return;
            }
            let ignores = running.iter().find(|p| sigint_is(p.pid, "SigIgn:"));
            let past = self.started.elapsed() > DEADLINE;
            if ignores.is_some() || past {
                let _ = killpg(Pid::from_raw(self.pid() as i32), Signal::SIGKILL);
                let who = |p: &Process| match p.pid == self.pid() {
                    true => format!("the program (process {})", p.pid),
                    false => format!("process {}, which the program started,", p.pid),
                };
                if let Some(process) = ignores {
                    panic!(
                        "After Ctrl-C (SIGINT, sent to every process of the run), {} still \
                         ran: it ignores Ctrl-C (SIGINT). The check killed it.",
                        who(process)
                    );
                }
                let catches = running.iter().find(|p| sigint_is(p.pid, "SigCgt:"));
                if let Some(process) = catches {
                    panic!(
                        "After Ctrl-C (SIGINT, sent to every process of the run), {} still \
                         ran {} seconds later: it catches Ctrl-C (SIGINT) with a handler, and \
                         the handler does not end it. The check killed it.",
                        who(process),
                        DEADLINE.as_secs()
                    );
                }
                panic!(
                    "After Ctrl-C (SIGINT, sent to every process of the run), {} still ran {} \
                     seconds later. The check killed it.",
                    who(&running[0]),
                    DEADLINE.as_secs()
                );
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// The child the program forked, once it has one (within [`DEADLINE`]).
    pub fn child_pid(&self) -> u32 {
        loop {
            let members = group_members(self.pid());
            if let Some(child) = members.iter().find(|p| p.ppid == self.pid()) {
                return child.pid;
            }
            assert!(self.started.elapsed() < DEADLINE, "no child: {members:?}");
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Wait (within [`DEADLINE`]) until process `pid` of this run is in
    /// `state`: `Z` once it has ended and its parent has not reaped it, `S`
    /// once it sleeps, for instance blocked in a read.
    pub fn wait_for_state(&self, pid: u32, state: char) {
        while self.state_of(pid) != Some(state) {
            assert!(self.started.elapsed() < DEADLINE, "{pid} is still {:?}", self.state_of(pid));
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// The state (`/proc/<pid>/stat`) of process `pid` of this run: `R` or
    /// `S` while it runs or waits, `Z` once it ended and nobody reaped it.
    pub fn state_of(&self, pid: u32) -> Option<char> {
        group_members(self.pid()).into_iter().find(|p| p.pid == pid).map(|p| p.state)
    }

    /// Wait (within [`DEADLINE`]) until the program has `count` threads and
    /// every one of them sleeps (`/proc/<pid>/task/*/stat`, Linux): a
    /// deadlock, when each waits for another. Fails at once if the program
    /// ends instead (all that is left is its main thread, a zombie, `Z`):
    /// it never will.
    #[cfg(target_os = "linux")]
    pub fn wait_until_threads_sleep(&self, count: usize) {
        loop {
            let states: Vec<char> = std::fs::read_dir(format!("/proc/{}/task", self.pid()))
                .map(|tasks| tasks.flatten().filter_map(|task| task_state(&task.path())).collect())
                .unwrap_or_default();
            if states.len() == count && states.iter().all(|&state| state == 'S') {
                return;
            }
            assert!(states != ['Z'], "the program ended before {count} threads slept");
            self.after_deadline(&format!("threads not all asleep: {states:?}"));
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// How many times the program's threads have given up the processor
    /// to wait, all together: `voluntary_ctxt_switches` in
    /// `/proc/<pid>/task/*/status` (Linux). A thread that sleeps until an
    /// event does this once a wait; one that looks every millisecond, a
    /// thousand times a second.
    #[cfg(target_os = "linux")]
    pub fn voluntary_context_switches(&self) -> u64 {
        let tasks = std::fs::read_dir(format!("/proc/{}/task", self.pid())).expect("running");
        let statuses =
            tasks.flatten().filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok());
        statuses
            .filter_map(|status| {
                let line = status.lines().find(|l| l.starts_with("voluntary_ctxt_switches:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .sum()
    }
}

/// Is SIGINT in the signal set `key` (`SigIgn:` ignored, `SigCgt:` caught
/// by a handler) of process `pid`, as `/proc/<pid>/status` shows it (a mask
/// in hexadecimal, bit 0 for signal 1)? Elsewhere: never known, `false`.
fn sigint_is(pid: u32, key: &str) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return false;
    };
    let mask = status.lines().find_map(|line| line.strip_prefix(key));
    let mask = mask.and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok());
    mask.is_some_and(|mask| mask & (1 << (Signal::SIGINT as i32 - 1)) != 0)
}

/// The state letter in the `stat` file of a process or thread folder
/// (`/proc/<pid>` or `/proc/<pid>/task/<tid>`), the field after the `(name)`:
/// see [`describe`].
#[cfg(target_os = "linux")]
pub fn task_state(dir: &std::path::Path) -> Option<char> {
    let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().next()?.chars().next()
}

/// A process state letter, in words.
pub fn describe(state: char) -> String {
    let words = match state {
        'S' => "sleeping: blocked, here in read",
        'Z' => "zombie: it has ended, and its parent has not reaped it",
        'R' => "running",
        _ => "see `man proc`",
    };
    format!("{state} ({words})")
}

/// Send `signal` to one process.
pub fn send(pid: u32, signal: Signal) {
    nix::sys::signal::kill(Pid::from_raw(pid as i32), signal).expect("the process exists");
}
