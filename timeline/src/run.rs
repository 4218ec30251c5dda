//! A trace read back: the events of one run (`--trace`, see `common::trace`
//! for the format), the writes and reads in order, and the check that they
//! are a run a pipe can make.

use std::fmt;

use serde::Deserialize;

/// Which side of the pipe recorded an event.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Writer,
    Reader,
}

/// What happened.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Fork,
    Forked,
    Holds,
    Start,
    Sleep,
    Write,
    Read,
    Eof,
    Wait,
    Exit,
}

/// One line of a trace.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub t: u64,
    pub pid: u32,
    pub role: Role,
    pub event: Kind,
    pub end: Option<u64>,
    pub child: Option<u32>,
    pub parent: Option<u32>,
    pub ticks: Option<u64>,
    pub tick_ns: Option<u64>,
    pub fd: Option<u64>,
    pub asked: Option<u64>,
    pub bytes: Option<u64>,
    pub data: Option<String>,
    pub message: Option<String>,
    pub who: Option<String>,
    pub ends: Option<String>,
    pub until: Option<String>,
}

impl Event {
    /// When it ended (its start, for an event without a duration).
    pub fn end(&self) -> u64 {
        self.end.unwrap_or(self.t)
    }

    /// The bytes of `data` (a read's): each character of the JSON string is one byte.
    pub fn data(&self) -> Result<Vec<u8>, String> {
        bytes(self.data.as_deref().unwrap_or_default())
    }

    /// The bytes of `message` (a write's).
    pub fn message(&self) -> Result<Vec<u8>, String> {
        bytes(self.message.as_deref().unwrap_or_default())
    }
}

fn bytes(text: &str) -> Result<Vec<u8>, String> {
    text.chars().map(|c| u8::try_from(c).map_err(|_| format!("{c:?} is not a byte"))).collect()
}

/// A write or a read: the bytes it moved and where they sit in the stream of
/// all bytes through the pipe. A write's bytes are its message and the frame
/// after it (see [`Run::frame`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The index of the event in [`Run::events`].
    pub event: usize,
    /// Where its bytes start in the stream.
    pub offset: usize,
    pub data: Vec<u8>,
}

impl Transfer {
    /// The stream positions it covers.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.data.len()
    }
}

/// A whole trace, its events sorted by time.
#[derive(Debug, Clone)]
pub struct Run {
    pub events: Vec<Event>,
    /// Every write, in time order.
    pub writes: Vec<Transfer>,
    /// Every read that returned data, in time order.
    pub reads: Vec<Transfer>,
    /// What follows each message in the bytes read (`\n` for pipe2), or
    /// `None` if the reads are not the messages with one frame.
    pub frame: Option<Vec<u8>>,
}

/// A trace that cannot be a run of a pipe, or cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impossible(pub String);

impl fmt::Display for Impossible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Impossible {}

fn fail<T>(why: impl Into<String>) -> Result<T, Impossible> {
    Err(Impossible(why.into()))
}

impl Run {
    /// Read a trace: one JSON object a line.
    pub fn parse(text: &str) -> Result<Run, Impossible> {
        let mut events = Vec::new();
        for (n, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
            let event: Event = serde_json::from_str(line)
                .map_err(|e| Impossible(format!("line {}: {e}", n + 1)))?;
            events.push(event);
        }
        if events.is_empty() {
            return fail("no events: the trace is empty");
        }
        // Each line is written when its event has ended: sort by when it began.
        events.sort_by_key(|e| (e.t, e.end()));
        let at = |e: &Event| format!("the {:?} at {}", e.event, e.t);
        let mut reads: Vec<Transfer> = Vec::new();
        let mut messages = Vec::new();
        for (i, event) in events.iter().enumerate() {
            match event.event {
                Kind::Read => {
                    let data =
                        event.data().map_err(|e| Impossible(format!("{}: {e}", at(event))))?;
                    let offset = reads.last().map_or(0, |last| last.range().end);
                    reads.push(Transfer { event: i, offset, data });
                }
                Kind::Write => {
                    let message =
                        event.message().map_err(|e| Impossible(format!("{}: {e}", at(event))))?;
                    messages.push((i, message));
                }
                _ => {}
            }
        }
        let stream: Vec<u8> = reads.iter().flat_map(|r| r.data.iter().copied()).collect();
        let only: Vec<&[u8]> = messages.iter().map(|(_, m)| m.as_slice()).collect();
        let frame = frame(&only, &stream);
        let mut writes = Vec::new();
        let mut offset = 0;
        for (event, message) in messages {
            let mut data = message;
            data.extend(frame.as_deref().unwrap_or_default());
            let len = data.len();
            writes.push(Transfer { event, offset, data });
            offset += len;
        }
        Ok(Run { events, writes, reads, frame })
    }

    /// The first event's time: the timeline's zero.
    pub fn start(&self) -> u64 {
        self.events.first().map_or(0, |e| e.t)
    }

    /// The writes whose bytes `read` returned (some may be only in part):
    /// those whose range of the stream overlaps the read's.
    ///
    /// The writes lie one after the other in the stream, so their starts and
    /// their ends both go up: the writes that end after the read begins are
    /// all those after some point, the writes that begin before it ends all
    /// those before another: two binary searches find them. (A scan of
    /// every write for each read took time that grows with the square of
    /// the trace: 30 s for 150,000 lines.)
    pub fn sources(&self, read: &Transfer) -> &[Transfer] {
        let range = read.range();
        let first = self.writes.partition_point(|w| w.range().end <= range.start);
        let last = self.writes.partition_point(|w| w.range().start < range.end);
        &self.writes[first..last.max(first)]
    }

    /// Check that a pipe could have made this run:
    ///
    /// - every event's `end` is not before its `t`; a read's `bytes` counts
    ///   its `data`, a write's its message and the frame after it;
    /// - one write at a time, one read at a time, each after the last;
    /// - the reads returned exactly the bytes written, in the same order;
    /// - no read returned a byte before the write of that byte began.
    pub fn check(&self) -> Result<(), Impossible> {
        for e in &self.events {
            if e.end() < e.t {
                return fail(format!("{:?} at {} ends before it begins", e.event, e.t));
            }
            if let (Some(bytes), Kind::Read) = (e.bytes, e.event) {
                let data = e.data().map_err(Impossible)?;
                if data.len() as u64 != bytes {
                    return fail(format!("{:?} at {}: bytes {bytes}, data {data:?}", e.event, e.t));
                }
            }
        }
        for w in &self.writes {
            let e = &self.events[w.event];
            if let Some(bytes) = e.bytes
                && bytes != w.data.len() as u64
            {
                let data = String::from_utf8_lossy(&w.data);
                return fail(format!(
                    "the write at {} put {bytes} bytes in the pipe, but its message and frame are {data:?}",
                    e.t
                ));
            }
        }
        for (name, list) in [("write", &self.writes), ("read", &self.reads)] {
            for pair in list.windows(2) {
                let (a, b) = (&self.events[pair[0].event], &self.events[pair[1].event]);
                if b.t < a.end() {
                    return fail(format!(
                        "the {name} at {} begins before the one at {} ended",
                        b.t, a.t
                    ));
                }
            }
        }
        let read: Vec<u8> = self.reads.iter().flat_map(|r| r.data.iter().copied()).collect();
        if self.frame.is_none() {
            let messages: Vec<String> = self
                .writes
                .iter()
                .map(|w| {
                    String::from_utf8_lossy(&self.events[w.event].message().unwrap_or_default())
                        .into_owned()
                })
                .collect();
            return fail(format!(
                "the reads returned {:?}, which is not the messages written {messages:?}, in order, each with the same frame",
                String::from_utf8_lossy(&read),
            ));
        }
        for r in &self.reads {
            let returned = self.events[r.event].end();
            for w in self.sources(r) {
                let began = self.events[w.event].t;
                if returned < began {
                    return fail(format!(
                        "the read that returned at {returned} holds bytes of the write that began at {began}"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The frame the writer put after each message: the bytes between the first
/// message and the second in `stream` (or after the only one). `None` unless
/// `stream` is exactly every message followed by that frame, in order.
pub fn frame(messages: &[&[u8]], stream: &[u8]) -> Option<Vec<u8>> {
    let Some(first) = messages.first() else {
        return stream.is_empty().then(Vec::new);
    };
    let rest = stream.strip_prefix(*first)?;
    let frame = match messages.get(1) {
        Some(second) => &rest[..rest.windows(second.len()).position(|w| w == *second)?],
        None => rest,
    };
    let whole: Vec<u8> = messages.iter().flat_map(|m| m.iter().chain(frame)).copied().collect();
    (whole == stream).then(|| frame.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_is_what_follows_each_message() {
        let messages: [&[u8]; 3] = [b"Spam 000", b"Spam 001", b"Spam 002"];
        assert_eq!(frame(&messages, b"Spam 000Spam 001Spam 002"), Some(vec![]));
        assert_eq!(frame(&messages, b"Spam 000\nSpam 001\nSpam 002\n"), Some(b"\n".to_vec()));
        assert_eq!(frame(&messages[..1], b"Spam 000\n"), Some(b"\n".to_vec()));
        assert_eq!(frame(&[], b""), Some(vec![]));
    }

    /// A write of `bytes` bytes (message `Spam 000`), then a read of `data`
    /// (as JSON writes it).
    fn one_write(bytes: u64, data: &str) -> Result<(), Impossible> {
        let n = data.replace("\\n", "\n").len();
        Run::parse(&format!(
            "{{\"t\":1,\"pid\":2,\"role\":\"writer\",\"event\":\"write\",\"end\":2,\"bytes\":{bytes},\"message\":\"Spam 000\"}}\n\
             {{\"t\":3,\"pid\":1,\"role\":\"reader\",\"event\":\"read\",\"end\":4,\"bytes\":{n},\"data\":\"{data}\"}}"
        ))?
        .check()
    }

    #[test]
    fn a_write_counts_its_message_and_its_frame() {
        assert_eq!(one_write(8, "Spam 000"), Ok(()));
        assert_eq!(one_write(9, "Spam 000\\n"), Ok(()));
        let wrong = one_write(8, "Spam 000\\n").unwrap_err();
        assert!(wrong.0.contains("put 8 bytes in the pipe"), "{wrong}");
    }

    /// A trace of `count` messages with `frame` after each, read back in
    /// pieces of 1 to 40 bytes (a fixed pseudo-random sequence).
    fn read_in_pieces(count: u64, frame: &str) -> Run {
        let mut lines = Vec::new();
        let mut stream = String::new();
        for n in 0..count {
            let message = format!("Spam {:03}", n % 5);
            lines.push(format!(
                r#"{{"t":{},"pid":2,"role":"writer","event":"write","end":{},"message":"{message}"}}"#,
                2 * n,
                2 * n + 1
            ));
            stream += &message;
            stream += frame;
        }
        let (mut at, mut t, mut random) = (0, 2 * count, 12345u64);
        while at < stream.len() {
            random = random.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let n = (1 + (random >> 33) as usize % 40).min(stream.len() - at);
            let data = stream[at..at + n].replace('\n', "\\n");
            lines.push(format!(
                r#"{{"t":{t},"pid":1,"role":"reader","event":"read","end":{},"bytes":{n},"data":"{data}"}}"#,
                t + 1
            ));
            (at, t) = (at + n, t + 2);
        }
        Run::parse(&lines.join("\n")).unwrap()
    }

    #[test]
    fn the_sources_of_a_read_are_every_write_it_overlaps_and_no_other() {
        for frame in ["", "\n"] {
            let run = read_in_pieces(500, frame);
            assert!(run.reads.len() > 100, "{}", run.reads.len());
            for read in &run.reads {
                let range = read.range();
                let overlapping: Vec<&Transfer> = (run.writes.iter())
                    .filter(|w| w.range().start < range.end && range.start < w.range().end)
                    .collect();
                let found: Vec<&Transfer> = run.sources(read).iter().collect();
                assert_eq!(found, overlapping, "the read of {range:?}");
            }
        }
    }

    #[test]
    fn no_events_is_no_run() {
        for text in ["", "\n", " \n\t\n"] {
            let why = Run::parse(text).unwrap_err();
            assert_eq!(why.0, "no events: the trace is empty", "{text:?}");
        }
    }

    #[test]
    fn no_frame_when_bytes_are_lost_added_or_out_of_order() {
        let messages: [&[u8]; 3] = [b"Spam 000", b"Spam 001", b"Spam 002"];
        assert_eq!(frame(&messages, b"Spam 000Spam 001"), None, "lost");
        assert_eq!(frame(&messages, b"Spam 000Spam 001Spam 002Spam 003"), None, "added");
        assert_eq!(frame(&messages, b"Spam 000Spam 002Spam 001"), None, "out of order");
        assert_eq!(frame(&messages, b"Spam 000\nSpam 001Spam 002\n"), None, "two frames");
        assert_eq!(frame(&[], b"x"), None, "nothing written");
    }
}
