//! Right attempts at the pipe_thread chapter's exercises (`right/`), however
//! unusual, each accepted by the checks (issue 16).

use exercises::assert_solution_passes;

#[test]
fn pipe_thread_mpsc_sync_channel_passes() {
    assert_solution_passes(
        "pipe_thread_mpsc",
        env!("CARGO_BIN_EXE_pipe_thread_mpsc_sync_channel"),
        &[],
    );
}

#[test]
fn pipe_thread_scratch_reader_thread_passes() {
    assert_solution_passes(
        "pipe_thread_scratch",
        env!("CARGO_BIN_EXE_pipe_thread_scratch_reader_thread"),
        &[],
    );
}
