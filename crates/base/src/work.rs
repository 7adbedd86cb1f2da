//! A count of the work done on paths whose cost must grow linearly with their input (bytes
//! scanned, ids probed, lines indexed). Tests read it to tell a linear pass from a quadratic
//! one by counting, not by timing. Per thread, so a test measures only its own calls.

use std::cell::Cell;

thread_local! {
    static UNITS: Cell<u64> = const { Cell::new(0) };
}

/// Records `n` units of work (bytes or items looked at).
pub fn add(n: usize) {
    UNITS.with(|u| u.set(u.get().saturating_add(n as u64)));
}

/// The units recorded on this thread since the last call, and starts counting afresh.
pub fn take() -> u64 {
    UNITS.with(|u| u.replace(0))
}
