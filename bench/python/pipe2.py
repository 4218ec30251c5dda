# The book's pipe2.py (Programming Python, 4th ed., ch. 5) for timing: no
# sleeps, and COUNT messages instead of forever. The child's end closes when
# it exits, so the parent's readline() returns '' at the end and the parent
# reaps the child. Usage: python3 pipe2.py COUNT
import os, sys, time

count = int(sys.argv[1])

def child(pipeout):
    zzz = 0
    for _ in range(count):
        msg = ('Spam %03d\n' % zzz).encode()
        os.write(pipeout, msg)
        zzz = (zzz + 1) % 5
    os._exit(0)

def parent():
    pipein, pipeout = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(pipein)
        child(pipeout)
    else:
        os.close(pipeout)
        pipein = os.fdopen(pipein)
        while True:
            line = pipein.readline()[:-1]
            if not line:
                break
            print('Parent %d got [%s] at %s' % (os.getpid(), line, time.time()))
        os.waitpid(pid, 0)

parent()
