//! Checks of single fields: attributes that fit the kind, option lists, `show_if`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use toml::Spanned;

use super::file::{FieldFile, KIND_KEYS, SectionFile, kinds_taking};
use super::kind::AnswerShape;
use super::load::Checker;
use super::model::*;
use formwerk_base::diagnostics::{closest, code, quoted_list};
use formwerk_text::slug::slugify;

/// The input purposes of WCAG 2.1 (section 7) that `autocomplete` may name, and `off`.
const AUTOCOMPLETE: &[&str] = &[
    "off",
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "organization-title",
    "username",
    "organization",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level4",
    "address-level3",
    "address-level2",
    "address-level1",
    "country",
    "country-name",
    "postal-code",
    "language",
    "bday",
    "bday-day",
    "bday-month",
    "bday-year",
    "sex",
    "url",
    "photo",
    "tel",
    "tel-country-code",
    "tel-national",
    "tel-area-code",
    "tel-local",
    "tel-local-prefix",
    "tel-local-suffix",
    "tel-extension",
    "email",
    "impp",
];

impl Checker<'_> {
    /// Each of the [`KIND_KEYS`] belongs to certain kinds ([`FieldKind::takes`]); anything
    /// else is a mistake worth naming.
    pub(super) fn check_attributes(&mut self, f: &FieldFile, kind: FieldKind) {
        for name in KIND_KEYS {
            if let Some(range) = f.key_span(name)
                && !kind.takes(name)
            {
                let kinds: Vec<&str> = kinds_taking(name).iter().map(|k| k.name()).collect();
                let help = match *name {
                    "hint" if kind.takes("text") => "write it into the text itself".into(),
                    _ => format!(
                        "remove `{name}`, or use it with kind {}",
                        quoted_list(&kinds)
                    ),
                };
                self.error(
                    code::KEY_NOT_FOR_KIND,
                    range,
                    format!(
                        "`{name}` does not apply to a field of kind `{}`",
                        kind.name()
                    ),
                    help,
                );
            }
        }
        if let Some(a) = &f.autocomplete
            && !AUTOCOMPLETE.contains(&a.get_ref().as_str())
        {
            let help = match closest(a.get_ref(), AUTOCOMPLETE.iter().copied()) {
                Some(best) => format!("did you mean \"{best}\"?"),
                None => "use an input purpose of WCAG 1.3.5, for example \"organization\", \"street-address\", \"name\", \"tel\" or \"email\"".into(),
            };
            self.error(
                code::UNKNOWN_VALUE,
                a.span(),
                format!("\"{}\" is not an autocomplete purpose", a.get_ref()),
                help,
            );
        }
    }

    pub(super) fn options(
        &mut self,
        f: &FieldFile,
        kind: FieldKind,
        id: &str,
    ) -> Vec<ChoiceOption> {
        if !kind.takes("options") {
            return Vec::new();
        }
        let Some(list) = &f.options else {
            self.error(
                code::MISSING_OPTIONS,
                f.kind.span(),
                format!("the `{}` field `{id}` has no options", kind.name()),
                "add options = [\"…\", \"…\"]",
            );
            return Vec::new();
        };
        if list.get_ref().is_empty() {
            self.error(
                code::EMPTY_OPTIONS,
                list.span(),
                format!("the option list of `{id}` is empty"),
                "give at least one option, for example options = [\"Bevölkerung\", \"Soziales\"]",
            );
            return Vec::new();
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for option in list.get_ref() {
            let at = option.span();
            let label = self.plain(&Spanned::new(at.clone(), option.get_ref().label.clone()));
            let value_text = option
                .get_ref()
                .value
                .clone()
                .unwrap_or_else(|| slugify(&label));
            if label.trim().is_empty() {
                self.error(
                    code::EMPTY_OPTION_LABEL,
                    at.clone(),
                    "an option's label is empty",
                    "write the option's text",
                );
            } else if value_text.is_empty()
                || !value_text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                self.error(code::INVALID_OPTION_VALUE, at, format!("`{value_text}` cannot be used as an option value"), "give the option a value of letters, digits, `-` and `_`: { value = \"…\", label = \"…\" }");
            } else if value_text == "other" && f.other.is_some() {
                self.error(
                    code::RESERVED_OPTION_VALUE,
                    at,
                    "the value `other` is taken by the field's `other` option",
                    "give this option another value",
                );
            } else if !seen.insert(value_text.clone()) {
                self.error(
                    code::DUPLICATE_OPTION,
                    at,
                    format!("the option `{value_text}` appears twice in `{id}`"),
                    "every option needs its own label or value",
                );
            }
            out.push(ChoiceOption {
                id: format!("{id}-{value_text}"),
                value: value_text,
                label,
            });
        }
        out
    }

    /// Resolves `show_if` once all fields are known: it may name a field further down.
    pub(super) fn show_ifs(
        &mut self,
        sections: &[SectionFile],
        form: &mut Form,
        ids: &BTreeMap<String, Range<usize>>,
    ) {
        let by_id: BTreeMap<String, Field> = form
            .fields()
            .filter(|f| !f.id.is_empty())
            .map(|f| (f.id.clone(), f.clone()))
            .collect();
        // field → (the field it depends on, where that is written)
        let mut depends: Vec<(String, String, Range<usize>)> = Vec::new();
        for (s_in, s_out) in sections.iter().zip(form.sections.iter_mut()) {
            for (f_in, f_out) in s_in.fields.iter().zip(s_out.fields.iter_mut()) {
                let Some(cond) = &f_in.show_if else { continue };
                let cond = cond.get_ref();
                let name = cond.field.get_ref();
                let Some(target) = by_id.get(name) else {
                    let help = match closest(name, ids.keys().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "name the id of another field of this form".to_string(),
                    };
                    self.error(
                        code::SHOW_IF_UNKNOWN_FIELD,
                        cond.field.span(),
                        format!("show_if names `{name}`, but this form has no field with that id"),
                        help,
                    );
                    continue;
                };
                if target.id == f_out.id {
                    self.error(
                        code::SHOW_IF_SELF,
                        cond.field.span(),
                        "a field cannot depend on itself",
                        "name another field in show_if",
                    );
                    continue;
                }
                depends.push((f_out.id.clone(), name.clone(), cond.field.span()));
                if let Some(equals) = self.condition_value(target, &cond.equals) {
                    f_out.show_if = Some(ShowIf {
                        field: name.clone(),
                        equals,
                    });
                }
            }
        }
        self.show_if_cycles(&depends);
    }

    /// Fields whose `show_if` conditions depend on each other in a circle can never be
    /// shown. Each field depends on at most one other, so one walk along the conditions,
    /// visiting every field once, finds every circle.
    fn show_if_cycles(&mut self, depends: &[(String, String, Range<usize>)]) {
        let next: HashMap<&str, (&str, &Range<usize>)> = depends
            .iter()
            .map(|(from, to, at)| (from.as_str(), (to.as_str(), at)))
            .collect();
        // 1: on the path walked now; 2: done.
        let mut state: HashMap<&str, u8> = HashMap::new();
        for (start, _, _) in depends {
            let mut path: Vec<&str> = Vec::new();
            let mut node = start.as_str();
            loop {
                match state.get(node) {
                    Some(2) => break,
                    Some(_) => {
                        let from = path.iter().position(|n| *n == node).unwrap_or(0);
                        self.report_cycle(&path[from..], &next);
                        break;
                    }
                    None => {
                        state.insert(node, 1);
                        path.push(node);
                        match next.get(node) {
                            Some((to, _)) => node = to,
                            None => break,
                        }
                    }
                }
            }
            for n in path {
                state.insert(n, 2);
            }
        }
    }

    fn report_cycle(&mut self, cycle: &[&str], next: &HashMap<&str, (&str, &Range<usize>)>) {
        // Reported where the first of the circle's conditions is written.
        let Some(at) = cycle
            .iter()
            .filter_map(|n| next.get(n))
            .map(|(_, at)| *at)
            .min_by_key(|r| r.start)
        else {
            return;
        };
        let first = cycle
            .iter()
            .position(|n| next.get(n).is_some_and(|(_, r)| r.start == at.start))
            .unwrap_or(0);
        let mut names: Vec<&str> = cycle[first..]
            .iter()
            .chain(&cycle[..first])
            .copied()
            .collect();
        names.push(names[0]);
        self.error(
            code::SHOW_IF_CYCLE,
            at.clone(),
            format!(
                "these show_if conditions depend on each other in a circle: {}",
                names.join(" → ")
            ),
            "such fields can never be shown; let one of them depend on a field outside the circle, or remove its show_if",
        );
    }

    fn condition_value(&mut self, target: &Field, equals: &Spanned<toml::Value>) -> Option<String> {
        use AnswerShape::*;
        let span = equals.span();
        match (target.kind.shape(), equals.get_ref()) {
            (Some(YesNo), toml::Value::Boolean(b)) => Some(b.to_string()),
            (Some(YesNo), _) => {
                self.error(
                    code::SHOW_IF_VALUE,
                    span,
                    format!(
                        "`{}` is a yes/no field: compare it with true (ja) or false (nein)",
                        target.id
                    ),
                    "write equals = true or equals = false",
                );
                None
            }
            (Some(Choice | Ticks), toml::Value::String(s)) => self.option_value(target, s, span),
            (Some(Text { .. } | Date | Number), toml::Value::String(s)) => Some(s.clone()),
            (Some(Number), v @ (toml::Value::Integer(_) | toml::Value::Float(_))) => {
                Some(v.to_string())
            }
            (Some(Lines | Files) | None, _) => {
                self.error(
                    code::SHOW_IF_TARGET_KIND,
                    span,
                    format!(
                        "show_if cannot depend on the `{}` field `{}`",
                        target.kind.name(),
                        target.id
                    ),
                    "depend on a yes/no, choice, text, date or number field",
                );
                None
            }
            (Some(Choice | Ticks | Text { .. } | Date | Number | Calculated | Rows(_)), _) => {
                self.error(
                    code::SHOW_IF_VALUE,
                    span,
                    "the value to compare with must be text",
                    "write equals = \"…\"",
                );
                None
            }
        }
    }

    /// The option of a choice that `show_if` names by its value or label.
    fn option_value(&mut self, target: &Field, s: &str, span: Range<usize>) -> Option<String> {
        let found = target.options.iter().find(|o| o.value == s || o.label == s);
        match found {
            Some(o) => Some(o.value.clone()),
            None if target.other.is_some() && s == "other" => Some("other".into()),
            None => {
                let labels: Vec<&str> = target.options.iter().map(|o| o.label.as_str()).collect();
                let help = match closest(s, labels.iter().copied()) {
                    Some(best) => format!("did you mean \"{best}\"?"),
                    None => format!("the options are: {}", quoted_list(&labels)),
                };
                self.error(
                    code::SHOW_IF_VALUE,
                    span,
                    format!("\"{s}\" is not an option of `{}`", target.id),
                    help,
                );
                None
            }
        }
    }
}
