# deadlocks.py: Programming Python, 4th ed., ch. 5, "Output stream
# buffering revisited: deadlocks and flushes". Written for this
# project from what the section does, in the style of the book's
# examples: not its text.

# pipes.py's conversation, with a child that prints its replies but
# never flushes: on a pipe its print fills a block buffer, so its
# reply never leaves it; the parent waits for the reply, the child
# for the next greeting, and both would wait for ever. A bound (an
# alarm) catches it: the parent says so, and kills the child.
# DEADLOCKS_PTY=1 gives the child a terminal for its stdout instead
# of a pipe: unchanged, it prints a line at a time there.

import os, sys, time, signal, pty
from pipes import spawn                  # python/pipes.py, beside us

def spawn_on_a_terminal(prog, *args):    # spawn, but its stdout is
    fromChild, toParent = pty.openpty()  # a terminal: it writes, we read
    fromParent, toChild = os.pipe()      # we write, child reads
    pid = os.fork()
    if pid != 0:                         # in parent:
        os.close(toParent)               # close the child's ends
        os.close(fromParent)
        os.dup2(fromChild, 0)            # our stdin reads its output
        os.dup2(toChild, 1)              # our stdout feeds its input
        os.close(fromChild)
        os.close(toChild)
        return pid
    else:                                # in child:
        os.close(fromChild)
        os.close(toChild)
        os.dup2(fromParent, 0)
        os.dup2(toParent, 1)             # its stdout: the terminal
        os.close(fromParent)
        os.close(toParent)
        try:
            os.execvp(prog, (prog,) + args)
        except OSError as why:
            sys.stderr.write('error: cannot run %s: %s\n' % (prog, why))
            os._exit(127)

def caught(signum, frame):               # the alarm rang: no reply
    sys.stderr.write('deadlocks: no reply within %d s: parent %d '
                     'waits for its reply to greeting %d; '
                     'killing child %d\n' % (bound, mypid, n, pid))
    os.kill(pid, signal.SIGKILL)         # end the child
    os.waitpid(pid, 0)                   # and reap it
    os._exit(3)                          # status 3: a deadlock

if __name__ == '__main__':
    # the child: a command line, else deadlocks_child.py next to us
    # (-E: PYTHONUNBUFFERED in our environment would fix it);
    # PIPES_COUNT (default 2) greetings, DEADLOCKS_BOUND seconds
    here = os.path.dirname(os.path.abspath(__file__))
    child = os.path.join(here, 'deadlocks_child.py')
    command = sys.argv[1:] or [sys.executable, '-E', child]
    count = int(os.environ.get('PIPES_COUNT', 2))
    bound = int(os.environ.get('DEADLOCKS_BOUND', 3))
    terminal = os.environ.get('DEADLOCKS_PTY') == '1'
    mypid, n = os.getpid(), 0
    if terminal:
        pid = spawn_on_a_terminal(*command)
    else:
        pid = spawn(*command)
    signal.signal(signal.SIGALRM, caught)
    signal.alarm(bound)                  # ring in bound seconds
    for n in range(1, count + 1):
        print('Greeting %d from parent %d' % (n, mypid))
        sys.stdout.flush()               # ours goes out: theirs?
        reply = sys.stdin.readline()     # blocks for its reply
        reply = reply.rstrip('\r\n')     # a terminal ends it \r\n
        sys.stderr.write('Parent %d got [%s] at %.2f\n' %
                         (mypid, reply, time.time()))
    signal.alarm(0)                      # in time: no alarm
    os.close(1)                          # the child sees end-of-file
    os.waitpid(pid, 0)                   # and we reap it
