# pipe1.py: Programming Python, 4th ed., ch. 5, "Anonymous pipe
# basics". The book's code; comments moved to fit a narrow page.

import os, time

def child(pipeout):
    zzz = 0
    while True:
        time.sleep(zzz)  # make parent wait
        # pipes are binary bytes
        msg = ('Spam %03d' % zzz).encode()
        os.write(pipeout, msg)  # send to parent
        zzz = (zzz+1) % 5  # goto 0 after 4

def parent():
    pipein, pipeout = os.pipe()  # make 2-ended pipe
    if os.fork() == 0:  # copy this process
        child(pipeout)  # in copy, run child
    else:  # in parent, listen to pipe
        while True:
            line = os.read(pipein, 32)  # blocks until data sent
            print('Parent %d got [%s] at %s' %
                  (os.getpid(), line, time.time()))

parent()
