//! deadlocks.py in Rust, standing alone: std and nix.

fn main() {}
