//! pipe1 when things go wrong: the book's chapter "When things go wrong".

#![cfg(unix)] // the helpers run each program in a process group: unix only

use harness::assert::*;
use harness::*;
use nix::sys::signal::Signal;

const PIPE1: &str = env!("CARGO_BIN_EXE_pipe1");

#[test]
fn a_closed_stdout_ends_the_run_quietly_and_kills_the_child() {
    // pipe1 --tick 0 | head -3: forever, flat out, until head has its lines.
    let (lines, run) = head(PIPE1, &["--tick", "0"], 3);
    run.success().stderr("");
    let received: String = parse_lines((lines.join("\n") + "\n").as_bytes())
        .iter()
        .map(|line| unquote(&line.data).to_owned())
        .collect();
    assert!(stream(1000).starts_with(&received), "the first bytes, in order: {received}");
}

#[test]
fn ctrl_c_stops_both_processes_without_a_word() {
    let run = interrupt(PIPE1, &[]);
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGINT));
    run.stdout("").stderr("");
}

#[test]
fn a_killed_child_leaves_the_parent_waiting_forever() {
    // Spam 000 comes at once; Spam 001 would come one tick, an hour, later:
    // nothing more can arrive before the kill, however slow the test is.
    let mut running = spawn(PIPE1, &["--tick", "1h"]);
    running.next_line();
    let child = running.child_pid();
    send(child, Signal::SIGKILL);
    running.wait_for_state(child, 'Z');
    running.wait_for_state(running.pid(), 'S');
    // The parent still holds a write end, so its read never sees end-of-file:
    // it sleeps in read, and never reaps the dead child.
    let state = |pid| describe(running.state_of(pid).expect("still in the process table"));
    let states = format!("parent: {}\nchild:  {}\n", state(running.pid()), state(child));
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_child_killed", states));
    assert_eq!(running.lines_so_far(), Vec::<String>::new(), "nothing more arrives");
    // Dropping `running` kills the parent: the Ctrl-C the reader would need.
}

#[cfg(target_os = "linux")] // the parent-death signal is Linux's
#[test]
fn a_killed_parent_takes_the_child_with_it() {
    // One tick is a second: without die_with_parent the child would write on
    // for hours, since it holds the read end itself and never gets EPIPE.
    let mut running = spawn(PIPE1, &[]);
    running.next_line();
    let child = running.child_pid();
    send(running.pid(), Signal::SIGKILL);
    wait_until_group_ended(running.pid());
    assert_eq!(running.state_of(child).unwrap_or('Z'), 'Z', "the child ended with its parent");
    let run = running.wait().assert();
    assert_eq!(killed_by(run.get_output().status), Some(Signal::SIGKILL));
}

#[cfg(target_os = "linux")] // --show-fds reads /proc
#[test]
fn show_fds_shows_both_processes_holding_both_ends() {
    let run = finish(PIPE1, &["--count", "1", "--tick", "0", "--show-fds"]).success();
    let mut lines: Vec<String> = stderr(&run).lines().map(str::to_owned).collect();
    lines.sort(); // the two processes print in either order
    let shown = lines.join("\n") + "\n";
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_show_fds", shown));
}

#[cfg(target_os = "linux")] // a pipe of 64 KiB
#[test]
fn a_full_pipe_makes_the_late_reader_read_early_and_say_why() {
    let run = finish(PIPE1, &["--count", "10000", "--tick", "0", "--late-reader"]).success();
    let stderr = stderr(&run);
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_full_pipe", stderr));
}

#[test]
fn a_bad_value_starts_no_child_and_names_the_problem() {
    let run = finish(PIPE1, &["--count", "abc"]).code(2).stdout("");
    let first_line = stderr(&run).lines().next().unwrap().to_owned();
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_bad_count", first_line));
}

#[cfg(target_os = "linux")] // a pipe of 64 KiB
#[test]
fn a_pipe_filled_by_the_last_message_is_no_deadlock_and_no_claim() {
    // 8192 messages are 65 536 bytes: the pipe is full at the very moment the
    // child has sent its last message and is about to exit. A reader that
    // looked at the pipe in that moment used to claim a blocked writer, about
    // one run in six; 40 runs would all have missed it once in 1500 times.
    for _ in 0..40 {
        let running = spawn(PIPE1, &["--count", "8192", "--tick", "0", "--late-reader"]);
        let pid = running.pid();
        assert_unframed_run(running.wait().assert(), pid, 8192, 32).stderr("");
    }
}

#[cfg(target_os = "linux")] // counts context switches in /proc
#[test]
fn the_late_reader_sleeps_while_it_waits_and_says_how_long_the_pipe_takes() {
    // No --count, the book's tick: the pipe fills in hours. The reader sleeps
    // until its child ends or a pause of up to a second has passed.
    let running = spawn(PIPE1, &["--late-reader"]);
    let (before, start) = (running.voluntary_context_switches(), std::time::Instant::now());
    std::thread::sleep(std::time::Duration::from_secs(2));
    let (waits, seconds) = (running.voluntary_context_switches() - before, start.elapsed());
    // 1 ms, 2 ms, 4 ms, ... 1 s: 12 pauses in 2 s, and a few more waits for
    // the parent's start. Looking every millisecond was 2 000 of them.
    assert!(waits < 40, "{waits} waits in {seconds:?}");
    running.signal_group(Signal::SIGINT);
    let stderr = stderr(&running.wait().assert());
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_no_count_late_reader", stderr));
}

#[test]
fn started_with_sigchld_ignored_it_still_hears_its_child_end() {
    // With SIGCHLD ignored the kernel would reap the child itself, and
    // waitpid would fail with ECHILD: pipe1 restores the default first.
    for args in
        [&["--count", "5", "--tick", "0"][..], &["--count", "5", "--tick", "0", "--late-reader"]]
    {
        let running = spawn_with(PIPE1, args, [Setup::SigchldIgnored]);
        let pid = running.pid();
        assert_unframed_run(running.wait().assert(), pid, 5, 32).stderr("");
    }
}

#[test]
fn a_pipe_that_cannot_be_made_is_named() {
    let run = finish_with(PIPE1, &["--count", "1"], [Setup::MaxOpenFiles(4)]).code(1).stdout("");
    let stderr = stderr(&run);
    assert!(stderr.starts_with("pipe1: cannot create the pipe: Too many open files"), "{stderr}");
}

#[test]
fn a_fork_that_fails_is_named() {
    let run = finish_with(PIPE1, &["--count", "1"], [Setup::NoNewProcesses]).code(1).stdout("");
    let stderr = stderr(&run);
    assert!(stderr.starts_with("pipe1: cannot fork: Resource temporarily unavailable"), "{stderr}");
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    // stdout open for reading only, as `pipe1 1<file` starts it: std's own
    // stdout would call the EBADF a success and exit 0, having printed nothing.
    let file = || std::fs::File::open(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let run = finish_with(PIPE1, &["--count", "5", "--tick", "0"], [Setup::Stdout(file())]);
    let said = stderr(&run.code(1));
    snapshot_settings().bind(|| insta::assert_snapshot!("pipe1_stdout_read_only", said));
    for args in [&["--help"][..], &["--version"]] {
        let run = finish_with(PIPE1, args, [Setup::Stdout(file())]).code(1);
        assert_eq!(stderr(&run), said, "{args:?}: the same error");
    }
}

#[cfg(target_os = "linux")] // /dev/full
#[test]
fn help_to_a_full_device_is_an_error() {
    let full = std::fs::File::options().write(true).open("/dev/full").unwrap();
    let run = finish_with(PIPE1, &["--help"], [Setup::Stdout(full)]).code(1);
    assert_eq!(
        stderr(&run),
        "pipe1: cannot write to stdout: No space left on device (os error 28)\n"
    );
}

/// The book's "Ctrl-C": `pipe1 &` from a shell without job control (a
/// script, `bash -c`) starts pipe1 in the shell's own process group with
/// `SIGINT` and `SIGQUIT` ignored, and its child inherits that; a shell with
/// job control (`set -m`, as the one you type into) gives the job a group
/// of its own and leaves both signals at their default action.
#[cfg(target_os = "linux")] // /proc/<pid>/status and stat
#[test]
fn started_in_the_background_sigint_is_ignored_only_without_job_control() {
    // (the signals a process ignores, as a bit mask; its process group)
    let look = |pid: u32| -> (u64, u32) {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let ignored = status.lines().find_map(|l| l.strip_prefix("SigIgn:")).unwrap();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let after_name: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        (u64::from_str_radix(ignored.trim(), 16).unwrap(), after_name[2].parse().unwrap())
    };
    let (sigint, sigquit) = (1 << (Signal::SIGINT as u32 - 1), 1 << (Signal::SIGQUIT as u32 - 1));
    for (job_control, set_m) in [(false, ""), (true, "set -m; ")] {
        // pipe1 ends by itself after about 3 s: nothing can outlive the test long.
        let script = format!(r#"{set_m}"$0" --count 3 --tick 1s >/dev/null & echo $!; wait"#);
        let mut running = spawn("bash", &["-c", &script, PIPE1]);
        let pipe1: u32 = running.next_line().parse().expect("the job's pid");
        let group = if job_control { pipe1 } else { running.pid() };
        let start = std::time::Instant::now();
        let child = loop {
            let members = harness::proc::group_members(group);
            if let Some(child) = members.iter().find(|p| p.ppid == pipe1) {
                break child.pid;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no child of {pipe1} in group {group}: {members:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        for pid in [pipe1, child] {
            let (ignored, pgid) = look(pid);
            let expected = if job_control { 0 } else { sigint | sigquit };
            assert_eq!(ignored & (sigint | sigquit), expected, "set -m: {job_control}, {pid}");
            assert_eq!(pgid, group, "set -m: {job_control}: the group of {pid}");
        }
        running.wait().assert().success(); // (with `set -m`, bash says on stderr that the job is done)
    }
}

/// A process state letter in words, as the snapshot of
/// `a_killed_child_leaves_the_parent_waiting_forever` shows it.
fn describe(state: char) -> String {
    let words = match state {
        'S' => "sleeping: blocked, here in read",
        'Z' => "zombie: it has ended, and its parent has not reaped it",
        'R' => "running",
        _ => "see `man proc`",
    };
    format!("{state} ({words})")
}
