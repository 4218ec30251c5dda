//! How fast is a pipe: the measuring command behind the book's chapter.
//!
//! - [`cases`]: what is measured, and the command for each case;
//! - [`results`]: the results file (`bench/results.json`) and the ratios with targets;
//! - [`machine`]: which machine the numbers come from;
//! - [`render`]: the book's tables and plots, made from the results file alone.
//!
//! `bench/run` builds everything and runs the `bench` binary; `bench_case`
//! is the set of small programs it times besides pipe1, pipe2 and pipe2_fast.

pub mod cases;
pub mod machine;
pub mod render;
pub mod results;

use std::path::PathBuf;

/// The workspace's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// The committed results file.
pub fn results_file() -> PathBuf {
    root().join("bench/results.json")
}

/// Where the book's generated tables and plots live.
pub fn book_dir() -> PathBuf {
    root().join("book/src/speed")
}
