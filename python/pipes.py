# pipes.py: Programming Python, 4th ed., ch. 5, "Bidirectional IPC
# with anonymous pipes". Written for this project from what the
# section does, in the style of the book's examples: not its text.

# start a program tied to this process by two pipes, one each way:
# what we print becomes its input, what it prints becomes ours;
# stderr is left alone, so both can still talk to the terminal

import os, sys, time

def spawn(prog, *args):                  # program name, its args
    fromChild, toParent = os.pipe()      # child writes, we read
    fromParent, toChild = os.pipe()      # we write, child reads
    pid = os.fork()                      # copy this process
    if pid != 0:                         # in parent:
        os.close(toParent)               # close the child's ends
        os.close(fromParent)
        os.dup2(fromChild, 0)            # our stdin reads its output
        os.dup2(toChild, 1)              # our stdout feeds its input
        os.close(fromChild)              # 0 and 1 are enough now
        os.close(toChild)
        return pid
    else:                                # in child:
        os.close(fromChild)              # close the parent's ends
        os.close(toChild)
        os.dup2(fromParent, 0)           # its stdin: our output
        os.dup2(toParent, 1)             # its stdout: our input
        os.close(fromParent)             # 0 and 1 are enough now
        os.close(toParent)
        try:
            os.execvp(prog, (prog,) + args)  # become the program
        except OSError as why:           # not found, not runnable:
            sys.stderr.write('error: cannot run %s: %s\n' % (prog, why))
            os._exit(127)                # never go on as the parent

if __name__ == '__main__':
    # the child: a command line, else pipes_child.py next to us;
    # PIPES_COUNT (default 2) exchanges, for tests
    here = os.path.dirname(os.path.abspath(__file__))
    child = os.path.join(here, 'pipes_child.py')
    command = sys.argv[1:] or [sys.executable, child, 'spam']
    count = int(os.environ.get('PIPES_COUNT', 2))
    mypid = os.getpid()
    pid = spawn(*command)
    for n in range(1, count + 1):
        print('Greeting %d from parent %d' % (n, mypid))
        sys.stdout.flush()               # else both wait forever
        reply = sys.stdin.readline()[:-1]    # blocks for its reply
        sys.stderr.write('Parent %d got [%s] at %.2f\n' %
                         (mypid, reply, time.time()))
    os.close(1)                          # the child sees end-of-file
    os.waitpid(pid, 0)                   # and we reap it
