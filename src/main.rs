//! The `kubevet` binary: parse the command line, run, exit with the run's code.

fn main() {
    std::process::exit(kubevet::app::main());
}
