//! Checks of computed fields (`expr`) and `[[checks]]` once all fields are known: syntax,
//! references (with did-you-mean), types, columns outside an aggregate, and circles between
//! computed fields. Each problem is reported at its place inside the expression.

use std::collections::{BTreeMap, HashMap};
use std::ops::{Range, RangeInclusive};

use toml::Spanned;

use super::expr::{self, Expr, Node, Op};
use super::file::{CheckFile, SectionFile, value_start};
use super::kind::AnswerShape;
use super::load::Checker;
use super::model::*;
use formwerk_base::diagnostics::{closest, code};

/// The type of an expression's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num,
    Bool,
    /// One number per row: a table's column or a group's field.
    List,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Num => "a number",
            Ty::Bool => "a comparison (true or false)",
            Ty::List => "a column (one value per row)",
        }
    }
}

/// The top-level fields an expression may name, by id.
struct Scope<'f> {
    fields: BTreeMap<&'f str, &'f Field>,
}

/// A function call being checked.
struct Call<'e> {
    name: &'e str,
    args: &'e [Expr],
    /// The file offset the expression's text starts at.
    base: usize,
    /// The call's place in the file.
    at: Range<usize>,
}

/// The help for `t.c` when table or group `f` has no column `c`: the closest column's
/// name, or all of them.
fn columns_help(t: &str, c: &str, f: &Field) -> String {
    match closest(c, f.columns.iter().map(|x| x.id.as_str())) {
        Some(best) => format!("did you mean `{t}.{best}`?"),
        None => format!(
            "the columns of `{t}` are: {}",
            f.columns
                .iter()
                .map(|x| format!("`{}`", x.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Checker<'_> {
    pub(super) fn expressions(
        &mut self,
        sections: &[SectionFile],
        checks: &[CheckFile],
        form: &mut Form,
    ) {
        let mut parsed: Vec<(String, Expr, usize)> = Vec::new();
        let mut rules = Vec::new();
        {
            let scope = Scope {
                fields: form
                    .fields()
                    .filter(|f| !f.id.is_empty())
                    .map(|f| (f.id.as_str(), f))
                    .collect(),
            };
            for (s_in, s_out) in sections.iter().zip(&form.sections) {
                for (f_in, f_out) in s_in.fields.iter().zip(&s_out.fields) {
                    let (Some(text), Some(AnswerShape::Calculated)) =
                        (&f_in.expr, f_out.kind.shape())
                    else {
                        continue;
                    };
                    if let Some((e, base)) = self.typed(&scope, text, Ty::Num) {
                        parsed.push((f_out.id.clone(), e, base));
                    }
                }
            }
            for c in checks {
                let message = self.plain(&c.message);
                if let Some((rule, _)) = self.typed(&scope, &c.rule, Ty::Bool) {
                    let mut fields: Vec<String> = Vec::new();
                    for (id, _, _) in rule.references() {
                        if !fields.iter().any(|f| f == id) {
                            fields.push(id.to_string());
                        }
                    }
                    rules.push(Check {
                        rule,
                        message,
                        fields,
                    });
                }
            }
        }
        form.checks = rules;
        self.computed_cycles(&parsed);
        let mut totals: Vec<(String, String, String)> = Vec::new();
        for (id, e, _) in &parsed {
            if let Node::Call(f, args) = &e.node
                && f == "sum"
                && let [
                    Expr {
                        node: Node::Col(t, c),
                        ..
                    },
                ] = &args[..]
            {
                totals.push((t.clone(), c.clone(), id.clone()));
            }
        }
        let mut by_id: HashMap<String, Expr> =
            parsed.into_iter().map(|(id, e, _)| (id, e)).collect();
        for s in &mut form.sections {
            for f in &mut s.fields {
                f.expr = by_id.remove(&f.id);
                for col in &mut f.columns {
                    col.total = totals
                        .iter()
                        .find(|(t, c, _)| *t == f.id && *c == col.id)
                        .map(|(_, _, id)| id.clone());
                }
                f.totals = f.columns.iter().any(|c| c.total.is_some());
            }
        }
    }

    /// Parses and type-checks an expression written at `text`; `want` is the type it must
    /// have. Returns it with the file offset its text starts at.
    fn typed(&mut self, scope: &Scope, text: &Spanned<String>, want: Ty) -> Option<(Expr, usize)> {
        let base = value_start(self.file_text(), text.span());
        let e = match expr::parse(text.get_ref()) {
            Ok(e) => e,
            Err(err) => {
                self.error(
                    code::EXPR_SYNTAX,
                    base + err.span.start..base + err.span.end.max(err.span.start),
                    err.message,
                    "expressions use numbers, field ids, table.column, + - * /, == != < <= > >=, and, or, sum(), min(), max(), round() and if()",
                );
                return None;
            }
        };
        let got = self.ty(scope, &e, base)?;
        if got != want {
            let help = match (want, got) {
                (Ty::Num, Ty::List) | (Ty::Bool, Ty::List) => {
                    "add the column up with sum(…), or take min(…) or max(…)".to_string()
                }
                (Ty::Bool, _) => {
                    "a check compares, for example sum(finanzierung.betrag) == kosten_gesamt"
                        .to_string()
                }
                _ => "a computed field calculates a number, for example sum(kosten.betrag)"
                    .to_string(),
            };
            let code = if got == Ty::List {
                code::EXPR_NEEDS_AGGREGATE
            } else {
                code::EXPR_TYPE
            };
            self.error(
                code,
                base + e.span.start..base + e.span.end,
                format!(
                    "this gives {}, but {} is needed here",
                    got.name(),
                    want.name()
                ),
                help,
            );
            return None;
        }
        Some((e, base))
    }

    /// The type of `e`, whose text starts at file offset `base`; `None` once the reason it
    /// has none is reported.
    fn ty(&mut self, scope: &Scope, e: &Expr, base: usize) -> Option<Ty> {
        let at = base + e.span.start..base + e.span.end;
        match &e.node {
            Node::Num(_) => Some(Ty::Num),
            Node::Ref(id) => self.ref_ty(scope, id, at),
            Node::Col(t, c) => self.col_ty(scope, t, c, at),
            Node::Neg(x) => {
                let t = self.ty(scope, x, base)?;
                self.expect(t, Ty::Num, x, base, "`-`")
            }
            Node::Bin(op, a, b) => self.bin_ty(scope, *op, a, b, base),
            Node::Call(name, args) => self.call(scope, name, args, e, base),
        }
    }

    /// A field named by its id: a number or computed field is a number; a table, a group
    /// or any other field is an error. Decided by the shape of its answer, so that a new
    /// kind must be placed here.
    fn ref_ty(&mut self, scope: &Scope, id: &str, at: Range<usize>) -> Option<Ty> {
        let f = self.known(scope, id, at.clone())?;
        match f.kind.shape() {
            Some(AnswerShape::Number | AnswerShape::Calculated) => Some(Ty::Num),
            Some(AnswerShape::Rows(_)) => {
                let col = f
                    .columns
                    .iter()
                    .find(|c| AnswerShape::is_typed_number(c.kind.shape()))
                    .map_or("betrag", |c| c.id.as_str());
                self.error(
                    code::EXPR_TYPE,
                    at,
                    format!("`{id}` is a {}: name one of its columns", f.kind.name()),
                    format!("for example sum({id}.{col})"),
                );
                None
            }
            Some(
                AnswerShape::Text { .. }
                | AnswerShape::Date
                | AnswerShape::YesNo
                | AnswerShape::Choice
                | AnswerShape::Ticks
                | AnswerShape::Lines
                | AnswerShape::Files,
            )
            | None => {
                self.error(
                    code::EXPR_TYPE,
                    at,
                    format!(
                        "`{id}` is a `{}` field; expressions calculate with numbers",
                        f.kind.name()
                    ),
                    "name a number field, a computed field or a table's number column",
                );
                None
            }
        }
    }

    /// `t.c`: a number column of table or group `t`, one value per row.
    fn col_ty(&mut self, scope: &Scope, t: &str, c: &str, at: Range<usize>) -> Option<Ty> {
        let f = self.known(scope, t, at.clone())?;
        if !matches!(f.kind.shape(), Some(AnswerShape::Rows(_))) {
            self.error(
                code::EXPR_TYPE,
                at,
                format!(
                    "`{t}` is a `{}` field, not a table or group: it has no columns",
                    f.kind.name()
                ),
                format!("write just `{t}`"),
            );
            return None;
        }
        let Some(col) = f.columns.iter().find(|x| x.id == *c) else {
            self.error(
                code::EXPR_UNKNOWN_COLUMN,
                at,
                format!("`{t}` has no column `{c}`"),
                columns_help(t, c, f),
            );
            return None;
        };
        if !AnswerShape::is_typed_number(col.kind.shape()) {
            self.error(
                code::EXPR_TYPE,
                at,
                format!(
                    "`{t}.{c}` is a `{}` column; expressions calculate with numbers",
                    col.kind.name()
                ),
                "name a number column",
            );
            return None;
        }
        Some(Ty::List)
    }

    /// `a op b`: `and` and `or` join comparisons, the others take numbers; arithmetic gives
    /// a number, a comparison true or false.
    fn bin_ty(&mut self, scope: &Scope, op: Op, a: &Expr, b: &Expr, base: usize) -> Option<Ty> {
        let (ta, tb) = (self.ty(scope, a, base), self.ty(scope, b, base));
        let (ta, tb) = (ta?, tb?);
        let operand = match op {
            Op::And | Op::Or => Ty::Bool,
            _ => Ty::Num,
        };
        let what = format!("`{}`", op.symbol());
        self.expect(ta, operand, a, base, &what)?;
        self.expect(tb, operand, b, base, &what)?;
        Some(match op {
            Op::Add | Op::Sub | Op::Mul | Op::Div => Ty::Num,
            _ => Ty::Bool,
        })
    }

    /// A function call: its arguments' types first, then the function's own rules.
    fn call(
        &mut self,
        scope: &Scope,
        name: &str,
        args: &[Expr],
        e: &Expr,
        base: usize,
    ) -> Option<Ty> {
        let call = Call {
            name,
            args,
            base,
            at: base + e.span.start..base + e.span.end,
        };
        let types: Vec<Option<Ty>> = args.iter().map(|a| self.ty(scope, a, base)).collect();
        let types: Vec<Ty> = types.into_iter().collect::<Option<_>>()?;
        match name {
            "sum" | "min" | "max" => self.aggregate_ty(&call, &types),
            "round" => self.round_ty(&call, &types),
            "if" => self.if_ty(&call, &types),
            _ => {
                let help = match closest(name, expr::FUNCTIONS.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "the functions are sum, min, max, round and if".into(),
                };
                self.error(
                    code::EXPR_UNKNOWN_FIELD,
                    base + e.span.start..base + e.span.start + name.len(),
                    format!("there is no function `{name}`"),
                    help,
                );
                None
            }
        }
    }

    /// Whether the call has a number of arguments in `allowed`; reports what the function
    /// takes (`usage`) when not.
    fn arity(&mut self, call: &Call, allowed: RangeInclusive<usize>, usage: &str) -> bool {
        if allowed.contains(&call.args.len()) {
            return true;
        }
        let name = call.name;
        self.error(
            code::EXPR_SYNTAX,
            call.at.clone(),
            format!("`{name}` takes {usage}"),
            format!(
                "write for example {}",
                match name {
                    "round" => "round(kosten_gesamt, 2)",
                    "if" => "if(a > b, a, b)",
                    _ => "sum(kosten.betrag)",
                }
            ),
        );
        false
    }

    /// `sum`, `min` and `max` of numbers and columns: a number.
    fn aggregate_ty(&mut self, call: &Call, types: &[Ty]) -> Option<Ty> {
        if !self.arity(call, 1..=usize::MAX, "one or more numbers or columns") {
            return None;
        }
        for (a, t) in call.args.iter().zip(types) {
            if *t == Ty::Bool {
                self.expect(*t, Ty::Num, a, call.base, &format!("`{}`", call.name))?;
            }
        }
        Some(Ty::Num)
    }

    /// `round(x)` or `round(x, places)` with places a whole number from 0 to 6.
    fn round_ty(&mut self, call: &Call, types: &[Ty]) -> Option<Ty> {
        let (args, base) = (call.args, call.base);
        if !self.arity(
            call,
            1..=2,
            "a number and, optionally, the decimal places (0 to 6)",
        ) {
            return None;
        }
        self.expect(types[0], Ty::Num, &args[0], base, "`round`")?;
        if let Some(p) = args.get(1)
            && !matches!(p.node, Node::Num(n) if n % expr::SCALE == 0 && (0..=6 * expr::SCALE).contains(&n))
        {
            self.error(
                code::EXPR_TYPE,
                base + p.span.start..base + p.span.end,
                "the decimal places of `round` must be a whole number from 0 to 6",
                "for example round(kosten_gesamt, 2)",
            );
            return None;
        }
        Some(Ty::Num)
    }

    /// `if(condition, then, else)`: a comparison and two numbers.
    fn if_ty(&mut self, call: &Call, types: &[Ty]) -> Option<Ty> {
        let (args, base) = (call.args, call.base);
        if !self.arity(
            call,
            3..=3,
            "a condition and two values: if(condition, then, else)",
        ) {
            return None;
        }
        self.expect(types[0], Ty::Bool, &args[0], base, "the condition of `if`")?;
        self.expect(types[1], Ty::Num, &args[1], base, "`if`")?;
        self.expect(types[2], Ty::Num, &args[2], base, "`if`")?;
        Some(Ty::Num)
    }

    fn expect(&mut self, got: Ty, want: Ty, e: &Expr, base: usize, what: &str) -> Option<Ty> {
        if got == want {
            return Some(got);
        }
        let at = base + e.span.start..base + e.span.end;
        if got == Ty::List {
            let name = match &e.node {
                Node::Col(t, c) => format!("`{t}.{c}`"),
                _ => "a column".into(),
            };
            self.error(
                code::EXPR_NEEDS_AGGREGATE,
                at,
                format!("{name} has one value per row and cannot stand in {what} by itself"),
                "add it up with sum(…), or take min(…) or max(…)",
            );
        } else {
            self.error(
                code::EXPR_TYPE,
                at,
                format!(
                    "{what} needs {}, but this gives {}",
                    want.name(),
                    got.name()
                ),
                "compare numbers with == != < <= > >=, and join comparisons with and / or",
            );
        }
        None
    }

    fn known<'f>(&mut self, scope: &Scope<'f>, id: &str, at: Range<usize>) -> Option<&'f Field> {
        if let Some(f) = scope.fields.get(id) {
            return Some(*f);
        }
        let help = match closest(id, scope.fields.keys().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "name the id of a number field, computed field or table of this form".into(),
        };
        self.error(
            code::EXPR_UNKNOWN_FIELD,
            at,
            format!("this form has no field `{id}`"),
            help,
        );
        None
    }

    /// Computed fields that need each other's values in a circle can never be calculated.
    fn computed_cycles(&mut self, parsed: &[(String, Expr, usize)]) {
        let deps: HashMap<&str, Vec<(&str, Range<usize>)>> = parsed
            .iter()
            .map(|(id, e, base)| {
                let refs = e
                    .references()
                    .into_iter()
                    .filter(|(_, col, _)| col.is_none())
                    .map(|(r, _, span)| (r, base + span.start..base + span.end))
                    .collect();
                (id.as_str(), refs)
            })
            .collect();
        // 1: on the path walked now; 2: done.
        let mut state: HashMap<&str, u8> = HashMap::new();
        let mut path: Vec<(&str, Range<usize>)> = Vec::new();
        for (id, _, _) in parsed {
            self.visit(id, &deps, &mut state, &mut path);
        }
    }

    fn visit<'p>(
        &mut self,
        id: &'p str,
        deps: &HashMap<&'p str, Vec<(&'p str, Range<usize>)>>,
        state: &mut HashMap<&'p str, u8>,
        path: &mut Vec<(&'p str, Range<usize>)>,
    ) {
        match state.get(id) {
            Some(2) => return,
            Some(_) => {
                let from = path.iter().position(|(n, _)| *n == id).unwrap_or(0);
                let mut names: Vec<&str> = path[from..].iter().map(|(n, _)| *n).collect();
                names.push(id);
                let at = path[from..]
                    .iter()
                    .map(|(_, r)| r.clone())
                    .min_by_key(|r| r.start)
                    .unwrap_or(0..0);
                self.error(
                    code::COMPUTED_CYCLE,
                    at,
                    format!(
                        "these computed fields need each other's values in a circle: {}",
                        names.join(" → ")
                    ),
                    "such values can never be calculated; let one of them use only fields outside the circle",
                );
                return;
            }
            None => {}
        }
        state.insert(id, 1);
        for (next, at) in deps.get(id).into_iter().flatten() {
            if deps.contains_key(next) {
                path.push((id, at.clone()));
                self.visit(next, deps, state, path);
                path.pop();
            }
        }
        state.insert(id, 2);
    }
}
