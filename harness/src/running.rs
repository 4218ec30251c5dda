//! Running a program in a process group of its own, within a deadline.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal::SIGINT;
use nix::sys::signal::{SigHandler, Signal, killpg, signal};
use nix::unistd::Pid;

use crate::proc::{self, Holder, Process, group_members};

/// How long any run may take before the test calls it a hang.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// How much of a run's stdout is kept, at most: a program may print without
/// end. What comes after is read and thrown away, so that the program never
/// waits for the test. (The largest output of a right run of the tests is
/// under 1 MiB: 10,000 messages.)
pub const KEPT_STDOUT: u64 = 8 << 20;

/// How much of a run's stderr is kept, at most; the rest is thrown away.
pub const KEPT_STDERR: u64 = 1 << 20;

/// A program running in its own process group.
#[derive(Debug)]
pub struct Running {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    stdout_done: Option<thread::JoinHandle<()>>,
    stderr: Option<thread::JoinHandle<String>>,
    /// The pipes this process reads the run's output from, as `/proc`
    /// names them: `pipe:[1234]` (where there is `/proc`; empty elsewhere).
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
/// [`proc::pipe_of`] names them: `pipe:[1234]` (where [`proc::present`];
/// none elsewhere, where [`proc::holds_any`] could not use them).
fn output_pipes(child: &std::process::Child) -> Vec<String> {
    use std::os::fd::AsRawFd;
    if !proc::present() {
        return Vec::new();
    }
    let stdout = child.stdout.as_ref().map(AsRawFd::as_raw_fd);
    let stderr = child.stderr.as_ref().map(AsRawFd::as_raw_fd);
    let fds = [stdout, stderr].into_iter().flatten();
    fds.filter_map(|fd| proc::pipe_of(Holder::Me, u32::try_from(fd).ok()?)).collect()
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
    pub fn wait(mut self) -> Output {
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
            // (Looked for every 50 ms: each look reads every process's descriptors.)
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
        Output { status, stdout: stdout.into_bytes(), stderr: stderr.into_bytes() }
    }

    /// [`Running::wait`], then check that no process of the run is left,
    /// not even a zombie: every child was reaped.
    pub fn wait_for_group(self) -> Output {
        let group = self.pid();
        let output = self.wait();
        assert!(group_is_gone(group), "processes of the run are left: {:?}", group_members(group));
        output
    }

    /// A process that holds the run's stdout or stderr open, though it is
    /// not in the run's process group, when no process of the group runs
    /// any more ([`proc::holds_any`]: Linux; elsewhere, never found).
    fn output_held_outside_the_group(&self) -> Option<u32> {
        if self.outputs.is_empty() || group_members(self.pid()).iter().any(|p| !p.ended()) {
            return None;
        }
        let me = std::process::id();
        let others = proc::processes().into_iter().map(|p| p.pid).filter(|&pid| pid != me);
        others.into_iter().find(|&pid| proc::holds_any(pid, &self.outputs))
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

/// Wait (within [`DEADLINE`]) until no process of group `group` runs any
/// more. A zombie counts as ended: it runs nothing and holds no pipe. (When a
/// parent is killed, its child becomes a child of init, which reaps it. On
/// machines whose init does not reap, the zombie stays; it is not ours to reap.)
pub fn wait_until_group_ended(group: u32) {
    let start = Instant::now();
    loop {
        let running: Vec<Process> =
            group_members(group).into_iter().filter(|p| !p.ended()).collect();
        if running.is_empty() {
            return;
        }
        assert!(start.elapsed() < DEADLINE, "processes of the run still run: {running:?}");
        thread::sleep(Duration::from_millis(5));
    }
}

impl Running {
    /// After Ctrl-C (SIGINT sent to the group): wait (within [`DEADLINE`])
    /// until no process of the group runs any more. A process that ignores
    /// SIGINT never will: that is said at once (Linux: [`proc::signals`]);
    /// one that catches it with a handler, at the deadline. Either way the whole group is killed first.
    pub fn wait_for_ctrl_c(&self) {
        loop {
            let running: Vec<Process> =
                group_members(self.pid()).into_iter().filter(|p| !p.ended()).collect();
            if running.is_empty() {
                return;
            }
            let ignores = running
                .iter()
                .find(|p| proc::signals(p.pid).is_some_and(|s| s.ignores(SIGINT as i32)));
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
                let catches = running
                    .iter()
                    .find(|p| proc::signals(p.pid).is_some_and(|s| s.catches(SIGINT as i32)));
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

    /// The state ([`Process::state`]) of process `pid` of this run: `R` or
    /// `S` while it runs or waits, `Z` once it ended and nobody reaped it.
    pub fn state_of(&self, pid: u32) -> Option<char> {
        group_members(self.pid()).into_iter().find(|p| p.pid == pid).map(|p| p.state)
    }

    /// Wait (within [`DEADLINE`]) until the program has `count` threads and
    /// every one of them sleeps ([`proc::threads`], Linux): a deadlock, when
    /// each waits for another. Fails at once if the program ends instead
    /// (all that is left is its main thread, a zombie, `Z`): it never will.
    /// Where there is no `/proc` ([`proc::present`]) it sees no thread, and
    /// fails at the deadline.
    pub fn wait_until_threads_sleep(&self, count: usize) {
        loop {
            let states: Vec<char> = proc::threads(self.pid()).iter().map(|t| t.state).collect();
            if states.len() == count && states.iter().all(|&state| state == 'S') {
                return;
            }
            assert!(states != ['Z'], "the program ended before {count} threads slept");
            self.after_deadline(&format!("threads not all asleep: {states:?}"));
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// How many times the program's threads have given up the processor
    /// to wait, all together ([`proc::Thread::voluntary_switches`], Linux).
    /// A thread that sleeps until an event does this once a wait; one that
    /// looks every millisecond, a thousand times a second. Panics if the
    /// program has ended.
    #[cfg(target_os = "linux")]
    pub fn voluntary_context_switches(&self) -> u64 {
        let threads = proc::threads(self.pid());
        assert!(!threads.is_empty(), "the program is running");
        threads.iter().map(|thread| thread.voluntary_switches).sum()
    }
}

/// Send `signal` to one process.
pub fn send(pid: u32, signal: Signal) {
    nix::sys::signal::kill(Pid::from_raw(pid as i32), signal).expect("the process exists");
}
