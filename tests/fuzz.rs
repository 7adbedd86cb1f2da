//! Fuzzing the readers of strangers' input (issue 26), with proptest on stable Rust (cargo-fuzz
//! needs nightly): the answers-file reader with its checks, the PDF reader, the German number
//! parser and the expressions (parsed and evaluated). Each target must not panic, and no input
//! may take long: the slowest input of each target is printed, and `bench/fuzz.sh` fails when
//! one takes longer than `FUZZ_MAX_MS`.
//!
//! `cargo test --test fuzz` runs 2,000 inputs per target; `FUZZ_CASES=100000 cargo test --release
//! --test fuzz` (bench/fuzz.sh) the long search. A failing input is saved under
//! `proptest-regressions/` and tried first on the next run.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use formwerk_form::eval::{Env, Val, eval};
use formwerk_form::expr::{self, Expr};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// Inputs per target: `FUZZ_CASES`, else 2,000.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

/// Runs `target` on `cases()` inputs of `strategy`; returns the slowest input's milliseconds.
/// A panic in the target fails the test with the (shrunk) input.
fn fuzz<S: Strategy>(name: &str, strategy: S, target: impl Fn(S::Value)) -> u64
where
    S::Value: std::fmt::Debug,
{
    let (slowest, ran) = (AtomicU64::new(0), AtomicU64::new(0));
    let config = Config {
        cases: cases(),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct("proptest-regressions/fuzz.txt"),
        )),
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let result = runner.run(&strategy, |input| {
        let start = Instant::now();
        target(input);
        ran.fetch_add(1, Ordering::Relaxed);
        slowest.fetch_max(start.elapsed().as_millis() as u64, Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let ms = slowest.load(Ordering::Relaxed);
    let ran = ran.load(Ordering::Relaxed);
    assert!(ran >= u64::from(cases()), "{name}: only {ran} inputs ran");
    println!("{name}: {ran} inputs, slowest {ms} ms, no panic");
    if let Some(max) = std::env::var("FUZZ_MAX_MS")
        .ok()
        .and_then(|m| m.parse::<u64>().ok())
    {
        assert!(
            ms <= max,
            "{name}: an input took {ms} ms (more than {max} ms)"
        );
    }
    ms
}

/// The fixture form of the hostile corpus (tests/hostile/site/content/antrag.form.toml).
fn form() -> formwerk_form::Form {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/site");
    let config = formwerk_config::Config::parse(&root, "title = \"Fuzz\"\n").expect("a config");
    let text = std::fs::read_to_string(root.join("content/antrag.form.toml")).unwrap();
    let shown = Path::new("content/antrag.form.toml");
    formwerk_form::parse(&config, shown, "antrag", &text.into())
        .unwrap_or_else(|e| panic!("{}", e.render()))
        .expect("not a draft")
        .form
}

fn strings() -> toml::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/render/theme/i18n/de.toml");
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Pieces that hostile files are made of.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u",
    "\\ud800",
    "\\udc00",
    "1e400",
    "-0",
    "1e-400",
    "9007199254740993",
    "NaN",
    "null",
    "true",
    "\"__proto__\"",
    "\"constructor\"",
    "\"answers\"",
    "\"format_version\"",
    "\"checksum\"",
    "\"sha256:\"",
    "\u{feff}",
    "\u{202e}",
    "\u{200b}",
    "\u{1b}[2J",
    "\0",
    "\"name\"",
    "\"betrag\"",
    "\"datum\"",
    "\"2026-02-30\"",
    "=HYPERLINK(",
    "1.234,56",
    "Ä",
    "😀",
    " ",
    "\n",
];

/// A sealed answers file of the fixture form, as the page writes it.
fn good_file() -> Vec<u8> {
    let mut object = serde_json::json!({
        "format": "formwerk-answers", "format_version": 2, "form": "antrag", "version": "1",
        "saved_at": "2026-03-03T09:15:00.000Z",
        "answers": {"name": "Gemeinde 01", "betrag": 1234.5, "beschreibung": "Zeile\nzwei",
                    "datum": "2026-02-02"},
    });
    let sum = formwerk_answers::checksum(object.as_object().unwrap());
    object["checksum"] = Value::String(sum);
    serde_json::to_vec_pretty(&object).unwrap()
}

/// Changes to a file: overwrite, insert or delete bytes, insert a token, cut it.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Cut(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let token = proptest::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec());
    let bytes = proptest::collection::vec(any::<u8>(), 1..8);
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Flip(at, b)),
        (any::<usize>(), prop_oneof![token, bytes]).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1..64usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        any::<usize>().prop_map(Edit::Cut),
    ];
    proptest::collection::vec(edit, 1..6)
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |i: usize| i % (bytes.len() + 1);
        match e {
            Edit::Flip(i, b) if !bytes.is_empty() => {
                let i = i % bytes.len();
                bytes[i] = *b;
            }
            Edit::Insert(i, b) => {
                let i = at(*i);
                bytes.splice(i..i, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                let i = at(*i);
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Cut(i) => bytes.truncate(at(*i)),
            _ => {}
        }
    }
    bytes
}

#[test]
fn answers_files_parse_and_check() {
    let (form, strings) = (form(), strings());
    let s = formwerk_answers::Strings(&strings);
    let good = good_file();
    // Edited good files, and files of tokens alone.
    let tokens = proptest::collection::vec(proptest::sample::select(TOKENS), 0..40)
        .prop_map(|t| t.concat().into_bytes());
    let input = prop_oneof![3 => edits().prop_map(move |e| apply(good.clone(), &e)), 1 => tokens];
    fuzz("answers file", input, |bytes| {
        let app = formwerk_answers::read("fuzz.json".into(), &bytes, &form, &s);
        // A refused file has problems that say why.
        if app.status == formwerk_answers::Status::Invalid {
            assert!(!app.problems.is_empty(), "refused without a reason");
        }
    });
}

/// A filled PDF form of the fixture form, with a zlib stream (so that edits reach the
/// reader's inflating) and a field with a widget kid.
fn good_pdf() -> Vec<u8> {
    let stream = zlib_stored(b"BT /F1 12 Tf (Gemeinde) Tj ET");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields [5 0 R 6 0 R 7 0 R] >> >>".to_vec(),
        b"<< /FormwerkForm (antrag) /FormwerkVersion (1) >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 8 0 R >>".to_vec(),
        b"<< /FT /Tx /T (name) /V <FEFF00470065006D00650069006E0064006500200031> >>".to_vec(),
        b"<< /FT /Tx /T (betrag) /V (1.234,50) >>".to_vec(),
        b"<< /T (datum) /FT /Tx /V (02.02.2026) /Kids [9 0 R] >>".to_vec(),
        [
            format!(
                "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                stream.len()
            )
            .as_bytes(),
            &stream,
            b"\nendstream",
        ]
        .concat(),
        b"<< /Parent 7 0 R /Rect [0 0 10 10] >>".to_vec(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 2 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// zlib data without a further dependency: one stored (uncompressed) deflate block with the
/// zlib header and Adler-32, which every inflater reads.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01, 0x01];
    let len = data.len() as u16;
    out.extend(len.to_le_bytes());
    out.extend((!len).to_le_bytes());
    out.extend(data);
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

#[test]
fn pdfs_read_answers() {
    let form = form();
    let good = good_pdf();
    let read = formwerk_pdf::read_answers(&good, &form).expect("the good PDF reads");
    assert_eq!(read.answers["name"], "Gemeinde 1", "{:?}", read.answers);
    const PDF_TOKENS: &[&str] = &[
        " 0 R",
        "<<",
        ">>",
        "[",
        "]",
        "/Kids [5 0 R]",
        "/Parent 7 0 R",
        "/V /Gr#C3#B6",
        "/V [(a)]",
        "<FEFFD800>",
        "<FEFF00C4>",
        "stream\n",
        "endstream",
        "endobj",
        "obj",
        "/Length 999999999999",
        "/Type /ObjStm /N 99999999 /First 0",
        "xref",
        "trailer",
        "startxref\n0",
        "%%EOF",
        "/Encrypt << >>",
        "/Prev 0",
        "(\\",
        "9 0 obj",
        "/FT /Btn",
    ];
    let token = proptest::sample::select(PDF_TOKENS).prop_map(|t| t.as_bytes().to_vec());
    let edit = (any::<usize>(), token).prop_map(|(at, b)| Edit::Insert(at, b));
    let input = (edits(), proptest::collection::vec(edit, 0..4))
        .prop_map(move |(a, b)| apply(apply(good.clone(), &a), &b));
    fuzz("PDF read_answers", input, |bytes| {
        let _ = formwerk_pdf::read_answers(&bytes, &form);
    });
}

#[test]
fn german_numbers_parse_and_show_again() {
    let chars = proptest::sample::select(vec![
        '0', '1', '5', '9', '.', ',', '-', '+', ' ', 'e', '\u{a0}', '\u{feff}', '\u{85}',
        '\u{2009}', '€', 'ä', '٣', '\u{3000}',
    ]);
    let input = proptest::collection::vec(chars, 0..40).prop_map(|c| c.into_iter().collect());
    fuzz("German numbers", input, |text: String| {
        if let Some(n) = expr::parse_german(&text) {
            // What is read is shown again as a German number that reads back the same.
            let shown = expr::german(n, None, None);
            assert_eq!(
                expr::parse_german(&shown),
                Some(n),
                "{text:?} shown as {shown:?}"
            );
        }
    });
}

/// Numbers for the identifiers of an expression; a column of three values.
struct Numbers(Vec<i128>);

impl Env for Numbers {
    fn number(&self, id: &str) -> Option<i128> {
        Some(self.0[id.len() % self.0.len()])
    }
    fn column(&self, _table: &str, _column: &str) -> Vec<i128> {
        self.0.clone()
    }
    fn computed(&self, _id: &str) -> Option<&Expr> {
        None
    }
}

#[test]
fn expressions_parse_and_evaluate() {
    const PARTS: &[&str] = &[
        "a",
        "b",
        "t.c",
        "1",
        "0",
        "0.000001",
        "999999999999999999999999",
        "13000000000000",
        "+",
        "-",
        "*",
        "/",
        "(",
        ")",
        ",",
        "==",
        "!=",
        "<",
        ">=",
        "and",
        "or",
        "not",
        "sum(",
        "min(",
        "max(",
        "round(",
        "if(",
        " ",
        "1,5",
        "\"x\"",
        ")))",
        "((((",
    ];
    let text =
        proptest::collection::vec(proptest::sample::select(PARTS), 0..30).prop_map(|p| p.concat());
    let numbers = proptest::collection::vec(
        prop_oneof![
            any::<i64>().prop_map(i128::from),
            Just(i128::MAX),
            Just(i128::MIN),
            Just(0)
        ],
        1..4,
    );
    fuzz("expressions", (text, numbers), |(text, numbers)| {
        if let Ok(e) = expr::parse(&text)
            && let Some(Val::Num(n)) = eval(&e, &Numbers(numbers), 0)
        {
            let _ = expr::german(n, Some(2), Some("€"));
            let _ = expr::to_json_number(n);
        }
    });
}

/// Found by this fuzzing: 10,000 nested brackets overflowed the parser's stack. Deep and long
/// expressions are refused with a place; the deepest allowed evaluates.
#[test]
fn a_deep_or_long_expression_is_refused_without_overflowing_the_stack() {
    for depth in [65, 1_000, 100_000] {
        for text in [
            format!("{}1{}", "(".repeat(depth), ")".repeat(depth)),
            format!("{}1", "-".repeat(depth)),
            format!("{}1{}", "sum(".repeat(depth), ")".repeat(depth)),
        ] {
            let e = expr::parse(&text).expect_err("too deep");
            let why = if depth == 65 {
                "more than 64 levels"
            } else {
                "too long"
            };
            assert!(e.message.contains(why), "{}", e.message);
        }
    }
    let long = vec!["1"; 100_000].join("+");
    assert!(expr::parse(&long).unwrap_err().message.contains("too long"));
    let deepest = format!("{}1{}", "(".repeat(64), ")".repeat(64));
    let e = expr::parse(&deepest).unwrap();
    assert!(matches!(
        eval(&e, &Numbers(vec![1]), 0),
        Some(Val::Num(1_000_000))
    ));
    let longest = vec!["a"; 500].join("*");
    let e = expr::parse(&longest).unwrap();
    assert!(eval(&e, &Numbers(vec![1_000_000]), 0).is_some());
}
