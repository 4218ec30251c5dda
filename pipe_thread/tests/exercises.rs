//! The solutions of the pipe_thread chapter's exercises, checked.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use common::testing::*;

const TWO_WRITERS: &str = env!("CARGO_BIN_EXE_pipe_thread_two_writers");
const MPSC: &str = env!("CARGO_BIN_EXE_pipe_thread_mpsc");
const JOIN_FIRST: &str = env!("CARGO_BIN_EXE_pipe_thread_join_first");

#[test]
fn exercise_two_writers_never_mix_their_lines() {
    let run = run(TWO_WRITERS, &["--count", "3000", "--tick", "0"]).success().stderr("");
    let lines = parse_lines(&run.get_output().stdout);
    assert_eq!(lines.len(), 6000, "every message of both writers");
    for name in ["A ", "B "] {
        let mine: Vec<&str> =
            lines.iter().filter_map(|line| line.data.strip_prefix(name)).collect();
        assert_eq!(mine.concat(), stream(3000), "writer {name}: whole lines, in its own order");
    }
}

#[test]
fn exercise_a_channel_delivers_whole_messages_without_framing() {
    let run = run(MPSC, &["--count", "12", "--tick", "0"]).success().stderr("");
    let lines = parse_lines(&run.get_output().stdout);
    let messages: Vec<&str> = lines.iter().map(|line| line.data.as_str()).collect();
    assert_eq!(messages.concat(), stream(12));
    assert!(messages.iter().all(|m| m.len() == 8), "one message per receive: {messages:?}");
}

#[test]
fn exercise_joining_first_works_while_everything_fits_in_the_pipe() {
    let running = spawn(JOIN_FIRST, &["--count", "5", "--tick", "0"]);
    let pid = running.pid();
    let run = assert_unframed_run(running.wait(), pid, 5, 32);
    assert_eq!(parse_lines(&run.get_output().stdout).len(), 2, "32 bytes, then 8");
}

#[cfg(target_os = "linux")] // a pipe of 64 KiB, and threads seen in /proc
#[test]
fn exercise_joining_first_deadlocks_once_the_pipe_is_full() {
    let mut running = spawn(JOIN_FIRST, &["--count", "9000", "--tick", "0"]);
    // 72 000 bytes do not fit in 64 KiB: the writer sleeps in write on the
    // full pipe, the main thread sleeps in join, and nothing was printed.
    running.wait_until_threads_sleep(2);
    assert_eq!(running.lines_so_far(), Vec::<String>::new());
    assert_eq!(running.state_of(running.pid()), Some('S'), "still there, asleep");
    // Dropping `running` kills it: the deadlock never ends on its own.
}
