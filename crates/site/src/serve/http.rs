//! The dev server's HTTP/1.1, small on purpose: `GET` and `HEAD` of files, keep-alive, and
//! limits an editor's server running for days needs. Every connection has a thread of its
//! own (an event stream never ends), so the limits bound threads and memory:
//!
//! - a request head (request line and headers) must arrive whole within [`Limits::head`],
//!   the next request on a kept-alive connection within [`Limits::keep_alive`]: idle and
//!   slow connections are closed;
//! - a head longer than [`Limits::max_head`] bytes is refused (414 or 431) and the
//!   connection closed, so nothing reads a request line of megabytes into memory;
//! - at most [`Limits::connections`] connections per listener; when all are taken, the one
//!   that has waited longest for its request head is closed to make room (an idle
//!   connection cannot crowd out a page load), and only when none is waiting is the new one
//!   refused with 503;
//! - a response must be taken within [`Limits::write`] per write.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub(crate) struct Limits {
    pub connections: usize,
    pub head: Duration,
    pub keep_alive: Duration,
    pub write: Duration,
    pub max_head: usize,
}

pub(crate) const LIMITS: Limits = Limits {
    connections: 64,
    head: Duration::from_secs(10),
    keep_alive: Duration::from_secs(5),
    write: Duration::from_secs(30),
    max_head: 16 * 1024,
};

/// The connections of one listener.
#[derive(Default)]
struct Gate {
    open: AtomicUsize,
    next_id: AtomicU64,
    /// Connections waiting for a request head, oldest first (ids grow).
    waiting: Mutex<BTreeMap<(Instant, u64), TcpStream>>,
}

impl Gate {
    fn waiting(&self) -> std::sync::MutexGuard<'_, BTreeMap<(Instant, u64), TcpStream>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Closes the connection that has waited longest for its request head.
    fn evict_oldest(&self) -> bool {
        match self.waiting().pop_first() {
            Some((_, stream)) => {
                let _ = stream.shutdown(Shutdown::Both);
                true
            }
            None => false,
        }
    }
}

/// Accepts connections on `listener` in a thread of its own and hands each, on a thread of
/// its own, to `serve`.
pub fn listen(
    listener: TcpListener,
    limits: Limits,
    serve: impl Fn(Conn) + Send + Sync + 'static,
) -> io::Result<()> {
    let serve = Arc::new(serve);
    let gate = Arc::new(Gate::default());
    std::thread::Builder::new()
        .name("formwerk-accept".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else {
                    // Out of file descriptors, say: let the open connections finish first.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                };
                if gate.open.load(Ordering::SeqCst) >= limits.connections && !gate.evict_oldest() {
                    refuse_busy(stream);
                    continue;
                }
                let _ = stream.set_write_timeout(Some(limits.write));
                let _ = stream.set_nodelay(true);
                gate.open.fetch_add(1, Ordering::SeqCst);
                let id = gate.next_id.fetch_add(1, Ordering::SeqCst);
                // Waiting for its first head from now, in the order connections came: one
                // whose thread starts late is not taken for newer than those behind it.
                if let Ok(clone) = stream.try_clone() {
                    gate.waiting().insert((Instant::now(), id), clone);
                }
                let conn = Conn {
                    id,
                    stream,
                    buffer: Vec::new(),
                    gate: gate.clone(),
                    limits,
                    served: 0,
                };
                let serve = serve.clone();
                // If no thread can be started, dropping the connection closes it.
                let _ = std::thread::Builder::new()
                    .name("formwerk-http".into())
                    .spawn(move || serve(conn));
            }
        })?;
    Ok(())
}

fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
    );
}

/// One accepted connection; closing it (dropping) frees its place.
pub(crate) struct Conn {
    id: u64,
    stream: TcpStream,
    /// Bytes read beyond the last request head (a pipelined next request).
    buffer: Vec<u8>,
    gate: Arc<Gate>,
    limits: Limits,
    served: usize,
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.gate.waiting().retain(|(_, id), _| *id != self.id);
        self.gate.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The parts of a request the server looks at.
pub struct Head {
    pub method: String,
    pub target: String,
    pub keep_alive: bool,
}

pub(crate) enum HeadError {
    /// The client closed the connection, or did not send a head in time.
    Gone,
    TooLarge {
        in_request_line: bool,
    },
    Malformed,
}

impl Conn {
    /// Reads the next request head, within the time and size limits.
    pub fn read_head(&mut self) -> Result<Head, HeadError> {
        let wait = if self.served == 0 {
            self.limits.head
        } else {
            self.limits.keep_alive
        };
        let deadline = Instant::now() + wait;
        // The first head has been awaited since the connection was accepted.
        if self.served > 0
            && let Ok(clone) = self.stream.try_clone()
        {
            self.gate.waiting().insert((Instant::now(), self.id), clone);
        }
        let result = self.read_head_until(deadline);
        self.gate.waiting().retain(|(_, id), _| *id != self.id);
        self.served += 1;
        result
    }

    fn read_head_until(&mut self, deadline: Instant) -> Result<Head, HeadError> {
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = head_end(&self.buffer) {
                let head: Vec<u8> = self.buffer.drain(..end).collect();
                return parse_head(&head);
            }
            if self.buffer.len() > self.limits.max_head {
                return Err(HeadError::TooLarge {
                    in_request_line: !self.buffer.contains(&b'\n'),
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.stream.set_read_timeout(Some(left)).is_err() {
                return Err(HeadError::Gone);
            }
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => return Err(HeadError::Gone),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// Answers a head that could not be read, then the connection is to be closed.
    pub(crate) fn refuse(&mut self, error: HeadError) {
        let status = match error {
            HeadError::Gone => return,
            HeadError::TooLarge {
                in_request_line: true,
            } => 414,
            HeadError::TooLarge { .. } => 431,
            HeadError::Malformed => 400,
        };
        let _ = self.respond(status, &[], Body::Bytes(Vec::new()), false, false);
    }

    /// Writes a response; `head_only` for `HEAD` requests.
    pub(crate) fn respond(
        &mut self,
        status: u16,
        headers: &[(&str, &str)],
        body: Body,
        head_only: bool,
        keep_alive: bool,
    ) -> io::Result<()> {
        let length = match &body {
            Body::Bytes(b) => b.len() as u64,
            Body::File(_, len) => *len,
        };
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Length: {length}\r\nConnection: {}\r\n",
            reason(status),
            if keep_alive { "keep-alive" } else { "close" }
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut out = io::BufWriter::with_capacity(64 * 1024, &self.stream);
        out.write_all(head.as_bytes())?;
        if !head_only {
            match body {
                Body::Bytes(b) => out.write_all(&b)?,
                Body::File(f, len) => {
                    let copied = io::copy(&mut f.take(len), &mut out)?;
                    if copied != len {
                        return Err(io::Error::other("the file changed while it was sent"));
                    }
                }
            }
        }
        out.flush()
    }

    /// The connection itself, for an event stream once its request head is read.
    pub fn stream(&mut self) -> &mut TcpStream {
        &mut self.stream
    }
}

pub enum Body {
    Bytes(Vec<u8>),
    /// Sent in pieces from the file: serving a large download costs no memory.
    File(std::fs::File, u64),
}

fn head_end(buffer: &[u8]) -> Option<usize> {
    let crlf = buffer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = buffer.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn parse_head(head: &[u8]) -> Result<Head, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.lines();
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed);
    };
    let mut keep_alive = match version.trim_end() {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(HeadError::Malformed),
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" if value.contains("close") => keep_alive = false,
            "connection" if value.contains("keep-alive") => keep_alive = true,
            // A body is not read: the connection could not find the next request.
            "content-length" if value != "0" => keep_alive = false,
            "transfer-encoding" => keep_alive = false,
            _ => {}
        }
    }
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_with_their_connection_wishes() {
        let h = parse_head(b"GET /a/ HTTP/1.1\r\nHost: x\r\n\r\n")
            .ok()
            .unwrap();
        assert_eq!(
            (h.method.as_str(), h.target.as_str(), h.keep_alive),
            ("GET", "/a/", true)
        );
        let h = parse_head(b"GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")
            .ok()
            .unwrap();
        assert!(!h.keep_alive);
        let h = parse_head(b"GET / HTTP/1.0\r\n\r\n").ok().unwrap();
        assert!(!h.keep_alive);
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/9\r\n\r\n",
            b"\xff / HTTP/1.1\r\n\r\n",
        ] {
            assert!(matches!(parse_head(bad), Err(HeadError::Malformed)));
        }
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nGET"), Some(18));
    }
}
