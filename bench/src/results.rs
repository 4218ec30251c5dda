//! The results file: what was measured, on which machine, and the ratios the
//! issue sets targets for.

use serde::{Deserialize, Serialize};

/// Everything one run of `bench` measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub machine: Machine,
    /// When the run ended, UTC: `2026-11-26T08:40:00Z`.
    pub date: String,
    /// `hyperfine 1.15.0`
    pub hyperfine: String,
    /// `Python 3.11.7`, or none if `python3` was not found (then its cases are left out).
    pub python: Option<String>,
    /// How the Python programs' stdout was buffered in the measured runs, to
    /// a pipe or a file: `block-buffered` (as without `PYTHONUNBUFFERED`),
    /// asked of `python3` itself, in the environment the runs had.
    pub python_stdout: Option<String>,
    /// The environment variables taken away from every measured run (every
    /// `PYTHON...` one, `PYTHONUNBUFFERED` among them) that were set when
    /// `bench` started.
    pub unset: Vec<String>,
    /// The load average (over one minute) when the run started: how busy the
    /// machine was with other work. Well below the number of cores is quiet.
    pub load_average: Option<f64>,
    /// `full` or `tiny`.
    pub size: String,
    /// Each case ran `rounds` times, all cases in turn, `runs` runs a round;
    /// before them, in each round, `pairs` pairs of each ratio's two cases,
    /// one right after the other.
    pub rounds: u32,
    pub runs: u32,
    pub pairs: u32,
    pub cases: Vec<CaseResult>,
    pub ratios: Vec<Ratio>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// The CPU's model name (`/proc/cpuinfo`).
    pub cpu: String,
    /// How many CPUs this process may run on.
    pub cores: usize,
    /// `uname -sr`: `Linux 6.18.44`.
    pub kernel: String,
    /// Runs under a hypervisor (the CPU says so: the `hypervisor` flag of `/proc/cpuinfo`).
    pub virtual_machine: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    pub id: String,
    pub group: String,
    pub label: String,
    /// The command, as the book shows it.
    pub command: String,
    pub messages: Option<u64>,
    pub bytes: u64,
    /// Seconds per run of the command: every run of every round.
    pub times: Vec<f64>,
    /// The fastest run, the one the rest of the machine disturbed least: the
    /// rates below come from it.
    pub seconds: f64,
    /// The median run.
    pub median: f64,
    /// The slowest run.
    pub slowest: f64,
    /// The slowest run's time over the fastest's: how much the rest of the
    /// machine disturbed this case.
    pub spread: f64,
    /// Context switches (voluntary and not) of every process and thread of a
    /// run, counted with getrusage in three more runs: the median of them.
    /// None where they cannot be counted.
    pub context_switches: Option<u64>,
    /// Context switches per message (per 64 KiB for the bulk cases, per round
    /// trip for the latency cases).
    pub switches_per_message: Option<f64>,
    pub messages_per_s: Option<f64>,
    /// Bytes through the pipe per second, in millions (10^6).
    pub mb_per_s: f64,
    /// Microseconds per message (per round trip, for the latency cases).
    pub us_per_message: Option<f64>,
}

/// One comparison between two cases, made from runs of the two made one
/// right after the other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    pub id: String,
    pub label: String,
    /// The two cases compared: the first's time per message (or bandwidth)
    /// over the second's.
    pub cases: [String; 2],
    /// The seconds of each pair of runs, `[first, second]`: the two ran one
    /// right after the other, in turn first, a few times in every round.
    pub pairs: Vec<[f64; 2]>,
    /// The median, over the pairs, of each pair's ratio.
    pub value: f64,
    /// The lowest and the highest of the pairs' ratios.
    pub lowest: f64,
    pub highest: f64,
    /// The target, if the issue sets one: `<= 1.2`, `>= 0.8`.
    pub target: Option<String>,
    pub met: Option<bool>,
}

impl CaseResult {
    /// The result of `case` from the seconds each run took, and its context
    /// switches (see [`CaseResult::context_switches`]).
    pub fn new(
        case: &crate::cases::Case,
        mut times: Vec<f64>,
        switches: Option<u64>,
    ) -> CaseResult {
        // Microseconds are all a run's time can tell; everything below comes
        // from the times as the results file keeps them, so it can be checked.
        times.iter_mut().for_each(|t| *t = round(*t, 6));
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        let seconds = sorted[0];
        let slowest = sorted[sorted.len() - 1];
        let units = case.messages.unwrap_or(case.bytes / crate::cases::BLOCK).max(1);
        CaseResult {
            id: case.id.to_owned(),
            group: case.group.id.to_owned(),
            label: case.label.to_owned(),
            command: case.display(),
            messages: case.messages,
            bytes: case.bytes,
            times,
            seconds: round(seconds, 6),
            median: round(median(&sorted), 6),
            slowest,
            spread: round(slowest / seconds, 2),
            context_switches: switches,
            switches_per_message: switches.map(|n| round(n as f64 / units as f64, 4)),
            messages_per_s: case.messages.map(|m| round(m as f64 / seconds, 0)),
            mb_per_s: round(case.bytes as f64 / seconds / 1e6, 2),
            us_per_message: case.messages.map(|m| round(seconds / m as f64 * 1e6, 4)),
        }
    }
}

fn median(sorted: &[f64]) -> f64 {
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 }
}

fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

impl Results {
    pub fn case(&self, id: &str) -> Option<&CaseResult> {
        self.cases.iter().find(|c| c.id == id)
    }
}

/// What a ratio divides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// Time per message (per round trip): the first case's over the second's.
    Message,
    /// Bytes per second: the first case's over the second's.
    Bandwidth,
}

/// One comparison the chapter shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioDef {
    pub id: &'static str,
    pub label: &'static str,
    pub a: &'static str,
    pub b: &'static str,
    pub per: Per,
    /// `("<=", 1.2)`: the target the issue sets, if any.
    pub target: Option<(&'static str, f64)>,
}

/// Every comparison. `bench` runs the two cases of each one right after the
/// other in every round (which goes first changes from round to round), so
/// that whatever else the machine is doing at that moment weighs on both.
pub const RATIOS: [RatioDef; 7] = [
    RatioDef {
        id: "pipe2_fast_vs_floor",
        label: "time per message, pipe2_fast / the polling floor",
        a: "pipe2_fast",
        b: "floor_spin",
        per: Per::Message,
        target: Some(("<=", 1.2)),
    },
    RatioDef {
        id: "batch_vs_dd",
        label: "bandwidth, batched writer (whole rounds) / dd bs=64K | dd",
        a: "batch_rounds",
        b: "dd",
        per: Per::Bandwidth,
        target: Some((">=", 0.8)),
    },
    RatioDef {
        id: "pipe2_vs_floor",
        label: "time per message, pipe2 / the polling floor",
        a: "pipe2",
        b: "floor_spin",
        per: Per::Message,
        target: None,
    },
    RatioDef {
        id: "pipe2_fast_vs_pipe2",
        label: "time per message, pipe2_fast / pipe2",
        a: "pipe2_fast",
        b: "pipe2",
        per: Per::Message,
        target: None,
    },
    RatioDef {
        id: "pipe2_fast_vs_pipe2_to_a_pipe",
        label: "time per message, output to a pipe, pipe2_fast / pipe2",
        a: "pipe2_fast_cat",
        b: "pipe2_cat",
        per: Per::Message,
        target: None,
    },
    RatioDef {
        id: "pipe2_vs_python",
        label: "time per message, pipe2 / the book's pipe2.py",
        a: "pipe2",
        b: "python_pipe2",
        per: Per::Message,
        target: None,
    },
    RatioDef {
        id: "timeline_4x_trace",
        label: "time per message, timeline on a trace 4 times as long / on the short one",
        a: "timeline_long",
        b: "timeline_short",
        per: Per::Message,
        target: Some(("<=", 1.25)),
    },
];

/// The ratio `def` from the pairs of runs of its two cases (seconds,
/// `[first, second]`), or none if a case was not measured (Python's, say) or
/// no pair ran.
pub fn ratio(def: &RatioDef, cases: &[CaseResult], pairs: Vec<[f64; 2]>) -> Option<Ratio> {
    let get = |id: &str| cases.iter().find(|c| c.id == id);
    let (a, b) = (get(def.a)?, get(def.b)?);
    // Microseconds, as the cases' times are kept.
    let pairs: Vec<[f64; 2]> = pairs.iter().map(|p| p.map(|t| round(t, 6))).collect();
    let per_run = |c: &CaseResult, seconds: f64| match def.per {
        Per::Message => seconds / c.messages.unwrap_or(c.bytes) as f64,
        Per::Bandwidth => c.bytes as f64 / seconds,
    };
    let mut each: Vec<f64> =
        pairs.iter().map(|&[ta, tb]| per_run(a, ta) / per_run(b, tb)).collect();
    each.sort_by(f64::total_cmp);
    if each.is_empty() {
        return None;
    }
    let value = round(median(&each), 3);
    Some(Ratio {
        id: def.id.to_owned(),
        label: def.label.to_owned(),
        cases: [def.a.to_owned(), def.b.to_owned()],
        pairs,
        value,
        lowest: round(each[0], 3),
        highest: round(each[each.len() - 1], 3),
        target: def.target.map(|(op, t)| format!("{op} {t}")),
        met: def.target.map(|(op, t)| if op == "<=" { value <= t } else { value >= t }),
    })
}

/// Every ratio made again from the pairs of runs the results hold, as this
/// code makes a ratio now (in [`RATIOS`]' order; a ratio the results have no
/// pairs for is left out).
pub fn ratios_again(results: &Results) -> Vec<Ratio> {
    RATIOS
        .iter()
        .filter_map(|def| {
            let pairs = results.ratios.iter().find(|r| r.id == def.id)?.pairs.clone();
            ratio(def, &results.cases, pairs)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{Size, cases};

    fn result(id: &str, times: &[f64]) -> CaseResult {
        let case = cases(Size::Full).into_iter().find(|c| c.id == id).unwrap();
        CaseResult::new(&case, times.to_vec(), None)
    }

    fn def(id: &str) -> RatioDef {
        *RATIOS.iter().find(|d| d.id == id).unwrap()
    }

    #[test]
    fn the_fastest_run_gives_the_rates_and_the_slowest_the_spread() {
        let floor = result("floor", &[0.3, 0.2, 0.4]);
        assert_eq!((floor.seconds, floor.median, floor.slowest), (0.2, 0.3, 0.4));
        assert_eq!(floor.spread, 2.0);
        assert_eq!(floor.messages_per_s, Some(300_000.0 / 0.2));
    }

    #[test]
    fn a_ratio_is_the_median_of_its_pairs_made_together() {
        // Something else kept the machine busy in the second pair and the
        // third, and hit the floor in both, pipe2_fast only in the third.
        // Median against median would say 0.11 / 0.40; pair by pair, it is
        // 1.1 twice out of three.
        let cases = [result("floor_spin", &[0.1]), result("pipe2_fast", &[0.1])];
        let pairs = vec![[0.11, 0.10], [0.11, 0.40], [0.44, 0.40]];
        let ratio = ratio(&def("pipe2_fast_vs_floor"), &cases, pairs).unwrap();
        assert_eq!((ratio.value, ratio.met), (1.1, Some(true)));
        assert_eq!((ratio.lowest, ratio.highest), (0.275, 1.1));
        assert_eq!(ratio.cases, ["pipe2_fast", "floor_spin"]);
    }

    #[test]
    fn a_ratio_is_left_out_without_its_cases_or_pairs() {
        let floor = result("floor_spin", &[0.1]);
        assert_eq!(
            ratio(&def("pipe2_fast_vs_floor"), std::slice::from_ref(&floor), vec![[0.1, 0.1]]),
            None
        );
        let fast = result("pipe2_fast", &[0.1]);
        assert_eq!(ratio(&def("pipe2_fast_vs_floor"), &[floor, fast], vec![]), None);
    }

    #[test]
    fn a_bandwidth_ratio_compares_bytes_per_second_of_each_pair() {
        let cases = [result("batch_rounds", &[0.1]), result("dd", &[0.1])];
        let pairs = vec![[0.1, 0.125], [0.1, 0.4], [0.12, 0.15]];
        let ratio = ratio(&def("batch_vs_dd"), &cases, pairs).unwrap();
        // The same bytes: bandwidth over bandwidth is dd's time over the batch's.
        assert_eq!(cases[0].bytes, cases[1].bytes);
        assert_eq!((ratio.value, ratio.highest), (1.25, 4.0));
    }

    #[test]
    fn a_time_ratio_is_per_message() {
        // The same time for four times the messages: a quarter of the time each.
        let cases = [result("timeline_long", &[1.0]), result("timeline_short", &[1.0])];
        let ratio = ratio(&def("timeline_4x_trace"), &cases, vec![[1.0, 1.0]]).unwrap();
        assert_eq!(ratio.value, 0.25);
    }

    #[test]
    fn the_cases_of_a_ratio_move_the_same_amount() {
        // Equal counts: start-up weighs the same on both sides of a ratio.
        let all = cases(Size::Full);
        let get = |id| all.iter().find(|c| c.id == id).unwrap();
        for def in RATIOS.iter().filter(|d| d.id != "timeline_4x_trace") {
            let (a, b) = (get(def.a), get(def.b));
            match def.per {
                Per::Message => assert_eq!(a.messages, b.messages, "{}", def.id),
                Per::Bandwidth => assert_eq!(a.bytes, b.bytes, "{}", def.id),
            }
        }
    }
}
