// pipe2's fork, called as Python calls os.fork(): refused.
use common::fork::{Fork, fork};

fn main() -> std::io::Result<()> {
    match fork()? {
        Fork::Child(_) => Ok(()),
        Fork::Parent(child) => child.wait(),
    }
}
