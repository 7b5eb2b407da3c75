use clap::Parser;
use switchboard_server::config::{Cli, Command};
use switchboard_server::telemetry;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command {
        None => switchboard_server::run(cli.serve).await,
        Some(Command::User(command)) => switchboard_server::cli::user(command).await,
        Some(Command::Line(command)) => switchboard_server::cli::line(command).await,
        Some(Command::Migrate(database)) => switchboard_server::cli::migrate(database).await,
        Some(Command::Copy(command)) => switchboard_server::cli::copy(command).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("switchboard: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
