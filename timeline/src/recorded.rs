//! A trace read back: the events of one run (`--trace`, in the format of
//! the `trace_format` crate, whose types are used here as they are), the
//! writes and reads in order, and the check that they are a run a pipe can
//! make.

use std::fmt;

pub use trace_format::{Bytes, Event, Line, Role, Until};

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
    pub events: Vec<Line>,
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
    /// Read a trace: one JSON object a line (a [`Line`]; blank lines are
    /// skipped), sorted by when each event began; then find its writes, its
    /// reads and the frame. An error names the first line that is not a
    /// [`Line`], or says that there is none.
    pub fn parse(text: &str) -> Result<Run, Impossible> {
        let mut events = Vec::new();
        for (n, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
            let event =
                Line::from_json(line).map_err(|e| Impossible(format!("line {}: {e}", n + 1)))?;
            events.push(event);
        }
        if events.is_empty() {
            return fail("no events: the trace is empty");
        }
        // Each line is written when its event has ended: sort by when it began.
        events.sort_by_key(|e| (e.t, e.end()));
        let mut reads: Vec<Transfer> = Vec::new();
        let mut messages = Vec::new();
        for (i, event) in events.iter().enumerate() {
            match &event.event {
                Event::Read { data, .. } => {
                    let offset = reads.last().map_or(0, |last| last.range().end);
                    reads.push(Transfer { event: i, offset, data: data.0.clone() });
                }
                Event::Write { message, .. } => messages.push((i, message.0.clone())),
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
                return fail(format!("{} at {} ends before it begins", e.event.name(), e.t));
            }
            if let Event::Read { bytes, data, .. } = &e.event
                && data.0.len() as u64 != *bytes
            {
                return fail(format!(
                    "{} at {}: bytes {bytes}, data {data:?}",
                    e.event.name(),
                    e.t
                ));
            }
        }
        for w in &self.writes {
            let e = &self.events[w.event];
            if let Event::Write { bytes: Some(bytes), .. } = e.event
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
                .map(|w| match &self.events[w.event].event {
                    Event::Write { message, .. } => {
                        String::from_utf8_lossy(&message.0).into_owned()
                    }
                    _ => String::new(),
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
    use trace_format::Bytes;

    #[test]
    fn the_frame_is_what_follows_each_message() {
        let messages: [&[u8]; 3] = [b"Spam 000", b"Spam 001", b"Spam 002"];
        assert_eq!(frame(&messages, b"Spam 000Spam 001Spam 002"), Some(vec![]));
        assert_eq!(frame(&messages, b"Spam 000\nSpam 001\nSpam 002\n"), Some(b"\n".to_vec()));
        assert_eq!(frame(&messages[..1], b"Spam 000\n"), Some(b"\n".to_vec()));
        assert_eq!(frame(&[], b""), Some(vec![]));
    }

    /// The trace of `events`, each a line of JSON, as the programs write them.
    fn trace(events: impl IntoIterator<Item = Line>) -> String {
        events.into_iter().map(|line| line.to_json().unwrap() + "\n").collect()
    }

    fn writer(t: u64, event: Event) -> Line {
        Line { t, pid: 2, role: Role::Writer, event }
    }

    fn reader(t: u64, event: Event) -> Line {
        Line { t, pid: 1, role: Role::Reader, event }
    }

    /// A read at `t` of `data`, which returns 1 ns later.
    fn read(t: u64, data: &[u8]) -> Line {
        let (bytes, data) = (data.len() as u64, Bytes(data.to_vec()));
        reader(t, Event::Read { end: t + 1, fd: 3, asked: 32, bytes, data })
    }

    /// A write of `bytes` bytes (message `Spam 000`), then a read of `data`.
    fn one_write(bytes: u64, data: &[u8]) -> Result<(), Impossible> {
        let message = Bytes(b"Spam 000".to_vec());
        let write = writer(1, Event::Write { end: 2, bytes: Some(bytes), message });
        Run::parse(&trace([write, read(3, data)]))?.check()
    }

    #[test]
    fn a_write_counts_its_message_and_its_frame() {
        assert_eq!(one_write(8, b"Spam 000"), Ok(()));
        assert_eq!(one_write(9, b"Spam 000\n"), Ok(()));
        let wrong = one_write(8, b"Spam 000\n").unwrap_err();
        assert!(wrong.0.contains("put 8 bytes in the pipe"), "{wrong}");
    }

    /// A trace of `count` messages with `frame` after each, read back in
    /// pieces of 1 to 40 bytes (a fixed pseudo-random sequence).
    fn read_in_pieces(count: u64, frame: &str) -> Run {
        let mut lines = Vec::new();
        let mut stream = String::new();
        for n in 0..count {
            let message = format!("Spam {:03}", n % 5);
            let bytes = Bytes(message.clone().into_bytes());
            lines.push(writer(2 * n, Event::Write { end: 2 * n + 1, bytes: None, message: bytes }));
            stream += &message;
            stream += frame;
        }
        let (mut at, mut t, mut random) = (0, 2 * count, 12345u64);
        while at < stream.len() {
            random = random.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let n = (1 + (random >> 33) as usize % 40).min(stream.len() - at);
            lines.push(read(t, &stream.as_bytes()[at..at + n]));
            (at, t) = (at + n, t + 2);
        }
        Run::parse(&trace(lines)).unwrap()
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
