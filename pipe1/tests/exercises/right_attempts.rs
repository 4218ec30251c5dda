//! Right attempts at the pipe1 chapter's exercises (`right/`), however
//! unusual, each accepted by the checks (issue 16).

use exercises::assert_solution_passes;

#[test]
fn pipe1_scratch_extern_c_passes() {
    assert_solution_passes("pipe1_scratch", env!("CARGO_BIN_EXE_pipe1_scratch_extern_c"), &[]);
}

#[test]
fn pipe1_scratch_std_pipe_passes() {
    assert_solution_passes("pipe1_scratch", env!("CARGO_BIN_EXE_pipe1_scratch_std_pipe"), &[]);
}

#[test]
fn pipe1_whole_accumulate_passes() {
    assert_solution_passes("pipe1_whole", env!("CARGO_BIN_EXE_pipe1_whole_accumulate"), &[]);
}
