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
//! One JSON object a line (JSON Lines): a [`trace_format::Line`], whose
//! documentation gives every kind of event and its fields. The lines are
//! written with serde_json from that type, which the `timeline` crate reads
//! back.
//!
//! `bytes` of a `write` is what the kernel counted: the writer thread's
//! `wchar` in Linux's `/proc/thread-self/io`, read before and after `send`
//! (see `procview::ThreadWrites`; left out on other systems). A write stamps `t` before
//! it calls `send`, and a read stamps `end` after its system call, so a byte
//! is always read (`end`) after its write began (`t`); the `timeline`
//! crate's tests check that of each trace the book shows.
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
//! This module records the reads, through [`reader`]: so that the examples
//! stay as the book shows them, each `main.rs` has that one line of tracing,
//! around the end it reads from. The other events are built by the parts of
//! `common` that see them happen, and handed to [`record`]: the writer's
//! sleeps and writes by `send_messages`, the fork by `fork`, the ends held by
//! `show_fds` and, as each process exits, by `exit_status`, the late reader's wait by
//! `wait_for_writer`. A program that writes by itself rather than through
//! `send_messages` (pipes, both ways) wraps each write in [`writing`]. A
//! watch that sees other processes wait (deadlocks', at its bound) records
//! for them with [`record_as`].
//!
//! # Across `exec`
//!
//! The trace's descriptor is close-on-exec: a program that a child becomes
//! with `execvp` does not inherit it. So a parent that is traced puts the
//! file's path in its environment, [`TRACE_VAR`] (`PIPES_TRACE`), which does
//! cross `exec` (pipes: `Spawning::tell_child`, beside `PIPES_COUNT`), and
//! the program it becomes calls [`join`]: it opens the same file for
//! appending, without emptying it, records as the `child`, and records the
//! ends of the pipes on its stdin and stdout that crossed `exec` (through
//! `common::ends`, the one other part of `common` this module calls).

use std::cell::Cell;
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use trace_format::Line;
pub use trace_format::{Bytes, Event, Role, Until};

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
/// this process and in those it forks: open it for appending (created, or
/// emptied if it is a file that exists), move its descriptor out of the way
/// of the pipe's (see `out_of_the_way`), and keep it in a global for
/// [`record`]. Without, do nothing. `common::main` calls it once the
/// command line is known to be good, before the program's body, so that a
/// command line that runs nothing leaves the file as it was.
///
/// `program` names the program in the one line said on stderr if a line of
/// the trace cannot be written (see [`lost`]). An error says what failed:
/// `cannot open the trace file /no/such/t.jsonl: No such file or directory`;
/// a second call is an error too (`a trace is already being recorded`).
pub fn start(program: &str, path: Option<&Path>) -> io::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let file = open(path, true).map_err(|e| {
        io::Error::new(e.kind(), format!("cannot open the trace file {}: {e}", path.display()))
    })?;
    let sink = Sink { file, program: program.to_owned(), path: path.to_owned() };
    SINK.set(sink).map_err(|_| io::Error::other("a trace is already being recorded"))
}

/// The environment variable that carries the trace's path across `exec`
/// (see [`join`]).
pub const TRACE_VAR: &str = "PIPES_TRACE";

/// In a program that a traced parent's child became with `exec`: record
/// into the parent's trace, whose path the parent put in [`TRACE_VAR`]
/// before `exec` (pipes: `Spawning::tell_child`). If the variable is not
/// set, or empty, do nothing: the run is not traced.
///
/// Else open the file for appending, not emptied (the parent emptied it as
/// its run began, and it and this process append to it from now on),
/// moved out of the way as [`start`] does; record as the `child` from now
/// on; and return true. (`common::ends::join_trace` calls this, then
/// records the pipe ends that crossed `exec`.)
/// If the file cannot be opened, say so on stderr, `<program>: cannot open
/// the trace file <path>: <error>`, and go on untraced, [`lost`] being
/// true: the program's exit status should then be 1, as for a lost line.
pub fn join(program: &str) -> bool {
    let Some(path) = std::env::var_os(TRACE_VAR).filter(|path| !path.is_empty()) else {
        return false;
    };
    let path = PathBuf::from(path);
    match open(&path, false) {
        Ok(file) => {
            let sink = Sink { file, program: program.to_owned(), path };
            if SINK.set(sink).is_err() {
                return false; // already recording: one trace a process
            }
            ROLE.with(|role| role.set(Role::Child));
            true
        }
        Err(e) => {
            LOST.store(true, Ordering::Relaxed);
            let line = format!("{program}: cannot open the trace file {}: {e}\n", path.display());
            let _ = io::stderr().write_all(line.as_bytes()); // if not, nobody can be told
            false
        }
    }
}

/// Open `path` for appending, created if missing, moved out of the way
/// (unix), and, if `empty`, emptied if it is a regular file.
fn open(path: &Path, empty: bool) -> io::Result<File> {
    let file = OpenOptions::new().append(true).create(true).open(path)?;
    #[cfg(unix)]
    let file = out_of_the_way(file);
    if empty && file.metadata()?.is_file() {
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
/// nothing more was recorded, and the run goes on; `common::exit_status` makes
/// its exit status 1.
pub fn lost() -> bool {
    LOST.load(Ordering::Relaxed)
}

/// Is this run being traced? (A trace was started, and no line was lost.)
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

thread_local! {
    /// Every program's first thread is its reader; the forked child and
    /// pipe_thread's new thread become writers. In a two-way run (see
    /// [`two_way`]) the first thread is the parent, and the forked child the
    /// child.
    static ROLE: Cell<Role> = const { Cell::new(Role::Reader) };
}

/// From now on this thread records as the writer (the `role` of its lines);
/// a thread that records as the `parent` (see [`two_way`]) is forked, and
/// its copy in the child records as the `child`.
pub(crate) fn become_writer() {
    ROLE.with(|role| role.set(if role.get() == Role::Parent { Role::Child } else { Role::Writer }));
}

/// From now on this thread records as the `parent`, and a child it forks
/// as the `child`: for a program whose processes both write and read
/// (pipes), which the roles `reader` and `writer` would misname. Call it
/// before the fork.
pub fn two_way() {
    ROLE.with(|role| role.set(Role::Parent));
}

/// Sleep for `nap`, and, traced, record it: a `sleep` of one tick of
/// `nap` (a program that sleeps by itself, not on `send_messages`'
/// schedule: pipes' child).
pub fn sleep(nap: std::time::Duration) {
    let t = now();
    std::thread::sleep(nap);
    if enabled() {
        let tick_ns = nap.as_nanos() as u64;
        record(t, Event::Sleep { end: now(), ticks: 1, tick_ns });
    }
}

/// Record `send`, one write of `message` and of the frame after it (a
/// newline, say) into the pipe `end` stands for: traced, a `write` event
/// with `end`'s descriptor and pipe, from just before `send` to just after
/// it, and the bytes the kernel counted this thread write meanwhile (see
/// `procview::ThreadWrites`; left out where it cannot be read). A `send`
/// that failed is not recorded, and its error is returned as it is.
/// Without `--trace`, `send` is only called.
///
/// A `send` that writes into the program's own buffer (a `BufWriter` not
/// flushed) puts no byte in the pipe: where the kernel counted 0 bytes
/// written, the event is a `buffered` instead of a `write` (the same fields
/// but `bytes`): the bytes wait in the program, not in the pipe. (Where the
/// count cannot be read, it is a `write`.)
pub fn writing<T>(
    end: impl PipeEnd,
    message: &str,
    send: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    if !enabled() {
        return send();
    }
    let (fd, pipe) = (Some(end.descriptor()), end.pipe());
    let mut written = procview::ThreadWrites::open();
    let before = written.as_mut().and_then(procview::ThreadWrites::bytes);
    let t = now();
    let sent = send()?;
    let end = now();
    let after = written.as_mut().and_then(procview::ThreadWrites::bytes);
    let bytes = before.zip(after).map(|(before, after)| after - before);
    let message = Bytes(message.as_bytes().to_vec());
    match bytes {
        Some(0) => record(t, Event::Buffered { end, fd, pipe, message }),
        _ => record(t, Event::Write { end, fd, pipe, bytes, message }),
    }
    Ok(sent)
}

/// Append `event`, which began at `t` (see [`now`]), to the trace: one line,
/// with this process's id and this thread's role, written with serde_json
/// in one `write`. Without a trace, or once a line was lost, do nothing. If
/// the line cannot be written, say so once on stderr, `<program>: cannot
/// write the trace to <path>: <error>`, and record nothing more (see
/// [`lost`]).
pub fn record(t: u64, event: Event) {
    record_as(std::process::id(), ROLE.with(Cell::get), t, event);
}

/// [`record`] `event` for the lane `pid`/`role`, which may be another
/// thread's or another process's: a watch that saw where a lane waits
/// (deadlocks' watch thread, for the parent and for its child).
pub fn record_as(pid: u32, role: Role, t: u64, event: Event) {
    let Some(sink) = SINK.get() else { return };
    if lost() {
        return;
    }
    let line = Line { t, pid, role, event };
    let written = line.to_json().map_err(io::Error::from).and_then(|mut text| {
        text.push('\n');
        (&sink.file).write_all(text.as_bytes())
    });
    if let Err(e) = written
        && !LOST.swap(true, Ordering::Relaxed)
    {
        let (program, path) = (&sink.program, sink.path.display());
        let line = format!("{program}: cannot write the trace to {path}: {e}\n");
        let _ = io::stderr().write_all(line.as_bytes()); // if not, nobody can be told
    }
}

/// Wrap the reading end so that each read is recorded: the one line of
/// tracing in each program's `main.rs`.
///
/// Give it the end the program reads from: `&mut pipein` (a `File` or a
/// `PipeReader`), `&pipein` (a `PipeReader`, which reads when shared), or a `BufReader` not yet read from, which then reads
/// through the recording end (each read recorded is one `read` system call,
/// not one line). Without `--trace` the reads only pass through.
pub fn reader<T: Traceable>(end: T) -> T::Traced {
    end.traced()
}

/// What [`reader`] can wrap.
pub trait Traceable {
    /// The same reader, recording.
    type Traced: Read;
    /// Wrap it (see [`reader`]).
    fn traced(self) -> Self::Traced;
}

impl<'a, R: Read + PipeEnd + ?Sized> Traceable for &'a mut R {
    type Traced = Traced<&'a mut R>;
    fn traced(self) -> Traced<&'a mut R> {
        let (fd, pipe) = (self.descriptor(), self.pipe());
        Traced { inner: self, fd, pipe, unread: Vec::new() }
    }
}

/// A shared end that reads (`&PipeReader`): others may look at the end
/// meanwhile (pipe_thread's `--late-reader` polls it).
impl<'a, R: PipeEnd + ?Sized> Traceable for &'a R
where
    &'a R: Read,
{
    type Traced = Traced<&'a R>;
    fn traced(self) -> Traced<&'a R> {
        let (fd, pipe) = (self.descriptor(), self.pipe());
        Traced { inner: self, fd, pipe, unread: Vec::new() }
    }
}

/// Standard input, read in lines: a `BufReader` that reads through the
/// recording end, as for any `BufReader` (each read recorded is one `read`
/// system call; std's own buffer of stdin is passed by, its reads asking
/// for at least as much as it holds).
impl Traceable for io::Stdin {
    type Traced = BufReader<Traced<io::Stdin>>;
    fn traced(self) -> BufReader<Traced<io::Stdin>> {
        BufReader::new(self).traced()
    }
}

impl<R: Read + PipeEnd> Traceable for BufReader<R> {
    type Traced = BufReader<Traced<R>>;
    fn traced(self) -> BufReader<Traced<R>> {
        let capacity = self.capacity();
        let unread = self.buffer().to_vec(); // empty, unless it was read from already
        let inner = self.into_inner();
        let (fd, pipe) = (inner.descriptor(), inner.pipe());
        BufReader::with_capacity(capacity, Traced { inner, fd, pipe, unread })
    }
}

/// A pipe's read end that records each read into the trace.
#[derive(Debug)]
pub struct Traced<R> {
    inner: R,
    fd: u64,
    /// The pipe's inode number, if the end is a pipe's.
    pipe: Option<u64>,
    /// Bytes read before the wrapping (see [`Traceable`] for `BufReader`),
    /// handed out first, not recorded again.
    unread: Vec<u8>,
}

impl<R: Read> Read for Traced<R> {
    /// Hand out the bytes read before the wrapping, if any are left; else
    /// read from the end and, traced, [`record`] the read: a `read` event
    /// with the bytes it returned, or `eof` for none. An error is returned
    /// as it is, and not recorded.
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
        let (fd, pipe, asked) = (self.fd, self.pipe, buf.len() as u64);
        record(
            t,
            match n {
                0 => Event::Eof { end, fd, pipe, asked },
                n => {
                    let data = Bytes(buf[..n].to_vec());
                    Event::Read { end, fd, pipe, asked, bytes: n as u64, data }
                }
            },
        );
        Ok(n)
    }
}

#[cfg(unix)]
impl<R: std::os::fd::AsFd> std::os::fd::AsFd for Traced<R> {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

// ANCHOR: pipe_end
/// A pipe end, as the rest of `common` takes it: whatever a program reads
/// from or writes to, whose descriptor number the trace can name.
///
/// This is where the systems differ, said once: on unix a pipe end has a
/// descriptor (`AsFd`), which `--show-fds` and `--late-reader` look at;
/// elsewhere (Windows) anything is a pipe end, numbered 0, and those options
/// say they are unsupported.
#[cfg(unix)]
pub trait PipeEnd: std::os::fd::AsFd {
    /// The descriptor's number.
    fn descriptor(&self) -> u64 {
        use std::os::fd::AsRawFd;
        self.as_fd().as_raw_fd() as u64
    }

    /// The pipe's inode number (`fstat`'s `st_ino`), which names the pipe
    /// in a trace; `None` if the end is no pipe, or cannot be looked at.
    fn pipe(&self) -> Option<u64> {
        let stat = rustix::fs::fstat(self.as_fd()).ok()?;
        let fifo = rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Fifo;
        fifo.then_some(stat.st_ino as u64)
    }
}

#[cfg(unix)]
impl<T: std::os::fd::AsFd + ?Sized> PipeEnd for T {}

/// A pipe end where there are no numbered descriptors (see the unix one).
#[cfg(not(unix))]
pub trait PipeEnd {
    /// The descriptor's number: always 0 here.
    fn descriptor(&self) -> u64 {
        0
    }

    /// The pipe's number: none here.
    fn pipe(&self) -> Option<u64> {
        None
    }
}

#[cfg(not(unix))]
impl<T: ?Sized> PipeEnd for T {}
// ANCHOR_END: pipe_end

#[cfg(test)]
mod tests {
    use super::*;

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
