//! The XLSX workbook: sheet "Antworten" (two header rows with labels and keys, frozen, widths
//! from the content, long texts wrapped), one sheet per table or repeatable group of the form
//! (one row per table row or instance, with the application's file and identifying answer),
//! and sheet "Prüfung" (every file's problems). Text is always written as text, so a
//! "=HYPERLINK(…)" answer stays text; in the row sheets numbers are numbers (with the form's
//! decimals and unit as the number format), so that a clerk can add them up. Rows are
//! streamed (constant memory mode): the table is never held twice.

use std::path::Path;

use std::collections::BTreeSet;

use anyhow::Context;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::columns::{Column, Part};
use super::{Merged, table};
use formwerk_form::AnswerShape;

const MAX_WIDTH: usize = 60;
const WRAP_FROM: usize = 60;

/// The cell formats the sheets share.
struct Formats {
    /// Header labels: bold, wrapped, on grey.
    header: Format,
    /// Header keys: italic, grey.
    key: Format,
    /// Long or multi-line text.
    wrap: Format,
    /// Everything else, at the top of its cell.
    top: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("#E8E8E8"),
            key: Format::new().set_italic().set_font_color("#555555"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            top: Format::new().set_align(FormatAlign::Top),
        }
    }
}

/// Writes the workbook: the answers, one sheet per table or group, the problems.
pub fn write(merged: &Merged, path: &Path) -> anyhow::Result<()> {
    let s = &merged.strings;
    let mut book = Workbook::new();
    let formats = Formats::new();
    let mut names = BTreeSet::from([s.get("problems_sheet").to_lowercase()]);
    answers_sheets(&mut book, merged, &formats, &mut names)?;
    for column in merged.columns.iter().filter(|c| !c.parts.is_empty()) {
        let name = sheet_name(&column.label, &mut names);
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        rows_sheet(sheet, merged, column, &formats)?;
    }
    problems_sheet(book.add_worksheet_with_constant_memory()?, merged, &formats)?;
    book.save(path)?;
    Ok(())
}

/// The most columns an Excel sheet holds.
const EXCEL_COLUMNS: usize = 16_384;

/// Sheet "Antworten": labels and keys as two frozen header rows, then one row per
/// application that was not refused; long texts wrap. Columns beyond what a sheet holds
/// (a file with thousands of unknown keys) go on to further sheets "Antworten (Fortsetzung 2)",
/// … , each beginning with the file (and identifying answer) again, so that no answer is lost.
/// The sheets are written side by side, each row's cells made once.
fn answers_sheets(
    book: &mut Workbook,
    merged: &Merged,
    f: &Formats,
    names: &mut BTreeSet<String>,
) -> anyhow::Result<()> {
    let (labels, ids) = merged.headers();
    let widths = column_widths(merged, &ids);
    let keep = 1 + usize::from(merged.form.identify.is_some());
    let rest: Vec<usize> = (keep..ids.len()).collect();
    let mut chunks: Vec<&[usize]> = rest.chunks(EXCEL_COLUMNS - keep).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    let mut sheets = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        let name = match n {
            0 => merged.strings.get("answers_sheet"),
            n => merged
                .strings
                .fmt("answers_sheet_more", &[("n", &(n + 1).to_string())]),
        };
        let shown: Vec<usize> = (0..keep).chain(chunk.iter().copied()).collect();
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        sheet.set_name(sheet_name(&name, names))?;
        sheet.set_freeze_panes(2, 1)?;
        // Constant memory mode writes row by row.
        for (col, &i) in shown.iter().enumerate() {
            let col = col as u16;
            sheet.set_column_width(col, widths[i].min(MAX_WIDTH) as f64 + 2.0)?;
            sheet.write_string_with_format(0, col, &labels[i], &f.header)?;
        }
        for (col, &i) in shown.iter().enumerate() {
            sheet.write_string_with_format(1, col as u16, &ids[i], &f.key)?;
        }
        sheets.push((sheet, shown));
    }
    for (row, app) in merged.rows().enumerate() {
        let cells = merged.cells(app);
        for (sheet, shown) in &mut sheets {
            answers_row(sheet, row as u32 + 2, &cells, shown, merged, f)
                .with_context(|| format!("a cell of {}", app.file))?;
        }
    }
    for (sheet, _) in sheets {
        book.push_worksheet(sheet);
    }
    Ok(())
}

/// One application's cells `shown` (indexes into its `cells`) in row `row` of an answers sheet.
fn answers_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[String],
    shown: &[usize],
    merged: &Merged,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (col, &i) in shown.iter().enumerate() {
        let text = &cells[i];
        if text.is_empty() {
            continue;
        }
        let format = if text.chars().count() > WRAP_FROM || text.contains('\n') {
            &f.wrap
        } else {
            &f.top
        };
        let text = fit(text, &merged.strings);
        sheet.write_string_with_format(row, col as u16, text.as_ref(), format)?;
    }
    Ok(())
}

/// Each column's width in characters, from its key and its cells' longest lines; known
/// before any row is written, as constant memory mode needs.
fn column_widths(merged: &Merged, ids: &[String]) -> Vec<usize> {
    let mut widths: Vec<usize> = ids.iter().map(|i| i.chars().count().max(8)).collect();
    for app in merged.rows() {
        for (w, c) in widths.iter_mut().zip(merged.cells(app)) {
            let longest = c.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            *w = (*w).max(longest);
        }
    }
    widths
}

/// Sheet "Prüfung": every file, refused or not, with its version, status and problems.
fn problems_sheet(sheet: &mut Worksheet, merged: &Merged, f: &Formats) -> Result<(), XlsxError> {
    let s = &merged.strings;
    sheet.set_name(s.get("problems_sheet"))?;
    let heads = [
        s.get("col_file"),
        merged
            .identify_label()
            .map_or_else(|| s.get("col_identify"), String::from),
        s.get("col_version"),
        s.get("col_status"),
        s.get("col_problems"),
    ];
    for (col, (h, w)) in heads.iter().zip([40.0, 30.0, 12.0, 24.0, 90.0]).enumerate() {
        sheet.set_column_width(col as u16, w)?;
        sheet.write_string_with_format(0, col as u16, h, &f.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (row, app) in (1..).zip(&merged.apps) {
        let status = super::table::status_text(app, s);
        let problems = if app.problems.is_empty() {
            s.get("no_problems")
        } else {
            app.problems.join("\n")
        };
        let cells = [&app.file, &app.identify, &app.version, &status, &problems];
        for (col, text) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, fit(text, s).as_ref(), &f.wrap)?;
        }
    }
    Ok(())
}

/// A sheet name Excel accepts — at most 31 characters, none of `[]:*?/\\` — and unlike the
/// names taken so far.
fn sheet_name(label: &str, taken: &mut BTreeSet<String>) -> String {
    let clean: String = label
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'');
    let base: String = clean.chars().take(28).collect();
    let base = if base.trim().is_empty() {
        "Tabelle".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        name = format!("{base} {n}");
        n += 1;
    }
    name
}

/// One row per table row or group instance of every application that was not refused:
/// file, identifying answer (when the form has `identify`), its number, then the row's cells.
fn rows_sheet(
    sheet: &mut Worksheet,
    merged: &Merged,
    column: &Column,
    f: &Formats,
) -> Result<(), XlsxError> {
    let s = &merged.strings;
    let identify = merged.identify_label().map(String::from);
    let mut fixed = vec![(s.get("col_file"), "file".to_string(), 30.0)];
    fixed.extend(identify.map(|label| (label, "identify".to_string(), 30.0)));
    fixed.push((s.get("col_row"), "row".to_string(), 6.0));
    let offset = fixed.len() as u16;
    let parts = column.parts.iter().map(|p| {
        let width = if matches!(
            p.kind.shape(),
            Some(AnswerShape::Text {
                multiline: true,
                ..
            })
        ) {
            60.0
        } else {
            20.0
        };
        (p.label.clone(), p.id.clone(), width)
    });
    // Row by row: in constant-memory mode a row is written out when the next one begins, so
    // a late write to row 0 would be dropped ("Ignoring write to previously written row 0").
    let headers: Vec<(String, String, f64)> = fixed.into_iter().chain(parts).collect();
    for (col, (label, _, width)) in headers.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(0, col as u16, label, &f.header)?;
    }
    for (col, (_, id, _)) in headers.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, id, &f.key)?;
    }
    sheet.set_freeze_panes(2, 1)?;
    let formats: Vec<Option<Format>> = column.parts.iter().map(number_format).collect();
    let mut row = 2u32;
    for app in merged.rows() {
        let Some(items) = app.answers.get(&column.key).and_then(Value::as_array) else {
            continue;
        };
        for (n, item) in items.iter().enumerate() {
            sheet.write_string_with_format(row, 0, fit(&app.file, s).as_ref(), &f.top)?;
            if offset == 3 {
                sheet.write_string_with_format(row, 1, fit(&app.identify, s).as_ref(), &f.top)?;
            }
            sheet.write_number_with_format(row, offset - 1, (n + 1) as f64, &f.top)?;
            for (i, part) in column.parts.iter().enumerate() {
                let col = i as u16 + offset;
                let Some(value) = item.get(&part.id) else {
                    continue;
                };
                match (&formats[i], value.as_f64()) {
                    (Some(format), Some(number)) => {
                        sheet.write_number_with_format(row, col, number, format)?;
                    }
                    _ => {
                        let text =
                            table::shown(part.kind, part.decimals, part.unit.as_deref(), value);
                        if !text.is_empty() {
                            let format = if text.contains('\n') { &f.wrap } else { &f.top };
                            sheet.write_string_with_format(
                                row,
                                col,
                                fit(&text, s).as_ref(),
                                format,
                            )?;
                        }
                    }
                }
            }
            row += 1;
        }
    }
    Ok(())
}

/// Numbers keep the form's decimals and unit as an Excel number format ("#,##0.00 \"€\""),
/// which Excel shows in the reader's own way (1.234,50 € in German).
fn number_format(part: &Part) -> Option<Format> {
    if !AnswerShape::is_typed_number(part.kind.shape()) {
        return None;
    }
    let mut code = "#,##0".to_string();
    if let Some(d) = part.decimals.filter(|d| *d > 0) {
        code.push('.');
        code.push_str(&"0".repeat(d.min(10) as usize));
    }
    if let Some(unit) = part.unit.as_deref().filter(|u| !u.is_empty()) {
        code.push_str(&format!(" \"{}\"", unit.replace('"', "")));
    }
    Some(
        Format::new()
            .set_num_format(code)
            .set_align(FormatAlign::Top),
    )
}

/// The most characters an Excel cell holds.
const EXCEL_CELL: usize = 32_767;

/// `text` as a cell can hold it: a longer one (an honest 40,000-character answer) is cut with
/// a visible note saying how much is left out and where the whole text is, so that the XLSX
/// of the whole batch is still written (the CSV and the per-file report keep it whole).
fn fit<'t>(text: &'t str, s: &crate::Strings) -> std::borrow::Cow<'t, str> {
    if text.len() <= EXCEL_CELL {
        return std::borrow::Cow::Borrowed(text);
    }
    let total = text.chars().count();
    if total <= EXCEL_CELL {
        return std::borrow::Cow::Borrowed(text);
    }
    // The note's length with the widest numbers it can carry.
    let room = EXCEL_CELL
        - s.fmt(
            "xlsx_cut",
            &[("n", &total.to_string()), ("total", &total.to_string())],
        )
        .chars()
        .count();
    let kept: String = text.chars().take(room).collect();
    let note = s.fmt(
        "xlsx_cut",
        &[("n", &room.to_string()), ("total", &total.to_string())],
    );
    std::borrow::Cow::Owned(kept + &note)
}
