#!/usr/bin/env bash
# Record the runs the book draws, and draw them again:
#
#   timeline/record.sh
#
# Each program runs with --trace (or --show-fds) into timeline/runs/; then the
# pictures in book/src/pictures/ are drawn again from those files by the test
# that otherwise checks them (timeline/tests/pictures.rs). Read the diff: the
# runs are real, so every recording differs a little.
set -euo pipefail
cd "$(dirname "$0")/.."

# The programs, from the one list (programs.txt: the first word of a line).
read -ra packages < <(awk '!/^#/ && NF { printf "-p %s ", $1 }' programs.txt)
cargo build -q "${packages[@]}"
bin=target/debug
runs=timeline/runs
mkdir -p "$runs"

# Run "$@" until its trace satisfies the check named first (a bash function
# of the trace file), at most 30 times: the live runs depend on the scheduler.
until_trace() {
  local check=$1 trace=$2
  shift 2
  for _ in $(seq 30); do
    "$@" --trace "$trace" >/dev/null
    if "$check" "$trace"; then return 0; fi
  done
  echo "no run of '$*' gave what $check looks for in 30 tries" >&2
  return 1
}
# The live race (pipe1, pipe_thread): a read that returned "Spam 004Spam 000".
clumped() { grep -q '"data":"Spam 004Spam 000"' "$1"; }
# pipe2: one read per line, then end-of-file.
one_read_a_line() { [ "$(grep -c '"event":"read".*"bytes":9,' "$1")" = 5 ] && grep -q '"event":"eof"' "$1"; }
any() { true; }

until_trace clumped "$runs/pipe1_live.jsonl" "$bin/pipe1" --count 11 --tick 100ms
until_trace any "$runs/pipe1_late_reader.jsonl" "$bin/pipe1" --count 5 --tick 10ms --late-reader
until_trace one_read_a_line "$runs/pipe2.jsonl" "$bin/pipe2" --count 5 --tick 100ms
until_trace clumped "$runs/pipe_thread.jsonl" "$bin/pipe_thread" --count 6 --tick 100ms
"$bin/pipe1" --count 1 --tick 0 --show-fds 2>"$runs/pipe1_show_fds.txt" >/dev/null
"$bin/pipe2" --count 1 --tick 0 --show-fds 2>"$runs/pipe2_show_fds.txt" >/dev/null
"$bin/pipe_thread" --count 1 --tick 0 --show-fds 2>"$runs/pipe_thread_show_fds.txt" >/dev/null

UPDATE_PICTURES=1 cargo test -q -p timeline --test pictures
git status --short "$runs" book/src/pictures
