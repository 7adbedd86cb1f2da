//! The stable codes of diagnostics, shown as `error[code]` and in `formwerk check
//! --message-format json` so that CI systems and editors can tell problems apart and link to
//! their explanation. A code names a kind of problem, not its wording: messages may improve,
//! codes stay. Never rename or reuse one.

/// Defines the [`Code`] enum with each code's name and German explanation, a constant for
/// each code (`code::UNKNOWN_KEY`) and `ALL`.
macro_rules! codes {
    ($($name:ident = $value:literal, $explanation:literal;)*) => {
        /// The kind of a problem; one byte, so diagnostics stay small.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $explanation] $name,)*
        }

        $(#[doc = $explanation] pub const $name: Code = Code::$name;)*

        /// Every code, for the test that they are distinct.
        pub const ALL: &[Code] = &[$($name),*];

        impl Code {
            /// The code as shown to people and in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $value,)*
                }
            }

            /// What the problem is, in German for editors (the list in docs/einstellungen.md).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$name => $explanation,)*
                }
            }
        }
    };
}

codes! {
    UNCLASSIFIED = "unclassified", "Ein Problem ohne eigenen Code (bitte melden).";

    // Files and TOML, for every kind of file.
    UNREADABLE_FILE = "unreadable-file", "Die Datei lässt sich nicht lesen.";
    NOT_UTF8 = "not-utf8", "Die Datei ist nicht als UTF-8 gespeichert.";
    TOML_SYNTAX = "toml-syntax", "Die Datei ist kein gültiges TOML (z. B. fehlendes Anführungszeichen, doppelter Schlüssel).";
    UNKNOWN_KEY = "unknown-key", "Unbekannter Schlüssel, meist ein Tippfehler; der Hinweis nennt den passenden.";
    UNKNOWN_VALUE = "unknown-value", "Unbekannter Wert aus einer festen Liste, z. B. eine Feldart (`kind`).";
    MISSING_KEY = "missing-key", "Ein Pflichtschlüssel fehlt.";
    WRONG_TYPE = "wrong-type", "Ein Wert hat die falsche Art, z. B. `\"ja\"` statt `true` oder Text statt Zahl.";
    CONTROL_CHARACTER = "control-character", "Ein Escape in einem TOML-Text (`\\u0007`, `\\b`) erzeugt ein Steuerzeichen, das keine Webseite zeigen kann.";

    // The site: formwerk.toml, folders, output.
    MISSING_CONFIG = "missing-config", "Im Ordner der Website fehlt `formwerk.toml`.";
    INVALID_VARIABLE_NAME = "invalid-variable-name", "Ein Variablenname unter `[variables]` ist ungültig.";
    INVALID_VARIABLE_VALUE = "invalid-variable-value", "Eine Variable ist eine Liste oder Tabelle statt eines einzelnen Wertes.";
    INVALID_NAME = "invalid-name", "`theme` oder `language` in `formwerk.toml` ist kein einfacher Name (etwa `../anderes`).";
    INVALID_BASE_URL = "invalid-base-url", "`base_url` in `formwerk.toml` ist keine vollständige Adresse mit `https://` (oder `http://`), etwa `https://www.beispiel.de/formulare/`, oder hat einen Teil, der dort nicht stehen kann (Leerzeichen, `?…`, `#…`, Name und Passwort).";
    MISSING_CONTENT = "missing-content", "Der Ordner `content/` fehlt.";
    MISSING_START_PAGE = "missing-start-page", "Die Startseite `content/_index.md` fehlt.";
    STRAY_TOML = "stray-toml", "Eine TOML-Datei in `content/` ist kein Formular (Name muss auf `.form.toml` enden).";
    OUTPUT_CLASH = "output-clash", "Zwei Dateien würden an dieselbe Stelle der Website geschrieben.";
    OUTPUT_IN_SOURCES = "output-in-sources", "Der Ausgabeordner ist oder enthält Quellen der Website.";
    WRITE_FAILED = "write-failed", "Eine Datei der Website ließ sich nicht schreiben.";
    OUTPUT_NOT_OURS = "output-not-ours", "Den Ausgabeordner gibt es schon, und Formwerk hat ihn nicht angelegt: Er wird nicht geleert, der Bau bricht ab.";
    OUTPUT_NOT_FOLDER = "output-not-folder", "Der Ausgabepfad ist eine Datei, kein Ordner.";
    BUILD_RUNNING = "build-running", "Ein anderer Bau schreibt gerade in denselben Ausgabeordner; nach seinem Ende erneut bauen.";
    SYMLINK_OUTSIDE_SITE = "symlink-outside-site", "Ein symbolischer Link in `content/` zeigt aus dem Ordner der Website hinaus; solche Dateien werden nicht veröffentlicht.";
    BROKEN_SYMLINK = "broken-symlink", "Ein symbolischer Link in `content/` zeigt ins Leere oder im Kreis.";
    PRIVATE_KEY_IN_SITE = "private-key-in-site", "Im Ordner der Website liegt ein privater Schlüssel (Schlüsseldatei, privater JWK oder PEM); er würde mit der Website veröffentlicht und gehört an einen Ort, den nur die Sachbearbeitung erreicht.";
    INTERNAL_ERROR = "internal-error", "Ein Fehler in Formwerk selbst (bitte melden); geschrieben wurde nichts.";

    // Pages and Markdown.
    MISSING_FRONT_MATTER = "missing-front-matter", "Eine Seite beginnt nicht mit der Titelei zwischen `+++`-Zeilen.";
    UNCLOSED_FRONT_MATTER = "unclosed-front-matter", "Die Titelei einer Seite wird nicht mit einer `+++`-Zeile geschlossen.";
    DUPLICATE_HEADING_ID = "duplicate-heading-id", "Eine Kennung `{#…}` einer Überschrift ist auf der Seite schon vergeben (an eine Überschrift oder ein Formularfeld).";
    HEADING_ID_COLLISION = "heading-id-collision", "Eine Kennung `{#…}` ist die, die eine andere Überschrift aus ihrem Titel bekommt.";
    EMPTY_TITLE = "empty-title", "Der Titel einer Seite oder eines Formulars ist leer.";
    UNKNOWN_VARIABLE = "unknown-variable", "`{{ name }}` nennt eine Variable, die es nicht gibt.";
    INVALID_PLACEHOLDER = "invalid-placeholder", "Zwischen `{{` und `}}` steht kein Variablenname.";
    BROKEN_LINK = "broken-link", "Ein Link zeigt auf eine Datei, die es nicht gibt.";
    BROKEN_ANCHOR = "broken-anchor", "Ein Link zeigt auf ein `#sprungziel`, das es auf der Zielseite nicht gibt.";
    ABSOLUTE_LINK = "absolute-link", "Ein Link beginnt mit `/` und bricht, wenn die Website von der Festplatte geöffnet wird.";
    EMPTY_LINK = "empty-link", "Ein Link hat kein Ziel.";
    LINK_OUTSIDE_CONTENT = "link-outside-content", "Ein Link zeigt aus `content/` heraus.";
    LINK_TO_DRAFT = "link-to-draft", "Ein Link zeigt auf einen Entwurf (`draft = true`), der nicht veröffentlicht wird.";
    IMAGE_WITHOUT_ALT = "image-without-alt", "Einem Bild fehlt der Alternativtext.";

    // Forms.
    EMPTY_VERSION = "empty-version", "Die Fassung (`version`) eines Formulars ist leer.";
    NO_SECTIONS = "no-sections", "Ein Formular hat keine Abschnitte.";
    INVALID_ID = "invalid-id", "Eine Kennung (`id`) enthält andere Zeichen als Kleinbuchstaben, Ziffern und `_`.";
    DUPLICATE_ID = "duplicate-id", "Eine Kennung (`id`) kommt im Formular zweimal vor.";
    DUPLICATE_FORM_ID = "duplicate-form-id", "Zwei Formulare der Website haben dieselbe Kennung; Entwürfe und Antwortdateien würden verwechselt.";
    MISSING_ID = "missing-id", "Einem Feld fehlt die Kennung (`id`).";
    MISSING_LABEL = "missing-label", "Einem Feld fehlt die Frage (`label`).";
    MISSING_TEXT = "missing-text", "Einem `info`-Feld fehlt der Text (`text`).";
    KEY_NOT_FOR_KIND = "key-not-for-kind", "Ein Schlüssel passt nicht zur Feldart, z. B. `options` bei `text`.";
    LINES_OUT_OF_RANGE = "lines-out-of-range", "`lines` liegt nicht zwischen 1 und 50.";
    MIN_ABOVE_MAX = "min-above-max", "`min` ist größer als `max`.";
    NOT_A_NUMBER = "not-a-number", "`min` oder `max` ist `nan` oder `inf` statt einer Zahl.";
    SIZE_OUT_OF_RANGE = "size-out-of-range", "`rows` liegt nicht zwischen 1 und 50, `max_length` nicht zwischen 1 und 100 000 oder `max_files` nicht zwischen 1 und 10.";
    INVALID_FILE_SIZE = "invalid-file-size", "`max_size` einer Anlage ist keine Größe wie `\"10 MB\"` oder `\"500 KB\"`, oder größer als 10 MB.";
    INVALID_ACCEPT = "invalid-accept", "Ein Eintrag in `accept` ist weder eine Dateiendung (`\".pdf\"`) noch ein MIME-Typ (`\"application/pdf\"`).";
    EMPTY_OTHER_LABEL = "empty-other-label", "Der Text der Antwort „Sonstiges“ (`other`) ist leer.";
    MISSING_OPTIONS = "missing-options", "Einer Auswahl fehlen die Antwortmöglichkeiten (`options`).";
    EMPTY_OPTIONS = "empty-options", "Die Liste der Antwortmöglichkeiten ist leer.";
    EMPTY_OPTION_LABEL = "empty-option-label", "Eine Antwortmöglichkeit hat keinen Text.";
    INVALID_OPTION_VALUE = "invalid-option-value", "Die Kennung (`value`) einer Antwort enthält unerlaubte Zeichen.";
    RESERVED_OPTION_VALUE = "reserved-option-value", "Die Kennung `other` ist der Antwort „Sonstiges“ vorbehalten.";
    DUPLICATE_OPTION = "duplicate-option", "Eine Antwortmöglichkeit kommt zweimal vor.";
    SHOW_IF_UNKNOWN_FIELD = "show-if-unknown-field", "`show_if` nennt ein Feld, das es im Formular nicht gibt.";
    SHOW_IF_SELF = "show-if-self", "Ein Feld hängt in `show_if` von sich selbst ab.";
    SHOW_IF_CYCLE = "show-if-cycle", "`show_if`-Bedingungen hängen im Kreis voneinander ab; diese Felder würden nie angezeigt.";
    SHOW_IF_TARGET_KIND = "show-if-target-kind", "`show_if` hängt von einem Feld ab, das keine vergleichbare Antwort hat (`info`, `entry_list`).";
    SHOW_IF_VALUE = "show-if-value", "Der Vergleichswert (`equals`) passt nicht zum genannten Feld.";
    MISSING_PARTS = "missing-columns", "Eine Tabelle hat keine `columns` oder eine wiederholbare Gruppe keine `fields`.";
    PART_KIND = "column-kind", "Eine Spalte oder ein Feld einer Gruppe hat eine Feldart, die dort nicht geht.";
    MISSING_EXPR = "missing-expr", "Ein berechnetes Feld (`computed`) hat keine Berechnung (`expr`).";
    EXPR_SYNTAX = "expr-syntax", "Eine Berechnung oder Prüfregel ist kein gültiger Ausdruck.";
    EXPR_UNKNOWN_FIELD = "expr-unknown-field", "Eine Berechnung oder Prüfregel nennt ein Feld, das es im Formular nicht gibt.";
    EXPR_UNKNOWN_COLUMN = "expr-unknown-column", "Eine Berechnung oder Prüfregel nennt eine Spalte, die es in der Tabelle oder Gruppe nicht gibt.";
    EXPR_TYPE = "expr-type", "In einer Berechnung oder Prüfregel passen die Werte nicht zusammen (Zahl, Wahrheitswert, Text).";
    EXPR_NEEDS_AGGREGATE = "expr-needs-aggregate", "Eine Spalte (ein Wert je Zeile) steht ohne `sum`, `min` oder `max` in einer Berechnung oder Prüfregel.";
    COMPUTED_CYCLE = "computed-cycle", "Berechnete Felder hängen im Kreis voneinander ab.";
    INVALID_SUBMISSION = "invalid-submission", "Eine Angabe im Block `[submission]` ist ungültig (Frist kein Datum, keine E-Mail-Adresse).";
    ENCRYPT_KEY = "encrypt-key", "Der Schlüssel aus `[submission] encrypt_to` fehlt oder taugt nicht zum Verschlüsseln (kein öffentlicher RSA-Schlüssel mit 4096 Bit für RSA-OAEP-256, `use` \"enc\", ohne `kid`, oder ein privater Schlüssel).";
    IDENTIFY_FIELD = "identify-field", "`identify` nennt kein Feld des Formulars, oder eines, dessen Antwort einen Antrag nicht benennen kann.";
    NO_SUBMISSION = "no-submission", "Warnung: Das Formular sagt nicht, wie es eingereicht wird (kein Block `[submission]`).";

    // Legally required pages.
    NO_LEGAL_PAGE = "no-legal-page", "Warnung: Impressum, Datenschutzerklärung oder Erklärung zur Barrierefreiheit sind unter `[legal]` in `formwerk.toml` nicht angegeben.";
    LEGAL_PAGE_NOT_FOUND = "legal-page-not-found", "Eine Seite unter `[legal]` gibt es in `content/` nicht.";

    // Themes and templates.
    UNKNOWN_THEME = "unknown-theme", "Das Theme aus `formwerk.toml` ist nicht installiert.";
    UNKNOWN_LANGUAGE = "unknown-language", "Das Theme hat keine Texte für die Sprache aus `formwerk.toml`.";
    MISSING_TEMPLATE = "missing-template", "Eine Vorlage gibt es nicht.";
    TEMPLATE_ERROR = "template-error", "Fehler in einer Vorlage (Syntax, unbekannte Variable, fehlender Text des Themes).";
    UNSAFE_INLINE_ASSET = "unsafe-inline-asset", "CSS oder JavaScript des Themes enthält `</` und kann nicht eingebettet werden.";
    INVALID_LOOK = "invalid-look", "Ein Wert unter `[look]` in `formwerk.toml` ist keine Farbe (`#rrggbb`), hat zu wenig Kontrast auf Weiß (mindestens 4,5:1) oder ist kein Bild in `static/`.";
    OLD_THEME_COPY = "old-theme-copy", "Die Website enthält unter `themes/` eine Kopie des Erscheinungsbilds einer früheren Formwerk-Version; `formwerk upgrade` entfernt die unveränderten Dateien, damit das eingebaute gilt.";
    EJECTED_OUTDATED = "ejected-outdated", "Eine mit `formwerk theme eject` kopierte Vorlage oder Datei beruht auf einer Fassung, die Formwerk seither geändert hat (`formwerk theme show` zeigt die neue).";
    UNHASHED_ASSET_LINK = "unhashed-asset-link", "Eine Vorlage verlinkt CSS oder JavaScript aus `static/` mit dem Namen ohne Prüfsumme; die Website enthält die Datei nur mit Prüfsumme im Namen (`{{ root }}{{ assets[\"formwerk.css\"] }}` schreiben).";
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
