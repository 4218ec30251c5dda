//! The format of a `--trace` file, defined once: the programs write it
//! (`common::trace`) and the `timeline` crate reads it, both through the
//! types below and `serde_json`.
//!
//! A trace is one JSON object a line (JSON Lines), a [`Line`] each:
//!
//! - `t`: when the event began, in nanoseconds of the system's monotonic
//!   clock (`CLOCK_MONOTONIC`: counted from an arbitrary start, the same for
//!   every process of the machine, never set back), so the parent's and the
//!   forked child's stamps compare. An event that takes time (a sleep, a
//!   write, a read) has `end` too, when it returned, on the same clock;
//! - `pid`: the process that recorded it;
//! - `role`: `"writer"` (the child, or pipe_thread's writer thread) or
//!   `"reader"` (the parent, or pipe_thread's main thread) where one side
//!   only writes and the other only reads; `"parent"` or `"child"` where a
//!   process does both (pipes: see [`Role`]);
//! - `event`, the name of its kind, and the fields of that kind: see [`Event`].
//!
//! # Any number of pipes and processes
//!
//! A trace is not limited to one pipe and two sides:
//!
//! - each thread that records is a *lane*: its `pid` and `role` together
//!   (pipe_thread's two threads share a pid and differ in role; pipes'
//!   parent and child differ in pid). A program of many processes gives each
//!   its own pid, all recording as `"child"` under one `"parent"`, say;
//! - each `read`, `eof`, `write`, `holds` and `exit` may name its pipe,
//!   `pipe`: the pipe's inode number, which `fstat` gives each of its ends
//!   (`/proc/<pid>/fd` shows it as `pipe:[<inode>]`). It is the same in
//!   every process, whatever descriptor number stands for the pipe there
//!   (pipes' parent reads its replies on fd 0, where its child reads the
//!   greetings: two pipes, one number);
//! - a trace may leave `pipe` out only where it has one pipe: every trace
//!   recorded before there were two (the `timeline/runs/` of pipe1, pipe2,
//!   pipe_thread), and pipe1's and pipe2's writes, whose `send` does not say
//!   which descriptor it writes to. A reader of a trace takes the events
//!   without `pipe` to be of the one pipe the others name, and refuses a
//!   trace that names two pipes or more and leaves `pipe` out somewhere.
//!
//! A process started by `exec` records into the same file: the program
//! that forks passes the file's path across `exec` in its environment (pipes:
//! `PIPES_TRACE`), and the new program appends to it (see `common::trace`).
//!
//! `data` and `message` are bytes as a JSON string, one character per byte
//! (U+0000 to U+00FF): `"Spam 000"`, `"Spam 000\n"` (see [`Bytes`]).
//!
//! Each line is written when its event has ended, so the lines are not quite
//! in the order of `t`: sort by `t`.
//!
//! ```text
//! {"t":361739174378,"pid":17406,"role":"reader","event":"fork","child":17407}
//! {"t":361740264333,"pid":17407,"role":"writer","event":"start"}
//! {"t":361740264333,"pid":17407,"role":"writer","event":"sleep","end":361740270302,"ticks":0,"tick_ns":100000000}
//! {"t":361740270302,"pid":17407,"role":"writer","event":"write","end":361740309050,"bytes":8,"message":"Spam 000"}
//! {"t":361740004970,"pid":17406,"role":"reader","event":"read","end":361740315521,"fd":3,"asked":32,"bytes":8,"data":"Spam 000"}
//! ```
//!
//! The book's table of events (book/src/timelines.md) is checked against
//! these types, field by field, by this crate's test `book`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// One line of a trace: an event, when it began, and who recorded it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// When the event began: nanoseconds of the monotonic clock.
    pub t: u64,
    /// The process that recorded it.
    pub pid: u32,
    /// Which side of the pipe recorded it.
    pub role: Role,
    /// What happened: the field `event` and the fields of its kind.
    #[serde(flatten)]
    pub event: Event,
}

impl Line {
    /// The line as JSON text, without its newline: the fields in the order
    /// `t`, `pid`, `role`, `event`, then those of the event's kind. An error
    /// only if serde_json fails, which these types never make it do.
    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }

    /// Read one line of a trace. An error says what is wrong with it: not
    /// JSON, a field missing or unknown, a kind of event not in [`Event`],
    /// a character above U+00FF in `data` or `message`.
    pub fn from_json(text: &str) -> serde_json::Result<Line> {
        serde_json::from_str(text)
    }

    /// When the event ended: its `end`, or its `t` for an event without one.
    pub fn end(&self) -> u64 {
        self.event.end().unwrap_or(self.t)
    }
}

/// Which part a thread plays: with its process's `pid`, the lane it is
/// drawn in.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The parent, or pipe_thread's main thread: it reads.
    Reader,
    /// The forked child, or pipe_thread's new thread: it writes.
    Writer,
    /// A process that starts others and both writes and reads (pipes'
    /// parent: it writes the greetings and reads the replies).
    Parent,
    /// A process started by a `parent`, before and after `exec`, which both
    /// reads and writes (pipes' child: it reads the greetings and writes the
    /// replies). A run of several children has one pid each.
    Child,
}

/// What happened, with the fields of its kind. In the JSON the kind is the
/// field `event` (`"fork"`, `"forked"`, ...: the variant's name in lower
/// case), and the fields follow it in the order given here.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "event", rename_all = "lowercase", deny_unknown_fields)]
pub enum Event {
    /// `fork()` returned in the parent.
    Fork {
        /// The new process's id.
        child: u32,
    },
    /// `fork()` returned in the child.
    Forked {
        /// The parent's process id.
        parent: u32,
    },
    /// The pipe ends this process holds, as `--show-fds` prints them
    /// (`fstat` and `fcntl` on each descriptor), recorded where the program calls `show_fds`:
    /// after the fork, after pipe2's closes.
    Holds {
        /// Who the program said it is: `"parent"`, `"child"`, ...
        who: String,
        /// The pipe's inode number (see the crate's doc); left out in traces
        /// of one pipe.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pipe: Option<u64>,
        /// The ends, as `--show-fds` lists them: `fd 3 (read end), fd 4 (write end)`.
        ends: String,
    },
    /// The program's work is done and its process exits, after a `holds`
    /// only.
    Exit {
        /// As in its `holds`.
        who: String,
        /// As in its `holds`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pipe: Option<u64>,
        /// The ends it still holds, as in `holds`: none (`""`) once every
        /// owner was dropped.
        ends: String,
    },
    /// The writer starts sending (pipe_thread: in the new thread).
    Start {},
    /// The writer's time before its next write: `thread::sleep` for `ticks`
    /// ticks of `tick_ns` nanoseconds.
    Sleep { end: u64, ticks: u64, tick_ns: u64 },
    /// The writer's `send` of one message: one `write` into the pipe (a
    /// parent's or child's too, in a two-way run). A write that failed is
    /// left out.
    ///
    /// A write names its message and counts its bytes, but does not copy
    /// them: the write happens in the program's own `send` closure (pipe2
    /// adds a newline). The reads record every byte, so the bytes of each
    /// write are found in them: the message, and the frame that follows it,
    /// `bytes` long in all.
    Write {
        end: u64,
        /// The descriptor written to, where the program says it (pipes);
        /// left out by pipe1's and pipe2's `send`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fd: Option<u64>,
        /// The pipe written to (its inode number), where known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pipe: Option<u64>,
        /// What the kernel counted (Linux's `wchar` of the writer thread,
        /// before and after `send`); left out on other systems.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bytes: Option<u64>,
        /// The message `send` was given: `Spam 000`.
        message: Bytes,
    },
    /// One `read` from the pipe that returned `bytes` bytes: `t` when it was
    /// called, `end` when it returned.
    Read {
        end: u64,
        /// The descriptor read from.
        fd: u64,
        /// The pipe read from (its inode number); left out in the traces
        /// recorded before there were two pipes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pipe: Option<u64>,
        /// The most bytes the read could return: the buffer's size.
        asked: u64,
        /// How many it returned, the length of `data`.
        bytes: u64,
        /// The bytes it returned.
        data: Bytes,
    },
    /// A `read` that returned 0 bytes: every write end is closed.
    Eof {
        end: u64,
        fd: u64,
        /// As in `read`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pipe: Option<u64>,
        asked: u64,
    },
    /// `--late-reader`'s wait before the first read.
    Wait {
        end: u64,
        /// Why it stopped waiting.
        until: Until,
    },
}

impl Event {
    /// The kind's name, as the field `event` spells it: `"fork"`, ...
    pub fn name(&self) -> &'static str {
        match self {
            Event::Fork { .. } => "fork",
            Event::Forked { .. } => "forked",
            Event::Holds { .. } => "holds",
            Event::Exit { .. } => "exit",
            Event::Start {} => "start",
            Event::Sleep { .. } => "sleep",
            Event::Write { .. } => "write",
            Event::Read { .. } => "read",
            Event::Eof { .. } => "eof",
            Event::Wait { .. } => "wait",
        }
    }

    /// The pipe it names, if it names one (see the crate's doc).
    pub fn pipe(&self) -> Option<u64> {
        match *self {
            Event::Holds { pipe, .. }
            | Event::Exit { pipe, .. }
            | Event::Write { pipe, .. }
            | Event::Read { pipe, .. }
            | Event::Eof { pipe, .. } => pipe,
            Event::Fork { .. }
            | Event::Forked { .. }
            | Event::Start {}
            | Event::Sleep { .. }
            | Event::Wait { .. } => None,
        }
    }

    /// When it ended, for an event that takes time.
    pub fn end(&self) -> Option<u64> {
        match *self {
            Event::Sleep { end, .. }
            | Event::Write { end, .. }
            | Event::Read { end, .. }
            | Event::Eof { end, .. }
            | Event::Wait { end, .. } => Some(end),
            Event::Fork { .. }
            | Event::Forked { .. }
            | Event::Holds { .. }
            | Event::Exit { .. }
            | Event::Start {} => None,
        }
    }
}

/// Why `--late-reader` stopped waiting.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Until {
    /// The writer had finished: every message is in the pipe.
    Finished,
    /// The pipe was full and the writer had more to send: waiting longer
    /// would have deadlocked.
    Full,
}

/// Bytes, written in JSON as a string of one character per byte: byte `b`
/// is the character U+00`b` (`b"Spam 000\n"` is `"Spam 000\n"`, byte 255 is
/// `"ÿ"`). Reading a string with a character above U+00FF is an error.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text: String = self.0.iter().map(|&b| char::from(b)).collect();
        serializer.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Bytes, D::Error> {
        deserializer.deserialize_str(BytesVisitor)
    }
}

struct BytesVisitor;

impl Visitor<'_> for BytesVisitor {
    type Value = Bytes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string of characters U+0000 to U+00FF, one per byte")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Bytes, E> {
        let bytes = text.chars().map(|c| u8::try_from(c).map_err(|_| c));
        match bytes.collect::<Result<Vec<u8>, char>>() {
            Ok(bytes) => Ok(Bytes(bytes)),
            Err(c) => Err(E::custom(format!("{c:?} is not a byte"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(event: Event) -> Line {
        Line { t: 12, pid: 7, role: Role::Writer, event }
    }

    #[test]
    fn a_line_is_one_json_object_with_its_fields_in_order() {
        let write = line(Event::Write {
            end: 15,
            fd: None,
            pipe: None,
            bytes: Some(8),
            message: Bytes(b"Spam 000".into()),
        });
        assert_eq!(
            write.to_json().unwrap(),
            r#"{"t":12,"pid":7,"role":"writer","event":"write","end":15,"bytes":8,"message":"Spam 000"}"#
        );
        let message = Bytes(b"x".into());
        let uncounted = line(Event::Write { end: 15, fd: None, pipe: None, bytes: None, message });
        let text = uncounted.to_json().unwrap();
        assert_eq!(
            text,
            r#"{"t":12,"pid":7,"role":"writer","event":"write","end":15,"message":"x"}"#
        );
        assert_eq!(Line::from_json(&text).unwrap(), uncounted, "bytes left out is None");
    }

    #[test]
    fn bytes_are_one_character_each_and_read_back_the_same() {
        let all: Vec<u8> = (0..=255).collect();
        let data = Bytes(all);
        let read = line(Event::Read { end: 1, fd: 3, pipe: None, asked: 256, bytes: 256, data });
        let text = read.to_json().unwrap();
        assert!(text.contains(r#""data":"\u0000\u0001"#), "{text}");
        assert!(text.contains(r#"\n\u000b\f\r"#) && text.contains(r##"!\"#$"##), "{text}");
        assert!(text.ends_with("ýþÿ\"}"), "{text}");
        assert_eq!(Line::from_json(&text).unwrap(), read);
    }

    #[test]
    fn a_two_way_line_names_its_pipe_and_a_line_of_one_pipe_need_not() {
        let greeting = Line {
            t: 5,
            pid: 8,
            role: Role::Parent,
            event: Event::Write {
                end: 6,
                fd: Some(1),
                pipe: Some(4242),
                bytes: Some(11),
                message: Bytes(b"Greeting 1".into()),
            },
        };
        let text = greeting.to_json().unwrap();
        assert_eq!(
            text,
            r#"{"t":5,"pid":8,"role":"parent","event":"write","end":6,"fd":1,"pipe":4242,"bytes":11,"message":"Greeting 1"}"#
        );
        assert_eq!(Line::from_json(&text).unwrap(), greeting);
        assert_eq!(greeting.event.pipe(), Some(4242));
        // A line of the traces recorded before there were two pipes.
        let old = r#"{"t":1,"pid":2,"role":"reader","event":"read","end":2,"fd":3,"asked":8,"bytes":1,"data":"x"}"#;
        let old = Line::from_json(old).unwrap();
        assert_eq!(old.event.pipe(), None);
        let child =
            r#"{"t":1,"pid":2,"role":"child","event":"eof","end":2,"fd":0,"pipe":7,"asked":8}"#;
        assert_eq!(Line::from_json(child).unwrap().role, Role::Child);
    }

    #[test]
    fn a_character_above_u00ff_is_no_byte() {
        let text = r#"{"t":1,"pid":2,"role":"reader","event":"read","end":2,"fd":3,"asked":8,"bytes":1,"data":"ā"}"#;
        let e = Line::from_json(text).unwrap_err().to_string();
        assert!(e.starts_with("'ā' is not a byte"), "{e}");
    }

    #[test]
    fn unknown_kinds_unknown_fields_and_missing_fields_are_refused() {
        for (text, why) in [
            (r#"{"t":1,"pid":2,"role":"reader","event":"close"}"#, "unknown variant `close`"),
            (r#"{"t":1,"pid":2,"role":"reader","event":"start","fd":3}"#, "unknown field `fd`"),
            (
                r#"{"t":1,"pid":2,"role":"reader","event":"fork","child":3,"fd":3}"#,
                "unknown field `fd`",
            ),
            (r#"{"t":1,"pid":2,"role":"reader","event":"fork"}"#, "missing field `child`"),
            (r#"{"t":1,"pid":2,"event":"start"}"#, "missing field `role`"),
            (r#"{"t":1,"pid":2,"role":"spam","event":"start"}"#, "unknown variant `spam`"),
            (r#"{"t":1,"pid":2,"role":"reader","event":"start","pipe":3}"#, "unknown field `pipe`"),
        ] {
            let e = Line::from_json(text).unwrap_err().to_string();
            assert!(e.starts_with(why), "{text}: {e}");
        }
    }
}
