//! The key reference for editors (docs/einstellungen.md), written from the schemas, so it
//! says what completion says and cannot drift from the loaders: every key with its kind of
//! value, whether it is required, and its description; field keys with the field kinds they
//! apply to.

use serde_json::Value;

use super::SCHEMAS;

/// The whole reference as Markdown.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Alle Einstellungen – Nachschlagewerk\n\n\
         Diese Seite ist aus dem Programm erzeugt (`formwerk schema --reference \
         docs/einstellungen.md`), aus denselben Beschreibungen, die ein Editor beim Tippen \
         anzeigt (siehe [editor.md](editor.md)). Bitte nicht von Hand ändern.\n\n",
    );
    for heading in SCHEMAS
        .iter()
        .map(|s| s.reference_heading)
        .chain([CODES_HEADING])
    {
        out.push_str(&format!("- [{heading}](#{})\n", anchor(heading)));
    }
    for s in SCHEMAS {
        let schema = s.schema();
        out.push_str(&format!("\n## {}\n\n", s.reference_heading));
        let mut tables = Vec::new();
        table(None, &schema, &mut tables);
        for (i, t) in tables.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(t);
        }
    }
    out.push_str(&codes());
    out
}

const CODES_HEADING: &str = "Fehlercodes von `formwerk check`";

/// The table of diagnostic codes, as `check` shows them (`error[unknown-key]`, and `code` in
/// its JSON lines).
fn codes() -> String {
    let mut out = format!(
        "\n## {CODES_HEADING}\n\nJede Meldung von `formwerk check` und `formwerk build` trägt \
         einen festen Code, z. B. `error[unknown-key]`, und in \
         `formwerk check --message-format json` das Feld `code`.\n\n\
         | Code | Bedeutung |\n|---|---|\n"
    );
    for code in formwerk_base::diagnostics::code::ALL {
        out.push_str(&format!(
            "| `{}` | {} |\n",
            code.as_str(),
            code.explanation()
        ));
    }
    out
}

/// A GitHub-style anchor of a heading.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The table of one TOML table's keys, then the tables nested in it. `path` is the table's
/// header as written in TOML (`[[sections]]`), none for the file's top level.
fn table(path: Option<&str>, schema: &Value, out: &mut Vec<String>) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let mut text = String::new();
    if let Some(path) = path {
        text.push_str(&format!("### `{path}`\n\n"));
    }
    if let Some(d) = description(schema) {
        text.push_str(&format!("{d}\n\n"));
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let rules = KindRules::of(schema);
    let mut value_tables = Vec::new();
    if rules.is_some() {
        text.push_str(
            "| Schlüssel | Wert | Pflicht | Feldarten | Bedeutung |\n|---|---|---|---|---|\n",
        );
    } else {
        text.push_str("| Schlüssel | Wert | Pflicht | Bedeutung |\n|---|---|---|---|\n");
    }
    let mut nested = Vec::new();
    for (key, sub) in props {
        let dotted = path.map_or_else(
            || key.clone(),
            |p| format!("{}.{key}", p.trim_matches(|c| c == '[' || c == ']')),
        );
        let mut must = if required.contains(&key.as_str()) {
            "ja".to_string()
        } else {
            "nein".to_string()
        };
        let mut kinds = String::new();
        if let Some(rules) = &rules {
            if let Some(needs) = rules.required_for(key) {
                must = format!("bei {}", rules.kinds(&needs, "allen"));
            }
            kinds = rules
                .allowed_for(key)
                .map_or_else(|| "alle".to_string(), |k| rules.kinds(&k, "alle"));
        }
        let meaning = description(sub).unwrap_or_default();
        let mut value = value_kind(sub);
        if let Some(values) = enum_table(key, sub) {
            value.push_str(" (siehe unten)");
            value_tables.push(values);
        }
        let cells = if rules.is_some() {
            format!("| `{key}` | {value} | {must} | {kinds} | {meaning} |\n")
        } else {
            format!("| `{key}` | {value} | {must} | {meaning} |\n")
        };
        text.push_str(&cells);
        if let Some(object) = object_schema(sub) {
            let header = if sub.get("type") == Some(&Value::from("array")) {
                format!("[[{dotted}]]")
            } else {
                format!("[{dotted}]")
            };
            nested.push((header, object.clone()));
        }
    }
    out.push(text);
    out.extend(value_tables);
    for (full, object) in nested {
        table(Some(&full), &object, out);
    }
}

/// The schema of a nested TOML table: the key's own, its list items', or one alternative's.
fn object_schema(schema: &Value) -> Option<&Value> {
    if schema.get("properties").is_some() {
        return Some(schema);
    }
    if let Some(items) = schema.get("items") {
        return object_schema(items);
    }
    schema
        .get("anyOf")
        .and_then(Value::as_array)?
        .iter()
        .find_map(object_schema)
}

/// A description in one table cell: paragraphs joined, pipes escaped.
fn description(schema: &Value) -> Option<String> {
    let d = schema.get("description")?.as_str()?;
    Some(
        d.replace("\n\n", " ")
            .replace('\n', " ")
            .replace('|', "\\|"),
    )
}

/// The table of an enum's values with their descriptions.
fn enum_table(key: &str, schema: &Value) -> Option<String> {
    let values = schema.get("enum")?.as_array()?;
    let docs = schema.get("enumDescriptions").and_then(Value::as_array);
    let mut out = format!("#### Werte von `{key}`\n\n| Wert | Bedeutung |\n|---|---|\n");
    for (i, v) in values.iter().enumerate() {
        let doc = docs
            .and_then(|d| d.get(i))
            .and_then(Value::as_str)
            .unwrap_or("");
        out.push_str(&format!(
            "| `{}` | {} |\n",
            v.as_str().unwrap_or_default(),
            doc.replace('|', "\\|")
        ));
    }
    Some(out)
}

/// The kind of value a key takes, in German.
fn value_kind(schema: &Value) -> String {
    if schema.get("enum").is_some() {
        return "ein Wert der Liste".into();
    }
    if let Some(alternatives) = schema.get("anyOf").and_then(Value::as_array) {
        return alternatives
            .iter()
            .map(value_kind)
            .collect::<Vec<_>>()
            .join(" oder ");
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let names: Vec<String> = types.iter().map(|t| type_name(t, schema)).collect();
    match names.len() {
        0 => "beliebig".into(),
        1 => names[0].clone(),
        n => format!("{} oder {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn type_name(t: &str, schema: &Value) -> String {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    match t {
        "string" => "Text".into(),
        "boolean" => "`true`/`false`".into(),
        "integer" | "number" => {
            let name = if t == "integer" { "ganze Zahl" } else { "Zahl" };
            match (min, max) {
                (Some(a), Some(b)) => format!("{name} von {a} bis {b}"),
                (Some(a), None) if a > 0.0 => format!("{name} ab {a}"),
                _ => name.into(),
            }
        }
        "array" => {
            let items = schema.get("items").map(value_kind).unwrap_or_default();
            match schema.get("minItems").and_then(Value::as_u64) {
                Some(n) if n > 0 => format!("Liste (mindestens {n}) aus: {items}"),
                _ => format!("Liste aus: {items}"),
            }
        }
        "object" if schema.get("properties").is_some() => "Tabelle (siehe unten)".into(),
        "object" => match schema.get("additionalProperties") {
            Some(v) if v.is_object() => format!("Tabelle `name = Wert` ({})", value_kind(v)),
            _ => "Tabelle mit freien Werten".into(),
        },
        other => other.into(),
    }
}

fn code_list(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(|i| format!("`{}`", i.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The per-kind rules of a field's schema (`allOf` of if/then), read back for the table.
struct KindRules {
    /// Every kind, in the schema's order.
    all: Vec<String>,
    /// key → the kinds it applies to.
    allowed: Vec<(String, Vec<String>)>,
    /// key → the kinds that require it.
    required: Vec<(String, Vec<String>)>,
}

impl KindRules {
    fn of(schema: &Value) -> Option<KindRules> {
        let rules = schema.get("allOf")?.as_array()?;
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut out = KindRules {
            all: strings(schema.pointer("/properties/kind/enum")?),
            allowed: Vec::new(),
            required: Vec::new(),
        };
        for rule in rules {
            let (cond, then) = (&rule["if"], &rule["then"]);
            if let Some(kinds) = cond.pointer("/properties/kind/enum") {
                for key in strings(&then["required"]) {
                    out.required.push((key, strings(kinds)));
                }
            } else if let Some(kinds) = then.pointer("/properties/kind/enum") {
                for key in strings(&cond["required"]) {
                    out.allowed.push((key, strings(kinds)));
                }
            }
        }
        Some(out)
    }

    /// Some kinds by name: "`a`, `b`", or "alle außer `c`" when that is shorter (`all` is
    /// "alle" or, after "bei", "allen").
    fn kinds(&self, kinds: &[String], all: &str) -> String {
        let others: Vec<&String> = self.all.iter().filter(|k| !kinds.contains(k)).collect();
        if !others.is_empty() && others.len() < kinds.len() {
            format!("{all} außer {}", code_list(&others))
        } else {
            code_list(kinds)
        }
    }

    fn allowed_for(&self, key: &str) -> Option<Vec<String>> {
        self.allowed
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    fn required_for(&self, key: &str) -> Option<Vec<String>> {
        self.required
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}
