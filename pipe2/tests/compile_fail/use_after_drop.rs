// pipe2's parent, using its read end after closing it: refused.
use nix::unistd::pipe;
use std::fs::File;

fn main() -> std::io::Result<()> {
    let (pipein, pipeout) = pipe()?;
    drop(pipeout); // os.close(pipeout): fine
    drop(pipein); // os.close(pipein): too early
    let pipein = File::from(pipein); // os.fdopen(pipein)
    drop(pipein);
    Ok(())
}
