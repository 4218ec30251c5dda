//! Who holds which end, as a picture. Each process is a box holding its
//! descriptors; a line joins each descriptor to the end of the pipe it
//! stands for.
//!
//! - [`parse`] and [`picture`]: the descriptor tables a `--show-fds` run
//!   printed, of one pipe;
//! - [`Stages::of`] and [`stages_picture`]: the `holds` events of a trace of
//!   several pipes, stage by stage (pipes: before `dup2`, after it, after
//!   `exec`).

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

/// One process's ends at one stage of a run both ways: for each pipe (by
/// its index in [`Stages::pipes`]), the ends held, as `--show-fds` says them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub who: String,
    pub pid: u32,
    pub ends: Vec<Option<String>>,
}

/// Who holds which end of each pipe, stage by stage: what the `holds`
/// events of a trace of several pipes say (pipes: before `dup2`, after it,
/// and after `exec`), each named `<pipe>, <when>: <process>` or `<when>:
/// <process>` (see `common::ends::join_trace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stages {
    /// Each pipe: its inode number, and its name (`greetings` from
    /// `greetings' pipe, ...`, else `pipe <inode>`).
    pub pipes: Vec<(u64, String)>,
    /// Each stage (`before dup2`, ...), in the order of the run, and the
    /// processes that said what they hold then.
    pub stages: Vec<(String, Vec<Held>)>,
}

impl Stages {
    /// Gather the `holds` events of `run` that name a pipe. An error if
    /// there are none, or one's `who` is not `[<pipe>, ]<when>: <process>`.
    pub fn of(run: &crate::recorded::Run) -> Result<Stages, String> {
        use crate::recorded::Event;
        let mut found = Stages { pipes: Vec::new(), stages: Vec::new() };
        for line in &run.events {
            let Event::Holds { who, pipe: Some(pipe), ends } = &line.event else { continue };
            let bad =
                || format!("a holds event not named \"[<pipe>, ]<when>: <process>\": {who:?}");
            let (said, process) = who.rsplit_once(": ").ok_or_else(bad)?;
            let (name, when) = match said.split_once(", ") {
                Some((name, when)) => {
                    (Some(name.trim_end_matches(" pipe").trim_end_matches('\'')), when)
                }
                None => (None, said),
            };
            let index = match found.pipes.iter().position(|(p, _)| p == pipe) {
                Some(index) => index,
                None => {
                    found.pipes.push((*pipe, format!("pipe {pipe}")));
                    found.pipes.len() - 1
                }
            };
            if let Some(name) = name {
                found.pipes[index].1 = name.to_owned();
            }
            let stage = match found.stages.iter().position(|(w, _)| w == when) {
                Some(stage) => stage,
                None => {
                    found.stages.push((when.to_owned(), Vec::new()));
                    found.stages.len() - 1
                }
            };
            let held = &mut found.stages[stage].1;
            let process = match held.iter().position(|h| h.who == process && h.pid == line.pid) {
                Some(process) => process,
                None => {
                    let who = process.to_owned();
                    held.push(Held { who, pid: line.pid, ends: Vec::new() });
                    held.len() - 1
                }
            };
            let ends_of = &mut held[process].ends;
            ends_of.resize(ends_of.len().max(index + 1), None);
            ends_of[index] = Some(ends.clone());
        }
        if found.stages.is_empty() {
            return Err("no holds event that names its pipe".to_owned());
        }
        Ok(found)
    }
}

/// The height of one stage's drawing, and of a pipe's row in it.
const STAGE_HEIGHT: f64 = 50.0;
const PIPE_ROW: f64 = 30.0;
/// The two boxes' inner edges, and the pipes between them.
const LEFT_BOX: f64 = 130.0;
const RIGHT_BOX: f64 = 230.0;

/// Draw `stages`: a block for each stage, the child's box on the left, the
/// parent's on the right (a process that said nothing at a stage is drawn
/// as it was at the last), and between them each pipe, its arrow from the
/// write end to the read end; a line joins each descriptor to the end it
/// stands for.
pub fn stages_picture(stages: &Stages, title: &str) -> String {
    let mut svg = Svg::default();
    let mut y = 8.0;
    let mut last: Vec<Held> = Vec::new();
    for (when, held) in &stages.stages {
        for h in held {
            match last.iter_mut().find(|l| l.who == h.who) {
                Some(l) => *l = h.clone(),
                None => last.push(h.clone()),
            }
        }
        svg.text((WIDTH / 2.0, y + 12.0), Anchor::Middle, "bold", when);
        let top = y + 20.0;
        let height = STAGE_HEIGHT + PIPE_ROW * stages.pipes.len() as f64 - 14.0;
        let left = last.iter().find(|h| h.who != "parent");
        let right = last.iter().find(|h| h.who == "parent");
        for (h, x0, x1) in [(left, 10.0, LEFT_BOX), (right, RIGHT_BOX, WIDTH - 10.0)] {
            let Some(h) = h else { continue };
            let now = held.iter().any(|n| n.who == h.who);
            svg.rounded((x0, top), (x1 - x0, height), "box");
            let name = format!("{}, pid {}", h.who, h.pid);
            svg.text(((x0 + x1) / 2.0, top + 15.0), Anchor::Middle, "bold", &name);
            if !now {
                let at = ((x0 + x1) / 2.0, top + 28.0);
                svg.text(at, Anchor::Middle, "small", "(as before)");
            }
        }
        for (index, (_, pipe)) in stages.pipes.iter().enumerate() {
            let row = top + 46.0 + PIPE_ROW * index as f64;
            let (pl, pr) = (LEFT_BOX + 14.0, RIGHT_BOX - 14.0);
            svg.text(((pl + pr) / 2.0, row - 5.0), Anchor::Middle, "small", pipe);
            svg.line((pl, row), (pr, row), "line");
            // The arrow points to the read end: where the left box reads this pipe.
            let reads_left = left
                .and_then(|h| h.ends.get(index).cloned().flatten())
                .is_some_and(|e| e.contains("read end"));
            let (tip, back) = if reads_left { (pl, pl + 8.0) } else { (pr, pr - 8.0) };
            svg.polygon(&[(tip, row), (back, row - 4.0), (back, row + 4.0)], "mark");
            for (h, edge, end, anchor, text_x) in [
                (left, LEFT_BOX, pl, Anchor::End, LEFT_BOX - 6.0),
                (right, RIGHT_BOX, pr, Anchor::Start, RIGHT_BOX + 6.0),
            ] {
                let Some(h) = h else { continue };
                let ends = h.ends.get(index).cloned().flatten().unwrap_or_default();
                let fds = if ends.is_empty() { "no end".to_owned() } else { ends };
                svg.text((text_x, row + 4.0), anchor, "mono small", &fds);
                if fds != "no end" {
                    svg.line((edge, row), (end, row), "line");
                    svg.circle((end, row), 3.0, "mark");
                }
            }
        }
        y = top + height + 10.0;
    }
    svg.finish(CLASS, title, (WIDTH, y))
}
