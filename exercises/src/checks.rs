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

// Shared by every chapter.
mod book;
mod seen;
mod shared;
mod watched;

// One a chapter.
pub(crate) mod pipe1;
pub(crate) mod pipe2;
pub(crate) mod pipe_thread;
pub(crate) mod pipes;
