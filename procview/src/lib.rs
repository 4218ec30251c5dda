//! What the kernel says of running processes, read from Linux's `/proc`:
//! the one place of the workspace (tests aside) that reads it.
//!
//! Each question has one typed answer: the processes and their groups
//! ([`Process`]), the threads of a process and what each waits in
//! ([`Thread`], [`Call`]), the bytes and calls each has read and written
//! ([`Io`]), the processor time a process has used, the pipe ends it holds
//! ([`PipeEnd`]), and which signals it ignores or catches ([`Signals`]);
//! and of the machine: its processor's model and whether it is a virtual
//! machine ([`Cpu`]), and its load average ([`load_average`]).
//!
//! Elsewhere (macOS) there is no `/proc` ([`present`] says so): [`processes`]
//! asks `ps` instead, [`pipe_ends`] and [`pipe_of`] ask `lsof`, and every
//! other question has no answer: `None`, or nothing found. On Linux, the
//! environment variable [`NO_PROC`] set to `1` makes this crate behave so
//! too, so that what a Mac sees can be tested on Linux.

use std::sync::OnceLock;
use std::time::Duration;

/// The environment variable that, set to `1`, makes this crate behave as
/// if the system had no `/proc` (as macOS has none): see [`present`].
pub const NO_PROC: &str = "EXERCISES_NO_PROC";

/// Does this system have Linux's `/proc`, and may this crate read it?
/// False where `/proc/self/stat` cannot be read (macOS), and on Linux when
/// the environment variable [`NO_PROC`] is `1`. Decided once a process,
/// at the first question.
pub fn present() -> bool {
    static PRESENT: OnceLock<bool> = OnceLock::new();
    *PRESENT.get_or_init(|| {
        let forced_off = std::env::var_os(NO_PROC).is_some_and(|value| value == "1");
        !forced_off && std::fs::metadata("/proc/self/stat").is_ok()
    })
}

/// What only Linux's `/proc` tells, in words, for a sentence that says it
/// could not be seen: `thread states, ...`.
pub const ONLY_PROC_TELLS: &str = "the state of each thread, the system call it waits in, and \
                                    the bytes each has read and written";

/// `std::fs::read_to_string(file)`, where [`present`]; else `None`.
fn read(file: &str) -> Option<String> {
    if !present() {
        return None;
    }
    std::fs::read_to_string(file).ok()
}

/// The processor, as `/proc/cpuinfo` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpu {
    /// Its `model name`: `AMD EPYC`, say.
    pub model: Option<String>,
    /// Whether its `flags` include `hypervisor`: a virtual machine.
    pub virtual_machine: bool,
}

/// The processor, from `/proc/cpuinfo`; `None` where there is none (macOS).
pub fn cpu() -> Option<Cpu> {
    let info = read("/proc/cpuinfo")?;
    let virtual_machine = info
        .lines()
        .filter(|l| l.starts_with("flags"))
        .any(|l| l.split_whitespace().any(|flag| flag == "hypervisor"));
    let model = info
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|line| Some(line.split_once(':')?.1.trim().to_owned()));
    Some(Cpu { model, virtual_machine })
}

/// The load average over the last minute, from `/proc/loadavg`; `None`
/// where there is none (macOS).
pub fn load_average() -> Option<f64> {
    let text = read("/proc/loadavg")?;
    text.split_whitespace().next()?.parse().ok()
}

/// How many bytes the thread that opened it has written, as the kernel
/// counts them: the `wchar` line of Linux's `/proc/thread-self/io`, which
/// each `write` call raises by the bytes it wrote. Read before and after a
/// call that writes, it tells how many bytes that call wrote (`--trace`
/// records a write's bytes so). Only on Linux: elsewhere [`open`] gives
/// `None`.
///
/// [`open`]: ThreadWrites::open
#[derive(Debug)]
pub struct ThreadWrites {
    #[cfg(target_os = "linux")]
    io: std::fs::File,
}

impl ThreadWrites {
    /// Open the counter of the calling thread (it counts that thread's
    /// writes, whichever thread reads it later), if the system has one.
    pub fn open() -> Option<ThreadWrites> {
        #[cfg(target_os = "linux")]
        return std::fs::File::open("/proc/thread-self/io").ok().map(|io| ThreadWrites { io });
        #[cfg(not(target_os = "linux"))]
        None
    }

    /// The bytes written so far: one `pread` of the file, from its top;
    /// `None` if it cannot be read.
    pub fn bytes(&mut self) -> Option<u64> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::FileExt;
            let mut text = [0; 512];
            let n = self.io.read_at(&mut text, 0).ok()?;
            let text = std::str::from_utf8(&text[..n]).ok()?;
            text.lines().find_map(|line| line.strip_prefix("wchar:")?.trim().parse().ok())
        }
        #[cfg(not(target_os = "linux"))]
        None
    }
}

/// One process, as `/proc/<pid>/stat` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    /// Its state letter: `R` running, `S` asleep (blocked in a system
    /// call), `Z` a zombie (ended, not yet reaped), ... (see `man proc`).
    pub state: char,
    /// Its parent.
    pub ppid: u32,
    /// Its process group.
    pub group: u32,
}

impl Process {
    /// Has it ended (a zombie, which runs nothing and holds no pipe)?
    pub fn ended(&self) -> bool {
        self.state == 'Z'
    }
}

/// Every process of the system, zombies included (where [`present`]: from
/// `/proc/<pid>/stat`; elsewhere: from `ps`, whose first letter of `stat`
/// is the state, and macOS's `I`, a process asleep for more than 20
/// seconds, counts as `S`). A process that ends while they are read may be
/// left out, and so is `ps` itself. Panics if `ps` cannot be run where
/// there is no `/proc`.
pub fn processes() -> Vec<Process> {
    if present() {
        let entries = std::fs::read_dir("/proc").into_iter().flatten().flatten();
        entries.filter_map(|entry| process(entry.file_name().to_str()?.parse().ok()?)).collect()
    } else {
        let columns = ["-A", "-o", "pid=", "-o", "ppid=", "-o", "pgid=", "-o", "stat="];
        let ps = std::process::Command::new("ps")
            .args(columns)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("ps runs");
        let itself = ps.id(); // not one of the processes asked about
        let ps = ps.wait_with_output().expect("ps runs");
        let mut all = Vec::new();
        for line in String::from_utf8_lossy(&ps.stdout).lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [pid, ppid, pgid, stat] = fields[..] else { continue };
            let state = match stat.chars().next() {
                Some('I') => 'S',
                Some(state) => state,
                None => continue,
            };
            let (Ok(pid), Ok(ppid), Ok(group)) = (pid.parse(), ppid.parse(), pgid.parse()) else {
                continue;
            };
            if pid != itself {
                all.push(Process { pid, state, ppid, group });
            }
        }
        all
    }
}

/// Process `pid`, if it exists (from `/proc`: see [`processes`]).
fn process(pid: u32) -> Option<Process> {
    let stat = read(&format!("/proc/{pid}/stat"))?;
    let fields = stat_fields(&stat)?;
    Some(Process {
        pid,
        state: fields.first()?.chars().next()?,
        ppid: fields.get(1)?.parse().ok()?,
        group: fields.get(2)?.parse().ok()?,
    })
}

/// The fields of a `stat` file after the `(name)`, which may hold spaces:
/// `pid (name) state ppid pgrp ...` -> `[state, ppid, pgrp, ...]`.
fn stat_fields(stat: &str) -> Option<Vec<&str>> {
    Some(stat.rsplit_once(')')?.1.split_whitespace().collect())
}

/// Every process in process group `group`, zombies included: see [`processes`].
pub fn group_members(group: u32) -> Vec<Process> {
    processes().into_iter().filter(|process| process.group == group).collect()
}

/// The processor time process `pid` has used, all its threads together:
/// `utime` and `stime`, fields 14 and 15 of `/proc/<pid>/stat`, in clock
/// ticks (`USER_HZ`, a hundredth of a second on Linux). `None` if it is
/// gone, or where there is no `/proc`.
pub fn processor_time(pid: u32) -> Option<Duration> {
    let stat = read(&format!("/proc/{pid}/stat"))?;
    let fields = stat_fields(&stat)?;
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The counts of an `io` file: bytes and calls, read and written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Io {
    /// Bytes that `read` (and its kin) returned.
    pub rchar: u64,
    /// Bytes that `write` (and its kin) took.
    pub wchar: u64,
    /// Read calls.
    pub syscr: u64,
    /// Write calls.
    pub syscw: u64,
}

/// The counts of process `pid` as a whole (`/proc/<pid>/io`): its threads,
/// those that ended, and the children it reaped. `None` if it is gone (a
/// zombie keeps them until it is reaped), or elsewhere.
pub fn process_io(pid: u32) -> Option<Io> {
    io(&format!("/proc/{pid}/io"))
}

/// The counts of thread `tid` of process `pid` alone
/// (`/proc/<pid>/task/<tid>/io`; a new thread starts from 0). `None` if it
/// is gone, or elsewhere.
pub fn thread_io(pid: u32, tid: u32) -> Option<Io> {
    io(&format!("/proc/{pid}/task/{tid}/io"))
}

/// The counts in the `io` file `file` (`rchar: 12` and so on, one a line).
fn io(file: &str) -> Option<Io> {
    let text = read(file)?;
    let field = |key: &str| -> Option<u64> {
        let line = text.lines().find_map(|line| line.strip_prefix(key))?;
        line.trim_start_matches(':').trim().parse().ok()
    };
    Some(Io {
        rchar: field("rchar")?,
        wchar: field("wchar")?,
        syscr: field("syscr")?,
        syscw: field("syscw")?,
    })
}

/// One thread of a process at one look, from `/proc/<pid>/task/<tid>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub pid: u32,
    pub tid: u32,
    /// Its state letter (`stat`): `R`, `S`, `Z`, ... as [`Process::state`].
    pub state: char,
    /// How often it gave up the processor to wait (`status`:
    /// `voluntary_ctxt_switches`): once a wait for a thread that sleeps
    /// until an event, a thousand times a second for one that looks every
    /// millisecond.
    pub voluntary_switches: u64,
    /// How often it was taken off the processor while it could run
    /// (`nonvoluntary_ctxt_switches`).
    pub involuntary_switches: u64,
    /// The system call it sleeps in (`syscall`), if it sleeps in one (state
    /// `S`) and did not run while it was looked at (its switches and state
    /// the same before and after): else `None`, its call not known.
    pub call: Option<Call>,
    /// Its counts (`io`), read after its call: `None` if they may not be
    /// read (a process of another user, unless this one is root).
    pub io: Option<Io>,
}

impl Thread {
    /// How often it was switched off the processor, by itself or not: the
    /// same at two looks if it has not run in between.
    pub fn switches(&self) -> u64 {
        self.voluntary_switches + self.involuntary_switches
    }

    /// Is it the main thread of its process?
    pub fn main(&self) -> bool {
        self.pid == self.tid
    }
}

/// A system call a thread sleeps in, from `/proc/<pid>/task/<tid>/syscall`:
/// its number, then its arguments (the first, for a read or a write, is the
/// file descriptor; the third, for `read`, how many bytes it asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `read(fd, buffer, count)`.
    Read { fd: u32, count: u64 },
    /// `readv(fd, ...)`: a read into several buffers.
    Readv { fd: u32 },
    /// `write` or `writev`.
    Write { fd: u32 },
    /// `wait4` or `waitid`: waiting for a child.
    WaitChild,
    /// A futex: `join`, a lock, a channel.
    Futex,
    /// `nanosleep` or `clock_nanosleep`: a timer, as `thread::sleep` sets.
    Sleep,
    /// Any other call, by its number.
    Other(i64),
}

/// The threads of process `pid`, by thread id: none if it is gone, or
/// where there is no `/proc` (see [`present`]).
pub fn threads(pid: u32) -> Vec<Thread> {
    #[cfg(target_os = "linux")]
    if present() {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return Vec::new(); // it ended while we looked
        };
        let mut threads: Vec<Thread> = tasks
            .flatten()
            .filter_map(|task| thread(pid, task.file_name().to_str()?.parse().ok()?))
            .collect();
        threads.sort_by_key(|thread| thread.tid);
        return threads;
    }
    let _ = pid;
    Vec::new()
}

/// Thread `tid` of process `pid`. Its switches first, then its state, its
/// call and its counts, then its switches and state again: if it ran in
/// between, its counts may be from after it woke (a read returned, its
/// bytes not yet printed), so its call is not told.
#[cfg(target_os = "linux")]
fn thread(pid: u32, tid: u32) -> Option<Thread> {
    let dir = format!("/proc/{pid}/task/{tid}");
    let (voluntary_switches, involuntary_switches) = switches(&dir)?;
    let state = state(&dir)?;
    let syscall = std::fs::read_to_string(format!("{dir}/syscall")).unwrap_or_default();
    let io = io(&format!("{dir}/io"));
    let still = switches(&dir) == Some((voluntary_switches, involuntary_switches))
        && self::state(&dir) == Some(state);
    let call = (state == 'S' && still).then(|| call(&syscall)).flatten();
    Some(Thread { pid, tid, state, voluntary_switches, involuntary_switches, call, io })
}

/// The state letter in the `stat` file of a process or thread folder.
#[cfg(target_os = "linux")]
fn state(dir: &str) -> Option<char> {
    let stat = std::fs::read_to_string(format!("{dir}/stat")).ok()?;
    stat_fields(&stat)?.first()?.chars().next()
}

/// The voluntary and involuntary switches in the `status` file of a
/// process or thread folder.
#[cfg(target_os = "linux")]
fn switches(dir: &str) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("{dir}/status")).ok()?;
    let count = |key: &str| -> Option<u64> {
        status.lines().find_map(|line| line.strip_prefix(key))?.trim().parse().ok()
    };
    Some((count("voluntary_ctxt_switches:")?, count("nonvoluntary_ctxt_switches:")?))
}

/// `0 0x3 0x7ffd... 0x20 ...` (the call's number, then its arguments in
/// hexadecimal) -> `Read { fd: 3, count: 32 }`; `running`, or `-1 ...`
/// (asleep, but not in a system call) -> `None`.
#[cfg(target_os = "linux")]
fn call(syscall: &str) -> Option<Call> {
    use nix::libc;
    let mut fields = syscall.split_whitespace();
    let number: i64 = fields.next()?.parse().ok()?;
    let args: Vec<u64> = fields
        .take(6)
        .filter_map(|arg| u64::from_str_radix(arg.strip_prefix("0x")?, 16).ok())
        .collect();
    let fd = || u32::try_from(*args.first()?).ok();
    Some(match number {
        -1 => return None,
        libc::SYS_read => Call::Read { fd: fd()?, count: *args.get(2)? },
        libc::SYS_readv => Call::Readv { fd: fd()? },
        libc::SYS_write | libc::SYS_writev => Call::Write { fd: fd()? },
        libc::SYS_wait4 | libc::SYS_waitid => Call::WaitChild,
        libc::SYS_futex => Call::Futex,
        libc::SYS_nanosleep | libc::SYS_clock_nanosleep => Call::Sleep,
        other => Call::Other(other),
    })
}

/// Whose descriptors to look at: a process, or this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// This process (`/proc/self`).
    Me,
    /// Process `pid`.
    Pid(u32),
}

impl Holder {
    /// Its folder in `/proc`.
    fn dir(self) -> String {
        match self {
            Holder::Me => "/proc/self".to_owned(),
            Holder::Pid(pid) => format!("/proc/{pid}"),
        }
    }
}

/// A pipe end a process holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipeEnd {
    pub fd: u32,
    /// Which pipe: its name in `/proc`, `pipe:[<inode>]`, the same in every
    /// process that holds an end of it.
    pub pipe: String,
    /// Open for reading, for writing (a pipe end is one or the other; a
    /// descriptor could be open both ways).
    pub reads: bool,
    pub writes: bool,
}

/// The pipe that descriptor `fd` of `holder` refers to, `pipe:[<inode>]`
/// (the link `/proc/<pid>/fd/<fd>`); `None` if it is not a pipe, or if the
/// process is gone. Where there is no `/proc`, `lsof` says (see [`pipe_ends`]).
pub fn pipe_of(holder: Holder, fd: u32) -> Option<String> {
    if !present() {
        return pipe_ends(holder).into_iter().find(|end| end.fd == fd).map(|end| end.pipe);
    }
    let target = std::fs::read_link(format!("{}/fd/{fd}", holder.dir())).ok()?;
    let target = target.to_str()?.to_owned();
    target.starts_with("pipe:").then_some(target)
}

/// Every pipe end `holder` holds, by descriptor number: the links of
/// `/proc/<pid>/fd` named `pipe:[<inode>]`, each with the `flags` (octal)
/// of `/proc/<pid>/fdinfo/<fd>`, whose low two bits say how it is open: 0
/// for reading, 1 for writing, 2 for both. None if the process is gone.
///
/// Where there is no `/proc` (see [`present`]), `lsof -p <pid>` lists them
/// instead (see [`lsof_pipe_ends`]); none if `lsof` cannot be run.
pub fn pipe_ends(holder: Holder) -> Vec<PipeEnd> {
    if !present() {
        let pid = match holder {
            Holder::Me => std::process::id(),
            Holder::Pid(pid) => pid,
        };
        return lsof(pid).map(|output| lsof_pipe_ends(&output)).unwrap_or_default();
    }
    let dir = holder.dir();
    let Ok(fds) = std::fs::read_dir(format!("{dir}/fd")) else { return Vec::new() };
    let mut ends: Vec<PipeEnd> = fds
        .flatten()
        .filter_map(|entry| {
            let fd: u32 = entry.file_name().to_str()?.parse().ok()?;
            let pipe = pipe_of(holder, fd)?;
            let info = std::fs::read_to_string(format!("{dir}/fdinfo/{fd}")).ok()?;
            let flags = info.lines().find_map(|line| line.strip_prefix("flags:"))?.trim();
            let mode = u32::from_str_radix(flags, 8).ok()? & 0o3;
            Some(PipeEnd { fd, pipe, reads: mode != 1, writes: mode != 0 })
        })
        .collect();
    ends.sort_by_key(|end| end.fd);
    ends
}

/// Does process `pid` hold a descriptor of any of `pipes` (names
/// `pipe:[<inode>]`)? Only the links are read, not how each is open. `false`
/// if it is gone, or where there is no `/proc` (asking `lsof` of every
/// process would take seconds).
pub fn holds_any(pid: u32, pipes: &[String]) -> bool {
    if !present() {
        return false;
    }
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).into_iter().flatten().flatten();
    fds.filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .any(|target| pipes.iter().any(|pipe| target.as_os_str() == pipe.as_str()))
}

/// The signals a process ignores and catches, as `/proc/<pid>/status`
/// shows them (`SigIgn` and `SigCgt`: masks in hexadecimal, bit 0 for
/// signal 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    ignored: u64,
    caught: u64,
}

impl Signals {
    /// Does the process ignore `signal` (`SIG_IGN`)? `signal` is its
    /// number: `nix::sys::signal::Signal::SIGINT as i32`, say.
    pub fn ignores(&self, signal: i32) -> bool {
        self.ignored & bit(signal) != 0
    }

    /// Does the process catch `signal` with a handler?
    pub fn catches(&self, signal: i32) -> bool {
        self.caught & bit(signal) != 0
    }
}

/// The bit of `signal` in a signal mask of `/proc`.
fn bit(signal: i32) -> u64 {
    1 << (signal - 1)
}

/// The signals process `pid` ignores and catches; `None` if it is gone,
/// or where there is no `/proc`.
pub fn signals(pid: u32) -> Option<Signals> {
    let status = read(&format!("/proc/{pid}/status"))?;
    let mask = |key: &str| {
        let mask = status.lines().find_map(|line| line.strip_prefix(key))?;
        u64::from_str_radix(mask.trim(), 16).ok()
    };
    Some(Signals { ignored: mask("SigIgn:")?, caught: mask("SigCgt:")? })
}

/// What `lsof` says of the files process `pid` holds, one field a line
/// (`-F fatdin`: see [`lsof_pipe_ends`]), without looking up names of hosts,
/// ports or users, nor calls that may block (`-n -P -l -b`); `None` if `lsof`
/// cannot be run.
fn lsof(pid: u32) -> Option<String> {
    let output = std::process::Command::new("lsof")
        .args(["-n", "-P", "-l", "-w", "-b", "-a", "-p", &pid.to_string(), "-F", "fatdin"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The pipe ends in the output of `lsof -F fatdin` (one field a line, its
/// letter first: `f` the descriptor, which starts each file, `a` the
/// access, `r`, `w` or `u`, `t` the type, `d` the device, `i` the inode, `n`
/// the name), sorted by descriptor. Each pipe is named as `/proc` names it
/// where `lsof` can say so (Linux: type `FIFO`, name `pipe`, `pipe:[<inode>]`);
/// macOS gives each end of a pipe its own handle (type `PIPE`, the device
/// `0x...` its own, the name `->0x...` the other end's, followed by
/// `, cnt=<bytes>` while bytes wait in it), so a pipe is named by the two
/// handles, the smaller first: `pipe:[0x1a-0x2b]`, the same at both ends.
/// macOS's `lsof` may leave a pipe end's access blank: then it is said to
/// be open neither for reading nor for writing, as it is not known.
/// Descriptors that are not numbers (`cwd`, `txt`) are left out.
pub fn lsof_pipe_ends(output: &str) -> Vec<PipeEnd> {
    #[derive(Default)]
    struct File {
        fd: Option<u32>,
        access: String,
        kind: String,
        device: String,
        inode: String,
        name: String,
    }
    let end = |file: &File| -> Option<PipeEnd> {
        let fd = file.fd?;
        let pipe = match file.kind.as_str() {
            "FIFO" if file.name == "pipe" && !file.inode.is_empty() => {
                format!("pipe:[{}]", file.inode)
            }
            "PIPE" => {
                let peer = file.name.strip_prefix("->").unwrap_or(&file.name);
                let peer = peer.split(',').next().unwrap_or_default();
                let (low, high) = match file.device.as_str() <= peer {
                    true => (file.device.as_str(), peer),
                    false => (peer, file.device.as_str()),
                };
                format!("pipe:[{low}-{high}]")
            }
            _ => return None,
        };
        let (reads, writes) = match file.access.as_str() {
            "r" => (true, false),
            "w" => (false, true),
            "u" => (true, true),
            _ => (false, false),
        };
        Some(PipeEnd { fd, pipe, reads, writes })
    };
    let mut ends = Vec::new();
    let mut file: Option<File> = None;
    for line in output.lines() {
        let Some(letter) = line.chars().next() else { continue };
        let value = &line[letter.len_utf8()..];
        if letter == 'f' {
            ends.extend(file.take().as_ref().and_then(end));
            file = Some(File { fd: value.parse().ok(), ..File::default() });
            continue;
        }
        let Some(file) = file.as_mut() else { continue };
        match letter {
            'a' => file.access = value.trim().to_owned(),
            't' => file.kind = value.to_owned(),
            'd' => file.device = value.to_owned(),
            'i' => file.inode = value.to_owned(),
            'n' => file.name = value.to_owned(),
            _ => {}
        }
    }
    ends.extend(file.as_ref().and_then(end));
    ends.sort_by_key(|end| end.fd);
    ends
}

#[cfg(unix)]
#[cfg(test)]
mod lsof_tests {
    use super::*;

    #[test]
    fn linux_lsof_names_a_pipe_as_proc_does() {
        let output = "p12\nfcwd\na \ntDIR\ni2\nn/\nf0\nar\ntCHR\ni3\nn/dev/null\n\
                      f3\nar\ntFIFO\ni842784\nnpipe\nf4\naw\ntFIFO\ni842784\nnpipe\n";
        let ends = lsof_pipe_ends(output);
        let pipe = "pipe:[842784]".to_owned();
        assert_eq!(
            ends,
            [
                PipeEnd { fd: 3, pipe: pipe.clone(), reads: true, writes: false },
                PipeEnd { fd: 4, pipe, reads: false, writes: true },
            ]
        );
    }

    #[test]
    fn macos_lsof_names_a_pipe_by_both_ends() {
        let output = "p12\nf3\nar\ntPIPE\nd0x2b\nn->0x1a, cnt=8\nf4\naw\ntPIPE\nd0x1a\nn->0x2b\n\
                      f5\na \ntPIPE\nd0x1a\nn->0x2b\n";
        let ends = lsof_pipe_ends(output);
        assert_eq!(ends.len(), 3);
        assert!(ends.iter().all(|end| end.pipe == "pipe:[0x1a-0x2b]"), "{ends:?}");
        assert!(ends[0].reads && ends[1].writes);
        assert!(!ends[2].reads && !ends[2].writes, "access not known: {ends:?}");
    }

    /// Where `/proc` is there and read, `lsof` agrees with it: the run of
    /// the fallback on Linux sees what `/proc` sees.
    #[test]
    #[cfg(target_os = "linux")]
    fn lsof_sees_the_pipe_proc_sees() {
        use std::os::fd::AsRawFd;
        if !present() {
            return;
        }
        let (reader, writer) = std::io::pipe().unwrap();
        let (reader, writer) = (reader.as_raw_fd() as u32, writer.as_raw_fd() as u32);
        let seen = lsof_pipe_ends(&lsof(std::process::id()).expect("lsof runs"));
        let proc = pipe_ends(Holder::Me);
        for fd in [reader, writer] {
            let by_lsof = seen.iter().find(|end| end.fd == fd);
            assert_eq!(by_lsof, proc.iter().find(|end| end.fd == fd), "fd {fd}");
            assert!(by_lsof.is_some());
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_counts_the_bytes_a_thread_writes() {
        use std::io::Write;
        let (_pipein, mut pipeout) = std::io::pipe().unwrap();
        let mut written = ThreadWrites::open().expect("/proc/thread-self/io");
        let before = written.bytes().unwrap();
        pipeout.write_all(b"Spam 000\n").unwrap();
        pipeout.write_all(b"Spam 001").unwrap();
        assert_eq!(written.bytes().unwrap() - before, 17);
    }

    #[test]
    fn this_process_is_found_with_its_group() {
        let me = std::process::id();
        let found = processes().into_iter().find(|p| p.pid == me).expect("this process");
        assert_eq!(found.group, nix::unistd::getpgrp().as_raw() as u32);
        // By pid: its state letter may change between the two looks.
        assert!(group_members(found.group).iter().any(|p| p.pid == me));
    }

    #[test]
    fn a_new_pipe_shows_both_ends_then_one_after_a_drop() {
        use std::os::fd::AsRawFd;
        let (reader, writer) = std::io::pipe().unwrap();
        let name = pipe_of(Holder::Me, reader.as_raw_fd() as u32).expect("a pipe");
        let ends = |name: &str| -> Vec<PipeEnd> {
            pipe_ends(Holder::Me).into_iter().filter(|end| end.pipe == name).collect()
        };
        let both = ends(&name);
        assert_eq!(both.len(), 2, "{both:?}");
        assert!(both[0].reads && !both[0].writes && both[1].writes && !both[1].reads);
        drop(writer);
        assert_eq!(ends(&name).len(), 1);
        assert!(holds_any(std::process::id(), &[name]));
    }

    #[test]
    fn a_read_call_is_taken_apart() {
        let read = call("0 0x3 0x7ffd1234 0x20 0x0 0x0 0x0 0x7ffd 0x7f");
        assert_eq!(read, Some(Call::Read { fd: 3, count: 32 }));
        assert_eq!(call("-1 0x7ffd 0x7f"), None);
        assert_eq!(call("running"), None);
    }

    #[test]
    fn this_thread_has_counts_and_this_process_its_signals() {
        let me = std::process::id();
        let threads = threads(me);
        assert!(threads.iter().any(|t| t.main()), "{threads:?}");
        assert!(process_io(me).is_some() && processor_time(me).is_some());
        let signals = signals(me).expect("a status");
        assert!(!signals.ignores(nix::sys::signal::Signal::SIGKILL as i32));
    }
}
