//! The catalogue (`exercises/src/checks.rs`) agrees with the rest: each
//! entry has its binaries in its chapter's manifest, its section on its
//! chapter's exercise page and its two tests in its chapter's exercise
//! tests, and each exercise binary and each section is an entry. And the attempts kept for the checks' tests (`<chapter>/mistakes/`,
//! `<chapter>/right/`) stay near copies of their exercise's solution.

#![cfg(unix)] // the crate is empty elsewhere

use std::fs;

use exercises::{Exercise, Kind, all, root};

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `[[bin]]`s of a chapter's manifest, `<package>/Cargo.toml`: `(name,
/// path)`, the path from the package's folder, in the manifest's order.
/// A small reader of the one shape the manifests use: a `[[bin]]` line, then
/// `name = "..."` and `path = "..."` lines.
fn bins(package: &str) -> Vec<(String, String)> {
    let manifest = read(&format!("{package}/Cargo.toml"));
    let mut found = Vec::new();
    let mut open: Option<(Option<String>, Option<String>)> = None;
    let value = |line: &str, key: &str| {
        let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
        Some(rest.strip_prefix('"')?.strip_suffix('"')?.to_owned())
    };
    for line in manifest.lines().map(str::trim).chain(["[end]"]) {
        if line.starts_with('[') {
            if let Some((name, path)) = open.take() {
                let name = name.unwrap_or_else(|| panic!("{package}: a [[bin]] has no name"));
                let path = path.unwrap_or_else(|| panic!("{package}: bin {name} has no path"));
                found.push((name, path));
            }
            if line == "[[bin]]" {
                open = Some((None, None));
            }
        } else if let Some((name, path)) = &mut open {
            *name = name.take().or_else(|| value(line, "name"));
            *path = path.take().or_else(|| value(line, "path"));
        }
    }
    found
}

/// The binaries an exercise needs in its chapter's manifest, `(name, path)`:
/// the student's file, the starter, and the solution unless it is the
/// chapter's plain program (found in `src/bin/`, without a `[[bin]]`).
fn expected_bins(exercise: &Exercise) -> Vec<(String, String)> {
    let name = exercise.name;
    let mut expected = vec![
        (name.to_owned(), format!("exercises/{name}.rs")),
        (exercise.starter(), format!("starters/{name}.rs")),
    ];
    if exercise.kind == Kind::Gaps {
        expected.push((exercise.solution(), format!("solutions/{name}.rs")));
    }
    expected
}

#[test]
fn every_exercise_is_of_a_program_in_programs_txt() {
    for exercise in all() {
        let package = exercise.package;
        assert!(
            exercises::chapters().contains(&package),
            "{}: no program {package} in programs.txt, nor on its way in (programs::ON_THE_WAY)",
            exercise.name
        );
    }
}

#[test]
fn every_exercise_has_its_binaries_in_its_chapters_manifest() {
    for exercise in all() {
        let manifest = bins(exercise.package);
        for bin in expected_bins(exercise) {
            assert!(
                manifest.contains(&bin),
                "{}: {}/Cargo.toml has no [[bin]] name = {:?}, path = {:?}",
                exercise.name,
                exercise.package,
                bin.0,
                bin.1
            );
        }
        let solution = exercise.solution_file();
        assert!(root().join(&solution).is_file(), "{}: no solution {solution}", exercise.name);
    }
}

#[test]
fn every_exercise_binary_of_a_manifest_is_in_the_catalogue() {
    for package in exercises::chapters() {
        for (name, path) in bins(package) {
            let Some((folder, file)) = path.split_once('/') else { continue };
            if !["exercises", "starters", "solutions"].contains(&folder) {
                continue;
            }
            let stem = file.strip_suffix(".rs").unwrap_or(file);
            let exercise = exercises::find(stem);
            let exercise = exercise.filter(|exercise| exercise.package == package);
            let exercise = exercise.unwrap_or_else(|| {
                panic!("{package}/Cargo.toml: bin {name} ({path}) is of no exercise of {package}")
            });
            assert!(
                expected_bins(exercise).contains(&(name.clone(), path.clone())),
                "{package}/Cargo.toml: bin {name} ({path}) is not one the catalogue expects \
                 of {}: {:?}",
                exercise.name,
                expected_bins(exercise)
            );
        }
    }
}

/// The `## ` headings of a chapter's exercise page, in order.
fn headings(package: &str) -> Vec<String> {
    let page = read(&format!("book/src/{package}_exercises.md"));
    let headings = page.lines().filter_map(|line| line.strip_prefix("## "));
    headings.map(str::to_owned).collect()
}

#[test]
fn every_exercise_has_its_heading_on_its_chapters_exercise_page() {
    for exercise in all() {
        assert!(
            headings(exercise.package).iter().any(|heading| heading == exercise.title),
            "book/src/{}_exercises.md has no heading `## {}`",
            exercise.package,
            exercise.title
        );
    }
}

#[test]
fn every_heading_of_an_exercise_page_is_an_exercise_in_the_catalogue_in_its_order() {
    for package in exercises::chapters() {
        let titles: Vec<&str> =
            all().iter().filter(|e| e.package == package).map(|e| e.title).collect();
        assert_eq!(
            headings(package),
            titles,
            "book/src/{package}_exercises.md: its `## ` headings are its exercises' titles, \
             in the catalogue's order"
        );
    }
}

/// Each exercise has its two tests in its chapter's
/// `<package>/tests/exercises.rs`, named after it: its solution passes its
/// checks, and its starter fails them (`cargo test --workspace` runs them;
/// `exercises -- prove` does the same through the check command).
#[test]
fn every_exercise_is_tested_both_ways_in_its_chapters_exercise_tests() {
    for exercise in all() {
        let path = format!("{}/tests/exercises.rs", exercise.package);
        let tests = read(&path);
        for test in ["solution_passes", "starter_fails"] {
            let test = format!("fn {}_{test}()", exercise.name);
            assert!(tests.contains(&test), "{path} has no test {test}");
        }
    }
}

// ---- the attempts stay near their base

/// The most lines an attempt may change from its base (see [`changed`]).
const AT_MOST: usize = 12;

/// The attempts that change more than [`AT_MOST`] lines of their base,
/// how many they change at the most, and why they cannot come closer
/// without losing their lesson.
const FAR: &[(&str, usize, &str)] = &[
    (
        "pipe1/mistakes/pipe1_scratch_sleep_child.rs",
        21,
        "no fork and no pipe: its child is another program, the `sleep` command, started \
         with std's Command, so of pipe1_plain only the parent's print loop is left",
    ),
    (
        "pipe1/right/pipe1_scratch_extern_c.rs",
        45,
        "every call of pipe1_plain (pipe, fork, read, write) is a C function declared by \
         hand, each in an unsafe block with its own error check: the lesson is all of them",
    ),
    (
        "pipes/mistakes/pipes_std_command_forks_by_hand.rs",
        43,
        "its spawn is pipes_plain's, pipe, fork, dup2 and execvp by hand, where the solution \
         has std's Command: the mistake is the whole function the exercise writes again",
    ),
];

/// An attempt's code lines: its comments, its blank lines and the
/// indentation left out, so that only what the program does is compared.
fn code_lines(text: &str) -> Vec<&str> {
    let lines = text.lines().map(str::trim);
    lines.filter(|line| !line.is_empty() && !line.starts_with("//")).collect()
}

/// How many lines `attempt` changes of `base`: with the longest common
/// subsequence of their lines kept, the lines of `base` left out and the
/// lines of `attempt` put in, whichever are more (a line rewritten counts
/// once).
fn changed(base: &[&str], attempt: &[&str]) -> usize {
    // common[i][j]: the longest common subsequence of base[i..] and attempt[j..].
    let mut common = vec![vec![0; attempt.len() + 1]; base.len() + 1];
    for i in (0..base.len()).rev() {
        for j in (0..attempt.len()).rev() {
            common[i][j] = match base[i] == attempt[j] {
                true => common[i + 1][j + 1] + 1,
                false => common[i + 1][j].max(common[i][j + 1]),
            };
        }
    }
    let kept = common[0][0];
    (base.len() - kept).max(attempt.len() - kept)
}

#[test]
fn the_line_count_of_a_change_counts_lines_left_out_and_put_in() {
    assert_eq!(changed(&["a", "b", "c"], &["a", "b", "c"]), 0);
    assert_eq!(changed(&["a", "b", "c"], &["a", "x", "c"]), 1);
    assert_eq!(changed(&["a", "b", "c"], &["a", "c"]), 1);
    assert_eq!(changed(&["a", "b", "c"], &["x", "a", "b", "y", "c", "z"]), 3);
    assert_eq!(changed(&["a", "b", "c", "d"], &["d", "c", "b", "a"]), 3);
    let code = code_lines("//! doc\n\n    let a = 1; \n// note\nlet b = 2;\n");
    assert_eq!(code, ["let a = 1;", "let b = 2;"]);
}

/// Every attempt of every chapter, `(chapter, file)`: `<chapter>/mistakes/*.rs`
/// and `<chapter>/right/*.rs`, from the workspace's root.
fn attempts() -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    for package in exercises::chapters() {
        for folder in ["mistakes", "right"] {
            let Ok(entries) = fs::read_dir(root().join(package).join(folder)) else { continue };
            for entry in entries {
                let name = entry.unwrap().file_name().into_string().unwrap();
                if name.ends_with(".rs") {
                    found.push((package, format!("{package}/{folder}/{name}")));
                }
            }
        }
    }
    found.sort();
    found
}

/// The exercise an attempt tries: the one whose name starts its file's
/// name, `<exercise>_<what it does>.rs`, the longest if several do.
fn exercise_of(package: &str, file: &str) -> &'static Exercise {
    let stem = file.rsplit('/').next().unwrap().trim_end_matches(".rs");
    let tried = all().iter().filter(|e| e.package == package);
    let tried = tried.filter(|e| stem.starts_with(&format!("{}_", e.name)));
    let exercise = tried.max_by_key(|e| e.name.len());
    exercise.unwrap_or_else(|| panic!("{file}: its name starts with no exercise of {package}"))
}

/// Each attempt is a near copy of its base, the solution of the exercise
/// it tries ([`Exercise::solution_file`]: for a program from scratch, the
/// chapter's plain program): when a solution changes, its attempts must
/// follow, and cannot drift apart unseen.
#[test]
fn each_attempt_differs_from_its_base_in_few_lines() {
    let mut far = Vec::new();
    for (package, file) in attempts() {
        let base = exercise_of(package, &file).solution_file();
        let (base_text, attempt_text) = (read(&base), read(&file));
        let count = changed(&code_lines(&base_text), &code_lines(&attempt_text));
        let listed = FAR.iter().find(|(name, ..)| *name == file).map(|far| far.1);
        let allowed = listed.unwrap_or(AT_MOST);
        if count > allowed {
            far.push(format!("{file}: {count} lines changed from {base}, at most {allowed}"));
        }
        if listed.is_some() && count <= AT_MOST {
            far.push(format!("{file}: {count} lines changed from {base}: take it out of FAR"));
        }
    }
    assert!(far.is_empty(), "attempts drift from their base:\n{}", far.join("\n"));
    for (name, ..) in FAR {
        assert!(attempts().iter().any(|(_, file)| file == name), "FAR names no attempt {name}");
    }
}
