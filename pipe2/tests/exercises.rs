//! The solutions of the pipe2 chapter's exercises, checked.

#![cfg(unix)] // the helpers run each program in a process group: unix only

use common::testing::*;

const PIPE2: &str = env!("CARGO_BIN_EXE_pipe2");
const FORGETS_CLOSE: &str = env!("CARGO_BIN_EXE_pipe2_forgets_close");
const LENGTH_PREFIX: &str = env!("CARGO_BIN_EXE_pipe2_length_prefix");
const UNFRAMED: &str = env!("CARGO_BIN_EXE_pipe2_unframed");

#[test]
fn exercise_a_parent_that_forgets_to_close_hangs_after_the_last_message() {
    let mut running = spawn(FORGETS_CLOSE, &["--count", "3", "--tick", "0"]);
    for expected in (0..3).map(common::message) {
        assert_eq!(parse_lines(running.next_line().as_bytes())[0].data, expected);
    }
    // The child has sent everything and exited; nobody reaps it, since the
    // parent still waits in read for a line that can never come.
    let child = running.child_pid();
    running.wait_for_state(child, 'Z');
    running.wait_for_state(running.pid(), 'S'); // the parent, blocked in read
    assert_eq!(running.lines_so_far(), Vec::<String>::new(), "no line after the last message");
    assert_eq!(running.state_of(child), Some('Z'), "still not reaped");
    // Dropping `running` kills the group: the timeout the book's command uses.
}

#[test]
fn exercise_length_prefixed_frames_give_the_same_lines_as_newlines() {
    let lines = |program| {
        let run = run(program, &["--count", "7", "--tick", "0"]).success().stderr("");
        parse_lines(&run.get_output().stdout).into_iter().map(|line| line.data).collect::<Vec<_>>()
    };
    assert_eq!(lines(LENGTH_PREFIX), lines(PIPE2));
}

#[test]
fn exercise_closing_unused_ends_gives_end_of_file_even_without_framing() {
    let running = spawn(UNFRAMED, &["--count", "12", "--tick", "0"]);
    let pid = running.pid();
    // It ends on its own (no byte count needed) with every byte, reaped child.
    assert_unframed_run(running.wait(), pid, 12, 32);
    assert_eq!(group_members(pid), []);
}
