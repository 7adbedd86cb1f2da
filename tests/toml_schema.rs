//! The editors' JSON Schemas: the committed copies and the key reference are what the code
//! generates, every valid file validates, and every invalid fixture the schema can express
//! (expect.toml's `schema_rejects`) fails validation in the file it names, and no other.
//! Validation uses the reference validator for draft 2020-12 (Python `jsonschema`, pinned in
//! tests/schema/requirements.txt and installed by test.sh).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{repo, validate_schemas};
use formwerk::toml_schema::{SCHEMA_DIR, SCHEMAS, reference};
use serde_json::{Value, json};

const REGENERATE: &str = "cargo run -- schema --out schemas --reference docs/einstellungen.md";

#[test]
fn committed_schemas_are_current() {
    for s in SCHEMAS {
        let path = repo().join(SCHEMA_DIR).join(s.file_name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == s.text(),
            "{} is not what the code generates; regenerate it with `{REGENERATE}`",
            path.display()
        );
    }
}

#[test]
fn committed_key_reference_is_current() {
    let path = repo().join("docs/einstellungen.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == reference::markdown(),
        "docs/einstellungen.md is not what the code generates; regenerate it with `{REGENERATE}`"
    );
}

#[test]
fn new_sites_and_this_repository_point_taplo_at_the_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("neu");
    formwerk::init::init(&site).unwrap();
    let taplo = std::fs::read_to_string(site.join(".taplo.toml")).unwrap();
    assert_eq!(
        taplo,
        std::fs::read_to_string(repo().join(".taplo.toml")).unwrap(),
        "the repository's .taplo.toml is the one `init` writes"
    );
    // Every schema path is relative, resolves inside the new site and is the current schema;
    // every pattern names files of the new site.
    let config: toml::Table = taplo.parse().unwrap();
    let rules = config["rule"].as_array().unwrap();
    assert_eq!(rules.len(), 2, "forms and formwerk.toml");
    for rule in rules {
        let path = rule["schema"]["path"].as_str().unwrap();
        assert!(!path.starts_with('/') && !path.contains("://"), "{path}");
        let written = std::fs::read_to_string(site.join(path)).unwrap();
        let name = path.rsplit('/').next().unwrap();
        let schema = SCHEMAS.iter().find(|s| s.file_name == name).unwrap();
        assert_eq!(written, schema.text(), "{path}");
        let include = rule["include"][0].as_str().unwrap();
        let matches = match include {
            "content/**/*.form.toml" => site.join("content/beispiel.form.toml").is_file(),
            other => site.join(other).is_file(),
        };
        assert!(matches, "{include} names no file of the new site");
    }
}

#[test]
fn schema_command_writes_the_committed_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let doc = dir.path().join("ref.md");
    let status = assert_cmd::Command::cargo_bin("formwerk")
        .unwrap()
        .args(["schema", "--out"])
        .arg(&out)
        .arg("--reference")
        .arg(&doc)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    for s in SCHEMAS {
        assert_eq!(
            std::fs::read_to_string(out.join(s.file_name)).unwrap(),
            std::fs::read_to_string(repo().join(SCHEMA_DIR).join(s.file_name)).unwrap()
        );
    }
    assert_eq!(
        std::fs::read_to_string(doc).unwrap(),
        std::fs::read_to_string(repo().join("docs/einstellungen.md")).unwrap()
    );
}

#[test]
fn every_key_and_every_kind_is_described() {
    fn walk(path: &str, schema: &Value, missing: &mut Vec<String>) {
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (key, sub) in props {
                let here = format!("{path}.{key}");
                if sub
                    .get("description")
                    .and_then(Value::as_str)
                    .is_none_or(|d| d.trim().is_empty())
                {
                    missing.push(here.clone());
                }
                walk(&here, sub, missing);
            }
        }
        if let Some(items) = schema.get("items") {
            walk(&format!("{path}[]"), items, missing);
        }
        for list in ["anyOf", "oneOf"] {
            for sub in schema
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                walk(path, sub, missing);
            }
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let docs = schema["enumDescriptions"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if docs.len() != values.len()
                || docs.iter().any(|d| d.as_str().unwrap_or("").is_empty())
            {
                missing.push(format!("{path} (values)"));
            }
        }
    }
    let mut missing = Vec::new();
    for s in SCHEMAS {
        walk(s.file_name, &s.schema(), &mut missing);
    }
    assert!(
        missing.is_empty(),
        "keys without a description: {missing:?}"
    );
    let form = SCHEMAS[0].schema();
    let kinds = &form["properties"]["sections"]["items"]["properties"]["fields"]["items"]["properties"]
        ["kind"]["enum"];
    assert_eq!(
        kinds.as_array().map(Vec::len),
        Some(formwerk_form::FieldKind::ALL.len()),
        "every field kind is in the schema: {kinds}"
    );
}

/// A TOML file of a site, with the schema it must satisfy.
struct Instance {
    schema: &'static str,
    /// Relative to the site root, as diagnostics name it.
    file: String,
    data: Value,
}

/// TOML → JSON as editors' tools see it: dates become strings.
fn to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

/// Every TOML file of the site at `root` that parses: formwerk.toml, forms and front matter.
/// Files that are not TOML at all (a syntax error, no front matter) are the parser's business.
fn instances(root: &Path) -> Vec<Instance> {
    let mut out = Vec::new();
    let mut add = |schema: &'static str, file: String, text: &str| {
        if let Ok(table) = text.parse::<toml::Table>() {
            out.push(Instance {
                schema,
                file,
                data: to_json(toml::Value::Table(table)),
            });
        }
    };
    if let Ok(text) = std::fs::read_to_string(root.join("formwerk.toml")) {
        add("formwerk.schema.json", "formwerk.toml".into(), &text);
    }
    let content = root.join("content");
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if rel.ends_with(".form.toml") {
            add("form.schema.json", rel, &text);
        } else if rel.ends_with(".md")
            && let Some((front, _, _)) = formwerk_content::split_front_matter(&text)
        {
            add("front-matter.schema.json", rel, front);
        }
    }
    out
}

/// Validates the instances; the errors per file (empty for a valid one).
fn validate(instances: &[Instance]) -> BTreeMap<String, Vec<String>> {
    let schemas: serde_json::Map<String, Value> = SCHEMAS
        .iter()
        .map(|s| (s.file_name.to_string(), s.schema()))
        .collect();
    let request = json!({
        "schemas": schemas,
        "instances": instances.iter().map(|i| json!({
            "schema": i.schema, "file": i.file, "data": i.data,
        })).collect::<Vec<_>>(),
    });
    validate_schemas(&request)
        .into_iter()
        .map(|v| {
            let errors = v["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap().to_string())
                .collect();
            (v["file"].as_str().unwrap().to_string(), errors)
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn bundled_site_valid_fixture_and_new_site_validate() {
    let new_site = tempfile::tempdir().unwrap();
    let new_root = new_site.path().join("neu");
    formwerk::init::init(&new_root).unwrap();
    let mut problems = Vec::new();
    let mut checked = BTreeSet::new();
    for root in [repo(), repo().join("tests/fixtures/valid"), new_root] {
        let found = instances(&root);
        for i in &found {
            checked.insert(i.schema);
        }
        assert!(
            found.iter().any(|i| i.schema == "form.schema.json"),
            "{}",
            root.display()
        );
        for (file, errors) in validate(&found) {
            if !errors.is_empty() {
                problems.push(format!("{}/{file}: {errors:#?}", root.display()));
            }
        }
    }
    assert_eq!(
        checked.len(),
        SCHEMAS.len(),
        "every schema was used: {checked:?}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[derive(serde::Deserialize)]
struct Expect {
    #[serde(default)]
    schema_rejects: Vec<String>,
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn invalid_fixtures_fail_schema_validation_where_it_can_tell() {
    let mut problems = Vec::new();
    let mut rejecting = 0;
    for dir in common::invalid_cases() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expect: Expect =
            toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).unwrap()).unwrap();
        let rejected: BTreeSet<String> = validate(&instances(&dir))
            .into_iter()
            .filter(|(_, errors)| !errors.is_empty())
            .map(|(file, _)| file)
            .collect();
        let expected: BTreeSet<String> = expect.schema_rejects.into_iter().collect();
        rejecting += usize::from(!expected.is_empty());
        if rejected != expected {
            problems.push(format!(
                "{name}: the schema rejects {rejected:?}, expect.toml says schema_rejects = {expected:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // unknown keys in all three files, an unknown kind, a wrong type, an empty option list,
    // an attribute of another kind
    assert!(
        rejecting >= 6,
        "only {rejecting} fixtures exercise the schema"
    );
}

/// The editors' schema takes every `base_url` the loader takes (its pattern is looser, never
/// stricter), and both refuse an address without `https://`, the commonest slip.
#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs python3 with pikepdf, pypdf and jsonschema: ./test.sh installs it"
)]
fn the_schema_takes_every_base_url_the_loader_takes() {
    let samples = [
        "https://www.ms.niedersachsen.de/foerderung/",
        "https://www.ms.niedersachsen.de",
        "HTTP://localhost:8080/a/b",
        "https://a.de/förderung&co",
        "https://[::1]:8000/",
        "https://bürger.de/",
        "www.ms.niedersachsen.de/foerderung/",
        "ftp://a.de/",
        "https:///a/",
        "https://a.de/a b/",
        "https://a.de/?x=1",
        "https://a.de/#oben",
        "https://ich@a.de/",
        "",
    ];
    let instances: Vec<Instance> = samples
        .iter()
        .enumerate()
        .map(|(n, url)| Instance {
            schema: "formwerk.schema.json",
            file: n.to_string(),
            data: json!({ "title": "Amt", "base_url": url }),
        })
        .collect();
    let verdicts = validate(&instances);
    let mut refused_by_both = 0;
    for (n, url) in samples.iter().enumerate() {
        let text = format!(
            "title = \"Amt\"\nbase_url = {}\n",
            toml::Value::String(url.to_string())
        );
        let loads = formwerk_config::Config::parse(Path::new("/site"), text).is_ok();
        let fits = verdicts[&n.to_string()].is_empty();
        assert!(
            fits || !loads,
            "the schema refuses {url:?}, which the loader takes"
        );
        refused_by_both += usize::from(!fits && !loads);
    }
    assert!(refused_by_both >= 5, "{refused_by_both}");
}

/// The schema's per-kind rules ("if `kind` is one of …, the key is required"; "the key only
/// with these kinds") are the checker's: for each rule and kind, a form breaking just that
/// rule fails `check` in that form, and the same field keeping every rule passes.
#[test]
fn checker_enforces_the_schemas_rules_per_kind() {
    let form = SCHEMAS[0].schema();
    let field = &form["properties"]["sections"]["items"]["properties"]["fields"]["items"];
    let kinds: Vec<String> = field["properties"]["kind"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    // (kinds that need the key, key) and (key, kinds it applies to)
    let mut needs = Vec::new();
    let mut applies = Vec::new();
    for rule in field["allOf"].as_array().unwrap() {
        if let Some(k) = rule["if"].pointer("/properties/kind/enum") {
            for key in strings(&rule["then"]["required"]) {
                needs.push((strings(k), key));
            }
        } else {
            let k = rule["then"].pointer("/properties/kind/enum").unwrap();
            for key in strings(&rule["if"]["required"]) {
                applies.push((key, strings(k)));
            }
        }
    }
    assert!(
        needs.len() >= 4 && applies.len() >= 10,
        "{needs:?} {applies:?}"
    );
    let sample = |key: &str| -> &str {
        match key {
            "id" => "id = \"feld\"",
            "label" => "label = \"Frage\"",
            "text" => "text = \"Text\"",
            "options" => "options = [\"A\", \"B\"]",
            "hint" => "hint = \"Hinweis\"",
            "hint_print" => "hint_print = false",
            "autocomplete" => "autocomplete = \"name\"",
            "required" => "required = true",
            "show_if" => "show_if = { field = \"andere\", equals = true }",
            "other" => "other = \"Sonstiges\"",
            "lines" => "lines = 2",
            "placeholder" => "placeholder = \"…\"",
            "rows" => "rows = 3",
            "max_length" => "max_length = 10",
            "min" => "min = 1",
            "max" => "max = 2",
            "unit" => "unit = \"EUR\"",
            "decimals" => "decimals = 2",
            "columns" => "columns = [{ id = \"c\", kind = \"text\", label = \"C\" }]",
            "fields" => "fields = [{ id = \"d\", kind = \"text\", label = \"D\" }]",
            "min_rows" => "min_rows = 1",
            "max_rows" => "max_rows = 2",
            "expr" => "expr = \"1\"",
            "accept" => "accept = [\".pdf\"]",
            "max_size" => "max_size = \"1 MB\"",
            "max_files" => "max_files = 2",
            other => panic!("add a sample value for the new field key `{other}`"),
        }
    };
    // A field of `kind` with every key its kind needs, leaving out `without`, adding `with`.
    let field_toml = |kind: &str, without: Option<&str>, with: Option<&str>| {
        let mut lines = vec![format!("kind = \"{kind}\"")];
        for (ks, key) in &needs {
            if ks.iter().any(|k| k == kind) && Some(key.as_str()) != without {
                lines.push(sample(key).to_string());
            }
        }
        lines.extend(with.map(|k| sample(k).to_string()));
        lines.join("\n")
    };
    let site = common::Site::fixture("valid");
    let mut expect_error = BTreeSet::new();
    let mut expect_clean = BTreeSet::new();
    let mut n = 0;
    let mut add = |fields: String, error: bool| {
        n += 1;
        let file = format!("content/regeln/f{n}.form.toml");
        site.write(
            &file,
            &format!(
                "title = \"Regel {n}\"\nversion = \"1\"\n\n[[sections]]\nid = \"teil\"\ntitle = \"Teil\"\n\n\
                 [[sections.fields]]\nid = \"andere\"\nkind = \"yes_no\"\nlabel = \"Andere\"\n\n\
                 [[sections.fields]]\n{fields}\n"
            ),
        );
        if error {
            &mut expect_error
        } else {
            &mut expect_clean
        }
        .insert(file);
    };
    for kind in &kinds {
        add(field_toml(kind, None, None), false);
    }
    for (ks, key) in &needs {
        for kind in ks {
            add(field_toml(kind, Some(key), None), true);
        }
    }
    for (key, ks) in &applies {
        for kind in kinds.iter().filter(|k| !ks.contains(k)) {
            if needs.iter().any(|(n, k)| k == key && n.contains(kind)) {
                continue;
            }
            add(field_toml(kind, None, Some(key)), true);
        }
    }
    let out = site.run(&["check", "--message-format", "json"]);
    let failed: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .filter(|f| f.starts_with("content/regeln/"))
        .collect();
    let missed: Vec<_> = expect_error.difference(&failed).collect();
    let wrong: Vec<_> = expect_clean.intersection(&failed).collect();
    assert!(
        missed.is_empty() && wrong.is_empty(),
        "the checker accepts {missed:?} and rejects {wrong:?}:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
