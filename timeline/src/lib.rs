//! Pictures of real runs of the examples, for the book.
//!
//! - [`recorded`]: a `--trace` file read back, and the check that it is a run a
//!   pipe can make;
//! - [`draw::timeline`]: that run as a timeline (SVG); a run both ways, of
//!   two pipes, as [`two_way`] draws it;
//! - [`holders`]: a `--show-fds` output, or a trace's `holds` events stage
//!   by stage, as a picture of who holds which end.
//!
//! The pictures are SVG written by hand, drawn in the colour of the text
//! around them (`currentColor`), so that they read on the book's light and
//! dark themes; they scale down to a phone's width.

pub mod draw;
pub mod holders;
pub mod recorded;
pub mod svg;
pub mod two_way;
