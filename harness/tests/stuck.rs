//! The watch that tells a run that will never end in seconds, not at the
//! 20-second deadline (`harness/src/stuck.rs`), on three small programs
//! of the system: one that ends, one that sleeps, one that loops. The
//! chapters' `tests/exercises.rs` check it on pipes, with wrong attempts.

#![cfg(target_os = "linux")] // the watch looks at /proc

use harness::spawn;
use harness::stuck::{Look, Watch};

#[test]
fn a_run_that_ends_has_ended() {
    let running = spawn("true", &[]);
    assert_eq!(Watch::new(running.pid()).until_ended_or_stuck(), Look::Ended);
    assert!(running.wait().status.success());
}

#[test]
fn a_run_asleep_with_nothing_to_wake_it_is_stuck() {
    let running = spawn("sleep", &["60"]);
    let look = Watch::new(running.pid()).until_ended_or_stuck();
    let said =
        format!("The program (process {}) sleeps (a timer, as thread::sleep sets).", running.pid());
    assert_eq!(look, Look::Stuck(said));
}

#[test]
fn a_loop_that_never_ends_is_busy() {
    let running = spawn("sh", &["-c", "while :; do :; done"]);
    let look = Watch::new(running.pid()).until_ended_or_stuck();
    let Look::Busy(why) = look else { panic!("not busy: {look:?}") };
    let said = format!("The program (process {}) has used ", running.pid());
    assert!(why.starts_with(&said) && why.ends_with(" s of processor time."), "{why}");
}
