# pipes_child.py: the program pipes.py starts on two pipes. Written
# for this project (not the book's text): it answers each line
# it reads on stdin with a line on stdout, slowly.

# PIPES_SLEEP (seconds, default 2) and PIPES_COUNT (default 2)
# make a run shorter, for tests

import os, sys, time

nap = float(os.environ.get('PIPES_SLEEP', 2))
count = int(os.environ.get('PIPES_COUNT', 2))
mypid, parent = os.getpid(), os.getppid()
sys.stderr.write('child %d of parent %d started with [%s]\n' %
                 (mypid, parent, sys.argv[1]))   # to the terminal
for n in range(count):
    time.sleep(nap)                      # make the parent wait
    line = sys.stdin.readline()          # from the parent's stdout
    if not line: break                   # end-of-file: it is gone
    time.sleep(nap)
    print('child %d read [%s]' % (mypid, line[:-1]))  # to the parent
    sys.stdout.flush()                   # a pipe: not sent till then
