//! Paths over a page, a form and the site stay linear: for each input that used to take
//! minutes (a page with thousands of links to its own headings, thousands of headings, of
//! headings with the same text, of broken links, a form with thousands of options) the work
//! the check does (bytes scanned, ids probed, anchors looked up, lines indexed; counted by
//! `formwerk_base::work`) grows in step with the input. Two sizes 20 times apart: a linear pass
//! does about 20 times the work, a quadratic one about 400 times. No clocks involved.

use std::path::Path;

const SMALL: usize = 500;
const LARGE: usize = 10_000;

/// A one-page site (so that loading and rendering run on this thread, where the work is
/// counted) whose start page has `body` as its Markdown, and optionally a form.
fn site(dir: &Path, body: &str, form: Option<&str>) {
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("formwerk.toml"), "title = \"Last\"\n").unwrap();
    std::fs::write(
        dir.join("content/_index.md"),
        format!("+++\ntitle = \"Start\"\n+++\n\n{body}"),
    )
    .unwrap();
    if let Some(form) = form {
        std::fs::write(dir.join("content/antrag.form.toml"), form).unwrap();
    }
}

/// The work `formwerk check` does on the site, and how many errors it found.
fn work_of(body: &str, form: Option<&str>) -> (u64, usize) {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), body, form);
    formwerk_base::work::take();
    let errors = match formwerk_site::pipeline::check(dir.path()) {
        Ok(_) => 0,
        Err(d) => {
            let report = d.render();
            assert!(report.contains("nothing was written"));
            d.0.len()
        }
    };
    (formwerk_base::work::take(), errors)
}

/// Runs `make(n)` at both sizes and checks that the work grew linearly.
fn linear(
    what: &str,
    make: impl Fn(usize) -> (String, Option<String>),
    errors: impl Fn(usize) -> usize,
) {
    let mut work = Vec::new();
    for n in [SMALL, LARGE] {
        let (body, form) = make(n);
        let (units, found) = work_of(&body, form.as_deref());
        assert_eq!(found, errors(n), "{what}, n = {n}: errors found");
        work.push(units);
    }
    let ratio = work[1] as f64 / work[0] as f64;
    let sizes = (LARGE / SMALL) as f64;
    assert!(
        ratio < sizes * 1.5,
        "{what}: {SMALL} → {} units, {LARGE} → {} units: {ratio:.0} times the work for {sizes} times the input",
        work[0],
        work[1]
    );
}

#[test]
fn links_to_the_pages_own_headings() {
    linear(
        "links to own headings",
        |n| {
            let mut body = String::new();
            for i in 0..100 {
                body.push_str(&format!("## Teil {i}\n\n"));
            }
            for i in 0..n {
                body.push_str(&format!("[Teil](#teil-{}) ", i % 100));
            }
            (body, None)
        },
        |_| 0,
    );
}

#[test]
fn many_headings() {
    linear(
        "headings",
        |n| {
            (
                (0..n)
                    .map(|i| format!("## Abschnitt {i}\n\nText.\n\n"))
                    .collect(),
                None,
            )
        },
        |_| 0,
    );
}

#[test]
fn many_headings_with_the_same_text() {
    linear("same headings", |n| ("## Ziele\n\n".repeat(n), None), |_| 0);
}

#[test]
fn many_broken_links() {
    linear(
        "broken links",
        |n| {
            let body = (0..n)
                .map(|i| format!("[x](fehlt-{}.md)\n", i % 10))
                .collect();
            (body, None)
        },
        |n| n,
    );
}

#[test]
fn many_broken_anchors() {
    linear(
        "broken anchors",
        |n| {
            let mut body = "## Ziele\n\n".to_string();
            body.extend((0..n).map(|i| format!("[x](#ziel-{i})\n")));
            (body, None)
        },
        |n| n,
    );
}

#[test]
fn a_form_with_many_options() {
    linear(
        "options",
        |n| {
            let options: Vec<String> = (0..n).map(|i| format!("\"Option {i}\"")).collect();
            let form = format!(
                "title = \"Antrag\"\nversion = \"1\"\n\n[[sections]]\nid = \"teil\"\ntitle = \"Teil\"\n\n[[sections.fields]]\nid = \"art\"\nkind = \"multi_choice\"\nlabel = \"Art\"\noptions = [{}]\nother = \"Sonstiges\"\n\n[[sections.fields]]\nid = \"mehr\"\nkind = \"text\"\nlabel = \"Mehr\"\nshow_if = {{ field = \"art\", equals = \"Option {}\" }}\n",
                options.join(", "),
                n - 1
            );
            ("Start.\n".to_string(), Some(form))
        },
        |_| 0,
    );
}
