//! Shared helpers: copy a fixture site to a temporary folder, run the real `formwerk` binary,
//! read and parse what it wrote.
#![allow(dead_code)]

pub mod answers;
pub mod downloads;
pub mod serving;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scraper::{Html, Selector};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs tests/schema/validate.py (jsonschema, installed by ./test.sh) on `request`
/// (`{schemas, instances}`): one result per instance, in order.
pub fn validate_schemas(request: &serde_json::Value) -> Vec<serde_json::Value> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = std::process::Command::new("python3")
        .arg(repo().join("tests/schema/validate.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the validator failed (install it: python3 -m pip install -r tests/schema/requirements.txt):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Page images of `pdf` for a person to look at, as poppler draws them:
/// target/pdf-pages/<name>-<n>.png at `dpi`, pages 1 to `last` (all when `None`).
pub fn page_images(pdf: &Path, name: &str, dpi: u32, last: Option<u32>) {
    let dir = repo().join("target/pdf-pages");
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = std::process::Command::new("pdftoppm");
    command.args(["-r", &dpi.to_string(), "-png"]);
    if let Some(last) = last {
        command.args(["-f", "1", "-l", &last.to_string()]);
    }
    let status = command
        .arg(pdf)
        .arg(dir.join(name))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
}

/// The invalid fixture sites, tests/fixtures/invalid/<case>/, in order.
pub fn invalid_cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/invalid"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The first TOML block after `heading` in the editors' guide (docs/formulare.md), as an
/// editor would copy it: "### Beispiel: Kosten- und Finanzierungsplan" is the plan with
/// tables, a group and computed values.
pub fn guide_toml(heading: &str) -> String {
    let guide = std::fs::read_to_string(repo().join("docs/formulare.md")).unwrap();
    guide
        .split(heading)
        .nth(1)
        .and_then(|rest| rest.split("```toml\n").nth(1))
        .and_then(|block| block.split("```").next())
        .unwrap_or_else(|| panic!("docs/formulare.md has a TOML block after {heading}"))
        .to_string()
}

/// The guide's Kosten- und Finanzierungsplan.
pub const PLAN: &str = "### Beispiel: Kosten- und Finanzierungsplan";

/// tests/pdf/pdf_tool.py (pikepdf, pypdf) with `args`: what it prints, as JSON.
pub fn pdf_tool(args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/pdf/pdf_tool.py"))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pdf_tool.py {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A fixture site in a temporary folder; sites without their own themes/ get the repo's.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn fixture(rel: &str) -> Site {
        Site::from_dir(&repo().join("tests/fixtures").join(rel))
    }

    /// The bundled site of the repository (content/, formwerk.toml, and templates/, static/
    /// and themes/ where it has them; the theme is the built-in one).
    pub fn bundled() -> Site {
        let dir = tempfile::tempdir().unwrap();
        for name in ["content", "themes", "templates", "static"] {
            let from = repo().join(name);
            if from.exists() {
                copy_dir(&from, &dir.path().join(name));
            }
        }
        std::fs::copy(
            repo().join("formwerk.toml"),
            dir.path().join("formwerk.toml"),
        )
        .unwrap();
        Site { dir }
    }

    /// An empty site folder (its theme will be the built-in one).
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn from_dir(from: &Path) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(from, dir.path());
        Site { dir }
    }

    /// Puts the built-in theme's file `rel` (`templates/base.html`) into the site's own
    /// layer of its theme, `themes/default/`, to be changed there; returns its path.
    pub fn theme_file(&self, rel: &str) -> PathBuf {
        let path = self.path(&format!("themes/default/{rel}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(repo().join("crates/render/theme").join(rel), &path).unwrap();
        path
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("site")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Dates every source file back by `secs` seconds, as if the editor had saved it then: a
    /// build trusts a file's size and time only when they are some seconds old.
    pub fn age(&self, secs: u64) {
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        for entry in walkdir::WalkDir::new(self.root()) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() && !entry.path().starts_with(self.out()) {
                let file = std::fs::File::options()
                    .write(true)
                    .open(entry.path())
                    .unwrap();
                file.set_modified(then).unwrap();
            }
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        formwerk()
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .unwrap()
    }

    pub fn build(&self) -> Output {
        self.run(&["build"])
    }

    /// Builds and fails the test with the error report if the build fails.
    pub fn build_ok(&self) {
        let out = self.build();
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&std::fs::read_to_string(self.out().join(rel)).unwrap())
    }
}

/// The output name of a static file with a content-hashed name (`formwerk.css` →
/// `formwerk.3f9a2c1d.css`), found in the output folder `out`.
pub fn hashed(out: &Path, name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap();
    let found: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .is_some_and(|hash| hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one hashed {name} in {}: {found:?}",
        out.display()
    );
    found[0].clone()
}

pub fn formwerk() -> Command {
    Command::cargo_bin("formwerk").unwrap()
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| normalize_space(&e.text().collect::<String>()))
        .collect()
}

/// The ministry's outline of the bundled form (committed copy of the seed).
pub fn seed() -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/seed/projektbeschreibung-gliederung.txt"))
        .unwrap()
}

/// The outline's lines as text: checkbox marks, bullets and layout whitespace removed.
pub fn seed_lines() -> Vec<String> {
    seed()
        .lines()
        .map(|l| l.trim().trim_start_matches(['☐', '•', '·']).trim())
        .map(normalize_space)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The lines of the outline that `text` lacks. Headings are capitals in the outline and may
/// be set otherwise, so they are compared ignoring case.
pub fn outline_lines_missing(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    seed_lines()
        .into_iter()
        .filter(|line| {
            let is_heading = line.chars().any(char::is_alphabetic) && *line == line.to_uppercase();
            if is_heading {
                !lower.contains(&line.to_lowercase())
            } else {
                !text.contains(line.as_str())
            }
        })
        .collect()
}

pub fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every file below `dir`, relative, sorted, with its bytes.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 3 <= b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Checks that every href and src in every HTML file of `site` names an existing file (not a
/// folder: file:// does not open index.html) and that every #fragment exists there.
/// Returns the list of problems.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let attrs = sel("[href], [src]");
    for (rel, bytes) in snapshot(site) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        let from = site.join(&rel);
        for el in doc.select(&attrs) {
            for attr in ["href", "src"] {
                let Some(link) = el.value().attr(attr) else {
                    continue;
                };
                if link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:") {
                    continue;
                }
                if link.starts_with('/') {
                    problems.push(format!("{rel}: absolute link {link}"));
                    continue;
                }
                let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
                let target = if path.is_empty() {
                    from.clone()
                } else {
                    from.parent().unwrap().join(percent_decode(path))
                };
                if !target.is_file() {
                    problems.push(format!("{rel}: {link} does not name a file"));
                    continue;
                }
                if !fragment.is_empty() {
                    let text = std::fs::read_to_string(&target).unwrap();
                    let target_doc = Html::parse_document(&text);
                    let by_id = sel(&format!("[id=\"{fragment}\"]"));
                    if target_doc.select(&by_id).next().is_none() {
                        problems.push(format!("{rel}: {link}: no id {fragment}"));
                    }
                }
            }
        }
    }
    problems
}
