//! Lists the invalid fixture sites (tests/fixtures/invalid/<case>/) for
//! tests/invalid_sites.rs, which makes one test of each, named by its folder.

use std::fmt::Write;
use std::path::Path;

fn main() {
    invalid_cases();
}

/// `invalid_case!(folder_name_as_identifier, "folder-name");` for every folder under
/// tests/fixtures/invalid, so that one case runs by name
/// (`cargo test --test invalid_sites form_unknown_kind`).
fn invalid_cases() {
    let dir =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("tests/fixtures/invalid");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::new();
    for name in names {
        let ident: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        writeln!(code, "invalid_case!({ident}, {name:?});").unwrap();
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("invalid_cases.rs");
    std::fs::write(out, code).unwrap();
}
