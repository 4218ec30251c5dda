# Run one of the book's programs (python/*.py, unchanged) with its sleeps
# made shorter, for the tests in pipe1/tests/python.rs:
#
#     python3 at_tick.py TICK MODE PROGRAM
#
# TICK is the length of the book's one-second sleep unit, in seconds
# (0.01 is 10 ms). MODE is `as-is`, or `no-zero-sleep`, which skips the
# call `time.sleep(0)` altogether (the experiment of pipe1's chapter,
# "Why the book's Python rarely clumps"). The program runs forever, as
# the book's do: the test ends it.

import runpy
import sys
import time

tick, mode, program = float(sys.argv[1]), sys.argv[2], sys.argv[3]
assert mode in ('as-is', 'no-zero-sleep'), mode
book_sleep = time.sleep


def sleep(seconds):
    if seconds == 0 and mode == 'no-zero-sleep':
        return
    book_sleep(seconds * tick)


time.sleep = sleep
sys.argv = [program]
runpy.run_path(program, run_name='__main__')
