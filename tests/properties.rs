//! Property tests over the loaders: generated and mutated front matter, Markdown (headings,
//! explicit ids, links, anchors, images, placeholders) and form TOML. Whatever the input:
//! no panic, every error points at a place in a file, and `check` and `build` agree (both
//! succeed, or both fail with the same report). A failed build leaves no staging folder.
//!
//! ./test.sh runs a bounded number of cases; `PROPTEST_CASES=5000 cargo test --release
//! --test properties` runs a longer search (see docs/testing.md).

use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Shrinking rebuilds sites many times; a failure's first input is reported as is.
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    }
}

const WORDS: &[&str] = &[
    "Ziele",
    "Übersicht",
    "U\u{308}bersicht",
    "Maßnahmen",
    "",
    " ",
    "{{ jahr }}",
    "{{ jahrr }}",
    "{{ jahr + 1 }}",
    "a\u{7}b",
    "<b>fett</b>",
    "Teil 1",
    "ziele",
];
const IDS: &[&str] = &[
    "ziele",
    "uebersicht",
    "teil-1",
    "name",
    "a",
    "b",
    "formular",
];
const LINKS: &[&str] = &[
    "#ziele",
    "#uebersicht",
    "#fehlt",
    "seite.md",
    "seite.md#ziele",
    "seite.md#nix",
    "@/seite.md",
    "Übersicht.md",
    "fehlt.md",
    "../aussen.md",
    "/absolut.md",
    "",
    "https://example.org",
    "antrag.form.toml#teil",
    "bild.png",
];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(list)
}

fn heading() -> impl Strategy<Value = String> {
    (1..4usize, pick(WORDS), proptest::option::of(pick(IDS))).prop_map(|(level, text, id)| {
        let id = id.map(|i| format!(" {{#{i}}}")).unwrap_or_default();
        format!("{} {text}{id}\n\n", "#".repeat(level))
    })
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        heading(),
        (pick(WORDS), pick(LINKS)).prop_map(|(t, l)| format!("Siehe [{t}]({l}).\n\n")),
        (pick(WORDS), pick(LINKS)).prop_map(|(t, l)| format!("![{t}]({l})\n\n")),
        pick(WORDS).prop_map(|t| format!("> [!NOTE]\n> {t}\n\n")),
        pick(WORDS).prop_map(|t| format!("```\n{t}\n```\n\n")),
        "[^\u{0}]{0,40}".prop_map(|t| format!("{t}\n\n")),
    ]
}

fn front_matter_line() -> impl Strategy<Value = String> {
    prop_oneof![
        pick(WORDS).prop_map(|t| format!("description = \"{t}\"")),
        (-3i64..3).prop_map(|w| format!("weight = {w}")),
        Just("weight = \"eins\"".to_string()),
        Just("draft = false".to_string()),
        Just("template = \"pgae.html\"".to_string()),
        Just("titel = \"Tippfehler\"".to_string()),
        Just("[extra]\nx = \"\\u0007\"".to_string()),
        Just("title = \"Sei\\bte\"".to_string()),
        "[^\u{0}]{0,20}",
    ]
}

/// A page: front matter (a title, maybe more lines, maybe unclosed), then Markdown.
fn page() -> impl Strategy<Value = String> {
    (
        pick(WORDS),
        proptest::collection::vec(front_matter_line(), 0..3),
        any::<bool>(),
        proptest::collection::vec(block(), 0..12),
    )
        .prop_map(|(title, lines, closed, blocks)| {
            let mut text = format!("+++\ntitle = \"{title}\"\n");
            for l in lines {
                text.push_str(&l);
                text.push('\n');
            }
            if closed {
                text.push_str("+++\n\n");
            }
            text.extend(blocks);
            text
        })
}

fn field() -> impl Strategy<Value = String> {
    let kinds = &[
        "text",
        "textarea",
        "yes_no",
        "choice",
        "multi_choice",
        "entry_list",
        "date",
        "number",
        "info",
        "textare",
    ];
    let extras = &[
        "options = [\"Beratung\", \"Bildung\"]",
        "options = [\"Beratung\", \"Beratung\"]",
        "options = []",
        "other = \"\"",
        "other = \"Sonstiges\"",
        "rows = 5000000",
        "rows = 4",
        "lines = 0",
        "lines = 3",
        "max_length = 100",
        "min = nan",
        "max = inf",
        "min = 5\nmax = 1",
        "required = true",
        "hint = \"Hinweis {{ jahr }}\"",
        "text = \"Siehe [oben](#teil) und [fehlt](fehlt.md).\\n\\n## Teil {#name}\"",
        "show_if = { field = \"a\", equals = true }",
        "show_if = { field = \"b\", equals = \"Beratung\" }",
        "show_if = { field = \"name\", equals = \"x\" }",
        "label = \"\\u0007\"",
    ];
    (
        proptest::option::of(pick(IDS)),
        pick(kinds),
        proptest::option::of(pick(WORDS)),
        proptest::collection::vec(pick(extras), 0..4),
    )
        .prop_map(|(id, kind, label, extras)| {
            let mut f = "\n[[sections.fields]]\n".to_string();
            if let Some(id) = id {
                f.push_str(&format!("id = \"{}\"\n", id.replace('-', "_")));
            }
            f.push_str(&format!("kind = \"{kind}\"\n"));
            if let Some(l) = label {
                f.push_str(&format!("label = \"{l}\"\n"));
            }
            // A key twice is a TOML error; keep the first of each.
            let mut seen = std::collections::BTreeSet::new();
            for e in extras {
                if seen.insert(e.split(' ').next().unwrap_or(e)) {
                    f.push_str(e);
                    f.push('\n');
                }
            }
            f
        })
}

/// A form: a head, one or two sections of fields, maybe garbage inserted somewhere.
fn form() -> impl Strategy<Value = String> {
    (
        proptest::option::of(pick(&["antrag", "Antrag-2", "a"])),
        pick(WORDS),
        proptest::collection::vec(proptest::collection::vec(field(), 0..5), 1..3),
        proptest::option::of((any::<prop::sample::Index>(), "[^\u{0}]{0,12}")),
    )
        .prop_map(|(id, title, sections, junk)| {
            let mut text = String::new();
            if let Some(id) = id {
                text.push_str(&format!("id = \"{id}\"\n"));
            }
            text.push_str(&format!("title = \"{title}\"\nversion = \"1\"\n"));
            for (n, fields) in sections.into_iter().enumerate() {
                text.push_str(&format!(
                    "\n[[sections]]\nid = \"teil{n}\"\ntitle = \"Teil\"\n"
                ));
                text.extend(fields);
            }
            if let Some((at, junk)) = junk {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, &junk);
            }
            text
        })
}

/// Mutations of a real file: a range deleted, text inserted, a line doubled.
fn mutated(original: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (any::<prop::sample::Index>(), 0..3u8, "[^\u{0}]{0,8}"),
        1..4,
    )
    .prop_map(move |edits| {
        let mut text = original.to_string();
        for (at, how, insert) in edits {
            let mut i = at.index(text.len().max(1));
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match how {
                0 => {
                    let mut end = (i + 20).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(i..end, "");
                }
                1 => text.insert_str(i, &insert),
                _ => {
                    let start = text[..i].rfind('\n').map_or(0, |s| s + 1);
                    let end = text[i..].find('\n').map_or(text.len(), |e| i + e + 1);
                    let line = text[start..end].to_string();
                    text.insert_str(start, &line);
                }
            }
        }
        text
    })
}

/// Writes the site, runs `check` and `build` and compares them.
fn check_site(index: &str, seite: &str, form: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "formwerk.toml",
        "title = \"Eigenschaften\"\n\n[variables]\njahr = 2026\n",
    );
    write("content/_index.md", index);
    write("content/seite.md", seite);
    write("content/antrag.form.toml", form);
    write("content/bild.png", "PNG");

    let checked = formwerk_site::pipeline::check(root);
    let output = root.join("site");
    let built = formwerk_site::pipeline::build(root, &output);
    match (&checked, &built) {
        (Ok(_), Ok(_)) => {}
        (Err(c), Err(formwerk_site::pipeline::BuildError::Content(b))) => {
            prop_assert_eq!(c.render(), b.render(), "check and build report differently");
            for d in &c.0 {
                prop_assert!(
                    d.line_col().is_some(),
                    "an error without a place: {}",
                    d.render()
                );
                prop_assert!(
                    !d.help.is_empty(),
                    "an error without a hint: {}",
                    d.render()
                );
            }
            prop_assert!(!output.exists(), "a failed first build created site/");
        }
        (c, b) => prop_assert!(
            false,
            "check and build disagree:\ncheck: {:?}\nbuild: {:?}",
            c.as_ref().err().map(|d| d.render()),
            b.as_ref().err().map(|e| e.to_string())
        ),
    }
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".formwerk-new-"))
        .collect();
    prop_assert!(leftovers.is_empty(), "staging folder left: {:?}", leftovers);
    Ok(())
}

const PLAIN_FORM: &str = "title = \"Antrag\"\nversion = \"1\"\n\n[[sections]]\nid = \"teil\"\ntitle = \"Teil\"\n\n[[sections.fields]]\nid = \"name\"\nkind = \"text\"\nlabel = \"Name\"\n";
const PLAIN_PAGE: &str = "+++\ntitle = \"Seite\"\n+++\n\n## Ziele\n\nText.\n";
const BUNDLED_FORM: &str = include_str!("../content/projektbeschreibung.form.toml");
const BUNDLED_START: &str = include_str!("../content/_index.md");

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_pages(index in page(), seite in page()) {
        check_site(&index, &seite, PLAIN_FORM)?;
    }

    #[test]
    fn generated_forms(form in form()) {
        check_site("+++\ntitle = \"Start\"\n+++\n\n[Antrag](antrag.form.toml#teil0)\n", PLAIN_PAGE, &form)?;
    }

    #[test]
    fn mutated_bundled_form(form in mutated(BUNDLED_FORM)) {
        check_site("+++\ntitle = \"Start\"\n+++\n", PLAIN_PAGE, &form)?;
    }

    #[test]
    fn mutated_start_page(index in mutated(BUNDLED_START)) {
        check_site(&index, PLAIN_PAGE, PLAIN_FORM)?;
    }
}
