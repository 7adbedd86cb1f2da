//! Build errors for editors: every problem names its file and, where known, line and column,
//! shows the offending line with a marker and says how to fix it. A build collects all of them
//! before it gives up, so an editor sees every mistake at once. Each problem has a stable
//! [`code`]; `formwerk check --message-format json` writes them one JSON object per line.

pub mod code;
mod reading;
mod suggest;

pub use reading::{from_toml_error, read_on, read_text, text_of, unreadable};
pub use suggest::{SUGGESTIONS, closest, quoted_list};

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
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
    pub(crate) fn end_line_col(&self) -> Option<(usize, usize)> {
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

/// A hash of a file's text that is the same in every run, to tell whether a file changed.
/// Fx, not SipHash: the text is the site's own, not chosen by a stranger to collide, and
/// every source passes through here (SipHash was 0.8 % of a build's instructions).
pub fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

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
