//! The checks: what each behaviour of an exercise looks for, chapter by
//! chapter (`checks/<chapter>.rs`), and the pieces every chapter shares.
//!
//! A check runs programs as subprocesses (never a fork in this process) with
//! the helpers of the `harness` crate, and says what is missing with
//! `missing!`, in words a student understands: what was run, what came
//! out, what was expected. Each chapter's file names its exercises'
//! behaviours (`pub(crate) static`s, a list each), which the catalogue
//! (`catalogue.rs`) points to: a new chapter's checks are a new file here,
//! one `mod` line below, and its entries in the catalogue.

/// Say that a behaviour is missing, and why: the check stops here.
macro_rules! missing {
    ($($words:tt)*) => {
        std::panic::panic_any(format!($($words)*))
    };
}

/// The payload of a check that stops because it needs what only Linux's
/// `/proc` shows, where there is none (see [`needs_proc`]): what it could
/// not see, in a sentence. [`crate::check`] marks the behaviour skipped.
#[derive(Debug)]
pub(crate) struct Unseen(pub(crate) String);

/// Where there is no `/proc` ([`harness::proc::present`]), stop the check
/// here: the rest of it looks at `what` (`which thread waits in a read of
/// the pipe`), which only `/proc` shows. Where there is, do nothing.
pub(crate) fn needs_proc(what: &str) {
    if !harness::proc::present() {
        stop_unseen(&format!(
            "This system has no /proc, so the check cannot see {what}: only Linux shows it."
        ));
    }
}

/// Stop the check: it needs what only `/proc` shows; `said` says what.
pub(crate) fn stop_unseen(said: &str) -> ! {
    std::panic::panic_any(Unseen(said.to_owned()))
}

// Shared by every chapter.
mod book;
mod seen;
mod shared;
mod watched;

// One a chapter.
pub(crate) mod pipe1;
pub(crate) mod pipe2;
pub(crate) mod pipe_thread;
