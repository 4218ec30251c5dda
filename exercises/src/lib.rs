//! The book's exercises, and what checks an attempt.
//!
//! Each exercise is a file the student edits, `<chapter>/exercises/<name>.rs`
//! (a binary of the chapter's package), its starter as the project keeps it,
//! `<chapter>/starters/<name>.rs` (the binary `<name>_starter`: the student's
//! file starts as a copy of it), and a solution in `<chapter>/solutions/`.
//! An exercise's checks are a list of behaviours, in the order a student
//! meets them; each one runs programs as subprocesses (with
//! the `harness` crate) and panics with a plain sentence when the behaviour is
//! missing. The same checks run in three places:
//!
//! - `cargo run -q -p exercises -- check <name>`, on the student's file;
//! - each chapter's `tests/exercises.rs`, on the solution (it must pass) and
//!   on the starter (it must fail): `cargo test --workspace`;
//! - `cargo run -q -p exercises -- prove`, both directions through the
//!   command itself (`.ci/run`).
//!
//! The tests and `prove` never look at the student's file: it may hold any
//! attempt, right, wrong or empty, and the suite stays green.
//!
//! Many checks also look at what Linux's `/proc` says (`harness::proc`:
//! which thread waits in which system call, the bytes each has read and
//! written). Where there is none (macOS; or Linux with
//! `EXERCISES_NO_PROC=1`, see [`harness::proc::present`]), the checks still
//! build and run the attempt and judge what it prints, how it ends, and
//! which pipe ends it holds (`lsof`); what only `/proc` shows is not
//! checked, and the verdict says so ([`Status::Skipped`]).
#![cfg(unix)]

use std::any::Any;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

mod checks;
mod reaper;

/// How hard an exercise is, for a reader who has read its chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A prediction, or a few lines.
    Easy,
    /// A function or two, with the chapter open beside it.
    Medium,
    /// A whole program from an empty file.
    Harder,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Easy => "easy",
            Level::Medium => "medium",
            Level::Harder => "harder",
        }
    }
}

/// What the student starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole program with gaps, each an item between two anchor comments
    /// (as the book's includes use: `ANCHOR: <gap>`, `ANCHOR_END: <gap>`):
    /// outside the gaps, starter and solution are the same, line for line
    /// (`exercises/tests/starters.rs` checks it on the starter).
    Gaps,
    /// A file that holds only the task: the student writes the whole program.
    Scratch,
}

/// One behaviour an attempt must show, and the check that looks for it.
#[derive(Debug)]
pub struct Behaviour {
    /// What the program does when the behaviour is there, in a few words.
    pub what: &'static str,
    /// Runs the programs; panics with a plain sentence if the behaviour is
    /// missing, or, where there is no `/proc` and the check needs it, with
    /// what it could not see (then the behaviour is [`Status::Skipped`]).
    pub check: fn(&Programs),
}

/// One exercise of the book: an entry of the catalogue (`checks.rs`).
/// What its fields do not say is found from its name by convention: its
/// files and binaries (the methods below), its section on the book's page.
#[derive(Debug)]
pub struct Exercise {
    /// The name the check command takes, and the attempt's binary: `pipe1_whole`.
    pub name: &'static str,
    /// The heading of its section on the book's exercise page,
    /// `book/src/<package>_exercises.md`.
    pub title: &'static str,
    /// The chapter's package, which holds the attempt: `pipe1`.
    pub package: &'static str,
    pub kind: Kind,
    pub level: Level,
    /// A rough time, in minutes, for a reader who has read the chapter.
    pub minutes: u32,
    /// Other binaries of the package the checks run (the chapter's example, say).
    pub uses: &'static [&'static str],
    /// What an untouched starter's verdict says: the checks must fail on it,
    /// for this reason and not another.
    pub starter_says: &'static str,
    /// What the checks look for, in the order a student meets them: a list
    /// of the chapter's checks (`checks/<package>.rs`).
    pub behaviours: &'static [Behaviour],
}

impl Exercise {
    /// The solution's binary in the same package: `<name>_solution`
    /// (`pipe1_whole_solution`), or for a program written from scratch the
    /// chapter's plain program, as `programs.txt` names it (`pipe1_plain`).
    ///
    /// # Panics
    ///
    /// If the exercise is from scratch and its package is not in
    /// `programs.txt` (a test of the catalogue checks that every one is).
    pub fn solution(&self) -> String {
        match self.kind {
            Kind::Gaps => format!("{}_solution", self.name),
            Kind::Scratch => self.plain(),
        }
    }

    /// The solution's file, from the workspace's root:
    /// `<package>/solutions/<name>.rs`, or for a program written from scratch
    /// the chapter's plain program, `<package>/src/bin/<plain>.rs`.
    ///
    /// # Panics
    ///
    /// As [`Exercise::solution`].
    pub fn solution_file(&self) -> String {
        match self.kind {
            Kind::Gaps => format!("{}/solutions/{}.rs", self.package, self.name),
            Kind::Scratch => format!("{}/src/bin/{}.rs", self.package, self.plain()),
        }
    }

    /// The binary of the chapter's plain program, from `programs.txt`; for
    /// a program on its way in ([`programs::ON_THE_WAY`]), `<package>_plain`.
    fn plain(&self) -> String {
        let program = programs::all().into_iter().find(|program| program.name == self.package);
        match program {
            Some(program) => program.plain.to_owned(),
            None if programs::ON_THE_WAY.contains(&self.package) => {
                format!("{}_plain", self.package)
            }
            None => panic!("{}: no program {} in programs.txt", self.name, self.package),
        }
    }

    /// The file the student edits, from the workspace's root.
    pub fn file(&self) -> String {
        format!("{}/exercises/{}.rs", self.package, self.name)
    }

    /// The starter as the project keeps it, from the workspace's root: the
    /// student's file starts as a copy of it.
    pub fn starter_file(&self) -> String {
        format!("{}/starters/{}.rs", self.package, self.name)
    }

    /// The starter's binary in the same package: `pipe1_whole_starter`.
    pub fn starter(&self) -> String {
        format!("{}_starter", self.name)
    }

    /// The one command that checks an attempt.
    pub fn command(&self) -> String {
        format!("cargo run -q -p exercises -- check {}", self.name)
    }

    /// The check command's first line, printed before it builds: which
    /// exercise, and which file (the student's, or with `solution` the
    /// solution's).
    pub fn header(&self, solution: bool) -> String {
        let file = if solution { self.solution_file() } else { self.file() };
        format!("Checking {}, \"{}\": {file}\n", self.name, self.title)
    }
}

/// Every exercise, chapter by chapter, in the book's order: the catalogue.
pub fn all() -> &'static [Exercise] {
    checks::EXERCISES
}

/// The chapters whose exercises the catalogue holds, in the book's order:
/// the programs of `programs.txt`, then those on their way in
/// ([`programs::ON_THE_WAY`]), whose exercises may come before their line.
pub fn chapters() -> Vec<&'static str> {
    programs::names().into_iter().chain(programs::ON_THE_WAY.iter().copied()).collect()
}

/// The exercise called `name`.
pub fn find(name: &str) -> Option<&'static Exercise> {
    all().iter().find(|exercise| exercise.name == name)
}

/// The workspace's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// The programs a check runs: the attempt, and the other binaries it uses.
#[derive(Debug, Clone)]
pub struct Programs {
    /// The program under test: the student's attempt, or the solution.
    pub attempt: PathBuf,
    /// The other binaries, by name (see [`Exercise::uses`]).
    pub others: Vec<(String, PathBuf)>,
}

impl Programs {
    /// The binary `name` of [`Exercise::uses`].
    pub fn other(&self, name: &str) -> &Path {
        let found = self.others.iter().find(|(other, _)| other == name);
        &found.unwrap_or_else(|| panic!("the check needs the program {name}")).1
    }
}

/// How one behaviour fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Present,
    /// Missing, and why, in a sentence or two.
    Missing(String),
    /// Not checked on this system: it needs what only Linux's `/proc` shows,
    /// and there is none. What the check could not see, in a sentence.
    Skipped(String),
    /// Not looked at: an earlier behaviour is missing.
    NotChecked,
}

/// The verdict on one attempt.
#[derive(Debug)]
pub struct Verdict {
    pub exercise: &'static Exercise,
    pub results: Vec<(&'static str, Status)>,
}

/// Run the exercise's checks on `programs`, in order, until one fails.
///
/// A check panics to say a behaviour is missing; the panic is caught here and
/// its message becomes the reason. (The check command installs a silent panic
/// hook, so the student sees only the verdict.)
///
/// In a process made the reaper ([`become_the_reaper`]), every process the
/// check started and that still runs once a behaviour is checked is killed
/// and reaped, and a behaviour that left one is missing.
///
/// A behaviour whose check needs `/proc` where there is none is
/// [`Status::Skipped`], and the next one is checked.
pub fn check(exercise: &'static Exercise, programs: &Programs) -> Verdict {
    let mut results = Vec::new();
    let mut failed = false;
    for behaviour in exercise.behaviours {
        if failed {
            results.push((behaviour.what, Status::NotChecked));
            continue;
        }
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| (behaviour.check)(programs)));
        let mut skipped = None;
        let mut why = match outcome {
            Ok(()) => None,
            Err(payload) => match payload.downcast::<checks::Unseen>() {
                Ok(unseen) => {
                    skipped = Some(unseen.0);
                    None
                }
                Err(payload) => Some(plain(&panic_text(payload))),
            },
        };
        if REAPER.load(Ordering::Relaxed) {
            let left = reaper::kill_what_is_left();
            if let Some(escaped) = left.iter().find(|p| !harness::is_a_run_group(p.group)) {
                let said = format!(
                    "Process {}, which the program started, was still running after the run: \
                     it had left the program's process group (with setsid or setpgid), so \
                     the check could not stop it with the rest, nor could Ctrl-C. The check \
                     killed it. A program's processes stay in its group.",
                    escaped.pid
                );
                why = Some(match why {
                    Some(why) => format!("{why}\n{said}"),
                    None => said,
                });
            }
        }
        let status = match (why, skipped) {
            (None, Some(unseen)) => Status::Skipped(unseen),
            (None, None) => Status::Present,
            (Some(why), _) => {
                failed = true;
                Status::Missing(bounded(&why))
            }
        };
        results.push((behaviour.what, status));
    }
    Verdict { exercise, results }
}

/// Set by [`become_the_reaper`].
static REAPER: AtomicBool = AtomicBool::new(false);

/// Make this process a child subreaper (Linux's `PR_SET_CHILD_SUBREAPER`):
/// a process an attempt starts becomes this process's child when its
/// parent ends, not init's, even once it has left the attempt's process
/// group (`setsid`), out of reach of the group's signals. Then [`check`]
/// kills and reaps every process this one started, after each behaviour.
///
/// Only for a process that checks one attempt at a time, as the check
/// command does: every process it started is taken as the attempt's.
/// Elsewhere (macOS has no subreaper), [`check`] still kills every process
/// this one started that is still its descendant; one that left its group
/// and whose parent ended is adopted by `launchd`, out of the check's sight.
pub fn become_the_reaper() -> std::io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    nix::sys::prctl::set_child_subreaper(true)?;
    REAPER.store(true, Ordering::Relaxed);
    Ok(())
}

/// The most a verdict quotes of a line, in characters, and the most lines
/// it says: what an attempt prints may be endless.
const QUOTED_CHARS: usize = 1000;
const QUOTED_LINES: usize = 30;

/// `reason`, each line cut at [`QUOTED_CHARS`], and at most
/// [`QUOTED_LINES`] lines: a cut says how much was left out.
fn bounded(reason: &str) -> String {
    let mut lines = Vec::new();
    for line in reason.lines().take(QUOTED_LINES) {
        match line.char_indices().nth(QUOTED_CHARS) {
            Some((end, _)) => {
                let left = line.len() - end;
                lines.push(format!("{}... ({left} more bytes)", &line[..end]));
            }
            None => lines.push(line.to_owned()),
        }
    }
    let more = reason.lines().count().saturating_sub(QUOTED_LINES);
    if more > 0 {
        lines.push(format!("... ({more} more lines)"));
    }
    lines.join("\n")
}

impl Verdict {
    /// Is no behaviour missing? (A skipped one is not missing: see
    /// [`Verdict::skipped`].)
    pub fn passed(&self) -> bool {
        self.results
            .iter()
            .all(|(_, status)| matches!(status, Status::Present | Status::Skipped(_)))
    }

    /// The behaviours not checked on this system, as [`Status::Skipped`] says.
    pub fn skipped(&self) -> Vec<&'static str> {
        let skipped = self.results.iter().filter(|(_, s)| matches!(s, Status::Skipped(_)));
        skipped.map(|(what, _)| *what).collect()
    }

    /// Why the first missing behaviour is missing.
    pub fn reason(&self) -> Option<&str> {
        self.results.iter().find_map(|(_, status)| match status {
            Status::Missing(why) => Some(why.as_str()),
            _ => None,
        })
    }

    /// The verdict in words, for a student. `source` is the attempt's text,
    /// if the attempt is the student's file: its `todo!()`s are named.
    pub fn report(&self, source: Option<&str>) -> String {
        self.report_to(source, Next::CheckAgain)
    }

    /// [`Verdict::report`], for `watch`, which checks again at each save.
    pub fn report_when_watching(&self, source: Option<&str>) -> String {
        self.report_to(source, Next::Save)
    }

    fn report_to(&self, source: Option<&str>, next: Next) -> String {
        let exercise = self.exercise;
        let mut text = String::new();
        for (what, status) in &self.results {
            let (mark, what) = match status {
                Status::Present => ("✓", what.to_string()),
                Status::Missing(_) => ("✗", what.to_string()),
                Status::Skipped(_) => ("-", format!("{what} (not checked on this system)")),
                Status::NotChecked => ("·", format!("{what} (not checked yet)")),
            };
            text.push_str(&wrap(&what, &format!("  {mark} "), "    "));
            if let Status::Missing(why) | Status::Skipped(why) = status {
                for line in why.lines() {
                    // A command to type stays on one line, whatever its length.
                    match line.starts_with("  ") {
                        true => writeln!(text, "      {line}").unwrap(),
                        false => text.push_str(&wrap(line, "      ", "      ")),
                    }
                }
            }
        }
        text.push('\n');
        let skipped = self.skipped().len();
        if self.passed() && skipped > 0 {
            let said = format!(
                "Done, as far as this system shows: {} of {} behaviours there; {skipped} \
                 not checked here (marked -), as only Linux's /proc shows them: check on \
                 Linux to see them. Compare with the solution, folded on the book's exercise \
                 page, or in {}.",
                self.results.len() - skipped,
                self.results.len(),
                exercise.solution_file()
            );
            text.push_str(&wrap(&said, "", ""));
            return text;
        }
        if self.passed() {
            writeln!(
                text,
                "Done: {} shows every behaviour. Compare with the solution,",
                exercise.name
            )
            .unwrap();
            writeln!(
                text,
                "folded on the book's exercise page, or in {}.",
                exercise.solution_file()
            )
            .unwrap();
            return text;
        }
        let present = self.results.iter().filter(|(_, s)| *s == Status::Present).count();
        let total = self.results.len();
        writeln!(
            text,
            "Not yet: {present} of {total} behaviours there; the one marked ✗ is missing."
        )
        .unwrap();
        let todos = source.map(todos).unwrap_or_default();
        if !todos.is_empty() {
            writeln!(text, "Still marked to do in {}:", exercise.file()).unwrap();
            for (line, what) in todos {
                writeln!(text, "  line {line}: {what}").unwrap();
            }
        }
        match next {
            Next::CheckAgain => {
                writeln!(text, "Edit {}, then check again:", exercise.file()).unwrap();
                writeln!(text, "  {}", exercise.command()).unwrap();
            }
            Next::Save => {
                writeln!(text, "Edit {} and save it: it is checked again.", exercise.file())
                    .unwrap();
            }
        }
        text
    }
}

/// What a verdict asks the student to do next.
#[derive(Debug, Clone, Copy)]
enum Next {
    /// Edit, then run the check command again.
    CheckAgain,
    /// Edit and save: `watch` checks again.
    Save,
}

/// `text` cut into lines of at most 78 characters where it has spaces, the
/// first line starting with `first`, the others with `rest`.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut wrapped = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split(' ') {
        if !empty && line.chars().count() + 1 + word.chars().count() > 78 {
            wrapped.push_str(&format!("{line}\n"));
            line = rest.to_owned();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    wrapped.push_str(&format!("{line}\n"));
    wrapped
}

/// The text of a panic: the message of `panic!("...")` or `.expect("...")`.
fn panic_text(payload: Box<dyn Any + Send>) -> String {
    if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else {
        "the check failed".to_owned()
    }
}

/// The helpers of the `harness` crate fail with messages meant for a test's
/// author; say the same to a student, in plain words.
fn plain(reason: &str) -> String {
    let known = [
        (
            "the run took longer than",
            "It did not finish within 20 seconds, so the check stopped it. Does a \
             process wait for something that never comes (a read that never \
             sees end-of-file, a join, a full pipe)?",
        ),
        (
            "a line on stdout in time",
            "No line came on stdout: the program ended, or went quiet for 20 \
             seconds, before printing it.",
        ),
        (
            "processes of the run are left",
            "The program ended but left a process behind: a child still running, \
             or one that was never reaped (a zombie). The parent must wait for \
             its child.",
        ),
        ("malformed line", "A line is not `Parent <pid> got [<data>] at <time>`"),
    ];
    for (marker, words) in known {
        if reason.contains(marker) {
            return match reason.split_once(": ") {
                Some((_, detail)) if marker == "malformed line" => format!("{words}: {detail}"),
                _ => words.to_owned(),
            };
        }
    }
    reason.to_owned()
}

/// The lines of `source` that still hold a `todo!(...)`, with what it says.
pub fn todos(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        if let Some(start) = line.find("todo!(") {
            let what = line[start..].trim_end_matches([';', ',']).to_owned();
            found.push((number + 1, what));
        }
    }
    found
}

/// One file cut at its anchors: the text outside every gap, piece by piece,
/// and each gap's name and text. The comment `ANCHOR: <name>` opens a gap
/// and `ANCHOR_END: <name>` closes it; both lines belong to the outside.
#[derive(Debug, PartialEq, Eq)]
pub struct Cut {
    pub outside: Vec<String>,
    pub gaps: Vec<(String, String)>,
}

pub fn cut(text: &str) -> Cut {
    let mut cut = Cut { outside: vec![String::new()], gaps: Vec::new() };
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        let marker = line.trim_start().strip_prefix("// ").unwrap_or_default();
        if let Some(name) = marker.strip_prefix("ANCHOR: ") {
            assert!(open.is_none(), "a gap opens inside a gap: {line}");
            cut.outside.last_mut().unwrap().push_str(&format!("{line}\n"));
            open = Some((name.trim().to_owned(), String::new()));
        } else if let Some(name) = marker.strip_prefix("ANCHOR_END: ") {
            let (gap, body) = open.take().unwrap_or_else(|| panic!("no gap to close: {line}"));
            assert_eq!(gap, name.trim(), "gap {gap} closed by another name");
            cut.gaps.push((gap, body));
            cut.outside.push(format!("{line}\n"));
        } else if let Some((_, body)) = &mut open {
            body.push_str(&format!("{line}\n"));
        } else {
            cut.outside.last_mut().unwrap().push_str(&format!("{line}\n"));
        }
    }
    assert!(open.is_none(), "a gap is never closed");
    cut
}

/// For a chapter's `tests/exercises.rs`: the exercise `name`'s checks pass
/// on `solution` (a binary's path), with `others` for [`Exercise::uses`].
/// Where a behaviour is skipped (no `/proc`), says so on stderr.
pub fn assert_solution_passes(name: &str, solution: &str, others: &[(&str, &str)]) {
    let verdict = check(exercise(name), &programs(solution, others));
    assert!(verdict.passed(), "the solution of {name} fails its checks:\n{}", verdict.report(None));
    for what in verdict.skipped() {
        eprintln!("{name}: not checked on this system (no /proc): {what}");
    }
}

/// For a chapter's `tests/exercises.rs`: the exercise `name`'s checks fail
/// on its starter (`starter`, the binary of [`Exercise::starter_file`], never
/// the student's file), for the reason the exercise names: an empty attempt
/// never passes.
pub fn assert_starter_fails(name: &str, starter: &str, others: &[(&str, &str)]) {
    let exercise = exercise(name);
    let verdict = check(exercise, &programs(starter, others));
    let reason = verdict.reason().unwrap_or_else(|| panic!("the starter of {name} passes"));
    assert!(
        reason.contains(exercise.starter_says),
        "the starter of {name} fails, but not saying {:?}:\n{}",
        exercise.starter_says,
        verdict.report(None)
    );
}

/// For a chapter's `tests/exercises.rs`: `attempt`, a binary that makes a
/// known mistake, lacks the behaviour of exercise `name` whose description
/// starts with `behaviour`, and the reason says each of `says`. Returns the
/// reason, for a test to look closer.
///
/// Where there is no `/proc` ([`harness::proc::present`]), the behaviour
/// may instead be skipped, if the mistake shows only there: the attempt is
/// still not accepted, and the reason then says what the check could not see.
pub fn assert_behaviour_missing(
    name: &str,
    behaviour: &str,
    attempt: &str,
    says: &[&str],
) -> String {
    assert_behaviour_missing_with(name, behaviour, attempt, &[], says)
}

/// [`assert_behaviour_missing`], with `others` for [`Exercise::uses`]:
/// the programs the check runs besides the attempt.
pub fn assert_behaviour_missing_with(
    name: &str,
    behaviour: &str,
    attempt: &str,
    others: &[(&str, &str)],
    says: &[&str],
) -> String {
    let found = exercise(name).behaviours.iter().find(|b| b.what.starts_with(behaviour));
    let found = found.unwrap_or_else(|| panic!("{name} has no behaviour {behaviour:?}"));
    let programs = programs(attempt, others);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| (found.check)(&programs)));
    let reason = match outcome {
        Ok(()) => panic!("{attempt} shows the behaviour {behaviour:?} of {name}"),
        Err(payload) => match payload.downcast::<checks::Unseen>() {
            Ok(unseen) => {
                assert!(!harness::proc::present(), "skipped, though /proc is here: {}", unseen.0);
                assert!(unseen.0.contains("no /proc"), "it says what it could not see");
                return unseen.0;
            }
            Err(payload) => bounded(&plain(&panic_text(payload))),
        },
    };
    for words in says {
        assert!(reason.contains(words), "the reason should say {words:?}:\n{reason}");
    }
    reason
}

fn exercise(name: &str) -> &'static Exercise {
    find(name).unwrap_or_else(|| panic!("no exercise {name}"))
}

fn programs(attempt: &str, others: &[(&str, &str)]) -> Programs {
    let others =
        others.iter().map(|(name, path)| (name.to_string(), PathBuf::from(path))).collect();
    Programs { attempt: PathBuf::from(attempt), others }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An exercise whose checks pass, stop for want of `/proc`, and fail.
    static SEEN_IN_PART: Exercise = Exercise {
        name: "seen_in_part",
        title: "Seen in part",
        package: "pipe1",
        kind: Kind::Gaps,
        level: Level::Easy,
        minutes: 1,
        uses: &[],
        starter_says: "",
        behaviours: &[
            Behaviour { what: "shows the first", check: |_| {} },
            Behaviour {
                what: "shows the second",
                check: |_| checks::stop_unseen("This system has no /proc: test"),
            },
            Behaviour { what: "shows the third", check: |_| panic!("The third is missing.") },
        ],
    };

    /// A check stopped for want of `/proc` is skipped, not missing, and the
    /// next one is checked; the verdict marks it and says what was not seen.
    #[test]
    fn a_check_that_needs_proc_is_skipped_and_the_next_is_checked() {
        let programs = Programs { attempt: PathBuf::from("/nonexistent"), others: vec![] };
        let verdict = check(&SEEN_IN_PART, &programs);
        let statuses: Vec<&Status> = verdict.results.iter().map(|(_, status)| status).collect();
        let unseen = Status::Skipped("This system has no /proc: test".into());
        let missing = Status::Missing("The third is missing.".into());
        assert_eq!(statuses, [&Status::Present, &unseen, &missing]);
        assert!(!verdict.passed());
        assert_eq!(verdict.skipped(), ["shows the second"]);
        let report = verdict.report(None);
        assert!(report.contains("  - shows the second (not checked on this system)\n"), "{report}");
        assert!(report.contains("      This system has no /proc: test\n"), "{report}");
    }

    /// A verdict whose only gaps are skipped behaviours passes, and says
    /// how many were not checked.
    #[test]
    fn a_verdict_with_skipped_behaviours_passes_and_says_so() {
        let results = vec![
            ("shows the first", Status::Present),
            ("shows the second", Status::Skipped("This system has no /proc: test".into())),
        ];
        let verdict = Verdict { exercise: &SEEN_IN_PART, results };
        assert!(verdict.passed());
        let report = verdict.report(None);
        assert!(report.contains("Done, as far as this system shows: 1 of 2"), "{report}");
        assert!(report.contains("1 not checked here"), "{report}");
    }
}
