//! `unanswered_warnings` (contract v3): the warning questions a runner left
//! blank. A question is a warning question for a report when some answer
//! to it, with the other answers as given, would make an `urgent` or
//! `emergency` triage rule fire above the report's level. The candidates
//! are read from the rules themselves (each value a rule tests, a number
//! inside each range), so no list is kept by hand.

use crate::answers::{Answers, Value};
use crate::model::{Cond, Level, Pack, ProbeValue as Value_, WarningProbe};

/// The probes of a pack, one per question an urgent or emergency rule
/// tests (not counting `answered` tests), in question order.
pub(super) fn probes(pack: &Pack) -> Vec<WarningProbe> {
    let mut out: Vec<WarningProbe> = Vec::new();
    for (qi, _) in pack.questions.iter().enumerate() {
        let mut probe = WarningProbe {
            q: qi,
            ..WarningProbe::default()
        };
        for (ri, rule) in pack.triage.iter().enumerate() {
            if rule.level < Level::Urgent {
                continue;
            }
            let mut found = false;
            leaves(&rule.when, &mut |leaf| {
                if let Some(values) = candidates(leaf, qi) {
                    found = true;
                    for v in values {
                        if !probe.values.contains(&v) {
                            probe.values.push(v);
                        }
                    }
                }
            });
            if found {
                probe.rules.push(ri);
            }
        }
        if !probe.rules.is_empty() {
            out.push(probe);
        }
    }
    out
}

fn leaves(cond: &Cond, f: &mut impl FnMut(&Cond)) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|p| leaves(p, f)),
        Cond::Not(inner) => leaves(inner, f),
        leaf => f(leaf),
    }
}

/// The answers to question `q` that make this leaf true; `None` when the
/// leaf does not test `q`'s value.
fn candidates(leaf: &Cond, q: usize) -> Option<Vec<Value_>> {
    let bits = |mask: u64| (0..64u8).filter(move |i| mask & (1 << i) != 0);
    match *leaf {
        Cond::Flag { q: lq, value } if lq == q => Some(vec![Value_::Flag(value)]),
        Cond::OneOf { q: lq, mask } if lq == q => Some(bits(mask).map(Value_::Choice).collect()),
        Cond::HasAny { q: lq, mask } if lq == q => {
            Some(bits(mask).map(|i| Value_::Items(1 << i)).collect())
        }
        Cond::HasAll { q: lq, mask } if lq == q => Some(vec![Value_::Items(mask)]),
        Cond::HasNone { q: lq, .. } if lq == q => Some(vec![Value_::Items(0)]),
        Cond::Range { q: lq, ref range } if lq == q => {
            let tries = [
                range.gte,
                range.lte,
                range.gt.map(|b| b + 1.0),
                range.gt.map(|b| b + 0.01),
                range.lt.map(|b| b - 1.0),
                range.lt.map(|b| b - 0.01),
                Some(0.0),
            ];
            Some(
                tries
                    .into_iter()
                    .flatten()
                    .find(|&v| range.contains(v))
                    .map(Value_::Num)
                    .into_iter()
                    .collect(),
            )
        }
        _ => None,
    }
}

/// The questions left blank that could, answered, raise this report to a
/// more urgent level that is `urgent` or `emergency`; none at `emergency`.
pub fn unanswered_warnings(pack: &Pack, answers: &Answers, level: Level) -> Vec<usize> {
    if level == Level::Emergency {
        return Vec::new();
    }
    let pre = super::prechecks(pack);
    let probes = &pre.warnings;
    let answered = answers.answered_mask();
    let mut trial = answers.clone();
    let mut out = Vec::new();
    for probe in probes {
        // A follow-up whose question does not apply (how it happened, after
        // a gradual onset) is not one the runner skipped.
        if answers.is_answered(probe.q) || !super::should_ask(pack, probe.q, answers) {
            continue;
        }
        // Rules that cannot fire even with this answer are not tried.
        let bit = if probe.q < 64 { 1u64 << probe.q } else { 0 };
        let rules: Vec<usize> = probe
            .rules
            .iter()
            .copied()
            .filter(|&r| pack.triage[r].level > level && pre.triage[r].met_by(answered | bit))
            .collect();
        if rules.is_empty() {
            continue;
        }
        let raises = probe.values.iter().any(|&v| {
            let v = match v {
                Value_::Flag(b) => Value::Flag(b),
                Value_::Choice(i) => Value::Choice(i),
                Value_::Items(bits) => Value::Items(bits),
                Value_::Num(n) => Value::Num(n),
            };
            trial.set(probe.q, Some(v));
            rules
                .iter()
                .any(|&r| super::holds(&pack.triage[r].when, &trial))
        });
        trial.set(probe.q, None);
        if raises {
            out.push(probe.q);
        }
    }
    out
}
