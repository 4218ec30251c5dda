//! The small programs `bench` measures besides pipe1, pipe2 and pipe2_fast:
//! each moves `Spam NNN` messages (or plain blocks) through one pipe in one
//! particular way, so that one choice at a time can be timed. They print
//! nothing unless the case is about printing, and each checks at the end that
//! every message arrived.
//!
//! ```sh
//! bench_case floor --count 1000000        # one write per message, 64 KiB reads
//! bench_case reads --count 100000 --read-size 8
//! bench_case print --count 100000 --flush idle
//! bench_case batch --count 1000000 --every 256 --framing length
//! bench_case bulk --bytes 1073741824
//! bench_case pingpong --count 10000 --pin same
//! bench_case spawned --count 10000         # round trips through a program it starts
//! ```

#[cfg(unix)]
use {
    clap::{Parser, Subcommand, ValueEnum},
    common::fork::{Fork, fork},
    common::schedule::zzz_values,
    std::{
        fs::File,
        io::{self, BufRead, BufReader, BufWriter, Read, Write},
        os::fd::OwnedFd,
        thread,
    },
};

/// Reads and the writer's buffer: 64 KiB, what a Linux pipe holds.
#[cfg(unix)]
const BLOCK: usize = 64 * 1024;

#[cfg(unix)]
#[derive(Parser, Debug)]
#[command(
    name = "bench_case",
    about = "One way of moving messages through a pipe, for bench to time"
)]
struct Args {
    #[command(subcommand)]
    case: Case,

    /// Run the writer in a thread of this process instead of a forked child
    #[arg(long, global = true)]
    thread: bool,

    /// Pin both sides to the first CPU (`same`), or each to a CPU of its own
    /// (`apart`: this side on the first, the writer on the second). Linux:
    /// sched_setaffinity. Without it, the scheduler places them
    #[arg(long, global = true, value_enum)]
    pin: Option<Pin>,

    /// Set the pipe's capacity to BYTES first (Linux: fcntl F_SETPIPE_SZ)
    #[arg(long, global = true, value_name = "BYTES")]
    pipe_size: Option<usize>,

    /// The reader never sleeps: its end is non-blocking (O_NONBLOCK), and
    /// when the pipe is empty it asks again at once
    #[arg(long, global = true)]
    spin: bool,
}

#[cfg(unix)]
#[derive(Subcommand, Debug)]
enum Case {
    /// One write per message (`Spam NNN\n`), 64 KiB reads, nothing printed:
    /// the floor for any design with one write per message
    Floor {
        #[arg(long)]
        count: u64,
    },
    /// One write per 8-byte message, no separator (pipe1's stream); reads of
    /// READ_SIZE bytes, nothing printed
    Reads {
        #[arg(long)]
        count: u64,
        #[arg(long)]
        read_size: usize,
    },
    /// One write per message; the parent reads lines and prints pipe2's line
    /// for each, flushing stdout as FLUSH says
    Print {
        #[arg(long)]
        count: u64,
        #[arg(long, value_enum)]
        flush: Flush,
    },
    /// The writer collects messages in a 64 KiB buffer and writes it every
    /// EVERY messages (when full and at the end, without --every); the
    /// reader counts messages in 64 KiB reads
    Batch {
        #[arg(long)]
        count: u64,
        #[arg(long)]
        every: Option<u64>,
        #[arg(long, value_enum, default_value = "newline")]
        framing: Framing,
        /// The writer's buffer, in bytes
        #[arg(long, default_value_t = BLOCK)]
        buffer: usize,
        /// Put a whole round of the schedule (five messages) into the buffer at once
        #[arg(long, conflicts_with = "every")]
        whole_rounds: bool,
        /// The reader finds every message (by its framing), instead of only
        /// counting bytes as dd does
        #[arg(long)]
        parse: bool,
    },
    /// BYTES of zeros in 64 KiB writes and 64 KiB reads: the pipe's bandwidth
    Bulk {
        #[arg(long)]
        bytes: u64,
    },
    /// COUNT round trips: the parent sends a message through one pipe, the
    /// child sends it back through another, and only then comes the next
    Pingpong {
        #[arg(long)]
        count: u64,
    },
    /// COUNT round trips as pingpong's, the far side a program started on
    /// two pipes, as pipes starts its child: `bench_case echo`, started
    /// with std::process::Command, its stdin and stdout piped
    Spawned {
        #[arg(long)]
        count: u64,
    },
    /// The far side of `spawned`: send back each message read on stdin on
    /// stdout, until end-of-file
    Echo,
}

/// When the parent of `print` flushes its output.
#[cfg(unix)]
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Flush {
    /// After every line: one write(2) per line, as pipe2's `report` makes
    Line,
    /// When 64 KiB are full, and at the end
    Block,
    /// When full, and before a read that would wait (pipe2_fast)
    Idle,
}

/// Where `--pin` puts the two sides.
#[cfg(unix)]
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Pin {
    /// Both on the first CPU: they take turns
    Same,
    /// This side on the first CPU, the writer on the second: always in parallel
    Apart,
}

/// How a message is marked off in the stream.
#[cfg(unix)]
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// `Spam 000\n`: a newline after it (pipe2)
    Newline,
    /// `\x08Spam 000`: its length before it (the exercise "Frame by length")
    Length,
}

/// The five messages of the schedule, as pipe1 sends them: `Spam 000`.
#[cfg(unix)]
fn unframed() -> [[u8; 8]; 5] {
    std::array::from_fn(|zzz| common::message(zzz as u32).into_bytes().try_into().unwrap())
}

/// The five messages of the schedule, framed, ready to write. Arrays of a
/// known size, so that copying one into a buffer is two moves, not a call.
#[cfg(unix)]
fn frames(framing: Framing) -> [[u8; 9]; 5] {
    unframed().map(|msg| match framing {
        Framing::Newline => [&msg[..], b"\n"].concat().try_into().unwrap(),
        Framing::Length => [&[8][..], &msg].concat().try_into().unwrap(),
    })
}

/// Run `far` in a forked child (or, with `--thread`, in a thread) and `near`
/// here, then reap the child (join the thread). Each closure owns the pipe
/// ends it uses; the other side drops it, and so closes those ends.
#[cfg(unix)]
fn split(
    args: &Args,
    far: impl FnOnce() -> io::Result<()> + Send + 'static,
    near: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    let (far_cpu, near_cpu) = match args.pin {
        Some(Pin::Apart) => (Some(1), Some(0)),
        _ => (None, None), // `same`: pinned before, and inherited
    };
    let far = move || {
        far_cpu.map_or(Ok(()), pin)?;
        far()
    };
    near_cpu.map_or(Ok(()), pin)?;
    if args.thread {
        let far = thread::spawn(far);
        near()?;
        return far.join().map_err(|_| io::Error::other("the writer thread panicked"))?;
    }
    // SAFETY: bench_case starts a thread only with --thread, and then returns
    // above without forking: here this is the only thread, and the child is
    // a whole copy of the process.
    match unsafe { fork() }? {
        Fork::Child(_) => {
            drop(near);
            far()?;
            std::process::exit(0) // done: the checks after `split` are the parent's
        }
        Fork::Parent(child) => {
            drop(far);
            near()?;
            child.wait()
        }
    }
}

/// A new pipe, with the capacity `--pipe-size` asks for.
#[cfg(unix)]
fn pipe(args: &Args) -> io::Result<(OwnedFd, OwnedFd)> {
    let (pipein, pipeout) = rustix::pipe::pipe()?;
    if args.spin {
        use nix::fcntl::{FcntlArg, OFlag, fcntl};
        let flags = OFlag::from_bits_retain(fcntl(&pipein, FcntlArg::F_GETFL)?);
        fcntl(&pipein, FcntlArg::F_SETFL(flags | OFlag::O_NONBLOCK))?;
    }
    if let Some(size) = args.pipe_size {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        rustix::pipe::fcntl_setpipe_size(&pipeout, size)?;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("--pipe-size {size}: setting a pipe's size needs Linux"),
        ));
    }
    Ok((pipein, pipeout))
}

/// Run the calling thread, and every process and thread it starts from now
/// on, on CPU number `cpu` only.
#[cfg(unix)]
fn pin(cpu: usize) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let mut cpus = nix::sched::CpuSet::new();
        cpus.set(cpu)?;
        nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &cpus)?;
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    Err(io::Error::new(io::ErrorKind::Unsupported, format!("--pin (CPU {cpu}) needs Linux")))
}

/// Check what the reader received against what was sent.
#[cfg(unix)]
fn expect(what: &str, received: u64, sent: u64) -> io::Result<()> {
    if received == sent {
        Ok(())
    } else {
        Err(io::Error::other(format!("received {received} {what}, sent {sent}")))
    }
}

/// Read to end-of-file in reads of `size` bytes, handing each to `each`.
#[cfg(unix)]
fn read_all(mut pipein: File, size: usize, mut each: impl FnMut(&[u8])) -> io::Result<()> {
    let mut buffer = vec![0; size];
    loop {
        match pipein.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => each(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // Only with --spin: the pipe is empty, ask again.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::hint::spin_loop(),
            Err(e) => return Err(e),
        }
    }
}

/// Write each message of the schedule (flat out) with one write_all.
#[cfg(unix)]
fn write_each<const N: usize>(
    mut out: impl Write,
    count: u64,
    frames: &[[u8; N]; 5],
) -> io::Result<()> {
    for zzz in zzz_values(Some(count)) {
        out.write_all(&frames[zzz as usize])?;
    }
    out.flush()
}

#[cfg(unix)]
fn run(args: Args) -> io::Result<()> {
    if args.pin == Some(Pin::Same) {
        pin(0)?;
    }
    if let Case::Pingpong { count } = args.case {
        return pingpong(&args, count);
    }
    if let Case::Spawned { count } = args.case {
        return spawned(&args, count);
    }
    if let Case::Echo = args.case {
        return echo(io::stdin().lock(), io::stdout().lock());
    }
    let (pipein, pipeout) = pipe(&args)?;
    let (pipein, pipeout) = (File::from(pipein), File::from(pipeout));
    let mut received = 0;
    let counter = &mut received;
    let (what, sent) = match args.case {
        Case::Floor { count } => {
            let sent = frames(Framing::Newline);
            split(
                &args,
                move || write_each(pipeout, count, &sent),
                move || read_all(pipein, BLOCK, |data| *counter += data.len() as u64),
            )?;
            ("bytes", 9 * count)
        }
        Case::Reads { count, read_size } => {
            let sent = unframed();
            split(
                &args,
                move || write_each(pipeout, count, &sent),
                move || read_all(pipein, read_size, |data| *counter += data.len() as u64),
            )?;
            ("bytes", 8 * count)
        }
        Case::Print { count, flush } => {
            let sent = frames(Framing::Newline);
            split(
                &args,
                move || write_each(pipeout, count, &sent),
                move || print_lines(pipein, flush, counter),
            )?;
            ("lines", count)
        }
        Case::Batch { count, every, framing, buffer, whole_rounds, parse } => {
            let sent = frames(framing);
            split(
                &args,
                move || {
                    let mut pipeout = BufWriter::with_capacity(buffer, pipeout);
                    if whole_rounds {
                        let round = sent.concat(); // Spam 000 to Spam 004, framed: 45 bytes
                        for _ in 0..count / 5 {
                            pipeout.write_all(&round)?; // into the buffer; a write(2) when full
                        }
                        pipeout.write_all(&round[..9 * (count % 5) as usize])?;
                        return pipeout.flush();
                    }
                    let every = every.unwrap_or(u64::MAX);
                    let mut left = every; // messages before the next flush
                    let mut send = |frame: &[u8; 9]| {
                        pipeout.write_all(frame)?; // into the buffer: no system call
                        left -= 1;
                        if left == 0 {
                            pipeout.flush()?; // one write(2) for the whole batch
                            left = every;
                        }
                        Ok::<_, io::Error>(())
                    };
                    // The schedule round by round (Spam 000 to Spam 004): the
                    // same messages as zzz_values, in a loop the compiler unrolls.
                    for _ in 0..count / 5 {
                        sent.iter().try_for_each(&mut send)?;
                    }
                    sent[..(count % 5) as usize].iter().try_for_each(&mut send)?;
                    pipeout.flush()
                },
                move || match parse {
                    true => count_messages(pipein, framing, counter),
                    false => read_all(pipein, BLOCK, |data| *counter += data.len() as u64),
                },
            )?;
            if parse { ("messages", count) } else { ("bytes", 9 * count) }
        }
        Case::Bulk { bytes } => {
            let blocks = bytes / BLOCK as u64;
            split(
                &args,
                move || {
                    let (mut pipeout, block) = (pipeout, vec![0; BLOCK]);
                    (0..blocks).try_for_each(|_| pipeout.write_all(&block))
                },
                move || read_all(pipein, BLOCK, |data| *counter += data.len() as u64),
            )?;
            ("bytes", blocks * BLOCK as u64)
        }
        Case::Pingpong { .. } | Case::Spawned { .. } | Case::Echo => {
            unreachable!("handled above")
        }
    };
    expect(what, received, sent)
}

/// The reader of `batch`: count the messages in 64 KiB reads.
#[cfg(unix)]
fn count_messages(pipein: File, framing: Framing, received: &mut u64) -> io::Result<()> {
    let mut skip = 0; // length framing: how far the next length byte is into the next read
    read_all(pipein, BLOCK, |data| match framing {
        Framing::Newline => *received += count_newlines(data),
        Framing::Length => {
            let mut at = skip;
            while at < data.len() {
                at += 1 + usize::from(data[at]); // the length byte, then the message
                *received += 1;
            }
            skip = at - data.len();
        }
    })
}

/// The parent of `print`: pipe2's loop, with stdout flushed as `flush` says.
#[cfg(unix)]
fn print_lines(pipein: File, flush: Flush, received: &mut u64) -> io::Result<()> {
    let mut pipein = BufReader::with_capacity(BLOCK, pipein);
    let stdout = io::stdout().lock(); // a LineWriter: writes at every newline by itself
    let capacity = if flush == Flush::Line { 0 } else { BLOCK };
    let mut out = BufWriter::with_capacity(capacity, stdout);
    let pid = std::process::id();
    let mut line = String::new();
    loop {
        if flush == Flush::Idle
            && !pipein.buffer().contains(&b'\n')
            && rustix::io::ioctl_fionread(pipein.get_ref())? == 0
        {
            out.flush()?;
        }
        line.clear();
        if pipein.read_line(&mut line)? == 0 {
            break;
        }
        let time = common::report::timestamp(std::time::SystemTime::now());
        writeln!(out, "Parent {pid} got [{}] at {time}", line.trim_end_matches('\n'))?;
        *received += 1;
    }
    out.flush()
}

/// How many newlines `data` holds. Counted in pieces of 255 bytes with a
/// one-byte counter each, which the compiler turns into vector instructions.
#[cfg(unix)]
fn count_newlines(data: &[u8]) -> u64 {
    let piece = |piece: &[u8]| piece.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
    data.chunks(255).map(|p| u64::from(piece(p))).sum()
}

/// `pingpong`: `count` round trips of one message through two pipes.
#[cfg(unix)]
fn pingpong(args: &Args, count: u64) -> io::Result<()> {
    let (there_in, there_out) = pipe(args)?;
    let (back_in, back_out) = pipe(args)?;
    let (mut there_in, mut there_out) = (File::from(there_in), File::from(there_out));
    let (mut back_in, mut back_out) = (File::from(back_in), File::from(back_out));
    let message = frames(Framing::Newline)[0];
    let mut round_trips = 0;
    let counter = &mut round_trips;
    split(
        args,
        move || {
            // The far side: send back each message as it comes, until end-of-file.
            let mut buffer = [0; 9];
            loop {
                match there_in.read_exact(&mut buffer) {
                    Ok(()) => back_out.write_all(&buffer)?,
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                    Err(e) => return Err(e),
                }
            }
        },
        move || {
            let mut buffer = [0; 9];
            for _ in 0..count {
                there_out.write_all(&message)?;
                back_in.read_exact(&mut buffer)?; // wait for it to come back
                *counter += 1;
            }
            Ok(()) // dropping there_out: the far side sees end-of-file
        },
    )?;
    expect("round trips", round_trips, count)
}

/// `spawned`: `count` round trips of one message through a program this one
/// starts, `bench_case echo` (this program), with a pipe on its stdin and
/// one on its stdout (`Stdio::piped()`), as pipes talks with its child.
/// `--thread`, `--pin apart` and `--pipe-size` do not apply: an error.
#[cfg(unix)]
fn spawned(args: &Args, count: u64) -> io::Result<()> {
    use std::process::{Command, Stdio};
    if args.thread || args.pin == Some(Pin::Apart) || args.pipe_size.is_some() || args.spin {
        return Err(io::Error::other(
            "spawned: --thread, --pin apart, --pipe-size, --spin do not apply",
        ));
    }
    let mut child = Command::new(std::env::current_exe()?)
        .arg("echo")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let no_pipe = || io::Error::other("no pipe to the child");
    let mut there = child.stdin.take().ok_or_else(no_pipe)?;
    let mut back = child.stdout.take().ok_or_else(no_pipe)?;
    let message = frames(Framing::Newline)[0];
    let (mut buffer, mut round_trips) = ([0; 9], 0);
    for _ in 0..count {
        there.write_all(&message)?;
        back.read_exact(&mut buffer)?; // wait for it to come back
        round_trips += 1;
    }
    drop(there); // the far side sees end-of-file
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("bench_case echo: {status}")));
    }
    expect("round trips", round_trips, count)
}

/// `echo`: send back each 9-byte message read from `stdin` on `stdout`,
/// each in one write, until end-of-file.
#[cfg(unix)]
fn echo(mut stdin: impl Read, mut stdout: impl Write) -> io::Result<()> {
    let mut buffer = [0; 9];
    loop {
        match stdin.read_exact(&mut buffer) {
            Ok(()) => {
                stdout.write_all(&buffer)?;
                stdout.flush()?;
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    common::exit_status("bench_case", || run(Args::parse()))
}
