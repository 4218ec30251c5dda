//! A run that will never end, seen in two seconds instead of at the test
//! helpers' deadline ([`DEADLINE`], 20 seconds), and said in
//! words: which process waits for what.
//!
//! The checks' runs are bounded (`--count`) and quick (`--tick 0` or `1ms`):
//! a right program never sleeps more than a few milliseconds at a time, and
//! ends within a second. A wrong one may never end: a parent reads a pipe
//! whose write end it still holds, a child writes into a full pipe whose read
//! end it holds itself, a thread joins a writer that waits for a reader. Then
//! every thread of every process of the run sleeps in a system call (state
//! `S`, [`proc::Thread::call`]), and none of them ever runs again: the count
//! of times each was switched off the processor ([`proc::Thread::switches`])
//! stops.
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
//!
//! Where there is no `/proc` ([`proc::present`]: macOS, or Linux with
//! `EXERCISES_NO_PROC=1`), neither can be seen: no thread states, no system
//! calls, no switches, no processor time. A run that has not ended after
//! [`OVERDUE_AFTER`] is then called overdue, and the watch says what can
//! still be seen: which pipe ends each of its processes holds (`lsof`), and
//! that what each thread waits in is not known.

use std::time::{Duration, Instant};

use crate::DEADLINE;
use crate::proc::{self, Call, Holder, Thread, group_members};

/// How long every thread of a run must sleep, none of them woken, before a
/// check calls it stuck. A right run of the checks never sleeps more than
/// 4 ms at a time (four ticks of 1 ms).
pub const STUCK_AFTER: Duration = Duration::from_secs(2);

/// How much processor time a run may use, all its processes together,
/// before a check calls it busy: a right run of the checks uses less than
/// a hundredth of that.
pub const BUSY_AFTER: Duration = Duration::from_secs(2);

/// Where there is no `/proc`, how long a run may go before the watch calls
/// it overdue: a right run of the checks ends within a second. Shorter than
/// [`DEADLINE`], so that the watch, not the helpers' deadline, says it.
pub const OVERDUE_AFTER: Duration = Duration::from_secs(10);

const _: () = assert!(OVERDUE_AFTER.as_secs() < DEADLINE.as_secs());

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
    /// Where there is no `/proc`: still running after [`OVERDUE_AFTER`].
    /// Which pipe ends each process holds, and what could not be seen.
    Overdue(String),
    /// Running, or asleep for less than [`STUCK_AFTER`] (where there is no
    /// `/proc`: running for less than [`OVERDUE_AFTER`]).
    Running,
}

/// Watches the processes of one process group (a run of [`spawn`](crate::spawn)).
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

    /// Look every few milliseconds until the run has ended, or is stuck,
    /// busy or overdue. Past [`DEADLINE`] from the watch's start, gives up:
    /// [`Look::Running`]. (Where there is no `/proc`, each look runs `ps`:
    /// it looks every 50 ms, not 10.)
    pub fn until_ended_or_stuck(&mut self) -> Look {
        let pause = Duration::from_millis(if proc::present() { 10 } else { 50 });
        loop {
            let look = self.look();
            if look != Look::Running || self.past_deadline() {
                return look;
            }
            std::thread::sleep(pause);
        }
    }

    /// Has the watch watched for longer than [`DEADLINE`]?
    pub fn past_deadline(&self) -> bool {
        self.started.elapsed() > DEADLINE
    }

    /// One look at the run. Where there is no `/proc`, it has ended, or is
    /// overdue (see [`OVERDUE_AFTER`]), or is running.
    pub fn look(&mut self) -> Look {
        let processes: Vec<u32> = group_members(self.group)
            .into_iter()
            .filter(|process| !process.ended())
            .map(|process| process.pid)
            .collect();
        if processes.is_empty() {
            return Look::Ended;
        }
        if !proc::present() {
            return match self.started.elapsed() > OVERDUE_AFTER {
                true => Look::Overdue(self.held(&processes)),
                false => Look::Running,
            };
        }
        let used: Vec<(u32, Duration)> =
            processes.iter().filter_map(|&pid| Some((pid, proc::processor_time(pid)?))).collect();
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
        let threads: Vec<Thread> = processes.iter().flat_map(|&pid| proc::threads(pid)).collect();
        let all_asleep = !threads.is_empty()
            && threads.iter().all(|thread| thread.state == 'S' && thread.call.is_some())
            && !threads.iter().any(waits_for_the_check);
        if !all_asleep {
            self.asleep = None;
            return Look::Running;
        }
        let switches: Vec<(u32, u64)> = threads.iter().map(|t| (t.tid, t.switches())).collect();
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
                Call::Read { fd, .. } | Call::Readv { fd } => match pipe_of(thread.pid, fd) {
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
                Call::Write { fd } => match pipe_of(thread.pid, fd) {
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

    /// Where there is no `/proc`: which pipe ends each of `processes` holds
    /// (pipes numbered in the order they are met; the check's own, the
    /// run's stdout and stderr, left out), a sentence each, then what could
    /// not be seen.
    fn held(&self, processes: &[u32]) -> String {
        let ours: Vec<String> =
            proc::pipe_ends(Holder::Me).into_iter().map(|end| end.pipe).collect();
        let mut pipes: Vec<String> = Vec::new();
        let mut sentences = Vec::new();
        for &pid in processes {
            let mut said = Vec::new();
            for end in proc::pipe_ends(Holder::Pid(pid)) {
                if ours.contains(&end.pipe) {
                    continue;
                }
                if !pipes.contains(&end.pipe) {
                    pipes.push(end.pipe.clone());
                }
                let number = pipes.iter().position(|pipe| *pipe == end.pipe).unwrap() + 1;
                let way = match (end.reads, end.writes) {
                    (true, false) => "the read end",
                    (false, true) => "the write end",
                    _ => "an end", // macOS's lsof may not say which
                };
                said.push(format!("{way} of pipe {number} (fd {})", end.fd));
            }
            let said = match said.len() {
                0 => "no pipe end but its stdout and stderr".to_owned(),
                _ => said.join(", "),
            };
            sentences.push(capitalized(&format!("{} holds {said}.", self.name(pid))));
        }
        sentences.push(format!(
            "This system has no /proc, so the check cannot see {}: which process waits, \
             and for what, only Linux tells.",
            proc::ONLY_PROC_TELLS
        ));
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
    /// all, to any file ([`proc::thread_io`]), they in
    /// words: `the child (process 13), which holds a write end (fd 4), has
    /// written no byte ...`. `None` if one of them has written, or if there
    /// is none (then the write end is held by the reader alone).
    fn silent_writers(&self, pipe: &str, reader: &Thread) -> Option<String> {
        let mut said = Vec::new();
        for process in group_members(self.group).into_iter().filter(|p| !p.ended()) {
            let fds = ends(process.pid, pipe, Mode::Write);
            if fds.is_empty() {
                continue;
            }
            let writers: Vec<u32> = proc::threads(process.pid)
                .into_iter()
                .map(|thread| thread.tid)
                .filter(|&tid| tid != reader.tid)
                .collect();
            for &tid in &writers {
                if proc::thread_io(process.pid, tid)?.wchar > 0 {
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
        for process in group_members(self.group).into_iter().filter(|p| !p.ended()) {
            let fds = ends(process.pid, pipe, mode);
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

/// Is `thread` asleep in a write to a pipe that this process, the check,
/// reads (the run's stdout or stderr)? Then it waits for the check.
fn waits_for_the_check(thread: &Thread) -> bool {
    let Some(Call::Write { fd }) = thread.call else { return false };
    let Some(pipe) = pipe_of(thread.pid, fd) else { return false };
    proc::pipe_ends(Holder::Me).iter().any(|end| end.pipe == pipe && end.reads)
}

/// Which way a pipe end is open, for [`ends`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Read,
    Write,
}

/// The pipe descriptor `fd` of process `pid` refers to: `pipe:[1234]`.
fn pipe_of(pid: u32, fd: u32) -> Option<String> {
    proc::pipe_of(Holder::Pid(pid), fd)
}

/// The descriptors by which process `pid` holds `pipe` open for `mode`, in
/// words: `fd 3`, `fd 4`.
fn ends(pid: u32, pipe: &str, mode: Mode) -> Vec<String> {
    let ends = proc::pipe_ends(Holder::Pid(pid)).into_iter().filter(|end| end.pipe == pipe);
    let ends = ends.filter(|end| match mode {
        Mode::Read => end.reads,
        Mode::Write => end.writes,
    });
    ends.map(|end| format!("fd {}", end.fd)).collect()
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
