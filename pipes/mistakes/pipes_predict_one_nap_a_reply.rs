//! A wrong attempt at "Predict the conversation": the first reply
//! right, but one nap a reply, not two (the child naps before its read
//! and again before its answer). (tests/exercises.rs)

// ANCHOR: prediction
/// Your predictions: `Some("Parent <parent> got [...]")`, and
/// `Some([first, second])`, whole seconds.
const FIRST_REPLY: Option<&str> = Some(
    "Parent <parent> got [child <child> read [Greeting 1 from parent <parent>]]",
);
const REPLIES_AT: Option<[u32; 2]> = Some([2, 4]); // one nap a reply
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
