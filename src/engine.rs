//! The rule engine: a pure function from answers to an assessment.
//!
//! Three fixed stages, no chaining: score every cause, set the triage level
//! (the most urgent firing rule wins, self-care when none fires), then pick
//! the advice, which may read the level and the causes. The engine knows no
//! condition by name: all of that is in the content pack.

mod compile;
mod eval;
mod fast;
mod next_steps;
mod prechecks;
mod walk;
mod warnings;

pub use eval::{evidence_leaves, holds, holds_given, leaf_on, should_ask, status};
pub use fast::program;
pub use prechecks::prechecks;
pub use warnings::unanswered_warnings;

use crate::answers::Answers;
use crate::model::{Care, Level, Likelihood, Pack, Running};
use fast::assess_fast;
use next_steps::next_steps;
use walk::assess_with;

/// What the engine concluded, as indices into the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub level: Level,
    /// Where and when (v3): the most urgent care of the firing triage
    /// rules, which belongs to `level`; self-care when none fires.
    pub care: Care,
    /// Firing triage rules, most urgent first, pack order within a level.
    pub triage: Vec<usize>,
    /// Causes that reached `possible`, most likely first.
    pub causes: Vec<CauseScore>,
    /// Selected advice, in category order then pack order; an item that
    /// disagrees with the running decision is left out.
    pub advice: Vec<usize>,
    /// What to do first (from the pack's `[next_steps]`).
    pub steps: Steps,
}

/// The next steps, as indices into the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Steps {
    pub running: Running,
    /// The `[next_steps]` rule whose `running` counted; `None`: the level's.
    pub running_rule: Option<usize>,
    pub recheck_days: Option<u32>,
    /// Advice to do first, most weight first (1 to `max_first` items).
    pub first: Vec<usize>,
    /// Every selected advice item's weight from the firing candidates,
    /// most first (items with no candidate are not listed).
    pub ranked: Vec<(usize, i32)>,
    /// The `[next_steps]` rules that fired, in pack order.
    pub rules: Vec<usize>,
    /// The pain rule the report, the plan and the diary quote (index into
    /// `pack.pain_rules`).
    pub pain_rule: Option<usize>,
    /// The `[next_steps]` notes whose `when` holds, in pack order.
    pub notes: Vec<usize>,
}

impl Default for Steps {
    fn default() -> Steps {
        Steps {
            running: Running::Stop,
            running_rule: None,
            recheck_days: None,
            first: Vec::new(),
            ranked: Vec::new(),
            rules: Vec::new(),
            pain_rule: None,
            notes: Vec::new(),
        }
    }
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

pub fn assess(pack: &Pack, answers: &Answers) -> Assessment {
    let mut a = assess_rules(pack, answers);
    next_steps(pack, answers, &mut a);
    a
}

/// The rules' stages (causes, level, advice) without the next steps.
fn assess_rules(pack: &Pack, answers: &Answers) -> Assessment {
    let pre = prechecks(pack);
    // A single assessment (the command line's `assess`) walks the trees:
    // compiling the program costs more than that. From the second one on
    // (`batch`, the questionnaire) the compiled program pays.
    if pre.program.get().is_none() && pre.assessed.set(()).is_ok() {
        return assess_with(pack, answers, true);
    }
    match program(pack) {
        Some(program) => assess_fast(pack, program, answers),
        None => assess_with(pack, answers, true),
    }
}

/// Orders the triage rules that fired, highest level first (the report
/// lists them so), and gives the level they set and the most urgent care
/// any of them names (self-care when none fired). The fast and the
/// reference path share it, so they cannot disagree on it.
fn level_and_care(pack: &Pack, fired: &mut [usize]) -> (Level, Care) {
    fired.sort_by_key(|&i| std::cmp::Reverse(pack.triage[i].level));
    let level = fired
        .first()
        .map_or(Level::SelfCare, |&i| pack.triage[i].level);
    let care = fired
        .iter()
        .map(|&i| pack.triage[i].care)
        .max()
        .unwrap_or(Care::SelfCare);
    (level, care)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Value;

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
            let reference = assess_with(&pack, &answers, false);
            assert_eq!(
                assess_with(&pack, &answers, true),
                reference,
                "answers: {:?}",
                answers.to_json(&pack)
            );
            assert_eq!(
                fast(&pack, &answers),
                reference,
                "fast path; answers: {:?}",
                answers.to_json(&pack)
            );
        }
    }

    /// The fast path compiles the shipped pack (it must not fall back).
    #[test]
    fn the_embedded_pack_takes_the_fast_path() {
        let pack = crate::content::load_from(None).expect("pack");
        assert!(program(&pack).is_some());
    }

    /// The fast path, whichever assessment this is.
    fn fast(pack: &Pack, answers: &Answers) -> Assessment {
        assess_fast(pack, program(pack).expect("fast path"), answers)
    }

    /// `assess` walks the trees once, then takes the fast path.
    #[test]
    fn assess_compiles_on_the_second_assessment() {
        let pack = crate::content::load_from(None).expect("pack");
        let answers = Answers::new(&pack);
        let first = assess(&pack, &answers);
        assert!(prechecks(&pack).program.get().is_none());
        assert_eq!(assess(&pack, &answers), first);
        assert!(prechecks(&pack).program.get().is_some());
    }

    mod random_rules {
        use super::super::*;
        use crate::answers::Value;
        use crate::model::Cond;
        use crate::model::NumRange;
        use proptest::prelude::*;

        fn number() -> impl Strategy<Value = f64> {
            prop_oneof![
                (-5i32..60).prop_map(f64::from),
                Just(f64::NAN),
                Just(0.5),
                Just(f64::INFINITY),
            ]
        }

        fn bound() -> impl Strategy<Value = Option<f64>> {
            prop_oneof![2 => Just(None), 1 => number().prop_map(Some)]
        }

        /// Any leaf, of any kind, on any question (one past the last too),
        /// whatever kind the question is.
        fn leaf(questions: usize, causes: usize) -> impl Strategy<Value = Cond> {
            let q = 0..questions + 1;
            prop_oneof![
                (q.clone(), any::<u64>()).prop_map(|(q, mask)| Cond::OneOf { q, mask }),
                (q.clone(), any::<bool>()).prop_map(|(q, value)| Cond::Flag { q, value }),
                (q.clone(), bound(), bound(), bound(), bound()).prop_map(
                    |(q, gt, gte, lt, lte)| {
                        Cond::Range {
                            q,
                            range: NumRange { gt, gte, lt, lte },
                        }
                    }
                ),
                (q.clone(), any::<u64>()).prop_map(|(q, mask)| Cond::HasAny { q, mask }),
                (q.clone(), any::<u64>()).prop_map(|(q, mask)| Cond::HasAll { q, mask }),
                (q.clone(), any::<u64>()).prop_map(|(q, mask)| Cond::HasNone { q, mask }),
                (q, any::<bool>()).prop_map(|(q, answered)| Cond::Answered { q, answered }),
                (0u8..16).prop_map(|mask| Cond::Triage { mask }),
                (0..causes + 1, 0u8..8).prop_map(|(cause, mask)| Cond::CauseIs { cause, mask }),
            ]
        }

        fn cond(questions: usize, causes: usize) -> impl Strategy<Value = Cond> {
            leaf(questions, causes).prop_recursive(4, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Cond::All),
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Cond::Any),
                    inner.prop_map(|c| Cond::Not(Box::new(c))),
                ]
            })
        }

        fn value() -> impl Strategy<Value = Option<Value>> {
            prop_oneof![
                2 => Just(None),
                1 => (0u8..8).prop_map(|i| Some(Value::Choice(i))),
                1 => any::<bool>().prop_map(|b| Some(Value::Flag(b))),
                1 => number().prop_map(|n| Some(Value::Num(n))),
                1 => (0u64..256).prop_map(|b| Some(Value::Items(b))),
            ]
        }

        /// The shipped pack with every rule's condition replaced by a
        /// random one, random points and groups.
        fn random_pack() -> impl Strategy<Value = Pack> {
            let pack = crate::content::load_from(None).expect("pack");
            let (nq, nc) = (pack.questions.len(), pack.causes.len());
            let rules: usize = pack.causes.iter().map(|c| c.rules.len()).sum();
            let scoring =
                prop::collection::vec((cond(nq, nc), -4i32..6, prop::option::of(0usize..3)), rules);
            let triage = prop::collection::vec(cond(nq, nc), pack.triage.len());
            let advice = prop::collection::vec(prop::option::of(cond(nq, nc)), pack.advice.len());
            (scoring, triage, advice).prop_map(move |(scoring, triage, advice)| {
                let mut pack = pack.clone();
                pack.prechecks = std::sync::OnceLock::new();
                let mut scoring = scoring.into_iter();
                for cause in &mut pack.causes {
                    for rule in &mut cause.rules {
                        let (when, points, group) = scoring.next().expect("one per rule");
                        (rule.when, rule.points, rule.group) = (when, points, group);
                    }
                }
                for (rule, when) in pack.triage.iter_mut().zip(triage) {
                    rule.when = when;
                }
                for (item, when) in pack.advice.iter_mut().zip(advice) {
                    item.when = when;
                }
                pack
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 128,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            /// On random rules and random answers (values of any kind, on
            /// any question), the fast path, the tree walk with prechecks
            /// and the plain tree walk agree.
            #[test]
            fn fast_path_equals_the_tree_walk(
                pack in random_pack(),
                answer_sets in prop::collection::vec(prop::collection::vec(value(), 36), 1..24),
            ) {
                prop_assert!(program(&pack).is_some());
                for values in answer_sets {
                    let mut answers = Answers::new(&pack);
                    for (q, v) in values.into_iter().enumerate() {
                        answers.set(q, v);
                    }
                    let reference = assess_with(&pack, &answers, false);
                    prop_assert_eq!(&assess_with(&pack, &answers, true), &reference);
                    prop_assert_eq!(&super::fast(&pack, &answers), &reference);
                    let mut finished = reference.clone();
                    next_steps(&pack, &answers, &mut finished);
                    prop_assert_eq!(&assess(&pack, &answers), &finished);
                }
            }
        }
    }
}
