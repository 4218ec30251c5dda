//! `bench/run` builds the workspace and runs the `bench` binary it built,
//! wherever cargo put it: `CARGO_TARGET_DIR` moves it out of `target/`.
//!
//! Building the real workspace into a new folder would take minutes, so the
//! script (a byte-for-byte copy) runs in a stand-in workspace: one package,
//! `bench`, whose binary says where it runs from.

#![cfg(unix)] // bench/run is a bash script

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A cold build of the stand-in on a busy machine takes seconds, not minutes.
const DEADLINE: Duration = Duration::from_secs(180);

/// A workspace with bench/run and a `bench` binary that prints its path and
/// its arguments; and, where the script used to look, a stale `bench` that
/// says it is stale.
fn stand_in(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("bench")).unwrap();
    fs::copy(bench::root().join("bench/run"), root.join("bench/run")).unwrap();
    fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [[bin]]\nname = \"bench\"\npath = \"main.rs\"\n\n[workspace]\n",
    )
    .unwrap();
    fs::write(
        root.join("main.rs"),
        "fn main() {\n    let exe = std::env::current_exe().unwrap();\n    \
         let args: Vec<String> = std::env::args().skip(1).collect();\n    \
         println!(\"{} {}\", exe.display(), args.join(\" \"));\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"bench\"\nversion = \"0.0.0\"\n",
    )
    .unwrap();
    for dir in ["debug", "release"] {
        let stale = root.join("target").join(dir).join("bench");
        fs::create_dir_all(stale.parent().unwrap()).unwrap();
        fs::write(&stale, "#!/bin/sh\necho stale\n").unwrap();
        fs::set_permissions(&stale, fs::Permissions::from_mode(0o755)).unwrap();
    }
    root
}

/// Run `root/bench/run args` with `CARGO_TARGET_DIR` as given (unset if
/// none), in a process group of its own, killed if it outlives the deadline.
fn run_script(root: &Path, target_dir: Option<&Path>, args: &[&str]) -> Output {
    let mut command = Command::new(root.join("bench/run"));
    command.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command.env_remove("CARGO_TARGET_DIR").env_remove("CARGO_BUILD_TARGET_DIR");
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    command.process_group(0);
    // The script was copied a moment ago: while another test of this binary
    // forks, its child may still hold the copy open for writing, and exec
    // says "Text file busy" (ETXTBSY). That passes; try again.
    let mut tries = 0;
    let mut child = loop {
        match command.spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            started => break started.expect("bench/run starts"),
        }
    };
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > DEADLINE {
            let group = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
            let _ = child.wait();
            panic!("bench/run took more than {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// The path the stand-in's `bench` printed, and the arguments it got.
fn ran(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "bench/run failed ({}):\n{stderr}", output.status);
    String::from_utf8(output.stdout.clone()).unwrap().trim().to_owned()
}

#[test]
fn bench_run_runs_the_binary_it_built_wherever_cargo_put_it() {
    let root = stand_in("run_script_target_dir");
    let elsewhere = root.join("elsewhere");
    let out = ran(&run_script(&root, Some(&elsewhere), &["--tiny", "--rounds", "3"]));
    let expected = format!("{} --tiny --rounds 3", elsewhere.join("debug/bench").display());
    assert_eq!(out, expected, "not the binary just built in CARGO_TARGET_DIR");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn bench_run_builds_in_release_mode_into_target_by_default() {
    let root = stand_in("run_script_default");
    let out = ran(&run_script(&root, None, &["--render"]));
    assert_eq!(out, format!("{} --render", root.join("target/release/bench").display()));
    let _ = fs::remove_dir_all(&root);
}
