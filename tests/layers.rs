//! The crate's modules form one-way layers (README, "Architecture"): a module may use modules
//! of its own layer and of the layers below, never one above. This test reads every
//! `crate::…` path in src/ (in `use` lines, grouped `use crate::{…}` and paths in code) and
//! fails on an edge that goes up. Known exceptions are listed with the reason they remain;
//! an exception that is no longer needed fails the test too, so the list stays true.
//!
//! A test over imports rather than a workspace of crates: the layers can be tightened one
//! edge at a time while the crate keeps building, and the table below is the one place that
//! states them.

use std::collections::BTreeSet;
use std::path::Path;

/// Lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "helpers every layer may use",
        &[
            "work",
            "fault",
            "parallel",
            "timing",
            "diagnostics",
            "control",
            "slug",
            "vars",
            "search",
            "names",
            "html",
        ],
    ),
    ("configuration", &["config"]),
    ("the form model", &["form"]),
    ("content: pages, sections, links", &["content", "checks"]),
    (
        "what the model becomes: HTML, search, PDF, answers",
        &["render", "csp", "assets", "pdf", "answers"],
    ),
    (
        "the output folder and the cache beside it",
        &["output", "cache"],
    ),
    (
        "one build and rebuilding",
        &["inputs", "sitewide", "pipeline", "incremental"],
    ),
    (
        "commands",
        &[
            "watch",
            "serve",
            "init",
            "toml_schema",
            "answers_command",
            "main",
            "lib",
        ],
    ),
];

/// Edges that still go up, each with why it remains.
const KNOWN: &[(&str, &str, &str)] = &[];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
        .unwrap_or_else(|| panic!("the module `{module}` is in no layer: add it to LAYERS"))
}

/// The top-level modules named by `crate::` paths in `text`, comments left out.
fn used_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c, d::{e, f}}`: the first name of each item at depth 0.
                let mut depth = 0;
                let mut item_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                            out.insert(ident(&group[i..]));
                            item_start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                out.insert(ident(rest));
            }
        }
    }
    out.retain(|m| !m.is_empty() && m.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
    out
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Every (from, to) edge between top-level modules.
fn edges(src: &Path) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for entry in walkdir::WalkDir::new(src).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(path).unwrap();
        for used in used_modules(&text) {
            if used != module {
                out.insert((module.clone(), used));
            }
        }
    }
    out
}

#[test]
fn module_imports_go_down_the_layers_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = edges(&src);
    assert!(edges.len() > 50, "too few edges found: {edges:?}");
    let mut up = BTreeSet::new();
    for (from, to) in &edges {
        if layer_of(to) > layer_of(from) {
            up.insert((from.as_str(), to.as_str()));
        }
    }
    let known: BTreeSet<(&str, &str)> = KNOWN.iter().map(|&(a, b, _)| (a, b)).collect();
    let new: Vec<String> = up
        .difference(&known)
        .map(|(a, b)| {
            format!(
                "{a} ({}) uses {b} ({})",
                LAYERS[layer_of(a)].0,
                LAYERS[layer_of(b)].0
            )
        })
        .collect();
    assert!(
        new.is_empty(),
        "imports against the layers (README, Architecture):\n{}",
        new.join("\n")
    );
    let gone: Vec<_> = known.difference(&up).collect();
    assert!(
        gone.is_empty(),
        "these exceptions are fixed: remove them from KNOWN: {gone:?}"
    );
}

#[test]
fn the_reader_finds_grouped_and_inline_paths() {
    let text = "use crate::{content::{Page, Site}, diagnostics, form::Form};\n\
                // crate::render is a comment\n\
                let x = crate::slug::slugify(y); let z = crate::search::f();\n";
    let found: Vec<String> = used_modules(text).into_iter().collect();
    assert_eq!(found, ["content", "diagnostics", "form", "search", "slug"]);
}

#[test]
fn an_edge_up_is_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("form")).unwrap();
    std::fs::write(
        dir.path().join("form/load.rs"),
        "use crate::render::Theme;\n",
    )
    .unwrap();
    let edges = edges(dir.path());
    assert!(edges.contains(&("form".to_string(), "render".to_string())));
    assert!(layer_of("render") > layer_of("form"));
}
