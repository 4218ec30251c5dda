# The book's pipe-thread.py (Programming Python, 4th ed., ch. 5, Example 5-21)
# for timing: no sleeps, and COUNT messages instead of forever. The parent
# stops once it has every byte, then joins the thread.
# Usage: python3 pipe_thread.py COUNT
import os, sys, time, threading

count = int(sys.argv[1])

def child(pipeout):
    zzz = 0
    for _ in range(count):
        msg = ('Spam %03d' % zzz).encode()
        os.write(pipeout, msg)
        zzz = (zzz + 1) % 5

def parent(pipein):
    received = 0
    while received < 8 * count:
        line = os.read(pipein, 32)
        print('Parent %d got [%s] at %s' % (os.getpid(), line, time.time()))
        received += len(line)

pipein, pipeout = os.pipe()
writer = threading.Thread(target=child, args=(pipeout,))
writer.start()
parent(pipein)
writer.join()
