//! The catalogue and the checks: every exercise of the book, one entry each
//! ([`EXERCISES`]), and what each behaviour of an exercise looks for,
//! chapter by chapter (`checks/<chapter>.rs`, one file a chapter, beside the
//! pieces every chapter shares). This is the one place an exercise is
//! declared; the rest is found from its name by convention (see
//! [`Exercise`]):
//!
//! - the student's file `<chapter>/exercises/<name>.rs`, binary `<name>`;
//! - its starter `<chapter>/starters/<name>.rs`, binary `<name>_starter`;
//! - its solution `<chapter>/solutions/<name>.rs`, binary `<name>_solution`,
//!   or for a program written from scratch ([`crate::Kind::Scratch`]) the chapter's
//!   plain program, as `programs.txt` names it (`<chapter>/src/bin/`);
//! - its section on the book's page `book/src/<chapter>_exercises.md`,
//!   headed with its title;
//! - its behaviours, a list in the chapter's checks (`checks/<chapter>.rs`).
//!
//! `exercises/tests/catalogue.rs` checks that the chapters' manifests and
//! exercise pages agree with this list, both ways.
//!
//! A check runs programs as subprocesses (never a fork in this process) with
//! the helpers of the `harness` crate, and says what is missing with
//! `missing!`, in words a student understands: what was run, what came
//! out, what was expected. A new chapter's checks are a new file in
//! `checks/`, one `mod` line below, and its entries in [`EXERCISES`]: this
//! file and no other.

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
mod deadlocks;
mod pipe1;
mod pipe2;
mod pipe_thread;
mod pipes;

use crate::Exercise;
use crate::Kind::{Gaps, Scratch};
use crate::Level::{Easy, Harder, Medium};

/// Every exercise, chapter by chapter in the book's order: the catalogue.
pub(crate) static EXERCISES: &[Exercise] = &[
    // pipe1: bytes, not messages
    Exercise {
        name: "pipe1_predict",
        title: "Predict the reads",
        package: "pipe1",
        kind: Gaps,
        level: Easy,
        minutes: 5,
        uses: &["pipe1"],
        starter_says: "No prediction yet",
        behaviours: pipe1::PREDICT,
    },
    Exercise {
        name: "pipe1_read_sizes",
        title: "Which read sizes keep every message whole?",
        package: "pipe1",
        kind: Gaps,
        level: Easy,
        minutes: 10,
        uses: &["pipe1"],
        starter_says: "todo!()",
        behaviours: pipe1::READ_SIZES,
    },
    Exercise {
        name: "pipe1_whole",
        title: "Put the messages back together",
        package: "pipe1",
        kind: Gaps,
        level: Medium,
        minutes: 20,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe1::WHOLE,
    },
    Exercise {
        name: "pipe1_scratch",
        title: "pipe1.py from scratch",
        package: "pipe1",
        kind: Scratch,
        level: Harder,
        minutes: 40,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe1::SCRATCH,
    },
    // pipe2: framing and closing unused ends
    Exercise {
        name: "pipe2_predict",
        title: "Forget to close",
        package: "pipe2",
        kind: Gaps,
        level: Easy,
        minutes: 10,
        uses: &["pipe2_forgets_close"],
        starter_says: "No prediction yet",
        behaviours: pipe2::PREDICT,
    },
    Exercise {
        name: "pipe2_length_prefix",
        title: "Frame by length",
        package: "pipe2",
        kind: Gaps,
        level: Medium,
        minutes: 25,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe2::LENGTH_PREFIX,
    },
    Exercise {
        name: "pipe2_unframed",
        title: "Closing without framing",
        package: "pipe2",
        kind: Gaps,
        level: Medium,
        minutes: 20,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe2::UNFRAMED,
    },
    Exercise {
        name: "pipe2_scratch",
        title: "pipe2.py from scratch",
        package: "pipe2",
        kind: Scratch,
        level: Harder,
        minutes: 40,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe2::SCRATCH,
    },
    // pipe_thread: the same pipe between threads
    Exercise {
        name: "pipe_thread_two_writers",
        title: "Two writers, one pipe",
        package: "pipe_thread",
        kind: Gaps,
        level: Medium,
        minutes: 25,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe_thread::TWO_WRITERS,
    },
    Exercise {
        name: "pipe_thread_mpsc",
        title: "A channel instead of a pipe",
        package: "pipe_thread",
        kind: Gaps,
        level: Easy,
        minutes: 15,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe_thread::MPSC,
    },
    Exercise {
        name: "pipe_thread_join_first",
        title: "Join before reading",
        package: "pipe_thread",
        kind: Gaps,
        level: Easy,
        minutes: 15,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe_thread::JOIN_FIRST,
    },
    Exercise {
        name: "pipe_thread_scratch",
        title: "pipe-thread.py from scratch",
        package: "pipe_thread",
        kind: Scratch,
        level: Harder,
        minutes: 30,
        uses: &[],
        starter_says: "todo!()",
        behaviours: pipe_thread::SCRATCH,
    },
    // pipes: both ways through two pipes
    Exercise {
        name: "pipes_predict",
        title: "Predict the conversation",
        package: "pipes",
        kind: Gaps,
        level: Easy,
        minutes: 10,
        uses: &["pipes_plain", "pipes_child"],
        starter_says: "No prediction yet",
        behaviours: pipes::PREDICT,
    },
    Exercise {
        name: "pipes_close",
        title: "The end that keeps cat waiting",
        package: "pipes",
        kind: Gaps,
        level: Easy,
        minutes: 15,
        uses: &["pipes_child"],
        starter_says: "it did not end",
        behaviours: pipes::CLOSE,
    },
    Exercise {
        name: "pipes_std_command",
        title: "spawn with std's Command",
        package: "pipes",
        kind: Gaps,
        level: Medium,
        minutes: 20,
        uses: &["pipes_child"],
        starter_says: "todo!()",
        behaviours: pipes::STD_COMMAND,
    },
    Exercise {
        name: "pipes_scratch",
        title: "pipes.py from scratch",
        package: "pipes",
        kind: Scratch,
        level: Harder,
        minutes: 40,
        uses: &["pipes_child"],
        starter_says: "todo!()",
        behaviours: pipes::SCRATCH,
    },
    // deadlocks: when both ends wait
    Exercise {
        name: "deadlocks_predict",
        title: "Which runs deadlock?",
        package: "deadlocks",
        kind: Gaps,
        level: Easy,
        minutes: 10,
        uses: &["deadlocks", "deadlocks_child"],
        starter_says: "No prediction yet",
        behaviours: deadlocks::PREDICT,
    },
    Exercise {
        name: "deadlocks_flush",
        title: "The reply that stays in a buffer",
        package: "deadlocks",
        kind: Gaps,
        level: Easy,
        minutes: 10,
        uses: &[],
        starter_says: "it did not end",
        behaviours: deadlocks::FLUSH,
    },
    Exercise {
        name: "deadlocks_command",
        title: "A large input through cat",
        package: "deadlocks",
        kind: Gaps,
        level: Medium,
        minutes: 20,
        uses: &[],
        starter_says: "todo!()",
        behaviours: deadlocks::COMMAND,
    },
    Exercise {
        name: "deadlocks_why",
        title: "Why does it hang?",
        package: "deadlocks",
        kind: Gaps,
        level: Medium,
        minutes: 20,
        uses: &["deadlocks_mystery"],
        starter_says: "No answer yet",
        behaviours: deadlocks::WHY,
    },
    Exercise {
        name: "deadlocks_scratch",
        title: "deadlocks.py from scratch",
        package: "deadlocks",
        kind: Scratch,
        level: Harder,
        minutes: 40,
        uses: &["deadlocks_child"],
        starter_says: "todo!()",
        behaviours: deadlocks::SCRATCH,
    },
];
