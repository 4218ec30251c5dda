//! A wrong attempt, for the checker's own tests: it ends at once, having
//! printed nothing.

fn main() {}
