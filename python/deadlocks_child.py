# deadlocks_child.py: the program deadlocks.py starts on two pipes.
# Written for this project (not the book's text): it answers each
# line it reads on stdin with a line on stdout, at once. It prints,
# and flushes only if told to: on a pipe, print fills a block
# buffer, and nothing reaches the parent until the buffer is full
# or the program ends. Run it with -u, or on a terminal, and each
# line goes out as it is printed.

import os, sys

flush = sys.argv[1:] == ['flush']        # deadlocks_child.py flush
mypid = os.getpid()
for line in sys.stdin:                   # until end-of-file
    print('child %d read [%s]' % (mypid, line[:-1]))  # to the parent?
    if flush:
        sys.stdout.flush()               # now it is sent
