//! The ground floor every other layer of Formwerk stands on: how a problem is reported
//! ([`diagnostics`], with [`control`] for control characters in TOML strings), and how work
//! runs and is observed ([`parallel`], [`fault`] for failures on purpose in tests, [`timing`],
//! [`work`] for counted work).

pub mod control;
pub mod diagnostics;
pub mod fault;
pub mod parallel;
pub mod timing;
pub mod work;
