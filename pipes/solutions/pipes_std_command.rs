//! Exercise "spawn with std's Command": pipes chapter; medium, about
//! 20 minutes.
//!
//! This is pipes_plain's `spawn`, left to write again: with
//! `std::process::Command` this time, and no fork, dup2 or execvp in
//! the child by hand. `Stdio::piped()` makes each pipe, and std's
//! `Child` hands the parent its ends (`child.stdin`, `child.stdout`);
//! the conversation around it (pipes_plain's, out of the way in
//! `pipes/conversation/`) talks on the program's own stdin and
//! stdout, so put those ends there, as pipes_plain does. The child's command line is
//! `argv` (CStrings, for execvp: `OsStrExt::from_bytes` turns one back
//! into an OsStr). Fill in the two gaps: the imports, and `spawn`.
//!
//!     cargo run -q -p pipes --bin pipes_std_command -- cat
//!     cargo run -q -p exercises -- check pipes_std_command

// ANCHOR: uses
#[cfg(unix)] // std's Command forks too, on Unix only
use {
    conversation::failed,
    nix::unistd::{Pid, dup2_stdin, dup2_stdout},
    std::ffi::{CString, OsStr},
    std::os::unix::ffi::OsStrExt,
    std::process::{Command, ExitCode, Stdio},
};
// ANCHOR_END: uses

// ANCHOR: spawn
/// `spawn(prog, *args)`, with std's Command: starts the program
/// `argv` names with its stdin and stdout on two pipes, puts our ends
/// on our stdin and stdout, and returns its pid, or which call failed.
/// A program that cannot start is an error of `spawn` itself: Command
/// learns it from its child before it returns.
#[cfg(unix)]
fn spawn(argv: &[CString]) -> Result<Pid, String> {
    let prog = argv[0].to_string_lossy();
    let arg = |arg: &CString| {
        OsStr::from_bytes(arg.to_bytes()).to_owned()
    };
    let mut child = Command::new(arg(&argv[0]))
        .args(argv[1..].iter().map(arg))
        .stdin(Stdio::piped()) // a pipe each way; in the child,
        .stdout(Stdio::piped()) // our ends are closed on exec
        .spawn() // fork and exec: an error if exec failed
        .map_err(|e| format!("cannot run {prog}: {e}"))?;
    let from_child = child.stdout.take().ok_or("no pipe")?;
    let to_child = child.stdin.take().ok_or("no pipe")?;
    // our stdin reads its output, our stdout feeds its input
    dup2_stdin(&from_child).map_err(failed("dup2 stdin"))?;
    dup2_stdout(&to_child).map_err(failed("dup2 stdout"))?;
    // from_child and to_child close here: 0 and 1 are enough now
    let pid =
        i32::try_from(child.id()).map_err(|e| e.to_string())?;
    Ok(Pid::from_raw(pid)) // waitpid reaps it, as before
}
// ANCHOR_END: spawn

/// The self-test, pipes_plain's, around this `spawn`: the
/// conversation, kept out of the way in `pipes/conversation/lib.rs`.
#[cfg(unix)]
fn main() -> ExitCode {
    conversation::run(spawn)
}
