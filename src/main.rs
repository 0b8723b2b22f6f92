//! The `neurocore` command.

fn main() {
    println!("neurocore {}", env!("CARGO_PKG_VERSION"));
}
