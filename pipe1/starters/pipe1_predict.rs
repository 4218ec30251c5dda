//! Exercise "Predict the reads": pipe1 chapter; easy, about 5 minutes.
//!
//! Before you run it, predict what each read returns in
//!
//!     cargo run -q -p pipe1 -- --count 5 --tick 0 --late-reader --read-size 12
//!
//! Write your prediction in `READS` below: one string per read, in order,
//! holding the bytes the read returns (`"Spam 000"` for `b"Spam 000"`).
//! Then check it, and only then run the command above:
//!
//!     cargo run -q -p exercises -- check pipe1_predict

// ANCHOR: prediction
/// What each read returns, in order: one string per read.
const READS: &[&str] = &[
    // TODO: your prediction, one string per read, such as "Spam 000",
];
// ANCHOR_END: prediction

fn main() {
    for read in READS {
        println!("{read}"); // one read a line, for the check
    }
}
