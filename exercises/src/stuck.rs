//! A run that will never end, seen in two seconds instead of at the test
//! helpers' deadline (`common::testing::DEADLINE`, 20 seconds), and said in
//! words: which process waits for what.
//!
//! The checks' runs are bounded (`--count`) and quick (`--tick 0` or `1ms`):
//! a right program never sleeps more than a few milliseconds at a time, and
//! ends within a second. A wrong one may never end: a parent reads a pipe
//! whose write end it still holds, a child writes into a full pipe whose read
//! end it holds itself, a thread joins a writer that waits for a reader. Then
//! every thread of every process of the run sleeps in a system call (state
//! `S` in `/proc`), and none of them ever runs again: the count of times each
//! was switched off the processor (`/proc/<pid>/task/<tid>/status`) stops.
//! When that has held for [`STUCK_AFTER`], the run is stuck: only one of its
//! threads could wake another (or a timer, for a thread that sleeps; a
//! right run never sleeps that long), and none runs. The check itself only
//! reads stdout and stderr, so a thread asleep writing to a pipe the check
//! reads waits for the check, not for the run: such a run is never called
//! stuck. A busy machine does not make a right run look stuck either: a
//! thread that is ready and waits for a processor is in state `R`, not `S`.
//!
//! A run may also never end while it runs: a loop that reads again after
//! end-of-file, over and over. A right run of the checks uses a few
//! hundredths of a second of processor time at most; one that has used
//! [`BUSY_AFTER`] and still runs is called busy. Processor time, not the
//! time on the clock: a busy machine gives a run less of it, never more.

use std::fs;
use std::io;
use std::time::{Duration, Instant};

use common::testing::{DEADLINE, group_members, task_state};
use nix::libc;

/// How long every thread of a run must sleep, none of them woken, before a
/// check calls it stuck. A right run of the checks never sleeps more than
/// 4 ms at a time (four ticks of 1 ms).
pub const STUCK_AFTER: Duration = Duration::from_secs(2);

/// How much processor time a run may use, all its processes together,
/// before a check calls it busy: a right run of the checks uses less than
/// a hundredth of that.
pub const BUSY_AFTER: Duration = Duration::from_secs(2);

/// How a run is, at one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Look {
    /// Every process of the run has ended (zombies count as ended).
    Ended,
    /// Stuck for good: why, a sentence for each sleeping thread.
    Stuck(String),
    /// Busy for good: it has used [`BUSY_AFTER`] of processor time, and
    /// still runs. Which process used how much.
    Busy(String),
    /// Running, or asleep for less than [`STUCK_AFTER`].
    Running,
}

/// Watches the processes of one process group (a run of `spawn`).
#[derive(Debug)]
pub struct Watch {
    group: u32,
    started: Instant,
    /// Names given to processes: `(pid, "the child")`.
    names: Vec<(u32, String)>,
    /// Since when every thread has slept, and how often each had been
    /// switched off the processor then: `(tid, switches)`.
    asleep: Option<(Instant, Vec<(u32, u64)>)>,
}

impl Watch {
    /// Watch the run whose process group is `group`, from now on.
    pub fn new(group: u32) -> Watch {
        Watch { group, started: Instant::now(), names: Vec::new(), asleep: None }
    }

    /// Call process `pid` `name` in what the watch says ("the child").
    pub fn with_name(mut self, pid: u32, name: &str) -> Watch {
        self.names.push((pid, name.to_owned()));
        self
    }

    /// Look every few milliseconds until the run has ended, or is stuck or busy.
    /// Past [`DEADLINE`] from the watch's start, gives up: [`Look::Running`].
    pub fn until_ended_or_stuck(&mut self) -> Look {
        loop {
            let look = self.look();
            if look != Look::Running || self.past_deadline() {
                return look;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Has the watch watched for longer than [`DEADLINE`]?
    pub fn past_deadline(&self) -> bool {
        self.started.elapsed() > DEADLINE
    }

    /// One look at the run.
    pub fn look(&mut self) -> Look {
        let processes: Vec<u32> = group_members(self.group)
            .into_iter()
            .filter(|process| process.state != 'Z')
            .map(|process| process.pid)
            .collect();
        if processes.is_empty() {
            return Look::Ended;
        }
        let used: Vec<(u32, Duration)> =
            processes.iter().filter_map(|&pid| Some((pid, processor_time(pid)?))).collect();
        if used.iter().map(|(_, time)| *time).sum::<Duration>() >= BUSY_AFTER {
            let said: Vec<String> = used
                .iter()
                .filter(|(_, time)| !time.is_zero())
                .map(|(pid, time)| {
                    let seconds = time.as_secs_f64();
                    format!("{} has used {seconds:.1} s of processor time", self.name(*pid))
                })
                .collect();
            return Look::Busy(capitalized(&said.join(", ")) + ".");
        }
        let threads: Vec<Thread> = processes.iter().flat_map(|&pid| threads_of(pid)).collect();
        let all_asleep = !threads.is_empty()
            && threads.iter().all(|thread| thread.state == 'S' && thread.call.is_some())
            && !threads.iter().any(waits_for_the_check);
        if !all_asleep {
            self.asleep = None;
            return Look::Running;
        }
        let switches: Vec<(u32, u64)> = threads.iter().map(|t| (t.tid, t.switches)).collect();
        match &self.asleep {
            Some((since, before)) if *before == switches => {
                if since.elapsed() < STUCK_AFTER {
                    return Look::Running;
                }
                Look::Stuck(self.why(&threads))
            }
            _ => {
                self.asleep = Some((Instant::now(), switches));
                Look::Running
            }
        }
    }

    /// A sentence for each sleeping thread: what it waits for.
    fn why(&self, threads: &[Thread]) -> String {
        let mut sentences = Vec::new();
        for thread in threads {
            let siblings = threads.iter().filter(|t| t.pid == thread.pid).count();
            let process = self.name(thread.pid);
            let who = match (siblings, thread.tid == thread.pid) {
                (1, _) => process.clone(),
                (_, true) => format!("{process}, its main thread,"),
                (_, false) => format!("{process}, in its thread {},", thread.tid),
            };
            let said = match thread.call.clone().unwrap_or(Call::Other(-1)) {
                Call::Read(fd) => match pipe_of(&thread.pid.to_string(), fd) {
                    Some(pipe) => {
                        let writers = self.holders(&pipe, Mode::Write, thread.pid);
                        if let Some(silent) = self.silent_writers(&pipe, thread) {
                            format!(
                                "{who} waits in a read of a pipe (fd {fd}), and nothing has \
                                 arrived in it: {silent}. Does what it writes still sit in a \
                                 buffer (a BufWriter never flushed)?"
                            )
                        } else if writers.is_empty() {
                            format!("{who} waits in a read of a pipe (fd {fd})")
                        } else {
                            format!(
                                "{who} waits in a read of a pipe (fd {fd}) that never sees \
                                 end-of-file, since a write end of it is still open: {writers}"
                            )
                        }
                    }
                    None => format!("{who} waits in a read of fd {fd}"),
                },
                Call::Write(fd) => match pipe_of(&thread.pid.to_string(), fd) {
                    Some(pipe) => {
                        let readers = self.holders(&pipe, Mode::Read, thread.pid);
                        if readers.is_empty() {
                            format!("{who} waits in a write to a full pipe (fd {fd})")
                        } else {
                            format!(
                                "{who} waits in a write to a full pipe (fd {fd}) that nobody \
                                 reads; the write never fails, since a read end of it is still \
                                 open: {readers}"
                            )
                        }
                    }
                    None => format!("{who} waits in a write to fd {fd}"),
                },
                Call::WaitChild => format!("{who} waits for its child to end"),
                Call::Futex => {
                    format!("{who} waits for another thread (a join, a lock, a channel)")
                }
                Call::Sleep => format!("{who} sleeps (a timer, as thread::sleep sets)"),
                Call::Other(number) => format!("{who} waits in system call {number}"),
            };
            let end = if said.ends_with('?') { "" } else { "." };
            sentences.push(capitalized(&said) + end);
        }
        sentences.join("\n")
    }

    /// `the parent (process 12)`: see [`Watch::short_name`].
    fn name(&self, pid: u32) -> String {
        match self.short_name(pid) {
            Some(name) => format!("{name} (process {pid})"),
            None => format!("process {pid}"),
        }
    }

    /// The name given with [`Watch::with_name`]; else the program (the
    /// parent, if it has a child), or its child.
    fn short_name(&self, pid: u32) -> Option<String> {
        if let Some((_, name)) = self.names.iter().find(|(named, _)| *named == pid) {
            return Some(name.clone());
        }
        let members = group_members(self.group);
        if pid == self.group {
            let parent = members.iter().any(|p| p.ppid == pid);
            return Some(if parent { "the parent" } else { "the program" }.to_owned());
        }
        let child = members.iter().any(|p| p.pid == pid && p.ppid == self.group);
        child.then(|| "the child".to_owned())
    }

    /// If every thread that could write into `pipe` (a thread of a process
    /// that holds its write end, other than `reader`) has written no byte at
    /// all, to any file (`wchar` of `/proc/<pid>/task/<tid>/io`), they in
    /// words: `the child (process 13), which holds a write end (fd 4), has
    /// written no byte ...`. `None` if one of them has written, or if there
    /// is none (then the write end is held by the reader alone).
    fn silent_writers(&self, pipe: &str, reader: &Thread) -> Option<String> {
        let mut said = Vec::new();
        for process in group_members(self.group).into_iter().filter(|p| p.state != 'Z') {
            let fds: Vec<String> = pipe_ends(&process.pid.to_string())
                .into_iter()
                .filter(|(_, end, modes)| end == pipe && modes.contains(&Mode::Write))
                .map(|(fd, _, _)| format!("fd {fd}"))
                .collect();
            if fds.is_empty() {
                continue;
            }
            let tasks = fs::read_dir(format!("/proc/{}/task", process.pid)).ok()?;
            let writers: Vec<u32> = tasks
                .flatten()
                .filter_map(|task| task.file_name().to_str()?.parse().ok())
                .filter(|&tid| tid != reader.tid)
                .collect();
            for &tid in &writers {
                if written(process.pid, tid)? > 0 {
                    return None;
                }
            }
            let who = match (process.pid == reader.pid, writers.len()) {
                (_, 0) => continue,
                (true, _) => format!("the other threads of {}", self.name(process.pid)),
                (false, _) => self.name(process.pid),
            };
            let fds = fds.join(", ");
            said.push(format!(
                "{who}, which holds a write end ({fds}), has not written a byte, to it or to \
                 anything else (/proc/{}/io counts none)",
                process.pid
            ));
        }
        (!said.is_empty()).then(|| said.join("; "))
    }

    /// Who holds an end of `pipe` open for `mode`, in words: `the parent
    /// itself holds one (fd 4)` (when it is `asker`), `the child (process
    /// 13) holds one (fd 3)`.
    fn holders(&self, pipe: &str, mode: Mode, asker: u32) -> String {
        let mut holders = Vec::new();
        for process in group_members(self.group).into_iter().filter(|p| p.state != 'Z') {
            let fds: Vec<String> = pipe_ends(&process.pid.to_string())
                .into_iter()
                .filter(|(_, end, modes)| end == pipe && modes.contains(&mode))
                .map(|(fd, _, _)| format!("fd {fd}"))
                .collect();
            let who = match process.pid == asker {
                true => {
                    let name = self.short_name(process.pid);
                    format!("{} itself", name.unwrap_or_else(|| format!("process {}", process.pid)))
                }
                false => self.name(process.pid),
            };
            let count = match fds.len() {
                0 => continue,
                1 => "one".to_owned(),
                2 => "two".to_owned(),
                n => n.to_string(),
            };
            holders.push(format!("{who} holds {count} ({})", fds.join(", ")));
        }
        holders.join(" and ")
    }
}

/// The processor time process `pid` has used, all its threads together:
/// `utime` and `stime`, fields 14 and 15 of `/proc/<pid>/stat`, in clock
/// ticks (`USER_HZ`, a hundredth of a second on Linux).
fn processor_time(pid: u32) -> Option<Duration> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (name) state ppid ...": the name may hold spaces, so split after ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// How many bytes thread `tid` of process `pid` has written, to any file:
/// `wchar` in `/proc/<pid>/task/<tid>/io`.
fn written(pid: u32, tid: u32) -> Option<u64> {
    let io = fs::read_to_string(format!("/proc/{pid}/task/{tid}/io")).ok()?;
    let line = io.lines().find_map(|line| line.strip_prefix("wchar:"))?;
    line.trim().parse().ok()
}

/// One thread of a process, as `/proc/<pid>/task/<tid>` shows it.
#[derive(Debug, Clone)]
struct Thread {
    pid: u32,
    tid: u32,
    state: char,
    /// How often it was switched off the processor, by itself or not.
    switches: u64,
    /// What it waits in, if it sleeps in a system call (`None` if it runs,
    /// or if `/proc` does not say).
    call: Option<Call>,
}

/// A system call a thread sleeps in, from `/proc/<pid>/task/<tid>/syscall`:
/// its number, then its arguments (the first, for `read` and `write`, is
/// the file descriptor).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Call {
    Read(u32),
    Write(u32),
    /// `wait4` or `waitid`: waiting for a child.
    WaitChild,
    /// A futex: `join`, a lock, a channel.
    Futex,
    Sleep,
    Other(i64),
}

fn threads_of(pid: u32) -> Vec<Thread> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new(); // it ended while we looked
    };
    let mut threads: Vec<Thread> = tasks
        .flatten()
        .filter_map(|task| {
            let tid = task.file_name().to_str()?.parse().ok()?;
            let state = task_state(&task.path())?;
            let status = fs::read_to_string(task.path().join("status")).ok()?;
            let count = |key: &str| -> Option<u64> {
                let line = status.lines().find(|line| line.starts_with(key))?;
                line.split_whitespace().nth(1)?.parse().ok()
            };
            let switches =
                count("voluntary_ctxt_switches:")? + count("nonvoluntary_ctxt_switches:")?;
            let call = fs::read_to_string(task.path().join("syscall")).ok().and_then(|s| call(&s));
            Some(Thread { pid, tid, state, switches, call })
        })
        .collect();
    threads.sort_by_key(|thread| thread.tid);
    threads
}

/// Is `thread` asleep in a write to a pipe that this process, the check,
/// reads (the run's stdout or stderr)? Then it waits for the check.
fn waits_for_the_check(thread: &Thread) -> bool {
    let Some(Call::Write(fd)) = thread.call else { return false };
    let Some(pipe) = pipe_of(&thread.pid.to_string(), fd) else { return false };
    let check = pipe_ends("self");
    check.iter().any(|(_, end, modes)| *end == pipe && modes.contains(&Mode::Read))
}

/// `0 0x3 0x7ffd... ...` -> `Read(3)`; `running`, or `-1 ...` (asleep, but
/// not in a system call) -> `None`.
fn call(syscall: &str) -> Option<Call> {
    let mut fields = syscall.split_whitespace();
    let number: i64 = fields.next()?.parse().ok()?;
    let fd = fields.next().and_then(|first| first.strip_prefix("0x"));
    let fd = fd.and_then(|first| u32::from_str_radix(first, 16).ok());
    Some(match number {
        -1 => return None,
        libc::SYS_read | libc::SYS_readv => Call::Read(fd?),
        libc::SYS_write | libc::SYS_writev => Call::Write(fd?),
        libc::SYS_wait4 | libc::SYS_waitid => Call::WaitChild,
        libc::SYS_futex => Call::Futex,
        libc::SYS_nanosleep | libc::SYS_clock_nanosleep => Call::Sleep,
        other => Call::Other(other),
    })
}

/// Which way a descriptor is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Read,
    Write,
}

/// A pipe end a process holds: see [`held_ends`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldEnd {
    pub fd: u32,
    /// Which pipe: its name in `/proc`, `pipe:[<inode>]`.
    pub pipe: String,
    /// Open for reading, for writing (a pipe end is one or the other; a
    /// descriptor could be open both ways).
    pub reads: bool,
    pub writes: bool,
}

/// Every pipe end that `process` (a pid, or `self`) holds, by descriptor
/// number: from Linux's `/proc/<process>/fd`, where each is a link named
/// `pipe:[<inode>]`, and `/proc/<process>/fdinfo`, whose `flags` (octal) say
/// how it is open: 0 for reading, 1 for writing, 2 for both in their low two
/// bits. (Moved here from `common`, which reads no `/proc`.)
pub fn held_ends(process: &str) -> io::Result<Vec<HeldEnd>> {
    let mut ends: Vec<HeldEnd> = fs::read_dir(format!("/proc/{process}/fd"))?
        .filter_map(|entry| {
            let fd: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let pipe = fs::read_link(format!("/proc/{process}/fd/{fd}")).ok()?;
            let pipe = pipe.to_str().filter(|name| name.starts_with("pipe:"))?.to_owned();
            let info = fs::read_to_string(format!("/proc/{process}/fdinfo/{fd}")).ok()?;
            let flags = info.lines().find_map(|line| line.strip_prefix("flags:"))?.trim();
            let mode = u32::from_str_radix(flags, 8).ok()? & 0o3;
            Some(HeldEnd { fd, pipe, reads: mode != 1, writes: mode != 0 })
        })
        .collect();
    ends.sort_by_key(|end| end.fd);
    Ok(ends)
}

/// The pipe descriptor `fd` of `process` (a pid, or `self`) refers to:
/// `pipe:[1234]`.
fn pipe_of(process: &str, fd: u32) -> Option<String> {
    let target = fs::read_link(format!("/proc/{process}/fd/{fd}")).ok()?;
    let target = target.to_str()?.to_owned();
    target.starts_with("pipe:").then_some(target)
}

/// Every pipe end `process` (a pid, or `self`) holds, sorted: `(fd, pipe,
/// which ways it is open)`, as [`held_ends`] reads them (none
/// if the process is gone).
pub(crate) fn pipe_ends(process: &str) -> Vec<(u32, String, Vec<Mode>)> {
    let ends = held_ends(process).unwrap_or_default();
    ends.into_iter()
        .map(|end| {
            let modes = [(end.reads, Mode::Read), (end.writes, Mode::Write)];
            let modes = modes.into_iter().filter_map(|(held, mode)| held.then_some(mode)).collect();
            (end.fd, end.pipe, modes)
        })
        .collect()
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
