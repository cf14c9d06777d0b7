//! The rule engine: a pure function from answers to an assessment.
//!
//! Three fixed stages, no chaining: score every cause, set the triage level
//! (the most urgent firing rule wins, self-care when none fires), then pick
//! the advice, which may read the level and the causes. The engine knows no
//! condition by name: all of that is in the content pack.

use crate::answers::{Answers, Value};
use crate::model::{Cond, Level, Likelihood, Needs, Pack, Prechecks};

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

impl Needs {
    /// Nothing needed: the rule may fire whatever the answers.
    const NOTHING: Needs = Needs {
        answered: 0,
        levels: 0b1111,
        possible: 0,
        either: (0, 0),
    };

    /// What a condition needs to be certainly true. Conservative: `not`
    /// and unanswered-tests need nothing, and indices past 63 are ignored.
    pub fn of(cond: &Cond) -> Needs {
        let bit = |i: usize| if i < 64 { 1u64 << i } else { 0 };
        match cond {
            Cond::All(parts) => parts
                .iter()
                .map(Needs::of)
                .fold(Needs::NOTHING, |a, b| Needs {
                    answered: a.answered | b.answered,
                    levels: a.levels & b.levels,
                    possible: a.possible | b.possible,
                    either: if a.either == (0, 0) {
                        b.either
                    } else {
                        a.either
                    },
                }),
            Cond::Any(parts) => {
                let needs: Vec<Needs> = parts.iter().map(Needs::of).collect();
                // Some part must hold, so one clause from each part, joined
                // with "or", must hold; a part that needs nothing spoils it.
                let either = needs.iter().try_fold((0u64, 0u64), |acc, n| {
                    let clause = if (n.answered, n.possible) != (0, 0) {
                        (n.answered, n.possible)
                    } else {
                        n.either
                    };
                    (clause != (0, 0)).then_some((acc.0 | clause.0, acc.1 | clause.1))
                });
                needs
                    .into_iter()
                    .reduce(|a, b| Needs {
                        answered: a.answered & b.answered,
                        levels: a.levels | b.levels,
                        possible: a.possible & b.possible,
                        either: (0, 0),
                    })
                    .map(|n| Needs {
                        either: either.unwrap_or((0, 0)),
                        ..n
                    })
                    // `any` of nothing never holds; needing nothing is still safe.
                    .unwrap_or(Needs::NOTHING)
            }
            Cond::Not(_) => Needs::NOTHING,
            Cond::Answered { q, answered } => Needs {
                answered: if *answered { bit(*q) } else { 0 },
                ..Needs::NOTHING
            },
            Cond::OneOf { q, .. }
            | Cond::Flag { q, .. }
            | Cond::Range { q, .. }
            | Cond::HasAny { q, .. }
            | Cond::HasAll { q, .. }
            | Cond::HasNone { q, .. } => Needs {
                answered: bit(*q),
                ..Needs::NOTHING
            },
            Cond::Triage { mask } => Needs {
                levels: mask & 0b1111,
                ..Needs::NOTHING
            },
            Cond::CauseIs { cause, mask } => Needs {
                // Without the `unlikely` bit the cause must have reached `possible`.
                possible: if mask & (1 << (Likelihood::Unlikely as u8)) == 0 {
                    bit(*cause)
                } else {
                    0
                },
                ..Needs::NOTHING
            },
        }
    }

    /// Whether a scoring or triage rule can fire with these answers.
    fn met_by(&self, answered: u64) -> bool {
        self.answered & !answered == 0
            && (self.either.0 == 0 || self.either.1 != 0 || self.either.0 & answered != 0)
    }

    /// Whether an advice rule can fire with these answers, level and causes.
    fn met(&self, answered: u64, level: Level, possible: u64) -> bool {
        self.answered & !answered == 0
            && self.levels & (1 << level.index()) != 0
            && self.possible & !possible == 0
            && (self.either == (0, 0)
                || self.either.0 & answered != 0
                || self.either.1 & possible != 0)
    }
}

/// The pack's prechecks, derived on first use.
pub fn prechecks(pack: &Pack) -> &Prechecks {
    pack.prechecks.get_or_init(|| Prechecks {
        rules: pack
            .causes
            .iter()
            .map(|c| c.rules.iter().map(|r| Needs::of(&r.when)).collect())
            .collect(),
        triage: pack.triage.iter().map(|r| Needs::of(&r.when)).collect(),
        advice: pack
            .advice
            .iter()
            .map(|a| a.when.as_ref().map_or(Needs::NOTHING, Needs::of))
            .collect(),
        advice_order: {
            let mut order: Vec<usize> = (0..pack.advice.len()).collect();
            order.sort_by_key(|&i| pack.advice[i].category);
            order
        },
    })
}

pub fn assess(pack: &Pack, answers: &Answers) -> Assessment {
    assess_with(pack, answers, true)
}

/// `assess`, with or without the prechecks (which must never change the
/// outcome; a test holds them to that).
fn assess_with(pack: &Pack, answers: &Answers, use_prechecks: bool) -> Assessment {
    let pre = prechecks(pack);
    let answered = answers.answered_mask();
    let mut likelihoods = Vec::with_capacity(pack.causes.len());
    let mut possible = 0u64;
    let mut causes = Vec::new();
    let mut counted = Vec::new();
    for (ci, cause) in pack.causes.iter().enumerate() {
        let everything = u64::MAX;
        let known = if use_prechecks { answered } else { everything };
        let points = score(pack, &pre.rules[ci], ci, answers, known, &mut counted);
        let likelihood = if points >= cause.likely_at {
            Likelihood::Likely
        } else if points >= cause.possible_at {
            Likelihood::Possible
        } else {
            Likelihood::Unlikely
        };
        likelihoods.push(likelihood);
        if likelihood > Likelihood::Unlikely {
            if ci < 64 {
                possible |= 1 << ci;
            }
            causes.push(CauseScore {
                cause: ci,
                points,
                likelihood,
                rules: counted.clone(),
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
        .filter(|&i| {
            (!use_prechecks || pre.triage[i].met_by(answered))
                && holds(&pack.triage[i].when, answers)
        })
        .collect();
    triage.sort_by_key(|&i| std::cmp::Reverse(pack.triage[i].level));
    let level = triage
        .first()
        .map_or(Level::SelfCare, |&i| pack.triage[i].level);

    let derived = Derived {
        level,
        likelihoods: &likelihoods,
    };
    let advice: Vec<usize> = pre
        .advice_order
        .iter()
        .copied()
        .filter(|&i| match &pack.advice[i].when {
            Some(cond) => {
                (!use_prechecks || pre.advice[i].met(answered, level, possible))
                    && eval(cond, answers, Some(&derived)) == Some(true)
            }
            None => true,
        })
        .collect();

    Assessment {
        level,
        triage,
        causes,
        advice,
    }
}

/// A cause's points; `counted` gets the rules that counted: every firing
/// rule, but only the strongest of each group.
fn score(
    pack: &Pack,
    needs: &[Needs],
    ci: usize,
    answers: &Answers,
    answered: u64,
    counted: &mut Vec<usize>,
) -> i32 {
    let rules = &pack.causes[ci].rules;
    counted.clear();
    for (ri, rule) in rules.iter().enumerate() {
        if !needs[ri].met_by(answered) || !holds(&rule.when, answers) {
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
    counted.iter().map(|&ri| rules[ri].points).sum()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64, to draw varied answers.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The prechecks only skip rules that could not fire: with and without
    /// them, every assessment is the same, on many random answers and on
    /// every golden case.
    #[test]
    fn prechecks_never_change_an_assessment() {
        use crate::model::QuestionKind;
        let pack = crate::content::load_from(None).expect("pack");
        let mut state = 7u64;
        for round in 0..20_000 {
            let mut answers = Answers::new(&pack);
            // Vary how many questions are answered: few to nearly all.
            let percent = 10 + (round % 9) * 10;
            for (q, question) in pack.questions.iter().enumerate() {
                if !question.required && next(&mut state) % 100 >= percent {
                    continue;
                }
                let r = next(&mut state);
                let options = question.options.len().max(1) as u64;
                let value = match question.kind {
                    QuestionKind::Enum => Value::Choice((r % options) as u8),
                    QuestionKind::List => Value::Items(r & ((1u64 << options) - 1)),
                    QuestionKind::Bool => Value::Flag(r.is_multiple_of(2)),
                    QuestionKind::Int | QuestionKind::Days | QuestionKind::Number => {
                        let lo = question.min.unwrap_or(0.0);
                        let hi = question.max.unwrap_or(100.0).min(lo + 1000.0);
                        Value::Num(lo + (r % ((hi - lo) as u64 + 1)) as f64)
                    }
                };
                answers.set(q, Some(value));
            }
            assert_eq!(
                assess_with(&pack, &answers, true),
                assess_with(&pack, &answers, false),
                "answers: {:?}",
                answers.to_json(&pack)
            );
        }
    }
}
