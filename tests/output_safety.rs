//! What a build may do to its output folder: never empty a folder it did not make, undo a
//! commit that fails halfway, let one build at a time write, and clean up after a build that
//! was killed.

mod common;

use std::path::Path;
use std::process::{Output, Stdio};

use common::{Site, formwerk, snapshot};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn build_into(site: &Site, output: &Path) -> Output {
    formwerk()
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(output)
        .output()
        .unwrap()
}

/// Names beside the output folder that a finished build must not leave behind.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("formwerk-new") || n.contains("formwerk-lock"))
        .collect()
}

/// The binary for processes the test runs at once or kills.
fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_formwerk"))
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n{body}\n")
}

#[test]
fn a_folder_formwerk_did_not_make_is_refused_not_emptied() {
    let site = Site::bundled();
    let docs = site.path("docs");
    site.write("docs/README.md", "# Our documentation\n");
    site.write("docs/handbuch/kapitel.md", "Kapitel\n");
    let before = snapshot(&docs);
    let out = build_into(&site, &docs);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("was not made by Formwerk"), "{err}");
    assert!(err.contains("README.md"), "{err}");
    assert!(err.contains("choose a new or empty folder"), "{err}");
    assert_eq!(snapshot(&docs), before);
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );

    // An empty folder is taken over; from then on it is Formwerk's and rebuilds work.
    let empty = site.path("leer");
    std::fs::create_dir(&empty).unwrap();
    assert!(build_into(&site, &empty).status.success());
    assert!(empty.join("index.html").is_file());
    site.write("content/hinweise/neu.md", &page("Neu", "Text."));
    let again = build_into(&site, &empty);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(empty.join("hinweise/neu/index.html").is_file());
}

#[test]
fn an_output_path_that_is_a_file_is_reported_as_such() {
    let site = Site::bundled();
    site.write("site", "not a folder");
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the output path is a file, not a folder"),
        "{err}"
    );
    assert_eq!(site.read("site"), "not a folder");
    assert!(leftovers(site.root()).is_empty());
}

/// A built site with a change waiting: a page edited, one added, one removed.
fn site_with_pending_change() -> Site {
    let site = Site::bundled();
    site.write("content/hinweise/alt.md", &page("Alt", "Wird entfernt."));
    site.build_ok();
    site.write("content/hinweise/neu.md", &page("Neu", "Neue Seite."));
    std::fs::remove_file(site.path("content/hinweise/alt.md")).unwrap();
    let start = site.read("content/_index.md");
    site.write(
        "content/_index.md",
        &start.replace("+++\n\n", "+++\n\nGeändert. "),
    );
    site
}

fn cache_of(site: &Site) -> Vec<u8> {
    std::fs::read(site.path(".site.formwerk-cache")).unwrap()
}

#[test]
fn a_commit_that_fails_halfway_leaves_the_site_and_the_cache_as_they_were() {
    for fault in ["write:2", "remove:0", "write:0"] {
        let site = site_with_pending_change();
        let before = snapshot(&site.out());
        let cache = cache_of(&site);
        let out = formwerk()
            .env("FORMWERK_FAULT", fault)
            .args(["build", "--root"])
            .arg(site.root())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{fault}: {err}");
        assert!(err.contains("no space left on device"), "{err}");
        assert!(
            err.contains("the output folder is as it was before"),
            "{err}"
        );
        assert!(snapshot(&site.out()) == before, "{fault}: site/ changed");
        assert_eq!(cache_of(&site), cache, "{fault}: the cache changed");
        assert!(leftovers(site.root()).is_empty(), "{fault}");
        // The next build, with room on the disk, completes the change.
        site.build_ok();
        assert!(site.out().join("hinweise/neu/index.html").is_file());
        assert!(!site.out().join("hinweise/alt").exists());
    }
}

/// Makes `dir` unwritable even for root (the tests may run as root): `chattr +i` there,
/// permissions otherwise. Returns the command that undoes it, or None where neither works.
fn make_read_only(dir: &Path) -> Option<Box<dyn Fn()>> {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if is_root {
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        let dir = dir.to_path_buf();
        return ok.then(|| {
            Box::new(move || {
                let _ = std::process::Command::new("chattr")
                    .arg("-i")
                    .arg(&dir)
                    .status();
            }) as Box<dyn Fn()>
        });
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
    let dir = dir.to_path_buf();
    Some(Box::new(move || {
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755));
    }))
}

#[test]
fn a_read_only_subfolder_of_the_site_rolls_the_whole_commit_back() {
    let site = site_with_pending_change();
    // A page in hinweise/ changes (its section lists the new page): that folder is read-only.
    let before = snapshot(&site.out());
    let cache = cache_of(&site);
    let locked = site.out().join("hinweise");
    let Some(undo) = make_read_only(&locked) else {
        // Without chattr (a file system without attributes) the simulated full disk above
        // covers the same path.
        eprintln!("cannot make a folder read-only here; covered by FORMWERK_FAULT");
        return;
    };
    let out = site.build();
    undo();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write the output folder"), "{err}");
    assert!(snapshot(&site.out()) == before, "site/ changed:\n{err}");
    assert_eq!(cache_of(&site), cache);
    assert!(leftovers(site.root()).is_empty());
    site.build_ok();
}

#[test]
fn a_second_build_is_told_who_holds_the_lock() {
    let site = Site::bundled();
    site.build_ok();
    let before = snapshot(&site.out());
    // Another build holds the lock (as a running `formwerk serve` rebuilding would).
    let mut lock = std::fs::File::create(site.path(".site.formwerk-lock")).unwrap();
    lock.lock().unwrap();
    std::io::Write::write_all(&mut lock, b"4242\n/home/redaktion/website\n").unwrap();
    site.write("content/hinweise/neu.md", &page("Neu", "Text."));
    let out = site.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("another build is running in /home/redaktion/website, pid 4242"),
        "{err}"
    );
    assert!(snapshot(&site.out()) == before);
    drop(lock);
    // The holder is gone (its lock file stays, as after a crash): the next build takes over.
    site.build_ok();
    assert!(site.out().join("hinweise/neu/index.html").is_file());
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

/// A site big enough that a build takes a while, so kills land in every phase.
fn big_site() -> Site {
    let site = Site::bundled();
    for s in 0..4 {
        site.write(
            &format!("content/teil-{s}/_index.md"),
            &page(&format!("Teil {s}"), "Abschnitt."),
        );
        for p in 0..25 {
            let body = format!(
                "## Überblick\n\n{}\n\n## Details\n\nText {p}.",
                "Wort ".repeat(200)
            );
            site.write(
                &format!("content/teil-{s}/seite-{p}.md"),
                &page(&format!("Seite {s}-{p}"), &body),
            );
        }
    }
    site
}

/// A small deterministic generator for the kill times.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn builds_running_at_once_never_mix_and_a_killed_build_is_cleaned_up() {
    let site = big_site();
    let clean = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = build_into(&site, &clean.path().join("site"));
    assert!(out.status.success(), "{}", stderr(&out));
    let took = started.elapsed().as_micros() as u64;
    let reference = |site: &Site| {
        let dir = tempfile::tempdir().unwrap();
        let out = build_into(site, &dir.path().join("site"));
        assert!(out.status.success(), "{}", stderr(&out));
        snapshot(&dir.path().join("site"))
    };

    // Two builds at once, again and again: each succeeds or says another is running; the
    // output is always what a clean build writes.
    for round in 0..5 {
        site.write(
            &format!("content/teil-{}/seite-{round}.md", round % 4),
            &page(&format!("Runde {round}"), "Geändert."),
        );
        let spawn = || {
            bin()
                .args(["build", "--root"])
                .arg(site.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let err = stderr(&out);
            assert!(
                out.status.success() || err.contains("another build is running in"),
                "round {round}: {err}"
            );
        }
        // One of them may have stopped at the lock; a last build makes sure the change is in.
        site.build_ok();
        assert!(snapshot(&site.out()) == reference(&site), "round {round}");
        assert!(leftovers(site.root()).is_empty(), "round {round}");
    }

    // Killed at random moments (SIGKILL: no clean-up runs); the next build is fine.
    let mut rng = Rng(0x5eed_1234);
    for round in 0..8 {
        site.write(
            &format!("content/teil-{}/seite-{}.md", round % 4, 10 + round),
            &page(&format!("Getötet {round}"), "Geändert."),
        );
        if round % 3 == 0 {
            std::fs::remove_file(site.path(&format!(
                "content/teil-{}/seite-{}.md",
                round % 4,
                17 + round
            )))
            .unwrap();
        }
        let mut child = bin()
            .args(["build", "--root"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The random moment is the test's input, not a wait for something to happen.
        let at = rng.below(took + took / 4);
        std::thread::sleep(std::time::Duration::from_micros(at));
        let _ = child.kill();
        let _ = child.wait();
        site.build_ok();
        assert!(
            snapshot(&site.out()) == reference(&site),
            "round {round}, killed after {at} µs"
        );
        assert!(
            leftovers(site.root()).is_empty(),
            "round {round}: {:?}",
            leftovers(site.root())
        );
    }
}
