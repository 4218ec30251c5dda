// ANCHOR: all
//! pipes: the book's pipes.py. `spawn` starts a program on two pipes, its
//! stdin and stdout on one end of each and ours on the other; the parent
//! greets it, reads each reply, and reports it on stderr.

use common::fork::{Child, Fork, fork};
use common::report::{say, write_stdout};
use common::{Context, Spawning, trace};
use nix::unistd::{dup2_stdin, dup2_stdout, execvp, pipe};
use std::convert::Infallible;
use std::io::{self, BufRead};
use std::os::fd::{AsFd, OwnedFd};

// ANCHOR: spawn
/// `spawn(prog, *args)`: starts the program on two pipes, ours on 0 and
/// 1; returns the child. A child that cannot become the program says why
/// and exits 127.
fn spawn(opts: &Spawning) -> io::Result<Child> {
    // child writes, we read; then we write, child reads
    let (from_child, to_parent) = pipe().context("cannot create a pipe")?;
    let (from_parent, to_child) = pipe().context("cannot create a pipe")?;
    // SAFETY: pipes has started no thread: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Parent(child) => {
            drop((to_parent, from_parent)); // os.close: the child's ends
            show(opts, "before dup2: parent", &from_child, &to_child)?;
            // stdin reads its output, stdout feeds its input
            dup2_stdin(&from_child).context("cannot dup2 onto stdin")?;
            dup2_stdout(&to_child).context("cannot dup2 onto stdout")?;
            drop((from_child, to_child)); // 0 and 1 are enough now
            show(opts, "after dup2: parent", io::stdin(), io::stdout())?;
            Ok(child)
        }
        Fork::Child(_) => {
            drop((from_child, to_child)); // os.close: the parent's ends
            // returns only if it failed (not found, not runnable):
            let Err(why) = exec(opts, from_parent, to_parent);
            say(&format!("pipes: {why}")); // say why
            std::process::exit(127) // never go on as the parent
        }
    }
}

/// The child's half: its ends onto 0 and 1, its settings, then
/// `execvp`; returns the error.
fn exec(
    opts: &Spawning,
    stdin: OwnedFd,
    stdout: OwnedFd,
) -> io::Result<Infallible> {
    show(opts, "before dup2: child", &stdout, &stdin)?; // --show-fds
    // its stdin: our output; its stdout: our input
    dup2_stdin(&stdin).context("cannot dup2 onto stdin")?;
    dup2_stdout(&stdout).context("cannot dup2 onto stdout")?;
    drop((stdin, stdout)); // 0 and 1 are enough now
    show(opts, "after dup2: child", io::stdout(), io::stdin())?;
    // PIPES_COUNT, PIPES_SLEEP (and PIPES_TRACE) cross exec.
    // SAFETY: one thread, this one: nobody reads the environment.
    unsafe { opts.tell_child() };
    let argv = opts.argv()?; // os.execvp(prog, (prog,) + args)
    execvp(&argv[0], &argv)
        .context(&format!("cannot run {}", argv[0].to_string_lossy()))
}
// ANCHOR_END: spawn

// ANCHOR: parent
/// The self-test: spawn, greet and report each reply, close stdout,
/// reap; errors say which.
fn parent(opts: Spawning) -> io::Result<()> {
    let child = spawn(&opts)?; // pid = spawn(*command)
    let mypid = std::process::id();
    let mut stdin = trace::reader(io::stdin()); // --trace: its reads
    let talk = (1..=opts.greetings()).try_for_each(|n| {
        let no_reply =
            |why| io::Error::other(format!("no reply to greeting {n}: {why}"));
        // print(); flush(): one write(2), --trace records it
        let greeting = format!("Greeting {n} from parent {mypid}");
        let line = format!("{greeting}\n");
        let sent = trace::writing(io::stdout(), &greeting, || {
            write_stdout(line.as_bytes())
        });
        sent.map_err(no_reply)?;
        let mut reply = String::new(); // sys.stdin.readline(): blocks
        let read = stdin.read_line(&mut reply).context("cannot read stdin");
        if read.map_err(no_reply)? == 0 {
            let eof = io::Error::other("end-of-file"); // the child is gone
            return Err(no_reply(eof));
        }
        // on stderr, which is not the pipe
        common::report::report_on_stderr(reply.trim_end_matches('\n'));
        Ok(())
    });
    // os.close(1): the child sees end-of-file. std keeps fd 1 open:
    // /dev/null goes there instead.
    let null =
        std::fs::File::open("/dev/null").context("cannot open /dev/null")?;
    dup2_stdout(null).context("cannot close stdout")?;
    match (talk, child.wait()) {
        // os.waitpid(pid, 0): reap it, and hear how it ended
        (Err(e), Err(how)) => Err(io::Error::other(format!("{e}; {how}"))),
        (talk, waited) => talk.and(waited),
    }
}
// ANCHOR_END: parent

/// --show-fds: the ends of the replies' pipe and of the greetings' pipe
/// this process holds.
fn show(
    opts: &Spawning,
    who: &str,
    replies: impl AsFd,
    greetings: impl AsFd,
) -> io::Result<()> {
    opts.run.show_fds(&format!("replies' pipe, {who}"), replies)?;
    opts.run.show_fds(&format!("greetings' pipe, {who}"), greetings)
}

fn main() -> std::process::ExitCode {
    trace::two_way(); // --trace: "parent" and "child", not reader, writer
    common::main("pipes", ABOUT, parent) // parse, run parent, report
}

const ABOUT: &str = "\
The book's pipes.py (Programming Python, 4th ed., ch. 5, \"Bidirectional IPC
with anonymous pipes\"): spawn starts a program on two pipes, its stdin reading
what we print and its stdout feeding what we read; the parent greets it and
reports each reply on stderr. Each side must flush, or both wait for ever.
Try: pipes --count 3 --tick 10ms,
or: pipes -- python3 python/pipes_child.py spam";
// ANCHOR_END: all
