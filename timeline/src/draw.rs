//! A run as a timeline: time runs down the page, the writer's lane on the
//! left, the reader's on the right, the bytes waiting in the pipe between
//! them.
//!
//! Each event is a row, in time order, with its time (milliseconds since the
//! run began) in the left column. A wait longer than a millisecond adds a
//! little space but is not drawn to scale: a 400 ms sleep would otherwise
//! squeeze the microseconds between a write and its read into one line. The
//! time column says how long each wait was.

use crate::recorded::{Event, Line, Role, Run, Transfer, Until, transfer};
use crate::svg::{Anchor, Place, Svg, literal};

/// The picture's width, and where its columns stand. Narrow enough that on a
/// phone (a column of about 360 px) the picture is drawn at nearly its own
/// size, so that its text stays as large as the page's small print.
const WIDTH: f64 = 400.0;
/// The time column's right edge: room for `9999.999`.
const TIME_X: f64 = 58.0;
/// The writer's lane: its labels, right of the time column, end 10 px
/// before it: room for `b"Spam 000\n"`.
const WRITER_X: f64 = 170.0;
const PIPE_X: f64 = 182.0;
const PIPE_WIDTH: f64 = 58.0;
const READER_X: f64 = 256.0;
/// The first row, below the header.
const TOP: f64 = 64.0;
/// One line of a row.
const ROW: f64 = 18.0;
/// The space a wait of more than [`LONG_WAIT`] adds.
const GAP: f64 = 16.0;
const LONG_WAIT: u64 = 1_000_000;
/// Bytes a read's label shows on one line, where it can: one message (with
/// pipe2's newline), so that the label fits the narrow picture.
const LABEL_BYTES: usize = 10;

/// The width of one character of the labels' monospace font (12 px, and
/// monospace fonts are about 0.6 em wide).
const MONO_CHAR: f64 = 7.2;

/// The class of a timeline's elements (see [`crate::svg::style`]).
const CLASS: &str = "pipe-timeline";

/// One row: an event placed at a time.
struct Row<'a> {
    at: u64,
    /// The event's index in [`Run::events`].
    index: usize,
    event: &'a Line,
    /// The lines of its label.
    lines: usize,
}

/// Draw `run` as an SVG timeline: a run of one pipe, a writer and a reader
/// (pipe1, pipe2, pipe_thread) as this module draws it; a run of several
/// pipes, or of processes that each write and read (pipes), as
/// [`crate::two_way`] does.
pub fn timeline(run: &Run, title: &str) -> String {
    if crate::two_way::applies(run) {
        return crate::two_way::timeline(run, title);
    }
    let rows = rows(run);
    let mut y = Vec::with_capacity(rows.len());
    let mut next = TOP;
    for (i, row) in rows.iter().enumerate() {
        if i > 0 && row.at - rows[i - 1].at > LONG_WAIT {
            next += GAP;
        }
        y.push(next);
        next += ROW * row.lines as f64;
    }
    let bottom = next;
    let place = Place { times: rows.iter().map(|r| r.at).collect(), y: y.clone(), top: TOP };
    let mut svg = Svg::default();

    header(&mut svg, run);
    lanes(&mut svg, &rows, &y, bottom);
    bytes_waiting(&mut svg, run, &place);
    for event in run.events.iter().filter(|e| matches!(e.event, Event::Sleep { .. })) {
        sleep(&mut svg, event, &place);
    }
    for wait in run.events.iter().filter(|e| matches!(e.event, Event::Wait { .. })) {
        // --late-reader: the reader waits here before its first read.
        let (top, end) = (place.y(wait.t), place.y(wait.end()));
        svg.rect((READER_X - 3.0, top), (6.0, end - top), "mark faint-fill");
    }
    for read in &run.reads {
        let event = &run.events[read.event];
        let (top, end) = (place.y(event.t), place.y(event.end()));
        if end - top > 4.0 {
            // Blocked in read: the reader waits here until data comes.
            svg.rect((READER_X - 3.0, top), (6.0, end - top), "mark faint-fill");
        }
    }
    for (row, &y) in rows.iter().zip(&y) {
        draw_row(&mut svg, run, row, y);
    }
    joins(&mut svg, run, &place);
    let height = legend(&mut svg, bottom + 10.0);
    svg.finish(CLASS, title, (WIDTH, height))
}

/// Which events get a row, and at which of their times.
fn rows(run: &Run) -> Vec<Row<'_>> {
    let forked = run.events.iter().any(|e| matches!(e.event, Event::Fork { .. }));
    // The fork's row: where the first of the two processes got back from
    // `fork` (often the child, before the parent hears of it).
    let child_back =
        run.events.iter().find(|e| matches!(e.event, Event::Forked { .. })).map(|e| e.t);
    let mut rows: Vec<Row> = run
        .events
        .iter()
        .enumerate()
        .filter_map(|(index, event)| {
            let (at, lines) = match event.event {
                Event::Fork { .. } => (child_back.map_or(event.t, |t| t.min(event.t)), 1),
                Event::Eof { .. } => (event.end(), 1),
                Event::Wait { .. } => (event.t, 2),
                Event::Start {} if !forked => (event.t, 1),
                Event::Write { .. } => (event.t, 1),
                Event::Holds { .. } => (event.t, 2),
                Event::Exit { .. } => (event.t, 2),
                Event::Read { .. } => {
                    let read = transfer(&run.reads, index);
                    let lines = read.map_or(1, |r| label_lines(run, r).len());
                    let clumped = read.is_some_and(|r| run.sources(r).len() > 1);
                    (event.end(), lines + usize::from(clumped))
                }
                // A deadlock's events: a run both ways (see `two_way`).
                Event::Start {}
                | Event::Forked { .. }
                | Event::Sleep { .. }
                | Event::Buffered { .. }
                | Event::Stuck { .. }
                | Event::Caught { .. } => return None,
            };
            Some(Row { at, index, event, lines })
        })
        .collect();
    rows.sort_by_key(|row| row.at);
    rows
}

/// A read's data in lines for its label: cut where one write's bytes end
/// and the next one's begin, at most [`LABEL_BYTES`] a line where it can.
fn label_lines<'a>(run: &Run, read: &'a Transfer) -> Vec<&'a [u8]> {
    let range = read.range();
    let mut cuts: Vec<usize> = run
        .sources(read)
        .iter()
        .map(|w| w.range().end)
        .filter(|&end| end < range.end)
        .map(|end| end - range.start)
        .collect();
    cuts.push(read.data.len());
    let mut lines = Vec::new();
    let (mut start, mut last) = (0, 0);
    for cut in cuts {
        if cut - start > LABEL_BYTES && last > start {
            lines.push(&read.data[start..last]);
            start = last;
        }
        last = cut;
    }
    lines.push(&read.data[start..]);
    lines
}

fn header(svg: &mut Svg, run: &Run) {
    let pid = |role| run.events.iter().find(|e| e.role == role).map(|e| e.pid);
    let (writer, reader) = (pid(Role::Writer), pid(Role::Reader));
    let threads = writer.is_some() && writer == reader;
    let (w, r) = if threads {
        ("writer thread".to_owned(), format!("main thread, pid {}", reader.unwrap_or_default()))
    } else {
        (
            writer.map_or("writer".to_owned(), |pid| format!("child, pid {pid}")),
            reader.map_or("reader".to_owned(), |pid| format!("parent, pid {pid}")),
        )
    };
    svg.text((WRITER_X + 4.0, 16.0), Anchor::End, "bold", "writer");
    svg.text((WRITER_X + 4.0, 30.0), Anchor::End, "small", &w);
    svg.text((READER_X - 4.0, 16.0), Anchor::Start, "bold", "reader");
    svg.text((READER_X - 4.0, 30.0), Anchor::Start, "small", &r);
    let middle = PIPE_X + PIPE_WIDTH / 2.0;
    svg.text((middle, 16.0), Anchor::Middle, "bold", "pipe");
    svg.text((middle, 30.0), Anchor::Middle, "small", "bytes waiting");
    svg.text((TIME_X, 30.0), Anchor::End, "small", "ms");
}

fn lanes(svg: &mut Svg, rows: &[Row], y: &[f64], bottom: f64) {
    let first = |role| rows.iter().zip(y).find(|(r, _)| r.event.role == role).map(|(_, y)| *y);
    let writer_top = first(Role::Writer).unwrap_or(TOP).min(
        // The fork (or spawn) row starts the writer's lane.
        (rows.iter().zip(y))
            .find(|(r, _)| matches!(r.event.event, Event::Fork { .. }))
            .map_or(f64::MAX, |(_, y)| *y),
    );
    svg.line((WRITER_X, writer_top), (WRITER_X, bottom), "line faint");
    svg.line((READER_X, 40.0), (READER_X, bottom), "line faint");
}

/// The bytes written and not yet read, as a bar between the lanes: from the
/// start of a write (its bytes may be in the pipe from then on) to the end
/// of the read that took them.
fn bytes_waiting(svg: &mut Svg, run: &Run, place: &Place) {
    let mut changes: Vec<(u64, i64)> = Vec::new();
    for w in &run.writes {
        changes.push((run.events[w.event].t, w.data.len() as i64));
    }
    for r in &run.reads {
        changes.push((run.events[r.event].end(), -(r.data.len() as i64)));
    }
    changes.sort();
    let mut level = 0i64;
    let mut levels = Vec::new();
    for (t, change) in changes {
        level += change;
        match levels.last_mut() {
            Some((last, l)) if *last == t => *l = level,
            _ => levels.push((t, level)),
        }
    }
    let most = levels.iter().map(|(_, l)| *l).max().unwrap_or(0).max(1) as f64;
    let scale = (PIPE_WIDTH - 22.0) / most;
    for pair in levels.windows(2) {
        let ((t0, level), (t1, _)) = (pair[0], pair[1]);
        let (y0, y1) = (place.y(t0), place.y(t1));
        if level > 0 && y1 > y0 {
            svg.rect((PIPE_X, y0), (level as f64 * scale, y1 - y0), "bytes");
        }
    }
    let mut shown = 0;
    for (t, level) in levels {
        if level != shown && level > 0 {
            let x = PIPE_X + level as f64 * scale + 3.0;
            svg.text((x, place.y(t) + 4.0), Anchor::Start, "small", &level.to_string());
        }
        shown = level;
    }
}

/// A sleep of the writer: a bar on its lane, labelled when there is room.
fn sleep(svg: &mut Svg, event: &Line, place: &Place) {
    let Event::Sleep { ticks, tick_ns, .. } = event.event else { return };
    let planned = ticks * tick_ns;
    let (top, end) = (place.y(event.t), place.y(event.end()));
    if planned == 0 || end - top < 2.0 {
        return;
    }
    svg.rect((WRITER_X - 3.0, top), (6.0, end - top), "mark faint-fill");
    if end - top >= 14.0 {
        let label = format!("sleep {}", duration(planned));
        svg.text((WRITER_X - 10.0, (top + end) / 2.0 + 4.0), Anchor::End, "small", &label);
    }
}

/// `300 ms`, `1.5 s`, `20 µs`.
pub(crate) fn duration(ns: u64) -> String {
    match ns {
        n if n >= 1_000_000_000 => format!("{} s", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{} ms", n as f64 / 1e6),
        n => format!("{} µs", n as f64 / 1e3),
    }
}

fn draw_row(svg: &mut Svg, run: &Run, row: &Row, y: f64) {
    let event = row.event;
    let time = format!("{:.3}", (row.at - run.start()) as f64 / 1e6);
    svg.text((TIME_X, y + 4.0), Anchor::End, "mono small", &time);
    match &event.event {
        Event::Fork { .. } | Event::Start {} => {
            let arrow =
                [(WRITER_X + 7.0, y), (WRITER_X + 15.0, y - 4.0), (WRITER_X + 15.0, y + 4.0)];
            svg.line((READER_X, y), (WRITER_X + 8.0, y), "line");
            svg.polygon(&arrow, "mark");
            let label = match event.event {
                Event::Fork { child } => format!("fork: child {child}"),
                _ => "writer thread starts".to_owned(),
            };
            svg.text((READER_X + 10.0, y + 4.0), Anchor::Start, "", &label);
        }
        Event::Write { .. } => {
            svg.circle((WRITER_X, y), 4.5, "mark");
            let data = transfer(&run.writes, row.index).map(|w| w.data.clone());
            let data = literal(&data.unwrap_or_default());
            svg.text((WRITER_X - 10.0, y + 4.0), Anchor::End, "mono", &format!("b\"{data}\""));
        }
        Event::Read { .. } => {
            let Some(read) = transfer(&run.reads, row.index) else { return };
            let sources = run.sources(read);
            let clumped = sources.len() > 1;
            if clumped {
                svg.rect((0.0, y - ROW / 2.0), (WIDTH, ROW * row.lines as f64), "band");
            }
            let class = if clumped { "mark accent" } else { "mark" };
            svg.rect((READER_X - 4.5, y - 4.5), (9.0, 9.0), class);
            let lines = label_lines(run, read);
            for (i, piece) in lines.iter().enumerate() {
                // A line after the first starts under the first's data, past
                // `b"`: SVG drops leading spaces, so it moves over instead.
                let (open, x) = if i == 0 { ("b\"", 0.0) } else { ("", 2.0 * MONO_CHAR) };
                let close = if i + 1 == lines.len() { "\"" } else { "" };
                let text = format!("{open}{}{close}", literal(piece));
                let class = if clumped { "mono bold" } else { "mono" };
                let at = (READER_X + 10.0 + x, y + 4.0 + ROW * i as f64);
                svg.text(at, Anchor::Start, class, &text);
            }
            if clumped {
                let range = read.range();
                let whole =
                    sources.iter().all(|w| range.start <= w.offset && w.range().end <= range.end);
                let what = if whole {
                    format!("{} messages, one read", sources.len())
                } else {
                    format!("parts of {} messages", sources.len())
                };
                let below = y + 4.0 + ROW * lines.len() as f64;
                svg.text((READER_X + 10.0, below), Anchor::Start, "bold", &what);
            }
        }
        Event::Eof { .. } => {
            svg.rect((READER_X - 4.5, y - 4.5), (9.0, 9.0), "hollow");
            svg.text((READER_X + 10.0, y + 4.0), Anchor::Start, "", "end-of-file: 0 bytes");
        }
        Event::Holds { ends, .. } | Event::Exit { ends, .. } => {
            // What a process holds; as it exits, what the kernel closes for it.
            let lane = if event.role == Role::Writer { WRITER_X } else { READER_X };
            svg.rect((lane - 4.0, y - 4.0), (8.0, 8.0), "hollow");
            let label = match (&event.event, ends.as_str()) {
                (Event::Holds { .. }, _) => holds(ends),
                (_, "") => ["exits, holding".to_owned(), "no end of the pipe".to_owned()],
                (_, ends) => ["exits, holding".to_owned(), ends.to_owned()],
            };
            for (i, line) in label.iter().enumerate() {
                let at = y + 4.0 + ROW * i as f64;
                if event.role == Role::Writer {
                    svg.text((WRITER_X - 10.0, at), Anchor::End, "small", line);
                } else {
                    svg.text((READER_X + 10.0, at), Anchor::Start, "small", line);
                }
            }
        }
        Event::Wait { until, .. } => {
            let until = match until {
                Until::Full => "until the pipe is full",
                Until::Finished => "until the writer ends",
            };
            svg.text((READER_X + 10.0, y + 4.0), Anchor::Start, "small", "--late-reader: waits");
            svg.text((READER_X + 10.0, y + 4.0 + ROW), Anchor::Start, "small", until);
        }
        Event::Forked { .. }
        | Event::Sleep { .. }
        | Event::Buffered { .. }
        | Event::Stuck { .. }
        | Event::Caught { .. } => {}
    }
}

/// `fd 3 (read end), fd 4 (write end)` as two short lines.
fn holds(ends: &str) -> [String; 2] {
    let fds = |which| {
        let fds: Vec<&str> = ends
            .split(", ")
            .filter(|e| e.ends_with(which))
            .filter_map(|e| e.strip_prefix("fd ")?.split(' ').next())
            .collect();
        fds.join(", ")
    };
    match (fds("(read end)"), fds("(write end)")) {
        (r, w) if !r.is_empty() && !w.is_empty() => {
            ["holds both ends:".to_owned(), format!("read fd {r}, write fd {w}")]
        }
        (r, _) if !r.is_empty() => ["holds only".to_owned(), format!("the read end, fd {r}")],
        (_, w) if !w.is_empty() => ["holds only".to_owned(), format!("the write end, fd {w}")],
        _ => ["holds no end".to_owned(), String::new()],
    }
}

/// Each read joined to the writes whose bytes it returned.
fn joins(svg: &mut Svg, run: &Run, place: &Place) {
    for read in &run.reads {
        let sources = run.sources(read);
        let class = if sources.len() > 1 { "line accent" } else { "line faint" };
        let to = (READER_X - 5.0, place.y(run.events[read.event].end()));
        for write in sources {
            let from = (WRITER_X + 5.0, place.y(run.events[write.event].t));
            svg.line(from, to, class);
        }
    }
}

/// What the marks mean, one or two to a line so that the legend fits the
/// narrow picture; returns the picture's height.
fn legend(svg: &mut Svg, y: f64) -> f64 {
    let y = y + 8.0;
    svg.circle((14.0, y), 4.5, "mark");
    svg.text((24.0, y + 4.0), Anchor::Start, "small", "write");
    svg.rect((66.0, y - 4.5), (9.0, 9.0), "mark");
    svg.text((80.0, y + 4.0), Anchor::Start, "small", "read returns");
    svg.rect((166.0, y - 7.0), (6.0, 14.0), "mark faint-fill");
    svg.text((178.0, y + 4.0), Anchor::Start, "small", "asleep, or blocked in read");
    let y = y + 18.0;
    svg.line((4.0, y), (30.0, y), "line faint");
    svg.text((40.0, y + 4.0), Anchor::Start, "small", "the bytes of this write in this read");
    let y = y + 18.0;
    svg.rect((6.0, y - 6.0), (24.0, 12.0), "bytes");
    svg.text((40.0, y + 4.0), Anchor::Start, "small", "bytes written, not yet read");
    let y = y + 18.0;
    svg.rect((4.0, y - 7.0), (28.0, 14.0), "band");
    svg.text((40.0, y + 4.0), Anchor::Start, "small", "one read returned more than one message");
    let y = y + 18.0;
    svg.rect((13.0, y - 4.0), (8.0, 8.0), "hollow");
    svg.text(
        (40.0, y + 4.0),
        Anchor::Start,
        "small",
        "the ends a process holds (or as it exits); end-of-file",
    );
    y + 12.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use trace_format::Bytes;

    /// A run of two writes, `a` and `b`, read as `reads` (byte counts).
    fn run(writes: [&str; 2], reads: &[usize]) -> Run {
        let mut lines = Vec::new();
        let mut t = 10;
        for w in writes {
            let message = Bytes(w.as_bytes().to_vec());
            let event = Event::Write { end: t + 1, fd: None, pipe: None, bytes: None, message };
            lines.push(Line { t, pid: 2, role: Role::Writer, event });
            t += 10;
        }
        let data: String = writes.concat();
        let mut at = 0;
        for &n in reads {
            let data = Bytes(data.as_bytes()[at..at + n].to_vec());
            let (end, bytes) = (t + 1, n as u64);
            let event = Event::Read { end, fd: 3, pipe: None, asked: 32, bytes, data };
            lines.push(Line { t, pid: 1, role: Role::Reader, event });
            (at, t) = (at + n, t + 10);
        }
        let text: String = lines.iter().map(|line| line.to_json().unwrap() + "\n").collect();
        Run::parse(&text).unwrap()
    }

    fn labels(run: &Run) -> Vec<Vec<String>> {
        let text = |l: &[u8]| String::from_utf8(l.to_vec()).unwrap();
        run.reads.iter().map(|r| label_lines(run, r).into_iter().map(text).collect()).collect()
    }

    #[test]
    fn a_read_label_breaks_between_messages() {
        let long = run(["Spam 004Spam 000", "Spam 001Spam 002"], &[32]);
        assert_eq!(labels(&long), [["Spam 004Spam 000", "Spam 001Spam 002"]]);
        let two = run(["Spam 004", "Spam 000"], &[16]);
        assert_eq!(labels(&two), [["Spam 004", "Spam 000"]], "one message a line");
    }

    #[test]
    fn a_read_of_parts_keeps_its_parts_on_one_line() {
        let run = run(["Spam 000", "Spam 001"], &[5, 5, 6]);
        assert_eq!(labels(&run), [vec!["Spam "], vec!["000Sp"], vec!["am 001"]]);
        let drawn = timeline(&run, "parts");
        assert!(drawn.contains("parts of 2 messages"), "{drawn}");
    }

    #[test]
    fn times_between_rows_are_placed_in_proportion() {
        let place = Place { times: vec![100, 200], y: vec![10.0, 30.0], top: TOP };
        assert_eq!(
            [place.y(50), place.y(100), place.y(150), place.y(200), place.y(900)],
            [10.0, 10.0, 20.0, 30.0, 30.0]
        );
    }
}
