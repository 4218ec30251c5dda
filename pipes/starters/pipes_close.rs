//! Exercise "The end that keeps cat waiting": pipes chapter; easy,
//! about 15 minutes.
//!
//! This is the `spawn` of `pipes/src/bin/pipes_forgets_close.rs`
//! (pipes_plain with two lines left out); the conversation around
//! it, pipes_plain's, is out of the way in `pipes/conversation/`.
//! Run it with `cat` as the child: it sends its two greetings, gets
//! them back, closes its stdout... and never ends.
//!
//!     cargo run -q -p pipes --bin pipes_close -- cat
//!
//! (Ctrl-C stops it.) The check runs it the same way, and once every
//! process of the run has slept for two seconds it says which process
//! waits in which call, and who holds the pipe end that keeps it
//! waiting. Find that end, and close it where it must be closed: in
//! the gap marked TODO, in `spawn`.
//!
//!     cargo run -q -p exercises -- check pipes_close

#[cfg(unix)] // fork exists on Unix only, as os.fork does
use {
    conversation::failed,
    nix::unistd::{ForkResult, Pid, dup2_stdin, dup2_stdout},
    nix::unistd::{execvp, fork, pipe},
    std::convert::Infallible,
    std::ffi::CString,
    std::os::fd::OwnedFd,
    std::process::{self, ExitCode},
};

// ANCHOR: spawn
/// `spawn(prog, *args)`: starts the program `argv` names on two
/// pipes, its stdin and stdout on one end of each and ours on the
/// other, and returns its pid, or which call failed. In the child
/// it never returns: if the program cannot start, the child says
/// why on stderr and exits with status 127, as a shell does.
#[cfg(unix)]
fn spawn(argv: &[CString]) -> Result<Pid, String> {
    let (from_child, to_parent) = pipe().map_err(failed("pipe"))?;
    let (from_parent, to_child) = pipe().map_err(failed("pipe"))?;
    // SAFETY: no thread was started, so the child is a whole copy.
    match unsafe { fork() }.map_err(failed("fork"))? {
        ForkResult::Parent { child } => {
            drop(to_parent); // close the child's ends
            drop(from_parent);
            // our stdin reads its output, our stdout feeds its input
            dup2_stdin(&from_child)
                .map_err(failed("dup2 stdin"))?;
            dup2_stdout(&to_child)
                .map_err(failed("dup2 stdout"))?;
            drop(from_child); // 0 and 1 are enough now
            drop(to_child);
            Ok(child)
        }
        ForkResult::Child => {
            // TODO: one process still holds an end it must not
            let Err(why) = exec(from_parent, to_parent, argv);
            eprintln!("error: {why}");
            process::exit(127) // never go on as the parent
        }
    }
}
// ANCHOR_END: spawn

/// The child's half of `spawn`: puts `stdin` on fd 0 and `stdout`
/// on fd 1, closes the originals (nix's pipes are not closed by
/// exec, as Python's are), and becomes the program `argv` names
/// (`execvp` searches PATH). Returns only if a call failed, saying
/// which.
#[cfg(unix)]
fn exec(
    stdin: OwnedFd,
    stdout: OwnedFd,
    argv: &[CString],
) -> Result<Infallible, String> {
    dup2_stdin(&stdin).map_err(failed("dup2 stdin"))?;
    dup2_stdout(&stdout).map_err(failed("dup2 stdout"))?;
    drop(stdin); // 0 and 1 are enough now
    drop(stdout);
    let prog = argv[0].to_string_lossy();
    // os.execvp(prog, (prog,) + args): returns only on failure
    execvp(&argv[0], argv)
        .map_err(|e| format!("cannot run {prog}: {e}"))
}

/// The self-test, pipes_plain's, around this `spawn`: the
/// conversation, kept out of the way in `pipes/conversation/lib.rs`.
#[cfg(unix)]
fn main() -> ExitCode {
    conversation::run(spawn)
}
