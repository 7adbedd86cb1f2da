//! Embeds the built-in theme (theme/: templates, the form runtime's scripts, styles, strings
//! and PDF fonts) into the binary: a site uses it from there, so that the runtime always
//! matches the tool.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a build script compiled in one
    // checkout and reused in another (a shared or copied target/) embedded the first one's
    // theme.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let theme = Path::new(&manifest).join("theme");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in files {
        writeln!(code, "    ({rel:?}, include_bytes!({abs:?})),").unwrap();
    }
    code.push_str("];\n");
    // Written beside and renamed into place: a file hard-linked into another target/ is
    // replaced, never changed for both.
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_theme.rs");
    let fresh = out.with_extension("rs.new");
    std::fs::write(&fresh, code).unwrap();
    std::fs::rename(&fresh, out).unwrap();
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.display().to_string()));
        }
    }
}
