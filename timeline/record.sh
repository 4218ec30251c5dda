#!/usr/bin/env bash
# Record the runs the book draws, and draw them again:
#
#   timeline/record.sh            # every run
#   timeline/record.sh pipes      # only the runs named (their file's stem)
#
# Each program runs with --trace (or --show-fds) into timeline/runs/; then the
# pictures in book/src/pictures/ are drawn again from those files by the test
# that otherwise checks them (timeline/tests/pictures.rs). Read the diff: the
# runs are real, so every recording differs a little.
set -euo pipefail
cd "$(dirname "$0")/.."

# The programs, from the one list (programs.txt: the first word of a line).
# (awk ends the line: `read` fails on a last line without its newline, and
# set -e would end the script there, silently.)
read -ra packages < <(awk '!/^#/ && NF { printf "-p %s ", $1 } END { print "" }' programs.txt)
cargo build -q "${packages[@]}"
bin=target/debug
runs=timeline/runs
mkdir -p "$runs"

# Is the run of this stem to be recorded? (All, unless stems were named.)
wanted=("$@")
wanted() { [ ${#wanted[@]} = 0 ] || [[ " ${wanted[*]} " == *" $1 "* ]]; }

# Run "$@" until its trace satisfies the check named first (a bash function
# of the trace file), at most 30 times: the live runs depend on the scheduler.
until_trace() {
  local check=$1 trace=$2
  shift 2
  wanted "$(basename "$trace" .jsonl)" || return 0
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
# pipes: both ways, each greeting and each reply read, and the child after
# exec (pipes_child) recording into the parent's trace.
both_ways() {
  [ "$(grep -c '"event":"read"' "$1")" = 4 ] && grep -q '"who":"after exec: child"' "$1"
}

until_trace clumped "$runs/pipe1_live.jsonl" "$bin/pipe1" --count 11 --tick 100ms
until_trace any "$runs/pipe1_late_reader.jsonl" "$bin/pipe1" --count 5 --tick 10ms --late-reader
until_trace one_read_a_line "$runs/pipe2.jsonl" "$bin/pipe2" --count 5 --tick 100ms
until_trace clumped "$runs/pipe_thread.jsonl" "$bin/pipe_thread" --count 6 --tick 100ms
until_trace both_ways "$runs/pipes.jsonl" "$bin/pipes" --count 2 --tick 100ms
for program in pipe1 pipe2 pipe_thread; do
  if wanted "${program}_show_fds"; then
    "$bin/$program" --count 1 --tick 0 --show-fds 2>"$runs/${program}_show_fds.txt" >/dev/null
  fi
done

UPDATE_PICTURES=1 cargo test -q -p timeline --test pictures
git status --short "$runs" book/src/pictures
