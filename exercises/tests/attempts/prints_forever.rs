//! A wrong attempt, for the checker's own tests: lines of 1 MiB, for
//! ever. The checker must stop it, with a verdict, holding a bounded
//! part of what it printed.

use std::io::Write;

fn main() {
    let line = [vec![b'x'; 1 << 20], vec![b'\n']].concat();
    let mut stdout = std::io::stdout().lock();
    while stdout.write_all(&line).is_ok() {}
}
