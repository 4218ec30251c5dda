//! Who holds which end: the descriptor tables a `--show-fds` run printed,
//! as a picture. Each process is a box holding its descriptors; a line joins
//! each descriptor to the end of the pipe it stands for.

use crate::svg::{Anchor, Svg};

/// One line of `--show-fds`: `parent 4242 holds: fd 3 (read end), fd 4 (write end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// `child`, `parent` or `process` (pipe_thread: one table for both threads).
    pub who: String,
    pub pid: u32,
    /// Each descriptor held, and whether it is the write end.
    pub fds: Vec<(u32, End)>,
}

/// An end of the pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Read,
    Write,
}

/// Read the `--show-fds` lines of `text` (other lines are left out).
pub fn parse(text: &str) -> Result<Vec<Holder>, String> {
    let mut holders = Vec::new();
    for line in text.lines() {
        let Some((who, ends)) = line.split_once(" holds: ") else {
            continue;
        };
        let bad = || format!("not a --show-fds line: {line:?}");
        let (name, pid) = who.rsplit_once(' ').ok_or_else(bad)?;
        let mut fds = Vec::new();
        for end in ends.split(", ") {
            let (fd, which) =
                end.strip_prefix("fd ").and_then(|e| e.split_once(' ')).ok_or_else(bad)?;
            let which = match which {
                "(read end)" => End::Read,
                "(write end)" => End::Write,
                _ => return Err(bad()),
            };
            fds.push((fd.parse().map_err(|_| bad())?, which));
        }
        holders.push(Holder { who: name.to_owned(), pid: pid.parse().map_err(|_| bad())?, fds });
    }
    if holders.is_empty() {
        return Err("no --show-fds line (\"<who> <pid> holds: ...\")".to_owned());
    }
    Ok(holders)
}

const CLASS: &str = "pipe-fds";
/// Narrow enough to be drawn at nearly its own size on a phone.
const WIDTH: f64 = 360.0;
const WRITE_X: f64 = 100.0;
const READ_X: f64 = 260.0;
const BOX_HEIGHT: f64 = 58.0;
const PIPE_HEIGHT: f64 = 36.0;
/// Space between a box and the pipe.
const REACH: f64 = 40.0;

/// Draw the tables: the writer (the child) above the pipe, the reader (the
/// parent) below; a single process (threads) above.
pub fn picture(holders: &[Holder], title: &str) -> String {
    let mut svg = Svg::default();
    let above: Vec<&Holder> = holders.iter().filter(|h| h.who != "parent").collect();
    let below: Vec<&Holder> = holders.iter().filter(|h| h.who == "parent").collect();
    let mut y = 8.0;
    for holder in &above {
        draw_box(&mut svg, holder, y, y + BOX_HEIGHT + REACH);
        y += BOX_HEIGHT + REACH;
    }
    pipe(&mut svg, y);
    y += PIPE_HEIGHT;
    for holder in &below {
        draw_box(&mut svg, holder, y + REACH, y);
        y += REACH + BOX_HEIGHT;
    }
    svg.finish(CLASS, title, (WIDTH, y + 8.0))
}

fn pipe(svg: &mut Svg, y: f64) {
    let mid = y + PIPE_HEIGHT / 2.0;
    svg.rounded((WRITE_X - 40.0, y), (READ_X - WRITE_X + 80.0, PIPE_HEIGHT), "box");
    let (arrow, label) = (mid + 6.0, ((WRITE_X + READ_X) / 2.0, mid - 3.0));
    svg.line((WRITE_X + 20.0, arrow), (READ_X - 24.0, arrow), "line");
    let head = [(READ_X - 20.0, arrow), (READ_X - 28.0, arrow - 4.0), (READ_X - 28.0, arrow + 4.0)];
    svg.polygon(&head, "mark");
    svg.text(label, Anchor::Middle, "small", "the pipe: bytes flow");
    svg.text((WRITE_X - 34.0, mid + 4.0), Anchor::Start, "bold", "write");
    svg.text((READ_X + 34.0, mid + 4.0), Anchor::End, "bold", "read");
}

/// One process's box at `top`, with a line from each descriptor it holds to
/// the pipe's edge at `pipe_y`.
fn draw_box(svg: &mut Svg, holder: &Holder, top: f64, pipe_y: f64) {
    svg.rounded((10.0, top), (WIDTH - 20.0, BOX_HEIGHT), "box");
    let role = match holder.who.as_str() {
        "child" => " (writes)",
        "parent" => " (reads)",
        _ => " (both threads)",
    };
    let name = format!("{}, pid {}{role}", holder.who, holder.pid);
    svg.text((20.0, top + 16.0), Anchor::Start, "bold", &name);
    for (end, x, what) in [(End::Write, WRITE_X, "write end"), (End::Read, READ_X, "read end")] {
        let held: Vec<u32> =
            holder.fds.iter().filter(|(_, e)| *e == end).map(|(fd, _)| *fd).collect();
        let cell_y = top + 38.0;
        if held.is_empty() {
            svg.text((x, cell_y), Anchor::Middle, "small", &format!("no {what}"));
            continue;
        }
        let fds: Vec<String> = held.iter().map(|fd| format!("fd {fd}")).collect();
        svg.text((x, cell_y), Anchor::Middle, "mono bold", &format!("{}: {what}", fds.join(", ")));
        let edge = if pipe_y > top { top + BOX_HEIGHT } else { top };
        svg.line((x, edge), (x, pipe_y), "line");
        svg.circle((x, pipe_y), 3.0, "mark");
    }
}
