//! How much one question's answer can still change the outcome, read off
//! the engine itself: nothing here knows a question, a cause or a rule by
//! name, so a new pack gets the same treatment.
//!
//! The outcome the questionnaire must get right is [`Key`]: the triage
//! level, the top three causes and the report's `next_steps`. For an unanswered question, every answer
//! it can take that the rules tell apart (its options, yes and no, the
//! numbers either side of each threshold the rules test) is tried on a copy
//! of the answers so far, and the largest change is its [`Impact`].
//!
//! One answer at a time misses rules that need two answers together (pain
//! on hopping *and* at night), so the level also gets a stricter test that
//! never skips a question that could raise it: every triage rule above the
//! current level that reads the question and is not yet ruled out counts.

use crate::answers::{Answers, Value};
use crate::engine::{self, status};
use crate::model::{
    Care, CauseKind, Cond, Level, Likelihood, NumRange, Pack, QuestionKind, Running,
};

/// What the questionnaire's report must share with `assess` on the full
/// answers: the level and the top three causes, in order. The causes here
/// are the conditions (what may be wrong); the contributing factors count
/// through what the report says to do first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub level: Level,
    /// (v3) Where and when: a same-day care is as much the outcome as the
    /// level.
    pub care: Care,
    /// Conditions (cause indices) with their likelihoods, most likely
    /// first, at most three.
    pub top: Vec<(usize, Likelihood)>,
    /// The report's `next_steps`: may I run (and the words of it), when to
    /// check again, what to do first.
    pub running: (Running, Option<usize>),
    pub recheck_days: Option<u32>,
    pub first: Vec<usize>,
}

/// How many causes count as "the top".
pub const TOP: usize = 3;

pub fn key(pack: &Pack, answers: &Answers) -> Key {
    let a = engine::assess(pack, answers);
    Key {
        level: a.level,
        care: a.care,
        top: a
            .causes
            .iter()
            .filter(|c| pack.causes[c.cause].kind == CauseKind::Condition)
            .take(TOP)
            .map(|c| (c.cause, c.likelihood))
            .collect(),
        running: (a.steps.running, a.steps.running_rule),
        recheck_days: a.steps.recheck_days,
        first: a.steps.first,
    }
}

/// How much a question can still change the outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Impact {
    /// Triage rules above the current level that read the question and are
    /// not ruled out, each weighted by how many levels above it is. Not
    /// zero means the question could raise the level: it is never skipped.
    pub raise: u32,
    /// The most levels any one answer moves the level, up or down.
    pub level: u32,
    /// The most places of the top three any one answer changes.
    pub causes: u32,
    /// The most parts of `next_steps` any one answer changes.
    pub steps: u32,
}

impl Impact {
    /// True when the answer can change the level.
    pub fn for_level(&self) -> bool {
        self.raise > 0 || self.level > 0
    }

    /// True when the answer can change the level or the top causes.
    pub fn matters(&self) -> bool {
        self.for_level() || self.causes > 0 || self.steps > 0
    }

    /// The order of asking: the level first, then the causes.
    pub fn rank(&self) -> (u32, u32) {
        (self.raise + 2 * self.level, self.causes + self.steps)
    }
}

/// The answers each question can take that the rules tell apart.
#[derive(Debug, Clone)]
pub struct Domains(Vec<Vec<Value>>);

impl Domains {
    pub fn new(pack: &Pack) -> Domains {
        let n = pack.questions.len();
        let mut thresholds = vec![Vec::new(); n];
        let mut masks = vec![Vec::new(); n];
        for cond in pack.conditions().chain(pack.step_conditions()) {
            mentions(cond, &mut thresholds, &mut masks);
        }
        Domains(
            (0..n)
                .map(|q| domain(pack, q, &thresholds[q], &masks[q]))
                .collect(),
        )
    }

    pub fn of(&self, q: usize) -> &[Value] {
        self.0.get(q).map_or(&[], Vec::as_slice)
    }
}

/// Thresholds and list masks the conditions test, per question.
fn mentions(cond: &Cond, thresholds: &mut [Vec<f64>], masks: &mut [Vec<u64>]) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => {
            for p in parts {
                mentions(p, thresholds, masks);
            }
        }
        Cond::Not(inner) => mentions(inner, thresholds, masks),
        Cond::Range { q, range } => {
            let NumRange { gt, gte, lt, lte } = *range;
            thresholds[*q].extend([gt, gte, lt, lte].into_iter().flatten());
        }
        Cond::HasAny { q, mask } | Cond::HasAll { q, mask } | Cond::HasNone { q, mask } => {
            masks[*q].push(*mask);
        }
        _ => {}
    }
}

fn domain(pack: &Pack, q: usize, thresholds: &[f64], masks: &[u64]) -> Vec<Value> {
    let question = &pack.questions[q];
    match question.kind {
        QuestionKind::Enum => (0..question.options.len())
            .map(|i| Value::Choice(i as u8))
            .collect(),
        QuestionKind::Bool => vec![Value::Flag(true), Value::Flag(false)],
        QuestionKind::List => {
            // Nothing, each item alone, each tested set, everything tested.
            let all = masks.iter().fold(0u64, |a, m| a | m);
            let mut out = vec![0, all];
            out.extend((0..64).map(|b| 1u64 << b).filter(|b| all & b != 0));
            out.extend(masks.iter().copied());
            out.sort_unstable();
            out.dedup();
            out.into_iter().map(Value::Items).collect()
        }
        QuestionKind::Int | QuestionKind::Number | QuestionKind::Days => {
            let integer = question.kind != QuestionKind::Number;
            let lo = question.min.unwrap_or(f64::NEG_INFINITY);
            let hi = question.max.unwrap_or(f64::INFINITY);
            let mut out: Vec<f64> = Vec::new();
            out.extend(question.min);
            out.extend(question.max);
            for &t in thresholds {
                if integer {
                    out.extend([t.floor() - 1.0, t.floor(), t.ceil(), t.ceil() + 1.0]);
                } else {
                    let eps = (t.abs() * 1e-9).max(1e-6);
                    out.extend([t - eps, t, t + eps]);
                }
            }
            out.retain(|v| v.is_finite() && *v >= lo && *v <= hi);
            out.sort_by(f64::total_cmp);
            out.dedup();
            out.into_iter().map(Value::Num).collect()
        }
    }
}

/// How much question `q` can change the outcome, given the other answers
/// (its own answer, if any, is left out).
pub fn impact(pack: &Pack, domains: &Domains, q: usize, answers: &Answers) -> Impact {
    let mut others = answers.clone();
    others.set(q, None);
    let base = key(pack, &others);
    let raise = pack
        .triage
        .iter()
        .filter(|r| r.care > base.care && reads(&r.when, q))
        .filter(|r| status(&r.when, &others) != Some(false))
        .map(|r| (r.level.index().abs_diff(base.level.index())).max(1) as u32)
        .sum();
    let mut out = Impact {
        raise,
        ..Impact::default()
    };
    let mut trial = others.clone();
    for &v in domains.of(q) {
        trial.set(q, Some(v));
        let k = key(pack, &trial);
        let moved = k
            .level
            .index()
            .abs_diff(base.level.index())
            .max(usize::from(k.care != base.care));
        out.level = out.level.max(moved as u32);
        let moved = (0..TOP)
            .filter(|&i| k.top.get(i) != base.top.get(i))
            .count();
        out.causes = out.causes.max(moved as u32);
        let steps = u32::from(k.running != base.running)
            + u32::from(k.recheck_days != base.recheck_days)
            + (0..k.first.len().max(base.first.len()))
                .filter(|&i| k.first.get(i) != base.first.get(i))
                .count() as u32;
        out.steps = out.steps.max(steps);
    }
    out
}

/// Whether a condition reads question `q`.
pub fn reads(cond: &Cond, q: usize) -> bool {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().any(|p| reads(p, q)),
        Cond::Not(inner) => reads(inner, q),
        Cond::OneOf { q: x, .. }
        | Cond::Flag { q: x, .. }
        | Cond::Range { q: x, .. }
        | Cond::HasAny { q: x, .. }
        | Cond::HasAll { q: x, .. }
        | Cond::HasNone { q: x, .. }
        | Cond::Answered { q: x, .. } => *x == q,
        Cond::Triage { .. } | Cond::CauseIs { .. } => false,
    }
}
