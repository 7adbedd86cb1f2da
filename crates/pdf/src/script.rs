//! Computed fields recalculated by the PDF reader: each computed field gets a calculate
//! action, its expression (src/form/expr.rs) written as JavaScript of the Acrobat form API
//! subset that Acrobat, Firefox (pdf.js) and other readers implement, and the document the
//! shared helpers of `calculate.js` once, in its /Names /JavaScript tree. The helpers
//! compute as src/form/eval.rs does: exact millionths, rounding half away from zero, empty
//! number fields 0, table cells read like `formwerk answers` reads them; a reader without
//! JavaScript shows the value the PDF was written with, and `formwerk answers` always
//! calculates computed values again from the typed inputs.

use std::collections::HashMap;

use formwerk_form::expr::{Expr, Node, Op, SCALE};
use formwerk_form::{AnswerShape, Check, Field, Form};

/// The shared helpers, defined once per document.
pub(crate) const HELPERS: &str = include_str!("calculate.js");

/// The name of the helpers' script in the /Names /JavaScript tree.
pub(crate) const HELPERS_NAME: &str = "formwerk";

/// The format and keystroke action of a number cell or field a calculation reads: it keeps
/// the typed text (see `FW.keep`) and changes nothing.
pub(crate) const KEEP_TEXT: &str = "FW.keep(event);";

/// Past this a number cannot be held exactly by the reader's JavaScript: such a literal
/// gives no value, as an overflow does.
const EXACT: i128 = (1 << 53) - 1;

/// How a computed field's calculation reads the PDF: the number of rows (instances) the
/// PDF has of each table (group).
pub struct Rows<'a> {
    pub form: &'a Form,
    pub rows: &'a HashMap<String, usize>,
}

impl Rows<'_> {
    /// The calculate action's script of a computed field: its value, rounded to its
    /// decimals and shown as the PDF writes it (`1.234,56`; the unit stands beside the
    /// box), or empty.
    pub fn calculate(&self, field: &Field) -> Option<String> {
        let e = field.expr.as_ref()?;
        let places = field
            .decimals
            .map_or("null".to_string(), |d| d.min(6).to_string());
        // `d`, the document: `this` of the action, also inside the functions of `if`.
        Some(format!(
            "event.value = (function (d) {{ return FW.show({}, {places}); }})(this);",
            self.expr(e, 0)
        ))
    }

    /// The calculate action of the check area: the messages of the `[[checks]]` whose
    /// rule is false, one a line (a rule without a value, as with an empty division, holds
    /// as on the page).
    pub fn checks(&self, checks: &[Check]) -> String {
        let list: Vec<String> = checks
            .iter()
            .map(|c| format!("[{}, {}]", self.expr(&c.rule, 0), js_string(&c.message)))
            .collect();
        format!(
            "event.value = (function (d) {{ return FW.failed([{}]).join(\"\\n\"); }})(this);",
            list.join(", ")
        )
    }

    fn field(&self, id: &str) -> Option<&Field> {
        self.form.fields().find(|f| f.id == id)
    }

    fn expr(&self, e: &Expr, depth: u32) -> String {
        if depth > 64 {
            return "null".into();
        }
        let js = |x: &Expr| self.expr(x, depth);
        match &e.node {
            Node::Num(n) if n.abs() <= EXACT => n.to_string(),
            Node::Num(_) => "null".into(),
            Node::Ref(id) => match self.field(id) {
                Some(f) if calculated(f) => match &f.expr {
                    // As on import: the other computed field's expression again, unrounded.
                    Some(inner) => format!("({})", self.expr(inner, depth + 1)),
                    None => "null".into(),
                },
                Some(f) => self.shown(f, format!("FW.n(d, {})", js_string(id)), "0"),
                None => "0".into(),
            },
            Node::Col(t, c) => match self.field(t) {
                Some(f) => self.shown(
                    f,
                    format!(
                        "FW.col(d, {}, {}, {})",
                        js_string(t),
                        js_string(c),
                        self.rows.get(t).copied().unwrap_or(0)
                    ),
                    "[]",
                ),
                None => "[]".into(),
            },
            Node::Neg(x) => format!("FW.neg({})", js(x)),
            Node::Bin(op, a, b) => {
                let (a, b) = (js(a), js(b));
                match op {
                    Op::Add => format!("FW.add({a}, {b})"),
                    Op::Sub => format!("FW.sub({a}, {b})"),
                    Op::Mul => format!("FW.mul({a}, {b})"),
                    Op::Div => format!("FW.div({a}, {b})"),
                    Op::And => format!("FW.and({a}, {b})"),
                    Op::Or => format!("FW.or({a}, {b})"),
                    cmp => format!("FW.cmp(\"{}\", {a}, {b})", cmp.symbol()),
                }
            }
            Node::Call(f, args) => match (f.as_str(), &args[..]) {
                ("if", [c, a, b]) => format!(
                    "FW.iff({}, function () {{ return {}; }}, function () {{ return {}; }})",
                    js(c),
                    js(a),
                    js(b)
                ),
                ("round", [x, rest @ ..]) => {
                    let places = match rest.first().map(|p| &p.node) {
                        Some(Node::Num(n)) => (n / SCALE).clamp(0, 6),
                        Some(_) => return "null".into(),
                        None => 0,
                    };
                    format!("FW.round({}, {places})", js(x))
                }
                ("sum" | "min" | "max", _) => format!(
                    "FW.agg(\"{f}\", [{}])",
                    args.iter().map(js).collect::<Vec<_>>().join(", ")
                ),
                _ => "null".into(),
            },
        }
    }

    /// `value` where `field` shows (its `show_if` conditions, up the chain, hold), else
    /// `hidden`: `formwerk answers` leaves hidden fields out, so they count as empty.
    fn shown(&self, field: &Field, value: String, hidden: &str) -> String {
        let mut conditions = Vec::new();
        let mut at = field;
        while let Some(s) = &at.show_if {
            let Some(controller) = self.field(&s.field) else {
                break;
            };
            // A multiple choice's options are fields of their own.
            let name = match controller.kind.shape() {
                Some(AnswerShape::Ticks) => format!("{}.{}", s.field, s.equals),
                Some(
                    AnswerShape::Text { .. }
                    | AnswerShape::Date
                    | AnswerShape::Number
                    | AnswerShape::Calculated
                    | AnswerShape::YesNo
                    | AnswerShape::Choice
                    | AnswerShape::Lines
                    | AnswerShape::Rows(_)
                    | AnswerShape::Files,
                )
                | None => s.field.clone(),
            };
            conditions.push(format!(
                "FW.is(d, {}, {})",
                js_string(&name),
                js_string(&s.equals)
            ));
            if conditions.len() > 16 {
                break;
            }
            at = controller;
        }
        if conditions.is_empty() {
            value
        } else {
            format!("({} ? {value} : {hidden})", conditions.join(" && "))
        }
    }
}

/// The computed fields in an order to calculate them: one that uses another's value after
/// it (the model has no circles; the build refuses them).
pub fn order(form: &Form) -> Vec<&Field> {
    fn visit<'f>(form: &'f Form, f: &'f Field, out: &mut Vec<&'f Field>, depth: u32) {
        if depth > 64 || out.iter().any(|o| o.id == f.id) {
            return;
        }
        for (id, col, _) in f.expr.iter().flat_map(|e| e.references()) {
            if col.is_none()
                && let Some(dep) = form.fields().find(|d| d.id == id && calculated(d))
            {
                visit(form, dep, out, depth + 1);
            }
        }
        if !out.iter().any(|o| o.id == f.id) {
            out.push(f);
        }
    }
    let mut out = Vec::new();
    for f in form.fields().filter(|f| calculated(f) && f.expr.is_some()) {
        visit(form, f, &mut out, 0);
    }
    out
}

/// The number fields (not computed ones) some computed field reads: like table cells, their
/// typed text is kept for the calculation (see [`KEEP_TEXT`]).
pub(crate) fn number_fields_read(form: &Form) -> Vec<&str> {
    let mut out = Vec::new();
    for f in form.fields().filter(|f| calculated(f)) {
        for (id, c, _) in f.expr.iter().flat_map(|e| e.references()) {
            let number = form
                .fields()
                .any(|g| g.id == id && AnswerShape::is_typed_number(g.kind.shape()));
            if c.is_none() && number {
                out.push(id);
            }
        }
    }
    out
}

/// The columns (`table`, `column`) some computed field reads.
pub fn columns(form: &Form) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for f in form.fields().filter(|f| calculated(f)) {
        for (t, c, _) in f.expr.iter().flat_map(|e| e.references()) {
            if let Some(c) = c {
                out.push((t, c));
            }
        }
    }
    out
}

/// Whether the field is a computed one, calculated from others.
fn calculated(f: &Field) -> bool {
    f.kind.shape() == Some(AnswerShape::Calculated)
}

/// A JavaScript string literal in ASCII: the script stays readable in any PDF encoding.
pub(crate) fn js_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_stay_ascii() {
        assert_eq!(js_string("€ \"x\"\\"), "\"\\u20ac \\\"x\\\"\\\\\"");
        assert_eq!(js_string("😀"), "\"\\ud83d\\ude00\"");
    }
}
