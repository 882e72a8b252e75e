//! The `twofold` binary: the command line of [`twofold::cli`].

#[tokio::main]
async fn main() -> std::process::ExitCode {
    twofold::cli::main().await
}
