//! Starting `formwerk serve` and reading what it prints, for the tests that talk to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `formwerk serve`: its process, its output lines and its two ports.
pub struct Serving {
    pub child: Child,
    pub lines: Receiver<String>,
    pub port: u16,
    pub events_port: u16,
}

/// Starts `formwerk serve --port 0 ARGS --root ROOT` with `env` set and waits until it
/// says where it serves.
pub fn start(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_formwerk"))
        .args(["serve", "--port", "0"])
        .args(args)
        .arg("--root")
        .arg(root)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let serving = wait_line(&lines, Duration::from_secs(60), |l| {
        l.starts_with("Serving ")
    });
    Serving {
        child,
        lines,
        port: number_after(&serving, "http://127.0.0.1:"),
        events_port: number_after(&serving, "live reload on port "),
    }
}

/// Waits for an output line; fails the test with what was printed if none comes in `wait`.
pub fn wait_line(
    lines: &Receiver<String>,
    wait: Duration,
    wanted: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + wait;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(l) if wanted(&l) => return l,
            Ok(l) => seen.push(l),
            Err(_) => break,
        }
    }
    panic!("expected line not printed; got:\n{}", seen.join("\n"));
}

/// The number that follows `after` in `line`.
pub fn number_after(line: &str, after: &str) -> u16 {
    let at = line
        .find(after)
        .unwrap_or_else(|| panic!("{after} in {line}"))
        + after.len();
    line[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// A GET sent as written, so that no client library tidies `..` away: status, content type
/// and body.
pub fn raw_get(port: u16, path: &str, wait: Duration) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .unwrap_or("")
        .to_string();
    (status, content_type, body.to_string())
}
