// ANCHOR: all
//! deadlocks: the book's "Output stream buffering revisited: deadlocks and
//! flushes". Each way a parent and its child on two pipes can wait for each
//! other for ever, on demand; caught after `--bound` and explained (see
//! `caught.rs`); and each fix, shown working.

mod caught;
mod options;

use caught::{Progress, Watch};
use common::{Context, trace};
use options::{Demo, Fix, Options};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::{Child, ExitCode, Stdio};
use std::sync::{Arc, atomic::Ordering::SeqCst};

// ANCHOR: start
/// The child `opts` asks for, started on two pipes as pipes.py's `spawn`
/// does (std's `Command` makes them): its stdin reads our greetings, its
/// stdout feeds our replies; with `--fix pty`, its stdout is a
/// pseudo-terminal instead. Returns the child and our two ends: replies
/// (none with `--fix wait-with-output`, which reads the child's stdout
/// itself) and greetings; or which call failed.
fn start(opts: &Options) -> io::Result<(Child, Option<File>, File)> {
    let mut command = opts.child_command()?; // which program, which words
    command.stdin(Stdio::piped()); // a pipe: we write, it reads
    let pty = match opts.fix {
        // A terminal for its stdout: Python line-buffers there.
        Some(Fix::Pty) => Some(nix::pty::openpty(None, None).map_err(|e| {
            io::Error::other(format!("cannot open a pseudo-terminal: {e}"))
        })?),
        _ => None,
    };
    match pty {
        Some(ref pty) => command.stdout(pty.slave.try_clone()?), // the terminal
        None => command.stdout(Stdio::piped()), // a pipe: it writes, we read
    };
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|e| {
        io::Error::new(e.kind(), format!("cannot run {program}: {e}"))
    })?;
    drop(command); // our copy of the terminal's child end, if any: closed
    let greetings =
        File::from(std::os::fd::OwnedFd::from(child.stdin.take().unwrap()));
    let replies = match pty {
        Some(pty) => Some(File::from(pty.master)), // its slave end closes here
        None if opts.fix == Some(Fix::WaitWithOutput) => None,
        None => child
            .stdout
            .take()
            .map(|out| File::from(std::os::fd::OwnedFd::from(out))),
    };
    Ok((child, replies, greetings))
}
// ANCHOR_END: start

// ANCHOR: converse
/// 1a and 1c: pipes.py's conversation. `--count` times, a greeting to the
/// child, then a line of reply read and printed on stdout. The greeting goes
/// through a `BufWriter`, flushed at once unless the demonstration is
/// `parent-greeting` without its fix: then it stays in our buffer. Then our
/// end of the greetings closes (the child sees end-of-file). What was done
/// so far is kept in `progress`, for the watch.
fn converse(
    opts: &Options,
    progress: &Progress,
    replies: &File,
    greetings: Arc<File>,
) -> io::Result<()> {
    let flush =
        opts.demo != Demo::ParentGreeting || opts.fix == Some(Fix::Flush);
    let mut to_child = BufWriter::new(&*greetings); // 8 KiB, as Python's
    let mut from_child = trace::reader(BufReader::new(replies)); // --trace
    let mypid = std::process::id();
    for n in 1..=opts.count {
        let greeting = format!("Greeting {n} from parent {mypid}\n");
        progress.greeting(n, greeting.len());
        let send = format!("cannot send greeting {n}");
        let message = greeting.trim_end(); // --trace: a write, or buffered
        trace::writing(&*greetings, message, || {
            to_child.write_all(greeting.as_bytes())?; // our buffer
            if flush {
                to_child.flush()?; // out of it, into the pipe
            }
            Ok(())
        })
        .context(&send)?;
        progress.buffered.store(to_child.buffer().len(), SeqCst);
        progress.start_reading();
        let mut reply = String::new(); // blocks for its reply
        let got = from_child.read_line(&mut reply);
        let no_reply = format!("no reply to greeting {n}");
        if got.context(&no_reply)? == 0 {
            let why = format!("{no_reply}: end-of-file"); // the child is gone
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, why));
        }
        progress.reading.store(false, SeqCst);
        // A terminal ends each line with \r\n (its ONLCR setting).
        let reply = reply.trim_end_matches('\n').trim_end_matches('\r');
        common::report(reply)?; // Parent <pid> got [<reply>] at <time>
    }
    to_child.flush().context("cannot send the greetings")?; // nothing left:
    Ok(()) // then our end closes, and the child sees end-of-file
}
// ANCHOR_END: converse

// ANCHOR: full_pipes
/// 1b: `--bytes` to an echoing child, all of it written before a byte is
/// read: the child's echo fills its pipe, the child stops reading, and our
/// bytes fill theirs. Fixed with `--fix thread`: a thread writes while
/// this one reads. Then prints that all came back, or says how not.
fn full_pipes(
    opts: &Options,
    progress: &Progress,
    replies: &File,
    greetings: Arc<File>,
) -> io::Result<()> {
    let sent = bytes_to_send(opts);
    let mut back = Vec::new();
    if opts.fix == Some(Fix::Thread) {
        std::thread::scope(|scope| {
            let writer =
                scope.spawn(|| write_counted(greetings, &sent, progress));
            progress.start_reading();
            let read = (&*replies).read_to_end(&mut back); // meanwhile, read
            let read = read.context("cannot read the echo");
            writer.join().expect("the writer thread does not panic").and(read)
        })?;
    } else {
        write_counted(greetings, &sent, progress)?; // all of it first,
        progress.start_reading();
        let read = (&*replies).read_to_end(&mut back); // then read: too late
        read.context("cannot read the echo")?;
    }
    same_back(&sent, &back)
}

/// 1b fixed with `--fix wait-with-output`: a thread writes all of `--bytes`
/// into `greetings` and closes it, while `Child::wait_with_output` reads the
/// child's stdout to the end and reaps it. Then prints that all came back,
/// or says how not (or how the child ended, if not with status 0).
fn wait_with_output(
    opts: &Options,
    child: Child,
    progress: &Progress,
    greetings: Arc<File>,
) -> io::Result<()> {
    let sent = bytes_to_send(opts);
    let output = std::thread::scope(|scope| {
        let writer = scope.spawn(|| write_counted(greetings, &sent, progress));
        let output = child.wait_with_output(); // reads while the thread writes
        let output = output.context("cannot read the echo");
        writer.join().expect("the writer thread does not panic").and(output)
    })?;
    if !output.status.success() {
        return Err(io::Error::other(format!("the child: {}", output.status)));
    }
    same_back(&sent, &output.stdout)
}
// ANCHOR_END: full_pipes

/// What full-pipes sends: `--bytes` bytes of lines `0123456789abcdef`.
fn bytes_to_send(opts: &Options) -> Vec<u8> {
    let line = b"0123456789abcdef\n";
    (0..opts.bytes).map(|i| line[(i % line.len() as u64) as usize]).collect()
}

/// Write all of `bytes` into `to`, 4 KiB a call, counting in `progress`
/// what was written; then drop `to` (closed, once the watch holds it no
/// more: the child sees end-of-file).
fn write_counted(
    to: Arc<File>,
    bytes: &[u8],
    progress: &Progress,
) -> io::Result<()> {
    for chunk in bytes.chunks(4096) {
        (&*to).write_all(chunk).context("cannot write to the child")?;
        progress.sent.fetch_add(chunk.len() as u64, SeqCst);
    }
    Ok(())
}

/// Print `Parent <pid> got [<N> bytes back, as sent] at <time>` if `back`
/// is `sent`; else an error saying how they differ.
fn same_back(sent: &[u8], back: &[u8]) -> io::Result<()> {
    if back != sent {
        let why = format!(
            "sent {} bytes, got {} back, not the same",
            sent.len(),
            back.len()
        );
        return Err(io::Error::other(why));
    }
    common::report(format!("{} bytes back, as sent", back.len()))
}

// ANCHOR: run
/// One demonstration: start the child, watch the conversation for
/// `--bound`, talk, reap. `Ok(true)` if it ended; `Ok(false)` if the watch
/// caught a deadlock (it said why on stderr and killed the child, which is
/// reaped here).
fn run(opts: &Options) -> io::Result<bool> {
    let (mut child, replies, greetings) = start(opts)?;
    let (replies, greetings) = (replies.map(Arc::new), Arc::new(greetings));
    let progress = Arc::new(Progress::default());
    let watch =
        Watch::start(opts, &child, &progress, replies.as_ref(), &greetings);
    let talked = match (opts.demo, replies) {
        (_, None) => {
            let talked = wait_with_output(opts, child, &progress, greetings);
            return finish(watch, talked, None); // reaped by wait_with_output
        }
        (Demo::FullPipes, Some(replies)) => {
            full_pipes(opts, &progress, &replies, greetings)
        }
        (_, Some(replies)) => converse(opts, &progress, &replies, greetings),
    };
    let status = child.wait(); // os.waitpid: reap it
    finish(watch, talked, Some(status))
}
// ANCHOR_END: run

/// How a run ended: caught by the watch (`Ok(false)`: then the child, killed
/// by the watch, has been reaped, and that is said), or the conversation's
/// result, with the child's exit status if it was reaped here (a status
/// but 0 is an error).
fn finish(
    watch: Watch,
    talked: io::Result<()>,
    status: Option<io::Result<std::process::ExitStatus>>,
) -> io::Result<bool> {
    if watch.stop() {
        return Ok(false); // caught: the watch has said why and what it did
    }
    talked?;
    match status.transpose()? {
        Some(status) if !status.success() => {
            Err(io::Error::other(format!("the child: {status}")))
        }
        _ => Ok(true),
    }
}

fn main() -> ExitCode {
    let opts = match options::parse() {
        Ok(opts) => opts,
        Err(code) => return code, // a usage error (2), or --help (0)
    };
    trace::two_way(); // --trace: we are the "parent", it the "child"
    if let Err(e) = trace::start("deadlocks", opts.trace.as_deref()) {
        common::report::say(&format!("deadlocks: {e}"));
        return ExitCode::FAILURE;
    }
    match run(&opts) {
        Ok(_) if trace::lost() => ExitCode::FAILURE, // said on stderr
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(options::DEADLOCK_CAUGHT),
        Err(e) => {
            common::report::say(&format!("deadlocks: {e}"));
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: all
