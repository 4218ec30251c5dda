//! The book's pictures of real runs: each is drawn from a run recorded in
//! `timeline/runs/`, each run is one a pipe can make, and each is the run
//! its title names. After `timeline/record.sh` (which records the runs and
//! sets UPDATE_PICTURES=1 to draw them again), read the diff.

use std::fs;
use std::path::{Path, PathBuf};

use timeline::holders::{self, End, Holder, Stages};
use timeline::recorded::{Event, Role, Run, Until};

/// The timelines: the run's file stem (in `timeline/runs/`, `.jsonl`; the
/// picture in `book/src/pictures/`, `.svg`), and the picture's title.
const TIMELINES: [(&str, &str); 5] = [
    (
        "pipe1_live",
        "pipe1 --count 11 --tick 100ms: a live run in which one read returned Spam 004Spam 000",
    ),
    (
        "pipe1_late_reader",
        "pipe1 --count 5 --tick 10ms --late-reader: the reader waits, then two reads take every byte",
    ),
    ("pipe2", "pipe2 --count 5 --tick 100ms: one read per line, then end-of-file"),
    (
        "pipe_thread",
        "pipe_thread --count 6 --tick 100ms: the same pipe between two threads of one process",
    ),
    (
        "pipes",
        "pipes --count 2 --tick 100ms: the greetings go to the child on one pipe, its replies come back on the other",
    ),
];

/// The pictures of who holds which end, stage by stage, drawn from a
/// trace's `holds` events: the run (`.jsonl`), the picture, and the title.
const STAGES: [(&str, &str, &str); 1] = [(
    "pipes",
    "pipes_holds",
    "pipes: who holds which end of the two pipes before dup2, after it, and after exec",
)];

/// The pictures of who holds which end: the stderr of a `--show-fds` run
/// (`.txt`), and the title.
const HOLDERS: [(&str, &str); 3] = [
    ("pipe1_show_fds", "pipe1 after the fork: both processes hold both ends of the pipe"),
    ("pipe2_show_fds", "pipe2 after the closes: each process holds one end of the pipe"),
    ("pipe_thread_show_fds", "pipe_thread: one process, one table of descriptors for both threads"),
];

fn runs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("runs")
}

fn picture(stem: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/src/pictures").join(format!("{stem}.svg"))
}

fn trace(stem: &str) -> String {
    fs::read_to_string(runs().join(format!("{stem}.jsonl"))).unwrap()
}

fn run(stem: &str) -> Run {
    Run::parse(&trace(stem)).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

fn holders(stem: &str) -> Vec<Holder> {
    let text = fs::read_to_string(runs().join(format!("{stem}.txt"))).unwrap();
    holders::parse(&text).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

/// Compare a freshly drawn picture with the committed one, or with
/// UPDATE_PICTURES=1 write it.
fn assert_drawn(stem: &str, drawn: &str) {
    let path = picture(stem);
    if std::env::var_os("UPDATE_PICTURES").is_some() {
        fs::write(&path, drawn).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if committed != drawn {
        let line = committed.lines().zip(drawn.lines()).position(|(a, b)| a != b);
        panic!(
            "{} is not what its run draws (first difference at line {:?}): \
             draw it again with timeline/record.sh, or UPDATE_PICTURES=1 cargo test -p timeline --test pictures",
            path.display(),
            line.map(|l| l + 1)
        );
    }
}

#[test]
fn every_timeline_is_drawn_from_its_committed_run() {
    for (stem, title) in TIMELINES {
        assert_drawn(stem, &timeline::draw::timeline(&run(stem), title));
    }
}

#[test]
fn every_picture_of_who_holds_which_end_is_drawn_from_its_committed_run() {
    for (stem, title) in HOLDERS {
        assert_drawn(stem, &holders::picture(&holders(stem), title));
    }
}

#[test]
fn every_picture_of_the_stages_is_drawn_from_its_committed_run() {
    for (stem, picture, title) in STAGES {
        let stages = Stages::of(&run(stem)).unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_drawn(picture, &holders::stages_picture(&stages, title));
    }
}

#[test]
fn every_committed_run_is_possible() {
    for (stem, _) in TIMELINES {
        run(stem).check().unwrap_or_else(|e| panic!("{stem}: {e}"));
    }
}

/// The messages and sleeps of `pipe --count <count> --tick <tick_ms>`, and
/// each process where it should be.
fn assert_sent(run: &Run, count: u64, tick_ms: u64) {
    let sent: Vec<String> = (run.events.iter())
        .filter_map(|e| match &e.event {
            Event::Write { message, .. } => Some(String::from_utf8(message.0.clone()).unwrap()),
            _ => None,
        })
        .collect();
    let expected: Vec<String> =
        common::schedule::zzz_values(Some(count)).map(common::message).collect();
    assert_eq!(sent, expected);
    let sleeps: Vec<(u64, u64)> = (run.events.iter())
        .filter_map(|e| match e.event {
            Event::Sleep { ticks, tick_ns, .. } => Some((ticks, tick_ns)),
            _ => None,
        })
        .collect();
    let expected: Vec<(u64, u64)> = common::schedule::zzz_values(Some(count))
        .map(|zzz| (u64::from(zzz), tick_ms * 1_000_000))
        .collect();
    assert_eq!(sleeps, expected);
    // Each write counts its bytes (Linux, where the runs were recorded);
    // `check` found each count equal to its message and frame.
    assert!(run.events.iter().all(|e| !matches!(e.event, Event::Write { bytes: None, .. })));
    for e in &run.events {
        let role = match e.event {
            Event::Forked { .. } | Event::Start {} | Event::Sleep { .. } | Event::Write { .. } => {
                Role::Writer
            }
            Event::Fork { .. } | Event::Read { .. } | Event::Eof { .. } | Event::Wait { .. } => {
                Role::Reader
            }
            Event::Holds { .. } | Event::Exit { .. } => continue,
        };
        assert_eq!(e.role, role, "{e:?}");
    }
}

/// The forked child is the writer; the parent, the reader.
fn assert_forked(run: &Run) {
    let pid_of = |role| run.events.iter().find(|e| e.role == role).unwrap().pid;
    let (pid, child) = (run.events.iter())
        .find_map(|e| match e.event {
            Event::Fork { child } => Some((e.pid, child)),
            _ => None,
        })
        .expect("a fork");
    assert_eq!(child, pid_of(Role::Writer));
    assert_eq!(pid, pid_of(Role::Reader));
    assert!(run.events.iter().filter(|e| e.role == Role::Writer).all(|e| e.pid == child));
}

fn reads(run: &Run) -> Vec<String> {
    run.reads.iter().map(|r| String::from_utf8(r.data.clone()).unwrap()).collect()
}

#[test]
fn the_live_run_has_the_clumped_read_and_its_picture_highlights_it() {
    let run = run("pipe1_live");
    assert_sent(&run, 11, 100);
    assert_forked(&run);
    assert!(reads(&run).contains(&"Spam 004Spam 000".to_owned()), "{:?}", reads(&run));
    let svg = fs::read_to_string(picture("pipe1_live")).unwrap();
    let clumped = run.reads.iter().filter(|r| run.sources(r).len() > 1).count();
    assert!(clumped >= 1);
    // One band in the legend, and one behind each read of more than one message.
    assert_eq!(svg.matches(r#"class="band""#).count(), clumped + 1, "clumped reads highlighted");
    assert_eq!(svg.matches(r#"class="mark accent""#).count(), clumped, "their marks too");
    // Its label, one message a line.
    let label = r#"class="mono bold">b"Spam 004</text>"#;
    let next = r#"class="mono bold">Spam 000"#;
    assert!(
        svg.lines().zip(svg.lines().skip(1)).any(|(a, b)| a.ends_with(label) && b.contains(next)),
        "and its data"
    );
    assert!(svg.contains("2 messages, one read"));
}

#[test]
fn the_late_reader_reads_only_after_the_last_write() {
    let run = run("pipe1_late_reader");
    assert_sent(&run, 5, 10);
    assert_forked(&run);
    let last_write = run.events[run.writes.last().unwrap().event].end();
    let first_read = &run.events[run.reads[0].event];
    assert!(first_read.t > last_write, "the first read began after the last write ended");
    assert_eq!(reads(&run), ["Spam 000Spam 001Spam 002Spam 003", "Spam 004"]);
    // The wait is recorded: from before the first write until the writer finished.
    let wait = (run.events.iter())
        .find(|e| matches!(e.event, Event::Wait { .. }))
        .expect("the wait is traced");
    let first_write = &run.events[run.writes[0].event];
    assert!(wait.t < first_write.t && last_write < wait.end() && wait.end() <= first_read.t);
    assert!(matches!(wait.event, Event::Wait { until: Until::Finished, .. }), "{wait:?}");
    let svg = fs::read_to_string(picture("pipe1_late_reader")).unwrap();
    assert!(svg.contains("--late-reader: waits") && svg.contains("until the writer ends"));
}

#[test]
fn pipe2_reads_one_line_each_then_end_of_file() {
    let run = run("pipe2");
    assert_sent(&run, 5, 100);
    assert_forked(&run);
    let lines: Vec<String> =
        common::schedule::zzz_values(Some(5)).map(|zzz| common::message(zzz) + "\n").collect();
    assert_eq!(reads(&run), lines);
    let last = (run.events.iter())
        .rfind(|e| e.role == Role::Reader && !matches!(e.event, Event::Exit { .. }));
    assert!(matches!(last.unwrap().event, Event::Eof { .. }), "{last:?}");
    // Both processes exit holding no end: every owner was dropped.
    let exits: Vec<(&str, &str)> = (run.events.iter())
        .filter_map(|e| match &e.event {
            Event::Exit { who, ends, .. } => Some((who.as_str(), ends.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(exits, [("child", ""), ("parent", "")]);
    assert_eq!(run.frame.as_deref(), Some(&b"\n"[..]));
}

#[test]
fn pipe_thread_runs_in_one_process_and_ends_with_end_of_file() {
    let run = run("pipe_thread");
    assert_sent(&run, 6, 100);
    assert!(run.events.iter().all(|e| e.pid == run.events[0].pid), "one process");
    assert!(!run.events.iter().any(|e| matches!(e.event, Event::Fork { .. })), "no fork");
    assert!(run.events.iter().any(|e| matches!(e.event, Event::Start {})));
    assert!(reads(&run).contains(&"Spam 004Spam 000".to_owned()), "the race, as in pipe1");
    assert_eq!(run.events.iter().filter(|e| matches!(e.event, Event::Eof { .. })).count(), 1);
}

#[test]
fn in_pipe1_both_processes_hold_both_ends_in_pipe2_each_holds_one_pipe_thread_has_one_table() {
    let ends = |h: &Holder| h.fds.iter().map(|(_, end)| *end).collect::<Vec<End>>();
    let pipe1 = holders("pipe1_show_fds");
    let mut who: Vec<&str> = pipe1.iter().map(|h| h.who.as_str()).collect();
    who.sort_unstable();
    assert_eq!(who, ["child", "parent"]);
    assert!(pipe1.iter().all(|h| ends(h) == [End::Read, End::Write]), "{pipe1:?}");
    let pipe2 = holders("pipe2_show_fds");
    for holder in &pipe2 {
        let expected = if holder.who == "child" { End::Write } else { End::Read };
        assert_eq!(ends(holder), [expected], "{holder:?}");
    }
    assert_eq!(pipe2.len(), 2);
    let pipe_thread = holders("pipe_thread_show_fds");
    assert_eq!(pipe_thread.len(), 1, "one process");
    assert_eq!(pipe_thread[0].who, "process");
    assert_eq!(ends(&pipe_thread[0]), [End::Read, End::Write]);
}

/// The check itself: impossible runs, made from a real one, are caught.
mod the_check_catches {
    use super::*;

    fn check(text: &str) -> String {
        Run::parse(text).unwrap().check().unwrap_err().0
    }

    /// The trace with the first line that holds `needle` changed by `change`.
    fn changed(stem: &str, needle: &str, change: impl Fn(&str) -> String) -> String {
        let text = trace(stem);
        let i = text.lines().position(|l| l.contains(needle)).expect("the needle");
        let line = |(n, l): (usize, &str)| if n == i { change(l) } else { l.to_owned() } + "\n";
        text.lines().enumerate().map(line).collect()
    }

    #[test]
    fn a_lost_read() {
        let text = changed("pipe1_live", r#""data":"Spam 002""#, |_| String::new());
        assert!(check(&text).contains("not the messages written"), "{}", check(&text));
    }

    #[test]
    fn a_byte_changed() {
        let text =
            changed("pipe1_live", r#""data":"Spam 002""#, |l| l.replace("Spam 002", "Spam 020"));
        assert!(check(&text).contains("not the messages written"), "{}", check(&text));
    }

    #[test]
    fn a_read_that_returned_before_its_write_began() {
        // The read of Spam 001 (the second read) now returns just before the
        // write of Spam 001 began: still after the read before it, so the
        // bytes and their order are as they were.
        let run = run("pipe1_live");
        let write = run.events[run.writes[1].event].t;
        let text = changed("pipe1_live", r#""data":"Spam 001""#, |l| {
            let read = serde_json::from_str::<serde_json::Value>(l).unwrap();
            let end = read["end"].as_u64().unwrap();
            l.replace(&format!(r#""end":{end},"#), &format!(r#""end":{},"#, write - 1))
        });
        assert!(check(&text).contains("holds bytes of the write"), "{}", check(&text));
    }

    #[test]
    fn a_reply_read_before_it_was_written() {
        // The parent's first read (the first reply) now returns just before
        // the child's write of that reply began.
        let run = run("pipes");
        let reply = (run.events.iter())
            .find(|e| e.role == Role::Child && matches!(e.event, Event::Write { .. }))
            .unwrap()
            .t;
        let text = changed("pipes", r#""role":"parent","event":"read""#, |l| {
            let read = serde_json::from_str::<serde_json::Value>(l).unwrap();
            let end = read["end"].as_u64().unwrap();
            l.replace(&format!(r#""end":{end},"#), &format!(r#""end":{},"#, reply - 1))
        });
        assert!(check(&text).contains("holds bytes of the write"), "{}", check(&text));
    }

    #[test]
    fn a_greeting_changed_on_its_way() {
        let text = changed("pipes", r#""role":"child","event":"read""#, |l| {
            l.replace("Greeting 1", "Greeting 7")
        });
        // The bytes read are no longer the messages with one frame after
        // each: no frame is found, and the writes' byte counts say so first.
        let why = check(&text);
        assert!(why.contains("put 29 bytes in the pipe, but its message"), "{why}");
    }

    #[test]
    fn reads_that_overlap_in_time() {
        let run = run("pipe2");
        let first = &run.events[run.reads[0].event];
        let needle = r#""data":"Spam 001\n""#;
        let text = changed("pipe2", needle, |l| {
            let read = serde_json::from_str::<serde_json::Value>(l).unwrap();
            let t = read["t"].as_u64().unwrap();
            l.replace(&format!(r#""t":{t},"#), &format!(r#""t":{},"#, first.end() - 1))
        });
        assert!(check(&text).contains("begins before"), "{}", check(&text));
    }
}

/// The messages of the events of `run` of the kind `pick` finds, by pid.
fn moved(run: &Run, pick: impl Fn(&Event) -> Option<Vec<u8>>) -> Vec<(u32, String)> {
    (run.events.iter())
        .filter_map(|e| Some((e.pid, String::from_utf8(pick(&e.event)?).unwrap())))
        .collect()
}

#[test]
fn pipes_talks_both_ways_and_each_byte_is_read_after_it_was_written() {
    let run = run("pipes");
    let (parent, child) = (run.events.iter())
        .find_map(|e| match e.event {
            Event::Fork { child } => Some((e.pid, child)),
            _ => None,
        })
        .expect("a fork");
    // Two lanes: the parent and the child, before and after exec.
    for e in &run.events {
        let role = if e.pid == parent { Role::Parent } else { Role::Child };
        assert!(e.pid == parent || e.pid == child, "{e:?}");
        assert_eq!(e.role, role, "{e:?}");
    }
    // What each wrote, and what the other read: the greetings one way, the replies the other.
    let greetings: Vec<String> =
        (1..=2).map(|n| format!("Greeting {n} from parent {parent}")).collect();
    let replies: Vec<String> =
        greetings.iter().map(|g| format!("child {child} read [{g}]")).collect();
    let writes = moved(&run, |e| match e {
        Event::Write { message, .. } => Some(message.0.clone()),
        _ => None,
    });
    let reads = moved(&run, |e| match e {
        Event::Read { data, .. } => Some(data.0.clone()),
        _ => None,
    });
    let by = |list: &[(u32, String)], pid: u32| -> Vec<String> {
        list.iter().filter(|(p, _)| *p == pid).map(|(_, m)| m.clone()).collect()
    };
    assert_eq!(by(&writes, parent), greetings);
    assert_eq!(by(&writes, child), replies);
    let lines =
        |list: &[String]| -> Vec<String> { list.iter().map(|m| format!("{m}\n")).collect() };
    assert_eq!(by(&reads, child), lines(&greetings), "one read a line");
    assert_eq!(by(&reads, parent), lines(&replies));
    // Two pipes, each written by one process and read by the other, a newline after each message.
    assert_eq!(run.pipes.len(), 2);
    for stream in &run.pipes {
        assert!(stream.pipe.is_some());
        assert_eq!(stream.frame.as_deref(), Some(&b"\n"[..]));
        let writer = run.events[stream.writes[0].event].pid;
        assert!(stream.writes.iter().all(|w| run.events[w.event].pid == writer));
        assert!(stream.reads.iter().all(|r| run.events[r.event].pid != writer));
        // Each byte read after its write began, in both directions.
        for read in &stream.reads {
            for write in run.sources(read) {
                assert!(run.events[read.event].end() > run.events[write.event].t);
            }
        }
    }
    // In turn: greeting n written, then read, then its reply written, then
    // read (a write at its start, a read when it returned).
    let turn = [(parent, "write"), (child, "read"), (child, "write"), (parent, "read")];
    let in_turn = {
        let mut ends: Vec<(u64, u32, &str)> = (run.events.iter())
            .filter_map(|e| match e.event {
                Event::Write { .. } => Some((e.t, e.pid, "write")),
                Event::Read { .. } => Some((e.end(), e.pid, "read")),
                _ => None,
            })
            .collect();
        ends.sort();
        ends.into_iter().map(|(_, pid, what)| (pid, what)).collect::<Vec<_>>()
    };
    assert_eq!(in_turn, [turn, turn].concat());
    run.check().unwrap();
}

#[test]
fn in_pipes_each_process_holds_one_end_of_each_pipe_on_0_and_1_and_they_cross_exec() {
    let stages = Stages::of(&run("pipes")).unwrap();
    let names: Vec<&str> = stages.pipes.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(names, ["replies", "greetings"]);
    let whens: Vec<&str> = stages.stages.iter().map(|(when, _)| when.as_str()).collect();
    assert_eq!(whens, ["before dup2", "after dup2", "after exec"]);
    let held = |stage: usize, who: &str| -> Vec<String> {
        let h = stages.stages[stage].1.iter().find(|h| h.who == who).unwrap();
        h.ends.iter().map(|e| e.clone().unwrap()).collect()
    };
    // [replies, greetings]
    assert_eq!(held(0, "parent"), ["fd 3 (read end)", "fd 6 (write end)"]);
    assert_eq!(held(0, "child"), ["fd 4 (write end)", "fd 5 (read end)"]);
    assert_eq!(held(1, "parent"), ["fd 0 (read end)", "fd 1 (write end)"]);
    assert_eq!(held(1, "child"), ["fd 1 (write end)", "fd 0 (read end)"]);
    assert_eq!(held(2, "child"), ["fd 1 (write end)", "fd 0 (read end)"], "the same, after exec");
    assert_eq!(stages.stages[2].1.len(), 1, "after exec, only the child records");
    let svg = fs::read_to_string(picture("pipes_holds")).unwrap();
    assert!(svg.contains(">after exec</text>") && svg.contains("(as before)"));
}

#[test]
fn a_trace_of_two_pipes_must_name_the_pipe_of_every_read_and_write() {
    // One read loses its pipe.
    let text = trace("pipes");
    let i = text.lines().position(|l| l.contains(r#""event":"read""#)).unwrap();
    let changed: String = (text.lines().enumerate())
        .map(|(n, l)| {
            let l = if n == i {
                let value: serde_json::Value = serde_json::from_str(l).unwrap();
                l.replace(&format!(r#","pipe":{}"#, value["pipe"]), "")
            } else {
                l.to_owned()
            };
            l + "\n"
        })
        .collect();
    let why = Run::parse(&changed).unwrap_err().0;
    assert!(why.contains("names no pipe, in a trace of 2 pipes"), "{why}");
}
