//! The offline search folds and stems a query in the browser (search.js) as the build folded
//! and stemmed the index (src/search.rs); otherwise "Maßnahmen" would not find "Maßnahme".
//! The folding table and the endings live once, in Rust, and reach search.js with the index.
//! This test builds a site, loads the output's own search.js and first index shard in node and
//! compares the two over a word list.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::Site;

const WORDS: &[&str] = &[
    "Bevölkerung",
    "Bevoelkerung",
    "Maßnahmen",
    "Massnahme",
    "MASSNAHMEN",
    "Übersicht",
    "Überblick",
    "Änderungen",
    "Ärztinnen",
    "Öffentlichkeit",
    "Fußgängerzone",
    "Handlungsfeldern",
    "Handlungsfelder",
    "Projekte",
    "Projekts",
    "Koordinierungsstellen",
    "Teilhabe",
    "Migrationsberatung",
    "Zuwendungsempfänger",
    "Haushaltsjahr",
    "2026",
    "§",
    "Café",
    "Crème",
    "Señora",
    "Façade",
    "Ångström",
    "Søren",
    "naïve",
    "Noël",
    "Ÿvonne",
    // Names as the people in the ministry's forms write them (issue 25): Turkish, Croatian
    // and Serbian, Polish, Czech, Romanian, Vietnamese, Danish; Greek and Cyrillic stay as
    // they are, lowercased.
    "Ayşe",
    "Yılmaz",
    "İstanbul",
    "Ayşegül",
    "Đorđe",
    "Petrović",
    "Łukasz",
    "Wójcik",
    "Łódź",
    "Dvořák",
    "Ștefan",
    "Nguyễn",
    "Æbleskiver",
    "Ολυμπία",
    "Олена",
    "Шевченко",
    "Łódź",
    "Ü\u{308}",
    "U\u{308}bersicht",
    "straße",
    "STRASSE",
    "Ja",
    "a",
    "E-Mail",
    "Förder-Richtlinie",
    "Ærø",
];

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node: ./test.sh installs it"
)]
fn search_js_folds_and_stems_like_the_index() {
    let site = Site::fixture("valid");
    site.build_ok();
    let out = site.out();
    let script = out.join(common::hashed(&out, "search.js"));
    let shard = out.join("search-index-0.js");
    let program = r#"
        const fs = require("fs");
        globalThis.window = globalThis;
        globalThis.document = { querySelector: () => null, getElementById: () => null };
        const [shard, script, words] = process.argv.slice(1);
        (0, eval)(fs.readFileSync(shard, "utf8"));
        (0, eval)(fs.readFileSync(script, "utf8"));
        const t = window.FormwerkSearchText;
        const list = JSON.parse(fs.readFileSync(words, "utf8"));
        process.stdout.write(JSON.stringify(list.map((w) => [t.fold(w), t.stem(t.fold(w))])));
    "#;
    let words = tempfile::NamedTempFile::new().unwrap();
    words
        .as_file()
        .write_all(serde_json::to_string(WORDS).unwrap().as_bytes())
        .unwrap();
    let run = Command::new("node")
        .arg("-e")
        .arg(program)
        .arg(&shard)
        .arg(&script)
        .arg(words.path())
        .stderr(Stdio::inherit())
        .output()
        .expect("node must be installed (./test.sh installs it for the browser tests)");
    assert!(run.status.success());
    let js: Vec<(String, String)> = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(js.len(), WORDS.len());
    let mut differ = Vec::new();
    for (word, (js_fold, js_stem)) in WORDS.iter().zip(js) {
        let fold = formwerk_text::search::fold(word);
        let stem = formwerk_text::search::stem(&fold);
        if (&fold, &stem) != (&js_fold, &js_stem) {
            differ.push(format!(
                "{word}: Rust {fold}/{stem}, search.js {js_fold}/{js_stem}"
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The table is used, not bypassed: umlauts are spelled out on both sides.
    assert_eq!(formwerk_text::search::fold("Bevölkerung"), "bevoelkerung");
}

#[test]
fn slugs_and_search_use_the_same_table() {
    for (from, to) in formwerk_text::slug::GERMAN_FOLDING {
        let word = format!("x{from}x");
        assert_eq!(formwerk_text::slug::slugify(&word), format!("x{to}x"));
        assert_eq!(formwerk_text::search::fold(&word), format!("x{to}x"));
    }
}
