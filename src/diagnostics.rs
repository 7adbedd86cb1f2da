//! Build errors for editors: every problem names its file and, where known, line and column,
//! shows the offending line with a marker and says how to fix it. A build collects all of them
//! before it gives up, so an editor sees every mistake at once. Each problem has a stable
//! [`code`]; `formwerk check --message-format json` writes them one JSON object per line.

pub mod code;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

/// How bad a problem is: errors stop the build, warnings are reported and let it go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in the site's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable name of the kind of problem, one of [`code`]'s constants.
    pub code: code::Code,
    /// The file at fault, relative to the site root where possible.
    pub file: PathBuf,
    /// The file's text, when the problem can be pointed at inside it.
    pub source: Option<Arc<str>>,
    /// Byte range in `source` that is at fault.
    pub range: Option<Range<usize>>,
    pub message: String,
    /// What was expected and how to fix it.
    pub help: Vec<String>,
}

impl Diagnostic {
    /// A problem with a whole file (missing, unreadable, misplaced).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code::UNCLASSIFIED,
            file: file.into(),
            source: None,
            range: None,
            message: message.into(),
            help: Vec::new(),
        }
    }

    /// A problem at a place inside a file.
    pub fn at(
        file: impl Into<PathBuf>,
        source: &Arc<str>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let len = source.len();
        let start = range.start.min(len);
        let end = range.end.clamp(start, len);
        Diagnostic {
            severity: Severity::Error,
            code: code::UNCLASSIFIED,
            file: file.into(),
            source: Some(source.clone()),
            range: Some(start..end),
            message: message.into(),
            help: Vec::new(),
        }
    }

    pub fn with_code(mut self, code: code::Code) -> Self {
        self.code = code;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// 1-based line and column of the start of the range (columns count characters).
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (source, range) = (self.source.as_ref()?, self.range.as_ref()?);
        Some(line_col(source, range.start))
    }

    /// 1-based line and column of the end of the range (the first character after it).
    pub fn end_line_col(&self) -> Option<(usize, usize)> {
        let (source, range) = (self.source.as_ref()?, self.range.as_ref()?);
        Some(line_col(source, range.end))
    }

    /// The report as plain text: `error[code]: …`, `--> file:line:col`, the line with a
    /// marker, help.
    pub fn render(&self) -> String {
        let mut files = Sources::default();
        self.render_in(&mut files)
    }

    /// Renders with the line index of `files`, made once per source text.
    fn render_in(&self, files: &mut Sources) -> String {
        let name = self.file.display().to_string();
        let (Some(source), Some(range)) = (&self.source, &self.range) else {
            let mut out = format!(
                "{}[{}]: {}\n  --> {name}\n",
                self.severity.name(),
                self.code.as_str(),
                self.message
            );
            for help in &self.help {
                out.push_str(&format!("  = help: {help}\n"));
            }
            return out;
        };
        let id = files.id(name, source);
        let report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        let mut report = report
            .with_code(self.code.as_str())
            .with_message(&self.message)
            .with_labels(vec![Label::primary(id, range.clone())]);
        report = report.with_notes(self.help.iter().map(|h| format!("help: {h}")).collect());
        term::emit_into_string(&Config::default(), &files.files, &report)
            .unwrap_or_else(|_| format!("error: {}\n  --> {}\n", self.message, self.file.display()))
    }
}

/// The files that reports point into, each indexed by line once however many reports it has
/// (indexing it again for each of 100,000 broken links made reporting them quadratic).
#[derive(Default)]
struct Sources {
    files: SimpleFiles<String, Arc<str>>,
    ids: HashMap<(String, usize), usize>,
}

impl Sources {
    fn id(&mut self, name: String, source: &Arc<str>) -> usize {
        let key = (name, Arc::as_ptr(source) as *const u8 as usize);
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        crate::work::add(source.len());
        let id = self.files.add(key.0.clone(), source.clone());
        self.ids.insert(key, id);
        id
    }
}

impl Diagnostic {
    /// The diagnostic as one line of JSON, the convention of `cargo --message-format=json`:
    /// `{"file", "line", "column", "end_line", "end_column", "severity", "code", "message",
    /// "hint"}`. Line and column are 1-based, columns count characters, the end is the first
    /// character after the marked text; all four are null for a problem with a whole file.
    /// `hint` is null or the help lines joined by newlines.
    pub fn to_json(&self) -> String {
        let (line, column) = self.line_col().unzip();
        let (end_line, end_column) = self.end_line_col().unzip();
        let hint = (!self.help.is_empty()).then(|| self.help.join("\n"));
        let file = self.file.to_string_lossy().replace('\\', "/");
        serde_json::to_string(&JsonDiagnostic {
            file: &file,
            line,
            column,
            end_line,
            end_column,
            severity: self.severity.name(),
            code: self.code.as_str(),
            message: &self.message,
            hint: hint.as_deref(),
        })
        .expect("plain data serialises")
    }
}

/// A diagnostic's JSON line, its keys in this order.
#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    hint: Option<&'a str>,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, source[line_start..offset].chars().count() + 1)
}

/// Where each line of a text starts, to tell the line and column of many offsets without
/// reading the text again for each.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        crate::work::add(text.len());
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters), as [`line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// Byte offset of a 1-based line and 0-based character column.
pub fn offset_of(source: &str, line: usize, col: usize) -> usize {
    let line_start = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let rest = &source[line_start.min(source.len())..];
    line_start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All problems of one build, in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file, then position, so that two runs print the same report.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.range.as_ref().map(|r| r.start), &a.message).cmp(&(
                &b.file,
                b.range.as_ref().map(|r| r.start),
                &b.message,
            ))
        });
        self.0
            .dedup_by(|a, b| a.file == b.file && a.range == b.range && a.message == b.message);
    }

    /// One line of JSON per diagnostic ([`Diagnostic::to_json`]).
    pub fn to_json_lines(&self) -> String {
        self.0.iter().map(|d| d.to_json() + "\n").collect()
    }

    pub fn render(&self) -> String {
        let mut files = Sources::default();
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render_in(&mut files));
            out.push('\n');
        }
        let n = self.0.len();
        out.push_str(&format!(
            "{n} {} found; nothing was written.\n",
            if n == 1 { "error" } else { "errors" }
        ));
        out
    }
}

impl Diagnostics {
    /// Warnings as `check` prints them: each report, then how many there were.
    pub fn render_warnings(&self) -> String {
        let mut out: String = self.0.iter().map(|d| d.render() + "\n").collect();
        let n = self.0.len();
        out.push_str(&format!(
            "{n} {}; the site builds, but fix {} before publishing.\n",
            if n == 1 { "warning" } else { "warnings" },
            if n == 1 { "it" } else { "them" }
        ));
        out
    }

    /// The same problems as errors (`check --deny-warnings`).
    pub fn into_errors(self) -> Diagnostics {
        Diagnostics(
            self.0
                .into_iter()
                .map(|d| d.with_severity(Severity::Error))
                .collect(),
        )
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}

/// A hash of a file's text that is the same in every run (SipHash with fixed keys), to tell
/// whether a file changed.
/// A bug in Formwerk (a panic) met while working on `file`: reported like a problem of the
/// file, so the build fails cleanly and names it.
pub fn internal_error(file: impl Into<PathBuf>, message: &str) -> Diagnostic {
    Diagnostic::file(
        file,
        format!("Formwerk failed while working on this file (internal error: {message})"),
    )
    .with_code(code::INTERNAL_ERROR)
    .with_help("this is a bug in Formwerk; please report it with this file. Nothing was written; the output keeps the last good build")
}

pub fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// A file's bytes, like `std::fs::read` but in one `read` call where the file is as long as
/// its size says: `std::fs::read` asks once more to see the end, a call per source file
/// that a 10,000-page build made 16,000 times. A file that turns out longer (or says it has
/// no size, like those in /proc) is read on to its end.
fn read_whole(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = file
        .metadata()
        .map_or(0, |m| usize::try_from(m.len()).unwrap_or(0));
    // One byte more than the size: a read that leaves it unfilled has met the end.
    let mut bytes = vec![0; size + 1];
    let mut filled = 0;
    loop {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        } else if filled >= size {
            break;
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Reads a text file, reporting a missing or non-UTF-8 file as a diagnostic.
pub fn read_text(path: &Path, shown: &Path) -> Result<Arc<str>, Diagnostic> {
    let bytes = read_whole(path).map_err(|e| {
        Diagnostic::file(shown, format!("cannot read this file: {e}"))
            .with_code(crate::diagnostics::code::UNREADABLE_FILE)
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.into()),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix: Arc<str> = String::from_utf8_lossy(&bytes[..valid]).into();
            let (line, col) = line_col(&prefix, valid);
            let mut d = Diagnostic::file(
                shown,
                format!(
                    "this file is not UTF-8 text (invalid byte 0x{:02X} at line {line}, column {col})",
                    bytes[valid]
                ),
            ).with_code(crate::diagnostics::code::NOT_UTF8);
            // Point at the place in the valid part, so the report shows the line.
            let mut text = prefix.to_string();
            text.push('\u{FFFD}');
            d.source = Some(text.into());
            d.range = Some(valid..valid + '\u{FFFD}'.len_utf8());
            Err(d.with_help(
                "save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)",
            ))
        }
    }
}

/// Turns a TOML or deserialisation error into a diagnostic with a "did you mean" hint.
pub fn from_toml_error(
    file: &Path,
    source: &Arc<str>,
    offset: usize,
    err: &toml::de::Error,
) -> Diagnostic {
    let message = err.message().trim().to_string();
    let range = err
        .span()
        .map(|r| r.start + offset..r.end + offset)
        .unwrap_or(offset..offset);
    let help = suggestion_for_serde_message(&message)
        .or_else(|| type_hint(&message))
        .unwrap_or_else(|| toml_hint(&message));
    Diagnostic::at(file, source, range, message)
        .with_code(code_of_toml_error(err))
        .with_help(help)
}

/// How to fix what TOML reports besides unknown names and wrong types: a missing key,
/// broken syntax.
fn toml_hint(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("`{key}` is required here: add a line `{key} = …`");
    }
    if message.contains("basic string") || message.contains("literal string") {
        return "close the text with its quote on the same line, or write text of several lines between \"\"\" and \"\"\"".into();
    }
    "check the TOML syntax here: one `key = value` per line, text in quotes, tables in [brackets]"
        .into()
}

/// The code of a TOML error: the parser's syntax errors, or what serde found wrong with the
/// parsed value.
fn code_of_toml_error(err: &toml::de::Error) -> code::Code {
    let message = err.message().trim();
    let starts = |p: &str| message.starts_with(p);
    if starts("unknown field") {
        code::UNKNOWN_KEY
    } else if starts("unknown variant") {
        code::UNKNOWN_VALUE
    } else if starts("missing field") {
        code::MISSING_KEY
    } else if starts("invalid type") || starts("invalid value") || starts("invalid length") {
        code::WRONG_TYPE
    } else {
        code::TOML_SYNTAX
    }
}

/// How to write a value of the type serde expected: "invalid type: string \"ja\", expected a
/// boolean".
fn type_hint(message: &str) -> Option<String> {
    let expected = message
        .strip_prefix("invalid type: ")?
        .rsplit(", expected ")
        .next()?;
    let hint = match expected {
        "a boolean" => "write `true` or `false`, without quotes",
        "a string" => "put the text in quotes, for example \"…\"",
        e if e.starts_with('u') || e.starts_with('i') || e.contains("integer") => {
            "write a whole number without quotes, for example 3"
        }
        e if e.starts_with('f') || e.contains("number") => {
            "write a number without quotes, for example 2.5"
        }
        e if e.contains("sequence") => "write a list in brackets, for example [\"…\", \"…\"]",
        _ => return None,
    };
    Some(hint.to_string())
}

/// serde reports unknown keys and enum values as
/// "unknown field `titel`, expected one of `title`, `weight`"; turn that into a suggestion.
fn suggestion_for_serde_message(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))?;
    let mut ticks = rest.split('`').skip(1).step_by(2);
    let wrong = ticks.next()?;
    let expected: Vec<&str> = ticks.collect();
    if expected.is_empty() {
        return Some(format!("`{wrong}` is not allowed here; remove it"));
    }
    Some(match closest(wrong, expected.iter().copied()) {
        Some(best) => format!(
            "did you mean `{best}`? Allowed here: {}",
            quoted_list(&expected)
        ),
        None => format!("allowed here: {}", quoted_list(&expected)),
    })
}

pub fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many "did you mean" suggestions one page (or one site-wide check) computes: each
/// looks at every candidate, so 100,000 broken links must not each compare themselves with
/// every page of the site. Later errors of the same kind get the general hint.
pub const SUGGESTIONS: usize = 50;

/// The candidate closest to `wrong` by edit distance, if it is plausibly a misspelling.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let wrong_len = wrong.chars().count();
    let limit = |len: usize| (len.max(wrong_len) / 3).max(2);
    candidates
        .into_iter()
        // The lengths alone rule most candidates out without computing a distance.
        .filter(|c| {
            let len = c.chars().count();
            len.abs_diff(wrong_len) <= limit(len)
        })
        .map(|c| (edit_distance(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= limit(c.chars().count()))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_files_of_every_size() {
        let tmp = tempfile::tempdir().unwrap();
        for len in [0, 1, 4095, 4096, 4097, 100_000] {
            let path = tmp.path().join(format!("f{len}"));
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_whole(&path).unwrap(), bytes, "{len} bytes");
        }
        // A file that says it has no size still reads to its end.
        let status = read_whole(Path::new("/proc/self/status")).unwrap();
        assert!(String::from_utf8(status).unwrap().contains("\nPid:"));
        assert!(read_whole(&tmp.path().join("missing")).is_err());
    }

    #[test]
    fn suggests_closest_key() {
        let help = suggestion_for_serde_message(
            "unknown field `titel`, expected one of `title`, `weight`",
        );
        assert_eq!(
            help.as_deref(),
            Some("did you mean `title`? Allowed here: `title`, `weight`")
        );
    }

    #[test]
    fn no_suggestion_for_unrelated_words() {
        assert_eq!(closest("banana", ["title", "weight"]), None);
        assert_eq!(closest("textare", ["text", "textarea"]), Some("textarea"));
    }

    /// 20,000 broken links in one file: the file is indexed once, not once per error.
    #[test]
    fn many_errors_in_one_file_index_it_once() {
        let text: Arc<str> = "[x](nix.md)\n".repeat(20_000).into();
        let mut all = Diagnostics::default();
        for i in 0..20_000 {
            all.push(Diagnostic::at(
                "content/a.md",
                &text,
                i * 12..i * 12 + 11,
                "broken",
            ));
        }
        crate::work::take();
        let report = all.render();
        assert!(
            report.contains("content/a.md:20000:1"),
            "{}",
            &report[report.len() - 300..]
        );
        assert!(crate::work::take() <= text.len() as u64);
    }

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nÜber = 2\n";
        assert_eq!(line_col(src, src.find("= 2").unwrap()), (2, 6));
        let index = LineIndex::new(src);
        for offset in 0..=src.len() {
            if src.is_char_boundary(offset) {
                assert_eq!(index.line_col(offset), line_col(src, offset), "{offset}");
            }
        }
        assert_eq!(offset_of(src, 2, 5), src.find("= 2").unwrap());
    }
}
