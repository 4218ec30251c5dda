//! The book's tables and plots, made from a results file and nothing else,
//! so that a test can make them again and compare.

use std::fmt::Write;

use crate::cases::{self, Group};
use crate::results::{CaseResult, Results};

/// Every file of `book/src/speed/`, by name, with its text.
pub fn book_files(results: &Results) -> Vec<(String, String)> {
    let mut files = vec![("machine.md".to_owned(), machine(results))];
    for group in cases::GROUPS {
        files.push((format!("{}.md", group.id), table(results, group)));
    }
    files.push(("ratios.md".to_owned(), ratios(results)));
    files.push(("read_size.svg".to_owned(), read_size_plot(results)));
    files.push(("batch.svg".to_owned(), batch_plot(results)));
    files
}

/// Where the numbers come from, in one paragraph.
pub fn machine(results: &Results) -> String {
    let m = &results.machine;
    let python = results.python.as_deref().unwrap_or("no Python");
    let kind = if m.virtual_machine { ", a virtual machine" } else { "" };
    let load = match results.load_average {
        Some(load) => format!(" The load average when the run started was {load:.2}."),
        None => String::new(),
    };
    format!(
        "Measured on **{}** ({} cores{kind}), {}, on {}, with {} and {}. Each case ran {} times, {} \
         (all cases in turn, each round); the tables show its fastest run. A ratio of times \
         or of bandwidths is the median of the ratios of runs made one right after the \
         other. Rates count the \
         bytes and messages that cross the pipe; the context switches are those of every \
         process and thread of a run, the median of three more runs.{load}\n",
        m.cpu,
        m.cores,
        m.kernel,
        results.date,
        results.hyperfine,
        python,
        results.rounds * results.runs,
        match results.runs {
            1 => format!("once in each of {} rounds", results.rounds),
            runs => format!("{runs} times in each of {} rounds", results.rounds),
        },
    )
}

/// The table of one group of cases. Every table has the time and the
/// context switches per message (per round trip, per 64 KiB); messages per
/// second where there are messages, and MB/s where bytes are the point
/// (elsewhere they are the messages per second times 9, and would only make
/// the table too wide to read). The results file has both for every case.
pub fn table(results: &Results, group: Group) -> String {
    let rows: Vec<&CaseResult> = results.cases.iter().filter(|c| c.group == group.id).collect();
    // `<wbr>`: where a heading may break when the column is narrow (a phone).
    let (per_s, one) = match group {
        cases::LATENCY => (Some("trips/<wbr>s"), "trip"),
        cases::BULK => (None, "64 KiB"),
        _ => (Some("msgs/<wbr>s"), "msg"),
    };
    let bytes = [cases::WRITER, cases::BULK].contains(&group);
    let mut header = vec!["case, and its command".to_owned()];
    header.extend(per_s.map(str::to_owned));
    header.extend(bytes.then(|| "MB/<wbr>s".to_owned()));
    header.extend([format!("µs/<wbr>{one}"), format!("switches/<wbr>{one}")]);
    let mut text =
        format!("| {} |\n|---|{}\n", header.join(" | "), "--:|".repeat(header.len() - 1));
    let dash = || "–".to_owned();
    for case in rows {
        let per_one = match group {
            cases::BULK => Some(case.seconds / (case.bytes as f64 / cases::BLOCK as f64) * 1e6),
            _ => case.us_per_message,
        };
        let mut cells =
            vec![format!("{}<br><small>`{}`</small>", cell(&case.label), cell(&case.command))];
        cells.extend(per_s.map(|_| case.messages_per_s.map_or_else(dash, rate)));
        cells.extend(bytes.then(|| decimal(case.mb_per_s)));
        cells.push(per_one.map_or_else(dash, decimal));
        cells.push(case.switches_per_message.map_or_else(dash, decimal));
        writeln!(text, "| {} |", cells.join(" | ")).unwrap();
    }
    text
}

/// Text for a table cell: a `|` would end the cell, so it is escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The ratios, their targets, and whether this run met them.
pub fn ratios(results: &Results) -> String {
    let mut text = "| comparison | measured | target |\n|---|--:|---|\n".to_owned();
    for ratio in &results.ratios {
        let target = match (&ratio.target, ratio.met) {
            (Some(target), Some(true)) => format!("{target}: met"),
            (Some(target), _) => format!("{target}: **falls short**"),
            (None, _) => "–".to_owned(),
        };
        writeln!(text, "| {} | {:.2} | {target} |", cell(&ratio.label), ratio.value).unwrap();
    }
    text
}

/// A rate with three significant digits and a k or M: `1.23 M`, `457 k`.
pub fn rate(x: f64) -> String {
    let (value, unit) = match x {
        x if x >= 1e6 => (x / 1e6, " M"),
        x if x >= 1e3 => (x / 1e3, " k"),
        x => (x, ""),
    };
    format!("{}{unit}", three_digits(value))
}

/// A number with three significant digits (whole numbers from 100 on): `0.412`, `41.2`, `4123`.
pub fn decimal(x: f64) -> String {
    three_digits(x)
}

/// A tick label: `500`, `2k`, `1M`.
fn tick(x: f64) -> String {
    match x {
        x if x >= 1e9 => format!("{}G", x / 1e9),
        x if x >= 1e6 => format!("{}M", x / 1e6),
        x if x >= 1e3 => format!("{}k", x / 1e3),
        x => format!("{x}"),
    }
}

fn three_digits(x: f64) -> String {
    match x {
        x if x >= 100.0 => format!("{x:.0}"),
        x if x >= 10.0 => format!("{x:.1}"),
        x if x >= 1.0 => format!("{x:.2}"),
        x => format!("{x:.3}"),
    }
}

/// One line of a plot.
struct Series<'a> {
    name: &'a str,
    color: &'a str,
    points: Vec<(f64, f64)>,
}

fn points(results: &Results, ids: &[&str]) -> Vec<(f64, f64)> {
    let all = cases::cases(cases::Size::Full);
    ids.iter()
        .filter_map(|id| {
            let x = all.iter().find(|c| c.id == *id)?.x?;
            Some((x, results.case(id)?.messages_per_s?))
        })
        .collect()
}

/// Messages per second against the read size: pipe1, and reads alone.
pub fn read_size_plot(results: &Results) -> String {
    let reads = points(results, &["reads_1", "reads_8", "reads_32", "reads_4096", "reads_65536"]);
    let pipe1 = points(results, &["pipe1_1", "pipe1_8", "pipe1", "pipe1_4096", "pipe1_65536"]);
    plot(
        "read_size",
        "Messages per second against the read size",
        "bytes asked for in each read",
        &[
            Series { name: "reads alone", color: "#3b82f6", points: reads },
            Series { name: "pipe1 (a line printed per read)", color: "#f97316", points: pipe1 },
        ],
    )
}

/// Messages per second against how many messages go in one write.
pub fn batch_plot(results: &Results) -> String {
    let batch = points(results, &["batch_1", "batch_16", "batch_256", "batch_4096", "batch_full"]);
    plot(
        "batch",
        "Messages per second against messages per write",
        "messages in each write",
        &[Series { name: "batched writer, 64 KiB reads", color: "#3b82f6", points: batch }],
    )
}

/// A log-log plot as an SVG that takes the page's text colour (`currentColor`),
/// so that it reads on light and dark themes alike.
fn plot(id: &str, title: &str, x_label: &str, series: &[Series]) -> String {
    let (width, height) = (640.0, 380.0);
    let (left, right, top, bottom) = (80.0, 20.0, 40.0, 90.0);
    let all: Vec<(f64, f64)> = series.iter().flat_map(|s| s.points.iter().copied()).collect();
    let span = |values: Vec<f64>| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min).max(1e-9);
        let hi = values.iter().copied().fold(0.0, f64::max).max(lo * 10.0);
        (lo.log10().floor(), hi.log10().ceil())
    };
    let (x0, x1) = span(all.iter().map(|p| p.0).collect());
    let (y0, y1) = span(all.iter().map(|p| p.1).collect());
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0) * (width - left - right);
    let py = |y: f64| height - bottom - (y.log10() - y0) / (y1 - y0) * (height - top - bottom);

    let mut svg = String::new();
    writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" style="width: 100%; max-width: {width}px; height: auto" role="img" aria-labelledby="{id}-title">"#
    )
    .unwrap();
    writeln!(svg, r#"<title id="{id}-title">{title}</title>"#).unwrap();
    writeln!(svg, r#"<g fill="currentColor" font-family="sans-serif" font-size="13">"#).unwrap();
    writeln!(
        svg,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{title}</text>"#,
        width / 2.0
    )
    .unwrap();
    // The grid and its labels: every power of ten, and 2 and 5 times it on the y axis.
    for k in (x0 as i32)..=(x1 as i32) {
        let x = px(10f64.powi(k));
        writeln!(svg, r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{}" stroke="currentColor" stroke-opacity="0.15"/>"#, height - bottom).unwrap();
        writeln!(
            svg,
            r#"<text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            height - bottom + 18.0,
            tick(10f64.powi(k))
        )
        .unwrap();
    }
    for k in (y0 as i32)..(y1 as i32) {
        for m in [1.0, 2.0, 5.0] {
            let y = py(m * 10f64.powi(k));
            writeln!(svg, r#"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="currentColor" stroke-opacity="0.15"/>"#, width - right).unwrap();
            writeln!(
                svg,
                r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                y + 4.0,
                tick(m * 10f64.powi(k))
            )
            .unwrap();
        }
    }
    let y = py(10f64.powi(y1 as i32));
    writeln!(
        svg,
        r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
        left - 6.0,
        y + 4.0,
        tick(10f64.powi(y1 as i32))
    )
    .unwrap();
    writeln!(svg, r#"<rect x="{left}" y="{top}" width="{}" height="{}" fill="none" stroke="currentColor" stroke-opacity="0.6"/>"#, width - left - right, height - top - bottom).unwrap();
    writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle">{x_label}</text>"#,
        left + (width - left - right) / 2.0,
        height - bottom + 40.0
    )
    .unwrap();
    writeln!(svg, r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">messages per second</text>"#, top + (height - top - bottom) / 2.0).unwrap();
    // The series, and a legend under the plot.
    for (i, s) in series.iter().enumerate() {
        let line: Vec<String> =
            s.points.iter().map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y))).collect();
        writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>"#,
            line.join(" "),
            s.color
        )
        .unwrap();
        for &(x, y) in &s.points {
            writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{}"/>"#,
                px(x),
                py(y),
                s.color
            )
            .unwrap();
        }
        let (lx, ly) = (left + i as f64 * 260.0, height - 18.0);
        writeln!(
            svg,
            r#"<line x1="{lx}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="{}" stroke-width="2.5"/>"#,
            ly - 4.0,
            lx + 24.0,
            ly - 4.0,
            s.color
        )
        .unwrap();
        writeln!(svg, r#"<text x="{}" y="{ly}">{}</text>"#, lx + 30.0, s.name).unwrap();
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}
