//! The `kubevet` binary: parse the command line, run, exit with the run's code.

// kubevet allocates many small nodes and strings per document; mimalloc measured faster
// than the system allocator on this workload (see bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(kubevet::app::main());
}
