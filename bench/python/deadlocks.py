# deadlocks.py and deadlocks_child.py (python/) for timing: the
# conversation fixed (the child flushes each reply), COUNT greetings
# instead of two, the alarm's bound kept. spawn is pipes.py's; the
# child it starts is this file again with the argument 'child'.
# Usage: python3 deadlocks.py COUNT
import os, sys, time, signal

def spawn(prog, *args):
    fromChild, toParent = os.pipe()
    fromParent, toChild = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(toParent)
        os.close(fromParent)
        os.dup2(fromChild, 0)
        os.dup2(toChild, 1)
        os.close(fromChild)
        os.close(toChild)
        return pid
    else:
        os.close(fromChild)
        os.close(toChild)
        os.dup2(fromParent, 0)
        os.dup2(toParent, 1)
        os.close(fromParent)
        os.close(toParent)
        try:
            os.execvp(prog, (prog,) + args)
        except OSError as why:
            sys.stderr.write('error: cannot run %s: %s\n' % (prog, why))
            os._exit(127)

def child():
    mypid = os.getpid()
    for line in sys.stdin:
        print('child %d read [%s]' % (mypid, line[:-1]))
        sys.stdout.flush()

def caught(signum, frame):
    sys.stderr.write('deadlocks: no reply within %d s\n' % bound)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os._exit(3)

def parent(count):
    global pid
    mypid = os.getpid()
    pid = spawn(sys.executable, '-E', os.path.abspath(__file__), str(count), 'child')
    signal.signal(signal.SIGALRM, caught)
    signal.alarm(bound)
    for n in range(1, count + 1):
        print('Greeting %d from parent %d' % (n, mypid))
        sys.stdout.flush()
        reply = sys.stdin.readline()[:-1]
        sys.stderr.write('Parent %d got [%s] at %.2f\n' %
                         (mypid, reply, time.time()))
    signal.alarm(0)
    os.close(1)
    os.waitpid(pid, 0)

bound = 60
count = int(sys.argv[1])
if sys.argv[2:] == ['child']:
    child()
else:
    parent(count)
