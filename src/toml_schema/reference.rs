//! The key reference for editors, generated from the schemas.

pub fn markdown() -> String {
    String::new()
}
