//! `formwerk build` over an existing output reuses what it can (a render cache beside the
//! output, `.site.formwerk-cache`) and writes only files whose bytes changed. Whatever was
//! edited, the result must equal a clean build into a new folder.

mod common;

use common::{Site, formwerk, snapshot};

fn clean_build(site: &Site) -> Vec<(String, Vec<u8>)> {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("site");
    formwerk()
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    snapshot(&out)
}

fn build(site: &Site) -> String {
    let out = site.build();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

/// An edit in the same tick of the file system's clock as the last build took its stamps,
/// with the same size, leaves size and time as they were: the build must still see it,
/// because it does not trust the stamps of files saved just before it.
#[test]
fn an_edit_that_keeps_size_and_time_is_seen_when_made_just_before_the_build() {
    let site = Site::fixture("valid");
    let rel = "content/hilfe/tabellen.md";
    let file = site.path(rel);
    // Saved now, just before the build takes its stamps.
    let opened = std::fs::File::options().write(true).open(&file).unwrap();
    opened.set_modified(std::time::SystemTime::now()).unwrap();
    build(&site);
    let time = std::fs::metadata(&file).unwrap().modified().unwrap();
    edit(&site, rel, "Ein Satz mit Fußnote.", "Ein Satz mit Fußnot!.");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(time)
        .unwrap();
    build(&site);
    let page = std::fs::read_to_string(site.out().join("hilfe/tabellen/index.html")).unwrap();
    assert!(
        page.contains("Ein Satz mit Fußnot!."),
        "the edit was missed"
    );
    assert_eq!(snapshot(&site.out()), clean_build(&site));
}

#[test]
fn every_kind_of_edit_ends_like_a_clean_build() {
    let site = Site::fixture("valid");
    // The theme's strings, changed below in the site's own layer of the theme.
    site.theme_file("i18n/de.toml");
    // Saved by the editor a while ago: sizes and times of files saved just before a build are
    // not trusted (see the next test).
    site.age(60);
    let first = build(&site);
    // 35: the pages' files, site-wide files, static files (pdf-file.js, pdf-answers.js,
    // inbox-reader.js, inbox-worker.js, draft-merge.js, seal.js, sealed-submission.js and
    // inbox-keys.js among them).
    assert!(first.contains(": 35 written, 0 removed"), "{first}");
    assert!(site.path(".site.formwerk-cache").is_file());
    // The first rebuild already finds nothing changed from the files' sizes and times alone,
    // without loading or rendering anything.
    let again = site.run(&["build", "--timings"]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    let phases = String::from_utf8_lossy(&again.stderr);
    assert!(stdout.contains(": 0 written, 0 removed"), "{stdout}");
    assert!(
        phases.contains("unchanged?") && !phases.contains("render"),
        "a rebuild without changes did not take the fast path:\n{phases}"
    );
    assert_eq!(snapshot(&site.out()), clean_build(&site));

    type Step = Box<dyn Fn(&Site)>;
    let steps: Vec<(&str, Step)> = vec![
        (
            "body",
            Box::new(|s| {
                edit(
                    s,
                    "content/hilfe/tabellen.md",
                    "Ein Satz mit Fußnote.",
                    "Ein neuer Satz.",
                )
            }),
        ),
        (
            "title shown by the section and the navigation",
            Box::new(|s| {
                edit(
                    s,
                    "content/hilfe/_index.md",
                    "title = \"Hilfe\"",
                    "title = \"Hilfe und Rat\"",
                )
            }),
        ),
        (
            "weight reorders the section",
            Box::new(|s| edit(s, "content/hilfe/zweite.md", "weight = 1", "weight = -5")),
        ),
        (
            "form",
            Box::new(|s| {
                edit(
                    s,
                    "content/antraege/alle-felder.form.toml",
                    "label = \"Betrag\"",
                    "label = \"Betrag in Euro\"",
                )
            }),
        ),
        (
            "template",
            Box::new(|s| {
                edit(
                    s,
                    "templates/special.html",
                    "<article class=\"special\"",
                    "<article class=\"special neu\"",
                )
            }),
        ),
        (
            "theme string",
            Box::new(|s| {
                edit(
                    s,
                    "themes/default/i18n/de.toml",
                    "Zum Inhalt springen",
                    "Direkt zum Inhalt",
                )
            }),
        ),
        (
            "variable",
            Box::new(|s| edit(s, "formwerk.toml", "jahr = 2031", "jahr = 2032")),
        ),
        (
            "new page",
            Box::new(|s| {
                s.write(
                    "content/hilfe/neu.md",
                    "+++\ntitle = \"Neu\"\n+++\n\n[Zurück](_index.md)\n",
                )
            }),
        ),
        (
            "removed page",
            Box::new(|s| {
                std::fs::remove_file(s.path("content/hilfe/unterbereich/tief.md")).unwrap()
            }),
        ),
        (
            "static file",
            Box::new(|s| s.write("static/extra.css", "/* anders */\n")),
        ),
        (
            "output edited by hand",
            Box::new(|s| s.write("site/hilfe/index.html", "verändert")),
        ),
        (
            "output deleted by hand",
            Box::new(|s| {
                let name = common::hashed(&s.out(), "formwerk.css");
                std::fs::remove_file(s.out().join(name)).unwrap()
            }),
        ),
        (
            "foreign file in the output",
            Box::new(|s| s.write("site/fremd.txt", "fremd")),
        ),
        (
            "stamps damaged",
            Box::new(|s| s.write(".site.formwerk-stamps", "{ kaputt")),
        ),
        (
            "cache deleted",
            Box::new(|s| std::fs::remove_file(s.path(".site.formwerk-cache")).unwrap()),
        ),
        (
            "cache damaged",
            Box::new(|s| s.write(".site.formwerk-cache", "{ kaputt")),
        ),
    ];
    for (what, step) in steps {
        step(&site);
        build(&site);
        assert_like_clean_build(&site, what);
    }
}

/// A build with no source changed still puts right what was changed in the output by hand,
/// wherever in its folders: the output is stamped where the last build left it (without
/// listing its folders), and a file added, removed or changed shows in its folder's or its
/// own stamp.
#[test]
fn output_changed_by_hand_is_put_right_when_no_source_changed() {
    let site = Site::fixture("valid");
    site.age(60);
    build(&site);
    type Step = Box<dyn Fn(&Site)>;
    let steps: Vec<(&str, Step)> = vec![
        (
            "output edited by hand",
            Box::new(|s| s.write("site/hilfe/index.html", "verändert")),
        ),
        (
            "output edited by hand, same size",
            Box::new(|s| {
                let page = std::fs::read(s.out().join("hilfe/index.html")).unwrap();
                std::fs::write(s.out().join("hilfe/index.html"), vec![b' '; page.len()]).unwrap()
            }),
        ),
        (
            "output deleted by hand",
            Box::new(|s| std::fs::remove_file(s.out().join("hilfe/index.html")).unwrap()),
        ),
        (
            "foreign file in the output",
            Box::new(|s| s.write("site/fremd.txt", "fremd")),
        ),
        (
            "foreign file in a page's folder",
            Box::new(|s| s.write("site/hilfe/fremd.txt", "fremd")),
        ),
        (
            "foreign empty folder",
            Box::new(|s| std::fs::create_dir(s.out().join("hilfe/leer")).unwrap()),
        ),
        (
            "foreign file in the empty folder",
            Box::new(|s| s.write("site/hilfe/leer/fremd.txt", "fremd")),
        ),
    ];
    for (what, step) in steps {
        // Nothing changed: the fast path, which must see the step below.
        let again = site.run(&["build", "--timings"]);
        let phases = String::from_utf8_lossy(&again.stderr);
        assert!(
            phases.contains("unchanged?") && !phases.contains("render"),
            "before {what}, a rebuild without changes did not take the fast path:\n{phases}"
        );
        // The last build stamped the folders it wrote into: the output is not listed.
        assert!(
            !phases.contains("output listed"),
            "before {what}, the output was listed:\n{phases}"
        );
        step(&site);
        build(&site);
        assert_like_clean_build(&site, what);
    }
}

/// The output of `site` must be what a clean build into a new folder writes.
fn assert_like_clean_build(site: &Site, what: &str) {
    let (ours, clean) = (snapshot(&site.out()), clean_build(site));
    let differ: Vec<&String> = ours
        .iter()
        .chain(&clean)
        .filter(|(name, bytes)| {
            let other = if ours.iter().any(|(n, b)| n == name && b == bytes) {
                &clean
            } else {
                &ours
            };
            !other.iter().any(|(n, b)| n == name && b == bytes)
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        differ.is_empty(),
        "after {what}, these files differ from a clean build: {differ:?}"
    );
}

/// The files for search engines follow pages added, renamed and removed, a changed, added
/// and removed `base_url`, and a robots.txt of the site's own coming and going, through the
/// render cache as a clean build would write them.
#[test]
fn sitemap_robots_and_canonical_links_follow_pages_and_base_url() {
    let site = Site::fixture("valid");
    let config = site.read("formwerk.toml");
    let with_base_url = |url: &str| format!("base_url = \"{url}\"\n{config}");
    site.write("formwerk.toml", &with_base_url("https://amt.example/a"));
    build(&site);
    let sitemap =
        |s: &Site| std::fs::read_to_string(s.out().join("sitemap.xml")).unwrap_or_default();
    assert!(sitemap(&site).contains("<loc>https://amt.example/a/hilfe/zweite/index.html</loc>"));

    type Step = Box<dyn Fn(&Site)>;
    let steps: Vec<(&str, Step, &str, bool)> = vec![
        (
            "new page",
            Box::new(|s| {
                s.write(
                    "content/hilfe/neu.md",
                    "+++\ntitle = \"Neu\"\n+++\n\nText.\n",
                )
            }),
            "<loc>https://amt.example/a/hilfe/neu/index.html</loc>",
            true,
        ),
        (
            "renamed page",
            Box::new(|s| {
                std::fs::rename(
                    s.path("content/hilfe/neu.md"),
                    s.path("content/hilfe/alt.md"),
                )
                .unwrap()
            }),
            "<loc>https://amt.example/a/hilfe/neu/index.html</loc>",
            false,
        ),
        (
            "removed page",
            Box::new(|s| std::fs::remove_file(s.path("content/hilfe/alt.md")).unwrap()),
            "/hilfe/alt/index.html",
            false,
        ),
        (
            "title",
            Box::new(|s| {
                edit(
                    s,
                    "content/hilfe/zweite.md",
                    "title = \"Zweite Seite\"",
                    "title = \"Andere\"",
                )
            }),
            "<loc>https://amt.example/a/hilfe/zweite/index.html</loc>",
            true,
        ),
        (
            "base_url changed",
            Box::new(|s| {
                edit(
                    s,
                    "formwerk.toml",
                    "https://amt.example/a",
                    "http://amt.example/b/",
                )
            }),
            "<loc>http://amt.example/b/index.html</loc>",
            true,
        ),
        (
            "own robots.txt",
            Box::new(|s| s.write("static/robots.txt", "User-agent: *\nDisallow: /\n")),
            "<loc>http://amt.example/b/index.html</loc>",
            true,
        ),
        (
            "own robots.txt removed",
            Box::new(|s| std::fs::remove_file(s.path("static/robots.txt")).unwrap()),
            "<loc>http://amt.example/b/index.html</loc>",
            true,
        ),
        (
            "base_url removed",
            Box::new(move |s| s.write("formwerk.toml", &config)),
            "<loc>",
            false,
        ),
    ];
    for (what, step, shown, present) in steps {
        step(&site);
        build(&site);
        assert_eq!(
            sitemap(&site).contains(shown),
            present,
            "after {what}:\n{}",
            sitemap(&site)
        );
        assert_like_clean_build(&site, what);
    }
    assert!(!site.out().join("robots.txt").exists() && !site.out().join("sitemap.xml").exists());
}

#[test]
fn a_link_to_an_anchor_that_disappears_fails_even_from_a_page_not_rendered_again() {
    let site = Site::fixture("valid");
    build(&site);
    // tief.md links to alle-felder#auswahl and is not edited: its link is checked from the cache.
    edit(
        &site,
        "content/antraege/alle-felder.form.toml",
        "id = \"auswahl\"",
        "id = \"waehlen\"",
    );
    let out = site.build();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/hilfe/unterbereich/tief.md:") && stderr.contains("`#auswahl`"),
        "{stderr}"
    );
}

#[test]
fn a_linked_download_edited_grown_renamed_and_deleted_shows_its_label_and_link() {
    use common::downloads::{Expect, assert_shown, site, steps};
    let site = site();
    build(&site);
    assert_shown(
        &site.out(),
        "the first build",
        Some(("PDF, 2 KB", "plan.pdf")),
    );
    for step in steps() {
        let before = snapshot(&site.out());
        (step.run)(site.root());
        let out = site.build();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match step.expect {
            Expect::Shown(shown) => {
                assert!(out.status.success(), "after {}: {stderr}", step.what);
                assert_shown(&site.out(), step.what, shown);
                assert!(
                    snapshot(&site.out()) == clean_build(&site),
                    "after {}: the output differs from a clean build",
                    step.what
                );
            }
            Expect::Fails(files) => {
                assert_eq!(out.status.code(), Some(1), "after {}", step.what);
                for file in files {
                    assert!(
                        stderr.contains(&format!("{file}:")) && stderr.contains("does not exist"),
                        "after {}: {file} not named:\n{stderr}",
                        step.what
                    );
                }
                assert!(snapshot(&site.out()) == before, "after {}", step.what);
            }
        }
    }
}
