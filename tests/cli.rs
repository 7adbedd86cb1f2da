//! The command line as editors use it: help, the guides inside the binary (`formwerk help`)
//! and the hints that name them, exit codes, init, check, and the guard against building over
//! the site's own sources.

mod common;

use common::{Site, formwerk, snapshot};
use predicates::str::contains;

fn build_to(site: &Site, output: &std::path::Path) -> assert_cmd::assert::Assert {
    formwerk()
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(output)
        .assert()
}

#[test]
fn help_on_every_command() {
    let cases: [(&[&str], &[&str]); 5] = [
        (&["--help"], &["build", "check", "init", "schema"]),
        (&["build", "--help"], &["--root", "--output"]),
        (&["check", "--help"], &["--root", "--message-format"]),
        (&["init", "--help"], &["<DIR>"]),
        (&["schema", "--help"], &["--out", "--reference"]),
    ];
    for (args, wanted) in cases {
        let out = formwerk().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        for w in wanted {
            assert!(stdout.contains(w), "{args:?} lacks {w}:\n{stdout}");
        }
    }
}

#[test]
fn usage_errors_exit_with_2() {
    formwerk().arg("bauen").assert().code(2);
    formwerk().args(["build", "--wurzel", "."]).assert().code(2);
    formwerk().arg("init").assert().code(2);
    formwerk().assert().code(2);
}

#[test]
fn a_folder_without_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    formwerk()
        .args(["build", "--root"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains("no formwerk.toml"))
        .stderr(contains("formwerk init"));
    // "Nothing was written" holds: neither the output nor its lock is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // A folder that does not exist is not made either.
    let missing = dir.path().join("fehlt");
    formwerk()
        .args(["build", "--root"])
        .arg(&missing)
        .assert()
        .code(1)
        .stderr(contains("no formwerk.toml"));
    assert!(!missing.exists());
}

#[test]
fn a_debounce_beyond_ten_seconds_is_refused_before_watching() {
    let dir = tempfile::tempdir().unwrap();
    formwerk()
        .args(["watch", "--debounce-ms", "18446744073709551615", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("--debounce-ms"))
        .stderr(contains("0..=10000"));
}

#[test]
fn init_creates_a_site_that_builds_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("neu");
    formwerk().arg("init").arg(&root).assert().success();
    formwerk()
        .args(["build", "--root"])
        .arg(&root)
        .assert()
        .success();
    let form = std::fs::read_to_string(root.join("site/beispiel/index.html")).unwrap();
    assert!(form.contains("Nehmen Sie 2026 teil?"));
    assert!(root.join("site/index.html").is_file());
    assert!(
        root.join("site")
            .join(common::hashed(&root.join("site"), "formwerk.css"))
            .is_file()
    );
    // The theme is the binary's: init writes no copy of it.
    assert!(!root.join("themes").exists());
    // Never over an existing site.
    formwerk()
        .arg("init")
        .arg(&root)
        .assert()
        .code(1)
        .stderr(contains("not empty"));
}

#[test]
fn check_writes_nothing_and_reports_success() {
    let site = Site::fixture("valid");
    let out = site.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The fixture has no [legal] pages: warned about, but no errors.
    assert!(String::from_utf8_lossy(&out.stdout).contains("No errors found"));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("warning[no-legal-page]: no Impressum is configured")
    );
    assert!(!site.out().exists());
    // With JSON diagnostics stdout holds diagnostics only: for this site without errors, the
    // three warnings about the legal pages, each with its severity.
    let json = site.run(&["check", "--message-format", "json"]);
    assert!(json.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    for line in &lines {
        assert_eq!(line["severity"], "warning");
        assert_eq!(line["code"], "no-legal-page");
        assert_eq!(line["file"], "formwerk.toml");
    }
    assert!(String::from_utf8_lossy(&json.stderr).contains("No errors found"));
    let unknown = site.run(&["check", "--message-format", "xml"]);
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "an unknown format is a usage error"
    );
}

#[test]
fn a_problem_with_a_whole_file_has_no_position_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = formwerk()
        .args(["check", "--message-format", "json", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["file"], "formwerk.toml");
    assert_eq!(v["code"], "missing-config");
    assert_eq!(v["severity"], "error");
    for key in ["line", "column", "end_line", "end_column"] {
        assert!(v[key].is_null(), "{key}: {v}");
    }
    assert!(v["hint"].as_str().unwrap().contains("formwerk init"));
}

#[test]
fn output_folder_may_not_be_contain_or_lie_in_the_sources() {
    let site = Site::fixture("valid");
    let before = snapshot(site.root());
    for (output, says) in [
        ("content", "the output folder is content/"),
        ("content/neu", "the output folder lies inside content/"),
        (
            "themes/default/site",
            "the output folder lies inside themes/",
        ),
        (".", "the output folder is the site folder"),
        ("..", "the output folder contains the site folder"),
        ("templates", "the output folder is templates/"),
    ] {
        build_to(&site, &site.root().join(output))
            .code(1)
            .stderr(contains(says));
    }
    assert_eq!(
        snapshot(site.root()),
        before,
        "a refused build touched the sources"
    );
}

#[test]
fn output_can_go_anywhere_else_and_stale_files_disappear() {
    let site = Site::fixture("valid");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("nested/www");
    build_to(&site, &out).success();
    assert!(out.join("hilfe/zweite/index.html").is_file());
    std::fs::remove_file(site.path("content/hilfe/zweite.md")).unwrap();
    build_to(&site, &out).success();
    assert!(!out.join("hilfe/zweite").exists());
}

#[test]
fn a_failed_build_after_a_good_one_keeps_the_good_site() {
    let site = Site::fixture("valid");
    site.build_ok();
    let good = snapshot(&site.out());
    site.write(
        "content/hilfe/kaputt.md",
        "+++\ntitle = \"Kaputt\"\n+++\n\n[weg](nirgends.md)\n",
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&site.out()), good);
}

/// `watch` and `serve` print a refused start once, as `build` does, not "error: error: …".
#[test]
fn watch_reports_a_refused_start_once() {
    let site = Site::fixture("valid");
    for command in ["watch", "serve"] {
        let out = formwerk()
            .args([command, "--root"])
            .arg(site.root())
            .arg("--output")
            .arg(site.path("content"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.starts_with("error["), "{stderr}");
        assert!(stderr.contains("the output folder is content/"), "{stderr}");
        assert!(!stderr.contains("error: error"), "{stderr}");
        // "error[output-in-sources]" and "1 error found", nothing more.
        assert_eq!(stderr.matches("error").count(), 2, "{stderr}");
    }
}

/// Every guide for editors is in the binary, word for word as docs/ has it: a site made by
/// `formwerk init` has no docs/ folder.
#[test]
fn help_prints_every_guide_as_docs_has_it() {
    for topic in formwerk::help::TOPICS {
        let page = std::fs::read_to_string(common::repo().join(format!("docs/{}.md", topic.name)))
            .unwrap();
        let out = formwerk().args(["help", topic.name]).output().unwrap();
        assert!(out.status.success(), "formwerk help {}", topic.name);
        assert!(
            String::from_utf8(out.stdout).unwrap() == page,
            "formwerk help {} does not print docs/{0}.md",
            topic.name
        );
    }
    // A path copied from an older hint names the same guide.
    formwerk()
        .args(["help", "docs/formulare.md"])
        .assert()
        .success()
        .stdout(contains("# Formulare schreiben"));
}

/// The guides are exactly the German pages docs/README.md lists for editors.
#[test]
fn every_german_page_is_a_help_topic() {
    let index = std::fs::read_to_string(common::repo().join("docs/README.md")).unwrap();
    let german = index
        .split("## For editors and clerks (German)")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/README.md lists the pages for editors");
    let mut listed: Vec<&str> = german
        .split("](")
        .filter_map(|rest| rest.split_once(".md)").map(|(name, _)| name))
        .collect();
    let mut topics: Vec<&str> = formwerk::help::TOPICS.iter().map(|t| t.name).collect();
    listed.sort_unstable();
    topics.sort_unstable();
    assert_eq!(listed, topics);
    // docs/befehle.md names them all.
    let commands = std::fs::read_to_string(common::repo().join("docs/befehle.md")).unwrap();
    for topic in topics {
        assert!(
            commands.contains(&format!("| `{topic}` |")),
            "docs/befehle.md does not list the topic {topic}"
        );
    }
}

#[test]
fn help_alone_lists_the_guides_and_the_commands() {
    let out = formwerk().arg("help").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    for topic in formwerk::help::TOPICS {
        let line = format!("{}  ", topic.name);
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&line) && l.ends_with(topic.summary())),
            "no line for {}:\n{stdout}",
            topic.name
        );
    }
    assert!(stdout.lines().any(|l| l.starts_with("  formulare ")
        && l.ends_with("Formulare schreiben – Anleitung für Redakteurinnen und Redakteure")));
    for command in [
        "build", "check", "watch", "serve", "answers", "schema", "init",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("  {command} "))),
            "no line for the command {command}:\n{stdout}"
        );
    }
    // The top-level help names the command.
    formwerk()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("help"))
        .stdout(contains("formwerk help formulare"));
}

/// `formwerk help COMMAND` is clap's help for the command, as before the guides came in.
#[test]
fn help_on_a_command_shows_its_options() {
    for (command, wanted) in [
        (
            "build",
            &["Usage: formwerk build", "--root", "--output", "--timings"][..],
        ),
        ("check", &["--deny-warnings", "--message-format"]),
        ("answers", &["--xlsx", "--csv"]),
        ("help", &["[TOPIC]..."]),
    ] {
        let by_help = formwerk().args(["help", command]).output().unwrap();
        assert!(by_help.status.success(), "formwerk help {command}");
        let stdout = String::from_utf8(by_help.stdout).unwrap();
        for w in wanted {
            assert!(
                stdout.contains(w),
                "formwerk help {command} lacks {w}:\n{stdout}"
            );
        }
        let by_flag = formwerk().args([command, "--help"]).output().unwrap();
        assert_eq!(
            stdout,
            String::from_utf8(by_flag.stdout).unwrap(),
            "formwerk help {command} and formwerk {command} --help differ"
        );
    }
}

#[test]
fn an_unknown_topic_lists_the_topics() {
    let out = formwerk().args(["help", "formularr"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a wrong call");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: „formularr“ ist weder eine Anleitung noch ein Befehl"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Meinten Sie `formwerk help formulare`?"),
        "{stderr}"
    );
    for topic in formwerk::help::TOPICS {
        assert!(
            stderr.contains(topic.name),
            "{} missing:\n{stderr}",
            topic.name
        );
    }
    assert!(stderr.contains("build"), "{stderr}");
    // Nothing near: no guess, still the list.
    let out = formwerk().args(["help", "xyzzyplugh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("Meinten Sie"), "{stderr}");
    assert!(stderr.contains("posteingang"), "{stderr}");
    // A guide takes no further words.
    formwerk()
        .args(["help", "formulare", "einreichen"])
        .assert()
        .code(2);
}

/// Every `formwerk help X` in the code, the docs and the README names something
/// `formwerk help` knows, so that no hint sends an editor nowhere.
#[test]
fn every_help_hint_names_a_topic() {
    let repo = common::repo();
    let mut named: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let files = ["crates", "src", "docs"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(repo.join(dir)))
        .map(|e| e.unwrap().into_path())
        .chain([repo.join("README.md")])
        .filter(|p| p.is_file() && !p.components().any(|c| c.as_os_str() == "target"));
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // fonts and images
        };
        for (at, _) in text.match_indices("formwerk help ") {
            let word: String = text[at + "formwerk help ".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            if !word.is_empty() {
                let place = path.strip_prefix(&repo).unwrap().display().to_string();
                named.entry(word).or_default().push(place);
            }
        }
    }
    assert!(
        named
            .get("formulare")
            .is_some_and(|places| places.iter().any(|p| p == "crates/content/src/checks.rs")),
        "the scan misses the hint of a form without [submission]: {named:?}"
    );
    for (word, places) in &named {
        let out = formwerk().args(["help", word]).output().unwrap();
        assert!(
            out.status.success() && !out.stdout.is_empty(),
            "`formwerk help {word}` (named in {places:?}) is neither a guide nor a command"
        );
    }
}

/// The issue this comes from: `check` on a new site warns about the form's missing
/// [submission] block, and the help it names is there, in the binary.
#[test]
fn the_hint_of_a_new_site_leads_to_a_guide() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("neu");
    formwerk().arg("init").arg(&root).assert().success();
    let out = formwerk()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("warning[no-submission]"), "{stderr}");
    assert!(!stderr.contains("docs/"), "{stderr}");
    let hint = stderr
        .split("`formwerk help ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no `formwerk help` in\n{stderr}"));
    formwerk()
        .args(["help", hint])
        .assert()
        .success()
        .stdout(contains("## Einreichen (`[submission]`)"));
}
