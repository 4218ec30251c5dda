//! `common::fork` where there is no `fork` (Windows): the same names as on
//! unix, and a [`fork`] that says it cannot. Python's `os.fork` does not exist
//! there either; pipe_thread shows the same pipe between two threads instead.
//!
//! Nothing can make a [`Parent`] or a [`Child`] here (both are empty enums),
//! so their methods can never run.

use std::io;
use std::time::Duration;

/// What [`fork`] says on a system without `fork`.
pub const UNSUPPORTED: &str = "cannot fork: this system has no fork (Python's os.fork \
                               is missing too); run pipe_thread instead";

/// Which side of a fork this process is on: never made here.
#[derive(Debug)]
pub enum Fork {
    /// The new process; it knows its parent.
    Child(Parent),
    /// The original process, holding its new child.
    Parent(Child),
}

/// There is no `fork` on this system: return an error of kind
/// [`io::ErrorKind::Unsupported`] that says so and points to pipe_thread
/// ([`UNSUPPORTED`]), and do nothing else.
///
/// # Safety
///
/// Nothing to uphold here; `unsafe` as the unix `fork` is, so that a program
/// calls it the same way on every system.
pub unsafe fn fork() -> io::Result<Fork> {
    Err(io::Error::new(io::ErrorKind::Unsupported, UNSUPPORTED))
}

/// The child's view of its parent: never made here.
#[derive(Debug)]
pub enum Parent {}

impl Parent {
    /// Never called: there is no child process.
    pub fn die_with_parent(&self) -> io::Result<()> {
        match *self {}
    }

    /// Never called: there is no child process.
    pub fn pid(&self) -> u32 {
        match *self {}
    }
}

/// The parent's handle on its child: never made here.
#[derive(Debug)]
pub enum Child {}

impl Child {
    /// Never called: there is no child process.
    pub fn has_exited(&mut self) -> io::Result<bool> {
        match *self {}
    }

    /// Never called: there is no child process.
    pub fn has_exited_within(&mut self, _timeout: Duration) -> io::Result<bool> {
        match *self {}
    }

    /// Never called: there is no child process.
    pub fn wait(self) -> io::Result<()> {
        match self {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fork_says_it_is_unsupported_and_points_to_pipe_thread() {
        // SAFETY: this `fork` makes no process.
        let e = unsafe { fork() }.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::Unsupported);
        assert!(e.to_string().starts_with("cannot fork: "), "{e}");
        assert!(e.to_string().ends_with("run pipe_thread instead"), "{e}");
    }
}
