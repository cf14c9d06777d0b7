//! The prechecks: what each rule needs before it can fire, so that both
//! paths skip rules that cannot; separate because it is derived once per pack
//! and shared by the tree walk and the fast path.

use crate::model::{Cond, Level, Likelihood, Needs, Pack, Prechecks};

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
    pub(super) fn met_by(&self, answered: u64) -> bool {
        self.answered & !answered == 0
            && (self.either.0 == 0 || self.either.1 != 0 || self.either.0 & answered != 0)
    }

    /// Whether an advice rule can fire with these answers, level and causes.
    pub(super) fn met(&self, answered: u64, level: Level, possible: u64) -> bool {
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
    pack.prechecks.get_or_init(|| derive_prechecks(pack))
}

fn derive_prechecks(pack: &Pack) -> Prechecks {
    let advice_order = {
        let mut order: Vec<usize> = (0..pack.advice.len()).collect();
        order.sort_by_key(|&i| pack.advice[i].category);
        order
    };
    Prechecks {
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
        advice_order,
        program: std::sync::OnceLock::new(),
        assessed: std::sync::OnceLock::new(),
        warnings: super::warnings::probes(pack),
    }
}
