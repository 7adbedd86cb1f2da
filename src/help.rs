//! `formwerk help`: the German guides for editors, inside the binary, so that a hint reaches
//! whoever has only the program (a site made by `formwerk init` has no docs/ folder).
//!
//! Each topic is a page of docs/, embedded as it is written: the pages are the only source,
//! and tests/cli.rs checks that every German page is a topic and that every hint naming
//! `formwerk help X` names something this command knows. `formwerk help COMMAND` shows clap's
//! help for that command, as `formwerk COMMAND --help` does.

use std::io::Write;
use std::process::ExitCode;

use formwerk_base::diagnostics::closest;

/// One guide: its name on the command line (the page's file name without `.md`) and its text.
pub struct Topic {
    pub name: &'static str,
    pub text: &'static str,
}

impl Topic {
    /// The guide's title: its first heading, or else its first line of text.
    pub fn summary(&self) -> &'static str {
        let mut lines = self.text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or_default();
        first.trim_start_matches('#').trim()
    }
}

macro_rules! topics {
    ($($name:literal),* $(,)?) => {
        &[$(Topic { name: $name, text: include_str!(concat!("../docs/", $name, ".md")) }),*]
    };
}

/// The German pages of docs/, in the order of docs/README.md.
pub const TOPICS: &[Topic] = topics![
    "seiten",
    "formulare",
    "erscheinungsbild",
    "aktualisieren",
    "einstellungen",
    "editor",
    "befehle",
    "fehler",
    "ausfuellen",
    "antwortdatei",
    "posteingang",
    "schluessel",
    "pdf",
];

/// The topic `name` names; `docs/formulare.md`, `formulare.md` and `Formulare` all name
/// `formulare`, so that a path copied from an older hint works too.
pub fn topic(name: &str) -> Option<&'static Topic> {
    let name = name.trim();
    let name = name.strip_prefix("docs/").unwrap_or(name);
    let name = name.strip_suffix(".md").unwrap_or(name);
    TOPICS.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// `formwerk help WORDS…` for the program `cli` (its clap command, whose subcommands are the
/// commands): nothing lists the topics and commands, a topic prints its guide, a command its
/// options. Exit 2 for a word that is neither, as for any wrong call.
pub fn run(cli: &clap::Command, words: &[String]) -> ExitCode {
    let Some(first) = words.first() else {
        return print(&overview(cli));
    };
    if cli.find_subcommand(first).is_some() {
        return command_help(cli, words);
    }
    match topic(first) {
        Some(t) if words.len() == 1 => print(t.text),
        Some(t) => {
            eprintln!(
                "error: `formwerk help {}` nimmt keine weiteren Wörter ({})",
                t.name,
                words[1..].join(" ")
            );
            ExitCode::from(2)
        }
        None => {
            eprint!("{}", unknown(cli, first));
            ExitCode::from(2)
        }
    }
}

/// The list `formwerk help` prints: every topic with its title, every command with its
/// one-line description.
pub fn overview(cli: &clap::Command) -> String {
    let mut out = String::from("Formwerk – Anleitungen und Befehle\n\n");
    out.push_str("Anleitungen (formwerk help THEMA):\n");
    out.push_str(&topic_lines());
    out.push_str("\nBefehle (formwerk help BEFEHL zeigt seine Optionen):\n");
    let commands: Vec<(&str, String)> = commands(cli)
        .map(|c| {
            let about = c.get_about().map(ToString::to_string).unwrap_or_default();
            (c.get_name(), about)
        })
        .collect();
    let width = column_width(commands.iter().map(|(name, _)| *name));
    for (name, about) in commands {
        out.push_str(&format!("  {name:width$}  {about}\n"));
    }
    out
}

/// The message for a word that is neither a topic nor a command: the nearest name, if one
/// is near, and the topics to choose from.
pub fn unknown(cli: &clap::Command, word: &str) -> String {
    let names = TOPICS
        .iter()
        .map(|t| t.name)
        .chain(commands(cli).map(clap::Command::get_name));
    let mut out = format!("error: „{word}“ ist weder eine Anleitung noch ein Befehl");
    match closest(word, names) {
        Some(near) => out.push_str(&format!(". Meinten Sie `formwerk help {near}`?\n")),
        None => out.push('\n'),
    }
    out.push_str("\nAnleitungen:\n");
    out.push_str(&topic_lines());
    let commands: Vec<&str> = commands(cli).map(clap::Command::get_name).collect();
    out.push_str(&format!("\nBefehle: {}\n", commands.join(", ")));
    out
}

/// The program's commands, without `help` itself.
fn commands(cli: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cli.get_subcommands()
        .filter(|c| c.get_name() != "help" && !c.is_hide_set())
}

fn topic_lines() -> String {
    let width = column_width(TOPICS.iter().map(|t| t.name));
    TOPICS
        .iter()
        .map(|t| format!("  {:width$}  {}\n", t.name, t.summary()))
        .collect()
}

fn column_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names.map(|n| n.chars().count()).max().unwrap_or(0)
}

/// Clap's help for the command `words` names, exactly as `formwerk WORDS… --help` prints it.
fn command_help(cli: &clap::Command, words: &[String]) -> ExitCode {
    let args = std::iter::once(cli.get_name().to_string())
        .chain(words.iter().cloned())
        .chain(["--help".to_string()]);
    match cli.clone().try_get_matches_from(args) {
        Err(e) => {
            let _ = e.print();
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
        // `--help` always ends the parse with the help (an "error" of its own kind).
        Ok(_) => ExitCode::SUCCESS,
    }
}

/// `text` on stdout; a closed pipe (`formwerk help formulare | head`) is no error.
fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_is_named_as_its_page() {
        assert_eq!(topic("formulare").unwrap().name, "formulare");
        assert_eq!(topic("docs/formulare.md").unwrap().name, "formulare");
        assert_eq!(topic("Formulare").unwrap().name, "formulare");
        assert!(topic("architecture").is_none());
    }

    #[test]
    fn every_topic_has_a_title() {
        for t in TOPICS {
            assert!(!t.summary().is_empty(), "{}", t.name);
            assert!(!t.summary().starts_with('#'), "{}", t.name);
        }
        assert_eq!(topic("fehler").unwrap().summary(), "Wenn etwas schiefgeht");
    }
}
