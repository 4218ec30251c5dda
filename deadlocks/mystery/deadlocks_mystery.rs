//! The program of the exercise "Why does it hang?": a parent and its
//! child on two pipes, which never ends. Run it with `--show-fds`
//! (each process says which pipe ends it holds) and `--trace` (each
//! says every read and write it starts, and each it finishes), both
//! on stderr, and find out from them alone who waits for what:
//!
//!     cargo run -q -p deadlocks --bin deadlocks_mystery -- --show-fds --trace
//!
//! (Ctrl-C stops it.) The parent starts this program again as its
//! child (the argument `child`, with the same options) with std's
//! Command, sends it BYTES bytes (256 KiB) in blocks of BLOCK bytes,
//! and then reads back what the child sends: the same bytes in
//! capitals. The child copies its stdin to its stdout, a block at a
//! time, in capitals, until end-of-file.

use {
    nix::fcntl::{FcntlArg, OFlag, fcntl},
    std::env,
    std::fs::{self, File},
    std::io::{self, Read, Write},
    std::os::fd::{AsFd, BorrowedFd},
    std::os::unix::fs::{FileTypeExt, MetadataExt},
    std::process::{self, Command, ExitCode, Stdio},
};

/// What the parent sends, in all.
const BYTES: usize = 256 * 1024;

/// What each write of the parent, and each read and write of the
/// child, moves at most.
const BLOCK: usize = 16 * 1024;

/// The options, `--show-fds` and `--trace`, as given.
#[derive(Clone, Copy)]
struct Options {
    show_fds: bool,
    trace: bool,
}

/// With `--trace`, say `what` on stderr, after `<who> <pid>: `.
fn trace(options: Options, who: &str, what: &str) {
    if options.trace {
        say(&format!("trace: {who} {}: {what}", process::id()));
    }
}

/// Say `line` on stderr in one write, so that the two processes'
/// lines do not mix (eprintln! may write a line in pieces).
fn say(line: &str) {
    let _ = io::stderr().write_all(format!("{line}\n").as_bytes());
}

/// With `--show-fds`, say on stderr which pipe ends this process
/// holds among its first 10 descriptors (stderr aside, where this
/// is said), as `<who> <pid> holds: fd
/// 0 (read end of pipe 12345), ...`, each pipe named by its inode
/// number (`/dev/fd/<n>` looked at with `stat`, its way with
/// `fcntl(F_GETFL)`).
fn show_fds(options: Options, who: &str) {
    if !options.show_fds {
        return;
    }
    let mut ends = Vec::new();
    for fd in (0..10).filter(|&fd| fd != 2) {
        let Ok(meta) = fs::metadata(format!("/dev/fd/{fd}")) else {
            continue;
        };
        if !meta.file_type().is_fifo() {
            continue;
        }
        // SAFETY: fd is open (stat just saw it) for this call only.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        let Ok(flags) = fcntl(borrowed, FcntlArg::F_GETFL) else {
            continue;
        };
        let mode =
            OFlag::from_bits_truncate(flags) & OFlag::O_ACCMODE;
        let way =
            if mode == OFlag::O_WRONLY { "write" } else { "read" };
        ends.push(format!(
            "fd {fd} ({way} end of pipe {})",
            meta.ino()
        ));
    }
    say(&format!(
        "{who} {} holds: {}",
        process::id(),
        ends.join(", ")
    ));
}

/// The parent: starts the child, sends it [`BYTES`] bytes, then
/// reads all it sends back, and reaps it.
fn parent(options: Options) -> Result<(), String> {
    let me = env::current_exe().map_err(|e| format!("{e}"))?;
    let mut command = Command::new(me);
    command.arg("child").args(env::args().skip(1));
    command.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child =
        command.spawn().map_err(|e| format!("spawn: {e}"))?;
    let mut to_child = child.stdin.take().ok_or("no pipe")?;
    let mut from_child = child.stdout.take().ok_or("no pipe")?;
    show_fds(options, "parent");
    let (to, from) = (fd(&to_child), fd(&from_child));
    let lines = (0..).map(|n| format!("line {n:06}\n"));
    let input: Vec<u8> =
        lines.flat_map(String::into_bytes).take(BYTES).collect();
    let mut sent = 0;
    for block in input.chunks(BLOCK) {
        let size = block.len();
        trace(
            options,
            "parent",
            &format!("write(fd {to}, {size} bytes) ..."),
        );
        to_child
            .write_all(block)
            .map_err(|e| format!("write: {e}"))?;
        sent += size;
        trace(
            options,
            "parent",
            &format!("... wrote {size} bytes: {sent} in all"),
        );
    }
    drop(to_child); // end-of-file for the child
    let mut back = Vec::new();
    trace(
        options,
        "parent",
        &format!("read(fd {from}) to end-of-file ..."),
    );
    from_child
        .read_to_end(&mut back)
        .map_err(|e| format!("read: {e}"))?;
    trace(
        options,
        "parent",
        &format!("... read {} bytes", back.len()),
    );
    child.wait().map_err(|e| format!("wait: {e}"))?;
    Ok(())
}

/// The child: copies stdin to stdout, [`BLOCK`] bytes at a time, in
/// capitals, until end-of-file. Its stdout is written with no
/// buffer in between (a `File` on fd 1).
fn child(options: Options) -> Result<(), String> {
    show_fds(options, "child");
    let stdout = io::stdout().as_fd().try_clone_to_owned();
    let mut output =
        File::from(stdout.map_err(|e| format!("dup: {e}"))?);
    let mut input = io::stdin().lock();
    let mut block = vec![0; BLOCK];
    let (mut got, mut sent) = (0, 0);
    loop {
        trace(options, "child", "read(fd 0) ...");
        let size = input
            .read(&mut block)
            .map_err(|e| format!("read: {e}"))?;
        got += size;
        trace(
            options,
            "child",
            &format!("... read {size} bytes: {got} in all"),
        );
        if size == 0 {
            return Ok(());
        }
        block[..size].make_ascii_uppercase();
        trace(
            options,
            "child",
            &format!("write(fd 1, {size} bytes) ..."),
        );
        output
            .write_all(&block[..size])
            .map_err(|e| format!("write: {e}"))?;
        sent += size;
        trace(
            options,
            "child",
            &format!("... wrote {size} bytes: {sent} in all"),
        );
    }
}

/// The raw number of a descriptor, for the trace.
fn fd(end: &impl AsFd) -> i32 {
    use std::os::fd::AsRawFd;
    end.as_fd().as_raw_fd()
}

/// The parent, or with the first argument `child` the child; the
/// options `--show-fds` and `--trace` after it. Exit status 0 when
/// all went well, 1 when a call failed (said on stderr), 2 for a
/// bad argument.
fn main() -> ExitCode {
    let mut args: Vec<String> = env::args().skip(1).collect();
    let is_child = args.first().is_some_and(|arg| arg == "child");
    if is_child {
        args.remove(0);
    }
    let mut options = Options { show_fds: false, trace: false };
    for arg in &args {
        match arg.as_str() {
            "--show-fds" => options.show_fds = true,
            "--trace" => options.trace = true,
            _ => {
                eprintln!(
                    "error: unexpected argument {arg:?}: --show-fds, --trace"
                );
                return ExitCode::from(2);
            }
        }
    }
    let result =
        if is_child { child(options) } else { parent(options) };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::FAILURE
        }
    }
}
