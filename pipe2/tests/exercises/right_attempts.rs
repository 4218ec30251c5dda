//! Right attempts at the pipe2 chapter's exercises (`right/`), however
//! unusual, each accepted by the checks (issue 16).

use exercises::assert_solution_passes;

#[test]
fn pipe2_scratch_dup2_passes() {
    assert_solution_passes("pipe2_scratch", env!("CARGO_BIN_EXE_pipe2_scratch_dup2"), &[]);
}

#[test]
fn pipe2_scratch_rustix_read_line_passes() {
    assert_solution_passes(
        "pipe2_scratch",
        env!("CARGO_BIN_EXE_pipe2_scratch_rustix_read_line"),
        &[],
    );
}
