//! A build reads every source once: traced with strace (`-y` names each file descriptor's
//! file), each content file is opened once and the bytes read from it add up to its size,
//! also for the pages loaded up to their front matter and read on when rendered, for a
//! front matter longer than the first read, and for a site larger than the print-all limit
//! (where texts are not kept). A build after a change (with its cache) reads each source
//! once too. Needs strace (test.sh installs it).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// A site of `pages` pages of about 6 KB, some with long front matter, one tiny, in two
/// sections; with print_all_limit = 5 so that no text is kept for the print-all document.
fn site(dir: &Path, pages: usize) {
    let content = dir.join("content");
    std::fs::create_dir_all(content.join("a")).unwrap();
    std::fs::create_dir_all(content.join("b")).unwrap();
    std::fs::write(
        dir.join("formwerk.toml"),
        "title = \"Lesen\"\nprint_all_limit = 5\n",
    )
    .unwrap();
    std::fs::write(
        content.join("_index.md"),
        "+++\ntitle = \"Start\"\n+++\nWillkommen.\n",
    )
    .unwrap();
    for s in ["a", "b"] {
        std::fs::write(
            content.join(s).join("_index.md"),
            format!("+++\ntitle = \"Bereich {s}\"\n+++\nÜbersicht.\n"),
        )
        .unwrap();
    }
    for i in 0..pages {
        let section = if i % 2 == 0 { "a" } else { "b" };
        let description = match i % 5 {
            0 => format!("\ndescription = \"{}\"", "Lange Beschreibung. ".repeat(60)),
            _ => String::new(),
        };
        let body = match i {
            0 => "Kurz.".to_string(),
            _ => format!(
                "## Abschnitt {i}\n\n{}\n\n## Förderung\n\n{}\n",
                "Die Koordinierungsstelle berät Träger und Kommunen. ".repeat(80),
                "Größere Vorhaben brauchen einen Plan. ".repeat(50)
            ),
        };
        std::fs::write(
            content.join(section).join(format!("seite-{i}.md")),
            format!("+++\ntitle = \"Seite {i}\"\nweight = {i}{description}\n+++\n{body}"),
        )
        .unwrap();
    }
}

/// Per content file: how often it was opened and how many bytes were read from it. One
/// trace file per thread (`-ff`): a thread's calls are never split across lines there.
fn traced_build(root: &Path, out: &Path) -> BTreeMap<String, (usize, usize)> {
    let traces = tempfile::tempdir().unwrap();
    let status = Command::new("strace")
        .args([
            "-ff",
            "-y",
            "-qq",
            "-e",
            "trace=openat,read",
            "-e",
            "signal=none",
            "-o",
        ])
        .arg(traces.path().join("t"))
        .arg(env!("CARGO_BIN_EXE_formwerk"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .status()
        .expect("strace runs (apt-get install strace; test.sh installs it)");
    assert!(status.success(), "the traced build failed");
    let content = format!("{}/content/", root.canonicalize().unwrap().display());
    let mut files: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for trace in std::fs::read_dir(traces.path()).unwrap() {
        for line in std::fs::read_to_string(trace.unwrap().path())
            .unwrap()
            .lines()
        {
            // openat(AT_FDCWD</…>, "/…/content/a/seite-1.md", O_RDONLY|O_CLOEXEC) = 7</…/content/a/seite-1.md>
            // read(7</…/content/a/seite-1.md>, "+++\n"..., 512) = 512
            let Some((call, result)) = line.rsplit_once(") = ") else {
                continue;
            };
            if call.starts_with("openat(") {
                // Files, not the folders that finding them opens.
                let path = result.split_once('<').map(|(_, p)| p.trim_end_matches('>'));
                if let Some(path) = path.filter(|p| p.starts_with(&content) && p.ends_with(".md")) {
                    files.entry(path.to_string()).or_default().0 += 1;
                }
            } else if let Some(rest) = call.strip_prefix("read(") {
                let path = rest
                    .split_once('<')
                    .and_then(|(_, rest)| rest.split_once(">,"))
                    .map(|(p, _)| p);
                if let Some(path) = path.filter(|p| p.starts_with(&content)) {
                    let bytes: usize = result.trim().parse().unwrap_or(0);
                    files.entry(path.to_string()).or_default().1 += bytes;
                }
            }
        }
    }
    files
}

fn assert_each_read_once(traced: &BTreeMap<String, (usize, usize)>, expected: usize) {
    assert_eq!(traced.len(), expected, "content files opened: {traced:#?}");
    for (path, &(opens, bytes)) in traced {
        let size = std::fs::metadata(path).unwrap().len() as usize;
        assert_eq!(opens, 1, "{path} opened {opens} times");
        assert_eq!(bytes, size, "{path}: {bytes} bytes read of {size}");
    }
}

/// More Markdown than a build holds in memory (16 MiB), which it read twice before.
const PAGES: usize = 3_000;

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs strace: ./test.sh installs it"
)]
fn a_build_reads_every_source_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root, PAGES);
    let bytes: u64 = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    assert!(bytes > 16 << 20, "{bytes} bytes of Markdown");
    let out = dir.path().join("out");
    // Fresh: pages wait open after their front matter and are read on when rendered.
    let traced = traced_build(&root, &out);
    assert_each_read_once(&traced, PAGES + 3);
    let page = std::fs::read_to_string(out.join("a/seite-10/index.html")).unwrap();
    assert!(page.contains("Größere Vorhaben brauchen einen Plan."));
    assert!(page.contains("Lange Beschreibung.") || page.contains("Seite 10"));

    // After a change, with the cache: every source is read (and hashed) once, the changed
    // page rendered from what was read.
    let changed = root.join("content/b/seite-7.md");
    let text = std::fs::read_to_string(&changed).unwrap();
    std::fs::write(&changed, text.replace("## Förderung", "## Neue Förderung")).unwrap();
    let traced = traced_build(&root, &out);
    assert_each_read_once(&traced, PAGES + 3);
    let page = std::fs::read_to_string(out.join("b/seite-7/index.html")).unwrap();
    assert!(page.contains("Neue Förderung"));
}

#[test]
fn pages_read_in_two_steps_render_as_pages_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (two_steps, whole) = (dir.path().join("two"), dir.path().join("whole"));
    site(&two_steps, 12);
    // The same site with print_all_limit above its size: every text is read whole and kept.
    site(&whole, 12);
    std::fs::write(
        whole.join("formwerk.toml"),
        "title = \"Lesen\"\nprint_all_limit = 100\n",
    )
    .unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (site, out) in [(&two_steps, &a), (&whole, &b)] {
        let output = common::formwerk()
            .args(["build", "--root"])
            .arg(site)
            .arg("--output")
            .arg(out)
            .output()
            .unwrap();
        assert!(output.status.success());
    }
    // The article: the rest of the page differs by the print-all link.
    let article = |out: &Path, rel: &str| {
        let page = std::fs::read_to_string(out.join(rel)).unwrap();
        let start = page.find("<article").expect("an article");
        let end = page.find("</article>").expect("its end");
        page[start..end].to_string()
    };
    for i in 0..12 {
        let rel = format!(
            "{}/seite-{i}/index.html",
            if i % 2 == 0 { "a" } else { "b" }
        );
        let read = article(&a, &rel);
        assert!(read.contains(&format!("Seite {i}")), "{rel}: {read}");
        assert_eq!(read, article(&b, &rel), "{rel}");
    }
}
