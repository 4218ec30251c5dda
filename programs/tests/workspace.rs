//! The list and the workspace agree: every workspace program is in
//! `programs.txt`, and everything the list names exists.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use programs::all;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// Each workspace member, with the names of its binaries, as cargo sees them.
fn members() -> Vec<(String, Vec<String>)> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    packages
        .iter()
        .map(|package| {
            let bins = package["targets"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|target| target["kind"].as_array().unwrap().iter().any(|k| k == "bin"))
                .map(|target| target["name"].as_str().unwrap().to_owned())
                .collect();
            (package["name"].as_str().unwrap().to_owned(), bins)
        })
        .collect()
}

/// Programs on their way in: the crate, its plain binary and its Python
/// (`python/<name>.py`) are there, but not yet the chapter, the exercises
/// and the benchmark's cases that every program of the list has. A
/// program's line goes into programs.txt with those, and out of here. (None
/// now: pipes, the last, came in with issue 18.)
const ON_THE_WAY: &[&str] = &[];

#[test]
fn every_workspace_program_is_in_the_list() {
    let listed: BTreeSet<&str> = all().iter().map(|program| program.name).collect();
    for name in ON_THE_WAY {
        assert!(!listed.contains(name), "{name} is in programs.txt: take it out of ON_THE_WAY");
    }
    for (name, bins) in members() {
        // A program of the book is a crate with a plain binary beside it.
        if bins.contains(&format!("{name}_plain")) && !ON_THE_WAY.contains(&name.as_str()) {
            assert!(listed.contains(name.as_str()), "{name} is missing from programs.txt");
        }
    }
    // A file of python/ is a program's Python, or a program one of them
    // starts, which it names (pipes.py starts pipes_child.py).
    let pythons: Vec<String> = (all().iter().map(|program| program.python.to_owned()))
        .chain(ON_THE_WAY.iter().map(|name| format!("{name}.py")))
        .collect();
    let read = |file: &String| fs::read_to_string(root().join("python").join(file));
    let texts: Vec<String> = pythons.iter().map(|file| read(file).unwrap()).collect();
    for entry in fs::read_dir(root().join("python")).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if file.ends_with(".py") {
            let named = pythons.contains(&file) || texts.iter().any(|text| text.contains(&file));
            assert!(
                named,
                "python/{file} is no program's Python in programs.txt, nor started by one"
            );
        }
    }
}

#[test]
fn everything_the_list_names_is_there() {
    let members = members();
    assert!(!all().is_empty());
    for program in all() {
        let bins = members.iter().find(|(name, _)| name == program.name).map(|(_, bins)| bins);
        let bins = bins.unwrap_or_else(|| panic!("{} is not a workspace member", program.name));
        for bin in [program.name, program.plain] {
            assert!(bins.iter().any(|b| b == bin), "{}: no binary {bin}", program.name);
        }
        let chapter = root().join("book/src").join(program.chapter);
        assert!(chapter.is_file(), "{}: no chapter {}", program.name, chapter.display());
        let python = root().join("python").join(program.python);
        assert!(python.is_file(), "{}: no Python {}", program.name, python.display());
    }
}
