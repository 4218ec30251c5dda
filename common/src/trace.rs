//! `--trace FILE`: a record of what a run did and when, for the book's timelines.
//!
//! Off by default. With `--trace FILE` every program appends one line to
//! `FILE` for each event of the run: each write into the pipe, each read
//! from it, each sleep of the writer, the end-of-file, the fork, the pipe
//! ends each process holds (and still holds as it exits), and the late
//! reader's wait. The `timeline` crate of this workspace draws a trace as a
//! picture.
//!
//! # The format
//!
//! One JSON object a line (JSON Lines). Every object has
//!
//! - `t`: when the event began, in nanoseconds of the system's monotonic
//!   clock (`CLOCK_MONOTONIC`: counted from an arbitrary start, the same for
//!   every process of the machine, never set back), so the parent's and the
//!   forked child's stamps compare. An event that takes time (a sleep, a
//!   write, a read) has `end` too, when it returned, on the same clock;
//! - `pid`: the process that recorded it;
//! - `role`: `"writer"` (the child, or pipe_thread's writer thread) or
//!   `"reader"` (the parent, or pipe_thread's main thread);
//! - `event`, and the fields of its kind:
//!
//! | `event`  | more fields                        | what happened                                              |
//! |----------|------------------------------------|------------------------------------------------------------|
//! | `fork`   | `child`: its pid                   | `fork()` returned in the parent                            |
//! | `forked` | `parent`: its pid                  | `fork()` returned in the child                             |
//! | `holds`  | `who`, `ends`                      | the pipe ends this process holds, as `--show-fds` prints them (Linux's `/proc`), recorded where the program calls `show_fds`: after the fork, after pipe2's closes |
//! | `exit`   | `who`, `ends`                      | the program's work is done and its process exits; `ends` are those it still holds (none: every owner was dropped), after a `holds` only |
//! | `start`  |                                    | the writer starts sending (pipe_thread: in the new thread) |
//! | `sleep`  | `end`, `ticks`, `tick_ns`          | the writer's time before its next write: `thread::sleep` for `ticks` ticks of `tick_ns` |
//! | `write`  | `end`, `bytes`, `message`          | the writer's `send` of one message: one `write` of `bytes` bytes into the pipe (see below); a write that failed is left out |
//! | `read`   | `end`, `fd`, `asked`, `bytes`, `data` | one `read` from the pipe that returned `bytes` bytes (at most `asked`): `t` when it was called, `end` when it returned |
//! | `eof`    | `end`, `fd`, `asked`               | a `read` that returned 0 bytes: every write end is closed  |
//! | `wait`   | `end`, `until`                     | `--late-reader`'s wait before the first read, until the writer `"finished"` or the pipe was `"full"` |
//!
//! `data` and `message` are bytes as a JSON string, one character per byte
//! (U+0000 to U+00FF): `"Spam 000"`, `"Spam 000\n"`.
//!
//! A `write` names its message and counts its bytes, but does not copy them:
//! the write happens in the program's own `send` closure (pipe2 adds a
//! newline), which the trace does not wrap, to keep `main.rs` as the book
//! shows it. `bytes` is what the kernel counted: the writer thread's `wchar`
//! in Linux's `/proc/thread-self/io`, read before and after `send` (left out
//! on other systems). The reads record every byte, so the bytes of each
//! write are found in them: the message, and the frame that follows it,
//! `bytes` long in all. A write stamps `t` before it calls `send`, and a
//! read stamps `end` after its system call, so a byte is always read (`end`)
//! after its write began (`t`); the `timeline` crate's tests check that of
//! each trace the book shows.
//!
//! Each line is written when its event has ended, so the lines are not quite
//! in the order of `t`: sort by `t`.
//!
//! ```text
//! {"t":361739174378,"pid":17406,"role":"reader","event":"fork","child":17407}
//! {"t":361740264333,"pid":17407,"role":"writer","event":"start"}
//! {"t":361740264333,"pid":17407,"role":"writer","event":"sleep","end":361740270302,"ticks":0,"tick_ns":100000000}
//! {"t":361740270302,"pid":17407,"role":"writer","event":"write","end":361740309050,"bytes":8,"message":"Spam 000"}
//! {"t":361740004970,"pid":17406,"role":"reader","event":"read","end":361740315521,"fd":3,"asked":32,"bytes":8,"data":"Spam 000"}
//! ```
//!
//! # How it is written, and what it costs
//!
//! `--trace` opens the file ([`start`]) once the whole command line is
//! good, before the program's body and its fork, with `O_APPEND` (a bad
//! command line, `--help` or `--version` leave the file as it was). Parent
//! and child share it, and each line is one `write`
//! call, so the lines of two processes never mix (each append lands whole
//! at the end of the file). A time stamp is one `clock_gettime`, tens of
//! nanoseconds and no system call on Linux; a line is one `write` into the
//! file; a write's byte count, two `pread`s of `/proc/thread-self/io`
//! (about three microseconds for both). `pipe1 --tick 0 --count 100000`
//! took about 0.03 s untraced, 0.6 s traced (0.3 s of it without the byte
//! counts). Without `--trace` an event costs one look at a global that is
//! not set.
//!
//! A trace that cannot be written (`--trace /dev/full`, a full disk) does
//! not stop the run: the first line that fails is said on stderr, nothing
//! more is recorded, and the process exits with status 1 once its work is
//! done (see [`lost`]): a run whose trace was lost does not look like a
//! success.
//!
//! # Where it is recorded
//!
//! So that the examples stay as the book shows them, each `main.rs` has one
//! line of tracing, [`reader`], around the end it reads from; the writer's
//! sleeps and writes are recorded in
//! [`send_messages`](crate::send_messages), the fork in `fork`, the ends held
//! in [`show_fds`](crate::RunOptions::show_fds) and, as each process exits,
//! in [`run`](crate::run::run), the late reader's wait in
//! [`wait_for_writer`](crate::late::wait_for_writer).

use std::cell::Cell;
use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The trace of this run, once [`start`] has opened it.
static SINK: OnceLock<Sink> = OnceLock::new();

/// Set when a line could not be written: from then on nothing is recorded.
static LOST: AtomicBool = AtomicBool::new(false);

/// Where the lines go, and what to say if they cannot.
#[derive(Debug)]
struct Sink {
    file: File,
    program: String,
    path: PathBuf,
}

/// With `--trace FILE` (`path` is `Some`), record this run into the file, in
/// this process and in those it forks: open it (created, or emptied if it is
/// a file that exists). Without, do nothing. [`crate::run::main`] calls it
/// once the command line is known to be good, before the program's body, so
/// that a command line that runs nothing leaves the file as it was.
///
/// `program` names the program in the one line said on stderr if a line of
/// the trace cannot be written (see [`lost`]). An error says what failed:
/// `cannot open the trace file /no/such/t.jsonl: No such file or directory`.
pub fn start(program: &str, path: Option<&Path>) -> io::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let file = open(path).map_err(|e| {
        io::Error::new(e.kind(), format!("cannot open the trace file {}: {e}", path.display()))
    })?;
    let sink = Sink { file, program: program.to_owned(), path: path.to_owned() };
    SINK.set(sink).map_err(|_| io::Error::other("a trace is already being recorded"))
}

fn open(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new().append(true).create(true).open(path)?;
    #[cfg(unix)]
    let file = out_of_the_way(file);
    if file.metadata()?.is_file() {
        file.set_len(0)?; // a new run, a new trace (O_APPEND forbids O_TRUNC in std)
    }
    Ok(file)
}

/// Move the trace's descriptor out of the way, so that the pipe gets the
/// descriptors it gets without `--trace` (3 and 4), and traced runs and
/// `--show-fds` tell the same numbers: to fd 100, or, where the limit of
/// open files (`ulimit -n`) is lower, to the highest the limit allows. If no
/// descriptor is free up there, the trace keeps the one it has.
#[cfg(unix)]
fn out_of_the_way(file: File) -> File {
    use std::os::fd::AsRawFd;

    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    let high = limit.unwrap_or(u64::MAX).saturating_sub(1).min(100) as i32;
    if high <= file.as_raw_fd() {
        return file;
    }
    match rustix::io::fcntl_dupfd_cloexec(&file, high) {
        Ok(moved) => File::from(moved), // and `file`, dropped, closes its descriptor
        Err(_) => file,
    }
}

/// Did a line of the trace fail to be written in this process? The trace is
/// then incomplete: the first failure was said on stderr (`pipe1: cannot
/// write the trace to /dev/full: No space left on device (os error 28)`),
/// nothing more was recorded, and the run goes on; [`crate::run::run`] makes
/// its exit status 1.
pub fn lost() -> bool {
    LOST.load(Ordering::Relaxed)
}

/// Is this run being traced?
#[inline]
pub fn enabled() -> bool {
    SINK.get().is_some() && !lost()
}

/// Now, in nanoseconds of the system-wide monotonic clock.
#[cfg(unix)]
pub fn now() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

/// Now, in nanoseconds since this process first asked. Without fork there is
/// one process (pipe_thread), so its own clock is enough.
#[cfg(not(unix))]
pub fn now() -> u64 {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_nanos() as u64
}

/// Which side of the pipe a thread is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Reader,
    Writer,
}

thread_local! {
    /// Every program's first thread is its reader; the forked child and
    /// pipe_thread's new thread become writers.
    static ROLE: Cell<Role> = const { Cell::new(Role::Reader) };
}

/// From now on this thread records as the writer.
pub(crate) fn become_writer() {
    ROLE.with(|role| role.set(Role::Writer));
}

/// One line of the trace, built field by field.
#[derive(Debug)]
pub struct Event {
    line: String,
}

impl Event {
    /// An event of kind `event` that began at `t`.
    pub fn new(event: &str, t: u64) -> Event {
        let role = match ROLE.with(Cell::get) {
            Role::Reader => "reader",
            Role::Writer => "writer",
        };
        let pid = std::process::id();
        let mut line = String::with_capacity(160);
        let _ = write!(line, r#"{{"t":{t},"pid":{pid},"role":"{role}","event":"{event}""#);
        Event { line }
    }

    /// Add a number field.
    pub fn number(mut self, key: &str, value: u64) -> Event {
        let _ = write!(self.line, r#","{key}":{value}"#);
        self
    }

    /// Add a string field holding `bytes`, one character per byte.
    pub fn bytes(mut self, key: &str, bytes: &[u8]) -> Event {
        let _ = write!(self.line, r#","{key}":""#);
        for &b in bytes {
            match b {
                b'"' => self.line.push_str("\\\""),
                b'\\' => self.line.push_str("\\\\"),
                b'\n' => self.line.push_str("\\n"),
                b' '..=b'~' => self.line.push(char::from(b)),
                _ => {
                    let _ = write!(self.line, "\\u{b:04x}");
                }
            }
        }
        self.line.push('"');
        self
    }

    /// The line, with its newline: what [`Event::record`] appends.
    pub fn finish(mut self) -> String {
        self.line.push_str("}\n");
        self.line
    }

    /// Append the event to the trace, in one write. If it cannot be written,
    /// say so once on stderr and record nothing more (see [`lost`]).
    pub fn record(self) {
        let Some(sink) = SINK.get() else { return };
        if lost() {
            return;
        }
        if let Err(e) = (&sink.file).write_all(self.finish().as_bytes())
            && !LOST.swap(true, Ordering::Relaxed)
        {
            let (program, path) = (&sink.program, sink.path.display());
            let line = format!("{program}: cannot write the trace to {path}: {e}\n");
            let _ = io::stderr().write_all(line.as_bytes()); // if not, nobody can be told
        }
    }
}

/// `fork` returned: the parent records the child it made; the child, its
/// parent, and from now on records as the writer.
#[cfg(all(unix, feature = "fork"))]
pub(crate) fn fork(parent: u32, forked: &nix::unistd::ForkResult) {
    match forked {
        nix::unistd::ForkResult::Child => {
            become_writer();
            if enabled() {
                Event::new("forked", now()).number("parent", u64::from(parent)).record();
            }
        }
        nix::unistd::ForkResult::Parent { child } => {
            if enabled() {
                Event::new("fork", now()).number("child", child.as_raw() as u64).record();
            }
        }
    }
}

/// The ends of the pipe this process holds, as `--show-fds` prints them.
/// `pipe` is the pipe's name in `/proc/self/fd` (`pipe:[<inode>]`): the
/// process is recorded again under the same name when it exits.
#[cfg(unix)] // only `/proc` can tell them
pub(crate) fn holds(who: &str, ends: &str, pipe: PathBuf) {
    Event::new("holds", now()).bytes("who", who.as_bytes()).bytes("ends", ends.as_bytes()).record();
    // After a fork each process has its own copy, which its own call sets.
    *HELD.lock().unwrap_or_else(|e| e.into_inner()) = Some((who.to_owned(), pipe));
}

/// Who this process said it was in its last `holds`, and which pipe.
#[cfg(unix)]
static HELD: std::sync::Mutex<Option<(String, PathBuf)>> = std::sync::Mutex::new(None);

/// The program's body has returned and the process is about to exit: record
/// the ends it still holds (none, once every owner was dropped; the kernel
/// would close any left). Only for a process that recorded `holds` before.
pub(crate) fn exiting() {
    #[cfg(unix)]
    if enabled() {
        let t = now(); // before looking: the ends were closed by then
        let held = HELD.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some((who, pipe)) = held
            && let Ok(ends) = crate::fds::ends_of(&pipe)
        {
            let ends = ends.join(", ");
            Event::new("exit", t)
                .bytes("who", who.as_bytes())
                .bytes("ends", ends.as_bytes())
                .record();
        }
    }
}

/// `--late-reader` waited from `t` until now, until the writer had
/// `"finished"` or the pipe was `"full"`.
#[cfg(unix)] // elsewhere --late-reader refuses to wait
pub(crate) fn waited(t: u64, until: &str) {
    if enabled() {
        Event::new("wait", t).number("end", now()).bytes("until", until.as_bytes()).record();
    }
}

/// Wrap the child loop's `send` so that each call records the sleep before
/// it and the write it makes. Without `--trace`, `send` is called as it is.
pub(crate) fn sending<'a>(
    tick: Duration,
    mut send: impl FnMut(&str) -> io::Result<()> + 'a,
) -> impl FnMut(&str) -> io::Result<()> + 'a {
    become_writer();
    let traced = enabled();
    // The schedule's `zzz`, in step with the loop of `send_messages`: the
    // sleep before the n-th message is the n-th value.
    let mut ticks = crate::schedule::zzz_values(None);
    let mut since = now();
    // Opened here, in the writer's own thread: it counts this thread's writes.
    let mut written = if traced { Written::open() } else { None };
    if traced {
        Event::new("start", since).record();
    }
    move |msg| {
        if !traced {
            return send(msg);
        }
        let slept = ticks.next().unwrap_or_default();
        let t = now();
        Event::new("sleep", since)
            .number("end", t)
            .number("ticks", u64::from(slept))
            .number("tick_ns", tick.as_nanos() as u64)
            .record();
        let before = written.as_mut().and_then(Written::bytes);
        let sent = send(msg);
        since = now();
        let after = written.as_mut().and_then(Written::bytes);
        if sent.is_ok() {
            // A write that failed (the reader gone: EPIPE) put no byte in the pipe.
            let mut event = Event::new("write", t).number("end", since);
            if let (Some(before), Some(after)) = (before, after) {
                event = event.number("bytes", after - before);
            }
            event.bytes("message", msg.as_bytes()).record();
        }
        sent
    }
}

/// How many bytes this thread has written, as the kernel counts them: the
/// `wchar` line of Linux's `/proc/thread-self/io`, which each `write` call
/// raises by the bytes it wrote. Read before and after `send`, it tells how
/// many bytes `send` put into the pipe (the writer writes nothing else
/// meanwhile: its trace lines are written outside). `None` elsewhere.
struct Written {
    #[cfg(target_os = "linux")]
    io: File,
}

impl Written {
    /// The counter of the calling thread, if the system has one.
    fn open() -> Option<Written> {
        #[cfg(target_os = "linux")]
        return File::open("/proc/thread-self/io").ok().map(|io| Written { io });
        #[cfg(not(target_os = "linux"))]
        None
    }

    /// The bytes written so far by the thread that opened it.
    fn bytes(&mut self) -> Option<u64> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::FileExt;
            let mut text = [0; 512];
            let n = self.io.read_at(&mut text, 0).ok()?; // read again from the top
            let text = std::str::from_utf8(&text[..n]).ok()?;
            text.lines().find_map(|line| line.strip_prefix("wchar:")?.trim().parse().ok())
        }
        #[cfg(not(target_os = "linux"))]
        None
    }
}

/// Wrap the reading end so that each read is recorded: the one line of
/// tracing in each program's `main.rs`.
///
/// Give it the end the program reads from: `&mut pipein` (a `File` or a
/// `PipeReader`), or a `BufReader` not yet read from, which then reads
/// through the recording end (each read recorded is one `read` system call,
/// not one line). Without `--trace` the reads only pass through.
pub fn reader<T: Traceable>(end: T) -> T::Traced {
    end.traced()
}

/// What [`reader`] can wrap.
pub trait Traceable {
    /// The same reader, recording.
    type Traced: Read;
    fn traced(self) -> Self::Traced;
}

impl<'a, R: Read + PipeEnd + ?Sized> Traceable for &'a mut R {
    type Traced = Traced<&'a mut R>;
    fn traced(self) -> Traced<&'a mut R> {
        let fd = self.descriptor();
        Traced { inner: self, fd, unread: Vec::new() }
    }
}

impl<R: Read + PipeEnd> Traceable for BufReader<R> {
    type Traced = BufReader<Traced<R>>;
    fn traced(self) -> BufReader<Traced<R>> {
        let capacity = self.capacity();
        let unread = self.buffer().to_vec(); // empty, unless it was read from already
        let inner = self.into_inner();
        let fd = inner.descriptor();
        BufReader::with_capacity(capacity, Traced { inner, fd, unread })
    }
}

/// A pipe's read end that records each read into the trace.
#[derive(Debug)]
pub struct Traced<R> {
    inner: R,
    fd: u64,
    /// Bytes read before the wrapping (see [`Traceable`] for `BufReader`),
    /// handed out first, not recorded again.
    unread: Vec<u8>,
}

impl<R: Read> Read for Traced<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.unread.is_empty() {
            let n = buf.len().min(self.unread.len());
            buf[..n].copy_from_slice(&self.unread[..n]);
            self.unread.drain(..n);
            return Ok(n);
        }
        if !enabled() {
            return self.inner.read(buf);
        }
        let t = now();
        let n = self.inner.read(buf)?;
        let end = now();
        let kind = if n == 0 { "eof" } else { "read" };
        let event = Event::new(kind, t).number("end", end).number("fd", self.fd);
        let event = event.number("asked", buf.len() as u64);
        if n == 0 {
            event.record();
        } else {
            event.number("bytes", n as u64).bytes("data", &buf[..n]).record();
        }
        Ok(n)
    }
}

#[cfg(unix)]
impl<R: std::os::fd::AsFd> std::os::fd::AsFd for Traced<R> {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

/// What can be traced: a pipe end whose descriptor number the trace can name.
pub trait PipeEnd {
    /// The descriptor's number (0 where there are no numbered descriptors).
    fn descriptor(&self) -> u64;
}

#[cfg(unix)]
impl<T: std::os::fd::AsFd + ?Sized> PipeEnd for T {
    fn descriptor(&self) -> u64 {
        use std::os::fd::AsRawFd;
        self.as_fd().as_raw_fd() as u64
    }
}

#[cfg(not(unix))]
impl<T: ?Sized> PipeEnd for T {
    fn descriptor(&self) -> u64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_one_json_line_with_its_fields_in_order() {
        let line = Event::new("write", 12).number("end", 15).bytes("data", b"Spam 000").finish();
        let pid = std::process::id();
        let expected = format!(
            r#"{{"t":12,"pid":{pid},"role":"reader","event":"write","end":15,"data":"Spam 000"}}"#
        );
        assert_eq!(line, expected + "\n");
    }

    #[test]
    fn bytes_are_escaped_one_character_per_byte() {
        let line = Event::new("read", 0).bytes("data", b"a\"\\\n\x01\xff~").finish();
        assert!(line.ends_with("\"data\":\"a\\\"\\\\\\n\\u0001\\u00ff~\"}\n"), "{line}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_counts_the_bytes_a_thread_writes() {
        let (_pipein, pipeout) = rustix::pipe::pipe().unwrap();
        let mut pipeout = File::from(pipeout);
        let mut written = Written::open().expect("/proc/thread-self/io");
        let before = written.bytes().unwrap();
        pipeout.write_all(b"Spam 000\n").unwrap();
        pipeout.write_all(b"Spam 001").unwrap();
        assert_eq!(written.bytes().unwrap() - before, 17);
    }

    #[test]
    fn the_clock_runs_forward() {
        let (a, b) = (now(), now());
        assert!(a > 0 && b >= a, "{a} {b}");
    }

    #[cfg(unix)] // rustix's pipe
    #[test]
    fn untraced_readers_pass_reads_on() {
        // No `--trace` in the unit tests: SINK stays unset, nothing is recorded.
        let (pipein, pipeout) = rustix::pipe::pipe().unwrap();
        let (mut pipein, mut pipeout) = (File::from(pipein), File::from(pipeout));
        pipeout.write_all(b"Spam 000Spam 001").unwrap();
        let mut buffer = [0; 5];
        let mut traced = reader(&mut pipein);
        assert_eq!(traced.read(&mut buffer).unwrap(), 5);
        assert_eq!(&buffer, b"Spam ");
        drop(traced);
        assert_eq!(pipein.read(&mut buffer).unwrap(), 5, "the same end, read on");
        assert_eq!(&buffer, b"000Sp");
    }

    #[cfg(unix)] // rustix's pipe
    #[test]
    fn a_buffered_reader_keeps_what_it_had_read() {
        let (pipein, pipeout) = rustix::pipe::pipe().unwrap();
        let mut pipeout = File::from(pipeout);
        pipeout.write_all(b"Spam 000\nSpam 001\n").unwrap();
        drop(pipeout);
        let mut buffered = BufReader::new(File::from(pipein));
        let mut first = String::new();
        io::BufRead::read_line(&mut buffered, &mut first).unwrap();
        let lines: Vec<String> =
            io::BufRead::lines(reader(buffered)).collect::<io::Result<_>>().unwrap();
        assert_eq!((first.as_str(), lines), ("Spam 000\n", vec!["Spam 001".to_owned()]));
    }
}
