use clap::Parser;

use plimsoll::app::{self, EXIT_ERROR};
use plimsoll::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => app::check(args),
        Command::Rules(args) => app::rules(args),
        Command::Explain(args) => app::explain(args),
        Command::Render(args) => app::render(args),
    };
    let code = match result {
        Ok(code) => code,
        Err(app::Fatal(message)) => {
            eprintln!("error: {message}");
            EXIT_ERROR
        }
    };
    std::process::exit(code);
}
