# pipes.py and pipes_child.py (python/) for timing: no sleeps, and COUNT
# greetings instead of two. spawn is pipes.py's; the child it starts is
# this file again with the argument 'child', which answers as
# pipes_child.py does. Usage: python3 pipes.py COUNT
import os, sys, time

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

def child(count):
    mypid, parent = os.getpid(), os.getppid()
    sys.stderr.write('child %d of parent %d started with [%s]\n' %
                     (mypid, parent, 'bench'))
    for n in range(count):
        line = sys.stdin.readline()
        if not line: break
        print('child %d read [%s]' % (mypid, line[:-1]))
        sys.stdout.flush()

def parent(count):
    mypid = os.getpid()
    pid = spawn(sys.executable, os.path.abspath(__file__), str(count), 'child')
    for n in range(1, count + 1):
        print('Greeting %d from parent %d' % (n, mypid))
        sys.stdout.flush()
        reply = sys.stdin.readline()[:-1]
        sys.stderr.write('Parent %d got [%s] at %.2f\n' %
                         (mypid, reply, time.time()))
    os.close(1)
    os.waitpid(pid, 0)

count = int(sys.argv[1])
if sys.argv[2:] == ['child']:
    child(count)
else:
    parent(count)
