//! What a field kind is, stated once per kind: the shape of its answer, the keys it takes
//! and needs, and whether its answer can name an application ([`FieldKind::spec`], one
//! `Spec` per kind below). Everything else follows from the shape: the answers schema, the
//! checks of an answers file, the PDF widget and how it is read back, the answers table's
//! column each match on [`AnswerShape`], never on a list of kinds. A new kind of a known
//! shape is its variant and its `Spec`; a new shape is a variant of [`AnswerShape`], and the
//! compiler lists every `match` that must say what it does with it.

use serde::Serialize;

// The doc comments are the editors' descriptions of the kinds (German), in the JSON Schema
// of form files and the key reference.

/// Die Art eines Feldes (`kind`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Einzeiliges Textfeld.
    Text,
    /// Mehrzeiliges Textfeld, das beim Schreiben mitwächst.
    Textarea,
    /// Zwei Auswahlknöpfe „ja“ und „nein“.
    YesNo,
    /// Auswahlknöpfe: genau eine der `options`.
    Choice,
    /// Ankreuzkästchen: beliebig viele der `options`, auf Wunsch mit „Sonstiges“ (`other`).
    MultiChoice,
    /// Mehrere einzeilige Eintragszeilen (`lines`, Standard 3).
    EntryList,
    /// Datumsfeld.
    Date,
    /// Zahlenfeld, auf Wunsch mit `min`, `max` und `unit`.
    Number,
    /// Feld für eine E-Mail-Adresse; „Eingaben prüfen“ meldet eine Angabe, die keine ist.
    Email,
    /// Feld für eine Telefonnummer (Ziffern, Leerzeichen, `+`, `-`, `/`, Klammern).
    Tel,
    /// Nur Text zwischen den Feldern (`text`, Markdown); fragt nichts.
    Info,
    /// Tabelle mit Zeilen (`columns`, `min_rows`, `max_rows`): eine Zeile je Eintrag,
    /// z. B. Kostenart und Betrag.
    Table,
    /// Wiederholbare Gruppe von Feldern (`fields`, `min`, `max`), z. B. je Maßnahme
    /// Bezeichnung, Beginn und Ziel; nummeriert „Maßnahme 1“, „Maßnahme 2“ …
    Group,
    /// Berechneter Wert (`expr`, `unit`, `decimals`), z. B. `sum(kosten.betrag)`; nicht
    /// eingebbar.
    Computed,
    /// Anlage: Dokumente, die Antragstellende beifügen (`accept`, `max_size`, `max_files`),
    /// z. B. ein Haushaltsplan als PDF. Gedruckt wird nur die Liste der Dateien.
    Attachment,
}

/// How an answer looks in the answers file (docs/antwortdatei.md), and so how it is checked
/// there, written into a PDF and read back, and shown in the answers table. Unlike the page's
/// script, where a date is a text with a format, a date is a shape of its own here: paper and
/// the table write it 31.01.2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerShape {
    /// A string typed into a box (`text`, `textarea`, `email`, `tel`).
    Text {
        /// A box that grows with its text (`textarea`) rather than one line.
        multiline: bool,
        /// What a filled one must look like, checked by „Eingaben prüfen“.
        format: TextFormat,
    },
    /// A date `YYYY-MM-DD` (`date`).
    Date,
    /// A number typed in (`number`).
    Number,
    /// A number the form calculates from other answers (`computed`); nobody types it.
    Calculated,
    /// `true` or `false` (`yes_no`).
    YesNo,
    /// One option's value, or `"other"` with its text under `<id>.other` (`choice`).
    Choice,
    /// The values of the options ticked, `"other"` among them (`multi_choice`).
    Ticks,
    /// The texts of the entry lines (`entry_list`).
    Lines,
    /// One object per row or instance, keyed by the ids of its parts (`table`, `group`).
    Rows(Rows),
    /// Files chosen to go with the answers, each `{name, type, size, sha256, content}`
    /// (`attachment`); listed on paper and in the table, never printed.
    Files,
}

/// What a filled text must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Any,
    /// An e-mail address (`error_email`).
    Email,
    /// A telephone number (`error_tel`).
    Tel,
}

/// What the rows of an [`AnswerShape::Rows`] answer are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// A table's rows: its `columns` side by side, `min_rows` to `max_rows` rows.
    Table,
    /// A repeatable group's instances („Maßnahme 2“): its `fields` each, `min` to `max`
    /// times.
    Group,
}

impl AnswerShape {
    /// Whether the answer is a number someone types (`min`, `max` and `decimals` bound it, a
    /// table writes it with its decimals, a calculation may read it); decided per shape, so
    /// that a new shape must say.
    pub const fn is_typed_number(shape: Option<AnswerShape>) -> bool {
        match shape {
            Some(AnswerShape::Number) => true,
            Some(
                AnswerShape::Text { .. }
                | AnswerShape::Date
                | AnswerShape::Calculated
                | AnswerShape::YesNo
                | AnswerShape::Choice
                | AnswerShape::Ticks
                | AnswerShape::Lines
                | AnswerShape::Rows(_)
                | AnswerShape::Files,
            )
            | None => false,
        }
    }
}

impl Rows {
    /// The kinds its parts (a table's columns, a group's fields) may have, in the order the
    /// checker's message names them.
    pub const fn part_kinds(self) -> &'static [FieldKind] {
        match self {
            Rows::Table => &[FieldKind::Text, FieldKind::Number, FieldKind::Date],
            Rows::Group => &[
                FieldKind::Text,
                FieldKind::Textarea,
                FieldKind::Number,
                FieldKind::Date,
                FieldKind::Email,
                FieldKind::Tel,
            ],
        }
    }
}

/// What a kind is.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    /// Its name in a form file (`kind = "…"`).
    pub name: &'static str,
    /// How its answer looks; `None`: it asks nothing (`info`).
    pub shape: Option<AnswerShape>,
    /// The keys it takes besides `id`, `kind` and, if it asks something, `QUESTION_KEYS`
    /// (the checker refuses others; the schema and the key reference say so).
    pub keys: &'static [&'static str],
    /// The keys it must have besides, if it asks something, `id` and `label`.
    pub needs: &'static [&'static str],
    /// Whether its answer can name an application (`identify`).
    pub identifies: bool,
    /// The `max_length` it has when its form names none.
    pub default_max_length: Option<u32>,
}

/// The keys every kind that asks something takes.
const QUESTION_KEYS: &[&str] = &["label", "hint", "hint_print", "show_if"];

/// The keys every kind that asks something must have.
const QUESTION_NEEDS: &[&str] = &["id", "label"];

const fn text(multiline: bool, format: TextFormat) -> Option<AnswerShape> {
    Some(AnswerShape::Text { multiline, format })
}

const TEXT: KindSpec = KindSpec {
    name: "text",
    shape: text(false, TextFormat::Any),
    keys: &["required", "autocomplete", "placeholder", "max_length"],
    needs: &[],
    identifies: true,
    default_max_length: None,
};

const TEXTAREA: KindSpec = KindSpec {
    name: "textarea",
    shape: text(true, TextFormat::Any),
    keys: &[
        "required",
        "autocomplete",
        "placeholder",
        "rows",
        "max_length",
    ],
    needs: &[],
    identifies: false,
    default_max_length: Some(TEXTAREA_MAX_LENGTH),
};

const YES_NO: KindSpec = KindSpec {
    name: "yes_no",
    shape: Some(AnswerShape::YesNo),
    keys: &["required"],
    needs: &[],
    identifies: false,
    default_max_length: None,
};

const CHOICE: KindSpec = KindSpec {
    name: "choice",
    shape: Some(AnswerShape::Choice),
    keys: &["required", "options", "other"],
    needs: &["options"],
    identifies: true,
    default_max_length: None,
};

const MULTI_CHOICE: KindSpec = KindSpec {
    name: "multi_choice",
    shape: Some(AnswerShape::Ticks),
    keys: &["required", "options", "other"],
    needs: &["options"],
    identifies: false,
    default_max_length: None,
};

const ENTRY_LIST: KindSpec = KindSpec {
    name: "entry_list",
    shape: Some(AnswerShape::Lines),
    keys: &["required", "lines", "placeholder", "max_length"],
    needs: &[],
    identifies: false,
    default_max_length: None,
};

const DATE: KindSpec = KindSpec {
    name: "date",
    shape: Some(AnswerShape::Date),
    keys: &["required"],
    needs: &[],
    identifies: true,
    default_max_length: None,
};

const NUMBER: KindSpec = KindSpec {
    name: "number",
    shape: Some(AnswerShape::Number),
    keys: &["required", "placeholder", "min", "max", "unit", "decimals"],
    needs: &[],
    identifies: true,
    default_max_length: None,
};

const EMAIL: KindSpec = KindSpec {
    name: "email",
    shape: text(false, TextFormat::Email),
    keys: &["required", "autocomplete", "placeholder", "max_length"],
    needs: &[],
    identifies: false,
    default_max_length: None,
};

const TEL: KindSpec = KindSpec {
    name: "tel",
    shape: text(false, TextFormat::Tel),
    keys: &["required", "autocomplete", "placeholder", "max_length"],
    needs: &[],
    identifies: false,
    default_max_length: None,
};

const INFO: KindSpec = KindSpec {
    name: "info",
    shape: None,
    keys: &["text"],
    needs: &["text"],
    identifies: false,
    default_max_length: None,
};

const TABLE: KindSpec = KindSpec {
    name: "table",
    shape: Some(AnswerShape::Rows(Rows::Table)),
    keys: &["required", "columns", "min_rows", "max_rows"],
    needs: &["columns"],
    identifies: false,
    default_max_length: None,
};

// `required` is for the fields of each instance; `min` and `max` count instances.
const GROUP: KindSpec = KindSpec {
    name: "group",
    shape: Some(AnswerShape::Rows(Rows::Group)),
    keys: &["fields", "min", "max"],
    needs: &["fields"],
    identifies: false,
    default_max_length: None,
};

const ATTACHMENT: KindSpec = KindSpec {
    name: "attachment",
    shape: Some(AnswerShape::Files),
    keys: &["required", "accept", "max_size", "max_files"],
    needs: &[],
    identifies: false,
    default_max_length: None,
};

const COMPUTED: KindSpec = KindSpec {
    name: "computed",
    shape: Some(AnswerShape::Calculated),
    keys: &["unit", "decimals", "expr"],
    needs: &["expr"],
    identifies: false,
    default_max_length: None,
};

/// The `max_length` a textarea has when its form names none: about four printed pages, far
/// more than the bundled form's longest honest answers (project descriptions of a few
/// thousand characters), and below Excel's 32,767 characters per cell, so that an answer
/// within it is never cut in the XLSX. Editors may set up to `max_length = 100000`.
pub const TEXTAREA_MAX_LENGTH: u32 = 10_000;

impl FieldKind {
    /// Every kind, in the order of the enum (a test holds it to the enum).
    pub const ALL: [FieldKind; 15] = [
        FieldKind::Text,
        FieldKind::Textarea,
        FieldKind::YesNo,
        FieldKind::Choice,
        FieldKind::MultiChoice,
        FieldKind::EntryList,
        FieldKind::Date,
        FieldKind::Number,
        FieldKind::Email,
        FieldKind::Tel,
        FieldKind::Info,
        FieldKind::Table,
        FieldKind::Group,
        FieldKind::Computed,
        FieldKind::Attachment,
    ];

    /// What the kind is: the one place that says it.
    pub const fn spec(self) -> KindSpec {
        match self {
            FieldKind::Text => TEXT,
            FieldKind::Textarea => TEXTAREA,
            FieldKind::YesNo => YES_NO,
            FieldKind::Choice => CHOICE,
            FieldKind::MultiChoice => MULTI_CHOICE,
            FieldKind::EntryList => ENTRY_LIST,
            FieldKind::Date => DATE,
            FieldKind::Number => NUMBER,
            FieldKind::Email => EMAIL,
            FieldKind::Tel => TEL,
            FieldKind::Info => INFO,
            FieldKind::Table => TABLE,
            FieldKind::Group => GROUP,
            FieldKind::Computed => COMPUTED,
            FieldKind::Attachment => ATTACHMENT,
        }
    }

    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// How its answer looks; `None` for a kind that asks nothing.
    pub const fn shape(self) -> Option<AnswerShape> {
        self.spec().shape
    }

    /// Whether it asks something: all kinds but `info`.
    pub const fn asks(self) -> bool {
        self.shape().is_some()
    }

    /// Whether a field of this kind may have the key `key` (one of `file::KIND_KEYS`).
    pub fn takes(self, key: &str) -> bool {
        (self.asks() && QUESTION_KEYS.contains(&key)) || self.spec().keys.contains(&key)
    }

    /// Whether a field of this kind must have the key `key`.
    pub fn needs(self, key: &str) -> bool {
        (self.asks() && QUESTION_NEEDS.contains(&key)) || self.spec().needs.contains(&key)
    }

    /// Whether the theme renders it as a fieldset with a legend: several controls answer it.
    pub(crate) fn is_group(self) -> bool {
        match self.shape() {
            Some(
                AnswerShape::YesNo | AnswerShape::Choice | AnswerShape::Ticks | AnswerShape::Lines,
            ) => true,
            Some(
                AnswerShape::Text { .. }
                | AnswerShape::Date
                | AnswerShape::Number
                | AnswerShape::Calculated
                | AnswerShape::Rows(_)
                | AnswerShape::Files,
            )
            | None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_holds_every_kind_once_by_its_name() {
        // With their doc comments, the variants are `oneOf` constants.
        let schema = serde_json::to_value(schemars::schema_for!(FieldKind)).unwrap();
        let names: Vec<&str> = schema["oneOf"]
            .as_array()
            .expect("the kinds")
            .iter()
            .filter_map(|v| v["const"].as_str())
            .collect();
        let all: Vec<&str> = FieldKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(all, names, "FieldKind::ALL and the names in the specs");
        for kind in FieldKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
    }
}
