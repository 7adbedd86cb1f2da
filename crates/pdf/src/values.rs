//! Answers and field text: how an answer is written into a PDF field, and how a field's text
//! is read back as an answer. Dates are written the German way (TT.MM.JJJJ); numbers with a
//! decimal comma. Reading accepts those and the ISO forms.

use serde_json::Value;

use formwerk_form::{AnswerShape, FieldKind};

/// The text a field of `kind` shows for an answer.
pub(crate) fn to_text(kind: FieldKind, value: &Value) -> Option<String> {
    use AnswerShape::*;
    let text = match value {
        Value::String(s) => match kind.shape() {
            Some(Date) => match s.split('-').collect::<Vec<_>>()[..] {
                [y, m, d] if y.len() == 4 => format!("{d}.{m}.{y}"),
                _ => s.clone(),
            },
            Some(
                Text { .. }
                | Number
                | Calculated
                | YesNo
                | Choice
                | Ticks
                | Lines
                | Rows(_)
                | Files,
            )
            | None => s.clone(),
        },
        Value::Number(n) => match kind.shape() {
            Some(Number) => n.to_string().replace('.', ","),
            Some(
                Text { .. } | Date | Calculated | YesNo | Choice | Ticks | Lines | Rows(_) | Files,
            )
            | None => n.to_string(),
        },
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// The answer for a text field's text; `Err` with a reason when it does not fit the kind.
pub(crate) fn from_text(kind: FieldKind, text: &str) -> Result<Value, String> {
    use AnswerShape::*;
    let t = text.trim();
    match kind.shape() {
        Some(Date) => parse_date(t)
            .map(Value::String)
            .ok_or_else(|| format!("„{t}“ ist kein Datum (TT.MM.JJJJ)")),
        Some(Number) => parse_number(t).ok_or_else(|| format!("„{t}“ ist keine Zahl")),
        Some(Text { .. } | Calculated | YesNo | Choice | Ticks | Lines | Rows(_) | Files)
        | None => Ok(Value::String(text.to_string())),
    }
}

fn parse_date(t: &str) -> Option<String> {
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = match t.split(['.', '-']).collect::<Vec<_>>()[..] {
        [y, m, d] if t.contains('-') => (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?),
        [d, m, y] if t.contains('.') => (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?),
        _ => return None,
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m).then_some(())?;
    (1..=days[m as usize - 1]).contains(&d).then_some(())?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A number typed into a PDF field or table cell, read as the form page reads table cells
/// (`expr::parse_german`): "1.234,5", "1234,5", "1234.5", and "1.500" a thousand and five
/// hundred (dots in threes are thousands); spaces are ignored.
pub(crate) fn parse_number(t: &str) -> Option<Value> {
    let t: String = t
        .chars()
        .filter(|c| !formwerk_text::space::is_js_space(*c))
        .collect();
    formwerk_form::expr::parse_german(&t).map(formwerk_form::expr::to_json_number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_and_numbers_round_trip() {
        assert_eq!(
            to_text(FieldKind::Date, &json!("2026-03-01")).unwrap(),
            "01.03.2026"
        );
        assert_eq!(
            from_text(FieldKind::Date, "01.03.2026").unwrap(),
            json!("2026-03-01")
        );
        assert_eq!(
            from_text(FieldKind::Date, "1.3.2026").unwrap(),
            json!("2026-03-01")
        );
        assert_eq!(
            from_text(FieldKind::Date, "2026-03-01").unwrap(),
            json!("2026-03-01")
        );
        assert!(from_text(FieldKind::Date, "31.02.2026").is_err());
        assert_eq!(
            to_text(FieldKind::Number, &json!(1234.5)).unwrap(),
            "1234,5"
        );
        assert_eq!(
            from_text(FieldKind::Number, "1234,5").unwrap(),
            json!(1234.5)
        );
        assert_eq!(
            from_text(FieldKind::Number, "1.234,5").unwrap(),
            json!(1234.5)
        );
        assert_eq!(from_text(FieldKind::Number, "12.5").unwrap(), json!(12.5));
        assert_eq!(from_text(FieldKind::Number, "42").unwrap(), json!(42));
        assert!(from_text(FieldKind::Number, "viel").is_err());
        // As the form page reads table cells: dots in threes are thousands, spaces ignored.
        assert_eq!(from_text(FieldKind::Number, "1.500").unwrap(), json!(1500));
        assert_eq!(
            from_text(FieldKind::Number, "1 234,5").unwrap(),
            json!(1234.5)
        );
        assert_eq!(
            from_text(FieldKind::Number, "1.234.567").unwrap(),
            json!(1234567)
        );
        assert!(from_text(FieldKind::Number, "1e5").is_err());
    }
}
