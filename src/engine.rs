//! The rule engine: a pure function from answers to an assessment.
//!
//! Three fixed stages, no chaining: score every cause, set the triage level
//! (the most urgent firing rule wins, self-care when none fires), then pick
//! the advice, which may read the level and the causes. The engine knows no
//! condition by name: all of that is in the content pack.

use crate::answers::{Answers, Value};
use crate::model::{Cond, Level, Likelihood, Pack};

/// What the engine concluded, as indices into the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub level: Level,
    /// Firing triage rules, most urgent first, pack order within a level.
    pub triage: Vec<usize>,
    /// Causes that reached `possible`, most likely first.
    pub causes: Vec<CauseScore>,
    /// Selected advice, in category order then pack order.
    pub advice: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CauseScore {
    pub cause: usize,
    pub points: i32,
    pub likelihood: Likelihood,
    /// The rules that counted (one per group), in pack order.
    pub rules: Vec<usize>,
}

impl CauseScore {
    /// Points over `likely_at`, clamped to 0..1, to two decimals.
    pub fn score(&self, pack: &Pack) -> f64 {
        let likely = pack.causes[self.cause].likely_at.max(1) as f64;
        ((self.points as f64 / likely).clamp(0.0, 1.0) * 100.0).round() / 100.0
    }
}

/// What advice conditions may read besides the answers.
struct Derived<'a> {
    level: Level,
    likelihoods: &'a [Likelihood],
}

/// Kleene logic: `None` is "not known", and only `Some(true)` fires a rule.
fn eval(cond: &Cond, answers: &Answers, derived: Option<&Derived>) -> Option<bool> {
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
        Cond::OneOf { q, mask } => match answers.get(*q)? {
            Value::Choice(i) => Some(mask & (1 << i) != 0),
            _ => None,
        },
        Cond::Flag { q, value } => match answers.get(*q)? {
            Value::Flag(b) => Some(b == *value),
            _ => None,
        },
        Cond::Range { q, range } => match answers.get(*q)? {
            Value::Num(n) => Some(range.contains(n)),
            _ => None,
        },
        Cond::HasAny { q, mask } => match answers.get(*q)? {
            Value::Items(bits) => Some(bits & mask != 0),
            _ => None,
        },
        Cond::HasAll { q, mask } => match answers.get(*q)? {
            Value::Items(bits) => Some(bits & mask == *mask),
            _ => None,
        },
        Cond::HasNone { q, mask } => match answers.get(*q)? {
            Value::Items(bits) => Some(bits & mask == 0),
            _ => None,
        },
        Cond::Triage { mask } => derived.map(|d| mask & (1 << d.level.index()) != 0),
        Cond::CauseIs { cause, mask } => derived.and_then(|d| {
            d.likelihoods
                .get(*cause)
                .map(|l| mask & (1 << (*l as u8)) != 0)
        }),
    }
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

pub fn assess(pack: &Pack, answers: &Answers) -> Assessment {
    let mut likelihoods = Vec::with_capacity(pack.causes.len());
    let mut causes = Vec::new();
    for (ci, cause) in pack.causes.iter().enumerate() {
        let (points, rules) = score(pack, ci, answers);
        let likelihood = if points >= cause.likely_at {
            Likelihood::Likely
        } else if points >= cause.possible_at {
            Likelihood::Possible
        } else {
            Likelihood::Unlikely
        };
        likelihoods.push(likelihood);
        if likelihood > Likelihood::Unlikely {
            causes.push(CauseScore {
                cause: ci,
                points,
                likelihood,
                rules,
            });
        }
    }
    causes.sort_by(|a, b| {
        b.likelihood
            .cmp(&a.likelihood)
            .then(b.score(pack).total_cmp(&a.score(pack)))
            .then(b.points.cmp(&a.points))
            .then(a.cause.cmp(&b.cause))
    });

    let mut triage: Vec<usize> = (0..pack.triage.len())
        .filter(|&i| holds(&pack.triage[i].when, answers))
        .collect();
    triage.sort_by_key(|&i| std::cmp::Reverse(pack.triage[i].level));
    let level = triage
        .first()
        .map_or(Level::SelfCare, |&i| pack.triage[i].level);

    let derived = Derived {
        level,
        likelihoods: &likelihoods,
    };
    let mut advice: Vec<usize> = (0..pack.advice.len())
        .filter(|&i| match &pack.advice[i].when {
            Some(cond) => eval(cond, answers, Some(&derived)) == Some(true),
            None => true,
        })
        .collect();
    advice.sort_by_key(|&i| pack.advice[i].category);

    Assessment {
        level,
        triage,
        causes,
        advice,
    }
}

/// A cause's points and the rules that counted: every firing rule, but
/// only the strongest of each group.
fn score(pack: &Pack, ci: usize, answers: &Answers) -> (i32, Vec<usize>) {
    let rules = &pack.causes[ci].rules;
    let mut counted: Vec<usize> = Vec::new();
    for (ri, rule) in rules.iter().enumerate() {
        if !holds(&rule.when, answers) {
            continue;
        }
        match rule.group {
            Some(g) => {
                let rival = counted
                    .iter()
                    .position(|&other| rules[other].group == Some(g));
                match rival {
                    Some(pos) if rules[counted[pos]].points >= rule.points => {}
                    Some(pos) => counted[pos] = ri,
                    None => counted.push(ri),
                }
            }
            None => counted.push(ri),
        }
    }
    counted.sort_unstable();
    let points = counted.iter().map(|&ri| rules[ri].points).sum();
    (points, counted)
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
