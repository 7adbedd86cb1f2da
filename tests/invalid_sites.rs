//! A catalogue of bad inputs under tests/fixtures/invalid/<case>/ (config, front matter,
//! forms, Markdown, links, templates), each with an expect.toml naming the file, line,
//! column, message and hint the editor must see. For every case `build` and `check` must
//! exit 1 with exactly those errors, the previous site/ must stay byte for byte as it was,
//! and no staging folder (`.site.formwerk-new-*`) may be left behind.

mod common;

use common::{Site, repo, snapshot};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    error: Vec<Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    /// The problem is a file's name or absence, with no place inside it (said explicitly, so
    /// that a case cannot lose its line and column by accident).
    #[serde(default)]
    whole_file: bool,
    message: String,
    help: String,
}

fn cases() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join("tests/fixtures/invalid"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Problems with one case, empty if it behaves.
fn check_case(dir: &std::path::Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let expect: Expect =
        toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).unwrap()).unwrap();
    let site = Site::from_dir(dir);
    site.write("site/index.html", "<p>previous build</p>");
    site.write("site/alt/seite.html", "<p>old page</p>");
    let before = snapshot(&site.out());
    let mut problems = Vec::new();
    for e in &expect.error {
        if e.whole_file != (e.line.is_none() || e.column.is_none()) {
            problems.push(format!(
                "{name}: expect.toml must give line and column for {} (or whole_file = true when there is no place in the file)",
                e.file
            ));
        }
    }

    for command in ["build", "check"] {
        let out = site.run(&[command]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(1) {
            problems.push(format!(
                "{name}: `{command}` exited with {:?}, expected 1\n{stderr}",
                out.status.code()
            ));
            continue;
        }
        for e in &expect.error {
            let place = match (e.line, e.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", e.file),
                _ => format!("--> {}\n", e.file),
            };
            for wanted in [&place, &e.message, &e.help] {
                if !stderr.contains(wanted.as_str()) {
                    problems.push(format!(
                        "{name}: `{command}` output lacks {wanted:?}:\n{stderr}"
                    ));
                }
            }
        }
        let reported = stderr.matches("error:").count() + stderr.matches("error[").count();
        if reported != expect.error.len() {
            problems.push(format!(
                "{name}: `{command}` reported {reported} errors, expected {}:\n{stderr}",
                expect.error.len()
            ));
        }
        // Whatever the expectations say: every report has a place and a hint.
        let placed = stderr.matches("┌─ ").count() + stderr.matches("  --> ").count();
        let hints = stderr.matches("= help: ").count();
        if placed < reported || hints < reported {
            problems.push(format!(
                "{name}: `{command}`: {reported} errors, {placed} with a place, {hints} hints:\n{stderr}"
            ));
        }
        if !stderr.contains("nothing was written") {
            problems.push(format!("{name}: no closing line:\n{stderr}"));
        }
    }
    if snapshot(&site.out()) != before {
        problems.push(format!("{name}: the failed build changed site/"));
    }
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".formwerk-new-"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!(
            "{name}: staging folders left behind: {leftovers:?}"
        ));
    }
    problems
}

#[test]
fn every_invalid_fixture_fails_with_file_line_and_message_and_keeps_site() {
    let cases = cases();
    assert!(
        cases.len() >= 60,
        "expected a catalogue of at least 60 bad inputs"
    );
    let problems: Vec<String> = cases.iter().flat_map(|c| check_case(c)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn errors_show_the_offending_line_with_a_marker() {
    let site = Site::fixture("invalid/form-unknown-kind");
    let out = site.build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kind = \"textare\""), "{stderr}");
    assert!(stderr.contains("^^^^^^^^^"), "{stderr}");
}
