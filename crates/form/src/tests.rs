//! The form loader from text alone ([`super::parse`]): no files, no site.

use std::path::Path;

use super::{FieldKind, Form, FormFileParsed, parse};
use formwerk_base::diagnostics::{Diagnostics, code};
use formwerk_config::Config;

fn config() -> Config {
    Config::parse(
        Path::new("/site"),
        "title = \"Amt\"\n[variables]\njahr = 2026\n",
    )
    .unwrap()
}

fn parsed(text: &str) -> Result<Option<FormFileParsed>, Diagnostics> {
    let shown = Path::new("content/antrag-neu.form.toml");
    parse(&config(), shown, "antrag-neu", &text.into())
}

fn form(text: &str) -> Form {
    parsed(text)
        .unwrap_or_else(|e| panic!("{}", e.render()))
        .expect("not a draft")
        .form
}

/// The errors of a form: code, 1-based line and column, message.
fn errors(text: &str) -> Vec<(code::Code, (usize, usize), String)> {
    let errors = parsed(text).expect_err("errors").0;
    errors
        .iter()
        .map(|e| {
            assert_eq!(e.file, Path::new("content/antrag-neu.form.toml"));
            (e.code, e.line_col().expect("a place"), e.message.clone())
        })
        .collect()
}

const HEAD: &str = "title = \"Antrag {{ jahr }}\"\nversion = \"1\"\n";

#[test]
fn a_form_from_text_alone() {
    let f = form(&format!(
        "{HEAD}intro = \"Für **{{{{ jahr }}}}**.\"\n\n[[sections]]\nid = \"a\"\ntitle = \"Angaben\"\n\n\
         [[sections.fields]]\nid = \"name\"\nkind = \"text\"\nlabel = \"Name\"\nrequired = true\n\n\
         [[sections.fields]]\nid = \"art\"\nkind = \"choice\"\nlabel = \"Art\"\noptions = [\"Neu\", \"Weiter\"]\n"
    ));
    assert_eq!(f.id, "antrag_neu", "the id from the file name");
    assert_eq!((f.title.as_str(), f.version.as_str()), ("Antrag 2026", "1"));
    let fields: Vec<_> = f
        .fields()
        .map(|x| (x.id.as_str(), x.kind, x.required))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", FieldKind::Text, true),
            ("art", FieldKind::Choice, false)
        ]
    );
    let art = f.fields().find(|x| x.id == "art").unwrap();
    let values: Vec<_> = art.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(values, ["neu", "weiter"]);
    let intro = f.intro.as_ref().expect("an intro");
    // Placeholders in Markdown are filled in when it is rendered, with the page's.
    assert_eq!(intro.markdown, "Für **{{ jahr }}**.");
}

#[test]
fn errors_point_at_line_and_column() {
    let section = "\n[[sections]]\nid = \"a\"\ntitle = \"A\"\n\n[[sections.fields]]\n";
    // Line 9 is the first key of the field.
    let one = |field: &str| {
        let found = errors(&format!("{HEAD}{section}{field}"));
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    };
    let (c, at, m) = one("id = \"b\"\nkind = \"ja_nein\"\nlabel = \"B\"\n");
    assert_eq!((c, at.0), (code::UNKNOWN_VALUE, 10), "{m}");
    let (c, at, m) = one("id = \"b\"\nkind = \"text\"\nlabel = \"B\"\noptions = [\"x\"]\n");
    assert_eq!((c, at), (code::KEY_NOT_FOR_KIND, (12, 11)), "{m}");
    let (c, at, m) = one("id = \"B b\"\nkind = \"text\"\nlabel = \"B\"\n");
    assert_eq!((c, at), (code::INVALID_ID, (9, 6)), "{m}");
    let (c, at, m) = one("id = \"b\"\nkind = \"choice\"\nlabel = \"B\"\noptions = []\n");
    assert_eq!((c, at), (code::EMPTY_OPTIONS, (12, 11)), "{m}");
    let (c, at, m) = one(
        "id = \"b\"\nkind = \"text\"\nlabel = \"B\"\nshow_if = { field = \"c\", equals = true }\n",
    );
    assert_eq!((c, at.0), (code::SHOW_IF_UNKNOWN_FIELD, 12), "{m}");
    let (c, at, m) = one("id = \"b\"\nkind = \"text\"\nlabel = \"B {{ jahrr }}\"\n");
    assert_eq!((c, at), (code::UNKNOWN_VARIABLE, (11, 12)), "{m}");
    let (c, at, m) = one("id = \"b\"\nkind = \"text\nlabel = \"B\"\n");
    assert_eq!((c, at.0), (code::TOML_SYNTAX, 10), "{m}");
    let found = errors(&format!(
        "{HEAD}{section}id = \"b\"\nkind = \"text\"\nlabel = \"B\"\n\n[[sections.fields]]\nid = \"b\"\nkind = \"date\"\nlabel = \"C\"\n"
    ));
    let duplicate: Vec<_> = found.iter().map(|(c, at, _)| (*c, *at)).collect();
    assert_eq!(duplicate, [(code::DUPLICATE_ID, (14, 6))], "{found:?}");
}

#[test]
fn an_attachment_takes_types_sizes_and_counts() {
    let section = "\n[[sections]]\nid = \"a\"\ntitle = \"A\"\n\n[[sections.fields]]\n";
    let f = form(&format!(
        "{HEAD}{section}id = \"plan\"\nkind = \"attachment\"\nlabel = \"Haushaltsplan\"\n\
         accept = [\".PDF\", \"application/pdf\"]\nmax_size = \"500 KB\"\nmax_files = 3\n"
    ));
    let plan = f.fields().next().unwrap();
    let rules = plan.attachment.as_ref().expect("attachment rules");
    assert_eq!(rules.accept, [".pdf", "application/pdf"]);
    assert_eq!((rules.max_size, rules.max_files), (500 * 1024, 3));
    assert_eq!(
        (rules.types.as_str(), rules.size.as_str()),
        ("PDF", "500 KB")
    );
    // Without limits: any type, 10 MB, one file.
    let f = form(&format!(
        "{HEAD}{section}id = \"plan\"\nkind = \"attachment\"\nlabel = \"Plan\"\n"
    ));
    let rules = f.fields().next().unwrap().attachment.clone().unwrap();
    assert_eq!((rules.max_size, rules.max_files), (10 * 1024 * 1024, 1));
    assert!(rules.accept.is_empty());
    // Other kinds have none.
    let f = form(&format!(
        "{HEAD}{section}id = \"b\"\nkind = \"text\"\nlabel = \"B\"\n"
    ));
    assert!(f.fields().next().unwrap().attachment.is_none());
}

#[test]
fn attachment_nonsense_is_refused_at_its_place() {
    let section = "\n[[sections]]\nid = \"a\"\ntitle = \"A\"\n\n[[sections.fields]]\n";
    let field = "id = \"plan\"\nkind = \"attachment\"\nlabel = \"Plan\"\n";
    // Line 12 is the first key after the field's label.
    let one = |extra: &str| {
        let found = errors(&format!("{HEAD}{section}{field}{extra}"));
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    };
    let (c, at, m) = one("max_size = \"zehn MB\"\n");
    assert_eq!((c, at), (code::INVALID_FILE_SIZE, (12, 12)), "{m}");
    assert!(m.contains("`zehn MB` is not a file size"), "{m}");
    let (c, at, m) = one("max_size = \"20 MB\"\n");
    assert_eq!((c, at), (code::INVALID_FILE_SIZE, (12, 12)), "{m}");
    assert!(
        m.contains("more than an attachment may have (10 MB)"),
        "{m}"
    );
    let (c, at, m) = one("max_size = \"0 KB\"\n");
    assert_eq!((c, at), (code::INVALID_FILE_SIZE, (12, 12)), "{m}");
    let (c, at, m) = one("accept = [\".pdf\", \"PDF-Dateien\"]\n");
    assert_eq!((c, at), (code::INVALID_ACCEPT, (12, 19)), "{m}");
    let (c, at, m) = one("max_files = 0\n");
    assert_eq!((c, at), (code::SIZE_OUT_OF_RANGE, (12, 13)), "{m}");
    let (c, at, m) = one("max_files = 11\n");
    assert_eq!((c, at), (code::SIZE_OUT_OF_RANGE, (12, 13)), "{m}");
    let (c, at, m) = one("max_size = 10\n");
    assert_eq!((c, at.0), (code::WRONG_TYPE, 12), "{m}");
    // The keys belong to attachments only.
    let found = errors(&format!(
        "{HEAD}{section}id = \"b\"\nkind = \"text\"\nlabel = \"B\"\nmax_files = 2\n"
    ));
    assert_eq!(found[0].0, code::KEY_NOT_FOR_KIND, "{found:?}");
    // An attachment cannot steer another field.
    let found = errors(&format!(
        "{HEAD}{section}{field}\n[[sections.fields]]\nid = \"c\"\nkind = \"text\"\nlabel = \"C\"\n\
         show_if = {{ field = \"plan\", equals = \"x\" }}\n"
    ));
    assert_eq!(found[0].0, code::SHOW_IF_TARGET_KIND, "{found:?}");
}
