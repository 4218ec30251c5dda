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
/// `spawn(prog, *args)`: starts the program on two pipes, ours on 0 and 1; returns
/// the child. The child, if it cannot become the program, says why and exits 127.
fn spawn(opts: &Spawning) -> io::Result<Child> {
    let (from_child, to_parent) = pipe().context("cannot create a pipe")?; // child writes, we read
    let (from_parent, to_child) = pipe().context("cannot create a pipe")?; // we write, child reads
    // SAFETY: pipes has started no thread: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Parent(child) => {
            drop((to_parent, from_parent)); // os.close: the child's ends
            show(opts, "before dup2: parent", &from_child, &to_child)?; // --show-fds
            dup2_stdin(&from_child).context("cannot dup2 onto stdin")?; // stdin reads its output
            dup2_stdout(&to_child).context("cannot dup2 onto stdout")?; // stdout feeds its input
            drop((from_child, to_child)); // 0 and 1 are enough now
            show(opts, "after dup2: parent", io::stdin(), io::stdout())?;
            Ok(child)
        }
        Fork::Child(_) => {
            drop((from_child, to_child)); // os.close: the parent's ends
            let Err(why) = exec(opts, from_parent, to_parent); // only returns on failure:
            say(&format!("pipes: {why}")); // not found, not runnable: say why
            std::process::exit(127) // never go on as the parent
        }
    }
}

/// The child's half: its ends onto 0 and 1, its settings, then `execvp`; returns the error.
fn exec(opts: &Spawning, stdin: OwnedFd, stdout: OwnedFd) -> io::Result<Infallible> {
    show(opts, "before dup2: child", &stdout, &stdin)?; // --show-fds
    dup2_stdin(&stdin).context("cannot dup2 onto stdin")?; // its stdin: our output
    dup2_stdout(&stdout).context("cannot dup2 onto stdout")?; // its stdout: our input
    drop((stdin, stdout)); // 0 and 1 are enough now
    show(opts, "after dup2: child", io::stdout(), io::stdin())?;
    // SAFETY: this process has one thread, this one: nobody reads the environment meanwhile.
    unsafe { opts.tell_child() }; // --count, --tick: PIPES_COUNT, PIPES_SLEEP cross exec
    let argv = opts.argv()?; // os.execvp(prog, (prog,) + args): become the program
    execvp(&argv[0], &argv).context(&format!("cannot run {}", argv[0].to_string_lossy()))
}
// ANCHOR_END: spawn

// ANCHOR: parent
/// The self-test: spawn, greet and report each reply, close stdout, reap; errors say which.
fn parent(opts: Spawning) -> io::Result<()> {
    let child = spawn(&opts)?; // pid = spawn(*command)
    let (mypid, mut stdin) = (std::process::id(), trace::reader(io::stdin())); // --trace: reads
    let talk = (1..=opts.greetings()).try_for_each(|n| {
        let no_reply = |why| io::Error::other(format!("no reply to greeting {n}: {why}"));
        let greeting = format!("Greeting {n} from parent {mypid}"); // print(); flush()
        let line = format!("{greeting}\n"); // one write(2); --trace: record it
        let sent = trace::writing(io::stdout(), &greeting, || write_stdout(line.as_bytes()));
        sent.map_err(no_reply)?;
        let mut reply = String::new(); // sys.stdin.readline(): blocks for its reply
        if stdin.read_line(&mut reply).context("cannot read stdin").map_err(no_reply)? == 0 {
            return Err(no_reply(io::Error::other("end-of-file"))); // the child is gone
        }
        common::report::report_on_stderr(reply.trim_end_matches('\n')); // stderr: not the pipe
        Ok(())
    });
    // os.close(1): the child sees end-of-file (std keeps fd 1 open: /dev/null goes there)
    let null = std::fs::File::open("/dev/null").context("cannot open /dev/null")?;
    dup2_stdout(null).context("cannot close stdout")?;
    match (talk, child.wait()) {
        // os.waitpid(pid, 0): reap it, and hear how it ended
        (Err(e), Err(how)) => Err(io::Error::other(format!("{e}; {how}"))),
        (talk, waited) => talk.and(waited),
    }
}
// ANCHOR_END: parent

/// --show-fds: the ends of the replies' pipe and of the greetings' pipe this process holds.
fn show(opts: &Spawning, who: &str, replies: impl AsFd, greetings: impl AsFd) -> io::Result<()> {
    opts.run.show_fds(&format!("replies' pipe, {who}"), replies)?;
    opts.run.show_fds(&format!("greetings' pipe, {who}"), greetings)
}

fn main() -> std::process::ExitCode {
    trace::two_way(); // --trace: lanes "parent" and "child", each reads and writes
    common::main("pipes", ABOUT, parent) // parse, run parent, report
}

const ABOUT: &str = "\
The book's pipes.py (Programming Python, 4th ed., ch. 5, \"Bidirectional IPC
with anonymous pipes\"): spawn starts a program on two pipes, its stdin reading
what we print and its stdout feeding what we read; the parent greets it and
reports each reply on stderr. Each side must flush, or both wait for ever.
Try: pipes --count 3 --tick 10ms, or pipes -- python3 python/pipes_child.py spam";
// ANCHOR_END: all
