//! What `bench` measures: every case, the command that runs it, and how much
//! it moves.

/// A group of cases: one question, one table in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The file name of its table in the book: `book/src/speed/<id>.md`.
    pub id: &'static str,
    pub title: &'static str,
}

pub const PROGRAMS: Group = Group { id: "programs", title: "The programs, flat out" };
pub const READS: Group = Group { id: "reads", title: "Read size, pipe1's unframed stream" };
pub const OUTPUT: Group = Group { id: "output", title: "The parent's output" };
pub const WRITER: Group =
    Group { id: "writer", title: "The writer: one write per message, or batches" };
pub const SHAPE: Group = Group { id: "shape", title: "Threads, one core, the pipe's capacity" };
pub const BULK: Group = Group { id: "bulk", title: "Bulk bandwidth" };
pub const LATENCY: Group = Group { id: "latency", title: "Latency: one message there and back" };
pub const TIMELINE: Group = Group { id: "timeline", title: "timeline, on long traces" };

pub const GROUPS: [Group; 8] = [PROGRAMS, READS, OUTPUT, WRITER, SHAPE, BULK, LATENCY, TIMELINE];

/// What runs a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// A binary of this workspace (`pipe2`, `bench_case`, ...), built next to `bench`.
    Bin(&'static str),
    /// A Python program in `bench/python/`, run with `python3`.
    Python(&'static str),
    /// A shell pipeline (`dd ... | dd ...`), run with `sh -c`.
    Shell,
    /// `timeline` on the trace of a run of `pipe2 --count <messages> --tick
    /// <TRACE_TICK>`, made (once) before the measuring starts.
    Timeline,
}

/// One measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Unique, stable: the results file and the book refer to cases by it.
    pub id: &'static str,
    pub group: Group,
    /// What it is, in a few words, for the table.
    pub label: &'static str,
    pub program: Program,
    pub args: Vec<String>,
    /// How many messages cross the pipe (round trips for the latency cases;
    /// none for bulk bytes).
    pub messages: Option<u64>,
    /// How many bytes cross the pipe.
    pub bytes: u64,
    /// Needs Linux (`--pin`, `--pipe-size`).
    pub linux_only: bool,
    /// Needs two cores (`--pin apart`).
    pub two_cores: bool,
    /// Where the case sits on a plot's x axis: the read size, or the
    /// messages per write.
    pub x: Option<f64>,
    /// The output goes to a pipe, `| cat > /dev/null`, instead of straight
    /// to `/dev/null` (run with `sh -c`).
    pub to_pipe: bool,
}

impl Case {
    /// The command as the book shows it: program name and arguments.
    pub fn display(&self) -> String {
        let program = match &self.program {
            Program::Bin(name) => (*name).to_owned(),
            Program::Python(file) => format!("python3 bench/python/{file}"),
            Program::Shell => String::new(),
            Program::Timeline => "timeline".to_owned(),
        };
        let command = [program]
            .into_iter()
            .chain(self.args.iter().cloned())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if self.to_pipe { format!("{command} {TO_PIPE}") } else { command }
    }

    /// The trace file `timeline` draws: the name of a `Timeline` case's
    /// argument.
    pub fn trace_name(messages: u64) -> String {
        format!("pipe2-{messages}-tick-{TRACE_TICK}.jsonl")
    }
}

/// The tick of the pipe2 runs whose traces `timeline` draws. Long enough
/// that the reader takes most messages one read each, whatever else the
/// machine is doing, so that a trace has the same shape from run to run:
/// with `--tick 0`, how many messages each read takes depends on how busy
/// the machine is, and so does `timeline`'s work.
pub const TRACE_TICK: &str = "100us";

/// What a case with [`Case::to_pipe`] adds to its command.
pub const TO_PIPE: &str = "| cat > /dev/null";

/// How big a run is: `Full` for the results, `Tiny` to check that every case
/// runs at all (CI), in a few seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Full,
    Tiny,
}

/// One message of pipe2's stream: `Spam 000\n`.
pub const FRAMED: u64 = 9;
/// One message of pipe1's stream: `Spam 000`.
pub const UNFRAMED: u64 = 8;
/// 64 KiB: a Linux pipe's default capacity, and the block size of the bulk cases.
pub const BLOCK: u64 = 64 * 1024;
/// How many framed messages fit in one 64 KiB buffer: what "write when full" batches.
pub const PER_BLOCK: u64 = BLOCK / FRAMED;

/// Every case, with counts that make each run take a few tenths of a second
/// on the 2-core machine of the committed results (`Full`), or a few
/// milliseconds (`Tiny`). The cases of one table move the same number of
/// messages where their rows are compared one with another (the programs,
/// the read sizes, the output, the floor changed one way at a time, the
/// round trips), so that start-up weighs the same in each row; the cases of
/// a ratio always do (equal bytes, for a bandwidth).
pub fn cases(size: Size) -> Vec<Case> {
    let n = |full: u64| match size {
        Size::Full => full,
        Size::Tiny => (full / 1000).max(10),
    };
    let mut all = Vec::new();
    let mut add = |id, group, label, program, args: &[&str], messages: Option<u64>, bytes, x| {
        let linux_only = args.iter().any(|a| ["--pin", "--pipe-size"].contains(a));
        let two_cores = args.contains(&"apart");
        let args = args.iter().map(|a| (*a).to_owned()).collect();
        all.push(Case {
            id,
            group,
            label,
            program,
            args,
            messages,
            bytes,
            linux_only,
            two_cores,
            x,
            to_pipe: false,
        });
    };
    let framed = |count: u64| (Some(count), count * FRAMED);
    let unframed = |count: u64| (Some(count), count * UNFRAMED);
    let s = |n: u64| n.to_string();
    use Program::*;

    // The programs, flat out, their output thrown away (`> /dev/null`).
    let c = n(300_000);
    let (m, b) = framed(c);
    add(
        "floor",
        PROGRAMS,
        "one write per message, 64 KiB reads, no output: the floor",
        Bin("bench_case"),
        &["floor", "--count", &s(c)],
        m,
        b,
        None,
    );
    add(
        "floor_spin",
        PROGRAMS,
        "the floor, its reader polling (O_NONBLOCK): it never sleeps",
        Bin("bench_case"),
        &["floor", "--count", &s(c), "--spin"],
        m,
        b,
        None,
    );
    add(
        "pipe2",
        PROGRAMS,
        "pipe2, as written",
        Bin("pipe2"),
        &["--count", &s(c), "--tick", "0"],
        m,
        b,
        None,
    );
    add(
        "pipe2_fast",
        PROGRAMS,
        "pipe2_fast: output flushed only before a read would wait",
        Bin("pipe2_fast"),
        &["--count", &s(c), "--tick", "0"],
        m,
        b,
        None,
    );
    let (m, b) = unframed(c);
    add(
        "pipe1",
        PROGRAMS,
        "pipe1, as written (32-byte reads)",
        Bin("pipe1"),
        &["--count", &s(c), "--tick", "0"],
        m,
        b,
        None,
    );
    add(
        "pipe_thread",
        PROGRAMS,
        "pipe_thread, as written",
        Bin("pipe_thread"),
        &["--count", &s(c), "--tick", "0"],
        m,
        b,
        None,
    );
    let (m, b) = framed(c);
    add(
        "python_pipe2",
        PROGRAMS,
        "the book's pipe2.py, no sleeps",
        Python("pipe2.py"),
        &[&s(c)],
        m,
        b,
        None,
    );
    let (m, b) = unframed(c);
    add(
        "python_pipe1",
        PROGRAMS,
        "the book's pipe1.py, no sleeps",
        Python("pipe1.py"),
        &[&s(c)],
        m,
        b,
        None,
    );
    add(
        "python_pipe_thread",
        PROGRAMS,
        "the book's pipe-thread.py, no sleeps",
        Python("pipe_thread.py"),
        &[&s(c)],
        m,
        b,
        None,
    );

    // pipes: each greeting waits for its reply from the program it started,
    // a round trip per message, so fewer messages than the one-way programs.
    let c = n(10_000);
    let (m, b) = (Some(c), conversation_bytes(c));
    add(
        "pipes",
        PROGRAMS,
        "pipes and pipes_child: a greeting and its reply, round trips",
        Bin("pipes"),
        &["--count", &s(c), "--tick", "0"],
        m,
        b,
        None,
    );
    add(
        "python_pipes",
        PROGRAMS,
        "pipes.py and pipes_child.py, no sleeps",
        Python("pipes.py"),
        &[&s(c)],
        m,
        b,
        None,
    );

    // deadlocks: the conversation fixed (each reply written at its newline),
    // round trips as pipes', with the watch's bound running beside it.
    add(
        "deadlocks",
        PROGRAMS,
        "deadlocks rust-child --fix line-writer: round trips, the watch on",
        Bin("deadlocks"),
        &["rust-child", "--fix", "line-writer", "--count", &s(c), "--bound", "1m"],
        m,
        b,
        None,
    );
    add(
        "python_deadlocks",
        PROGRAMS,
        "deadlocks.py, its child flushing, the alarm set",
        Python("deadlocks.py"),
        &[&s(c)],
        m,
        b,
        None,
    );

    // Read sizes: pipe1 as written (a line per read), and reads alone.
    let c = n(200_000);
    let (m, b) = unframed(c);
    for (id, read_size) in [
        ("reads_1", 1),
        ("reads_8", 8),
        ("reads_32", 32),
        ("reads_4096", 4096),
        ("reads_65536", 65536),
    ] {
        let label = match read_size {
            1 => "1-byte reads, nothing printed",
            8 => "8-byte reads, nothing printed",
            32 => "32-byte reads, nothing printed",
            4096 => "4 KiB reads, nothing printed",
            _ => "64 KiB reads, nothing printed",
        };
        add(
            id,
            READS,
            label,
            Bin("bench_case"),
            &["reads", "--count", &s(c), "--read-size", &s(read_size)],
            m,
            b,
            Some(read_size as f64),
        );
    }
    for (id, read_size) in [
        ("pipe1_1", 1),
        ("pipe1_8", 8),
        ("pipe1_32", 32),
        ("pipe1_4096", 4096),
        ("pipe1_65536", 65536),
    ] {
        let label = match read_size {
            1 => "pipe1, 1-byte reads: a line per byte",
            8 => "pipe1, 8-byte reads",
            32 => "pipe1, 32-byte reads (the book's)",
            4096 => "pipe1, 4 KiB reads",
            _ => "pipe1, 64 KiB reads",
        };
        add(
            id,
            READS,
            label,
            Bin("pipe1"),
            &["--count", &s(c), "--tick", "0", "--read-size", &s(read_size)],
            m,
            b,
            Some(read_size as f64),
        );
    }

    // The parent's output: pipe2's loop, three ways to flush.
    let c = n(300_000);
    let (m, b) = framed(c);
    for (id, flush, label) in [
        ("print_line", "line", "a write(2) for every line (as pipe2's report makes)"),
        ("print_block", "block", "a write when 64 KiB are full, and at the end"),
        ("print_idle", "idle", "a write when full, and before a read would wait (pipe2_fast)"),
    ] {
        add(
            id,
            OUTPUT,
            label,
            Bin("bench_case"),
            &["print", "--count", &s(c), "--flush", flush],
            m,
            b,
            None,
        );
    }

    // The writer: one write per N messages; then whole rounds; then framing,
    // where the reader finds every message. The big batches move as many
    // bytes as the bulk cases: 5760 blocks of 64 KiB.
    for (id, every, count, label) in [
        ("batch_1", Some(1), 400_000, "a write per message (a BufWriter flushed each time)"),
        ("batch_16", Some(16), 3_000_000, "a write per 16 messages"),
        ("batch_256", Some(256), 20_000_000, "a write per 256 messages"),
        ("batch_4096", Some(4096), BULK_MESSAGES, "a write per 4096 messages"),
        (
            "batch_full",
            None,
            BULK_MESSAGES,
            "a write when the 64 KiB buffer is full (7281 messages)",
        ),
    ] {
        let c = n(count);
        let (m, b) = framed(c);
        let x = every.unwrap_or(PER_BLOCK) as f64;
        let mut args = vec!["batch".to_owned(), "--count".to_owned(), s(c)];
        if let Some(every) = every {
            args.extend(["--every".to_owned(), s(every)]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        add(id, WRITER, label, Bin("bench_case"), &args, m, b, Some(x));
    }
    let c = n(BULK_MESSAGES);
    let (m, b) = framed(c);
    add(
        "batch_rounds",
        WRITER,
        "as above, a whole round of five messages put in the buffer at once",
        Bin("bench_case"),
        &["batch", "--count", &s(c), "--whole-rounds"],
        m,
        b,
        None,
    );
    add(
        "frames_newline",
        WRITER,
        "a write when full; the reader finds each newline",
        Bin("bench_case"),
        &["batch", "--count", &s(c), "--parse"],
        m,
        b,
        None,
    );
    add(
        "frames_length",
        WRITER,
        "a write when full; the reader walks from length byte to length byte",
        Bin("bench_case"),
        &["batch", "--count", &s(c), "--parse", "--framing", "length"],
        m,
        b,
        None,
    );

    // Threads instead of processes; one core; the pipe's capacity. As many
    // messages as the floor in the first table.
    let c = n(300_000);
    let (m, b) = framed(c);
    for (id, label, more) in [
        ("floor_thread", "the floor, the writer a thread instead of a process", &["--thread"][..]),
        ("floor_apart", "the floor, each process pinned to a core of its own", &["--pin", "apart"]),
        ("floor_pinned", "the floor, both processes pinned to one core", &["--pin", "same"]),
        ("floor_pipe_4k", "the floor, a pipe of 4 KiB (F_SETPIPE_SZ)", &["--pipe-size", "4096"]),
        ("floor_pipe_1m", "the floor, a pipe of 1 MiB (F_SETPIPE_SZ)", &["--pipe-size", "1048576"]),
    ] {
        let count = s(c);
        let args: Vec<&str> =
            ["floor", "--count", &count].into_iter().chain(more.iter().copied()).collect();
        add(id, SHAPE, label, Bin("bench_case"), &args, m, b, None);
    }

    // Bulk bytes in 64 KiB writes, against dd: as many bytes as the big batches.
    let blocks = n(BULK_MESSAGES * FRAMED / BLOCK);
    // Sizes in bytes, and no status= (GNU only): BSD's dd (macOS) runs it too.
    let dd = format!(
        "dd if=/dev/zero bs=65536 count={blocks} 2>/dev/null | dd of=/dev/null bs=65536 2>/dev/null"
    );
    let dd_bytes = blocks * BLOCK;
    add("dd", BULK, "dd bs=64K | dd: the pipe's bandwidth", Shell, &[&dd], None, dd_bytes, None);
    add(
        "bulk",
        BULK,
        "64 KiB writes of zeros, 64 KiB reads",
        Bin("bench_case"),
        &["bulk", "--bytes", &s(dd_bytes)],
        None,
        dd_bytes,
        None,
    );
    add(
        "bulk_pipe_4k",
        BULK,
        "the same through a pipe of 4 KiB",
        Bin("bench_case"),
        &["bulk", "--bytes", &s(dd_bytes / 8), "--pipe-size", "4096"],
        None,
        dd_bytes / 8,
        None,
    );
    add(
        "bulk_pipe_1m",
        BULK,
        "the same through a pipe of 1 MiB",
        Bin("bench_case"),
        &["bulk", "--bytes", &s(dd_bytes), "--pipe-size", "1048576"],
        None,
        dd_bytes,
        None,
    );

    // Latency: round trips through two pipes.
    let c = n(10_000);
    for (id, label, more) in [
        ("pingpong", "round trips, where the scheduler puts the two processes", &[][..]),
        (
            "pingpong_apart",
            "round trips, each process pinned to a core of its own",
            &["--pin", "apart"],
        ),
        ("pingpong_pinned", "round trips, both processes pinned to one core", &["--pin", "same"]),
    ] {
        let count = s(c);
        let args: Vec<&str> =
            ["pingpong", "--count", &count].into_iter().chain(more.iter().copied()).collect();
        add(id, LATENCY, label, Bin("bench_case"), &args, Some(c), c * 2 * FRAMED, None);
    }
    add(
        "spawned",
        LATENCY,
        "round trips through a program started on two pipes (Command), as pipes starts one",
        Bin("bench_case"),
        &["spawned", "--count", &s(c)],
        Some(c),
        c * 2 * FRAMED,
        None,
    );

    // timeline on the trace of a pipe2 run, and on one four times as long:
    // if its time grows in proportion to the trace, the time per message
    // is the same.
    for (id, count) in [("timeline_short", n(3_000)), ("timeline_long", n(12_000))] {
        let label = match id {
            "timeline_short" => "timeline, on the trace of a pipe2 run with a short tick",
            _ => "timeline, on a trace four times as long",
        };
        let (m, b) = framed(count);
        add(id, TIMELINE, label, Timeline, &[&Case::trace_name(count)], m, b, None);
    }

    // Output to a pipe instead of /dev/null: each case is a copy of one
    // above, at the end of its table.
    for (id, of, label) in [
        ("pipe2_cat", "pipe2", "pipe2, its output to a pipe"),
        ("pipe2_fast_cat", "pipe2_fast", "pipe2_fast, its output to a pipe"),
        ("python_pipe2_cat", "python_pipe2", "the book's pipe2.py, its output to a pipe"),
        ("print_line_cat", "print_line", "a write for every line, to a pipe"),
        ("print_block_cat", "print_block", "a write when 64 KiB are full, to a pipe"),
        (
            "print_idle_cat",
            "print_idle",
            "a write when full or before a read would wait, to a pipe",
        ),
    ] {
        let mut case = all.iter().find(|c| c.id == of).unwrap().clone();
        (case.id, case.label, case.to_pipe) = (id, label, true);
        let end = all.iter().rposition(|c| c.group == case.group).unwrap();
        all.insert(end + 1, case);
    }
    all
}

/// The bytes of `count` greetings of pipes and their replies, both ways:
/// `Greeting <n> from parent <pid>` and `child <pid> read [<greeting>]`, each
/// with its newline, the process ids counted as 5 digits (they vary).
pub fn conversation_bytes(count: u64) -> u64 {
    let pid = 5;
    (1..=count)
        .map(|n| {
            let greeting = "Greeting ".len() + n.to_string().len() + " from parent ".len() + pid;
            let reply = "child ".len() + pid + " read [".len() + greeting + "]".len();
            (greeting + 1 + reply + 1) as u64
        })
        .sum()
}

/// How many messages the big batches send: as many bytes as 5760 blocks of
/// 64 KiB (9 bytes each, 65536 × 640 messages), which the bulk cases move.
pub const BULK_MESSAGES: u64 = 65536 * 640;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_group_has_cases() {
        let all = cases(Size::Full);
        let mut ids: Vec<&str> = all.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        for group in GROUPS {
            assert!(all.iter().any(|c| c.group == group), "{}", group.id);
        }
    }

    #[test]
    fn every_program_of_the_book_is_timed_beside_its_python() {
        let all = cases(Size::Full);
        for program in programs::all() {
            let name = program.name;
            // bench/python/ holds the book's Python without its sleeps, named
            // like the crate (pipe_thread.py for the book's pipe-thread.py).
            let python = format!("{name}.py");
            let timed = |wanted: &dyn Fn(&Program) -> bool| {
                all.iter().any(|c| c.group == PROGRAMS && wanted(&c.program))
            };
            assert!(timed(&|p| *p == Program::Bin(name)), "no case runs {name}");
            assert!(
                timed(&|p| matches!(p, Program::Python(file) if *file == python)),
                "no case runs bench/python/{python}"
            );
        }
    }

    #[test]
    fn a_conversations_bytes_are_its_lines() {
        let greeting = "Greeting 1 from parent 12345\n";
        let reply = "child 12346 read [Greeting 1 from parent 12345]\n";
        assert_eq!(conversation_bytes(1), (greeting.len() + reply.len()) as u64);
    }

    #[test]
    fn tiny_runs_the_same_cases_smaller() {
        let (full, tiny) = (cases(Size::Full), cases(Size::Tiny));
        assert_eq!(
            full.iter().map(|c| c.id).collect::<Vec<_>>(),
            tiny.iter().map(|c| c.id).collect::<Vec<_>>()
        );
        for (f, t) in full.iter().zip(&tiny) {
            assert!(t.bytes < f.bytes, "{}", f.id);
        }
    }
}
