//! The book's listings of code the compiler refuses: each `.rs` file in
//! `tests/compile_fail/` must fail to compile with exactly the message in
//! the `.stderr` file beside it, which the book includes. When a new
//! compiler words a message differently, this test fails; look at the new
//! message and write it with `TRYBUILD=overwrite cargo test -p pipe2 --test
//! compile_fail`.

#[cfg(unix)] // the cases fork and use nix
#[test]
fn the_compiler_refuses_what_the_book_says_it_refuses() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
