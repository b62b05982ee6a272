//! The `bussola` command. Everything lives in the library; this only hands over.

fn main() -> std::process::ExitCode {
    bussola::cli::main()
}
