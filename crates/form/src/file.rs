//! The form file as written: serde types that reject unknown keys and keep every value's
//! span, so that the checker can point at it. The same types give the JSON Schema editors
//! use for completion (`formwerk schema`) and the key reference in docs/: their doc comments
//! are the editors' descriptions of the keys, in German.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::model::FieldKind;

/// What the checker accepts as a form, section or field id (`Checker::check_id`).
const ID_PATTERN: &str = r"^[a-z][a-z0-9_]*$";

/// Ein Formular (`*.form.toml` unter `content/`): Titel, Fassung und Abschnitte mit Feldern.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct FormFile {
    /// Feste Kennung des Formulars (Kleinbuchstaben, Ziffern, `_`; beginnt mit einem
    /// Buchstaben). Antwortdateien tragen sie. Ohne Angabe wird sie aus dem Dateinamen gebildet.
    #[serde(default)]
    #[schemars(with = "String", regex(pattern = ID_PATTERN))]
    pub(super) id: Option<Spanned<String>>,
    /// Name des Formulars, als Überschrift und im Browser-Tab. `{{ variablen }}` sind erlaubt.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    pub(super) title: Spanned<String>,
    /// Zeile über dem Namen, z. B. „Gliederung für die“.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) pretitle: Option<Spanned<String>>,
    /// Zeile unter dem Namen, z. B. „zum Antrag auf …“.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) subtitle: Option<Spanned<String>>,
    /// Fassung des Formulars, z. B. `"2026-1"`. Gespeicherte Antworten werden ihr zugeordnet:
    /// bei jeder inhaltlichen Änderung erhöhen.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    pub(super) version: Spanned<String>,
    /// Kurzbeschreibung für Suchmaschinen und Übersichtslisten (einfacher Text).
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) description: Option<Spanned<String>>,
    /// Einleitender Text über dem ersten Abschnitt, in Markdown.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) intro: Option<Spanned<String>>,
    /// Reihenfolge in Listen und Navigation: kleinere Zahlen stehen weiter oben (Standard 0).
    #[serde(default)]
    pub(super) weight: i64,
    /// `true`: Entwurf, wird nicht veröffentlicht.
    #[serde(default)]
    pub(super) draft: bool,
    /// Andere Vorlage als `form.html` aus `templates/` oder dem Theme.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) template: Option<Spanned<String>>,
    /// Ob neben der Formularseite ein ausfüllbares PDF-Formular (`<id>.pdf`) erzeugt und
    /// verlinkt wird. Voreinstellung: `true`; `pdf = false` schaltet es für dieses Formular ab.
    #[serde(default)]
    pub(super) pdf: Option<bool>,
    /// Die Abschnitte des Formulars (`[[sections]]`), in dieser Reihenfolge als 1., 2., 3. …
    /// nummeriert. Mindestens einer.
    #[schemars(with = "Vec<SectionFile>", length(min = 1))]
    pub(super) sections: Spanned<Vec<SectionFile>>,
    /// Wie Antragstellende das ausgefüllte Formular einreichen: Frist, Empfänger, E-Mail-Adresse,
    /// Form und Unterschrift. Jede Angabe ist optional; die Texte liefert das Ministerium.
    #[serde(default)]
    #[schemars(with = "Option<SubmissionFile>")]
    pub(super) submission: Option<Spanned<SubmissionFile>>,
    /// Prüfregeln über mehrere Felder (`[[checks]]`), z. B. dass die Finanzierung die Kosten
    /// deckt; „Eingaben prüfen“ meldet jede verletzte Regel mit ihrem Text.
    #[serde(default)]
    pub(super) checks: Vec<CheckFile>,
    /// Kennung des Feldes, das eine Antwortdatei benennt (z. B. `"name"` für den Namen der
    /// Kommune): Betreff der E-Mail, Spalte und Doppelprüfung im Posteingang.
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = ID_PATTERN))]
    pub(super) identify: Option<Spanned<String>>,
}

/// Der Block `[submission]`: so wird das ausgefüllte Formular eingereicht.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SubmissionFile {
    /// Einreichungsfrist als Datum, z. B. `deadline = 2026-03-31`. Nach Ablauf sagt die Seite
    /// das (entschieden im Browser, nicht beim Bauen).
    #[serde(default)]
    #[schemars(schema_with = "date_schema")]
    pub(super) deadline: Option<Spanned<toml::Value>>,
    /// Empfänger in Markdown: Stelle und Anschrift.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) recipient: Option<Spanned<String>>,
    /// E-Mail-Adresse für den Link „E-Mail schreiben“ (mailto).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) email: Option<Spanned<String>>,
    /// Wie eingereicht wird, in Markdown: Form, Anlagen, Zahl der Ausfertigungen.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) how: Option<Spanned<String>>,
    /// `true`: der ausgedruckte Antrag bekommt Zeilen für „Ort, Datum“ und „Unterschrift“.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub(super) signature: Option<Spanned<bool>>,
    /// Öffentlicher Schlüssel des Ministeriums (JWK-Datei, Pfad vom Ordner der Website aus,
    /// z. B. `encrypt_to = "schluessel/ministerium.jwk"`). Dann speichert die Seite die
    /// Antworten zum Einreichen verschlüsselt (`.jwe`); nur das Ministerium kann sie öffnen.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) encrypt_to: Option<Spanned<String>>,
}

/// Eine Prüfregel (`[[checks]]`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckFile {
    /// Die Regel als Ausdruck, der wahr sein muss, z. B.
    /// `"sum(finanzierung.betrag) == kosten_gesamt"` (Sprache wie bei `expr`; Spalten nur in
    /// `sum`, `min` oder `max`).
    #[schemars(with = "String")]
    pub(super) rule: Spanned<String>,
    /// Die Meldung, wenn die Regel nicht erfüllt ist, wie Antragstellende sie lesen.
    #[schemars(with = "String")]
    pub(super) message: Spanned<String>,
}

/// A TOML date (`2026-03-31`) or the same as text.
fn date_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "format": "date" })
}

/// The JSON Schema of a form file, from the types that load it.
pub fn file_schema(generator: schemars::SchemaGenerator) -> schemars::Schema {
    generator.into_root_schema_for::<FormFile>()
}

/// Ein Abschnitt des Formulars (`[[sections]]`) mit Überschrift und Feldern.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionFile {
    /// Feste Kennung des Abschnitts (Kleinbuchstaben, Ziffern, `_`; beginnt mit einem
    /// Buchstaben); Sprungziel `#kennung`. Im Formular nur einmal (auch nicht als Feld-`id`).
    #[schemars(with = "String", regex(pattern = ID_PATTERN))]
    pub(super) id: Spanned<String>,
    /// Überschrift des Abschnitts (ohne Nummer; die wird vorangestellt).
    #[schemars(with = "String")]
    pub(super) title: Spanned<String>,
    /// Text vor den Fragen des Abschnitts, in Markdown.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) intro: Option<Spanned<String>>,
    /// Die Felder des Abschnitts (`[[sections.fields]]`), in dieser Reihenfolge.
    #[serde(default)]
    pub(super) fields: Vec<FieldFile>,
}

/// Ein Feld (`[[sections.fields]]`): eine Frage oder, mit `kind = "info"`, ein Text zwischen
/// den Fragen.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = kind_rules)]
pub(super) struct FieldFile {
    /// Feste Kennung (Kleinbuchstaben, Ziffern, `_`; beginnt mit einem Buchstaben), z. B.
    /// `name_der_kommune`. Unter ihr werden die Antworten gespeichert: nach der
    /// Veröffentlichung nicht mehr ändern. Pflicht außer bei `info`; im Formular nur einmal.
    #[serde(default)]
    #[schemars(with = "String", regex(pattern = ID_PATTERN))]
    pub(super) id: Option<Spanned<String>>,
    /// Die Feldart: bestimmt, was Antragstellende sehen und welche weiteren Schlüssel passen.
    #[schemars(with = "FieldKind")]
    pub(super) kind: Spanned<FieldKind>,
    /// Die Frage, wie Antragstellende sie lesen. Pflicht außer bei `info`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) label: Option<Spanned<String>>,
    /// Erläuterung unter der Frage (einfacher Text). Nicht bei `info`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) hint: Option<Spanned<String>>,
    /// Ob der Hinweis (`hint`) auch gedruckt wird. Standard: ja. `hint_print = false` für
    /// Hinweise, die nur am Bildschirm stimmen, etwa „Die Zelle vergrößert sich automatisch.“
    #[serde(default)]
    #[schemars(with = "bool")]
    pub(super) hint_print: Option<Spanned<bool>>,
    /// Nur bei `text`, `textarea`, `email` und `tel`: wofür das Feld steht, damit der Browser
    /// es aus gespeicherten Angaben ausfüllen kann (WCAG 1.3.5), zum Beispiel
    /// `"organization"`, `"street-address"`, `"name"`, `"tel"`, `"email"`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) autocomplete: Option<Spanned<String>>,
    /// `true`: Pflichtfeld, angezeigt als „(Pflichtfeld)“ und beim Prüfen der Eingaben verlangt.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub(super) required: Option<Spanned<bool>>,
    /// Nur bei `info` und dort Pflicht: der anzuzeigende Text, in Markdown.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) text: Option<Spanned<String>>,
    /// Nur bei `choice` und `multi_choice` und dort Pflicht: die Antwortmöglichkeiten, als
    /// Texte (`["Bevölkerung", "Soziales"]`; die Kennung wird aus dem Text gebildet) oder als
    /// Tabellen mit fester Kennung (`{ value = "soziales", label = "Soziales" }`).
    #[serde(default)]
    #[schemars(with = "Vec<OptionFile>", length(min = 1))]
    pub(super) options: Option<Spanned<Vec<Spanned<OptionFile>>>>,
    /// Nur bei `choice` und `multi_choice`: fügt eine Antwort „Sonstiges“ mit diesem Text und
    /// einem Eintragsfeld hinzu; ihre Kennung ist `other`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) other: Option<Spanned<String>>,
    /// Nur bei `entry_list`: Anzahl der Eintragszeilen, 1 bis 50 (Standard 3).
    #[serde(default)]
    #[schemars(with = "u32", range(min = 1, max = 50))]
    pub(super) lines: Option<Spanned<u32>>,
    /// Nur bei `text`, `textarea`, `email`, `tel`, `entry_list` und `number`: grauer
    /// Beispieltext im leeren Feld, z. B. „hier eintragen“.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) placeholder: Option<Spanned<String>>,
    /// Nur bei `textarea`: Anfangshöhe in Zeilen (Standard 5); das Feld wächst beim Schreiben.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub(super) rows: Option<Spanned<u32>>,
    /// Nur bei `text`, `textarea`, `email`, `tel` und `entry_list`: höchstens so viele Zeichen
    /// (1 bis 100 000). Ein `textarea` ohne Angabe nimmt höchstens 10 000 Zeichen.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub(super) max_length: Option<Spanned<u32>>,
    /// Nur bei `number`: kleinster erlaubter Wert; bei `group`: wie oft die Gruppe
    /// mindestens ausgefüllt wird (Standard 1).
    #[serde(default)]
    #[schemars(with = "f64")]
    pub(super) min: Option<Spanned<f64>>,
    /// Nur bei `number`: größter erlaubter Wert; bei `group`: wie oft die Gruppe höchstens
    /// ausgefüllt wird (Standard 20).
    #[serde(default)]
    #[schemars(with = "f64")]
    pub(super) max: Option<Spanned<f64>>,
    /// Nur bei `number` und `computed`: Einheit hinter dem Wert, z. B. `"€"` oder
    /// `"Personen"`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) unit: Option<Spanned<String>>,
    /// Nur bei `number` (auch als Spalte) und `computed`: Nachkommastellen, 0 bis 6, z. B.
    /// `decimals = 2` für Euro und Cent. Angezeigt wird deutsch: `1.234,56`.
    #[serde(default)]
    #[schemars(with = "u32", range(max = 6))]
    pub(super) decimals: Option<Spanned<u32>>,
    /// Nur bei `table` und dort Pflicht: die Spalten, jede mit `id`, `kind` (`text`, `number`
    /// oder `date`) und `label`, z. B.
    /// `{ id = "betrag", kind = "number", label = "Betrag", unit = "€", decimals = 2 }`.
    #[serde(default)]
    #[schemars(with = "Vec<FieldFile>", length(min = 1))]
    pub(super) columns: Option<Spanned<Vec<FieldFile>>>,
    /// Nur bei `group` und dort Pflicht: die Felder einer Gruppe (`text`, `textarea`,
    /// `number`, `date`, `email`, `tel`), z. B.
    /// `{ id = "titel", kind = "text", label = "Bezeichnung", required = true }`.
    #[serde(default)]
    #[schemars(with = "Vec<FieldFile>", length(min = 1))]
    pub(super) fields: Option<Spanned<Vec<FieldFile>>>,
    /// Nur bei `table`: so viele Zeilen mindestens (Standard 1); ohne JavaScript und auf dem
    /// leeren Ausdruck stehen mindestens 5 leere Zeilen.
    #[serde(default)]
    #[schemars(with = "u32", range(min = 0, max = 200))]
    pub(super) min_rows: Option<Spanned<u32>>,
    /// Nur bei `table`: so viele Zeilen höchstens (Standard 30, höchstens 200).
    #[serde(default)]
    #[schemars(with = "u32", range(min = 1, max = 200))]
    pub(super) max_rows: Option<Spanned<u32>>,
    /// Nur bei `computed` und dort Pflicht: die Berechnung, z. B. `"sum(kosten.betrag)"`:
    /// Zahlen, Feldkennungen, `tabelle.spalte`, `+ - * /`, Vergleiche, `sum`, `min`, `max`,
    /// `round`, `if` (docs/formulare.md).
    #[serde(default)]
    #[schemars(with = "String")]
    pub(super) expr: Option<Spanned<String>>,
    /// Nur bei `attachment`: welche Dateien angenommen werden, als Dateiendungen oder
    /// MIME-Typen, z. B. `[".pdf", "application/pdf"]`. Ohne Angabe jede Datei.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(super) accept: Option<Spanned<Vec<Spanned<String>>>>,
    /// Nur bei `attachment`: größte Datei, z. B. `"10 MB"` oder `"500 KB"`; höchstens
    /// `"10 MB"` (Standard).
    #[serde(default)]
    #[schemars(
        with = "String",
        regex(
            pattern = r"^\s*\d+([.,]\d+)?\s*(B|Byte|Bytes|KB|KiB|MB|MiB|b|byte|bytes|kb|kib|mb|mib)\s*$"
        )
    )]
    pub(super) max_size: Option<Spanned<String>>,
    /// Nur bei `attachment`: so viele Dateien höchstens, 1 bis 10 (Standard 1).
    #[serde(default)]
    #[schemars(with = "u32", range(min = 1, max = 10))]
    pub(super) max_files: Option<Spanned<u32>>,
    /// Das Feld nur zeigen, wenn ein anderes Feld eine bestimmte Antwort hat, z. B.
    /// `{ field = "teilnahme", equals = true }`. Nicht bei `info`.
    #[serde(default)]
    #[schemars(with = "ShowIfFile")]
    pub(super) show_if: Option<Spanned<ShowIfFile>>,
}

/// The keys of a field that some kinds take and others do not, in the order the schema and
/// the key reference give their rules. Which kinds take a key and which need it, each kind
/// says ([`FieldKind::spec`]); the checker reports any other use, the schema forbids it, the
/// key reference lists the kinds.
pub(super) const KIND_KEYS: &[&str] = &[
    "label",
    "hint",
    "required",
    "show_if",
    "text",
    "options",
    "other",
    "lines",
    "hint_print",
    "autocomplete",
    "placeholder",
    "rows",
    "max_length",
    "min",
    "max",
    "unit",
    "decimals",
    "columns",
    "fields",
    "min_rows",
    "max_rows",
    "expr",
    "accept",
    "max_size",
    "max_files",
];

/// The kinds that take `key`, in the order of the enum.
pub(super) fn kinds_taking(key: &str) -> Vec<FieldKind> {
    FieldKind::ALL
        .into_iter()
        .filter(|k| k.takes(key))
        .collect()
}

impl FieldFile {
    /// Where a kind-specific key was written, if it was.
    pub(super) fn key_span(&self, name: &str) -> Option<Range<usize>> {
        fn at<T>(v: &Option<Spanned<T>>) -> Option<Range<usize>> {
            v.as_ref().map(Spanned::span)
        }
        match name {
            "id" => at(&self.id),
            "label" => at(&self.label),
            "hint" => at(&self.hint),
            "hint_print" => at(&self.hint_print),
            "autocomplete" => at(&self.autocomplete),
            "required" => at(&self.required),
            "show_if" => at(&self.show_if),
            "text" => at(&self.text),
            "options" => at(&self.options),
            "other" => at(&self.other),
            "lines" => at(&self.lines),
            "placeholder" => at(&self.placeholder),
            "rows" => at(&self.rows),
            "max_length" => at(&self.max_length),
            "min" => at(&self.min),
            "max" => at(&self.max),
            "unit" => at(&self.unit),
            "decimals" => at(&self.decimals),
            "columns" => at(&self.columns),
            "fields" => at(&self.fields),
            "min_rows" => at(&self.min_rows),
            "max_rows" => at(&self.max_rows),
            "expr" => at(&self.expr),
            "accept" => at(&self.accept),
            "max_size" => at(&self.max_size),
            "max_files" => at(&self.max_files),
            _ => None,
        }
    }
}

/// The kinds' keys as JSON Schema conditions on a field: for each of [`KIND_KEYS`], "if the
/// key is there, `kind` is one of …"; then for `id` and each of them that some kind needs,
/// "if `kind` is one of …, the key is there".
fn kind_rules(schema: &mut schemars::Schema) {
    let names = |kinds: Vec<FieldKind>| kinds.iter().map(|k| k.name()).collect::<Vec<_>>();
    let mut rules: Vec<serde_json::Value> = KIND_KEYS
        .iter()
        .map(|key| {
            serde_json::json!({
                "if": { "required": [key] },
                "then": { "properties": { "kind": { "enum": names(kinds_taking(key)) } } }
            })
        })
        .collect();
    for key in std::iter::once(&"id").chain(KIND_KEYS) {
        let needing: Vec<FieldKind> = FieldKind::ALL
            .into_iter()
            .filter(|k| k.needs(key))
            .collect();
        if !needing.is_empty() {
            rules.push(serde_json::json!({
                "if": { "properties": { "kind": { "enum": names(needing) } }, "required": ["kind"] },
                "then": { "required": [key] }
            }));
        }
    }
    schema.insert("allOf".into(), rules.into());
}

/// An option: either its label as text, or a table `{ value = "…", label = "…" }`.
#[derive(Debug)]
pub(super) struct OptionFile {
    pub(super) value: Option<String>,
    pub(super) label: String,
}

/// Eine Antwortmöglichkeit mit fester Kennung.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OptionTable {
    /// Feste Kennung der Antwort (Buchstaben, Ziffern, `-`, `_`), unter der sie gespeichert
    /// wird. Ohne Angabe wird sie aus dem Text gebildet („Bevölkerung“ → `bevoelkerung`).
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    value: Option<String>,
    /// Der Text der Antwort, wie Antragstellende ihn lesen.
    label: String,
}

impl JsonSchema for OptionFile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OptionFile".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let table = generator.subschema_for::<OptionTable>();
        schemars::json_schema!({
            "description": "Eine Antwortmöglichkeit: ihr Text, oder eine Tabelle mit `label` und fester Kennung `value`.",
            "anyOf": [
                { "type": "string", "description": "Der Text der Antwort; die Kennung wird aus ihm gebildet." },
                table,
            ]
        })
    }
}

impl<'de> Deserialize<'de> for OptionFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        pub(super) struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OptionFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an option's text, or a table with `label` and optionally `value`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OptionFile, E> {
                Ok(OptionFile {
                    value: None,
                    label: v.to_string(),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<OptionFile, A::Error> {
                let t =
                    OptionTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(OptionFile {
                    value: t.value,
                    label: t.label,
                })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Bedingung: das Feld wird nur gezeigt, solange das genannte Feld diese Antwort hat.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ShowIfFile {
    /// Die `id` des Feldes, von dessen Antwort es abhängt (auch weiter unten im Formular;
    /// nicht `info` oder `entry_list`).
    #[schemars(with = "String", regex(pattern = ID_PATTERN))]
    pub(super) field: Spanned<String>,
    /// Die Antwort, bei der das Feld erscheint: bei `yes_no` `true` (ja) oder `false` (nein);
    /// bei `choice` und `multi_choice` Text oder Kennung einer Antwort (oder `"other"`); bei
    /// `text`, `textarea`, `date` und `number` der genaue Wert.
    #[schemars(schema_with = "condition_value_schema")]
    pub(super) equals: Spanned<toml::Value>,
}

fn condition_value_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": ["string", "boolean", "number"] })
}

/// Where a TOML string's value begins: after its opening quotes and, for a multi-line string,
/// the newline that directly follows them.
pub(super) fn value_start(text: &str, span: Range<usize>) -> usize {
    let raw = text.get(span.clone()).unwrap_or("");
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let after = &raw[quote.min(raw.len())..];
    let newline = if quote == 3 && after.starts_with("\r\n") {
        2
    } else if quote == 3 && after.starts_with('\n') {
        1
    } else {
        0
    };
    span.start + quote + newline
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_rule_names_a_key_of_a_field() {
        let field: FieldFile = toml::from_str(
            r#"id = "a"
kind = "text"
label = "A"
hint = "B"
hint_print = false
autocomplete = "name"
required = true
show_if = { field = "b", equals = true }
text = "C"
options = ["D"]
other = "E"
lines = 2
placeholder = "F"
rows = 3
max_length = 4
min = 5
max = 6
unit = "G"
decimals = 2
columns = [{ id = "c", kind = "text", label = "C" }]
fields = [{ id = "d", kind = "text", label = "D" }]
min_rows = 1
max_rows = 2
expr = "1"
accept = [".pdf"]
max_size = "1 MB"
max_files = 2
"#,
        )
        .unwrap();
        for name in std::iter::once(&"id").chain(KIND_KEYS) {
            assert!(
                field.key_span(name).is_some(),
                "key_span does not know `{name}`"
            );
        }
    }

    #[test]
    fn every_key_a_kind_takes_or_needs_is_a_kind_key() {
        for kind in FieldKind::ALL {
            let spec = kind.spec();
            for key in spec.keys.iter().chain(spec.needs) {
                assert!(
                    KIND_KEYS.contains(key),
                    "`{key}` of `{}` is not in KIND_KEYS",
                    kind.name()
                );
                assert!(
                    kind.takes(key),
                    "`{}` needs `{key}` but does not take it",
                    kind.name()
                );
            }
        }
    }
}
