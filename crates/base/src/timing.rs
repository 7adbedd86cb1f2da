//! Per-phase timings of a build, printed by `formwerk build --timings`: to see where the time
//! goes before optimising anything.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static PHASES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Runs `f`, recording how long it took under `name` when timings are enabled.
pub fn phase<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let start = Instant::now();
    let result = f();
    PHASES
        .lock()
        .expect("timings")
        .push((name, start.elapsed()));
    result
}

/// Records a phase that was timed by hand.
pub fn record(name: &'static str, took: Duration) {
    if ENABLED.load(Ordering::Relaxed) {
        PHASES.lock().expect("timings").push((name, took));
    }
}

/// The recorded phases as lines, in the order they ended.
pub fn report() -> String {
    PHASES
        .lock()
        .expect("timings")
        .iter()
        .map(|(name, d)| format!("{name:>12}: {:8.1} ms\n", d.as_secs_f64() * 1000.0))
        .collect()
}
