//! The expression language of computed fields (`expr`) and checks (`[[checks]]`): numbers,
//! field references, `table.column`, `+ - * /`, comparisons, `and`, `or`, `sum`, `min`,
//! `max`, `round` and `if`. Parsed here once; the browser evaluates the same tree, serialised
//! into the page's form model ([`Expr::to_json`]), with a small evaluator in form-rules.js (a
//! parity test holds the two together). Numbers are exact: fixed decimals with six places
//! ([`SCALE`]), never binary floating point, so cents add up.

use std::ops::Range;

use serde_json::{Value, json};

/// Numbers are integers counting millionths.
pub const SCALE: i128 = 1_000_000;
/// Decimal places of [`SCALE`].
pub(crate) const PLACES: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::And => "and",
            Op::Or => "or",
        }
    }

    fn precedence(self) -> u8 {
        match self {
            Op::Or => 1,
            Op::And => 2,
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => 3,
            Op::Add | Op::Sub => 4,
            Op::Mul | Op::Div => 5,
        }
    }
}

/// The functions an expression may call.
pub(crate) const FUNCTIONS: &[&str] = &["sum", "min", "max", "round", "if"];

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A number in millionths.
    Num(i128),
    /// A field: its id.
    Ref(String),
    /// A column of a table or a field of a repeatable group: one value per row.
    Col(String, String),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

/// A parsed expression; `span` is a byte range inside the expression's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub node: Node,
    pub span: Range<usize>,
}

/// A syntax error: what is wrong, and where in the expression's text.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i128),
    Name(String),
    Sym(&'static str),
}

fn lex(text: &str) -> Result<Vec<(Tok, Range<usize>)>, SyntaxError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            let raw = &text[start..i];
            let n = parse_decimal(raw).ok_or_else(|| SyntaxError {
                message: format!("`{raw}` is not a number"),
                span: start..i,
            })?;
            out.push((Tok::Num(n), start..i));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Name(text[start..i].to_string()), start..i));
            continue;
        }
        let two = text.get(i..i + 2).unwrap_or("");
        let sym = ["==", "!=", "<=", ">="]
            .into_iter()
            .find(|s| *s == two)
            .or_else(|| {
                ["+", "-", "*", "/", "<", ">", "(", ")", ",", "."]
                    .into_iter()
                    .find(|s| s.as_bytes()[0] == c)
            });
        match sym {
            Some(s) => {
                i += s.len();
                out.push((Tok::Sym(s), start..i));
            }
            None => {
                let ch = text[i..].chars().next().unwrap_or('?');
                let help = if ch == '=' {
                    " (compare with `==`)"
                } else {
                    ""
                };
                return Err(SyntaxError {
                    message: format!("`{ch}` cannot stand in an expression{help}"),
                    span: start..start + ch.len_utf8(),
                });
            }
        }
    }
    Ok(out)
}

/// A plain decimal (`12`, `0.5`) in millionths; `None` for anything else or more than six
/// decimal places.
pub(crate) fn parse_decimal(raw: &str) -> Option<i128> {
    let (neg, raw) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > PLACES as usize
        || (raw.contains('.') && frac.is_empty())
        || int.len() > 24
    {
        return None;
    }
    let mut n: i128 = int.parse().ok()?;
    n *= SCALE;
    if !frac.is_empty() {
        let f: i128 = frac.parse().ok()?;
        n += f * 10i128.pow(PLACES - frac.len() as u32);
    }
    Some(if neg { -n } else { n })
}

/// The most levels of brackets, calls and signs an expression may nest, and the most parts
/// (numbers, names, operators) it may have: the parser, the evaluators (here and in
/// form-rules.js) and dropping a parsed tree recurse once per level, and 10,000 nested
/// brackets overflowed the stack (tests/fuzz.rs).
const MAX_NESTING: u32 = 64;
const MAX_TOKENS: usize = 1_000;

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    end: usize,
    depth: u32,
}

impl Parser {
    /// Runs `f` one level deeper; an error past [`MAX_NESTING`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, SyntaxError>,
    ) -> Result<T, SyntaxError> {
        if self.depth >= MAX_NESTING {
            return self.fail(format!(
                "the expression nests more than {MAX_NESTING} levels of brackets, calls or signs"
            ));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    fn here(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.end..self.end, |t| t.1.clone())
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            message: message.into(),
            span: self.here(),
        })
    }

    fn eat(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(s)) if *s == sym) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn binary_op(&self) -> Option<Op> {
        Some(match self.peek()? {
            Tok::Sym("+") => Op::Add,
            Tok::Sym("-") => Op::Sub,
            Tok::Sym("*") => Op::Mul,
            Tok::Sym("/") => Op::Div,
            Tok::Sym("==") => Op::Eq,
            Tok::Sym("!=") => Op::Ne,
            Tok::Sym("<") => Op::Lt,
            Tok::Sym("<=") => Op::Le,
            Tok::Sym(">") => Op::Gt,
            Tok::Sym(">=") => Op::Ge,
            Tok::Name(n) if n == "and" => Op::And,
            Tok::Name(n) if n == "or" => Op::Or,
            _ => return None,
        })
    }

    fn expr(&mut self, min: u8) -> Result<Expr, SyntaxError> {
        let mut left = self.unary()?;
        while let Some(op) = self.binary_op() {
            let p = op.precedence();
            if p < min {
                break;
            }
            self.pos += 1;
            let right = self.expr(p + 1)?;
            let span = left.span.start..right.span.end;
            left = Expr {
                node: Node::Bin(op, Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        let start = self.here().start;
        if self.eat("-") {
            let inner = self.nested(Self::unary)?;
            let span = start..inner.span.end;
            return Ok(Expr {
                node: Node::Neg(Box::new(inner)),
                span,
            });
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let Some((tok, span)) = self.toks.get(self.pos).cloned() else {
            return self.fail("the expression ends too early");
        };
        match tok {
            Tok::Num(n) => {
                self.pos += 1;
                Ok(Expr {
                    node: Node::Num(n),
                    span,
                })
            }
            Tok::Sym("(") => {
                self.pos += 1;
                let inner = self.nested(|p| p.expr(0))?;
                if !self.eat(")") {
                    return self.fail("a `)` is missing here");
                }
                Ok(inner)
            }
            Tok::Name(name) => {
                self.pos += 1;
                if self.eat("(") {
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.nested(|p| p.expr(0))?);
                            if self.eat(")") {
                                break;
                            }
                            if !self.eat(",") {
                                return self.fail("a `,` or `)` is missing here");
                            }
                        }
                    }
                    let end = self.toks[self.pos - 1].1.end;
                    return Ok(Expr {
                        node: Node::Call(name, args),
                        span: span.start..end,
                    });
                }
                if self.eat(".") {
                    let Some((Tok::Name(col), col_span)) = self.toks.get(self.pos).cloned() else {
                        return self.fail("a column's id must follow the `.`");
                    };
                    self.pos += 1;
                    return Ok(Expr {
                        node: Node::Col(name, col),
                        span: span.start..col_span.end,
                    });
                }
                Ok(Expr {
                    node: Node::Ref(name),
                    span,
                })
            }
            Tok::Sym(s) => self.fail(format!("`{s}` cannot stand here")),
        }
    }
}

/// Parses an expression's text.
pub fn parse(text: &str) -> Result<Expr, SyntaxError> {
    let toks = lex(text)?;
    if toks.is_empty() {
        return Err(SyntaxError {
            message: "the expression is empty".into(),
            span: 0..text.len(),
        });
    }
    if let Some((_, at)) = toks.get(MAX_TOKENS) {
        return Err(SyntaxError {
            message: format!("the expression is too long (more than {MAX_TOKENS} parts)"),
            span: at.start..text.len(),
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: text.len(),
        depth: 0,
    };
    let e = p.expr(0)?;
    if p.pos < p.toks.len() {
        return p.fail("an operator (`+`, `-`, `*`, `/`, `==` …) is missing here");
    }
    Ok(e)
}

/// Writes a number in millionths as a plain decimal with no trailing zeros (`1335.5`).
pub fn plain(n: i128) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let a = n.unsigned_abs();
    let int = a / SCALE as u128;
    let frac = a % SCALE as u128;
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let f = format!("{frac:06}");
    format!("{sign}{int}.{}", f.trim_end_matches('0'))
}

impl Expr {
    /// The tree as the page's script evaluates it.
    pub fn to_json(&self) -> Value {
        match &self.node {
            Node::Num(n) => json!({ "num": plain(*n) }),
            Node::Ref(id) => json!({ "ref": id }),
            Node::Col(t, c) => json!({ "col": [t, c] }),
            Node::Neg(e) => json!({ "neg": e.to_json() }),
            Node::Bin(op, a, b) => json!({ "op": op.symbol(), "a": a.to_json(), "b": b.to_json() }),
            Node::Call(f, args) => {
                json!({ "fn": f, "args": args.iter().map(Expr::to_json).collect::<Vec<_>>() })
            }
        }
    }

    /// Every field the expression names, in order of writing: `(field, column)`.
    pub fn references(&self) -> Vec<(&str, Option<&str>, Range<usize>)> {
        let mut out = Vec::new();
        self.walk(&mut |e| match &e.node {
            Node::Ref(id) => out.push((id.as_str(), None, e.span.clone())),
            Node::Col(t, c) => out.push((t.as_str(), Some(c.as_str()), e.span.clone())),
            _ => {}
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match &self.node {
            Node::Neg(e) => e.walk(f),
            Node::Bin(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Node::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
            _ => {}
        }
    }
}

/// Rounds millionths to `places` decimals, half away from zero. Near the ends of `i128` (a
/// product of huge answers) it saturates instead of overflowing.
pub(crate) fn round_to(n: i128, places: u32) -> i128 {
    let places = places.min(PLACES);
    let step = 10i128.pow(PLACES - places);
    let (q, r) = (n / step, n % step);
    let away = r.unsigned_abs() * 2 >= step.unsigned_abs() && r != 0;
    (if away { q + n.signum() } else { q }).saturating_mul(step)
}

/// A number as people read it in German: `1.234,56`, with `decimals` places (all that are
/// needed, up to six, when `None`) and the unit after a space.
pub fn german(n: i128, decimals: Option<u32>, unit: Option<&str>) -> String {
    let n = match decimals {
        Some(d) => round_to(n, d),
        None => n,
    };
    let sign = if n < 0 { "-" } else { "" };
    let a = n.unsigned_abs();
    let int = (a / SCALE as u128).to_string();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let frac = format!("{:06}", a % SCALE as u128);
    let frac = match decimals {
        Some(d) => frac[..d.min(PLACES) as usize].to_string(),
        None => frac.trim_end_matches('0').to_string(),
    };
    let mut out = format!("{sign}{grouped}");
    if !frac.is_empty() {
        out.push(',');
        out.push_str(&frac);
    }
    if let Some(u) = unit.filter(|u| !u.is_empty()) {
        out.push(' ');
        out.push_str(u);
    }
    out
}

/// A number as typed in German or plainly, in millionths: `1234,56`, `1.234,56`, `1234.56`,
/// `1.234` (a thousand and more: dots in threes are thousands). `None` for anything else
/// (form-rules.js `parseGerman` follows the same rules).
pub fn parse_german(text: &str) -> Option<i128> {
    // White space as the page's parseGerman trims it (a byte order mark is, U+0085 is not).
    let t = formwerk_text::space::trim(text);
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, formwerk_text::space::trim(rest)),
        None => (false, t),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (int, frac) = match body.split_once(',') {
        Some((int, frac)) => {
            if !digits(frac) {
                return None;
            }
            (int, frac)
        }
        None => match body.split_once('.') {
            // One dot: thousands when three digits follow and no more than three precede
            // ("1.234"), else a decimal point ("1234.56").
            Some((a, b)) if !(b.contains('.') || b.len() == 3 && a.len() <= 3) => {
                if !digits(a) || !digits(b) {
                    return None;
                }
                (a, b)
            }
            _ => (body, ""),
        },
    };
    let groups: Vec<&str> = int.split('.').collect();
    let whole_ok = if groups.len() == 1 {
        digits(int)
    } else {
        (1..=3).contains(&groups[0].len())
            && digits(groups[0])
            && groups[1..].iter().all(|g| g.len() == 3 && digits(g))
    };
    if !whole_ok {
        return None;
    }
    let plain = if frac.is_empty() {
        groups.concat()
    } else {
        format!("{}.{frac}", groups.concat())
    };
    parse_decimal(&plain).map(|n| if neg { -n } else { n })
}

/// A JSON number of an answer in millionths (rounded to six places), `None` for anything
/// else.
pub fn from_json(v: &Value) -> Option<i128> {
    let f = v.as_f64()?;
    if !f.is_finite() || f.abs() >= 1e21 {
        return None;
    }
    // An answer exactly halfway at the seventh place (1/128 = 0.0078125, exact in binary)
    // rounds away from zero, as JavaScript's toFixed(6) does; `format!` would round it to even.
    let seven = format!("{f:.7}");
    if seven.ends_with('5') && seven.parse::<f64>() == Ok(f) {
        let cut = parse_decimal(&seven[..seven.len() - 1])?;
        return Some(if f < 0.0 { cut - 1 } else { cut + 1 });
    }
    parse_decimal(&format!("{f:.6}"))
}

/// A number in millionths as the JSON number stored in answers files: a whole number as an
/// integer (`1335`, as JSON.stringify writes it), else a decimal (`1335.5`).
pub fn to_json_number(n: i128) -> Value {
    if n % SCALE == 0
        && let Ok(whole) = i64::try_from(n / SCALE)
    {
        return Value::from(whole);
    }
    plain(n)
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_spans() {
        let e = parse("a + b * 2 == sum(t.c)").unwrap();
        let Node::Bin(Op::Eq, left, right) = &e.node else {
            panic!("{e:?}")
        };
        assert!(matches!(left.node, Node::Bin(Op::Add, _, _)));
        assert_eq!(right.span, 13..21);
        assert_eq!(
            e.references()
                .iter()
                .map(|r| (r.0, r.1))
                .collect::<Vec<_>>(),
            [("a", None), ("b", None), ("t", Some("c"))]
        );
    }

    #[test]
    fn syntax_errors_point_at_the_place() {
        let e = parse("a = b").unwrap_err();
        assert_eq!(e.span, 2..3);
        assert!(e.message.contains("=="), "{}", e.message);
        assert_eq!(parse("sum(a").unwrap_err().span, 5..5);
        assert_eq!(parse("a b").unwrap_err().span, 2..3);
    }

    // German numbers as typed and as shown: tests/vectors/german-numbers.json, one list for
    // this file, form-rules.js and the PDF's scripts (tests/vectors.rs).

    #[test]
    fn json_numbers_and_rounding() {
        // Stored as JSON.stringify writes them, so that checksums agree.
        assert_eq!(to_json_number(1_335_000_000).to_string(), "1335");
        assert_eq!(to_json_number(1_335_500_000).to_string(), "1335.5");
        assert_eq!(to_json_number(-1_000).to_string(), "-0.001");
        assert_eq!(round_to(-2_500_000, 0), -3_000_000);
    }
}
