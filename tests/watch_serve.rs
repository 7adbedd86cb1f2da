//! `formwerk serve` with real files, real notify events and real HTTP on loopback: every way
//! editors save, deletes, renames, new folders, a git checkout burst, a bad edit with its
//! overlay, live-reload events, traversal attempts, and a random edit sequence that must end
//! byte-identical to a clean build.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use common::{Site, formwerk, serving, snapshot};

const WAIT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    lines: Receiver<String>,
    port: u16,
    events_port: u16,
    site: Site,
}

impl Server {
    fn start(site: Site) -> Server {
        let s = serving::start(site.root(), &["--debounce-ms", "30"], &[]);
        let server = Server {
            child: s.child,
            lines: s.lines,
            port: s.port,
            events_port: s.events_port,
            site,
        };
        server.line(|l| l.starts_with("start: rebuilt all"));
        server
    }

    /// Waits for an output line; fails the test with what was printed if none comes.
    fn line(&self, wanted: impl Fn(&str) -> bool) -> String {
        serving::wait_line(&self.lines, WAIT, wanted)
    }

    /// Adds a page whose name sorts before every other source and waits for the rebuild that
    /// names it: the watcher takes events in order, so by then every earlier change is built.
    /// Returns the rebuild lines printed before that one, and that one.
    fn settle(&self, name: &str) -> (Vec<String>, String) {
        write(
            &self.site.path(&format!("content/{name}")),
            &page("Ende", "Letzte Seite."),
        );
        let mut before = Vec::new();
        loop {
            let line = self.rebuild();
            if line.starts_with(&format!("content/{name}")) {
                return (before, line);
            }
            before.push(line);
        }
    }

    /// The next rebuild's line (successful or not).
    fn rebuild(&self) -> String {
        self.line(|l| {
            l.contains(": rebuilt all") || l.contains(": re-rendered") || l.contains(": failed")
        })
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        raw_get(self.port, path)
    }

    /// The output folder must equal what a clean build of the same sources writes.
    fn assert_like_clean_build(&self) {
        let clean = tempfile::tempdir().unwrap();
        let out = clean.path().join("site");
        formwerk()
            .args(["build", "--root"])
            .arg(self.site.root())
            .arg("--output")
            .arg(&out)
            .assert()
            .success();
        let (ours, theirs) = (snapshot(&self.site.out()), snapshot(&out));
        let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ours), names(&theirs), "different files");
        for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
            assert!(a == b, "{name} differs from a clean build");
        }
    }

    fn stop(mut self) {
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.line(|l| l.starts_with("Stopped;"));
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn raw_get(port: u16, path: &str) -> (u16, String, String) {
    serving::raw_get(port, path, WAIT)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n{body}\n")
}

/// One editor's way of writing new text into the file.
type Save<'a> = Box<dyn Fn(&str) + 'a>;

#[test]
fn every_way_editors_save_ends_in_a_correct_rebuild() {
    let server = Server::start(Site::fixture("valid"));
    let dir = server.site.path("content/hilfe");
    let target = dir.join("tabellen.md");
    let original = std::fs::read_to_string(&target).unwrap();
    let version = |n: usize| original.replace("Ein Satz mit Fußnote.", &format!("Fassung {n}."));
    let saves: Vec<(&str, Save)> = vec![
        ("in place", Box::new(|text: &str| write(&target, text))),
        (
            "vim",
            Box::new(|text: &str| {
                write(&dir.join(".tabellen.md.swp"), "swap");
                write(&dir.join("4913"), "");
                std::fs::remove_file(dir.join("4913")).unwrap();
                std::fs::rename(&target, dir.join("tabellen.md~")).unwrap();
                write(&target, text);
                std::fs::remove_file(dir.join("tabellen.md~")).unwrap();
                std::fs::remove_file(dir.join(".tabellen.md.swp")).unwrap();
            }),
        ),
        (
            "JetBrains",
            Box::new(|text: &str| {
                write(&dir.join("tabellen.md___jb_tmp___"), text);
                std::fs::rename(&target, dir.join("tabellen.md___jb_old___")).unwrap();
                std::fs::rename(dir.join("tabellen.md___jb_tmp___"), &target).unwrap();
                std::fs::remove_file(dir.join("tabellen.md___jb_old___")).unwrap();
            }),
        ),
        (
            "VS Code / gedit (temp file renamed over)",
            Box::new(|text: &str| {
                write(&dir.join(".goutputstream-ABC123"), text);
                std::fs::rename(dir.join(".goutputstream-ABC123"), &target).unwrap();
            }),
        ),
        (
            "emacs",
            Box::new(|text: &str| {
                write(&dir.join("#tabellen.md#"), "autosave");
                std::fs::copy(&target, dir.join("tabellen.md~")).unwrap();
                write(&target, text);
                std::fs::remove_file(dir.join("#tabellen.md#")).unwrap();
            }),
        ),
    ];
    for (n, (editor, save)) in saves.iter().enumerate() {
        save(&version(n));
        let line = server.rebuild();
        assert!(!line.contains("failed"), "{editor}: {line}");
        let html =
            std::fs::read_to_string(server.site.out().join("hilfe/tabellen/index.html")).unwrap();
        assert!(
            html.contains(&format!("Fassung {n}.")),
            "{editor}: change missed"
        );
        // Nothing more comes: no second rebuild, no loop. The watcher takes events in order,
        // so every rebuild this save caused comes before the one of a page added after it.
        let (extra, last) = server.settle(&format!("000{n}-ende.md"));
        assert!(extra.is_empty(), "{editor}: more rebuilds: {extra:?}");
        assert!(!last.contains("failed"), "{editor}: {last}");
        server.assert_like_clean_build();
    }
    assert!(!server.site.out().join("hilfe/tabellen.md~").exists());
    server.stop();
}

#[test]
fn deletes_renames_and_new_folders_show_up() {
    let server = Server::start(Site::fixture("valid"));
    let content = server.site.path("content");
    std::fs::remove_file(content.join("hilfe/zweite.md")).unwrap();
    server.rebuild();
    assert!(!server.site.out().join("hilfe/zweite").exists());
    server.assert_like_clean_build();

    std::fs::rename(
        content.join("hilfe/unterbereich/tief.md"),
        content.join("hilfe/unterbereich/flach.md"),
    )
    .unwrap();
    server.rebuild();
    assert!(
        server
            .site
            .out()
            .join("hilfe/unterbereich/flach/index.html")
            .is_file()
    );
    assert!(!server.site.out().join("hilfe/unterbereich/tief").exists());
    server.assert_like_clean_build();

    // A folder made elsewhere and moved in arrives as one event for the folder alone.
    let elsewhere = tempfile::tempdir().unwrap();
    write(
        &elsewhere.path().join("neu/_index.md"),
        &page("Neuer Bereich", "Text."),
    );
    write(
        &elsewhere.path().join("neu/seite.md"),
        &page("Neue Seite", "Mehr Text."),
    );
    std::fs::rename(elsewhere.path().join("neu"), content.join("neu")).unwrap_or_else(|_| {
        common::copy_dir(&elsewhere.path().join("neu"), &content.join("neu"));
    });
    server.rebuild();
    assert!(server.site.out().join("neu/seite/index.html").is_file());
    server.assert_like_clean_build();

    std::fs::remove_dir_all(content.join("neu")).unwrap();
    server.rebuild();
    assert!(!server.site.out().join("neu").exists());
    server.assert_like_clean_build();
    server.stop();
}

/// With a `base_url`, sitemap.xml, robots.txt and the canonical links follow pages added,
/// renamed and removed and a changed or removed `base_url`, as a clean build writes them.
#[test]
fn the_files_for_search_engines_follow_pages_and_base_url() {
    let site = Site::fixture("valid");
    let config = site.read("formwerk.toml");
    let with_base_url = |url: &str| format!("base_url = \"{url}\"\n{config}");
    site.write(
        "formwerk.toml",
        &with_base_url("https://amt.example/formulare"),
    );
    let server = Server::start(site);
    let content = server.site.path("content");
    let sitemap = || {
        let (status, content_type, body) = server.get("/sitemap.xml");
        (status == 200).then(|| {
            assert_eq!(content_type, "application/xml");
            body
        })
    };
    let canonical = |rel: &str| {
        let (status, _, body) = server.get(rel);
        assert_eq!(status, 200, "{rel}");
        scraper::Html::parse_document(&body)
            .select(&common::sel("link[rel=canonical]"))
            .map(|l| l.value().attr("href").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let page_at = |url: &str| format!("<loc>{url}</loc>");
    assert!(sitemap().unwrap().contains(&page_at(
        "https://amt.example/formulare/hilfe/zweite/index.html"
    )));

    write(&content.join("hilfe/neu.md"), &page("Neu", "Text."));
    server.rebuild();
    let neu = "https://amt.example/formulare/hilfe/neu/index.html";
    assert!(sitemap().unwrap().contains(&page_at(neu)));
    assert_eq!(canonical("/hilfe/neu/index.html"), [neu]);
    server.assert_like_clean_build();

    std::fs::rename(content.join("hilfe/neu.md"), content.join("hilfe/alt.md")).unwrap();
    server.rebuild();
    let map = sitemap().unwrap();
    assert!(!map.contains(&page_at(neu)), "{map}");
    assert!(map.contains(&page_at(
        "https://amt.example/formulare/hilfe/alt/index.html"
    )));
    server.assert_like_clean_build();

    std::fs::remove_file(content.join("hilfe/alt.md")).unwrap();
    server.rebuild();
    assert!(!sitemap().unwrap().contains("/hilfe/alt/"));
    server.assert_like_clean_build();

    write(
        &server.site.path("formwerk.toml"),
        &with_base_url("https://www.amt.example/"),
    );
    server.rebuild();
    assert!(
        sitemap()
            .unwrap()
            .contains(&page_at("https://www.amt.example/index.html"))
    );
    assert_eq!(
        canonical("/hilfe/zweite/index.html"),
        ["https://www.amt.example/hilfe/zweite/index.html"]
    );
    let (_, _, robots) = server.get("/robots.txt");
    assert!(
        robots.ends_with("Sitemap: https://www.amt.example/sitemap.xml\n"),
        "{robots}"
    );
    server.assert_like_clean_build();

    write(&server.site.path("formwerk.toml"), &config);
    server.rebuild();
    assert_eq!(sitemap(), None);
    assert_eq!(server.get("/robots.txt").0, 404);
    assert!(canonical("/index.html").is_empty());
    server.assert_like_clean_build();
    server.stop();
}

#[test]
fn a_bad_edit_shows_an_overlay_keeps_the_last_good_site_and_clears_when_fixed() {
    let server = Server::start(Site::fixture("valid"));
    let good = snapshot(&server.site.out());
    let mut events = TcpStream::connect(("127.0.0.1", server.events_port)).unwrap();
    write!(
        events,
        "GET /__formwerk/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    let mut events = BufReader::new(events);
    let next_event = |reader: &mut BufReader<TcpStream>| loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "event stream closed"
        );
        if let Some(name) = line.strip_prefix("event: ") {
            let mut data = String::new();
            reader.read_line(&mut data).unwrap();
            return (name.trim().to_string(), data);
        }
    };

    let form = server.site.path("content/antraege/alle-felder.form.toml");
    let text = std::fs::read_to_string(&form).unwrap();
    write(
        &form,
        &text.replace("kind = \"yes_no\"", "kind = \"ja_nein\""),
    );
    let line = server.rebuild();
    assert!(line.contains("failed"), "{line}");
    let (name, data) = next_event(&mut events);
    assert_eq!(name, "problem");
    assert!(
        data.contains("content/antraege/alle-felder.form.toml:")
            && data.contains("unknown variant `ja_nein`"),
        "{data}"
    );
    assert_eq!(
        snapshot(&server.site.out()),
        good,
        "a failed rebuild changed the output"
    );

    // Every page, also one loaded now, carries the overlay with file and line.
    for path in [
        "/index.html",
        "/hilfe/tabellen/index.html",
        "/gibt-es-nicht.html",
    ] {
        let (_, _, body) = server.get(path);
        assert!(
            body.contains("id=\"formwerk-problem\""),
            "{path} lacks the overlay"
        );
        assert!(body.contains("alle-felder.form.toml:"), "{path}");
    }
    // A further edit elsewhere while broken: still failing, still served, still shown.
    write(
        &server.site.path("content/hilfe/zweite.md"),
        &page("Zweite Seite", "Neu."),
    );
    assert!(server.rebuild().contains("failed"));

    write(&form, &text);
    let line = server.rebuild();
    assert!(line.contains("rebuilt all"), "{line}");
    // While broken, every failed rebuild repeats the problem; the fix reloads the pages.
    let mut kinds = Vec::new();
    while kinds.last().map(String::as_str) != Some("reload") {
        kinds.push(next_event(&mut events).0);
    }
    assert!(
        kinds[..kinds.len() - 1].iter().all(|k| k == "problem"),
        "{kinds:?}"
    );
    let (_, _, body) = server.get("/index.html");
    assert!(!body.contains("id=\"formwerk-problem\""));
    assert!(body.contains(&format!("data-port=\"{}\"", server.events_port)));
    assert!(body.contains("src=\"/__formwerk/live-reload.js\""));
    let (status, kind, script) = server.get("/__formwerk/live-reload.js");
    assert_eq!(
        (status, kind.as_str()),
        (200, "text/javascript; charset=utf-8")
    );
    assert!(script.contains("new EventSource("));
    assert!(
        std::fs::read_to_string(server.site.out().join("hilfe/zweite/index.html"))
            .unwrap()
            .contains("Neu.")
    );
    server.assert_like_clean_build();

    // A style sheet alone restyles in place.
    let css = server.site.path("static/extra.css");
    write(&css, "/* neu */\n");
    server.rebuild();
    assert_eq!(next_event(&mut events).0, "css");
    server.stop();
}

#[test]
fn serves_only_the_output_folder_with_the_right_types() {
    let server = Server::start(Site::fixture("valid"));
    std::fs::write(server.site.path("geheim.txt"), "geheim").unwrap();
    let css = format!("/{}", common::hashed(&server.site.out(), "formwerk.css"));
    let js = format!("/{}", common::hashed(&server.site.out(), "formwerk.js"));
    for (path, status, kind) in [
        ("/index.html", 200, "text/html; charset=utf-8"),
        ("/", 200, "text/html; charset=utf-8"),
        ("/hilfe/", 200, "text/html; charset=utf-8"),
        (css.as_str(), 200, "text/css; charset=utf-8"),
        (js.as_str(), 200, "text/javascript; charset=utf-8"),
        ("/favicon.svg", 200, "image/svg+xml"),
        (
            "/antraege/alle-felder/alle_felder.schema.json",
            200,
            "application/json",
        ),
        ("/hilfe/Plan%20A.pdf", 200, "application/pdf"),
        ("/nicht-da.html", 404, "text/html; charset=utf-8"),
    ] {
        let (s, k, _) = server.get(path);
        assert_eq!((s, k.as_str()), (status, kind), "{path}");
    }
    for attack in [
        "/../geheim.txt",
        "/../formwerk.toml",
        "/%2e%2e/geheim.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/hilfe/..%2f..%2fgeheim.txt",
        "/..%5cgeheim.txt",
        "//etc/passwd",
        "/%252e%252e/geheim.txt",
        "/content/_index.md",
    ] {
        let (s, _, body) = server.get(attack);
        assert_eq!(s, 404, "{attack}");
        assert!(
            !body.contains("geheim") && !body.contains("root:"),
            "{attack} leaked"
        );
    }
    std::os::unix::fs::symlink(
        server.site.path("geheim.txt"),
        server.site.out().join("link.txt"),
    )
    .unwrap();
    assert_eq!(server.get("/link.txt").0, 404);
    // Many open pages with their event streams do not block requests or rebuilds.
    let streams: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.events_port)).unwrap();
            write!(s, "GET /__formwerk/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            s
        })
        .collect();
    for _ in 0..20 {
        assert_eq!(server.get("/index.html").0, 200);
    }
    write(
        &server.site.path("content/hilfe/zweite.md"),
        &page("Zweite Seite", "Trotz vieler Leser."),
    );
    assert!(server.rebuild().contains("re-rendered"));
    drop(streams);
    server.stop();
}

#[test]
fn a_git_checkout_burst_is_one_rebuild() {
    let site = Site::fixture("valid");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.org",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(site.path(".gitignore"), "site/\n").unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "base"]);
    git(&["checkout", "-qb", "viele"]);
    for i in 0..1000 {
        write(
            &site.path(&format!("content/massen/seite-{i:04}.md")),
            &page(&format!("Seite {i}"), "Inhalt."),
        );
    }
    write(
        &site.path("content/massen/_index.md"),
        &page("Massen", "Viele Seiten."),
    );
    git(&["add", "-A"]);
    git(&["commit", "-qm", "many"]);
    git(&["checkout", "-q", "main"]);
    let server = Server::start(site);
    git_in(&server.site, &["checkout", "-q", "viele"]);
    let line = server.rebuild();
    assert!(line.contains("rebuilt all 1008 pages"), "{line}");
    let (extra, _) = server.settle("0000-ende.md");
    assert!(extra.is_empty(), "more than one rebuild: {extra:?}");
    server.assert_like_clean_build();
    git_in(&server.site, &["checkout", "-q", "main"]);
    // The untracked end marker stays: 7 pages of the fixture and the marker.
    let line = server.rebuild();
    assert!(line.contains("rebuilt all 8 pages"), "{line}");
    let (extra, _) = server.settle("0001-ende.md");
    assert!(extra.is_empty(), "more than one rebuild: {extra:?}");
    server.assert_like_clean_build();
    server.stop();
}

fn git_in(site: &Site, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(site.root())
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

/// A small deterministic generator, so a failing sequence can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn after_a_random_sequence_of_edits_the_output_equals_a_clean_build() {
    let server = Server::start(Site::fixture("valid"));
    let content = server.site.path("content");
    let mut rng = Lcg(20261125);
    let mut extra_pages: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for step in 0..40 {
        let op = rng.below(8);
        match op {
            0 => write(
                &content.join("hilfe/tabellen.md"),
                &page(
                    "Tabellen & Fußnoten",
                    &format!(
                        "## Größe & Maße\n\n## Übersicht\n\n### Eigene ID {{#eigene-id}}\n\nSchritt {step}."
                    ),
                ),
            ),
            1 => write(
                &content.join("hilfe/zweite.md"),
                &format!(
                    "+++\ntitle = \"Zweite {step}\"\nweight = {}\ntemplate = \"special.html\"\n\n[extra]\nfarbe = \"rot\"\n+++\n\nText {step}.\n",
                    rng.below(5)
                ),
            ),
            2 => {
                let name = format!("hilfe/neu-{step}.md");
                write(
                    &content.join(&name),
                    &page(&format!("Neu {step}"), "Neue Seite."),
                );
                extra_pages.push(name);
            }
            3 if !extra_pages.is_empty() => {
                let name = extra_pages.remove(rng.below(extra_pages.len()));
                std::fs::remove_file(content.join(name)).unwrap();
            }
            4 => {
                let form = content.join("antraege/alle-felder.form.toml");
                let text = std::fs::read_to_string(&form).unwrap();
                write(
                    &form,
                    &text.replacen("subtitle = \"", &format!("subtitle = \"{step} "), 1),
                );
            }
            5 => {
                let config = server.site.path("formwerk.toml");
                let text = std::fs::read_to_string(&config).unwrap();
                let year = 2030 + rng.below(9);
                let updated: String = text
                    .lines()
                    .map(|l| {
                        if l.starts_with("jahr = ") {
                            format!("jahr = {year}\n")
                        } else {
                            format!("{l}\n")
                        }
                    })
                    .collect();
                write(&config, &updated);
            }
            6 => write(
                &content.join("_index.md"),
                &page(
                    &format!("Start {step}"),
                    "- [Hilfe](hilfe/_index.md)\n- [Tabellen](hilfe/tabellen.md#eigene-id)",
                ),
            ),
            _ => {
                let tpl = server.site.path("templates/partials/children.html");
                write(
                    &tpl,
                    &format!(
                        "{{% if page.children %}}<ul class=\"fixture-children s{step}\">{{% for c in page.children %}}<li><a href=\"{{{{ c.href }}}}\">{{{{ c.title }}}}</a></li>{{% endfor %}}</ul>{{% endif %}}\n"
                    ),
                );
            }
        }
        // Sometimes wait for a rebuild, sometimes pile the next change onto the one under way.
        // Every rebuild line is kept and checked.
        if rng.below(3) == 0 {
            lines.push(server.rebuild());
        }
    }
    let (more, last) = server.settle("0000-ende.md");
    lines.extend(more);
    lines.push(last);
    assert!(lines.iter().all(|l| !l.contains("failed")), "{lines:?}");
    server.assert_like_clean_build();
    server.stop();
}

#[test]
fn a_template_change_re_renders_the_pages_that_use_it() {
    // The site's own layer of the theme holds the built-in templates changed below.
    let site = Site::fixture("valid");
    for rel in [
        "templates/form/field.html",
        "templates/form-print.css",
        "templates/base.html",
    ] {
        site.theme_file(rel);
    }
    let server = Server::start(site);
    // special.html is the template of one page only.
    let special = server.site.path("templates/special.html");
    let text = std::fs::read_to_string(&special).unwrap();
    write(
        &special,
        &text.replace(
            "<article class=\"special\"",
            "<article class=\"special geaendert\"",
        ),
    );
    let line = server.rebuild();
    assert!(line.contains("re-rendered 1 page, wrote 1 file"), "{line}");
    server.assert_like_clean_build();
    // The form template is used by the form page, its offline copy (as a page and as a
    // script), its inbox and the print-all document.
    let field = server.site.path("themes/default/templates/form/field.html");
    let text = std::fs::read_to_string(&field).unwrap();
    write(
        &field,
        &text.replacen(
            "<div class=\"field field-",
            "<div data-neu class=\"field field-",
            1,
        ),
    );
    let line = server.rebuild();
    assert!(line.contains("re-rendered 1 page, wrote 5 files"), "{line}");
    server.assert_like_clean_build();
    // The print style sheet's template is rendered for every form page, beside its template.
    let print = server.site.path("themes/default/templates/form-print.css");
    let text = std::fs::read_to_string(&print).unwrap();
    write(&print, &text.replace("@page {", "@page { /* neu */"));
    let line = server.rebuild();
    // The sheet itself and the offline copy that inlines it, as a page and as a script.
    assert!(line.contains("re-rendered 1 page, wrote 3 files"), "{line}");
    assert!(
        std::fs::read_to_string(
            server
                .site
                .out()
                .join("antraege/alle-felder/alle_felder.print.css")
        )
        .unwrap()
        .contains("/* neu */")
    );
    server.assert_like_clean_build();
    // base.html is under every page.
    let base = server.site.path("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    write(&base, &text.replace("<body>", "<body class=\"neu\">"));
    let line = server.rebuild();
    assert!(line.contains("re-rendered 7 pages"), "{line}");
    server.assert_like_clean_build();
    server.stop();
}

#[test]
fn a_linked_download_edited_grown_renamed_and_deleted_shows_its_label_and_link() {
    use common::downloads::{Expect, assert_shown, site, steps};
    let server = Server::start(site());
    assert_shown(
        &server.site.out(),
        "the first build",
        Some(("PDF, 2 KB", "plan.pdf")),
    );
    for step in steps() {
        let before = snapshot(&server.site.out());
        (step.run)(server.site.root());
        // Every rebuild this step causes, up to the one that names the step's file.
        let mut lines = vec![server.rebuild()];
        while !lines.last().unwrap().starts_with(step.names) {
            lines.push(server.rebuild());
        }
        let failed = lines.iter().filter(|l| l.contains(": failed")).count();
        match step.expect {
            Expect::Shown(shown) => {
                assert_eq!(failed, 0, "after {}: {lines:?}", step.what);
                let last = lines.last().unwrap();
                if let Some(n) = step.watch_renders {
                    let pages = if n == 1 { "page" } else { "pages" };
                    assert!(
                        last.contains(&format!(": re-rendered {n} {pages}, wrote ")),
                        "after {}: {last}",
                        step.what
                    );
                }
                assert_shown(&server.site.out(), step.what, shown);
                server.assert_like_clean_build();
            }
            Expect::Fails(files) => {
                assert_eq!(failed, lines.len(), "after {}: {lines:?}", step.what);
                // The error report follows the line: a broken link on each linking page.
                let mut report: Vec<String> = Vec::new();
                while !files
                    .iter()
                    .all(|f| report.iter().any(|l| l.contains(&format!("─ {f}:"))))
                {
                    report.push(server.line(|_| true));
                }
                let broken = report.iter().filter(|l| l.contains("does not exist"));
                assert_eq!(
                    broken.count(),
                    files.len(),
                    "after {}: {report:?}",
                    step.what
                );
                assert!(
                    snapshot(&server.site.out()) == before,
                    "after {}",
                    step.what
                );
            }
        }
    }
    server.stop();
}
