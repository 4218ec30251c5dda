# The book's pipe1.py (Programming Python, 4th ed., ch. 5) for timing: no
# sleeps, and COUNT messages instead of forever. The parent stops once it has
# every byte (it keeps its write end, as the book's does, so it never sees
# end-of-file), then reaps the child. Usage: python3 pipe1.py COUNT
import os, sys, time

count = int(sys.argv[1])

def child(pipeout):
    zzz = 0
    for _ in range(count):
        msg = ('Spam %03d' % zzz).encode()
        os.write(pipeout, msg)
        zzz = (zzz + 1) % 5
    os._exit(0)

def parent():
    pipein, pipeout = os.pipe()
    pid = os.fork()
    if pid == 0:
        child(pipeout)
    else:
        received = 0
        while received < 8 * count:
            line = os.read(pipein, 32)
            print('Parent %d got [%s] at %s' % (os.getpid(), line, time.time()))
            received += len(line)
        os.waitpid(pid, 0)

parent()
