//! Caught, not hung: a thread that watches the conversation, and once
//! `--bound` has passed without its end, says which process waits in which
//! call on which pipe, and why, then kills the child.
//!
//! What it knows it reads where it is kept: the call each process sleeps in,
//! and what the child has written, from Linux's `/proc` (through `procview`,
//! the one crate that reads it: where there is none, as on macOS, the calls
//! are said to be unknown); the bytes each pipe holds unread from the
//! kernel (`FIONREAD`) and how many it can hold (`F_GETPIPE_SZ`, Linux);
//! what the parent has sent and what sits in its own buffer from the
//! parent itself ([`Progress`]).

use crate::options::{Demo, Fix, Options};
use nix::sys::signal::SIGKILL;
use procview::Call;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Weak, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the parent has done so far, as it says it: read by the watch.
#[derive(Debug, Default)]
pub struct Progress {
    /// The greeting it sent last (1 for the first), and its length in bytes.
    greeting: AtomicU64,
    greeting_len: AtomicUsize,
    /// How many of its greeting's bytes sit in its own `BufWriter`.
    pub buffered: AtomicUsize,
    /// full-pipes: how many bytes it has written into the child's stdin.
    pub sent: AtomicU64,
    /// Whether it has turned to reading the child's replies.
    pub reading: AtomicBool,
    /// When it turned to reading them last (`common::trace::now`).
    reading_since: AtomicU64,
}

impl Progress {
    /// Greeting `n`, of `len` bytes, is being sent.
    pub fn greeting(&self, n: u64, len: usize) {
        self.greeting.store(n, SeqCst);
        self.greeting_len.store(len, SeqCst);
    }

    /// It turns to reading the child's replies, now.
    pub fn start_reading(&self) {
        self.reading_since.store(common::trace::now(), SeqCst);
        self.reading.store(true, SeqCst);
    }
}

/// The watch over one run: a thread that waits for the run's end or for the
/// bound, whichever comes first.
#[derive(Debug)]
pub struct Watch {
    /// Dropped by [`Watch::stop`]: the run has ended.
    ended: mpsc::Sender<()>,
    thread: JoinHandle<bool>,
    child: u32,
}

// ANCHOR: watch
impl Watch {
    /// Start watching the run of `opts` with `child`: if [`Watch::stop`] is
    /// not called within `--bound`, the watch says on stderr what each
    /// process waits for and why (see [`Scene::explain`]), then kills the
    /// child (`SIGKILL`: it cannot be caught). It keeps
    /// the pipes' ends only weakly, so that it never holds one open.
    pub fn start(
        opts: &Options,
        child: &Child,
        progress: &Arc<Progress>,
        replies: Option<&Arc<File>>,
        greetings: &Arc<File>,
    ) -> Watch {
        let scene = Scene {
            opts: opts.clone(),
            parent: std::process::id(),
            child: child.id(),
            progress: Arc::clone(progress),
            replies_fd: replies.map(|end| end.as_raw_fd()),
            replies: replies.map(Arc::downgrade),
            greetings_fd: greetings.as_raw_fd(),
            greetings: Arc::downgrade(greetings),
        };
        let (ended, end) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if end.recv_timeout(scene.opts.bound)
                != Err(mpsc::RecvTimeoutError::Timeout)
            {
                return false; // the run ended in time
            }
            for line in scene.explain() {
                common::report::say(&format!("deadlocks: {line}"));
            }
            scene.record(); // --trace: where each waits, and the bound
            // Not yet reaped, so its pid is still its own.
            let child = nix::unistd::Pid::from_raw(scene.child as i32);
            let killed = nix::sys::signal::kill(child, SIGKILL);
            if let Err(e) = killed {
                // Nothing else would wake the parent: end it here.
                let why = format!("deadlocks: cannot kill the child: {e}");
                common::report::say(&why);
                std::process::exit(1);
            }
            true
        });
        Watch { ended, thread, child: child.id() }
    }

    /// The run has ended, its child reaped: stop the watch. Returns whether
    /// it had caught a deadlock (and then says that the child was killed and
    /// reaped).
    pub fn stop(self) -> bool {
        drop(self.ended);
        let caught = self.thread.join().unwrap_or(true);
        if caught {
            let child = self.child;
            common::report::say(&format!(
                "deadlocks: the child (process {child}) was killed and reaped"
            ));
        }
        caught
    }
}
// ANCHOR_END: watch

/// What the watch looks at.
#[derive(Debug)]
struct Scene {
    opts: Options,
    parent: u32,
    child: u32,
    progress: Arc<Progress>,
    replies_fd: Option<i32>,
    replies: Option<Weak<File>>,
    greetings_fd: i32,
    greetings: Weak<File>,
}

/// Where a process waits: its main thread's call, if `/proc` tells.
enum Waits {
    /// In this call.
    In(Call),
    /// Not in a call, or not seen to stay in one.
    Unknown,
    /// This system has no `/proc` to tell.
    NoProc,
}

impl Scene {
    /// The lines the watch says: that it caught a deadlock, where each
    /// process waits, why, and the fix.
    fn explain(&self) -> Vec<String> {
        let bound = humantime::format_duration(self.opts.bound);
        vec![
            format!(
                "deadlock caught after {bound}: the parent and the child wait for each other"
            ),
            self.where_waits("the parent", self.parent, true),
            self.where_waits("the child", self.child, false),
            format!("why: {}", self.why()),
            format!("fix: {}", self.fix()),
        ]
    }

    /// With `--trace`, record what the watch sees at the bound: a `stuck`
    /// for the parent and one for the child (the call each waits in, its
    /// descriptor, the pipe and the bytes it holds unread, and for the
    /// parent since when it reads), then `caught`, the bound and the child
    /// about to be killed. Without, do nothing.
    fn record(&self) {
        use common::trace::{self, Event, Role};
        if !trace::enabled() {
            return;
        }
        let now = trace::now();
        let lanes = [(self.parent, Role::Parent), (self.child, Role::Child)];
        for (pid, role) in lanes {
            let parent = role == Role::Parent;
            let (call, fd) = match waits(pid) {
                Waits::In(Call::Read { fd, .. } | Call::Readv { fd }) => {
                    ("read", Some(fd))
                }
                Waits::In(Call::Write { fd }) => ("write", Some(fd)),
                _ => ("unknown", None),
            };
            let end = fd.and_then(|fd| self.end_of(fd as i32, parent));
            let end = end.and_then(|end| end.upgrade());
            let pipe = end.as_deref().and_then(trace::PipeEnd::pipe);
            let unread = (end.as_deref())
                .and_then(|end| rustix::io::ioctl_fionread(end).ok());
            let reading = self.progress.reading.load(SeqCst);
            let since = (parent && reading)
                .then(|| self.progress.reading_since.load(SeqCst));
            let call = call.to_owned();
            let fd = fd.map(u64::from);
            let stuck = Event::Stuck { since, call, fd, pipe, unread };
            trace::record_as(pid, role, now, stuck);
        }
        let bound_ns = self.opts.bound.as_nanos() as u64;
        let caught = Event::Caught { bound_ns, killed: self.child };
        trace::record_as(self.parent, Role::Parent, trace::now(), caught);
    }

    /// Our end of the pipe that descriptor `fd` of the parent (`parent`)
    /// or of the child stands for, if it is one of the two.
    fn end_of(&self, fd: i32, parent: bool) -> Option<&Weak<File>> {
        let replies = if parent { self.replies_fd } else { Some(1) };
        let greetings = if parent { self.greetings_fd } else { 0 };
        if Some(fd) == replies {
            self.replies.as_ref()
        } else if fd == greetings {
            Some(&self.greetings)
        } else {
            None
        }
    }

    /// `the parent (process P) waits in read(2) of fd 4, the replies' pipe,
    /// which holds 0 bytes unread`: where `pid`'s main thread sleeps, and
    /// what the pipe it waits on holds. `parent` says whose descriptors
    /// these are (ours, or the child's 0 and 1).
    fn where_waits(&self, who: &str, pid: u32, parent: bool) -> String {
        let who = format!("{who} (process {pid})");
        let (call, fd) = match waits(pid) {
            Waits::In(Call::Read { fd, .. } | Call::Readv { fd }) => {
                ("read(2) of", fd)
            }
            Waits::In(Call::Write { fd }) => ("write(2) to", fd),
            Waits::In(Call::WaitChild) => {
                return format!("{who} waits for a child of its own");
            }
            Waits::In(call) => return format!("{who} waits in {call:?}"),
            Waits::Unknown => {
                return format!("{who} waits, in a call /proc did not show");
            }
            Waits::NoProc => return self.by_its_own_account(&who, parent),
        };
        let fd = fd as i32;
        let replies = if parent { self.replies_fd } else { Some(1) };
        let greetings = if parent { self.greetings_fd } else { 0 };
        let pipe = if Some(fd) == replies {
            self.replies_pipe()
        } else if fd == greetings {
            self.greetings_pipe()
        } else {
            "a descriptor of neither pipe".to_owned()
        };
        format!("{who} waits in {call} fd {fd}, {pipe}")
    }

    /// Where there is no `/proc`: what the parent says it is doing (it
    /// keeps count), what the child's two pipes hold, and that the call
    /// each waits in cannot be seen.
    fn by_its_own_account(&self, who: &str, parent: bool) -> String {
        let unseen = "only Linux's /proc shows the call it waits in";
        match (parent, self.progress.reading.load(SeqCst)) {
            (true, true) => {
                format!("{who} reads {} ({unseen})", self.replies_pipe())
            }
            (true, false) => {
                format!("{who} writes to {} ({unseen})", self.greetings_pipe())
            }
            (false, _) => format!(
                "{who}: its stdin is {}; its stdout, {} ({unseen})",
                self.greetings_pipe(),
                self.replies_pipe()
            ),
        }
    }

    /// What the child's stdout is: `the replies' pipe`, or with `--fix
    /// pty` `the pseudo-terminal of the child's stdout`.
    fn replies_name(&self) -> &'static str {
        match self.opts.fix {
            Some(Fix::Pty) => "the pseudo-terminal of the child's stdout",
            _ => "the replies' pipe",
        }
    }

    /// `the replies' pipe, which holds 0 bytes unread` (or the terminal).
    fn replies_pipe(&self) -> String {
        let name = self.replies_name();
        match self.replies.as_ref() {
            Some(end) => format!("{name}, {}", holds(end)),
            None => name.to_owned(),
        }
    }

    /// `the greetings' pipe, which is full: 65536 bytes unread`.
    fn greetings_pipe(&self) -> String {
        format!("the greetings' pipe, {}", holds(&self.greetings))
    }

    /// Why neither can go on, by demonstration, with what was counted.
    fn why(&self) -> String {
        let progress = &self.progress;
        let (n, len) = (
            progress.greeting.load(SeqCst),
            progress.greeting_len.load(SeqCst),
        );
        let written = procview::process_io(self.child)
            .map(|io| {
                // Under --trace, the child's trace lines are writes too.
                let traced = match self.opts.trace {
                    Some(_) => ", its trace's lines among them",
                    None => "",
                };
                format!(
                    " (/proc counts {} bytes written by it in all{traced})",
                    io.wchar
                )
            })
            .unwrap_or_default();
        let buffer = match (self.opts.demo, self.opts.fix) {
            (Demo::PythonChild, _) => {
                "Python's print on a pipe fills a block buffer of 8 KiB"
            }
            (_, Some(Fix::Pty)) => {
                "a BufWriter of 8 KiB: a terminal changes nothing for it"
            }
            _ => "a BufWriter of 8 KiB, never flushed",
        };
        match self.opts.demo {
            Demo::PythonChild | Demo::RustChild => format!(
                "the child has read greeting {n} ({len} bytes: the greetings' pipe is empty) and \
                 waits for the next line; its reply never reached {}{written}: it \
                 sits in the child's stdout buffer ({buffer}), which goes out only when it is \
                 full or the child exits, and the child exits only at the end-of-file the parent \
                 sends after the last reply",
                self.replies_name()
            ),
            Demo::ParentGreeting => format!(
                "greeting {n} ({} bytes) sits in the parent's own BufWriter, never written: the \
                 greetings' pipe is empty, so the child waits for it, while the parent waits \
                 for its reply",
                progress.buffered.load(SeqCst)
            ),
            Demo::FullPipes => format!(
                "the parent writes all {} bytes before it reads one, and has written {}; the \
                 child echoes what it reads, but nobody reads its echo: once the replies' pipe \
                 is full the child waits in its write and reads no more, and then the \
                 greetings' pipe fills too",
                self.opts.bytes,
                progress.sent.load(SeqCst)
            ),
        }
    }

    /// The fixes of this demonstration, as options.
    fn fix(&self) -> &'static str {
        match self.opts.demo {
            Demo::PythonChild => {
                "flush after each print (--fix flush), run python3 -u (--fix unbuffered), or, if \
                 the child cannot be changed, give it a terminal (--fix pty)"
            }
            Demo::RustChild => {
                "flush after each line (--fix flush), or write through a LineWriter \
                 (--fix line-writer); a terminal does not help a BufWriter"
            }
            Demo::ParentGreeting => {
                "flush the greeting once it is written (--fix flush)"
            }
            Demo::FullPipes => {
                "read while writing: a thread writes (--fix thread), or a thread writes while \
                 wait_with_output reads (--fix wait-with-output)"
            }
        }
    }
}

// ANCHOR: waits
/// Where process `pid`'s main thread sleeps. A thread seen between two
/// calls is looked at again, every 10 ms, for up to half a second.
fn waits(pid: u32) -> Waits {
    if !procview::present() {
        return Waits::NoProc;
    }
    for _ in 0..50 {
        let main =
            procview::threads(pid).into_iter().find(|thread| thread.main());
        if let Some(call) = main.and_then(|thread| thread.call) {
            return Waits::In(call);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Waits::Unknown
}
// ANCHOR_END: waits

// ANCHOR: holds
/// `which holds 0 bytes unread`, `which is full: 65536 bytes unread`: what
/// the pipe (or terminal) behind `end` holds (`FIONREAD`), against what it
/// can hold (`F_GETPIPE_SZ`, Linux only); `which the parent has closed` if it
/// has closed `end`.
fn holds(end: &Weak<File>) -> String {
    let Some(end) = end.upgrade() else {
        return "which the parent has closed".to_owned();
    };
    let unread = match rustix::io::ioctl_fionread(&*end) {
        Ok(unread) => unread,
        Err(e) => return format!("whose unread bytes cannot be counted ({e})"),
    };
    #[cfg(target_os = "linux")]
    if let Ok(capacity) = rustix::pipe::fcntl_getpipe_size(&*end)
        && unread >= capacity as u64
    {
        return format!("which is full: {unread} bytes unread");
    }
    format!("which holds {unread} bytes unread")
}
// ANCHOR_END: holds
