//! Formwerk: a static-site and form-template generator for public-sector publishing.
//!
//! The layers are the workspace's crates (see the workspace's Cargo.toml and
//! docs/architecture.md); this package holds the commands that sit on top of them and the
//! `formwerk` binary: [`init`] (a new site), [`toml_schema`] (the editors' JSON Schemas and
//! key reference), [`answers_command`] (`formwerk answers`), [`upgrade`] (a site of an earlier
//! release onto the built-in theme), [`theme_command`] (`formwerk theme`), [`keys_command`] (`formwerk keys`, the
//! ministry's key pair for encrypted submissions) and [`help`]
//! (`formwerk help`, the editors' guides inside the binary).

pub mod answers_command;
pub mod answers_seal;
pub mod help;
pub mod init;
pub mod keys_command;
pub mod passphrase;
pub mod theme_command;
pub mod toml_schema;
pub mod upgrade;
