//! Exercise "Which read sizes keep every message whole?": pipe1
//! chapter; easy, about 10 minutes.
//!
//! With `--late-reader` and `--count 5`, all five messages, 40 bytes,
//! wait in the pipe before the parent's first read. For which values
//! of `--read-size` (1 to 65536) does every read hold whole messages
//! only, never a piece of one? Think first; write your answer as the
//! function below; then try a few sizes to test it:
//!
//!     cargo run -q -p pipe1 -- --count 5 --tick 0 --late-reader --read-size 12
//!     cargo run -q -p exercises -- check pipe1_read_sizes

// ANCHOR: keeps_messages_whole
/// Does every read of `pipe1 --count 5 --tick 0 --late-reader
/// --read-size <read_size>` hold whole 8-byte messages only?
fn keeps_messages_whole(read_size: u32) -> bool {
    todo!("answer for --read-size {read_size}")
}
// ANCHOR_END: keeps_messages_whole

/// Prints `<size> true` or `<size> false` for each read size on the
/// command line: the check asks about 1 to 48 and a few larger ones.
fn main() {
    for arg in std::env::args().skip(1) {
        let read_size = arg.parse().expect("a read size");
        println!("{read_size} {}", keeps_messages_whole(read_size));
    }
}
