use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::io::Write;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand};
use formwerk_site::incremental::Builder;
use formwerk_site::pipeline::{self, BuildError};
use formwerk_site::serve;
use formwerk_site::watch::{self, Outcome};

/// Formwerk builds guidance pages and fillable forms from Markdown and TOML into a static site.
#[derive(Parser)]
// clap's own `help` subcommand is replaced by ours, which knows the guides as well as the
// commands (src/help.rs).
#[command(name = "formwerk", version = version_text(), about, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site's folder (holding formwerk.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: ROOT/site].
    #[arg(long)]
    output: Option<PathBuf>,
    /// A rebuild starts as soon as a save ends (the file is closed or renamed into place);
    /// a change that does not report its end, and a burst of many files, waits until all
    /// was quiet this many milliseconds (at most 10000).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    debounce_ms: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Json,
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
        /// Print how long each phase of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Load, check and render everything without writing; exit 0 unless there are errors.
    /// Warnings (a form without a [submission] block, missing Impressum, Datenschutz or
    /// Barrierefreiheit pages) are printed and do not change the exit code.
    Check {
        /// The site's folder (holding formwerk.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
        /// How to report problems: `human` (on stderr, with the offending line) or `json` (on
        /// stdout, one JSON object per problem and line, for CI systems and editors).
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Build, then rebuild on every change under content/, templates/, themes/, static/ and
    /// formwerk.toml.
    Watch {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Watch and serve the output over HTTP, reloading open pages after every rebuild.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; the default is reachable from this computer only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Check answers files of a form and merge them into one table (XLSX, CSV); exit 1 when
    /// any file was refused or holds answers that do not fit.
    Answers(formwerk::answers_command::Request),
    /// Write the JSON Schemas of the form files, formwerk.toml and front matter, for editors'
    /// completion (Taplo, VS Code "Even Better TOML").
    Schema {
        /// The folder to write them into.
        #[arg(long, default_value = "schemas")]
        out: PathBuf,
        /// Also write the key reference for editors (Markdown) to this file.
        #[arg(long)]
        reference: Option<PathBuf>,
    },
    /// Create a new site (one page, one small form) that builds as it is with the built-in theme.
    Init {
        /// The folder to create; must be new or empty.
        dir: PathBuf,
    },
    /// Show the guides for editors (German) and the commands' help: `formwerk help` lists
    /// them, `formwerk help formulare` prints a guide, `formwerk help build` a command's options.
    Help {
        /// A guide (seiten, formulare, einstellungen, …) or a command (build, check, …).
        #[arg(value_name = "TOPIC")]
        words: Vec<String>,
    },
    /// Move a site made by Formwerk before 0.2.0 (a full copy of the default theme under
    /// themes/) onto the built-in theme: unchanged copies are removed, changed files kept and
    /// listed. Shows what it will do and asks first.
    Upgrade {
        /// The site's folder (holding formwerk.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Do it without asking.
        #[arg(long)]
        yes: bool,
    },
    /// The built-in theme, file by file: copy one into the site to change it, show or list them.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// The ministry's key pair for encrypted submissions: `keys new` makes one.
    #[command(subcommand)]
    Keys(formwerk::keys_command::KeysCommand),
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Copy a built-in file into the site (templates/… to templates/, static/… to static/)
    /// with a note of this release, so that `check` warns when a later release changes it.
    Eject {
        /// The file, e.g. templates/form/field.html or static/formwerk.css.
        name: String,
        /// The site's folder (holding formwerk.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only write this release's note into a file ejected before (after taking over
        /// what changed).
        #[arg(long)]
        note_only: bool,
    },
    /// Print a built-in file (to compare an ejected one with it).
    Show {
        /// The file, e.g. templates/base.html.
        name: String,
    },
    /// Name every built-in file.
    List,
}

/// `formwerk --version`: the release and the answers-file format it writes.
fn version_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{} (answers files: format {})",
            env!("CARGO_PKG_VERSION"),
            formwerk_answers::FORMAT_VERSION
        )
    })
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            timings,
        } => build(&root, output, timings),
        Command::Check {
            root,
            deny_warnings,
            message_format,
        } => check(&root, deny_warnings, message_format),
        Command::Watch { site } => exit(watch(&site, None)),
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => exit(watch(&site, Some((port, bind, open)))),
        Command::Answers(request) => answers(&request),
        Command::Schema { out, reference } => {
            exit(write_schemas(&out, reference.as_deref()).map(|()| true))
        }
        Command::Init { dir } => init(&dir),
        Command::Help { words } => formwerk::help::run(&Cli::command(), &words),
        Command::Upgrade { root, yes } => exit(formwerk::upgrade::run(&root, yes).map(|()| true)),
        Command::Theme(command) => exit(theme(command).map(|()| true)),
        Command::Keys(command) => exit(formwerk::keys_command::run(&command).map(|()| true)),
    }
}

/// `formwerk theme …`.
fn theme(command: ThemeCommand) -> anyhow::Result<()> {
    match command {
        ThemeCommand::Eject {
            name,
            root,
            note_only,
        } => {
            let path = formwerk::theme_command::eject(&root, &name, note_only)?;
            println!(
                "Wrote {}: the site's own copy, used instead of the built-in one.",
                path.display()
            );
            Ok(())
        }
        ThemeCommand::Show { name } => formwerk::theme_command::show(&name),
        ThemeCommand::List => formwerk::theme_command::list(),
    }
}

/// `formwerk build`: the site at `root` into `output` (by default `root`/site), with a line
/// that sums it up, and with `timings` how long each phase took.
fn build(root: &Path, output: Option<PathBuf>, timings: bool) -> ExitCode {
    if timings {
        formwerk_base::timing::enable();
    }
    let output = output.unwrap_or_else(|| root.join("site"));
    match pipeline::catching(|| pipeline::build(root, &output)) {
        Ok(s) => {
            println!(
                "Built {} pages ({} forms), {} files, into {}: {} written, {} removed",
                s.pages,
                s.forms,
                s.files,
                output.display(),
                s.changes.written.len(),
                s.changes.removed.len()
            );
            if timings {
                eprint!("{}", formwerk_base::timing::report());
            }
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

/// `formwerk check`: the problems of the site at `root` in `message_format`, and a summary;
/// exit 1 on errors, or with `deny_warnings` on warnings.
fn check(root: &Path, deny_warnings: bool, message_format: MessageFormat) -> ExitCode {
    let report = |d: &formwerk_base::diagnostics::Diagnostics| match message_format {
        MessageFormat::Human => eprint!("{d}"),
        MessageFormat::Json => print!("{}", d.to_json_lines()),
    };
    match pipeline::check(root) {
        Ok(s) if deny_warnings && !s.warnings.is_empty() => {
            report(&s.warnings.into_errors());
            ExitCode::from(1)
        }
        Ok(s) => {
            let summary = if s.warnings.is_empty() {
                format!("No problems found: {} pages ({} forms).", s.pages, s.forms)
            } else {
                match message_format {
                    MessageFormat::Human => eprint!("{}", s.warnings.render_warnings()),
                    MessageFormat::Json => print!("{}", s.warnings.to_json_lines()),
                }
                format!("No errors found: {} pages ({} forms).", s.pages, s.forms)
            };
            match message_format {
                MessageFormat::Human => println!("{summary}"),
                // stdout holds diagnostics only
                MessageFormat::Json => eprintln!("{summary}"),
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            report(&d);
            ExitCode::from(1)
        }
    }
}

/// `formwerk answers`: exit 1 when a file was refused or holds answers that do not fit, 2
/// when the command itself failed.
fn answers(request: &formwerk::answers_command::Request) -> ExitCode {
    match formwerk::answers_command::run(request) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `formwerk init`: a new site in `dir`, and how to build it.
fn init(dir: &Path) -> ExitCode {
    match formwerk::init::init(dir) {
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
    }
}

/// `Ok(false)`: the errors were printed already (each report begins with "error:" itself).
fn exit(result: anyhow::Result<bool>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// `formwerk schema`: the schemas into `out`, and the key reference if asked for.
fn write_schemas(out: &std::path::Path, reference: Option<&std::path::Path>) -> anyhow::Result<()> {
    use anyhow::Context;
    for path in formwerk::toml_schema::write_all(out)
        .with_context(|| format!("cannot write the schemas into {}", out.display()))?
    {
        println!("Wrote {}", path.display());
    }
    if let Some(path) = reference {
        std::fs::write(path, formwerk::toml_schema::reference::markdown())
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("Wrote {}", path.display());
    }
    Ok(())
}

/// `watch`, and with an address `serve`: rebuild on every change until Ctrl-C.
fn watch(args: &SiteArgs, serve_at: Option<(u16, String, bool)>) -> anyhow::Result<bool> {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("site"));
    let mut builder = match Builder::new(&args.root, &output) {
        Ok(b) => b,
        Err(BuildError::Content(d)) => {
            eprint!("{d}");
            return Ok(false);
        }
        Err(e) => anyhow::bail!("{e}"),
    };
    let stop = serve::stop_flag()?;
    let shared = serve::Shared::new(builder.output());
    if let Some((port, bind, open)) = &serve_at {
        let (address, events_port) = serve::start(shared.clone(), bind, *port)?;
        let url = format!("http://{address}/");
        println!(
            "Serving {} at {url} (live reload on port {events_port}; Ctrl-C to stop)",
            output.display()
        );
        if *open {
            serve::open_browser(&url);
        }
    } else {
        println!("Watching {} (Ctrl-C to stop)", args.root.display());
    }
    let root = builder.root().to_path_buf();
    watch::run(
        &mut builder,
        Duration::from_millis(args.debounce_ms),
        &stop,
        |changed, outcome| {
            // Open pages are told first: a printed line means they know.
            match &outcome {
                Outcome::Built(report) => shared.rebuilt(report.css_only()),
                Outcome::Failed(e) => shared.failed(&e.to_string()),
            }
            println!("{}", watch::describe(&root, changed, &outcome));
            let _ = std::io::stdout().flush();
        },
    )?;
    println!("Stopped; {} holds the last good build.", output.display());
    Ok(true)
}

/// mimalloc, not glibc's malloc: a build allocates a page's text in one thread and frees it
/// in another, millions of small strings in between. glibc either gives every thread an
/// arena that keeps what the others freed, or, with one arena, makes the threads wait for
/// each other's lock (8 % of a build's samples were futex calls). A 10,000-page build on
/// tmpfs, medians of alternating runs: glibc with one arena 2.49 s wall, 3.87 s CPU, 58 MiB;
/// glibc with an arena per thread 1.69 s, 2.89 s, 68 MiB; mimalloc with
/// [`tune_allocator`] 1.64 s, 2.73 s, 54 MiB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc gives memory freed back to the system after a second by default; a build frees
/// each page's text and buffers within milliseconds and allocates the next page's, so memory
/// freed in one thread would pile up in another meanwhile: after 10 ms the peak of a
/// 10,000-page build is 55 MiB instead of 64.
fn tune_allocator() {
    /// `mi_option_purge_delay` in mimalloc.h (the binding names no constant for it).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: called first thing in main, before any other thread exists (the option is
    // not thread safe to set); it only changes when freed memory is returned.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) }
}
