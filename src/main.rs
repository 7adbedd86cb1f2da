use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use formwerk::pipeline::{self, BuildError};

/// Formwerk builds guidance pages and fillable forms from Markdown and TOML into a static site.
#[derive(Parser)]
#[command(name = "formwerk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build content/ with the configured theme into the output folder.
    Build {
        /// The site's folder (holding formwerk.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/site].
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Load, check and render everything without writing; exit 0 only when clean.
    Check {
        /// The site's folder (holding formwerk.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site (one page, one small form, the default theme) that builds as it is.
    Init {
        /// The folder to create; must be new or empty.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output } => {
            let output = output.unwrap_or_else(|| root.join("site"));
            match pipeline::build(&root, &output) {
                Ok(s) => {
                    println!(
                        "Built {} pages ({} forms), {} files, into {}",
                        s.pages,
                        s.forms,
                        s.files,
                        output.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(d)) => {
                    eprint!("{d}");
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { root } => match pipeline::check(&root) {
            Ok(s) => {
                println!("No problems found: {} pages ({} forms).", s.pages, s.forms);
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprint!("{d}");
                ExitCode::from(1)
            }
        },
        Command::Init { dir } => match formwerk::init::init(&dir) {
            Ok(()) => {
                println!(
                    "Created a new site in {}. Build it with: formwerk build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        },
    }
}
