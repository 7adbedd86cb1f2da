//! The rules written in more than one language, held together by one set of cases each: the
//! vector files in tests/vectors/ (README.md there). For each file a test here checks Rust's
//! side, and a second runs tests/vectors/check.mjs on the same file for JavaScript's side
//! (form-rules.js, answers-file.js, pdf-answers.js and the PDF's calculate.js).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use formwerk_form::eval::{self, Env, Val};
use formwerk_form::expr::{self, Expr};
use formwerk_form::{FieldKind, Form};
use serde_json::{Map, Value, json};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// A vector file, parsed.
fn vectors(name: &str) -> Value {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cases<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no list `{key}`"))
}

/// Collects what does not match, so that one run names every failing case.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn expect<T: PartialEq + std::fmt::Debug>(
        &mut self,
        case: impl std::fmt::Display,
        got: T,
        want: T,
    ) {
        if got != want {
            self.0.push(format!(
                "{case}: Rust gives {got:?}, the vector says {want:?}"
            ));
        }
    }

    fn assert_none(self, file: &str) {
        assert!(
            self.0.is_empty(),
            "{} cases of {file} fail:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// Runs tests/vectors/check.mjs on `file` (JavaScript's side), with `stdin` and `extra`
/// arguments; fails with what it printed.
fn check_in_javascript(file: &str, extra: &[&Path], stdin: &[u8]) {
    let mut child = Command::new("node")
        .arg(dir().join("check.mjs"))
        .arg(file)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "check.mjs {file}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An exact decimal string ("-1234.5") in millionths.
fn millionths(text: &str) -> i128 {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(frac.len() <= 6, "more than six places: {text}");
    let n = whole.parse::<i128>().expect("a decimal") * 1_000_000
        + format!("{frac:0<6}").parse::<i128>().expect("a decimal");
    if neg { -n } else { n }
}

/// A case's `decimals` or `unit`: its own where it has the key (null included), else the
/// file's.
fn own<'a>(file: &'a Value, case: &'a Value, key: &str) -> &'a Value {
    case.get(key).unwrap_or(&file[key])
}

// ---- expressions.json -------------------------------------------------------------------

struct Answers<'a> {
    answers: &'a Map<String, Value>,
    computed: &'a [(String, Expr)],
}

impl Env for Answers<'_> {
    fn number(&self, id: &str) -> Option<i128> {
        self.answers.get(id).and_then(expr::from_json)
    }
    fn column(&self, table: &str, column: &str) -> Vec<i128> {
        eval::column_of(self.answers, table, column)
    }
    fn computed(&self, id: &str) -> Option<&Expr> {
        self.computed.iter().find(|(c, _)| c == id).map(|(_, e)| e)
    }
}

fn parse_expr(text: &str) -> Expr {
    expr::parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.message))
}

/// The computed fields the expressions may use, parsed.
fn computed(v: &Value) -> Vec<(String, Expr)> {
    v["computed"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, e)| (id.clone(), parse_expr(e.as_str().unwrap())))
        .collect()
}

#[test]
fn expressions() {
    let v = vectors("expressions.json");
    let computed = computed(&v);
    let env = Answers {
        answers: v["answers"].as_object().unwrap(),
        computed: &computed,
    };
    let mut f = Failures::default();
    for c in cases(&v, "cases") {
        let text = c["expr"].as_str().unwrap();
        let got = match eval::eval(&parse_expr(text), &env, 0) {
            None | Some(Val::List(_)) => json!(null),
            Some(Val::Bool(b)) => json!(b),
            Some(Val::Num(n)) => {
                let decimals = own(&v, c, "decimals").as_u64().map(|d| d as u32);
                let unit = own(&v, c, "unit").as_str();
                json!([expr::plain(n), expr::german(n, decimals, unit)])
            }
        };
        let want = match &c["german"] {
            Value::Null => c["value"].clone(),
            german => json!([c["value"], german]),
        };
        f.expect(text, got, want);
    }
    f.assert_none("expressions.json");
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node (./test.sh runs it)"
)]
fn expressions_in_javascript() {
    // The page gets the trees the build parsed; it has no parser of its own.
    let v = vectors("expressions.json");
    let trees: Vec<Value> = cases(&v, "cases")
        .iter()
        .map(|c| parse_expr(c["expr"].as_str().unwrap()).to_json())
        .collect();
    let computed: Map<String, Value> = computed(&v)
        .into_iter()
        .map(|(id, e)| (id, e.to_json()))
        .collect();
    let input = json!({ "trees": trees, "computed": computed });
    check_in_javascript("expressions.json", &[], input.to_string().as_bytes());
}

// ---- german-numbers.json ----------------------------------------------------------------

#[test]
fn german_numbers() {
    let v = vectors("german-numbers.json");
    let mut f = Failures::default();
    for c in cases(&v, "parse") {
        let text = c["text"].as_str().unwrap();
        f.expect(
            format!("parse {text:?}"),
            expr::parse_german(text).map(expr::plain),
            c["value"].as_str().map(String::from),
        );
    }
    for c in cases(&v, "format") {
        let n = millionths(c["value"].as_str().unwrap());
        let decimals = c["decimals"].as_u64().map(|d| d as u32);
        f.expect(
            format!("format {} ({decimals:?}, {})", c["value"], c["unit"]),
            expr::german(n, decimals, c["unit"].as_str()),
            c["text"].as_str().unwrap().to_string(),
        );
    }
    f.assert_none("german-numbers.json");
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node (./test.sh runs it)"
)]
fn german_numbers_in_javascript() {
    check_in_javascript("german-numbers.json", &[], b"");
}

// ---- answers-files.json -----------------------------------------------------------------

/// A form with the id `f`, which the answers files name.
fn form(stem: &str, text: &str) -> Form {
    let config = formwerk_config::Config::parse(Path::new("/site"), "title = \"Vektoren\"\n")
        .expect("a config");
    let shown = PathBuf::from(format!("content/{stem}.form.toml"));
    formwerk_form::parse(&config, &shown, stem, &text.into())
        .unwrap_or_else(|e| panic!("{}", e.render()))
        .expect("not a draft")
        .form
}

#[test]
fn answers_files() {
    let v = vectors("answers-files.json");
    let form = form(
        "f",
        "title = \"F\"\nversion = \"1\"\n[[sections]]\nid = \"s\"\ntitle = \"S\"\n\
         [[sections.fields]]\nid = \"a\"\nkind = \"text\"\nlabel = \"A\"\n",
    );
    // Without the theme's strings a problem is its key: the reason a file is refused.
    let no_strings = toml::Table::new();
    let strings = formwerk_answers::Strings(&no_strings);
    let mut f = Failures::default();
    for c in cases(&v, "cases") {
        let name = c["name"].as_str().unwrap();
        let text = match &c["text"] {
            Value::String(t) => t.clone(),
            _ => serde_json::to_string(&c["file"]).unwrap(),
        };
        let app = formwerk_answers::read("vector.json".into(), text.as_bytes(), &form, &strings);
        // A budget broken (crates/form/src/budget.rs, counted before parsing) is its key.
        let integrity = match app.problems.first().map(String::as_str) {
            Some(budget) if budget.starts_with("budget_") => budget,
            Some("reason_malformed" | "reason_format") => "malformed",
            Some("reason_format_version") => "unsupported_version",
            Some("reason_checksum_mismatch" | "reason_checksum_missing") => "mismatch",
            _ => match app.integrity {
                formwerk_answers::Integrity::Valid => "valid",
                formwerk_answers::Integrity::Missing => "missing",
                formwerk_answers::Integrity::Mismatch => "mismatch",
            },
        };
        f.expect(
            format!("{name:?} integrity"),
            integrity,
            c["integrity"].as_str().unwrap(),
        );
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let object = match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(o)) => Some(o),
            _ => None,
        };
        f.expect(
            format!("{name:?} checksum"),
            object.as_ref().map(formwerk_answers::checksum),
            c["checksum"].as_str().map(String::from),
        );
        if let (Some(want), Some(mut o)) = (c["canonical"].as_str(), object) {
            o.remove("checksum");
            f.expect(
                format!("{name:?} canonical"),
                formwerk_answers::canonical(&Value::Object(o)),
                want.to_string(),
            );
        }
    }
    f.assert_none("answers-files.json");
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node (./test.sh runs it)"
)]
fn answers_files_in_javascript() {
    // The inbox reads a file in its worker, with the budgets the page carries: check.mjs reads
    // each case there, as `formwerk_answers::read` counts the same budgets before parsing.
    let budgets = json!({
        "budgets": formwerk_form::Budget::all_json(&toml::Table::new()),
    });
    check_in_javascript("answers-files.json", &[], budgets.to_string().as_bytes());
}

// ---- pdf-fields.json --------------------------------------------------------------------

/// A field of a case's PDF: its own value (by the vector's spelling), its named kids.
#[derive(Default)]
struct Node {
    value: Option<Value>,
    kids: BTreeMap<String, Node>,
}

/// A PDF text string: literal where it is printable ASCII, else UTF-16BE with its mark.
fn text_string(text: &str) -> Vec<u8> {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        let mut out = b"(".to_vec();
        for b in text.bytes() {
            if matches!(b, b'(' | b')' | b'\\') {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b')');
        return out;
    }
    let mut out = b"<FEFF".to_vec();
    for unit in text.encode_utf16() {
        out.extend(format!("{unit:04X}").bytes());
    }
    out.push(b'>');
    out
}

/// A PDF name (`/Stadt`): bytes outside the regular characters written as `#xx`.
fn name(text: &str) -> Vec<u8> {
    let mut out = b"/".to_vec();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            out.push(b);
        } else {
            out.extend(format!("#{b:02X}").bytes());
        }
    }
    out
}

/// Raw PDF syntax from the vector: each character up to U+00FF one byte.
fn raw(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("raw PDF syntax is Latin-1"))
        .collect()
}

/// A PDF with these objects (numbered from 1), a cross-reference table and a trailer.
struct Pdf {
    objects: Vec<Vec<u8>>,
}

impl Pdf {
    fn reserve(&mut self) -> usize {
        self.objects.push(Vec::new());
        self.objects.len()
    }

    fn set(&mut self, number: usize, body: Vec<u8>) {
        self.objects[number - 1] = body;
    }

    /// Writes `node` (named `t`, under `parent`) and its kids; returns its object number.
    fn field(&mut self, t: &str, node: &Node, parent: Option<usize>) -> usize {
        let me = self.reserve();
        let mut body = b"<< /T ".to_vec();
        body.extend(text_string(t));
        let mut kids = Vec::new();
        match &node.value {
            None => {}
            Some(Value::String(text)) => {
                body.extend(b" /FT /Tx /V ");
                body.extend(text_string(text));
            }
            Some(Value::Object(o)) if o.contains_key("state") => {
                body.extend(b" /FT /Btn /V ");
                body.extend(name(o["state"].as_str().unwrap()));
            }
            Some(Value::Object(o)) if o.contains_key("pdf") => {
                body.push(b' ');
                body.extend(raw(o["pdf"].as_str().unwrap()));
                for w in o
                    .get("widgets")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let widget = self.reserve();
                    let mut wbody =
                        format!("<< /Type /Annot /Subtype /Widget /Parent {me} 0 R ").into_bytes();
                    wbody.extend(raw(w.as_str().unwrap()));
                    wbody.extend(b" >>");
                    self.set(widget, wbody);
                    kids.push(widget);
                }
            }
            Some(other) => panic!("a field value the vectors do not spell: {other}"),
        }
        for (kid_name, kid) in &node.kids {
            kids.push(self.field(kid_name, kid, Some(me)));
        }
        if !kids.is_empty() {
            body.extend(b" /Kids [");
            for k in kids {
                body.extend(format!(" {k} 0 R").bytes());
            }
            body.extend(b" ]");
        }
        if let Some(p) = parent {
            body.extend(format!(" /Parent {p} 0 R").bytes());
        }
        body.extend(b" >>");
        self.set(me, body);
        me
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n", i + 1).bytes());
            out.extend(body);
            out.extend(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1).bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1
            )
            .bytes(),
        );
        out
    }
}

/// The PDF of a case: its fields as a tree by the dots in their names (as Formwerk writes
/// them), the form and version in the document information.
fn case_pdf(form: &Form, fields: &Map<String, Value>) -> Vec<u8> {
    let mut roots: BTreeMap<String, Node> = BTreeMap::new();
    let mut flat: Vec<(String, Node)> = Vec::new();
    for (full, value) in fields {
        if let Some(text) = value.get("flat") {
            flat.push((
                full.clone(),
                Node {
                    value: Some(text.clone()),
                    ..Node::default()
                },
            ));
            continue;
        }
        let mut parts = full.split('.');
        let mut node = roots.entry(parts.next().unwrap().to_string()).or_default();
        for part in parts {
            node = node.kids.entry(part.to_string()).or_default();
        }
        node.value = Some(value.clone());
    }
    let mut pdf = Pdf {
        objects: Vec::new(),
    };
    let (catalog, pages, acroform, info) =
        (pdf.reserve(), pdf.reserve(), pdf.reserve(), pdf.reserve());
    pdf.set(
        catalog,
        format!("<< /Type /Catalog /Pages {pages} 0 R /AcroForm {acroform} 0 R >>").into_bytes(),
    );
    pdf.set(pages, b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec());
    let mut top = Vec::new();
    for (t, node) in roots
        .iter()
        .map(|(t, n)| (t.as_str(), n))
        .chain(flat.iter().map(|(t, n)| (t.as_str(), n)))
    {
        top.push(pdf.field(t, node, None));
    }
    let refs: String = top.iter().map(|n| format!(" {n} 0 R")).collect();
    pdf.set(acroform, format!("<< /Fields [{refs} ] >>").into_bytes());
    let mut body = b"<< /FormwerkForm ".to_vec();
    body.extend(text_string(&form.id));
    body.extend(b" /FormwerkVersion ");
    body.extend(text_string(&form.version));
    body.extend(b" >>");
    pdf.set(info, body);
    pdf.bytes()
}

fn pdf_form() -> Form {
    let v = vectors("pdf-fields.json");
    let file = v["form"].as_str().unwrap();
    let text = std::fs::read_to_string(dir().join(file)).unwrap();
    form(file.trim_end_matches(".form.toml"), &text)
}

#[test]
fn pdf_fields() {
    let v = vectors("pdf-fields.json");
    let form = pdf_form();
    assert!(form.fields().any(|f| f.kind == FieldKind::Computed));
    let mut f = Failures::default();
    for c in cases(&v, "cases") {
        let name = c["name"].as_str().unwrap();
        let bytes = case_pdf(&form, c["fields"].as_object().unwrap());
        let read = match formwerk_pdf::read_answers(&bytes, &form) {
            Ok(read) => read,
            Err(e) => {
                f.0.push(format!("{name:?}: Rust cannot read the PDF: {e}"));
                continue;
            }
        };
        f.expect(
            format!("{name:?} answers"),
            Value::Object(read.answers),
            c["answers"].clone(),
        );
        let problems: Vec<&str> = read.problems.iter().map(|(k, _)| k.as_str()).collect();
        let want: Vec<&str> = c["problems"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p.as_str().unwrap())
            .collect();
        f.expect(format!("{name:?} problems"), problems, want);
        f.expect(
            format!("{name:?} form and version"),
            (read.form, read.version),
            (Some(form.id.clone()), Some(form.version.clone())),
        );
    }
    f.assert_none("pdf-fields.json");
}

#[test]
#[cfg_attr(
    not(feature = "external-tools"),
    ignore = "needs node (./test.sh runs it)"
)]
fn pdf_fields_in_javascript() {
    // The same PDFs, and the model the inbox page carries for the form.
    let v = vectors("pdf-fields.json");
    let form = pdf_form();
    let tmp = tempfile::tempdir().unwrap();
    let mut model = formwerk_form::schema::client_model(&form, &toml::Table::new());
    // The inbox page carries the budgets per file (crates/form/src/budget.rs) beside it.
    model["budgets"] = formwerk_form::Budget::all_json(&toml::Table::new());
    std::fs::write(tmp.path().join("model.json"), model.to_string()).unwrap();
    for (i, c) in cases(&v, "cases").iter().enumerate() {
        let bytes = case_pdf(&form, c["fields"].as_object().unwrap());
        std::fs::write(tmp.path().join(format!("{}.pdf", i + 1)), bytes).unwrap();
    }
    check_in_javascript("pdf-fields.json", &[tmp.path()], b"");
}
