//! `formwerk serve` left running for days: idle connections, a request line of megabytes and
//! more connections than it takes, on both ports, while another client loads pages; and a
//! bug (a panic) while rebuilding. Threads and memory are read from /proc.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use common::{Site, serving, snapshot};

/// Generous: the idle connections must be closed by the server's own timeouts (10 s).
const WAIT: Duration = Duration::from_secs(90);

struct Serve {
    child: Child,
    lines: Receiver<String>,
    port: u16,
    events_port: u16,
}

impl Serve {
    fn start(site: &Site, fault: Option<&str>) -> Serve {
        let env: Vec<(&str, &str)> = fault.map(|f| ("FORMWERK_FAULT", f)).into_iter().collect();
        let s = serving::start(site.root(), &[], &env);
        Serve {
            child: s.child,
            lines: s.lines,
            port: s.port,
            events_port: s.events_port,
        }
    }

    fn line(&self, wanted: impl Fn(&str) -> bool) -> String {
        serving::wait_line(&self.lines, WAIT, wanted)
    }

    fn threads(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/task", self.child.id()))
            .unwrap()
            .count()
    }

    /// Resident memory in KiB.
    fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// Waits (polling /proc, bounded by WAIT) until `done` holds.
    fn wait_until(&self, what: &str, done: impl Fn(&Serve) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "{what}: {} threads, {} KiB",
                self.threads(),
                self.rss()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One GET on a new connection; the status and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = serving::raw_get(port, path, WAIT);
    (status, body)
}

/// Sends a request line of `size` bytes that never ends; returns the status the server
/// answered with, if it got to read one before the connection closed.
fn huge_request_line(port: u16, size: usize) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut reader = stream.try_clone().unwrap();
    let answer = std::thread::spawn(move || {
        let mut response = Vec::new();
        let _ = reader.read_to_end(&mut response);
        String::from_utf8_lossy(&response)
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
    });
    let _ = stream.write_all(b"GET /");
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    // The server closes the connection long before: writing then fails, as it should.
    while sent < size && stream.write_all(&chunk).is_ok() {
        sent += chunk.len();
    }
    answer.join().unwrap()
}

/// Connections that send nothing.
fn idle(port: u16, n: usize) -> Vec<TcpStream> {
    (0..n)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect()
}

/// Every idle connection is closed by the server (reading ends), not left open.
fn closed_by_server(streams: Vec<TcpStream>) {
    for mut s in streams {
        s.set_read_timeout(Some(WAIT)).unwrap();
        let mut rest = Vec::new();
        if let Err(e) = s.read_to_end(&mut rest) {
            assert!(
                !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "an idle connection stayed open"
            );
        }
    }
}

const PAGES: [&str; 5] = [
    "/",
    "/hinweise/",
    "/hinweise/bestandsaufnahme/",
    "/favicon.svg",
    "/projektbeschreibung/projektbeschreibung.schema.json",
];

#[test]
fn idle_connections_and_huge_request_lines_do_not_stop_page_loads_and_are_let_go() {
    let site = Site::bundled();
    let serve = Serve::start(&site, None);
    serve.line(|l| l.starts_with("start: rebuilt all"));
    for path in PAGES {
        assert_eq!(get(serve.port, path).0, 200, "{path}");
    }
    let (threads, rss) = (serve.threads(), serve.rss());

    // 50 connections that send nothing on each port, and a 10 MB request line on each.
    let idle_pages = idle(serve.port, 50);
    let idle_events = idle(serve.events_port, 50);
    let huge: Vec<_> = [serve.port, serve.events_port]
        .into_iter()
        .map(|port| std::thread::spawn(move || huge_request_line(port, 10 << 20)))
        .collect();
    // Meanwhile another client loads pages, and a page opens its event stream.
    for round in 0..10 {
        for path in PAGES {
            let (status, _) = get(serve.port, path);
            assert_eq!(status, 200, "round {round}: {path}");
        }
    }
    let mut stream = TcpStream::connect(("127.0.0.1", serve.events_port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(stream, "GET /__formwerk/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut first = [0u8; 15];
    stream.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200 OK");
    for handle in huge {
        let status = handle.join().unwrap();
        assert!(
            matches!(status, None | Some(414)),
            "a 10 MB request line got {status:?}"
        );
    }
    // Nothing of the 10 MB was kept.
    assert!(
        serve.rss() < rss + 8 * 1024,
        "memory grew from {rss} to {} KiB",
        serve.rss()
    );

    // More idle connections than the server takes: the oldest waiting ones make room, pages
    // still load.
    let crowd = idle(serve.port, 100);
    for path in PAGES {
        assert_eq!(
            get(serve.port, path).0,
            200,
            "{path} with 150 idle connections"
        );
    }

    // The server lets every idle connection go by itself; threads and memory come back.
    closed_by_server(idle_pages);
    closed_by_server(idle_events);
    closed_by_server(crowd);
    drop(stream);
    serve.wait_until("threads back", |s| s.threads() <= threads + 1);
    serve.wait_until("memory back", |s| s.rss() < rss + 8 * 1024);
    for path in PAGES {
        assert_eq!(get(serve.port, path).0, 200, "{path} afterwards");
    }
}

#[test]
fn a_panic_while_rebuilding_shows_in_the_overlay_and_serve_goes_on() {
    let site = Site::bundled();
    site.write(
        "content/hinweise/kaputt.md",
        "+++\ntitle = \"Kaputt\"\n+++\n\nText.\n",
    );
    site.build_ok();
    let serve = Serve::start(&site, Some("panic:content/hinweise/kaputt.md"));
    let failed = serve.line(|l| l.contains("start: failed"));
    assert!(failed.contains("failed"), "{failed}");
    serve.line(|l| l.contains("internal error: simulated by FORMWERK_FAULT"));
    let (status, body) = get(serve.port, "/");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"formwerk-problem\""), "no overlay");
    assert!(body.contains("content/hinweise/kaputt.md"));
    assert!(body.contains("internal error"));
    // The page that hits the bug goes; the next rebuild succeeds and the overlay with it.
    std::fs::remove_file(site.path("content/hinweise/kaputt.md")).unwrap();
    serve.line(|l| l.contains("rebuilt all"));
    let (status, body) = get(serve.port, "/");
    assert_eq!(status, 200);
    assert!(!body.contains("id=\"formwerk-problem\""));
}

#[test]
fn a_panic_in_a_rebuild_while_serving_keeps_the_site_and_the_next_rebuild_works() {
    let site = Site::bundled();
    let serve = Serve::start(&site, Some("panic:content/hinweise/kaputt.md"));
    serve.line(|l| l.starts_with("start: rebuilt all"));
    let good = snapshot(&site.out());
    // A new page hits the bug in its render thread: that rebuild fails, serve goes on.
    site.write(
        "content/hinweise/kaputt.md",
        "+++\ntitle = \"Kaputt\"\n+++\n\nText.\n",
    );
    let failed = serve.line(|l| l.starts_with("content/hinweise/kaputt.md: "));
    assert!(failed.contains(": failed"), "{failed}");
    serve.line(|l| l.contains("internal error: simulated by FORMWERK_FAULT"));
    assert!(
        snapshot(&site.out()) == good,
        "a failed rebuild changed the output"
    );
    let (status, body) = get(serve.port, "/hinweise/bestandsaufnahme/");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"formwerk-problem\""), "no overlay");
    assert!(body.contains("content/hinweise/kaputt.md"));
    // Without the page, the next rebuild succeeds; later edits rebuild as usual.
    std::fs::remove_file(site.path("content/hinweise/kaputt.md")).unwrap();
    let line = serve.line(|l| l.starts_with("content/hinweise/kaputt.md: "));
    assert!(!line.contains("failed"), "{line}");
    let edited = site.read("content/hinweise/bestandsaufnahme.md").replacen(
        "+++\n\n",
        "+++\n\nNach dem Fehler geändert.\n\n",
        1,
    );
    assert!(edited.contains("Nach dem Fehler"));
    site.write("content/hinweise/bestandsaufnahme.md", &edited);
    let line = serve.line(|l| l.starts_with("content/hinweise/bestandsaufnahme.md: "));
    assert!(line.contains(": re-rendered"), "{line}");
    let (status, body) = get(serve.port, "/hinweise/bestandsaufnahme/");
    assert_eq!(status, 200);
    assert!(!body.contains("id=\"formwerk-problem\""));
    assert!(body.contains("Nach dem Fehler geändert."));
}

#[test]
fn serve_notices_changes_in_a_linked_theme_folder() {
    let site = Site::bundled();
    let shared = tempfile::tempdir().unwrap();
    let theme = shared.path().join("behoerde");
    site.theme_file("templates/page.html");
    std::fs::rename(site.path("themes/default"), &theme).unwrap();
    std::os::unix::fs::symlink(&theme, site.path("themes/default")).unwrap();
    let serve = Serve::start(&site, None);
    serve.line(|l| l.starts_with("start: rebuilt all"));
    let page_html = theme.join("templates/page.html");
    let original = std::fs::read_to_string(&page_html).unwrap();
    std::fs::write(&page_html, format!("{original}\n{{% if %}}\n")).unwrap();
    serve.line(|l| l.contains(": failed"));
    let marked = original.replacen("<article", "<article data-theme-mark=\"1\"", 1);
    std::fs::write(&page_html, marked).unwrap();
    serve.line(|l| l.contains(": re-rendered") || l.contains(": rebuilt all"));
    let (_, body) = get(serve.port, "/hinweise/bestandsaufnahme/");
    assert!(body.contains("data-theme-mark"));
}

#[test]
fn a_rebuild_waits_for_an_editors_build_instead_of_failing() {
    let site = Site::bundled();
    let serve = Serve::start(&site, None);
    serve.line(|l| l.starts_with("start: rebuilt all"));
    // An editor's `build` holds the lock.
    let mut lock = std::fs::File::create(site.path(".site.formwerk-lock")).unwrap();
    lock.lock().unwrap();
    write!(lock, "4242\n/anderswo\n").unwrap();
    site.write(
        "content/hinweise/bestandsaufnahme.md",
        "+++\ntitle = \"Bestandsaufnahme neu\"\n+++\n\nNeu.\n",
    );
    // The rebuild waits for it (the kernel lists the waiting lock in /proc/locks) ...
    let pid = serve.child.id().to_string();
    serve.wait_until("serve waits for the lock", |_| {
        std::fs::read_to_string("/proc/locks")
            .unwrap_or_default()
            .lines()
            .any(|l| l.contains("->") && l.split_whitespace().any(|w| w == pid))
    });
    // ... and runs once it is free.
    drop(lock);
    let line = serve.line(|l| l.contains(": re-rendered") || l.contains(": failed"));
    assert!(line.contains("re-rendered"), "{line}");
    let (_, body) = get(serve.port, "/hinweise/bestandsaufnahme/");
    assert!(body.contains("Bestandsaufnahme neu"));
}
