//! A linked download edited, grown, renamed, shrunk and deleted, one file operation per step:
//! the scenario `build` (tests/rebuild.rs) and `watch` (tests/watch_serve.rs) both run. The
//! label beside a link ("PDF, 1,2 MB") comes from the file's size, so every page linking it
//! depends on it.

use std::path::Path;

use super::{Site, sel};

/// What a user sees after a step.
pub enum Expect {
    /// The build succeeds; every page linking the download shows this label and a link to
    /// this output file (none: no page links a download any more).
    Shown(Option<(&'static str, &'static str)>),
    /// The build fails, naming these source files.
    Fails(&'static [&'static str]),
}

pub struct Step {
    pub what: &'static str,
    /// A path (from the site folder) the watcher's report of this step names.
    pub names: &'static str,
    pub run: fn(&Path),
    pub expect: Expect,
    /// What a rebuild under `watch` re-renders, when it renders only some pages.
    pub watch_renders: Option<usize>,
}

/// The pages that link the download (the start page and one page of a section); the section
/// has a page that links nothing.
pub const LINKING: [&str; 2] = ["index.html", "unterlagen/merkblatt/index.html"];

pub fn site() -> Site {
    let site = Site::empty();
    site.write(
        "formwerk.toml",
        "title = \"Downloads\"\nlanguage = \"de\"\ntheme = \"default\"\n",
    );
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Start\"\n+++\n\nDer [Plan](unterlagen/plan.pdf) zum Herunterladen.\n",
    );
    site.write(
        "content/unterlagen/_index.md",
        "+++\ntitle = \"Unterlagen\"\n+++\n\nAlles zum Antrag.\n",
    );
    site.write(
        "content/unterlagen/merkblatt.md",
        "+++\ntitle = \"Merkblatt\"\n+++\n\nSiehe den [Plan](plan.pdf).\n",
    );
    site.write(
        "content/unterlagen/ohne.md",
        "+++\ntitle = \"Ohne\"\n+++\n\nKein Download hier.\n",
    );
    pdf(&site.path("content/unterlagen/plan.pdf"), 2_000, b'a');
    site
}

/// A file of `size` bytes that looks like a PDF to a person.
fn pdf(path: &Path, size: usize, fill: u8) {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, fill);
    std::fs::write(path, bytes).unwrap();
}

fn relink(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

pub fn steps() -> Vec<Step> {
    vec![
        Step {
            what: "edited, same size",
            names: "content/unterlagen/plan.pdf",
            run: |r| pdf(&r.join("content/unterlagen/plan.pdf"), 2_000, b'b'),
            expect: Expect::Shown(Some(("PDF, 2 KB", "plan.pdf"))),
            watch_renders: Some(0),
        },
        Step {
            what: "grown",
            names: "content/unterlagen/plan.pdf",
            run: |r| pdf(&r.join("content/unterlagen/plan.pdf"), 1_300_000, b'c'),
            expect: Expect::Shown(Some(("PDF, 1,2 MB", "plan.pdf"))),
            watch_renders: Some(2),
        },
        Step {
            what: "renamed",
            names: "content/unterlagen/plan-2026.pdf",
            run: |r| {
                std::fs::rename(
                    r.join("content/unterlagen/plan.pdf"),
                    r.join("content/unterlagen/plan-2026.pdf"),
                )
                .unwrap()
            },
            expect: Expect::Fails(&["content/_index.md", "content/unterlagen/merkblatt.md"]),
            watch_renders: None,
        },
        Step {
            what: "one link follows the rename",
            names: "content/unterlagen/merkblatt.md",
            run: |r| {
                relink(
                    r,
                    "content/unterlagen/merkblatt.md",
                    "plan.pdf",
                    "plan-2026.pdf",
                )
            },
            expect: Expect::Fails(&["content/_index.md"]),
            watch_renders: None,
        },
        Step {
            what: "both links follow the rename",
            names: "content/_index.md",
            run: |r| relink(r, "content/_index.md", "plan.pdf", "plan-2026.pdf"),
            expect: Expect::Shown(Some(("PDF, 1,2 MB", "plan-2026.pdf"))),
            watch_renders: None,
        },
        Step {
            what: "shrunk",
            names: "content/unterlagen/plan-2026.pdf",
            run: |r| pdf(&r.join("content/unterlagen/plan-2026.pdf"), 20_000, b'd'),
            expect: Expect::Shown(Some(("PDF, 20 KB", "plan-2026.pdf"))),
            watch_renders: Some(2),
        },
        Step {
            what: "deleted",
            names: "content/unterlagen/plan-2026.pdf",
            run: |r| std::fs::remove_file(r.join("content/unterlagen/plan-2026.pdf")).unwrap(),
            expect: Expect::Fails(&["content/_index.md", "content/unterlagen/merkblatt.md"]),
            watch_renders: None,
        },
        Step {
            what: "one link removed",
            names: "content/unterlagen/merkblatt.md",
            run: |r| {
                relink(
                    r,
                    "content/unterlagen/merkblatt.md",
                    "[Plan](plan-2026.pdf)",
                    "Plan",
                )
            },
            expect: Expect::Fails(&["content/_index.md"]),
            watch_renders: None,
        },
        Step {
            what: "both links removed",
            names: "content/_index.md",
            run: |r| {
                relink(
                    r,
                    "content/_index.md",
                    "[Plan](unterlagen/plan-2026.pdf)",
                    "Plan",
                )
            },
            expect: Expect::Shown(None),
            watch_renders: None,
        },
    ]
}

/// Checks the output `out` against a successful step's expectation: the label and link on
/// every page that links the download, no other label, no link leading nowhere, and the
/// download itself in the output only under its current name.
pub fn assert_shown(out: &Path, what: &str, shown: Option<(&str, &str)>) {
    let label = sel("span.file-info");
    let link = sel("a[href$='.pdf']");
    for rel in LINKING {
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap());
        let labels: Vec<String> = doc.select(&label).map(|e| e.text().collect()).collect();
        let links: Vec<&str> = doc
            .select(&link)
            .filter_map(|e| e.value().attr("href"))
            .collect();
        match shown {
            Some((size, file)) => {
                assert_eq!(labels, [format!("({size})")], "after {what}: {rel}");
                assert_eq!(links.len(), 1, "after {what}: {rel}: {links:?}");
                assert!(
                    links[0].ends_with(&format!("unterlagen/{file}")),
                    "after {what}: {rel} links {links:?}"
                );
            }
            None => {
                assert!(labels.is_empty() && links.is_empty(), "after {what}: {rel}");
            }
        }
    }
    let problems = super::broken_links(out);
    assert!(problems.is_empty(), "after {what}: {problems:?}");
    for name in ["plan.pdf", "plan-2026.pdf"] {
        let present = out.join("unterlagen").join(name).is_file();
        let wanted = shown.is_some_and(|(_, file)| file == name);
        assert_eq!(
            present, wanted,
            "after {what}: unterlagen/{name} in the output"
        );
    }
}
