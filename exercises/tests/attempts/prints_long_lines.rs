//! A wrong attempt, for the checker's own tests: 2,000 lines of 1 MiB
//! each (2 GiB in all), then it ends. The checker must keep and quote
//! only a bounded part of it.

use std::io::Write;

fn main() {
    let line = [vec![b'x'; 1 << 20], vec![b'\n']].concat();
    let mut stdout = std::io::stdout().lock();
    for _ in 0..2000 {
        if stdout.write_all(&line).is_err() {
            return; // the checker stopped reading
        }
    }
}
