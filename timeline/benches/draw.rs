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
use timeline::recorded::{Bytes, Event, Line, Role, Run};

/// A trace of `messages` messages, as pipe2 writes it flat out: the events
/// 10 ns apart, each lasting 5 ns. Written as the programs write a trace:
/// each [`Line`] with serde_json.
fn trace(messages: u64) -> String {
    let (writer, reader) = (2, 1);
    let by_writer = |t, event| Line { t, pid: writer, role: Role::Writer, event };
    let by_reader = |t, event| Line { t, pid: reader, role: Role::Reader, event };
    let mut lines = vec![
        by_reader(1_000, Event::Fork { child: writer }),
        by_writer(1_010, Event::Forked { parent: reader }),
        by_writer(1_020, Event::Start {}),
    ];
    let mut t = 1_030;
    let (mut waiting, mut in_read, mut random) = (Vec::new(), 0, 12345u64);
    for n in 0..messages {
        lines.push(by_writer(t, Event::Sleep { end: t + 5, ticks: 0, tick_ns: 0 }));
        let message = format!("Spam {:03}", n % 5).into_bytes();
        waiting.extend(&message);
        waiting.push(b'\n');
        let (fd, pipe, message) = (None, None, Bytes(message));
        let write = Event::Write { end: t + 15, fd, pipe, bytes: Some(9), message };
        lines.push(by_writer(t + 10, write));
        t += 20;
        in_read += 1;
        random = random.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        if in_read > (random >> 33) % 4 || n + 1 == messages {
            let data = Bytes(std::mem::take(&mut waiting));
            let bytes = 9 * in_read;
            let read = Event::Read { end: t + 5, fd: 3, pipe: None, asked: 8192, bytes, data };
            lines.push(by_reader(t, read));
            t += 10;
            in_read = 0;
        }
    }
    lines.push(by_reader(t, Event::Eof { end: t + 5, fd: 3, pipe: None, asked: 8192 }));
    lines.iter().map(|line| line.to_json().expect("a line") + "\n").collect()
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
