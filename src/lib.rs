//! Formwerk: a static-site and form-template generator for public-sector publishing.
//!
//! Data flows one way: [`config`] → [`content`] (pages, [`form`]s) → [`render`] (Tera) →
//! [`output`]. [`pipeline`] ties the steps together for `build` and `check`.

pub mod answers;
pub mod answers_command;
pub mod assets;
pub mod cache;
pub mod checks;
pub mod config;
pub mod content;
pub mod control;
pub mod csp;
pub mod diagnostics;
pub mod fault;
pub mod form;
pub mod html;
pub mod incremental;
pub mod init;
pub mod inputs;
pub mod names;
pub mod output;
pub mod parallel;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
pub mod sitewide;
pub mod slug;
pub mod timing;
pub mod toml_schema;
pub mod vars;
pub mod watch;
pub mod work;
