//! Evaluating expressions (src/form/expr.rs) with exact numbers in millionths: over answers
//! as stored, for `formwerk answers`, the PDF and the inbox's rules; form-rules.js does the
//! same in the browser.

use serde_json::Value;

use super::expr::{Expr, Node, Op, SCALE, from_json, round_to};

/// A value while evaluating.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(i128),
    Bool(bool),
    List(Vec<i128>),
}

/// What an expression can read: a number field's answer (missing counts as 0), a column's
/// values, and the expression of a computed field.
pub trait Env {
    fn number(&self, id: &str) -> Option<i128>;
    fn column(&self, table: &str, column: &str) -> Vec<i128>;
    fn computed(&self, id: &str) -> Option<&Expr>;
}

/// `a / b` in millionths, half away from zero.
fn div(a: i128, b: i128) -> Option<i128> {
    if b == 0 {
        return None;
    }
    let num = a.checked_mul(SCALE)?;
    let neg = (num < 0) != (b < 0);
    let q = half_up(num.checked_abs()?, b.checked_abs()?);
    Some(if neg { -q } else { q })
}

/// `a * b` in millionths; `None` beyond the range of `i128` (answers of a hostile file).
fn mul(a: i128, b: i128) -> Option<i128> {
    let p = a.checked_mul(b)?;
    let q = half_up(p.checked_abs()?, SCALE);
    Some(if p < 0 { -q } else { q })
}

/// `n / d` for `n >= 0`, `d > 0`, rounded half up, without overflow near `i128::MAX`.
fn half_up(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if r >= d - r && r != 0 { q + 1 } else { q }
}

/// Evaluates an expression; `None` where it has no value (a division by zero, `min` of no
/// rows). The build has type-checked it, so mismatched types give `None` too.
pub fn eval(e: &Expr, env: &dyn Env, depth: u32) -> Option<Val> {
    if depth > 64 {
        return None;
    }
    let num = |x: &Expr| match eval(x, env, depth) {
        Some(Val::Num(n)) => Some(n),
        _ => None,
    };
    Some(match &e.node {
        Node::Num(n) => Val::Num(*n),
        Node::Ref(id) => match env.computed(id) {
            Some(inner) => eval(inner, env, depth + 1)?,
            None => Val::Num(env.number(id).unwrap_or(0)),
        },
        Node::Col(t, c) => Val::List(env.column(t, c)),
        Node::Neg(x) => Val::Num(num(x)?.checked_neg()?),
        Node::Bin(op @ (Op::And | Op::Or), a, b) => {
            let (Some(Val::Bool(a)), Some(Val::Bool(b))) =
                (eval(a, env, depth), eval(b, env, depth))
            else {
                return None;
            };
            Val::Bool(if *op == Op::And { a && b } else { a || b })
        }
        Node::Bin(op, a, b) => {
            let (a, b) = (num(a)?, num(b)?);
            match op {
                Op::Add => Val::Num(a.checked_add(b)?),
                Op::Sub => Val::Num(a.checked_sub(b)?),
                Op::Mul => Val::Num(mul(a, b)?),
                Op::Div => Val::Num(div(a, b)?),
                Op::Eq => Val::Bool(a == b),
                Op::Ne => Val::Bool(a != b),
                Op::Lt => Val::Bool(a < b),
                Op::Le => Val::Bool(a <= b),
                Op::Gt => Val::Bool(a > b),
                Op::Ge => Val::Bool(a >= b),
                Op::And | Op::Or => return None,
            }
        }
        Node::Call(f, args) => match f.as_str() {
            "if" => match eval(args.first()?, env, depth)? {
                Val::Bool(true) => eval(args.get(1)?, env, depth)?,
                Val::Bool(false) => eval(args.get(2)?, env, depth)?,
                _ => return None,
            },
            "round" => {
                let places = match args.get(1) {
                    Some(p) => num(p)? / SCALE,
                    None => 0,
                };
                Val::Num(round_to(num(args.first()?)?, places.clamp(0, 6) as u32))
            }
            "sum" | "min" | "max" => {
                let mut all = Vec::new();
                for a in args {
                    match eval(a, env, depth)? {
                        Val::Num(n) => all.push(n),
                        Val::List(l) => all.extend(l),
                        Val::Bool(_) => return None,
                    }
                }
                Val::Num(match f.as_str() {
                    "sum" => all.iter().try_fold(0i128, |s, n| s.checked_add(*n))?,
                    "min" => *all.iter().min()?,
                    _ => *all.iter().max()?,
                })
            }
            _ => return None,
        },
    })
}

/// An [`Env`] over answers as stored in answers files and drafts.
pub struct Answers<'a> {
    pub form: &'a super::Form,
    pub answers: &'a serde_json::Map<String, Value>,
}

/// The numbers of one column of a table (or one field of a group's instances) in answers:
/// rows without a number there are left out.
pub fn column_of(answers: &serde_json::Map<String, Value>, table: &str, column: &str) -> Vec<i128> {
    answers
        .get(table)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|row| row.get(column).and_then(from_json))
        .collect()
}

impl Env for Answers<'_> {
    fn number(&self, id: &str) -> Option<i128> {
        self.answers.get(id).and_then(from_json)
    }

    fn column(&self, table: &str, column: &str) -> Vec<i128> {
        column_of(self.answers, table, column)
    }

    fn computed(&self, id: &str) -> Option<&Expr> {
        self.form
            .fields()
            .find(|f| f.id == id)
            .and_then(|f| f.expr.as_ref())
    }
}

impl super::Form {
    /// A computed field's value with these answers, rounded to its decimals.
    pub fn computed_value(
        &self,
        field: &super::Field,
        answers: &serde_json::Map<String, Value>,
    ) -> Option<i128> {
        let env = Answers {
            form: self,
            answers,
        };
        match eval(field.expr.as_ref()?, &env, 0)? {
            Val::Num(n) => Some(field.decimals.map_or(n, |d| round_to(n, d))),
            _ => None,
        }
    }

    /// Whether a check's rule holds for these answers (`true` where it has no value).
    pub fn check_holds(
        &self,
        check: &super::Check,
        answers: &serde_json::Map<String, Value>,
    ) -> bool {
        let env = Answers {
            form: self,
            answers,
        };
        eval(&check.rule, &env, 0) != Some(Val::Bool(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_half_away_from_zero() {
        for (n, places, want) in [
            (2_500_000, 0, 3_000_000),
            (-2_500_000, 0, -3_000_000),
            (2_499_999, 0, 2_000_000),
            (1_234_567, 2, 1_230_000),
            (1_235_000, 2, 1_240_000),
            (-1_235_000, 2, -1_240_000),
            (7, 6, 7),
            (0, 0, 0),
        ] {
            assert_eq!(round_to(n, places), want, "{n} to {places}");
        }
    }

    #[test]
    fn numbers_near_the_ends_of_the_range_have_no_value_instead_of_a_panic() {
        // (2^63 - 1) * 2(2^63 + 1) = 2^127 - 2, one below i128::MAX: rounding it overflowed.
        let (a, b) = (i128::from(i64::MAX), 2 * (i128::from(i64::MAX) + 2));
        assert_eq!(a * b, i128::MAX - 1);
        let product = (i128::MAX - 1) / SCALE;
        assert_eq!(mul(a, b), Some(product));
        assert_eq!(mul(-a, b), Some(-product));
        assert_eq!(mul(i128::MIN, 1), None);
        assert_eq!(div(i128::MAX / SCALE, SCALE), Some(i128::MAX / SCALE));
        assert_eq!(div(i128::MIN / SCALE, -SCALE), Some(-(i128::MIN / SCALE)));
        assert_eq!(div(i128::MAX / SCALE + 1, 1), None);
        assert_eq!(round_to(i128::MAX, 0), i128::MAX / SCALE * SCALE);
        assert_eq!(round_to(i128::MIN, 2), i128::MIN, "saturates");
        assert_eq!(mul(3 * SCALE, 2 * SCALE), Some(6 * SCALE));
        assert_eq!(div(SCALE, 3 * SCALE), Some(333_333));
        assert_eq!(div(2 * SCALE, 3 * SCALE), Some(666_667));
        assert_eq!(div(-SCALE, 2_000_000 * SCALE), Some(-1));
        assert_eq!(mul(1, 500_000), Some(1));
        assert_eq!(mul(1, 499_999), Some(0));
    }
}
