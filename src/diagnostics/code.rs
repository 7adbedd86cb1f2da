//! The stable codes of diagnostics, shown as `error[code]` and in `formwerk check
//! --message-format json` so that CI systems and editors can tell problems apart and link to
//! their explanation. A code names a kind of problem, not its wording: messages may improve,
//! codes stay. Never rename or reuse one.

/// Defines the [`Code`] enum, a constant for each code (`code::UNKNOWN_KEY`) and `ALL`.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $value:literal;)*) => {
        /// The kind of a problem; one byte, so diagnostics stay small.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        $($(#[$doc])* pub const $name: Code = Code::$name;)*

        /// Every code, for the test that they are distinct.
        pub const ALL: &[Code] = &[$($name),*];

        impl Code {
            /// The code as shown to people and in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $value,)*
                }
            }
        }
    };
}

codes! {
    /// Not yet given a code of its own.
    UNCLASSIFIED = "unclassified";

    // Files and TOML, for every kind of file.
    UNREADABLE_FILE = "unreadable-file";
    NOT_UTF8 = "not-utf8";
    TOML_SYNTAX = "toml-syntax";
    UNKNOWN_KEY = "unknown-key";
    UNKNOWN_VALUE = "unknown-value";
    MISSING_KEY = "missing-key";
    WRONG_TYPE = "wrong-type";

    // The site: formwerk.toml, folders, output.
    MISSING_CONFIG = "missing-config";
    INVALID_VARIABLE_NAME = "invalid-variable-name";
    INVALID_VARIABLE_VALUE = "invalid-variable-value";
    MISSING_CONTENT = "missing-content";
    MISSING_START_PAGE = "missing-start-page";
    STRAY_TOML = "stray-toml";
    OUTPUT_CLASH = "output-clash";
    OUTPUT_IN_SOURCES = "output-in-sources";
    WRITE_FAILED = "write-failed";

    // Pages and Markdown.
    MISSING_FRONT_MATTER = "missing-front-matter";
    EMPTY_TITLE = "empty-title";
    UNKNOWN_VARIABLE = "unknown-variable";
    INVALID_PLACEHOLDER = "invalid-placeholder";
    BROKEN_LINK = "broken-link";
    BROKEN_ANCHOR = "broken-anchor";
    ABSOLUTE_LINK = "absolute-link";
    EMPTY_LINK = "empty-link";
    LINK_OUTSIDE_CONTENT = "link-outside-content";
    LINK_TO_DRAFT = "link-to-draft";
    IMAGE_WITHOUT_ALT = "image-without-alt";

    // Forms.
    EMPTY_VERSION = "empty-version";
    NO_SECTIONS = "no-sections";
    INVALID_ID = "invalid-id";
    DUPLICATE_ID = "duplicate-id";
    MISSING_ID = "missing-id";
    MISSING_LABEL = "missing-label";
    MISSING_TEXT = "missing-text";
    KEY_NOT_FOR_KIND = "key-not-for-kind";
    LINES_OUT_OF_RANGE = "lines-out-of-range";
    MIN_ABOVE_MAX = "min-above-max";
    MISSING_OPTIONS = "missing-options";
    EMPTY_OPTIONS = "empty-options";
    EMPTY_OPTION_LABEL = "empty-option-label";
    INVALID_OPTION_VALUE = "invalid-option-value";
    RESERVED_OPTION_VALUE = "reserved-option-value";
    DUPLICATE_OPTION = "duplicate-option";
    SHOW_IF_UNKNOWN_FIELD = "show-if-unknown-field";
    SHOW_IF_SELF = "show-if-self";
    SHOW_IF_TARGET_KIND = "show-if-target-kind";
    SHOW_IF_VALUE = "show-if-value";

    // Themes and templates.
    UNKNOWN_THEME = "unknown-theme";
    UNKNOWN_LANGUAGE = "unknown-language";
    MISSING_TEMPLATE = "missing-template";
    TEMPLATE_ERROR = "template-error";
    UNSAFE_INLINE_ASSET = "unsafe-inline-asset";
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_distinct_plain_words() {
        let mut seen = std::collections::BTreeSet::new();
        for code in super::ALL.iter().map(|c| c.as_str()) {
            assert!(seen.insert(code), "`{code}` is listed twice");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "`{code}`"
            );
        }
    }
}
