//! `formwerk serve`: the watcher plus a small HTTP server for the output folder, with live
//! reload by Server-Sent Events. The reload script (and, while the last rebuild failed, an
//! overlay with its errors) is added to HTML responses here; nothing of it is written into
//! the output folder. Only files inside the output folder are served.
//!
//! The event streams have a listener of their own (same address, a free port), so that open
//! pages' streams never take the places of page loads. Both listeners speak the small
//! HTTP of [`http`], with its limits on idle and slow connections, head sizes and
//! connection counts.

mod http;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use anyhow::Context;
use http::{Body, Conn, LIMITS};

/// What every open page is told after a rebuild.
#[derive(Clone)]
enum Event {
    Reload,
    /// Only style sheets changed: restyle in place.
    Css,
    /// The rebuild failed: show these errors over the page.
    Problem(Arc<str>),
}

/// The open pages' event streams.
#[derive(Default)]
pub(crate) struct Hub {
    clients: Mutex<Vec<Sender<Event>>>,
}

impl Hub {
    fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        self.clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(tx);
        rx
    }

    fn send(&self, event: &Event) {
        // A closed page's receiver is gone: drop its sender.
        self.clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|c| c.send(event.clone()).is_ok());
    }
}

/// State shared between the rebuild loop and the request handlers.
pub struct Shared {
    output: PathBuf,
    /// Port of the event-stream listener, for the reload script.
    events_port: std::sync::atomic::AtomicU16,
    /// The errors of the last rebuild, while it failed.
    problem: RwLock<Option<Arc<str>>>,
    hub: Hub,
}

impl Shared {
    pub fn new(output: &Path) -> Arc<Shared> {
        Arc::new(Shared {
            output: output.to_path_buf(),
            events_port: std::sync::atomic::AtomicU16::new(0),
            problem: RwLock::new(None),
            hub: Hub::default(),
        })
    }

    /// Tells every open page how a rebuild ended, once its files are all written.
    pub fn rebuilt(&self, css_only: bool) {
        let had_problem = self
            .problem
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .is_some();
        let event = if css_only && !had_problem {
            Event::Css
        } else {
            Event::Reload
        };
        self.hub.send(&event);
    }

    pub fn failed(&self, report: &str) {
        let report: Arc<str> = report.into();
        *self.problem.write().unwrap_or_else(PoisonError::into_inner) = Some(report.clone());
        self.hub.send(&Event::Problem(report));
    }

    fn problem(&self) -> Option<Arc<str>> {
        self.problem
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Starts serving in background threads; returns the bound address and the event streams'
/// port. The threads end with the program.
pub fn start(shared: Arc<Shared>, bind: &str, port: u16) -> anyhow::Result<(String, u16)> {
    let pages = std::net::TcpListener::bind((bind, port))
        .with_context(|| format!("cannot listen on {bind}:{port}"))?;
    let listener = std::net::TcpListener::bind((bind, 0))
        .with_context(|| format!("cannot listen on {bind} for live reload"))?;
    let events_port = listener.local_addr()?.port();
    shared.events_port.store(events_port, Ordering::SeqCst);
    let address = pages.local_addr()?.to_string();
    let for_events = shared.clone();
    http::listen(listener, LIMITS, move |conn| events(&for_events, conn))
        .context("cannot start the live-reload listener")?;
    http::listen(pages, LIMITS, move |conn| serve_pages(&shared, conn))
        .context("cannot start the server")?;
    Ok((address, events_port))
}

/// Answers the requests of one connection until it closes or is idle too long.
fn serve_pages(shared: &Shared, mut conn: Conn) {
    loop {
        let head = match conn.read_head() {
            Ok(head) => head,
            Err(e) => return conn.refuse(e),
        };
        let readable = head.method == "GET" || head.method == "HEAD";
        let sent = if readable {
            let (status, kind, body) = page_response(shared, &head.target);
            conn.respond(
                status,
                &[("Content-Type", kind), ("Cache-Control", "no-store")],
                body,
                head.method == "HEAD",
                head.keep_alive,
            )
        } else {
            conn.respond(
                405,
                &[("Allow", "GET, HEAD")],
                Body::Bytes(Vec::new()),
                false,
                false,
            )
        };
        if sent.is_err() || !head.keep_alive || !readable {
            return;
        }
    }
}

/// Status, content type and body for a request target: HTML with the reload script added,
/// other files streamed from disk.
fn page_response(shared: &Shared, target: &str) -> (u16, &'static str, Body) {
    if target == CLIENT_PATH {
        let script = CLIENT.as_bytes().to_vec();
        return (200, "text/javascript; charset=utf-8", Body::Bytes(script));
    }
    let Some(path) = resolve(&shared.output, target) else {
        return not_found(shared);
    };
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        return match std::fs::read(&path) {
            Ok(bytes) => (
                200,
                kind,
                Body::Bytes(inject(&String::from_utf8_lossy(&bytes), shared).into_bytes()),
            ),
            Err(_) => not_found(shared),
        };
    }
    match std::fs::File::open(&path).and_then(|f| Ok((f.metadata()?.len(), f))) {
        Ok((len, file)) => (200, kind, Body::File(file, len)),
        Err(_) => not_found(shared),
    }
}

fn not_found(shared: &Shared) -> (u16, &'static str, Body) {
    let page = "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Seite nicht gefunden</title></head>\
                <body><h1>Seite nicht gefunden</h1><p>Diese Adresse gibt es in der Website nicht. \
                <a href=\"/index.html\">Zur Startseite</a></p></body></html>\n";
    (
        404,
        "text/html; charset=utf-8",
        Body::Bytes(inject(page, shared).into_bytes()),
    )
}

/// Maps a request path to a file inside `output`, or nothing: no `..`, no encoded tricks, no
/// absolute paths, no symbolic link leading out.
pub fn resolve(output: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let root = output.canonicalize().ok()?;
    let mut file = root.clone();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => file.push(s),
        }
    }
    let mut file = file.canonicalize().ok()?;
    if file.is_dir() {
        file = file.join("index.html").canonicalize().ok()?;
    }
    (file.starts_with(&root) && file.is_file()).then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Where the live-reload script is served (never written to the output folder). A script
/// file, not inline: the pages' Content Security Policy allows scripts of the site only.
const CLIENT_PATH: &str = "/__formwerk/live-reload.js";

/// The live-reload script and, while the last rebuild failed, the error overlay. It sets no
/// `style` attributes (the pages' policy forbids them); it styles through the CSSOM.
const CLIENT: &str = r#"(function () {
  var overlay;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "formwerk-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 monospace";
      var title = document.createElement("h2");
      title.textContent = "Formwerk: Fehler beim Bauen";
      title.style.cssText = "color:#ff8080;margin-top:0";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      var note = document.createElement("p");
      note.textContent = "Die zuletzt gebaute Fassung wird weiter ausgeliefert. Nach dem Speichern einer korrigierten Datei lädt die Seite neu.";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      overlay.appendChild(note);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }
  var initial = document.getElementById("formwerk-problem");
  if (initial) show(JSON.parse(initial.textContent));
  var source = new EventSource(location.protocol + "//" + location.hostname + ":" + document.currentScript.dataset.port + "/__formwerk/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problem", function (e) { show(JSON.parse(e.data)); });
  // Style sheets have content-hashed names: take the new names from the rebuilt page.
  source.addEventListener("css", function () {
    fetch(location.href, { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (text) {
      var fresh = new DOMParser().parseFromString(text, "text/html").querySelectorAll('head > link[rel="stylesheet"]');
      var links = document.querySelectorAll('head > link[rel="stylesheet"]');
      if (fresh.length !== links.length) {
        location.reload();
        return;
      }
      links.forEach(function (link, i) {
        var url = new URL(fresh[i].getAttribute("href"), location.href);
        url.searchParams.set("formwerk", Date.now());
        link.href = url.href;
      });
    });
  });
})();
"#;

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn inject(html: &str, shared: &Shared) -> String {
    let mut snippet = String::new();
    if let Some(problem) = shared.problem() {
        snippet.push_str(&format!(
            "<script type=\"application/json\" id=\"formwerk-problem\">{}</script>",
            json_string(&problem)
        ));
    }
    let port = shared.events_port.load(Ordering::SeqCst);
    snippet.push_str(&format!(
        "<script src=\"{CLIENT_PATH}\" data-port=\"{port}\"></script>"
    ));
    // The page's policy must let the script listen to the event stream on its own port.
    let policy = "http-equiv=\"Content-Security-Policy\" content=\"";
    let html = html.replacen(
        policy,
        &format!("{policy}connect-src 'self' http://*:{port}; "),
        1,
    );
    match html.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &html[..i], &html[i..]),
        None => format!("{html}{snippet}"),
    }
}

/// One page's event stream: the request is read and ignored, then events follow until the
/// page goes away.
fn events(shared: &Shared, mut conn: Conn) {
    if let Err(e) = conn.read_head() {
        return conn.refuse(e);
    }
    let receiver = shared.hub.subscribe();
    let out = conn.stream();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nAccess-Control-Allow-Origin: *\r\nConnection: keep-alive\r\n\r\n: formwerk\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    if let Some(problem) = shared.problem() {
        let _ = write!(out, "event: problem\ndata: {}\n\n", json_string(&problem));
        let _ = out.flush();
    }
    loop {
        let message = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(Event::Reload) => "event: reload\ndata: {}\n\n".to_string(),
            Ok(Event::Css) => "event: css\ndata: {}\n\n".to_string(),
            Ok(Event::Problem(text)) => format!("event: problem\ndata: {}\n\n", json_string(&text)),
            // A comment now and then finds out whether the page is still open.
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Opens the site in the desktop's browser, if there is one.
pub fn open_browser(url: &str) {
    if let Err(e) = std::process::Command::new("xdg-open")
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

/// Set by Ctrl-C: the loop finishes the rebuild under way, then the program ends.
pub fn stop_flag() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot install the Ctrl-C handler")?;
    Ok(stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_cannot_leave_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("a")).unwrap();
        std::fs::write(site.join("a/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "geheim").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), site.join("link.txt")).unwrap();
        assert!(resolve(&site, "/a/").is_some());
        assert!(resolve(&site, "/a/index.html?x=1").is_some());
        for bad in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/a%2f..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/link.txt",
            "//etc/passwd",
            "/%00",
            "secret.txt",
            "/%zz",
        ] {
            assert_eq!(resolve(&site, bad), None, "{bad}");
        }
    }

    #[test]
    fn problem_text_cannot_close_the_script() {
        let s = json_string("</script><b>\"x\"\n");
        assert!(!s.contains('<'));
        assert_eq!(s, "\"\\u003c/script\\u003e\\u003cb\\u003e\\\"x\\\"\\n\"");
    }
}
