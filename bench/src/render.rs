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
    let kind = if m.virtual_machine { ", a virtual machine" } else { "" };
    let python = match (&results.python, &results.python_stdout) {
        (Some(python), Some(stdout)) => format!("{python} (its output {stdout})"),
        (Some(python), None) => python.clone(),
        (None, _) => "no Python".to_owned(),
    };
    let unset = match results.unset.as_slice() {
        [] => " No `PYTHON...` variable was set.".to_owned(),
        names => {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let (last, rest) = names.split_last().unwrap();
            let list = if rest.is_empty() {
                last.clone()
            } else {
                format!("{} and {last}", rest.join(", "))
            };
            let verb = if names.len() == 1 { "was" } else { "were" };
            format!(" {list} {verb} unset for every run.")
        }
    };
    let load = match results.load_average {
        Some(load) => format!(" The load average when the run started was {load:.2}."),
        None => String::new(),
    };
    let each = match results.runs {
        1 => format!("once in each of {} rounds", results.rounds),
        runs => format!("{runs} times in each of {} rounds", results.rounds),
    };
    format!(
        "Measured on **{}** ({} cores{kind}), {}, on {}, with {} and {python}.{unset} Each case \
         ran {} times, {each}, all cases in turn; the tables show its fastest run, and its \
         spread: its slowest run's time over its fastest's. Each round began with {} \
         of each ratio's two cases, one right after the other (which went first changed \
         from pair to pair); a ratio is the median of its {} pairs' ratios, shown with the \
         lowest and the highest. Rates count the bytes and messages that cross the pipe; the \
         context switches are those of every process and thread of a run, the median of \
         three runs made before the rounds.{load}\n",
        m.cpu,
        m.cores,
        m.kernel,
        results.date,
        results.hyperfine,
        results.rounds * results.runs,
        match results.pairs {
            1 => "a pair".to_owned(),
            pairs => format!("{pairs} pairs"),
        },
        results.rounds * results.pairs,
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
    header.extend([format!("µs/<wbr>{one}"), format!("switches/<wbr>{one}"), "spread".to_owned()]);
    let mut text =
        format!("| {} |\n|---|{}\n", header.join(" | "), "--:|".repeat(header.len() - 1));
    let dash = || "–".to_owned();
    for case in rows {
        let per_one = match group {
            cases::BULK => Some(case.seconds / (case.bytes as f64 / cases::BLOCK as f64) * 1e6),
            _ => case.us_per_message,
        };
        let mut cells =
            vec![format!("{}<br><small>`{}`</small>", prose(&case.label), cell(&case.command))];
        cells.extend(per_s.map(|_| case.messages_per_s.map_or_else(dash, rate)));
        cells.extend(bytes.then(|| decimal(case.mb_per_s)));
        cells.push(per_one.map_or_else(dash, decimal));
        cells.push(case.switches_per_message.map_or_else(dash, decimal));
        cells.push(format!("{:.2}", case.spread));
        writeln!(text, "| {} |", cells.join(" | ")).unwrap();
    }
    text
}

/// Text for a table cell: a `|` would end the cell, so it is escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A label as a table cell of prose: as [`cell`], and with each `--` of
/// an option written `-\-`, so that mdBook's smart punctuation does not
/// turn it into a dash (`--fix`, not `–fix`).
fn prose(text: &str) -> String {
    cell(text).replace("--", "-\\-")
}

/// The ratios, their targets, and whether this run met them.
pub fn ratios(results: &Results) -> String {
    let mut text =
        "| comparison | measured | lowest | highest | target |\n|---|--:|--:|--:|---|\n".to_owned();
    for ratio in &results.ratios {
        let target = match (&ratio.target, ratio.met) {
            (Some(target), Some(true)) => format!("{target}: met"),
            (Some(target), _) => format!("{target}: **falls short**"),
            (None, _) => "–".to_owned(),
        };
        writeln!(
            text,
            "| {} | {:.2} | {:.2} | {:.2} | {target} |",
            prose(&ratio.label),
            ratio.value,
            ratio.lowest,
            ratio.highest
        )
        .unwrap();
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

/// One line of a plot: at each x, the rate of the fastest run, and of the
/// slowest (drawn as a bar from one to the other).
struct Series<'a> {
    name: &'a str,
    color: &'a str,
    points: Vec<Point>,
}

#[derive(Clone, Copy)]
struct Point {
    x: f64,
    fastest: f64,
    slowest: f64,
}

fn points(results: &Results, ids: &[&str]) -> Vec<Point> {
    let all = cases::cases(cases::Size::Full);
    ids.iter()
        .filter_map(|id| {
            let x = all.iter().find(|c| c.id == *id)?.x?;
            let case = results.case(id)?;
            let messages = case.messages? as f64;
            Some(Point { x, fastest: messages / case.seconds, slowest: messages / case.slowest })
        })
        .collect()
}

/// Messages per second against the read size: pipe1, and reads alone.
pub fn read_size_plot(results: &Results) -> String {
    let reads = points(results, &["reads_1", "reads_8", "reads_32", "reads_4096", "reads_65536"]);
    let pipe1 = points(results, &["pipe1_1", "pipe1_8", "pipe1_32", "pipe1_4096", "pipe1_65536"]);
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

/// The plots' width, in the SVG's own units. The SVG is as wide as the
/// text column, up to this many pixels: on a phone 390 pixels wide the
/// column is about 335, and the text, [`FONT`] units high, still 10.7 pixels
/// (10 in a column of 315).
pub const WIDTH: f64 = 440.0;
/// The size of the plots' text (the title's is two more).
pub const FONT: f64 = 14.0;

/// A log-log plot as an SVG that takes the page's text colour (`currentColor`),
/// so that it reads on light and dark themes alike. Each point is the
/// fastest run; a bar from it reaches down to the slowest.
fn plot(id: &str, title: &str, x_label: &str, series: &[Series]) -> String {
    let line_height = FONT + 6.0;
    let legend = series.len() as f64 * line_height;
    let (width, left, right, top) = (WIDTH, 62.0, 20.0, 36.0);
    let bottom = 2.0 * line_height + 12.0 + legend;
    let height = top + 220.0 + bottom;
    let all: Vec<Point> = series.iter().flat_map(|s| s.points.iter().copied()).collect();
    let span = |values: Vec<f64>| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min).max(1e-9);
        let hi = values.iter().copied().fold(0.0, f64::max).max(lo * 10.0);
        (lo.log10().floor(), hi.log10().ceil())
    };
    let (x0, x1) = span(all.iter().map(|p| p.x).collect());
    let (y0, y1) = span(all.iter().flat_map(|p| [p.fastest, p.slowest]).collect());
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0) * (width - left - right);
    let py = |y: f64| height - bottom - (y.log10() - y0) / (y1 - y0) * (height - top - bottom);

    let mut svg = String::new();
    writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" style="width: 100%; max-width: {width}px; height: auto" role="img" aria-labelledby="{id}-title">"#
    )
    .unwrap();
    writeln!(svg, r#"<title id="{id}-title">{title}</title>"#).unwrap();
    writeln!(svg, r#"<g fill="currentColor" font-family="sans-serif" font-size="{FONT}">"#)
        .unwrap();
    writeln!(
        svg,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="{}">{title}</text>"#,
        width / 2.0,
        FONT + 2.0
    )
    .unwrap();
    // The grid and its labels: every power of ten on the x axis; on the y
    // axis, every power of ten, and 2 and 5 times it where a decade has room.
    let decades = y1 - y0;
    let steps: &[f64] = if decades <= 2.0 { &[1.0, 2.0, 5.0] } else { &[1.0] };
    for k in (x0 as i32)..=(x1 as i32) {
        let x = px(10f64.powi(k));
        writeln!(svg, r#"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{}" stroke="currentColor" stroke-opacity="0.15"/>"#, height - bottom).unwrap();
        writeln!(
            svg,
            r#"<text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            height - bottom + line_height,
            tick(10f64.powi(k))
        )
        .unwrap();
    }
    for k in (y0 as i32)..=(y1 as i32) {
        for &m in steps {
            let value = m * 10f64.powi(k);
            if value > 10f64.powf(y1) * 1.0001 {
                continue;
            }
            let y = py(value);
            writeln!(svg, r#"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="currentColor" stroke-opacity="0.15"/>"#, width - right).unwrap();
            writeln!(
                svg,
                r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 5.0,
                y + FONT / 3.0,
                tick(value)
            )
            .unwrap();
        }
    }
    writeln!(svg, r#"<rect x="{left}" y="{top}" width="{}" height="{}" fill="none" stroke="currentColor" stroke-opacity="0.6"/>"#, width - left - right, height - top - bottom).unwrap();
    writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle">{x_label}</text>"#,
        left + (width - left - right) / 2.0,
        height - bottom + 2.0 * line_height + 2.0
    )
    .unwrap();
    writeln!(svg, r#"<text transform="translate({} {:.1}) rotate(-90)" text-anchor="middle">messages per second</text>"#, FONT, top + (height - top - bottom) / 2.0).unwrap();
    // The series, and a legend under the plot, one line each.
    for (i, s) in series.iter().enumerate() {
        let line: Vec<String> =
            s.points.iter().map(|p| format!("{:.1},{:.1}", px(p.x), py(p.fastest))).collect();
        writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>"#,
            line.join(" "),
            s.color
        )
        .unwrap();
        for p in &s.points {
            let (x, y) = (px(p.x), py(p.fastest));
            writeln!(svg, r#"<line x1="{x:.1}" y1="{y:.1}" x2="{x:.1}" y2="{:.1}" stroke="{}" stroke-width="1.5"/>"#, py(p.slowest), s.color).unwrap();
            writeln!(svg, r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{}"/>"#, s.color).unwrap();
        }
        let (lx, ly) = (left, height - legend + i as f64 * line_height + FONT - 4.0);
        writeln!(
            svg,
            r#"<line x1="{lx}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="{}" stroke-width="2.5"/>"#,
            ly - FONT / 3.0,
            lx + 24.0,
            ly - FONT / 3.0,
            s.color
        )
        .unwrap();
        writeln!(svg, r#"<text x="{}" y="{ly}">{}</text>"#, lx + 30.0, s.name).unwrap();
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_in_a_label_keeps_its_two_hyphens() {
        assert_eq!(prose("rust-child --fix line-writer"), "rust-child -\\-fix line-writer");
        assert_eq!(prose("a | b"), "a \\| b");
    }

    fn series(points: &[(f64, f64, f64)]) -> Vec<Point> {
        points.iter().map(|&(x, fastest, slowest)| Point { x, fastest, slowest }).collect()
    }

    #[test]
    fn plot_text_is_at_least_10_pixels_in_a_phones_column() {
        let points = series(&[(1.0, 1e5, 5e4), (8.0, 1e6, 9e5), (65536.0, 3e6, 1e6)]);
        let svg = plot(
            "p",
            "A title",
            "bytes",
            &[
                Series { name: "one", color: "#000", points: points.clone() },
                Series { name: "two", color: "#111", points },
            ],
        );
        assert!(svg.contains(&format!(r#"viewBox="0 0 {WIDTH} "#)), "{svg}");
        // Every size of text the plot sets, scaled to a 315-pixel column.
        let sizes: Vec<f64> = svg
            .split("font-size=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!(sizes.contains(&FONT), "{sizes:?}");
        for size in sizes {
            assert!(size * 315.0 / WIDTH >= 10.0, "text of {size} units: too small on a phone");
        }
    }

    #[test]
    fn each_point_has_a_bar_down_to_its_slowest_run() {
        let svg = plot(
            "p",
            "t",
            "x",
            &[Series { name: "s", color: "#123456", points: series(&[(1.0, 100.0, 50.0)]) }],
        );
        let bars = svg.lines().filter(|l| l.starts_with("<line") && l.contains("#123456")).count();
        // The bar, and the legend's sample of the line.
        assert_eq!(bars, 2, "{svg}");
    }
}
