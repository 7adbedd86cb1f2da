//! Content that is ordinary somewhere and once confused the build: folders named like a year,
//! a file named like a page's folder, symbolic links (pages, themes), and a bug (a panic)
//! while rendering one page.

mod common;

use std::os::unix::fs::symlink;
use std::process::Output;

use common::{Site, formwerk, snapshot};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n{body}\n")
}

/// Runs `build` and `check`; both must fail with every `wanted` text, and site/ must stay.
fn both_fail_with(site: &Site, wanted: &[&str]) {
    let before = snapshot(&site.out());
    for command in ["check", "build"] {
        let out = site.run(&[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        for w in wanted {
            assert!(err.contains(w), "{command} lacks {w:?}:\n{err}");
        }
    }
    assert!(snapshot(&site.out()) == before, "site/ changed");
}

#[test]
fn a_folder_named_like_a_year_is_built() {
    let site = Site::bundled();
    site.write(
        "content/2026/_index.md",
        &page("Berichte 2026", "Die Berichte."),
    );
    site.write("content/2026/bericht.md", &page("Jahresbericht", "Text."));
    site.write("content/2026/4913", "vim's probe file, never content");
    site.write(
        "content/hinweise/verweis.md",
        &page("Verweis", "[Bericht](../2026/bericht.md)"),
    );
    site.build_ok();
    assert!(site.out().join("2026/index.html").is_file());
    assert!(site.out().join("2026/bericht/index.html").is_file());
    assert!(!site.out().join("2026/4913").exists());
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn a_file_named_like_a_pages_folder_fails_check_and_build_alike() {
    let site = Site::bundled();
    site.build_ok();
    site.write("content/projektbeschreibung", "Notizen ohne Endung");
    both_fail_with(
        &site,
        &[
            "content/projektbeschreibung",
            "is written into a folder of that name",
            "content/projektbeschreibung.form.toml",
            "give the file an extension",
        ],
    );
    assert!(
        !site
            .root()
            .read_dir()
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("formwerk-new"))
    );
}

#[test]
fn a_linked_page_inside_the_site_is_built_and_links_to_it_work() {
    let site = Site::bundled();
    site.write(
        "geteilt/kontakt.md",
        &page("Kontakt", "Telefon und E-Mail."),
    );
    symlink(
        site.path("geteilt/kontakt.md"),
        site.path("content/hinweise/kontakt.md"),
    )
    .unwrap();
    site.write(
        "content/hinweise/verweis.md",
        &page("Verweis", "[Kontakt](kontakt.md)"),
    );
    site.build_ok();
    let html = std::fs::read_to_string(site.out().join("hinweise/kontakt/index.html")).unwrap();
    assert!(html.contains("Telefon und E-Mail."));
}

#[test]
fn links_leading_out_of_the_site_or_nowhere_are_named_as_such() {
    let site = Site::bundled();
    site.build_ok();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("geheim.md"), page("Geheim", "x")).unwrap();
    symlink(
        elsewhere.path().join("geheim.md"),
        site.path("content/hinweise/geheim.md"),
    )
    .unwrap();
    both_fail_with(
        &site,
        &[
            "content/hinweise/geheim.md",
            "is a symbolic link to",
            "outside the site folder",
        ],
    );
    std::fs::remove_file(site.path("content/hinweise/geheim.md")).unwrap();
    symlink(
        site.path("entwurf/fehlt.md"),
        site.path("content/hinweise/fehlt.md"),
    )
    .unwrap();
    both_fail_with(
        &site,
        &[
            "content/hinweise/fehlt.md",
            "this symbolic link points to",
            "which does not exist",
        ],
    );
}

#[test]
fn a_linked_theme_folder_is_watched_for_changes_and_errors() {
    let site = Site::bundled();
    let shared = tempfile::tempdir().unwrap();
    let theme = shared.path().join("behoerde");
    site.theme_file("templates/page.html");
    std::fs::rename(site.path("themes/default"), &theme).unwrap();
    symlink(&theme, site.path("themes/default")).unwrap();
    site.build_ok();
    let page_html = theme.join("templates/page.html");
    let original = std::fs::read_to_string(&page_html).unwrap();

    // A broken template in the linked folder fails the build.
    std::fs::write(&page_html, format!("{original}\n{{% if %}}\n")).unwrap();
    let before = snapshot(&site.out());
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("page.html"), "{err}");
    assert!(snapshot(&site.out()) == before);

    // A change there shows in the output.
    let marked = original.replacen("<article", "<article data-theme-mark=\"1\"", 1);
    assert_ne!(marked, original, "page.html has an <article> element");
    std::fs::write(&page_html, marked).unwrap();
    site.build_ok();
    let html =
        std::fs::read_to_string(site.out().join("hinweise/bestandsaufnahme/index.html")).unwrap();
    assert!(html.contains("data-theme-mark"));
}

#[test]
fn a_panic_while_rendering_a_page_is_a_build_error_naming_it() {
    let site = Site::bundled();
    site.build_ok();
    site.write(
        "content/hinweise/bestandsaufnahme.md",
        &page("Geändert", "Neuer Text."),
    );
    let before = snapshot(&site.out());
    for command in ["build", "check"] {
        let out = formwerk()
            .env(
                "FORMWERK_FAULT",
                "panic:content/hinweise/bestandsaufnahme.md",
            )
            .arg(command)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains("content/hinweise/bestandsaufnahme.md"),
            "{err}"
        );
        assert!(
            err.contains("internal error: simulated by FORMWERK_FAULT"),
            "{err}"
        );
        assert!(err.contains("this is a bug in Formwerk"), "{err}");
    }
    assert!(snapshot(&site.out()) == before);
    site.build_ok();
}

#[test]
fn a_page_caught_halfway_through_being_saved_renders_without_a_panic() {
    let site = Site::bundled();
    let config = formwerk_config::Config::load(site.root()).unwrap();
    let (loaded, errors) = formwerk_content::Site::load(config).unwrap();
    assert!(errors.is_empty());
    let index = loaded
        .pages
        .iter()
        .position(|p| p.source.ends_with("bestandsaufnahme.md"))
        .unwrap();
    // Its text as loaded is held for rendering; a page beyond the held-text budget (or one
    // rendered again later) has its file read again, which is where a half-saved file shows.
    // An editor's program has truncated the file and not yet written it again.
    std::fs::write(site.path("content/hinweise/bestandsaufnahme.md"), "").unwrap();
    let body = loaded.render_body_of(index, None, &toml::Table::new());
    assert!(body.html.is_empty());
    std::fs::write(
        site.path("content/hinweise/bestandsaufnahme.md"),
        "+++\ntitle = \"T",
    )
    .unwrap();
    let body = loaded.render_body_of(index, None, &toml::Table::new());
    assert!(body.html.is_empty());
}
