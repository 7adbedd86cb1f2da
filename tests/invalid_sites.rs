//! A catalogue of bad inputs under tests/fixtures/invalid/<case>/ (config, front matter,
//! forms, Markdown, links, templates), each with an expect.toml naming the file, line,
//! column, message and hint the editor must see. For every case `build` and `check` must
//! exit 1 with exactly those errors, the previous site/ must stay byte for byte as it was,
//! and no staging folder (`.site.formwerk-new-*`) may be left behind.
//! `check --message-format json` must report the same problems at the same places, one JSON
//! object per line.
//!
//! Each case is a test of its own, named by its folder (build.rs lists them):
//! `cargo test --test invalid_sites form_unknown_kind` runs tests/fixtures/invalid/form-unknown-kind.

mod common;

use common::{Site, invalid_cases, snapshot};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    error: Vec<Expected>,
    /// The files the editors' JSON Schema rejects too (checked by tests/toml_schema.rs).
    #[serde(default)]
    #[allow(dead_code)]
    schema_rejects: Vec<String>,
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
    /// The diagnostic's stable code.
    code: Option<String>,
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
            let code = e.code.as_ref().map(|c| format!("error[{c}]"));
            for wanted in [Some(&place), Some(&e.message), Some(&e.help), code.as_ref()]
                .into_iter()
                .flatten()
            {
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
    problems.extend(check_json(&name, &site, &expect, &human_places(&site)));
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

/// One test per folder of tests/fixtures/invalid: `build` and `check` fail with exactly the
/// errors its expect.toml names, and the previous site survives.
macro_rules! invalid_case {
    ($test:ident, $folder:literal) => {
        #[test]
        fn $test() {
            let problems = check_case(&common::repo().join("tests/fixtures/invalid").join($folder));
            assert!(problems.is_empty(), "{}", problems.join("\n\n"));
        }
    };
}

mod case {
    use super::check_case;
    use crate::common;
    include!(concat!(env!("OUT_DIR"), "/invalid_cases.rs"));
}

#[test]
fn the_catalogue_has_a_test_for_every_folder_and_at_least_60_cases() {
    let cases = invalid_cases();
    assert!(
        cases.len() >= 60,
        "expected a catalogue of at least 60 bad inputs"
    );
    let listed = include_str!(concat!(env!("OUT_DIR"), "/invalid_cases.rs"));
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy();
        assert!(
            listed.contains(&format!("{name:?}")),
            "{name} has no test: build.rs did not list it"
        );
    }
    assert_eq!(listed.lines().count(), cases.len());
}

#[test]
fn errors_show_the_offending_line_with_a_marker() {
    let site = Site::fixture("invalid/form-unknown-kind");
    let out = site.build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kind = \"textare\""), "{stderr}");
    assert!(stderr.contains("^^^^^^^^^"), "{stderr}");
}

/// Where the human report of `check` places each problem: `file:line:col`, or `file` for a
/// problem with a whole file.
fn human_places(site: &Site) -> Vec<String> {
    let out = site.run(&["check"]);
    let mut places: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("┌─ ")
                .or_else(|| l.strip_prefix("--> "))
                .map(|p| p.trim().to_string())
        })
        .collect();
    places.sort();
    places
}

/// `check --message-format json`: exit 1, nothing on stderr, one complete JSON object per
/// line at the human report's places, each with a known code, the expected errors among them.
fn check_json(name: &str, site: &Site, expect: &Expect, human: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let out = site.run(&["check", "--message-format", "json"]);
    if out.status.code() != Some(1) || !out.stderr.is_empty() {
        problems.push(format!(
            "{name}: json check exited {:?} with stderr {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut places = Vec::new();
    let mut objects = Vec::new();
    for line in stdout.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            problems.push(format!("{name}: not a JSON line: {line}"));
            continue;
        };
        let keys = [
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "severity",
            "code",
            "message",
            "hint",
        ];
        let complete = v
            .as_object()
            .is_some_and(|o| o.len() == keys.len() && keys.iter().all(|k| o.contains_key(*k)));
        let code = v["code"].as_str().unwrap_or("");
        if !complete
            || v["severity"] != "error"
            || code == formwerk_base::diagnostics::code::UNCLASSIFIED.as_str()
            || !formwerk_base::diagnostics::code::ALL
                .iter()
                .any(|c| c.as_str() == code)
        {
            problems.push(format!(
                "{name}: incomplete or unclassified diagnostic: {line}"
            ));
        }
        let (start, end) = (
            (v["line"].as_u64(), v["column"].as_u64()),
            (v["end_line"].as_u64(), v["end_column"].as_u64()),
        );
        if start > end {
            problems.push(format!("{name}: the end lies before the start: {line}"));
        }
        places.push(match start {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", v["file"].as_str().unwrap_or("")),
            _ => v["file"].as_str().unwrap_or("").to_string(),
        });
        objects.push(v);
    }
    places.sort();
    if human.is_empty() || places != human {
        problems.push(format!(
            "{name}: JSON places {places:?} differ from the human report's {human:?}"
        ));
    }
    for e in &expect.error {
        let found = objects.iter().any(|v| {
            v["file"] == e.file.as_str()
                && e.line.is_none_or(|l| v["line"] == l)
                && e.column.is_none_or(|c| v["column"] == c)
                && v["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(e.message.as_str()))
                && v["hint"]
                    .as_str()
                    .is_some_and(|s| s.contains(e.help.as_str()))
                && e.code.as_ref().is_none_or(|c| v["code"] == c.as_str())
        });
        if !found {
            problems.push(format!(
                "{name}: no JSON diagnostic matches {}:{:?}:{:?} {:?}\n{stdout}",
                e.file, e.line, e.column, e.message
            ));
        }
    }
    problems
}
