//! The XLSX workbook: sheet "Antworten" (two header rows with labels and keys, frozen, widths
//! from the content, long texts wrapped) and sheet "Prüfung" (every file's problems). Cells
//! are always written as text, so a "=HYPERLINK(…)" answer stays text. Rows are streamed
//! (constant memory mode): the table is never held twice.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::Merged;

const MAX_WIDTH: usize = 60;
const WRAP_FROM: usize = 60;

pub fn write(merged: &Merged, path: &Path) -> Result<(), XlsxError> {
    let s = &merged.strings;
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#E8E8E8");
    let key = Format::new().set_italic().set_font_color("#555555");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);

    let (labels, ids) = merged.headers();
    // Widths from the headers' keys and the cells' longest lines, before any row is written.
    let mut widths: Vec<usize> = ids.iter().map(|i| i.chars().count().max(8)).collect();
    for app in merged.rows() {
        for (w, c) in widths.iter_mut().zip(merged.cells(app)) {
            let longest = c.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            *w = (*w).max(longest);
        }
    }
    {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(s.get("answers_sheet"))?;
        for (col, w) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, (*w).min(MAX_WIDTH) as f64 + 2.0)?;
        }
        sheet.set_freeze_panes(2, 1)?;
        // Constant memory mode writes row by row.
        for (col, label) in labels.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, label, &header)?;
        }
        for (col, id) in ids.iter().enumerate() {
            sheet.write_string_with_format(1, col as u16, id, &key)?;
        }
        for (row, app) in merged.rows().enumerate() {
            let row = row as u32 + 2;
            for (col, text) in merged.cells(app).iter().enumerate() {
                if text.is_empty() {
                    continue;
                }
                let format = if text.chars().count() > WRAP_FROM || text.contains('\n') {
                    &wrap
                } else {
                    &top
                };
                sheet.write_string_with_format(row, col as u16, text, format)?;
            }
        }
    }
    {
        let sheet = book.add_worksheet_with_constant_memory()?;
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
            sheet.write_string_with_format(0, col as u16, h, &header)?;
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
                sheet.write_string_with_format(row, col as u16, *text, &wrap)?;
            }
        }
    }
    book.save(path)
}
