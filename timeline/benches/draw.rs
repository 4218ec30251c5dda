//! How long `timeline` takes to read, check and draw a trace, by the
//! trace's length. Linear time shows as the same time per line at every
//! length; before the searches of `Run::sources`, the time per line grew
//! with the trace.
//!
//! ```text
//! cargo bench -p timeline      # traces of about 60,000 to 1,000,000 lines
//! ```
//!
//! The traces are made up, in the shape of `pipe2 --tick 0 --trace`: for each
//! message a sleep of no time and a write of `Spam NNN\n`, and reads that each
//! return one to four whole lines. Without `--bench` (as `cargo test
//! --benches` runs it), two small traces only: does it run?

use std::time::Instant;

use timeline::draw;
use timeline::run::Run;

/// One line of a trace: an event of `pid`, which is the `role`, at `t`.
fn line(t: u64, pid: u32, role: &str, rest: &str) -> String {
    format!(r#"{{"t":{t},"pid":{pid},"role":"{role}","event":{rest}}}"#)
}

/// A trace of `messages` messages, as pipe2 writes it flat out: the events
/// 10 ns apart, each lasting 5 ns.
fn trace(messages: u64) -> String {
    let (writer, reader) = (2, 1);
    let mut lines = vec![
        line(1_000, reader, "reader", &format!(r#""fork","child":{writer}"#)),
        line(1_010, writer, "writer", &format!(r#""forked","parent":{reader}"#)),
        line(1_020, writer, "writer", r#""start""#),
    ];
    let mut t = 1_030;
    let (mut waiting, mut in_read, mut random) = (String::new(), 0, 12345u64);
    for n in 0..messages {
        let sleep = format!(r#""sleep","end":{},"ticks":0,"tick_ns":0"#, t + 5);
        lines.push(line(t, writer, "writer", &sleep));
        let message = format!("Spam {:03}", n % 5);
        let write = format!(r#""write","end":{},"bytes":9,"message":"{message}""#, t + 15);
        lines.push(line(t + 10, writer, "writer", &write));
        t += 20;
        waiting += &message;
        waiting += "\\n";
        in_read += 1;
        random = random.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        if in_read > (random >> 33) % 4 || n + 1 == messages {
            let read = format!(
                r#""read","end":{},"fd":3,"asked":8192,"bytes":{},"data":"{waiting}""#,
                t + 5,
                9 * in_read
            );
            lines.push(line(t, reader, "reader", &read));
            t += 10;
            (waiting, in_read) = (String::new(), 0);
        }
    }
    lines.push(line(t, reader, "reader", &format!(r#""eof","end":{},"fd":3,"asked":8192"#, t + 5)));
    lines.join("\n") + "\n"
}

fn main() {
    let bench = std::env::args().any(|arg| arg == "--bench");
    let sizes: &[u64] = if bench { &[25_000, 100_000, 400_000] } else { &[1_000, 4_000] };
    for &messages in sizes {
        let text = trace(messages);
        let lines = text.lines().count();
        let start = Instant::now();
        let run = Run::parse(&text).expect("a trace timeline can read");
        run.check().expect("a possible run");
        let svg = draw::timeline(&run, "a made-up run");
        let took = start.elapsed().as_secs_f64();
        let per_line = took * 1e6 / lines as f64;
        println!(
            "{lines:>9} lines: {took:>6.2} s, {per_line:.2} µs a line ({} MB of SVG)",
            svg.len() / 1_000_000
        );
    }
}
