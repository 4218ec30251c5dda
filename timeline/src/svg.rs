//! A few SVG elements, written by hand: the pictures need lines, rectangles,
//! circles and text, nothing a crate would do better.

use std::fmt::Write as _;

/// The style every picture carries. It draws in `currentColor`, the colour of
/// the text around the picture, so that it reads on the book's light and dark
/// themes alike; the two accent colours are mid-tones that show on both.
/// Class names start with the picture's `class` so that pictures placed
/// inline in one page do not restyle each other.
pub fn style(class: &str) -> String {
    format!(
        "<style>\
.{c}{{font-family:sans-serif;font-size:12px}}\
.{c} text{{fill:currentColor}}\
.{c} .mono{{font-family:var(--mono-font,monospace);font-size:12px}}\
.{c} .small{{font-size:11px;fill-opacity:.8}}\
.{c} .bold{{font-weight:bold}}\
.{c} .line{{stroke:currentColor;fill:none}}\
.{c} .faint{{stroke-opacity:.35}}\
.{c} .mark{{fill:currentColor}}\
.{c} .faint-fill{{fill-opacity:.3}}\
.{c} .hollow{{fill:none;stroke:currentColor;stroke-width:1.5}}\
.{c} .accent{{stroke:#e8590c;fill:#e8590c}}\
.{c} .band{{fill:#e8590c;fill-opacity:.16}}\
.{c} .bytes{{fill:#339af0;fill-opacity:.4}}\
.{c} .held{{fill:none;stroke:#e8590c;stroke-width:1.5;stroke-dasharray:3 2}}\
.{c} .stuck{{fill:#e8590c;fill-opacity:.6}}\
.{c} .box{{fill:currentColor;fill-opacity:.05;stroke:currentColor;stroke-opacity:.5}}\
</style>",
        c = class
    )
}

/// Text with `&`, `<` and `>` escaped (text, not attributes: `"` may stay).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The markup of one picture, element by element.
#[derive(Debug, Default)]
pub struct Svg {
    body: String,
}

/// Where a text stands relative to its x.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Svg {
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" class="{class}"/>"#
        );
    }

    pub fn rect(&mut self, (x, y): (f64, f64), (w, h): (f64, f64), class: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" class="{class}"/>"#
        );
    }

    pub fn rounded(&mut self, (x, y): (f64, f64), (w, h): (f64, f64), class: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="6" class="{class}"/>"#
        );
    }

    pub fn circle(&mut self, (x, y): (f64, f64), r: f64, class: &str) {
        let _ =
            writeln!(self.body, r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" class="{class}"/>"#);
    }

    /// A closed shape through `points`.
    pub fn polygon(&mut self, points: &[(f64, f64)], class: &str) {
        let points: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = writeln!(self.body, r#"<polygon points="{}" class="{class}"/>"#, points.join(" "));
    }

    pub fn text(&mut self, (x, y): (f64, f64), anchor: Anchor, class: &str, text: &str) {
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="{class}">{}</text>"#,
            escape(text)
        );
    }

    /// The whole picture, `width` by `height` (its size on its own; a page
    /// may scale it: the `viewBox` keeps its proportions, see the book's
    /// `theme/pictures.css`).
    pub fn finish(self, class: &str, title: &str, (width, height): (f64, f64)) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" viewBox=\"0 0 {width:.0} {height:.0}\" \
width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\">\n<title>{}</title>\n{}\n{}</svg>\n",
            escape(title),
            style(class),
            self.body
        )
    }
}

/// A byte string as the programs print one: `b"Spam 000"`, `b"Spam 000\n"`.
pub fn literal(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// Times to heights: each row's time is at its row; a time between two rows
/// is placed in proportion between them.
#[derive(Debug, Clone)]
pub struct Place {
    /// The rows' times, in order.
    pub times: Vec<u64>,
    /// Their heights.
    pub y: Vec<f64>,
    /// Where the first row stands: the height of every time when there is
    /// no row.
    pub top: f64,
}

impl Place {
    /// The height of time `t`.
    pub fn y(&self, t: u64) -> f64 {
        let i = self.times.partition_point(|&at| at < t);
        if i == 0 {
            return self.y.first().copied().unwrap_or(self.top);
        }
        if i == self.times.len() {
            return *self.y.last().unwrap();
        }
        let (t0, t1) = (self.times[i - 1], self.times[i]);
        let (y0, y1) = (self.y[i - 1], self.y[i]);
        if t1 == t0 { y1 } else { y0 + (y1 - y0) * (t - t0) as f64 / (t1 - t0) as f64 }
    }
}
