//! Exercise "A channel instead of a pipe": pipe_thread with
//! `std::sync::mpsc`. A channel carries values, not bytes: every receive is
//! one whole message, with no framing at all.

use std::sync::mpsc;
use std::thread;

// ANCHOR: solution
fn main() -> std::process::ExitCode {
    let about = "pipe_thread with a std::sync::mpsc channel instead of a pipe";
    common::main(
        "pipe_thread_mpsc",
        about,
        |opts: common::Framed| {
            let (sender, receiver) = mpsc::channel::<String>();
            let run = opts.run.clone();
            let writer = thread::spawn(move || {
                common::send_messages(&run, |msg| {
                    sender
                        .send(msg.to_owned())
                        .map_err(std::io::Error::other)
                })
            }); // the sender is dropped when the thread ends: the loop below ends too
            for msg in receiver {
                common::report(msg)?; // one message per receive, always
            }
            writer.join().map_err(|_| {
                std::io::Error::other("the writer thread panicked")
            })?
        },
    )
}
// ANCHOR_END: solution
