//! The starters stay true to their solutions and to the book: outside its
//! marked gaps a starter is its solution, line for line; each says what to
//! do, how long it takes and how to check it; and each exercise has its
//! section on its chapter's exercise page. These are the starters as the
//! project keeps them, `<chapter>/starters/`: the student's own file,
//! `<chapter>/exercises/`, may hold any attempt and is never read here.

#![cfg(unix)] // the exercises crate is empty elsewhere (it runs programs in process groups)

use std::fs;

use exercises::{Kind, all, cut, root};

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn there_are_at_least_four_exercises_a_chapter() {
    for package in exercises::chapters() {
        let count = all().iter().filter(|exercise| exercise.package == package).count();
        assert!(count >= 4, "{package} has {count} exercises");
        let scratch = all().iter().filter(|e| e.package == package && e.kind == Kind::Scratch);
        assert_eq!(scratch.count(), 1, "{package}: one program to write from the Python");
    }
}

#[test]
fn outside_its_gaps_a_starter_is_its_solution() {
    for exercise in all().iter().filter(|exercise| exercise.kind == Kind::Gaps) {
        let starter = cut(&read(&exercise.starter_file()));
        let solution = cut(&read(&exercise.solution_file()));
        let names = |cut: &exercises::Cut| cut.gaps.iter().map(|(name, _)| name.clone()).collect();
        let (starter_gaps, solution_gaps): (Vec<String>, Vec<String>) =
            (names(&starter), names(&solution));
        assert_eq!(starter_gaps, solution_gaps, "{}: the same gaps, in order", exercise.name);
        assert!(!starter_gaps.is_empty(), "{}: a starter has gaps", exercise.name);
        for (number, (mine, theirs)) in starter.outside.iter().zip(&solution.outside).enumerate() {
            assert_eq!(
                mine,
                theirs,
                "{}: outside the gaps (piece {number}), the starter differs from {}",
                exercise.name,
                exercise.solution_file()
            );
        }
        for ((name, mine), (_, theirs)) in starter.gaps.iter().zip(&solution.gaps) {
            assert_ne!(mine, theirs, "{}: gap {name} is already filled in", exercise.name);
        }
    }
}

#[test]
fn each_starter_says_what_to_do_how_long_it_takes_and_how_to_check_it() {
    for exercise in all() {
        let starter = read(&exercise.starter_file());
        let header: String = starter
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .map(|line| line.trim_start_matches("//!").trim())
            .collect::<Vec<_>>()
            .join(" ");
        let title = format!("Exercise \"{}\"", exercise.title);
        assert!(header.starts_with(&title), "{}: starts with {title}", exercise.name);
        let effort = format!("{}, about {} minutes", exercise.level.as_str(), exercise.minutes);
        assert!(header.contains(&effort), "{}: says {effort:?}", exercise.name);
        assert!(header.contains(&exercise.command()), "{}: names its check command", exercise.name);
        let marked = starter.contains("todo!(") || starter.contains("// TODO");
        assert!(marked, "{}: the gaps to fill are marked", exercise.name);
        if exercise.kind == Kind::Scratch {
            let python = header.split('`').find(|word| word.starts_with("python/")).unwrap();
            assert!(root().join(python).is_file(), "{}: names the Python, {python}", exercise.name);
        }
    }
}

#[test]
fn each_exercise_has_its_section_on_its_chapters_exercise_page() {
    for exercise in all() {
        let page_path = format!("book/src/{}_exercises.md", exercise.package);
        let page = read(&page_path);
        let heading = format!("\n## {}\n", exercise.title);
        let start = page.find(&heading).unwrap_or_else(|| panic!("{page_path}: no {heading:?}"));
        let section = &page[start + heading.len()..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        let effort = format!("{}, about {} minutes", exercise.level.as_str(), exercise.minutes);
        for (what, text) in [
            ("the file", format!("`{}`", exercise.file())),
            ("the command", exercise.command()),
            ("the time and difficulty", effort.clone()),
            ("the hints", "<details><summary>Hint".to_owned()),
            ("the solution", "<details><summary>Solution".to_owned()),
            ("the solution's file", exercise.solution_file()),
        ] {
            let found = section.contains(&text) || section.to_lowercase().contains(&text);
            assert!(found, "{page_path}, {}: {what}: {text}", exercise.title);
        }
        assert!(!section.contains("timeout "), "{page_path}: no command runs under timeout");
    }
}

#[test]
fn no_exercise_is_left_out_of_the_list() {
    for package in exercises::chapters() {
        for entry in fs::read_dir(root().join(package).join("starters")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if let Some(name) = name.strip_suffix(".rs") {
                assert!(exercises::find(name).is_some(), "{package}/starters/{name}.rs is listed");
            }
        }
    }
}
