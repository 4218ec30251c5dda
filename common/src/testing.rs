//! Helpers for the integration tests (feature `testing`).
//!
//! Tests never fork inside the test harness (it runs tests on many threads,
//! and a fork copies only one of them). They run the programs as
//! subprocesses instead, each in a process group of its own, so that a test
//! can signal the whole run (as Ctrl-C does), see every process of it in
//! `/proc`, and kill all of it if it outlives its deadline: a hang fails
//! the test, it never hangs the suite.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

pub use assert_cmd::prelude::*;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// How long any run may take before the test calls it a hang.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// The insta filters every snapshot uses: the parent's process id and the
/// time change from run to run, so snapshots show `[PID]` and `[TIME]`.
pub const REDACTIONS: [(&str, &str); 3] = [
    (r"Parent \d+ got", "Parent [PID] got"),
    (r"(?m) at \d+\.\d\d$", " at [TIME]"),
    (r"\b(pid|child|parent|process) \d+", "$1 [PID]"),
];

/// A program running in its own process group.
#[derive(Debug)]
pub struct Running {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    stdout_done: Option<thread::JoinHandle<()>>,
    stderr: Option<thread::JoinHandle<String>>,
    started: Instant,
    finished: bool,
}

/// Start `program` with `args`, stdout and stderr captured, in a new process
/// group whose id is the program's pid.
pub fn spawn(program: impl AsRef<OsStr>, args: &[&str]) -> Running {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("the program starts");
    let (send, lines) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let stdout_done = thread::spawn(move || {
        for line in stdout.lines() {
            if send.send(line.expect("stdout is text")).is_err() {
                return; // the test closed its end, as `head` does
            }
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let stderr = thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).expect("stderr is text");
        text
    });
    Running {
        child,
        lines,
        stdout_done: Some(stdout_done),
        stderr: Some(stderr),
        started: Instant::now(),
        finished: false,
    }
}

/// Run `program` to its end (within [`DEADLINE`]) and check that no process
/// of the run is left, not even a zombie: every child was reaped.
pub fn run(program: impl AsRef<OsStr>, args: &[&str]) -> Output {
    let running = spawn(program, args);
    let group = running.pid();
    let output = running.wait();
    assert_eq!(group_members(group), [], "processes of the run are left");
    output
}

impl Running {
    /// The program's process id, which is also its process group's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line on stdout; panics if none comes within [`DEADLINE`].
    pub fn next_line(&mut self) -> String {
        let left = DEADLINE.saturating_sub(self.started.elapsed());
        self.lines
            .recv_timeout(left)
            .expect("a line on stdout in time")
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
        self.finished = true;
        let mut stdout = String::new();
        if let Some(reader) = self.stdout_done.take() {
            reader.join().expect("stdout reader");
            stdout = self.lines.try_iter().map(|line| line + "\n").collect();
        }
        let stderr = self.stderr.take().unwrap().join().expect("stderr reader");
        Output {
            status,
            stdout: stdout.into_bytes(),
            stderr: stderr.into_bytes(),
        }
    }

    fn wait_status(&mut self) -> ExitStatus {
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the program") {
                return status;
            }
            if self.started.elapsed() > DEADLINE {
                let _ = killpg(Pid::from_raw(self.pid() as i32), Signal::SIGKILL);
                panic!("the run took longer than {DEADLINE:?}: killed it");
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Running {
    /// A test that fails half-way must not leave its run behind.
    fn drop(&mut self) {
        if !self.finished {
            let _ = killpg(Pid::from_raw(self.pid() as i32), Signal::SIGKILL);
            let _ = self.child.wait();
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

/// Every process in process group `group`, zombies included.
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

/// Wait (within [`DEADLINE`]) until no process of group `group` runs any
/// more. A zombie counts as ended: it runs nothing and holds no pipe. (When a
/// parent is killed, its child becomes a child of init, which reaps it. On
/// machines whose init does not reap, the zombie stays; it is not ours to reap.)
pub fn wait_until_group_ended(group: u32) {
    let start = Instant::now();
    loop {
        let running: Vec<Process> = group_members(group)
            .into_iter()
            .filter(|p| p.state != 'Z')
            .collect();
        if running.is_empty() {
            return;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "processes of the run still run: {running:?}"
        );
        thread::sleep(Duration::from_millis(5));
    }
}
