//! deadlocks_child.py in Rust, std only.

fn main() {}
