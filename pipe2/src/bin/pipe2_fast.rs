//! pipe2_fast: pipe2 whose parent writes its output in blocks, and flushes
//! them only when it would otherwise wait for the child. Flat out, one
//! `write` carries hundreds of lines; when the child is slow, each line is
//! still printed the moment it arrives. The chapter "How fast is a pipe"
//! measures it against pipe2 and against the cheapest possible reader.

use common::Framed;
use common::fork::{Fork, fork};
use nix::unistd::pipe;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::os::fd::OwnedFd;
use std::process;

/// How many bytes the parent reads, and buffers for stdout, at most at once:
/// what a Linux pipe holds.
const BLOCK: usize = 64 * 1024;

// ANCHOR: child
fn child(pipeout: OwnedFd, opts: &Framed) -> io::Result<()> {
    let mut pipeout = File::from(pipeout); // unbuffered, as in pipe2: one write(2) per message
    let mut frame = Vec::new(); // one buffer for every message, not a new String each
    common::send_messages(&opts.run, |msg| {
        frame.clear();
        frame.extend_from_slice(msg.as_bytes());
        frame.push(b'\n'); // newline frames it
        pipeout.write_all(&frame)
    })
}
// ANCHOR_END: child

fn parent(opts: Framed) -> io::Result<()> {
    let (pipein, pipeout) = pipe()?;
    // SAFETY: no thread has been started: the child is a whole copy.
    match unsafe { fork() }? {
        Fork::Child(_) => {
            drop(pipein);
            opts.run.show_fds("child", &pipeout)?;
            child(pipeout, &opts)
        }
        Fork::Parent(child) => {
            drop(pipeout);
            opts.run.show_fds("parent", &pipein)?;
            print_lines(File::from(pipein))?;
            child.wait()
        }
    }
}

// ANCHOR: print_lines
/// The parent's loop: pipe2's, with the output collected into blocks.
fn print_lines(pipein: File) -> io::Result<()> {
    let mut pipein = BufReader::with_capacity(BLOCK, pipein);
    // Rust's stdout writes each line at once (it is line-buffered); a
    // BufWriter in front of it collects the lines into blocks.
    let mut out =
        BufWriter::with_capacity(BLOCK, io::stdout().lock());
    let pid = process::id(); // asked once, not once a line
    let mut line = String::new();
    loop {
        if would_block(&pipein)? {
            out.flush()?; // about to wait for the child: show every line we have
        }
        line.clear();
        if pipein.read_line(&mut line)? == 0 {
            break; // end-of-file: the child has closed its end
        }
        let data = line.trim_end_matches('\n');
        common::report::write_line(&mut out, pid, data)?; // into the block
    }
    out.flush()
}
// ANCHOR_END: print_lines

// ANCHOR: would_block
/// Would reading the next line wait for the child? Only if no whole line is
/// left in our buffer and no byte is waiting in the pipe: `ioctl(FIONREAD)`
/// asks the kernel how many there are, without reading them.
fn would_block(pipein: &BufReader<File>) -> io::Result<bool> {
    Ok(!pipein.buffer().contains(&b'\n')
        && rustix::io::ioctl_fionread(pipein.get_ref())? == 0)
}
// ANCHOR_END: would_block

fn main() -> std::process::ExitCode {
    common::main("pipe2_fast", ABOUT, parent)
}

const ABOUT: &str = "\
pipe2 with its output written in blocks: the parent flushes stdout only when
it is about to wait for the child, so a fast run writes hundreds of lines at
once and a slow one still prints each line as it arrives.
See the book's chapter \"How fast is a pipe\". Try: pipe2_fast --count 7 --tick 100ms";
