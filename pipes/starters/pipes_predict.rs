//! Exercise "Predict the conversation": pipes chapter; easy, about 10
//! minutes.
//!
//! Read `pipes/src/bin/pipes_plain.rs` and the child it starts,
//! `pipes/src/bin/pipes_child.rs`. Then, before you run it, predict
//! what this command prints on the terminal, and when:
//!
//!     cargo run -q -p pipes --bin pipes_plain
//!
//! Write in `FIRST_REPLY` the parent's first line about a reply,
//! without its ` at <time>`, with `<parent>` and `<child>` for the two
//! pids; and in `REPLIES_AT` how many seconds after the start each of
//! the two replies is printed (the naps as they are: PIPES_SLEEP not
//! set). Check, and only then run the command above.
//!
//!     cargo run -q -p exercises -- check pipes_predict

// ANCHOR: prediction
/// Your predictions: `Some("Parent <parent> got [...]")`, and
/// `Some([first, second])`, whole seconds.
const FIRST_REPLY: Option<&str> = None; // TODO
const REPLIES_AT: Option<[u32; 2]> = None; // TODO
// ANCHOR_END: prediction

fn main() {
    // For the check: `None`, or your answers, one a line.
    match FIRST_REPLY {
        Some(line) => println!("{line}"),
        None => println!("None"),
    }
    match REPLIES_AT {
        Some([first, second]) => println!("{first} {second}"),
        None => println!("None"),
    }
}
