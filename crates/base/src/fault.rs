//! Failures on purpose, for tests of what a failure leaves behind. `FORMWERK_FAULT` names one:
//!
//! - `write:N`, `remove:N`, `rename`: the (N+1)th file moved into the output (removed from
//!   it, or the move of a new output folder) fails as on a full disk;
//! - `panic:content/PATH`: rendering that page panics, as a bug would; `panic:FILE` with an
//!   answers file as `formwerk answers` is given it: reading that file panics.
//!
//! Read once per process; unset, each check is one atomic load.

use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

fn spec() -> Option<&'static (String, String)> {
    static SPEC: OnceLock<Option<(String, String)>> = OnceLock::new();
    SPEC.get_or_init(|| {
        let spec = std::env::var("FORMWERK_FAULT").ok()?;
        let (what, arg) = spec.split_once(':').unwrap_or((&spec, ""));
        Some((what.to_string(), arg.to_string()))
    })
    .as_ref()
}

/// An I/O step of moving a build into the output: fails when `FORMWERK_FAULT` says so.
pub fn io(step: &str) -> io::Result<()> {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    match spec() {
        Some((what, after))
            if what == step
                && COUNT.fetch_add(1, Ordering::SeqCst) >= after.parse().unwrap_or(0) =>
        {
            Err(io::Error::other(
                "no space left on device (simulated by FORMWERK_FAULT)",
            ))
        }
        _ => Ok(()),
    }
}

/// Working on the file shown as `page`: panics when `FORMWERK_FAULT` names it.
pub fn panic_point(page: &std::path::Path) {
    if let Some((what, path)) = spec()
        && what == "panic"
        && page == std::path::Path::new(path)
    {
        panic!("simulated by FORMWERK_FAULT");
    }
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}
