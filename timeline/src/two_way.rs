//! A run both ways as a timeline: two processes that each write and read,
//! through a pipe each way (pipes: the parent writes the greetings that the
//! child reads, the child the replies that the parent reads).
//!
//! Time runs down the page, as in [`crate::draw`]: each event is a row, with
//! its time in the left column. The child's lane is on the left, the
//! parent's on the right, and between them a narrow column for each pipe,
//! the bytes waiting in it. The labels are too long to stand beside the
//! lanes in a picture a phone shows at its own size (`b"child 3795 read
//! [Greeting 1 from parent 3794]\n"`), so every row's label is in one
//! column on the right, and says whose event it is: `child reads`, then
//! the bytes, cut into lines that fit.
//!
//! Two lanes only: a trace of more (see [`applies`]) is drawn with its
//! first two, and `timeline` refuses it (see [`lanes_drawn`]).

use crate::recorded::{Event, Lane, Line, Role, Run, lane, transfer};
use crate::svg::{Anchor, Place, Svg, literal};

const WIDTH: f64 = 400.0;
/// The time column's right edge.
const TIME_X: f64 = 56.0;
/// The left lane (the child).
const LEFT_X: f64 = 76.0;
/// The first pipe column's left edge, and each column's width with the
/// space after it.
const COLUMNS_X: f64 = 86.0;
const COLUMN: f64 = 46.0;
/// The right lane (the parent), after two columns.
const RIGHT_X: f64 = 188.0;
/// Where the labels begin.
const LABEL_X: f64 = 200.0;
/// The first row, below the header.
const TOP: f64 = 80.0;
/// One line of a row.
const ROW: f64 = 16.0;
/// The space a wait of more than [`LONG_WAIT`] adds.
const GAP: f64 = 14.0;
const LONG_WAIT: u64 = 1_000_000;
/// The width of one character of the labels' 12 px monospace font.
const MONO_CHAR: f64 = 7.2;
/// The characters of bytes a label's line holds.
const LABEL_CHARS: usize = ((WIDTH - LABEL_X - 4.0) / MONO_CHAR) as usize;

const CLASS: &str = "pipe-two-way";

/// Is `run` one this module draws: more than one pipe, or a process that
/// both writes and reads (recorded as `parent` or `child`)?
pub fn applies(run: &Run) -> bool {
    run.pipes.len() > 1 || run.events.iter().any(|e| matches!(e.role, Role::Parent | Role::Child))
}

/// The lanes a timeline of `run` can draw, or why not: a timeline has two
/// lanes (a writer and a reader, or the child and the parent), and a trace
/// of more threads or processes (a run of several children) is beyond it.
pub fn lanes_drawn(run: &Run) -> Result<(), String> {
    match run.lanes().len() {
        n if n <= 2 => Ok(()),
        n => Err(format!("a timeline draws two lanes, and this trace has {n}")),
    }
}

/// The two lanes: the left (the child: the lane that did not fork, or is
/// not the parent or the reader) and the right.
fn sides(run: &Run) -> (Option<Lane>, Option<Lane>) {
    let lanes = run.lanes();
    let right = |l: &Lane| {
        matches!(l.1, Role::Parent | Role::Reader)
            || run.events.iter().any(|e| lane(e) == *l && matches!(e.event, Event::Fork { .. }))
    };
    let r = lanes.iter().copied().find(right);
    let l = lanes.iter().copied().find(|l| Some(*l) != r);
    (l, r)
}

/// A lane's name in labels: its role.
fn name(role: Role) -> &'static str {
    match role {
        Role::Parent => "parent",
        Role::Child => "child",
        Role::Reader => "reader",
        Role::Writer => "writer",
    }
}

/// One row: an event placed at a time, with the lines of its label.
struct Row {
    at: u64,
    index: usize,
    label: Vec<Text>,
}

/// A line of a label, and how it is written.
struct Text {
    text: String,
    class: &'static str,
}

fn text(text: impl Into<String>, class: &'static str) -> Text {
    Text { text: text.into(), class }
}

/// `bytes` as a literal, `b"..."`, cut into lines of at most
/// [`LABEL_CHARS`] characters: after a space where there is one, else
/// where the line is full.
fn wrapped(bytes: &[u8]) -> Vec<String> {
    let whole = format!("b\"{}\"", literal(bytes));
    let mut lines = Vec::new();
    let mut rest = whole.as_str();
    while rest.chars().count() > LABEL_CHARS {
        let limit = rest.char_indices().nth(LABEL_CHARS).map_or(rest.len(), |(i, _)| i);
        // A space just past the limit ends a full line too.
        let cut = rest[..=limit].rfind(' ').map_or(limit, |space| space + 1);
        lines.push(rest[..cut].trim_end().to_owned());
        rest = &rest[cut..];
    }
    lines.push(rest.to_owned());
    lines
}

/// The name of the pipe of stream `index`: `to <the lane that reads it>`.
///
/// A pipe no read returned from is named by the lane whose read of it never
/// returned (a `stuck` read: a deadlock's replies).
fn pipe_name(run: &Run, index: usize) -> String {
    let stream = &run.pipes[index];
    let stuck_reader = (run.events.iter()).find(|e| match &e.event {
        Event::Stuck { call, pipe, .. } => call == "read" && pipe.is_some() && *pipe == stream.pipe,
        _ => false,
    });
    match (stream.reads.first(), stuck_reader) {
        (Some(read), _) => format!("to {}", name(run.events[read.event].role)),
        (None, Some(stuck)) => format!("to {}", name(stuck.role)),
        (None, None) => format!("pipe {}", index + 1),
    }
}

/// The pipe `pipe` (an inode number) names, as [`pipe_name`] says it.
fn named(run: &Run, pipe: Option<u64>) -> Option<String> {
    let index = run.pipes.iter().position(|s| s.pipe.is_some() && s.pipe == pipe)?;
    Some(pipe_name(run, index))
}

fn rows(run: &Run) -> Vec<Row> {
    let child_back =
        run.events.iter().find(|e| matches!(e.event, Event::Forked { .. })).map(|e| e.t);
    let mut rows: Vec<Row> = Vec::new();
    for (index, event) in run.events.iter().enumerate() {
        let who = name(event.role);
        let (at, label) = match &event.event {
            Event::Fork { child } => {
                let at = child_back.map_or(event.t, |t| t.min(event.t));
                (at, vec![text(format!("{who} forks: child {child}"), "")])
            }
            Event::Holds { who: said, pipe, ends } | Event::Exit { who: said, pipe, ends } => {
                let exits = matches!(event.event, Event::Exit { .. });
                let first = if exits { format!("{who} exits") } else { said.clone() };
                let ends = if ends.is_empty() { "no end".to_owned() } else { ends.clone() };
                let held = match named(run, *pipe) {
                    Some(pipe) => format!("holds {ends}, pipe {pipe}"),
                    None => format!("holds {ends}"),
                };
                (event.t, vec![text(first, "small"), text(held, "small")])
            }
            Event::Write { .. } | Event::Read { .. } => {
                let (list, verb, at) = match event.event {
                    Event::Write { .. } => (&run.writes, "writes", event.t),
                    _ => (&run.reads, "reads", event.end()),
                };
                let data = transfer(list, index).map(|w| w.data.clone()).unwrap_or_default();
                let mut label = vec![text(format!("{who} {verb}:"), "bold")];
                label.extend(wrapped(&data).into_iter().map(|line| text(line, "mono")));
                (at, label)
            }
            Event::Eof { .. } => {
                (event.end(), vec![text(format!("{who} reads end-of-file: 0 bytes"), "")])
            }
            Event::Wait { .. } => (event.t, vec![text(format!("{who} waits"), "small")]),
            Event::Buffered { message, .. } => {
                let mut label = vec![text(format!("{who} buffers, not written:"), "bold")];
                label.extend(wrapped(&message.0).into_iter().map(|line| text(line, "mono")));
                (event.t, label)
            }
            Event::Stuck { call, fd, pipe, unread, .. } => {
                let call = match fd {
                    Some(fd) => format!("in {call}(2) of fd {fd},"),
                    None => format!("in a call unseen ({call}),"),
                };
                let pipe = match (named(run, *pipe), unread) {
                    (Some(pipe), Some(n)) => format!("pipe {pipe}: {n} bytes unread"),
                    (Some(pipe), None) => format!("pipe {pipe}"),
                    (None, _) => "a pipe unknown".to_owned(),
                };
                let first = text(format!("{who} still waits"), "bold");
                (event.t, vec![first, text(call, "small"), text(pipe, "small")])
            }
            Event::Caught { bound_ns, killed } => {
                let bound = duration(*bound_ns);
                let label = vec![
                    text(format!("bound of {bound} passed:"), "bold"),
                    text(format!("a deadlock; {who} kills {killed}"), "small"),
                ];
                (event.t, label)
            }
            Event::Forked { .. } | Event::Start {} | Event::Sleep { .. } => continue,
        };
        rows.push(Row { at, index, label });
    }
    rows.sort_by_key(|row| row.at);
    rows
}

/// `1s`, `500ms`: a bound as the command line says it.
fn duration(ns: u64) -> String {
    match ns {
        n if n % 1_000_000_000 == 0 => format!("{}s", n / 1_000_000_000),
        n if n % 1_000_000 == 0 => format!("{}ms", n / 1_000_000),
        n => format!("{n}ns"),
    }
}

/// Draw `run` as a timeline of two lanes and a column for each pipe.
pub fn timeline(run: &Run, title: &str) -> String {
    let rows = rows(run);
    let mut y = Vec::with_capacity(rows.len());
    let mut next = TOP;
    for (i, row) in rows.iter().enumerate() {
        if i > 0 && row.at - rows[i - 1].at > LONG_WAIT {
            next += GAP;
        }
        y.push(next);
        next += ROW * row.label.len() as f64 + 4.0;
    }
    let bottom = next;
    let place = Place { times: rows.iter().map(|r| r.at).collect(), y: y.clone(), top: TOP };
    let (left, right) = sides(run);
    let x_of = |line: &Line| if Some(lane(line)) == left { LEFT_X } else { RIGHT_X };
    let mut svg = Svg::default();

    header(&mut svg, run, left, right);
    for (side, x) in [(left, LEFT_X), (right, RIGHT_X)] {
        let top = (rows.iter().zip(&y))
            .find(|(r, _)| {
                let e = &run.events[r.index];
                Some(lane(e)) == side || matches!(e.event, Event::Fork { .. })
            })
            .map_or(TOP, |(_, y)| *y);
        svg.line((x, top), (x, bottom), "line faint");
    }
    for index in 0..run.pipes.len().min(2) {
        bytes_waiting(&mut svg, run, index, &place);
    }
    for event in &run.events {
        // Asleep, waiting, or in a read.
        let busy = matches!(
            event.event,
            Event::Sleep { .. } | Event::Wait { .. } | Event::Read { .. } | Event::Eof { .. }
        );
        let (top, end) = (place.y(event.t), place.y(event.end()));
        if busy && end - top > 4.0 {
            // Asleep, or blocked in read until data comes.
            svg.rect((x_of(event) - 3.0, top), (6.0, end - top), "mark faint-fill");
        }
    }
    deadlock(&mut svg, run, &place, &x_of, left, bottom);
    for read in &run.reads {
        let event = &run.events[read.event];
        let to = (x_of(event), place.y(event.end()));
        for write in run.sources(read) {
            let from = &run.events[write.event];
            svg.line((x_of(from), place.y(from.t)), to, "line faint");
        }
    }
    for (row, &y) in rows.iter().zip(&y) {
        let event = &run.events[row.index];
        let time = format!("{:.3}", (row.at - run.start()) as f64 / 1e6);
        svg.text((TIME_X, y + 4.0), Anchor::End, "mono small", &time);
        let x = x_of(event);
        match event.event {
            Event::Fork { .. } => {
                let arrow = [(LEFT_X + 7.0, y), (LEFT_X + 15.0, y - 4.0), (LEFT_X + 15.0, y + 4.0)];
                svg.line((RIGHT_X, y), (LEFT_X + 8.0, y), "line");
                svg.polygon(&arrow, "mark");
            }
            Event::Write { .. } => svg.circle((x, y), 4.5, "mark"),
            Event::Read { .. } => svg.rect((x - 4.5, y - 4.5), (9.0, 9.0), "mark"),
            Event::Buffered { .. } => svg.circle((x, y), 4.5, "held"),
            Event::Stuck { .. } => svg.rect((x - 4.5, y - 4.5), (9.0, 9.0), "stuck"),
            Event::Caught { .. } => svg.line((LEFT_X - 8.0, y), (RIGHT_X + 8.0, y), "held"),
            _ => svg.rect((x - 4.0, y - 4.0), (8.0, 8.0), "hollow"),
        }
        for (i, line) in row.label.iter().enumerate() {
            let at = (LABEL_X, y + 4.0 + ROW * i as f64);
            svg.text(at, Anchor::Start, line.class, &line.text);
        }
    }
    let deadlocked = run.events.iter().any(|e| matches!(e.event, Event::Stuck { .. }));
    let height = legend(&mut svg, bottom + 8.0, deadlocked);
    svg.finish(CLASS, title, (WIDTH, height))
}

fn header(svg: &mut Svg, run: &Run, left: Option<Lane>, right: Option<Lane>) {
    // The left lane's name over it; the right's ending over it, clear of
    // the labels' column.
    for (side, x, anchor) in [(left, LEFT_X, Anchor::Middle), (right, RIGHT_X + 4.0, Anchor::End)] {
        let Some((pid, role)) = side else { continue };
        svg.text((x, 16.0), anchor, "bold", name(role));
        svg.text((x, 30.0), anchor, "small", &format!("pid {pid}"));
    }
    let middle = COLUMNS_X + COLUMN - 2.0;
    svg.text((middle, 44.0), Anchor::Middle, "small", "bytes waiting");
    for index in 0..run.pipes.len().min(2) {
        let centre = COLUMNS_X + COLUMN * index as f64 + (COLUMN - 4.0) / 2.0;
        let pipe = pipe_name(run, index);
        let (to, whom) = pipe.split_once(' ').unwrap_or((&pipe, ""));
        svg.text((centre, 58.0), Anchor::Middle, "small", to);
        svg.text((centre, 70.0), Anchor::Middle, "small", whom);
    }
    svg.text((LABEL_X, 16.0), Anchor::Start, "bold", "what happened");
    svg.text((LABEL_X, 30.0), Anchor::Start, "small", "and the bytes written or read");
    svg.text((TIME_X, 70.0), Anchor::End, "small", "ms");
}

/// The bytes waiting in pipe `index` of `run`: each time the number
/// changes, and the number from then on. A write's bytes count from its
/// start, a read's until its end.
fn levels(run: &Run, index: usize) -> Vec<(u64, i64)> {
    let stream = &run.pipes[index];
    let mut changes: Vec<(u64, i64)> = Vec::new();
    for w in &stream.writes {
        changes.push((run.events[w.event].t, w.data.len() as i64));
    }
    for r in &stream.reads {
        changes.push((run.events[r.event].end(), -(r.data.len() as i64)));
    }
    changes.sort();
    let mut level = 0i64;
    let mut levels: Vec<(u64, i64)> = Vec::new();
    for (t, change) in changes {
        level += change;
        match levels.last_mut() {
            Some((last, l)) if *last == t => *l = level,
            _ => levels.push((t, level)),
        }
    }
    levels
}

/// The bytes written into pipe `index` and not yet read, as a bar in its
/// column, on the same scale for every pipe, with the number at each change.
fn bytes_waiting(svg: &mut Svg, run: &Run, index: usize, place: &Place) {
    let highest = (0..run.pipes.len()).flat_map(|i| levels(run, i)).map(|(_, l)| l).max();
    let scale = (COLUMN - 22.0) / highest.unwrap_or(0).max(1) as f64;
    let levels = levels(run, index);
    let x = COLUMNS_X + COLUMN * index as f64;
    for pair in levels.windows(2) {
        let ((t0, level), (t1, _)) = (pair[0], pair[1]);
        let (y0, y1) = (place.y(t0), place.y(t1));
        if level > 0 && y1 > y0 {
            svg.rect((x, y0), (level as f64 * scale, y1 - y0), "bytes");
        }
    }
    let mut shown = 0;
    for (t, level) in levels {
        if level != shown && level > 0 {
            let at = (x + level as f64 * scale + 2.0, place.y(t) + 4.0);
            svg.text(at, Anchor::Start, "small", &level.to_string());
        }
        shown = level;
    }
}

/// A deadlock's marks, under the others: beside a lane, a dashed bar from
/// each `buffered` until the lane next writes into that pipe (else to the
/// bottom: the bytes never left its buffer); on a lane, a solid bar for
/// each `stuck` call, from when it began (its `since`, else the end of the
/// lane's last event before it) to when the watch saw it still waiting.
fn deadlock(
    svg: &mut Svg,
    run: &Run,
    place: &Place,
    x_of: &dyn Fn(&Line) -> f64,
    left: Option<Lane>,
    bottom: f64,
) {
    for (i, event) in run.events.iter().enumerate() {
        let x = x_of(event);
        let outside = if Some(lane(event)) == left { x - 14.0 } else { x + 7.0 };
        match event.event {
            Event::Buffered { pipe, .. } => {
                let later = run.events[i + 1..].iter().find(|e| {
                    lane(e) == lane(event)
                        && matches!(e.event, Event::Write { .. })
                        && e.event.pipe() == pipe
                });
                let until = later.map_or(bottom, |e| place.y(e.t));
                let top = place.y(event.t);
                svg.rect((outside, top), (5.0, until - top), "held");
            }
            Event::Stuck { since, .. } => {
                let before = run.events[..i]
                    .iter()
                    .filter(|e| lane(e) == lane(event) && !matches!(e.event, Event::Stuck { .. }))
                    .filter(|e| e.end() <= event.t)
                    .map(Line::end)
                    .max();
                let Some(began) = since.or(before) else { continue };
                let (top, end) = (place.y(began), place.y(event.t));
                svg.rect((x - 3.0, top), (6.0, end - top), "stuck");
            }
            _ => {}
        }
    }
}

/// What the marks mean, with a deadlock's if `deadlocked`; returns the
/// picture's height.
fn legend(svg: &mut Svg, y: f64, deadlocked: bool) -> f64 {
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
    svg.text((40.0, y + 4.0), Anchor::Start, "small", "bytes written, not yet read, in their pipe");
    let y = y + 18.0;
    svg.rect((13.0, y - 4.0), (8.0, 8.0), "hollow");
    svg.text(
        (40.0, y + 4.0),
        Anchor::Start,
        "small",
        "the ends a process holds (or as it exits); end-of-file",
    );
    if !deadlocked {
        return y + 12.0;
    }
    let y = y + 18.0;
    svg.circle((17.0, y), 4.5, "held");
    svg.rect((26.0, y - 7.0), (5.0, 14.0), "held");
    svg.text((40.0, y + 4.0), Anchor::Start, "small", "bytes held in a program's own buffer");
    let y = y + 18.0;
    svg.rect((14.0, y - 7.0), (6.0, 14.0), "stuck");
    svg.text((40.0, y + 4.0), Anchor::Start, "small", "a call that never returned: waiting");
    let y = y + 18.0;
    svg.line((4.0, y), (30.0, y), "held");
    svg.text((40.0, y + 4.0), Anchor::Start, "small", "the bound: the deadlock is caught");
    y + 12.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_label_is_cut_after_spaces_and_fits() {
        let lines = wrapped(b"child 3795 read [Greeting 1 from parent 3794]\n");
        assert!(lines.iter().all(|l| l.chars().count() <= LABEL_CHARS), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            r#"b"child3795read[Greeting1fromparent3794]\n""#
        );
        assert_eq!(lines[0], "b\"child 3795 read [Greeting");
        let long = wrapped(&[b'x'; 60]);
        assert_eq!(long.len(), 3, "{long:?}");
    }
}
