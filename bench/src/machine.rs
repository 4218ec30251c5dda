//! Which machine the numbers come from, and when.

use std::process::Command;

use crate::results::Machine;

/// The CPU model, the cores this process may use, and the kernel.
pub fn machine() -> Machine {
    let info = procview::cpu(); // Linux's /proc/cpuinfo
    let virtual_machine = info.as_ref().is_some_and(|info| info.virtual_machine);
    let cpu = info
        .and_then(|info| info.model)
        .or_else(|| output("sysctl", &["-n", "machdep.cpu.brand_string"]))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let kernel = output("uname", &["-sr"]).unwrap_or_else(|| std::env::consts::OS.to_owned());
    Machine { cpu, cores, kernel, virtual_machine }
}

/// Now, UTC, to the second: `2026-11-26T08:40:00Z`.
pub fn now() -> String {
    output("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]).unwrap_or_else(|| "unknown".to_owned())
}

/// The first line a command prints, if it runs and succeeds.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    first_line(Command::new(program).args(args))
}

/// The first line `command` prints, if it runs and succeeds.
pub fn first_line(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_owned())
}

/// The load average over the last minute (`/proc/loadavg`), where there is one.
pub fn load_average() -> Option<f64> {
    procview::load_average()
}
