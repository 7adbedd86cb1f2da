//! Forms: a `*.form.toml` file under content/ describes one form. The checked [`Form`] model is
//! the single source for the HTML form (through the theme's templates) and, later, the answers
//! file, its JSON Schema and the PDF.

pub mod attachment;
pub mod budget;
mod check;
mod compute;
pub mod eval;
pub mod expr;
mod file;
mod kind;
mod load;
mod model;
mod public_key;
pub mod schema;
mod submission;
#[cfg(test)]
mod tests;

pub use budget::Budget;
pub use file::file_schema;
pub use kind::{AnswerShape, KindSpec, Rows, TextFormat};
pub use load::{FormFileParsed, parse};
pub use model::{
    Check, ChoiceOption, ElementIds, Field, FieldKind, Form, MarkdownText, Other, Section, ShowIf,
    Submission,
};
pub use public_key::{KEY_ALG, MAX_SEALED_BYTES, MIN_MODULUS_BITS, PublicKey};
pub use submission::{is_iso_date, is_iso_date_shape, percent_encode};
