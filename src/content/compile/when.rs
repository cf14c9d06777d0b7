//! Conditions (`when`, `ask_if`): the compiler from TOML tables to
//! [`Cond`] trees, shared by every kind of rule.

use toml::Spanned;

use super::{Checker, Names, Scope, suggestion};
use crate::content::raw::RawValue;
use crate::model::{Cond, Level, Likelihood, NumRange, Question, QuestionKind};

/// Compiles a `when` of `file`, reading answers (and, for advice, the
/// level and the causes) as `scope` allows.
pub(super) fn compile_when(
    ck: &mut Checker,
    file: usize,
    names: &Names,
    questions: &[Question],
    scope: Scope,
    when: &Node,
) -> Option<Cond> {
    CondCompiler {
        ck,
        file,
        names,
        questions,
        scope,
    }
    .compile(when)
}

struct CondCompiler<'a, 'b> {
    ck: &'a mut Checker<'b>,
    file: usize,
    names: &'a Names,
    questions: &'a [Question],
    scope: Scope,
}

type Node = Spanned<RawValue>;

impl CondCompiler<'_, '_> {
    fn err<T>(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) -> Option<T> {
        self.ck.report(self.file, span, message);
        None
    }

    /// A table: every entry must hold.
    fn compile(&mut self, node: &Node) -> Option<Cond> {
        let RawValue::Table(entries) = node.get_ref() else {
            return self.err(
                node.span(),
                format!(
                    "a condition must be a table such as {{ locking = true }}, found {}",
                    node.get_ref().type_name()
                ),
            );
        };
        if entries.is_empty() {
            return self.err(
                node.span(),
                "an empty condition; leave `when` out to mean always",
            );
        }
        let mut parts = Vec::new();
        let mut ok = true;
        for (key, value) in entries {
            match self.entry(key, value) {
                Some(c) => parts.push(c),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(if parts.len() == 1 {
            parts.pop().unwrap_or(Cond::All(Vec::new()))
        } else {
            Cond::All(parts)
        })
    }

    fn entry(&mut self, key: &Spanned<String>, value: &Node) -> Option<Cond> {
        let name = key.get_ref().as_str();
        match name {
            "any" | "all" => {
                let RawValue::Array(items) = value.get_ref() else {
                    return self.err(
                        value.span(),
                        format!(
                            "`{name}` takes an array of conditions, found {}",
                            value.get_ref().type_name()
                        ),
                    );
                };
                if items.is_empty() {
                    return self.err(value.span(), format!("`{name}` has no conditions"));
                }
                let parts: Vec<Option<Cond>> = items.iter().map(|i| self.compile(i)).collect();
                let parts: Option<Vec<Cond>> = parts.into_iter().collect();
                parts.map(|p| {
                    if name == "any" {
                        Cond::Any(p)
                    } else {
                        Cond::All(p)
                    }
                })
            }
            "not" => self.compile(value).map(|c| Cond::Not(Box::new(c))),
            "triage" if self.scope == Scope::Advice => self.triage(value),
            "cause" if self.scope == Scope::Advice => self.cause(value),
            "triage" | "cause" => self.err(
                key.span(),
                format!("`{name}` can only be used in advice conditions"),
            ),
            _ => self.answer(key, value),
        }
    }

    fn strings(&mut self, value: &Node, what: &str) -> Option<Vec<Spanned<String>>> {
        match value.get_ref() {
            RawValue::Str(s) => Some(vec![Spanned::new(value.span(), s.clone())]),
            RawValue::Array(items) if !items.is_empty() => {
                let mut out = Vec::new();
                for i in items {
                    match i.get_ref() {
                        RawValue::Str(s) => out.push(Spanned::new(i.span(), s.clone())),
                        other => {
                            return self.err(
                                i.span(),
                                format!("{what}: expected a string, found {}", other.type_name()),
                            );
                        }
                    }
                }
                Some(out)
            }
            other => self.err(
                value.span(),
                format!(
                    "{what}: expected a string or a non-empty array of strings, found {}",
                    other.type_name()
                ),
            ),
        }
    }

    fn triage(&mut self, value: &Node) -> Option<Cond> {
        let names = self.strings(value, "triage")?;
        let mut mask = 0u8;
        for n in names {
            match Level::from_name(n.get_ref()) {
                Some(l) => mask |= 1 << l.index(),
                None => {
                    let all = Level::ALL.map(Level::as_str);
                    let hint = suggestion(n.get_ref(), all);
                    return self.err(
                        n.span(),
                        format!(
                            "unknown triage level \"{}\"{hint}; allowed: {}",
                            n.get_ref(),
                            all.join(", ")
                        ),
                    );
                }
            }
        }
        Some(Cond::Triage { mask })
    }

    fn cause(&mut self, value: &Node) -> Option<Cond> {
        let RawValue::Table(entries) = value.get_ref() else {
            return self.err(
                value.span(),
                format!(
                    "`cause` takes a table such as {{ pfps = \"likely\" }}, found {}",
                    value.get_ref().type_name()
                ),
            );
        };
        let mut parts = Vec::new();
        for (id, lik) in entries {
            let Some(&cause) = self.names.causes.get(id.get_ref()) else {
                let hint = suggestion(id.get_ref(), self.names.causes.keys().map(String::as_str));
                return self.err(
                    id.span(),
                    format!("unknown cause \"{}\"{hint}", id.get_ref()),
                );
            };
            let mut mask = 0u8;
            for l in self.strings(lik, "cause likelihood")? {
                let bit = match l.get_ref().as_str() {
                    "unlikely" => Likelihood::Unlikely,
                    "possible" => Likelihood::Possible,
                    "likely" => Likelihood::Likely,
                    other => {
                        let hint = suggestion(other, ["unlikely", "possible", "likely"]);
                        return self.err(l.span(), format!("unknown likelihood \"{other}\"{hint}; allowed: unlikely, possible, likely"));
                    }
                };
                mask |= 1 << (bit as u8);
            }
            parts.push(Cond::CauseIs { cause, mask });
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::All(parts)
        })
    }

    fn answer(&mut self, key: &Spanned<String>, value: &Node) -> Option<Cond> {
        let name = key.get_ref();
        let Some(&q) = self.names.questions.get(name) else {
            let mut candidates: Vec<&str> =
                self.names.questions.keys().map(String::as_str).collect();
            candidates.extend(["any", "all", "not"]);
            if self.scope == Scope::Advice {
                candidates.extend(["triage", "cause"]);
            }
            let hint = suggestion(name, candidates);
            return self.err(key.span(), format!("unknown answer key \"{name}\"{hint}"));
        };
        let question = &self.questions[q];
        // `{ answered = true/false }` works for every type.
        if let RawValue::Table(entries) = value.get_ref()
            && let [(k, v)] = entries.as_slice()
            && k.get_ref() == "answered"
        {
            return match v.get_ref() {
                RawValue::Bool(b) => Some(Cond::Answered { q, answered: *b }),
                other => self.err(
                    v.span(),
                    format!(
                        "`answered` takes true or false, found {}",
                        other.type_name()
                    ),
                ),
            };
        }
        match question.kind {
            QuestionKind::Enum => {
                let mask = self.options(q, value)?;
                Some(Cond::OneOf { q, mask })
            }
            QuestionKind::Bool => match value.get_ref() {
                RawValue::Bool(b) => Some(Cond::Flag { q, value: *b }),
                other => self.err(
                    value.span(),
                    format!(
                        "\"{name}\" is a yes/no question: expected true or false, found {}",
                        other.type_name()
                    ),
                ),
            },
            QuestionKind::List => {
                if let RawValue::Table(entries) = value.get_ref() {
                    let [(op, items)] = entries.as_slice() else {
                        return self.err(value.span(), format!("\"{name}\" list test takes one of {{ any = [...] }}, {{ all = [...] }} or {{ none = [...] }}"));
                    };
                    let mask = self.options(q, items)?;
                    return match op.get_ref().as_str() {
                        "any" => Some(Cond::HasAny { q, mask }),
                        "all" => Some(Cond::HasAll { q, mask }),
                        "none" => Some(Cond::HasNone { q, mask }),
                        other => {
                            let hint = suggestion(other, ["any", "all", "none", "answered"]);
                            self.err(op.span(), format!("unknown list test \"{other}\"{hint}; allowed: any, all, none, answered"))
                        }
                    };
                }
                let mask = self.options(q, value)?;
                Some(Cond::HasAny { q, mask })
            }
            QuestionKind::Int | QuestionKind::Number | QuestionKind::Days => self.range(q, value),
        }
    }

    fn options(&mut self, q: usize, value: &Node) -> Option<u64> {
        let question = &self.questions[q];
        let what = format!(
            "\"{}\" is a choice question ({})",
            question.id,
            question.option_values().join(", ")
        );
        let values = self.strings(value, &what)?;
        let question = &self.questions[q];
        let mut mask = 0u64;
        for v in values {
            match question.option_index(v.get_ref()) {
                Some(i) => mask |= 1 << i,
                None => {
                    let allowed = question.option_values();
                    let hint = suggestion(v.get_ref(), allowed.iter().copied());
                    let msg = format!(
                        "unknown value \"{}\" for \"{}\"{hint}; allowed: {}",
                        v.get_ref(),
                        question.id,
                        allowed.join(", ")
                    );
                    return self.err(v.span(), msg);
                }
            }
        }
        Some(mask)
    }

    fn range(&mut self, q: usize, value: &Node) -> Option<Cond> {
        let name = self.questions[q].id.clone();
        let number = |v: &RawValue| match v {
            RawValue::Int(i) => Some(*i as f64),
            RawValue::Float(f) if f.is_finite() => Some(*f),
            _ => None,
        };
        let mut range = NumRange::default();
        match value.get_ref() {
            RawValue::Table(entries) => {
                for (op, bound) in entries {
                    let Some(b) = number(bound.get_ref()) else {
                        return self.err(
                            bound.span(),
                            format!(
                                "bound of \"{name}\" must be a number, found {}",
                                bound.get_ref().type_name()
                            ),
                        );
                    };
                    match op.get_ref().as_str() {
                        "gt" => range.gt = Some(b),
                        "gte" => range.gte = Some(b),
                        "lt" => range.lt = Some(b),
                        "lte" => range.lte = Some(b),
                        "eq" => {
                            range.gte = Some(b);
                            range.lte = Some(b);
                        }
                        other => {
                            let hint =
                                suggestion(other, ["gt", "gte", "lt", "lte", "eq", "answered"]);
                            return self.err(op.span(), format!("unknown comparison \"{other}\" for \"{name}\"{hint}; allowed: gt, gte, lt, lte, eq, answered"));
                        }
                    }
                }
                if entries.is_empty() {
                    return self.err(value.span(), format!("empty range for \"{name}\""));
                }
            }
            v => match number(v) {
                Some(b) => {
                    range.gte = Some(b);
                    range.lte = Some(b);
                }
                None => {
                    return self.err(value.span(), format!("\"{name}\" is a number question: expected a number or a range such as {{ gte = 20 }}, found {}", v.type_name()));
                }
            },
        }
        let lo = range
            .gt
            .into_iter()
            .chain(range.gte)
            .fold(f64::NEG_INFINITY, f64::max);
        let hi = range
            .lt
            .into_iter()
            .chain(range.lte)
            .fold(f64::INFINITY, f64::min);
        if lo > hi || (lo == hi && (range.gt.is_some() || range.lt.is_some())) {
            return self.err(value.span(), format!("range for \"{name}\" can never hold: no number is both above {lo} and below {hi}"));
        }
        Some(Cond::Range { q, range })
    }
}
