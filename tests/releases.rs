//! The compatibility promise: a site made by an earlier release builds with this one, as it
//! is or after `formwerk upgrade`, into the same pages. The fixtures under
//! tests/fixtures/releases/ are sites as earlier releases made them (README.md there says
//! how); each `<name>.expected.json` is what that release's own build showed (the headings of
//! every page's main part and the names of its form's controls, summary.py). Also: `upgrade`
//! keeps what an editor changed, `theme eject` notes its release and `check` warns when the
//! original changed since, and `init` writes no theme.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Site, formwerk, repo, snapshot};
use scraper::{Html, Selector};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct Shown {
    headings: Vec<String>,
    controls: Vec<String>,
}

/// What the build in `out` shows, as summary.py reads it.
fn shown(out: &Path) -> BTreeMap<String, Shown> {
    let headings = Selector::parse("main h1, main h2, main h3").unwrap();
    let controls =
        Selector::parse("main input[name], main select[name], main textarea[name]").unwrap();
    let mut pages = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        if entry.file_name() != "index.html" {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let text = |e: scraper::ElementRef| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut names: Vec<String> = html
            .select(&controls)
            .filter_map(|e| e.value().attr("name").map(String::from))
            .collect();
        names.sort();
        names.dedup();
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        pages.insert(
            rel,
            Shown {
                headings: html.select(&headings).map(text).collect(),
                controls: names,
            },
        );
    }
    pages
}

fn expected(name: &str) -> BTreeMap<String, Shown> {
    let path = repo().join(format!("tests/fixtures/releases/{name}.expected.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The same pages with the same forms; every heading the earlier release showed, in its order
/// (a later release may add its own, as the form's finishing step „Abschluss“).
fn assert_same_pages(name: &str, out: &Path) {
    let (want, got) = (expected(name), shown(out));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "{name}: the pages"
    );
    for (page, want) in &want {
        let got = &got[page];
        assert_eq!(
            want.controls, got.controls,
            "{name}: the form's controls on {page}"
        );
        let mut rest = got.headings.iter();
        for heading in &want.headings {
            assert!(
                rest.any(|h| h == heading),
                "{name}: {page} lost the heading {heading:?} (has {:?})",
                got.headings
            );
        }
    }
}

fn fixture(name: &str) -> Site {
    Site::fixture(&format!("releases/{name}"))
}

fn upgrade_yes(site: &Site) -> String {
    let out = site.run(&["upgrade", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn every_release_fixture_builds_into_the_same_pages_after_upgrade() {
    for name in ["0.1.0-first-init", "0.1.0-init", "0.1.0-bundled"] {
        let site = fixture(name);
        let stdout = upgrade_yes(&site);
        assert!(stdout.contains("entfernen"), "{name}: {stdout}");
        assert!(
            !stdout.contains("behalten"),
            "{name}: nothing was changed by an editor"
        );
        assert!(!site.path("themes").exists(), "{name}: the copy is gone");
        site.build_ok();
        assert_same_pages(name, &site.out());
        let check = site.run(&["check"]);
        assert!(
            !String::from_utf8_lossy(&check.stderr).contains("old-theme-copy"),
            "{name}"
        );
    }
}

#[test]
fn the_last_release_builds_unchanged_and_is_told_to_upgrade() {
    for name in ["0.1.0-init", "0.1.0-bundled"] {
        let site = fixture(name);
        site.build_ok();
        assert_same_pages(name, &site.out());
        let check = site.run(&["check"]);
        let stderr = String::from_utf8_lossy(&check.stderr);
        assert!(check.status.success(), "{stderr}");
        assert!(stderr.contains("warning[old-theme-copy]"), "{stderr}");
        assert!(stderr.contains("formwerk upgrade"), "{stderr}");
    }
}

#[test]
fn an_error_an_old_site_meets_points_to_upgrade() {
    // The first release's base.html lacks blocks that today's built-in templates fill.
    let site = fixture("0.1.0-first-init");
    let before = snapshot(site.root());
    let out = site.build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[old-theme-copy]"), "{stderr}");
    assert!(stderr.contains("run `formwerk upgrade`"), "{stderr}");
    assert_eq!(
        before,
        snapshot(site.root()),
        "a failed build writes nothing"
    );
}

#[test]
fn upgrade_asks_first_and_changes_nothing_unconfirmed() {
    let site = fixture("0.1.0-init");
    let before = snapshot(site.root());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_formwerk"))
        .args(["upgrade", "--root"])
        .arg(site.root())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("entfernen  templates/base.html"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(before, snapshot(site.root()));
}

#[test]
fn upgrade_keeps_what_the_editor_changed_and_the_build_uses_it() {
    let site = fixture("0.1.0-init");
    let base = site.read("themes/default/templates/base.html");
    site.write(
        "themes/default/templates/base.html",
        &base.replace("<body>", "<body class=\"landkreis\">"),
    );
    let css = site.read("themes/default/static/formwerk.css");
    site.write(
        "themes/default/static/formwerk.css",
        &format!("{css}\n.site-title {{ color: #005a9c; }}\n"),
    );
    let stdout = upgrade_yes(&site);
    assert!(
        stdout.contains("behalten   templates/base.html (von Ihnen geändert: "),
        "{stdout}"
    );
    assert!(
        stdout.contains("behalten   static/formwerk.css"),
        "{stdout}"
    );
    let mut left: Vec<String> = walkdir::WalkDir::new(site.path("themes"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(site.root())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "themes/default/static/formwerk.css",
            "themes/default/templates/base.html"
        ]
    );
    site.build_ok();
    assert_same_pages("0.1.0-init", &site.out());
    assert!(
        site.read("site/index.html")
            .contains("<body class=\"landkreis\">")
    );
    let out = site.out();
    let css = std::fs::read_to_string(out.join(common::hashed(&out, "formwerk.css"))).unwrap();
    assert!(css.contains("color: #005a9c"));
    // The page scripts are the binary's: none came from the site.
    let js = std::fs::read(out.join(common::hashed(&out, "formwerk.js"))).unwrap();
    assert_eq!(
        js,
        std::fs::read(repo().join("crates/render/theme/static/formwerk.js")).unwrap()
    );
}

#[test]
fn an_ejected_template_notes_its_release_and_check_warns_when_the_original_changes() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("amt");
    formwerk().arg("init").arg(&dir).assert().success();
    let site = Site::from_dir(&dir);
    let out = site.run(&["theme", "eject", "templates/form/field.html"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ejected = site.read("templates/form/field.html");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        ejected.starts_with(&format!(
            "{{# formwerk theme eject: templates/form/field.html from Formwerk {version}, sha256 "
        )),
        "{ejected}"
    );
    let check = site.run(&["check"]);
    assert!(!String::from_utf8_lossy(&check.stderr).contains("ejected-outdated"));
    site.build_ok();
    // A second eject never overwrites the editor's copy.
    assert!(
        !site
            .run(&["theme", "eject", "templates/form/field.html"])
            .status
            .success()
    );
    // As if it had been taken out of a release whose original differed.
    let (note, body) = ejected.split_once('\n').unwrap();
    let old = note.replace(&format!("Formwerk {version}"), "Formwerk 0.1.9");
    let old = old.replace(
        &old[old.find("sha256 ").unwrap() + 7..old.find(" #}").unwrap()],
        &"0".repeat(64),
    );
    site.write("templates/form/field.html", &format!("{old}\n{body}"));
    let check = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("warning[ejected-outdated]"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "is based on templates/form/field.html of Formwerk 0.1.9; Formwerk {version} changed it"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("formwerk theme show templates/form/field.html"),
        "{stderr}"
    );
    // Taken over: the note renewed, the warning gone.
    let out = site.run(&["theme", "eject", "templates/form/field.html", "--note-only"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.read("templates/form/field.html").ends_with(body));
    let check = site.run(&["check"]);
    assert!(!String::from_utf8_lossy(&check.stderr).contains("ejected-outdated"));
}

#[test]
fn theme_show_prints_the_built_in_file_and_unknown_names_get_a_suggestion() {
    let out = formwerk()
        .args(["theme", "show", "base.html"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        out.stdout,
        std::fs::read(repo().join("crates/render/theme/templates/base.html")).unwrap()
    );
    let out = formwerk()
        .args(["theme", "show", "templates/bsae.html"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `templates/base.html`?"));
}

#[test]
fn init_writes_content_and_settings_but_no_theme() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("neu");
    formwerk().arg("init").arg(&dir).assert().success();
    let files: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .collect();
    let bytes: u64 = files.iter().map(|e| e.metadata().unwrap().len()).sum();
    assert!(!dir.join("themes").exists());
    assert!(files.len() <= 10, "{} files", files.len());
    assert!(bytes < 200_000, "{bytes} bytes");
}

#[test]
fn version_names_the_answers_file_format() {
    let out = formwerk().arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!(
            "formwerk {} (answers files: format {})",
            env!("CARGO_PKG_VERSION"),
            formwerk_answers::FORMAT_VERSION
        )
    );
}

#[test]
fn a_theme_of_another_name_keeps_its_folder_and_builds_after_upgrade() {
    // A site that copied the default theme under a name of its own.
    let site = fixture("0.1.0-init");
    std::fs::rename(site.path("themes/default"), site.path("themes/behoerde")).unwrap();
    let config = site
        .read("formwerk.toml")
        .replace("theme = \"default\"", "theme = \"behoerde\"");
    site.write("formwerk.toml", &config);
    let stdout = upgrade_yes(&site);
    assert!(stdout.contains("ist jetzt leer"), "{stdout}");
    assert!(site.path("themes/behoerde").is_dir());
    site.build_ok();
    assert_same_pages("0.1.0-init", &site.out());
}
