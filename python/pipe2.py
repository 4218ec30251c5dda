# pipe2.py: Programming Python, 4th ed., ch. 5, "Wrapping pipe
# descriptors in file objects". The book's code; comments moved to
# fit a narrow page.

# same as pipe1.py, but wrap pipe input in stdio file object
# to read by line, and close unused pipe fds in both processes

import os, time

def child(pipeout):
    zzz = 0
    while True:
        time.sleep(zzz)  # make parent wait
        # pipes are binary in 3.X
        msg = ('Spam %03d\n' % zzz).encode()
        os.write(pipeout, msg)  # send to parent
        zzz = (zzz+1) % 5  # roll to 0 at 5

def parent():
    pipein, pipeout = os.pipe()  # make 2-ended pipe
    if os.fork() == 0:  # in child, write to pipe
        os.close(pipein)  # close input side here
        child(pipeout)
    else:  # in parent, listen to pipe
        os.close(pipeout)  # close output side here
        # make text mode input file object
        pipein = os.fdopen(pipein)
        while True:
            # blocks until data sent
            line = pipein.readline()[:-1]
            print('Parent %d got [%s] at %s' %
                  (os.getpid(), line, time.time()))

parent()
