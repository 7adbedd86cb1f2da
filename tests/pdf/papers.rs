//! The PDFs that tests/pdf_layout.rs and tests/pdf_ua.rs read, built once per test binary:
//! the guide's Kosten- und Finanzierungsplan (its cost table allowed 50 rows) blank, filled
//! with long answers (fillable, and flattened for the archive), and the bundled site's form.

#![allow(dead_code)] // Each test binary reads its part of the papers.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::common::{Site, formwerk, guide_toml, repo};

pub struct Papers {
    /// The sites stay while the tests run.
    _plan: Site,
    _bundled: Site,
    pub blank: PathBuf,
    pub filled: PathBuf,
    pub flat: PathBuf,
    pub bundled: PathBuf,
    /// The 5,000 characters of the first Maßnahme's "Ziel".
    pub long: String,
    /// The 800 characters of the one-line "Name der Gebietskörperschaft".
    pub long_line: String,
}

impl Papers {
    /// Every PDF with its name, for checks that hold for all of them.
    pub fn all(&self) -> [(&'static str, &Path); 4] {
        [
            ("blank", &self.blank),
            ("filled", &self.filled),
            ("flat", &self.flat),
            ("bundled", &self.bundled),
        ]
    }
}

/// A site in a folder under target/pdf-papers/<test binary>/, kept for a person to look at
/// after the run and cleared by the next run of the same binary.
fn site_from(build: impl FnOnce(&Path)) -> Site {
    let parent = repo()
        .join("target/pdf-papers")
        .join(env!("CARGO_CRATE_NAME"));
    std::fs::create_dir_all(&parent).unwrap();
    let dir = tempfile::tempdir_in(parent).unwrap();
    build(dir.path());
    Site { dir }
}

pub fn papers() -> &'static Papers {
    static PAPERS: OnceLock<Papers> = OnceLock::new();
    PAPERS.get_or_init(build)
}

fn build() -> Papers {
    let _ = std::fs::remove_dir_all(
        repo()
            .join("target/pdf-papers")
            .join(env!("CARGO_CRATE_NAME")),
    );
    let plan = site_from(|dir| super::common::copy_dir(&repo().join("tests/fixtures/valid"), dir));
    let toml = guide_toml(super::common::PLAN).replacen("max_rows = 30", "max_rows = 50", 1);
    assert!(
        toml.contains("max_rows = 50"),
        "the guide's plan has max_rows = 30"
    );
    plan.write("content/finanzplan.form.toml", &toml);
    plan.build_ok();
    let bundled = site_from(|dir| {
        for name in ["content", "themes", "templates", "static"] {
            if repo().join(name).exists() {
                super::common::copy_dir(&repo().join(name), &dir.join(name));
            }
        }
        std::fs::copy(repo().join("formwerk.toml"), dir.join("formwerk.toml")).unwrap();
    });
    bundled.build_ok();
    let long: String = "Ausführliche Begründung mit Umlauten äöü und einem langen Satz. "
        .repeat(80)
        .chars()
        .take(5000)
        .collect::<String>()
        .trim_end()
        .to_string();
    let long_line: String = "Gemeinde Langnamenhausen-Übersee an der Ober- und Niederau "
        .repeat(14)
        .chars()
        .take(800)
        .collect::<String>()
        .trim_end()
        .to_string();
    let answers = serde_json::json!({
        "form": "finanzplan",
        "version": "1",
        "saved_at": "2026-12-01T10:00:00.000Z",
        "answers": {
            "name": long_line,
            "massnahmen": [
                {"titel": "Sanierung der Turnhalle", "beginn": "2026-01-31", "ziel": long},
                {"titel": "Neue Fenster", "ziel": "Weniger Heizkosten."}
            ],
            "kosten": [
                {"position": "Miete für die Räume im Gemeindehaus ".repeat(8), "betrag": 1500},
                {"position": "Personal", "betrag": 2000.5}
            ],
            "finanzierung": [{"quelle": "Land", "betrag": 3500.5}]
        }
    });
    let file = plan.path("antrag.json");
    std::fs::write(&file, answers.to_string()).unwrap();
    let written = |dir: &str, flatten: bool| {
        let out = plan.path(dir);
        let mut cmd = formwerk();
        cmd.arg("answers")
            .arg("--root")
            .arg(plan.root())
            .args(["finanzplan", file.to_str().unwrap(), "--pdf"])
            .arg(&out);
        if flatten {
            cmd.arg("--flatten");
        }
        let run = cmd.output().unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        out.join("antrag.pdf")
    };
    let (filled, flat) = (written("gefuellt", false), written("flach", true));
    Papers {
        blank: plan.out().join("finanzplan/finanzplan.pdf"),
        filled,
        flat,
        bundled: bundled
            .out()
            .join("projektbeschreibung/projektbeschreibung.pdf"),
        _plan: plan,
        _bundled: bundled,
        long,
        long_line,
    }
}

/// tests/pdf/pdf_ua.py with `args`: what it prints, as JSON.
pub fn pdf_ua(args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/pdf/pdf_ua.py"))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pdf_ua.py {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
