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

pub const GROUPS: [Group; 7] = [PROGRAMS, READS, OUTPUT, WRITER, SHAPE, BULK, LATENCY];

/// What runs a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// A binary of this workspace (`pipe2`, `bench_case`, ...), built next to `bench`.
    Bin(&'static str),
    /// A Python program in `bench/python/`, run with `python3`.
    Python(&'static str),
    /// A shell pipeline (`dd ... | dd ...`), run with `sh -c`.
    Shell,
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
}

impl Case {
    /// The command as the book shows it: program name and arguments.
    pub fn display(&self) -> String {
        let program = match &self.program {
            Program::Bin(name) => (*name).to_owned(),
            Program::Python(file) => format!("python3 bench/python/{file}"),
            Program::Shell => String::new(),
        };
        [program]
            .into_iter()
            .chain(self.args.iter().cloned())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

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
/// milliseconds (`Tiny`).
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
        });
    };
    let framed = |count: u64| (Some(count), count * FRAMED);
    let unframed = |count: u64| (Some(count), count * UNFRAMED);
    let s = |n: u64| n.to_string();
    use Program::*;

    // The programs, flat out, their output thrown away (`> /dev/null`).
    let c = n(400_000);
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
    let c = n(300_000);
    let (m, b) = framed(c);
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
    let c = n(400_000);
    let (m, b) = framed(c);
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
    let c = n(300_000);
    let (m, b) = unframed(c);
    add(
        "pipe1",
        PROGRAMS,
        "pipe1, as written (32-byte reads)",
        Bin("pipe1"),
        &["--count", &s(c), "--tick", "0"],
        m,
        b,
        Some(32.0),
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
    let c = n(100_000);
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

    // Read sizes: pipe1 as written (a line per read), and reads alone.
    for (id, read_size, count) in [
        ("reads_1", 1, 100_000),
        ("reads_8", 8, 300_000),
        ("reads_32", 32, 400_000),
        ("reads_4096", 4096, 400_000),
        ("reads_65536", 65536, 400_000),
    ] {
        let c = n(count);
        let (m, b) = unframed(c);
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
    for (id, read_size, count) in [
        ("pipe1_1", 1, 40_000),
        ("pipe1_8", 8, 200_000),
        ("pipe1_4096", 4096, 300_000),
        ("pipe1_65536", 65536, 300_000),
    ] {
        let c = n(count);
        let (m, b) = unframed(c);
        let label = match read_size {
            1 => "pipe1, 1-byte reads: a line per byte",
            8 => "pipe1, 8-byte reads",
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
    for (id, flush, label) in [
        ("print_line", "line", "flushed after every line (Rust's stdout, pipe2)"),
        ("print_block", "block", "flushed when 64 KiB are full, and at the end"),
        ("print_idle", "idle", "flushed when full, and before a read would wait (pipe2_fast)"),
    ] {
        let c = n(400_000);
        let (m, b) = framed(c);
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
    // where the reader finds every message.
    for (id, every, count, label) in [
        ("batch_1", Some(1), 400_000, "a write per message (a BufWriter flushed each time)"),
        ("batch_16", Some(16), 3_000_000, "a write per 16 messages"),
        ("batch_256", Some(256), 20_000_000, "a write per 256 messages"),
        ("batch_4096", Some(4096), 40_000_000, "a write per 4096 messages"),
        ("batch_full", None, 40_000_000, "a write when the 64 KiB buffer is full (7281 messages)"),
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
    let c = n(40_000_000);
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

    // Threads instead of processes; one core; the pipe's capacity.
    let c = n(400_000);
    let (m, b) = framed(c);
    add(
        "floor_thread",
        SHAPE,
        "the floor, the writer a thread instead of a process",
        Bin("bench_case"),
        &["floor", "--count", &s(c), "--thread"],
        m,
        b,
        None,
    );
    add(
        "floor_apart",
        SHAPE,
        "the floor, each process pinned to a core of its own",
        Bin("bench_case"),
        &["floor", "--count", &s(c), "--pin", "apart"],
        m,
        b,
        None,
    );
    add(
        "floor_pinned",
        SHAPE,
        "the floor, both processes pinned to one core",
        Bin("bench_case"),
        &["floor", "--count", &s(c), "--pin", "same"],
        m,
        b,
        None,
    );
    add(
        "floor_pipe_4k",
        SHAPE,
        "the floor, a pipe of 4 KiB (F_SETPIPE_SZ)",
        Bin("bench_case"),
        &["floor", "--count", &s(c), "--pipe-size", "4096"],
        m,
        b,
        None,
    );
    add(
        "floor_pipe_1m",
        SHAPE,
        "the floor, a pipe of 1 MiB (F_SETPIPE_SZ)",
        Bin("bench_case"),
        &["floor", "--count", &s(c), "--pipe-size", "1048576"],
        m,
        b,
        None,
    );

    // Bulk bytes in 64 KiB writes, against dd.
    let blocks = n(8192);
    let bytes = blocks * BLOCK;
    // Sizes in bytes, and no status= (GNU only): BSD's dd (macOS) runs it too.
    let dd = format!(
        "dd if=/dev/zero bs=65536 count={blocks} 2>/dev/null | dd of=/dev/null bs=65536 2>/dev/null"
    );
    add("dd", BULK, "dd bs=64K | dd: the pipe's bandwidth", Shell, &[&dd], None, bytes, None);
    add(
        "bulk",
        BULK,
        "64 KiB writes of zeros, 64 KiB reads",
        Bin("bench_case"),
        &["bulk", "--bytes", &s(bytes)],
        None,
        bytes,
        None,
    );
    add(
        "bulk_pipe_4k",
        BULK,
        "the same through a pipe of 4 KiB",
        Bin("bench_case"),
        &["bulk", "--bytes", &s(bytes / 8), "--pipe-size", "4096"],
        None,
        bytes / 8,
        None,
    );
    add(
        "bulk_pipe_1m",
        BULK,
        "the same through a pipe of 1 MiB",
        Bin("bench_case"),
        &["bulk", "--bytes", &s(bytes), "--pipe-size", "1048576"],
        None,
        bytes,
        None,
    );

    // Latency: round trips through two pipes.
    let c = n(10_000);
    add(
        "pingpong",
        LATENCY,
        "round trips, where the scheduler puts the two processes",
        Bin("bench_case"),
        &["pingpong", "--count", &s(c)],
        Some(c),
        c * 2 * FRAMED,
        None,
    );
    let c = n(6_000);
    add(
        "pingpong_apart",
        LATENCY,
        "round trips, each process pinned to a core of its own",
        Bin("bench_case"),
        &["pingpong", "--count", &s(c), "--pin", "apart"],
        Some(c),
        c * 2 * FRAMED,
        None,
    );
    let c = n(40_000);
    add(
        "pingpong_pinned",
        LATENCY,
        "round trips, both processes pinned to one core",
        Bin("bench_case"),
        &["pingpong", "--count", &s(c), "--pin", "same"],
        Some(c),
        c * 2 * FRAMED,
        None,
    );
    all
}

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
