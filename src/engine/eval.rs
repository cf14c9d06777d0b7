//! Rule evaluation over the condition trees (Kleene logic), shared by the
//! tree walk, the next steps, the questionnaire and the content checks; kept
//! apart so every stage reads a condition the same way.

use crate::answers::{Answers, Value};
use crate::model::{Cond, Level, Likelihood, Pack};

/// What advice conditions may read besides the answers.
pub(super) struct Derived<'a> {
    pub(super) level: Level,
    pub(super) likelihoods: &'a [Likelihood],
}

/// Kleene logic: `None` is "not known", and only `Some(true)` fires a rule.
pub(super) fn eval(cond: &Cond, answers: &Answers, derived: Option<&Derived>) -> Option<bool> {
    match cond {
        Cond::All(parts) => {
            let mut unknown = false;
            for p in parts {
                match eval(p, answers, derived) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        Cond::Any(parts) => {
            let mut unknown = false;
            for p in parts {
                match eval(p, answers, derived) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            if unknown { None } else { Some(false) }
        }
        Cond::Not(inner) => eval(inner, answers, derived).map(|b| !b),
        Cond::Answered { q, answered } => Some(answers.is_answered(*q) == *answered),
        Cond::OneOf { q, .. }
        | Cond::Flag { q, .. }
        | Cond::Range { q, .. }
        | Cond::HasAny { q, .. }
        | Cond::HasAll { q, .. }
        | Cond::HasNone { q, .. } => leaf_on(cond, answers.get(*q)?),
        Cond::Triage { .. } | Cond::CauseIs { .. } => derived.and_then(|d| derived_leaf(cond, d)),
    }
}

/// A leaf that reads an answer, on that answer's value: `None` when the
/// value is of another kind. Shared by the tree walk, the fast path and the
/// content analyses, so all three agree on what a leaf means.
#[inline]
pub fn leaf_on(cond: &Cond, value: Value) -> Option<bool> {
    match (cond, value) {
        (Cond::OneOf { mask, .. }, Value::Choice(i)) => Some(mask & (1 << i) != 0),
        (Cond::Flag { value, .. }, Value::Flag(b)) => Some(b == *value),
        (Cond::Range { range, .. }, Value::Num(n)) => Some(range.contains(n)),
        (Cond::HasAny { mask, .. }, Value::Items(bits)) => Some(bits & mask != 0),
        (Cond::HasAll { mask, .. }, Value::Items(bits)) => Some(bits & mask == *mask),
        (Cond::HasNone { mask, .. }, Value::Items(bits)) => Some(bits & mask == 0),
        _ => None,
    }
}

/// A leaf that reads the level or a cause's likelihood.
#[inline]
pub(super) fn derived_leaf(cond: &Cond, d: &Derived) -> Option<bool> {
    match cond {
        Cond::Triage { mask } => Some(mask & (1 << d.level.index()) != 0),
        Cond::CauseIs { cause, mask } => d
            .likelihoods
            .get(*cause)
            .map(|l| mask & (1 << (*l as u8)) != 0),
        _ => None,
    }
}

/// True when the condition certainly holds for these answers, this level
/// and these likelihoods (one per cause of the pack).
pub fn holds_given(
    cond: &Cond,
    answers: &Answers,
    level: Level,
    likelihoods: &[Likelihood],
) -> bool {
    eval(cond, answers, Some(&Derived { level, likelihoods })) == Some(true)
}

/// True when the condition certainly holds for these answers.
pub fn holds(cond: &Cond, answers: &Answers) -> bool {
    eval(cond, answers, None) == Some(true)
}

/// What is known of a condition so far: `Some(true)` or `Some(false)` once
/// decided, `None` while it still depends on unanswered questions.
pub fn status(cond: &Cond, answers: &Answers) -> Option<bool> {
    eval(cond, answers, None)
}

/// Whether a question is worth asking: its `ask_if` holds or is not yet known.
pub fn should_ask(pack: &Pack, q: usize, answers: &Answers) -> bool {
    match &pack.questions[q].ask_if {
        Some(cond) => eval(cond, answers, None) != Some(false),
        None => true,
    }
}

/// The answers a firing condition rests on: true leaves, not under `not`.
/// Each is `(question, list-item mask)`.
pub fn evidence_leaves(cond: &Cond, answers: &Answers, out: &mut Vec<(usize, u64)>) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => {
            for p in parts {
                if eval(p, answers, None) == Some(true) {
                    evidence_leaves(p, answers, out);
                }
            }
        }
        Cond::Not(_) | Cond::Answered { .. } | Cond::Triage { .. } | Cond::CauseIs { .. } => {}
        Cond::OneOf { q, .. } | Cond::Flag { q, .. } | Cond::Range { q, .. } => {
            if eval(cond, answers, None) == Some(true) && !out.iter().any(|(x, _)| x == q) {
                out.push((*q, u64::MAX));
            }
        }
        Cond::HasAny { q, mask } | Cond::HasAll { q, mask } => {
            if eval(cond, answers, None) == Some(true) {
                match out.iter_mut().find(|(x, _)| x == q) {
                    Some((_, m)) => *m |= mask,
                    None => out.push((*q, *mask)),
                }
            }
        }
        Cond::HasNone { .. } => {}
    }
}
