//! A wrong attempt at the exercise "pipe-thread.py from scratch", kept
//! for the tests: an mpsc channel instead of a pipe. Its output is
//! right; `tests/exercises/wrong_attempts.rs` checks that the verdict says no
//! pipe carried it.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, UNIX_EPOCH};
use std::{process, thread, thread::sleep};

fn child(sender: Sender<Vec<u8>>) {
    let mut zzz = 0;
    loop {
        sleep(Duration::from_secs(zzz));
        let msg = format!("Spam {zzz:03}");
        if sender.send(msg.into_bytes()).is_err() {
            return;
        }
        zzz = (zzz + 1) % 5;
    }
}

fn parent(receiver: Receiver<Vec<u8>>) {
    for msg in receiver {
        let line = msg.escape_ascii();
        let now = UNIX_EPOCH.elapsed().unwrap_or_default();
        let (pid, time) = (process::id(), now.as_secs_f64());
        println!("Parent {pid} got [b\"{line}\"] at {time:.2}");
    }
}

fn main() {
    let (sender, receiver) = channel(); // <- the mistake
    thread::spawn(move || child(sender));
    parent(receiver)
}
