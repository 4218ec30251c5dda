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
// TODO: what spawn needs
#[cfg(unix)]
use {nix::unistd::Pid, std::ffi::CString, std::process::ExitCode};
// ANCHOR_END: uses

// ANCHOR: spawn
/// `spawn(prog, *args)`, with std's Command: starts the program
/// `argv` names with its stdin and stdout on two pipes, puts our ends
/// on our stdin and stdout, and returns its pid, or which call failed.
/// A program that cannot start is an error of `spawn` itself: Command
/// learns it from its child before it returns.
#[cfg(unix)]
fn spawn(argv: &[CString]) -> Result<Pid, String> {
    todo!("start {argv:?} with std::process::Command, on two pipes")
}
// ANCHOR_END: spawn

/// The self-test, pipes_plain's, around this `spawn`: the
/// conversation, kept out of the way in `pipes/conversation/lib.rs`.
#[cfg(unix)]
fn main() -> ExitCode {
    conversation::run(spawn)
}
