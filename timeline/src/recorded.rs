//! A trace read back: the events of one run (`--trace`, in the format of
//! the `trace_format` crate, whose types are used here as they are), the
//! writes and reads of each pipe in order, and the check that they are a run
//! pipes can make.

use std::fmt;

pub use trace_format::{Bytes, Event, Line, Role, Until};

/// A write or a read: the bytes it moved, its pipe, and where they sit in
/// the stream of all bytes through that pipe. A write's bytes are its
/// message and the frame after it (see [`Stream::frame`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The index of the event in [`Run::events`].
    pub event: usize,
    /// Its pipe: the index in [`Run::pipes`].
    pub pipe: usize,
    /// Where its bytes start in its pipe's stream.
    pub offset: usize,
    pub data: Vec<u8>,
}

impl Transfer {
    /// The stream positions it covers.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.data.len()
    }
}

/// One pipe of a run: what went in, and what came out.
#[derive(Debug, Clone)]
pub struct Stream {
    /// The pipe's inode number, as the trace names it (`None`: the trace
    /// names no pipe, and has one).
    pub pipe: Option<u64>,
    /// Its writes, in time order.
    pub writes: Vec<Transfer>,
    /// Its reads that returned data, in time order.
    pub reads: Vec<Transfer>,
    /// What follows each message in the bytes read (`\n` for pipe2 and
    /// pipes), or `None` if the reads are not the messages with one frame.
    pub frame: Option<Vec<u8>>,
}

/// A thread that recorded: its process and its role. A timeline draws one
/// lane for each.
pub type Lane = (u32, Role);

/// The lane of `line`.
pub fn lane(line: &Line) -> Lane {
    (line.pid, line.role)
}

/// A whole trace, its events sorted by time.
#[derive(Debug, Clone)]
pub struct Run {
    pub events: Vec<Line>,
    /// Every write, of every pipe, in time order.
    pub writes: Vec<Transfer>,
    /// Every read that returned data, of every pipe, in time order.
    pub reads: Vec<Transfer>,
    /// Each pipe, in the order of the first event that names it.
    pub pipes: Vec<Stream>,
    /// The frame of every pipe, where they have the same one (see
    /// [`Stream::frame`]); `None` if one has none, or two differ.
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
    /// skipped), sorted by when each event began; then find each pipe's
    /// writes, its reads and its frame. A write or read that names no pipe
    /// is of the one pipe the others name (see the `trace_format` crate).
    /// An error names the first line that is not a [`Line`], says that
    /// there is none, or that a trace of several pipes leaves one out.
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
        let moves = |e: &Line| matches!(e.event, Event::Read { .. } | Event::Write { .. });
        // The pipes bytes move through, or wait for (a reply held in a
        // buffer, a read that never returned), in the order they are named.
        let waits = |e: &Line| matches!(e.event, Event::Buffered { .. } | Event::Stuck { .. });
        let mut named: Vec<u64> = Vec::new();
        for pipe in events.iter().filter(|e| moves(e) || waits(e)).filter_map(|e| e.event.pipe()) {
            if !named.contains(&pipe) {
                named.push(pipe);
            }
        }
        if named.len() > 1
            && let Some(e) = events.iter().find(|e| moves(e) && e.event.pipe().is_none())
        {
            return fail(format!(
                "the {} at {} names no pipe, in a trace of {} pipes",
                e.event.name(),
                e.t,
                named.len()
            ));
        }
        let index = |e: &Line| e.event.pipe().and_then(|p| named.iter().position(|&n| n == p));
        let mut pipes: Vec<Stream> =
            if named.is_empty() { vec![None] } else { named.iter().copied().map(Some).collect() }
                .into_iter()
                .map(|pipe| Stream { pipe, writes: Vec::new(), reads: Vec::new(), frame: None })
                .collect();
        let mut reads: Vec<Transfer> = Vec::new();
        let mut messages: Vec<Vec<(usize, Vec<u8>)>> = vec![Vec::new(); pipes.len()];
        for (i, event) in events.iter().enumerate() {
            let pipe = index(event).unwrap_or(0);
            match &event.event {
                Event::Read { data, .. } => {
                    let offset = pipes[pipe].reads.last().map_or(0, |last| last.range().end);
                    let read = Transfer { event: i, pipe, offset, data: data.0.clone() };
                    pipes[pipe].reads.push(read.clone());
                    reads.push(read);
                }
                Event::Write { message, .. } => messages[pipe].push((i, message.0.clone())),
                _ => {}
            }
        }
        let mut writes = Vec::new();
        for (pipe, (stream, messages)) in pipes.iter_mut().zip(messages).enumerate() {
            let flow: Vec<u8> = stream.reads.iter().flat_map(|r| r.data.iter().copied()).collect();
            let only: Vec<&[u8]> = messages.iter().map(|(_, m)| m.as_slice()).collect();
            stream.frame = frame(&only, &flow);
            let mut offset = 0;
            for (event, message) in messages {
                let mut data = message;
                data.extend(stream.frame.as_deref().unwrap_or_default());
                let len = data.len();
                stream.writes.push(Transfer { event, pipe, offset, data });
                offset += len;
            }
            writes.extend(stream.writes.iter().cloned());
        }
        writes.sort_by_key(|w| w.event);
        let first = pipes[0].frame.clone();
        let frame = first.filter(|f| pipes.iter().all(|s| s.frame.as_ref() == Some(f)));
        Ok(Run { events, writes, reads, pipes, frame })
    }

    /// The first event's time: the timeline's zero.
    pub fn start(&self) -> u64 {
        self.events.first().map_or(0, |e| e.t)
    }

    /// The lanes, in the order of their first event.
    pub fn lanes(&self) -> Vec<Lane> {
        let mut lanes: Vec<Lane> = Vec::new();
        for line in &self.events {
            if !lanes.contains(&lane(line)) {
                lanes.push(lane(line));
            }
        }
        lanes
    }

    /// The writes whose bytes `read` returned (some may be only in part):
    /// those of its pipe whose range of the stream overlaps the read's.
    ///
    /// The writes lie one after the other in the stream, so their starts and
    /// their ends both go up: the writes that end after the read begins are
    /// all those after some point, the writes that begin before it ends all
    /// those before another: two binary searches find them. (A scan of
    /// every write for each read took time that grows with the square of
    /// the trace: 30 s for 150,000 lines.)
    pub fn sources(&self, read: &Transfer) -> &[Transfer] {
        let writes = &self.pipes[read.pipe].writes;
        let range = read.range();
        let first = writes.partition_point(|w| w.range().end <= range.start);
        let last = writes.partition_point(|w| w.range().start < range.end);
        &writes[first..last.max(first)]
    }

    /// Check that pipes could have made this run:
    ///
    /// - every event's `end` is not before its `t`; a read's `bytes` counts
    ///   its `data`, a write's its message and the frame after it;
    /// - in each lane (a thread), one write at a time and one read at a
    ///   time, each after the last;
    /// - each pipe's reads returned exactly the bytes written into it, in
    ///   the same order;
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
        for lane in self.lanes() {
            for (name, list) in [("write", &self.writes), ("read", &self.reads)] {
                let mine: Vec<&Line> = (list.iter().map(|x| &self.events[x.event]))
                    .filter(|e| self::lane(e) == lane)
                    .collect();
                for pair in mine.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    if b.t < a.end() {
                        return fail(format!(
                            "the {name} at {} begins before the one at {} ended",
                            b.t, a.t
                        ));
                    }
                }
            }
        }
        for stream in &self.pipes {
            let read: Vec<u8> = stream.reads.iter().flat_map(|r| r.data.iter().copied()).collect();
            if stream.frame.is_none() {
                let messages: Vec<String> = (stream.writes.iter())
                    .map(|w| match &self.events[w.event].event {
                        Event::Write { message, .. } => {
                            String::from_utf8_lossy(&message.0).into_owned()
                        }
                        _ => String::new(),
                    })
                    .collect();
                let which = match stream.pipe {
                    Some(pipe) if self.pipes.len() > 1 => format!(" of pipe {pipe}"),
                    _ => String::new(),
                };
                return fail(format!(
                    "the reads{which} returned {:?}, which is not the messages written {messages:?}, in order, each with the same frame",
                    String::from_utf8_lossy(&read),
                ));
            }
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

/// The write or read of the event at `index` in [`Run::events`], in `list`
/// (a run's `writes` or `reads`): `list` is in the order of the events, so
/// a binary search finds it.
pub fn transfer(list: &[Transfer], index: usize) -> Option<&Transfer> {
    list.binary_search_by_key(&index, |t| t.event).ok().map(|i| &list[i])
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
        reader(t, Event::Read { end: t + 1, fd: 3, pipe: None, asked: 32, bytes, data })
    }

    /// A write of `bytes` bytes (message `Spam 000`), then a read of `data`.
    fn one_write(bytes: u64, data: &[u8]) -> Result<(), Impossible> {
        let message = Bytes(b"Spam 000".to_vec());
        let write =
            writer(1, Event::Write { end: 2, fd: None, pipe: None, bytes: Some(bytes), message });
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
            let write =
                Event::Write { end: 2 * n + 1, fd: None, pipe: None, bytes: None, message: bytes };
            lines.push(writer(2 * n, write));
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
