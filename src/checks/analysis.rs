//! Static checks of a compiled pack that find real authoring mistakes: a
//! rule that can never fire, a triage rule that can never set the level, a
//! scoring rule that never counts, advice that can never be given, a
//! question nothing reads, a cause no answers can make likely, advice
//! that can be given at a level its `contradicts` list names, and a
//! next-steps rule or `first` candidate that can never fire.
//!
//! The checks are exact, not heuristics. Answers are a finite product of
//! small domains: an enum question is unanswered or one of its options, a
//! yes/no question unanswered, yes or no, a list any subset of the items the
//! rules mention, and a number matters only where it stands against the
//! thresholds the rules use (each threshold, just below and just above it,
//! and the question's bounds). A depth-first search over that product, with
//! three-valued partial evaluation to cut branches that cannot succeed,
//! either finds answers that show a rule can fire (a witness) or proves that
//! none exist. The search has a node budget; when it runs out the check
//! reports nothing rather than guess.

use crate::answers::Value;
use crate::model::{CauseKind, Cond, Level, Likelihood, NumRange, Pack, QuestionKind, Section};

mod one_answer;

/// What a finding is about, as indices into the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Triage(usize),
    /// Cause index, rule index within the cause.
    Score(usize, usize),
    Advice(usize),
    Question(usize),
    /// The cause's `likely_at`.
    CauseLikely(usize),
    /// The cause's `id`.
    Cause(usize),
    /// Outside-the-knee condition index, rule index within it.
    Outside(usize, usize),
    /// A next-steps rule.
    NextStep(usize),
    /// A next-steps `first` candidate.
    FirstStep(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub subject: Subject,
    pub message: String,
}

/// Search nodes one question may spend before the check gives up.
const BUDGET: u64 = 400_000;

/// Every finding for the pack, in pack order.
pub fn analyse(pack: &Pack) -> Vec<Finding> {
    let mut out = Vec::new();
    let a = Analyser { pack };
    let mut fires = vec![true; pack.triage.len()];
    for (ti, rule) in pack.triage.iter().enumerate() {
        if a.search(&[Want::Fires(&rule.when)], None) == Outcome::Impossible {
            fires[ti] = false;
            out.push(Finding {
                severity: Severity::Error,
                subject: Subject::Triage(ti),
                message: format!(
                    "triage rule \"{}\" can never fire: no set of answers meets its condition",
                    rule.id
                ),
            });
        }
    }
    for (ti, rule) in pack.triage.iter().enumerate() {
        if !fires[ti] {
            continue;
        }
        let higher: Vec<usize> = (0..pack.triage.len())
            .filter(|&o| fires[o] && pack.triage[o].level > rule.level)
            .collect();
        if higher.is_empty() {
            continue;
        }
        let mut wants = vec![Want::Fires(&rule.when)];
        wants.extend(higher.iter().map(|&o| Want::Silent(&pack.triage[o].when)));
        if a.search(&wants, None) == Outcome::Impossible {
            // Name the one rule that covers it alone, if there is one.
            let alone = higher.iter().find(|&&o| {
                a.search(
                    &[Want::Fires(&rule.when), Want::Silent(&pack.triage[o].when)],
                    None,
                ) == Outcome::Impossible
            });
            let by = match alone {
                Some(&o) => format!(
                    "\"{}\" ({}) fires too",
                    pack.triage[o].id, pack.triage[o].level
                ),
                None => "a rule of a higher level fires too".into(),
            };
            out.push(Finding {
                severity: Severity::Warning,
                subject: Subject::Triage(ti),
                message: format!(
                    "triage rule \"{}\" ({}) is shadowed: whenever it fires, {by}, so it can never set the level",
                    rule.id, rule.level
                ),
            });
        }
    }
    for (ci, cause) in pack.causes.iter().enumerate() {
        let mut fires = vec![true; cause.rules.len()];
        for (ri, rule) in cause.rules.iter().enumerate() {
            if a.search(&[Want::Fires(&rule.when)], None) == Outcome::Impossible {
                fires[ri] = false;
                out.push(Finding {
                    severity: Severity::Error,
                    subject: Subject::Score(ci, ri),
                    message: format!(
                        "scoring rule \"{}\" of cause \"{}\" can never fire: no set of answers meets its condition",
                        rule.id, cause.id
                    ),
                });
            }
        }
        for (ri, rule) in cause.rules.iter().enumerate() {
            let Some(g) = rule.group else { continue };
            if !fires[ri] {
                continue;
            }
            // Within a group only the strongest firing rule counts (the
            // first of equals), so a rule always outdone never counts.
            let stronger: Vec<usize> = (0..cause.rules.len())
                .filter(|&o| {
                    let other = &cause.rules[o];
                    o != ri
                        && fires[o]
                        && other.group == Some(g)
                        && (other.points > rule.points || (other.points == rule.points && o < ri))
                })
                .collect();
            if stronger.is_empty() {
                continue;
            }
            let mut wants = vec![Want::Fires(&rule.when)];
            wants.extend(stronger.iter().map(|&o| Want::Silent(&cause.rules[o].when)));
            if a.search(&wants, None) == Outcome::Impossible {
                out.push(Finding {
                    severity: Severity::Warning,
                    subject: Subject::Score(ci, ri),
                    message: format!(
                        "scoring rule \"{}\" of cause \"{}\" never counts: whenever it fires, a stronger rule of its group fires too",
                        rule.id, cause.id
                    ),
                });
            }
        }
        let likely = Want::Points {
            cause: ci,
            at_least: cause.likely_at,
        };
        if cause.kind == CauseKind::Factor {
            out.extend(one_answer::likely_on_one_answer(&a, ci));
        }
        if cause.kind == CauseKind::Condition && cause.settles.is_none() {
            out.push(Finding {
                severity: Severity::Warning,
                subject: Subject::Cause(ci),
                message: format!(
                    "condition \"{}\" has no time course: add `settles` (how long it usually takes to settle) and `settles_source`, which the report shows with it",
                    cause.id
                ),
            });
        }
        // A factor whose points all rest on one answer is never likely by
        // design: that is the rule above, not a mistake.
        let by_design = cause.kind == CauseKind::Factor && cause.resting_answer().is_some();
        if !by_design && a.search(&[likely], None) == Outcome::Impossible {
            out.push(Finding {
                severity: Severity::Error,
                subject: Subject::CauseLikely(ci),
                message: format!(
                    "cause \"{}\" can never be likely: no set of answers reaches likely_at = {} (its strongest rules exclude each other)",
                    cause.id, cause.likely_at
                ),
            });
        }
    }
    for (ai, advice) in pack.advice.iter().enumerate() {
        let Some(when) = &advice.when else { continue };
        if a.advice_selectable(when) == Outcome::Impossible {
            out.push(Finding {
                severity: Severity::Error,
                subject: Subject::Advice(ai),
                message: format!(
                    "advice \"{}\" can never be given: no set of answers meets its condition together with the triage level and cause likelihoods those answers give",
                    advice.id
                ),
            });
        }
    }
    for (ai, advice) in pack.advice.iter().enumerate() {
        for &level in &advice.contradicts {
            let given = match &advice.when {
                None => Outcome::Found,
                Some(when) => a.advice_at(when, level, BUDGET),
            };
            if given == Outcome::Found {
                out.push(Finding {
                    severity: Severity::Error,
                    subject: Subject::Advice(ai),
                    message: format!(
                        "advice \"{}\" contradicts the {level} level (its `contradicts` says so), but some answers give it at {level}: restrict its `when`",
                        advice.id
                    ),
                });
            }
        }
    }
    for (oi, o) in pack.outside.iter().enumerate() {
        for (ri, rule) in o.rules.iter().enumerate() {
            if a.search(&[Want::Fires(&rule.when)], None) == Outcome::Impossible {
                out.push(Finding {
                    severity: Severity::Error,
                    subject: Subject::Outside(oi, ri),
                    message: format!(
                        "rule \"{}\" of outside-the-knee condition \"{}\" can never fire: no set of answers meets its condition",
                        rule.id, o.id
                    ),
                });
            }
        }
    }
    if let Some(steps) = &pack.next_steps {
        for (ri, rule) in steps.rules.iter().enumerate() {
            if a.advice_selectable(&rule.when) == Outcome::Impossible {
                out.push(Finding {
                    severity: Severity::Error,
                    subject: Subject::NextStep(ri),
                    message: format!(
                        "next-steps rule \"{}\" can never fire: no set of answers meets its condition at the level those answers give",
                        rule.id
                    ),
                });
            }
        }
        for (fi, first) in steps.first.iter().enumerate() {
            let Some(when) = &first.when else { continue };
            if a.advice_selectable(when) == Outcome::Impossible {
                out.push(Finding {
                    severity: Severity::Error,
                    subject: Subject::FirstStep(fi),
                    message: format!(
                        "next-steps `first` candidate for advice \"{}\" can never fire: no set of answers meets its condition",
                        pack.advice[first.advice].id
                    ),
                });
            }
        }
    }
    let mut read = vec![false; pack.questions.len()];
    for cond in pack.conditions().chain(pack.step_conditions()) {
        for q in questions_of(cond) {
            read[q] = true;
        }
    }
    for (qi, q) in pack.questions.iter().enumerate() {
        // The plan's own questions change no report by design.
        if !read[qi] && q.section != Section::Plan {
            out.push(Finding {
                severity: Severity::Warning,
                subject: Subject::Question(qi),
                message: format!(
                    "question \"{}\" is read by no triage, scoring, advice or next-steps rule: its answer changes nothing",
                    q.id
                ),
            });
        }
    }
    out
}

/// One requirement on the answers the search looks for.
#[derive(Clone, Copy)]
enum Want<'a> {
    /// The condition holds (the rule fires).
    Fires(&'a Cond),
    /// The condition does not hold (false or unknown: the rule stays silent).
    Silent(&'a Cond),
    /// The cause collects at least this many points.
    Points { cause: usize, at_least: i32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Found,
    Impossible,
    GaveUp,
}

/// The outcomes a condition may still have: a set of Kleene values.
const T: u8 = 1;
const F: u8 = 2;
const U: u8 = 4;

fn and3(a: u8, b: u8) -> u8 {
    let mut out = 0;
    for x in [T, F, U] {
        for y in [T, F, U] {
            if a & x != 0 && b & y != 0 {
                out |= match (x, y) {
                    (F, _) | (_, F) => F,
                    (T, T) => T,
                    _ => U,
                };
            }
        }
    }
    out
}

fn or3(a: u8, b: u8) -> u8 {
    let mut out = 0;
    for x in [T, F, U] {
        for y in [T, F, U] {
            if a & x != 0 && b & y != 0 {
                out |= match (x, y) {
                    (T, _) | (_, T) => T,
                    (F, F) => F,
                    _ => U,
                };
            }
        }
    }
    out
}

fn not3(a: u8) -> u8 {
    (if a & T != 0 { F } else { 0 }) | (if a & F != 0 { T } else { 0 }) | (a & U)
}

fn exact(b: Option<bool>) -> u8 {
    match b {
        Some(true) => T,
        Some(false) => F,
        None => U,
    }
}

/// A partial assignment: `None` is not decided yet, `Some(None)` unanswered.
type Assignment = Vec<Option<Option<Value>>>;

/// The questions a condition reads.
fn questions_of(cond: &Cond) -> Vec<usize> {
    let mut out = Vec::new();
    collect_questions(cond, &mut out);
    out
}

fn collect_questions(cond: &Cond, out: &mut Vec<usize>) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => {
            for p in parts {
                collect_questions(p, out);
            }
        }
        Cond::Not(inner) => collect_questions(inner, out),
        Cond::OneOf { q, .. }
        | Cond::Flag { q, .. }
        | Cond::Range { q, .. }
        | Cond::HasAny { q, .. }
        | Cond::HasAll { q, .. }
        | Cond::HasNone { q, .. }
        | Cond::Answered { q, .. } => {
            if !out.contains(q) {
                out.push(*q);
            }
        }
        Cond::Triage { .. } | Cond::CauseIs { .. } => {}
    }
}

fn causes_of(cond: &Cond, out: &mut Vec<usize>) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => {
            for p in parts {
                causes_of(p, out);
            }
        }
        Cond::Not(inner) => causes_of(inner, out),
        Cond::CauseIs { cause, .. } if !out.contains(cause) => out.push(*cause),
        _ => {}
    }
}

fn reads_triage(cond: &Cond) -> bool {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().any(reads_triage),
        Cond::Not(inner) => reads_triage(inner),
        Cond::Triage { .. } => true,
        _ => false,
    }
}

/// Thresholds and list items the conditions mention, per question.
fn mentions(cond: &Cond, thresholds: &mut [Vec<f64>], items: &mut [u64]) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => {
            for p in parts {
                mentions(p, thresholds, items);
            }
        }
        Cond::Not(inner) => mentions(inner, thresholds, items),
        Cond::Range { q, range } => {
            let NumRange { gt, gte, lt, lte } = *range;
            thresholds[*q].extend([gt, gte, lt, lte].into_iter().flatten());
        }
        Cond::HasAny { q, mask } | Cond::HasAll { q, mask } | Cond::HasNone { q, mask } => {
            items[*q] |= mask;
        }
        _ => {}
    }
}

struct Analyser<'p> {
    pack: &'p Pack,
}

/// What one search looks at: its questions in order, with their domains.
struct Space<'w> {
    wants: &'w [Want<'w>],
    /// A fixed triage level, for advice conditions that read it.
    level: Option<Level>,
    vars: Vec<usize>,
    domains: Vec<Vec<Option<Value>>>,
    nodes: u64,
    budget: u64,
}

impl Analyser<'_> {
    /// Looks for answers meeting every want.
    fn search(&self, wants: &[Want], level: Option<Level>) -> Outcome {
        self.search_within(wants, level, BUDGET)
    }

    fn search_within(&self, wants: &[Want], level: Option<Level>, budget: u64) -> Outcome {
        let pack = self.pack;
        let mut conds: Vec<&Cond> = Vec::new();
        for w in wants {
            match w {
                Want::Fires(c) | Want::Silent(c) => conds.push(c),
                Want::Points { cause, .. } => {
                    conds.extend(pack.causes[*cause].rules.iter().map(|r| &r.when))
                }
            }
        }
        // Causes an advice condition reads bring their rules in too.
        let mut causes = Vec::new();
        for c in &conds {
            causes_of(c, &mut causes);
        }
        // Their rules go right after the first want, so the points, and
        // with them the likelihoods, are settled early in the search.
        let rest = conds.split_off(conds.len().min(1));
        for &ci in &causes {
            conds.extend(pack.causes[ci].rules.iter().map(|r| &r.when));
        }
        conds.extend(rest);
        let n = pack.questions.len();
        let mut thresholds = vec![Vec::new(); n];
        let mut items = vec![0u64; n];
        // Questions in the order they are first read: a want's own
        // questions come before those of the rules that only constrain it.
        let mut vars: Vec<usize> = Vec::new();
        for c in &conds {
            mentions(c, &mut thresholds, &mut items);
            for q in questions_of(c) {
                if !vars.contains(&q) {
                    vars.push(q);
                }
            }
        }
        let domains = vars
            .iter()
            .map(|&q| self.domain(q, &thresholds[q], items[q]))
            .collect();
        let mut space = Space {
            wants,
            level,
            vars,
            domains,
            nodes: 0,
            budget,
        };
        let mut asg: Assignment = vec![None; n];
        self.dfs(&mut space, &mut asg, 0)
    }

    /// Answers a question may take that differ in what the rules see.
    fn domain(&self, q: usize, thresholds: &[f64], items: u64) -> Vec<Option<Value>> {
        let question = &self.pack.questions[q];
        let mut out = vec![None];
        match question.kind {
            QuestionKind::Enum => {
                out.extend((0..question.options.len()).map(|i| Some(Value::Choice(i as u8))));
            }
            QuestionKind::Bool => out.extend([Some(Value::Flag(true)), Some(Value::Flag(false))]),
            QuestionKind::List => {
                // Every subset of the mentioned items (at most 2^12 of them).
                let bits: Vec<u64> = (0..64)
                    .filter(|b| items & (1u64 << b) != 0)
                    .map(|b| 1u64 << b)
                    .take(12)
                    .collect();
                for subset in 0u64..(1 << bits.len()) {
                    let mask = bits
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| subset & (1 << i) != 0)
                        .fold(0, |m, (_, b)| m | b);
                    out.push(Some(Value::Items(mask)));
                }
            }
            QuestionKind::Int | QuestionKind::Number | QuestionKind::Days => {
                let integer = question.kind != QuestionKind::Number;
                let lo = question.min.unwrap_or(f64::NEG_INFINITY);
                let hi = question.max.unwrap_or(f64::INFINITY);
                let mut candidates: Vec<f64> = Vec::new();
                candidates.extend(question.min);
                candidates.extend(question.max);
                if question.min.is_none() && question.max.is_none() {
                    candidates.push(0.0);
                }
                for &t in thresholds {
                    candidates.extend([t.floor(), t.ceil(), t.floor() - 1.0, t.ceil() + 1.0]);
                    if !integer {
                        let eps = (t.abs() * 1e-9).max(1e-6);
                        candidates.extend([t, t - eps, t + eps]);
                    }
                }
                candidates.retain(|v| v.is_finite() && *v >= lo && *v <= hi);
                if integer {
                    candidates.retain(|v| v.fract() == 0.0);
                }
                candidates.sort_by(f64::total_cmp);
                candidates.dedup();
                out.extend(candidates.into_iter().map(|v| Some(Value::Num(v))));
            }
        }
        out
    }

    fn dfs(&self, space: &mut Space, asg: &mut Assignment, depth: usize) -> Outcome {
        space.nodes += 1;
        if space.nodes > space.budget {
            return Outcome::GaveUp;
        }
        for w in space.wants {
            if !self.may_meet(w, asg, space.level) {
                return Outcome::Impossible;
            }
        }
        if depth == space.vars.len() {
            return Outcome::Found;
        }
        let q = space.vars[depth];
        let mut gave_up = false;
        for vi in 0..space.domains[depth].len() {
            asg[q] = Some(space.domains[depth][vi]);
            match self.dfs(space, asg, depth + 1) {
                Outcome::Found => {
                    asg[q] = None;
                    return Outcome::Found;
                }
                Outcome::GaveUp => {
                    gave_up = true;
                    break;
                }
                Outcome::Impossible => {}
            }
        }
        asg[q] = None;
        if gave_up {
            Outcome::GaveUp
        } else {
            Outcome::Impossible
        }
    }

    /// Whether some completion of the partial answers may meet the want.
    fn may_meet(&self, want: &Want, asg: &Assignment, level: Option<Level>) -> bool {
        match want {
            Want::Fires(c) => self.eval(c, asg, level) & T != 0,
            Want::Silent(c) => self.eval(c, asg, level) != T,
            Want::Points { cause, at_least } => self.points(*cause, asg).1 >= *at_least,
        }
    }

    /// The least and most points a cause may still collect.
    fn points(&self, ci: usize, asg: &Assignment) -> (i32, i32) {
        let rules = &self.pack.causes[ci].rules;
        let (mut lo, mut hi) = (0i32, 0i32);
        let mut groups: Vec<usize> = rules.iter().filter_map(|r| r.group).collect();
        groups.sort_unstable();
        groups.dedup();
        let outcomes: Vec<u8> = rules
            .iter()
            .map(|r| self.eval(&r.when, asg, None))
            .collect();
        for (r, &o) in rules.iter().zip(&outcomes) {
            if r.group.is_some() {
                continue;
            }
            let (can, must) = (o & T != 0, o == T);
            if r.points > 0 {
                hi += if can { r.points } else { 0 };
                lo += if must { r.points } else { 0 };
            } else {
                hi += if must { r.points } else { 0 };
                lo += if can { r.points } else { 0 };
            }
        }
        for g in groups {
            let members = rules
                .iter()
                .zip(&outcomes)
                .filter(|(r, _)| r.group == Some(g));
            let must: Vec<i32> = members
                .clone()
                .filter(|(_, o)| **o == T)
                .map(|(r, _)| r.points)
                .collect();
            let can: Vec<i32> = members
                .filter(|(_, o)| **o & T != 0)
                .map(|(r, _)| r.points)
                .collect();
            let none_possible = must.is_empty();
            let g_hi = can
                .iter()
                .copied()
                .chain(none_possible.then_some(0))
                .max()
                .unwrap_or(0);
            let g_lo = match must.iter().max() {
                Some(&m) => m,
                None => can.iter().copied().chain([0]).min().unwrap_or(0),
            };
            hi += g_hi;
            lo += g_lo;
        }
        (lo, hi)
    }

    fn likelihoods(&self, ci: usize, asg: &Assignment) -> u8 {
        let cause = &self.pack.causes[ci];
        let (lo, hi) = self.points(ci, asg);
        let mut out = 0u8;
        if lo < cause.possible_at {
            out |= 1 << (Likelihood::Unlikely as u8);
        }
        if lo < cause.likely_at && hi >= cause.possible_at {
            out |= 1 << (Likelihood::Possible as u8);
        }
        if hi >= cause.likely_at {
            out |= 1 << (Likelihood::Likely as u8);
        }
        out
    }

    /// The Kleene outcomes the condition may still have.
    fn eval(&self, cond: &Cond, asg: &Assignment, level: Option<Level>) -> u8 {
        let answer = |q: usize| asg.get(q).copied().flatten();
        match cond {
            Cond::All(parts) => parts
                .iter()
                .fold(T, |acc, p| and3(acc, self.eval(p, asg, level))),
            Cond::Any(parts) => parts
                .iter()
                .fold(F, |acc, p| or3(acc, self.eval(p, asg, level))),
            Cond::Not(inner) => not3(self.eval(inner, asg, level)),
            Cond::Answered { q, answered } => match answer(*q) {
                None => T | F,
                Some(v) => exact(Some(v.is_some() == *answered)),
            },
            Cond::Triage { mask } => match level {
                Some(l) => exact(Some(mask & (1 << l.index()) != 0)),
                None => T | F,
            },
            Cond::CauseIs { cause, mask } => {
                let possible = self.likelihoods(*cause, asg);
                let mut out = 0;
                if possible & mask != 0 {
                    out |= T;
                }
                if possible & !mask != 0 {
                    out |= F;
                }
                out
            }
            Cond::OneOf { q, .. }
            | Cond::Flag { q, .. }
            | Cond::Range { q, .. }
            | Cond::HasAny { q, .. }
            | Cond::HasAll { q, .. }
            | Cond::HasNone { q, .. } => match answer(*q) {
                None => T | F | U,
                Some(None) => U,
                Some(Some(v)) => exact(crate::engine::leaf_on(cond, v)),
            },
        }
    }

    /// Advice is given when its condition holds with the level and the
    /// likelihoods the same answers give. The level is tried in turn;
    /// likelihoods follow from the points the answers collect.
    fn advice_selectable(&self, when: &Cond) -> Outcome {
        if !reads_triage(when) {
            return self.search(&[Want::Fires(when)], None);
        }
        // Answers that give the advice are usually found in a few hundred
        // steps; proving a level impossible can take many more. So every
        // level gets a short search first, and only then a full one.
        let mut open: Vec<Level> = Vec::new();
        for level in Level::ALL {
            match self.advice_at(when, level, BUDGET / 50) {
                Outcome::Found => return Outcome::Found,
                Outcome::GaveUp => open.push(level),
                Outcome::Impossible => {}
            }
        }
        let mut gave_up = false;
        for level in open {
            match self.advice_at(when, level, BUDGET) {
                Outcome::Found => return Outcome::Found,
                Outcome::GaveUp => gave_up = true,
                Outcome::Impossible => {}
            }
        }
        if gave_up {
            Outcome::GaveUp
        } else {
            Outcome::Impossible
        }
    }

    /// Answers that give the advice and set exactly this level.
    fn advice_at(&self, when: &Cond, level: Level, budget: u64) -> Outcome {
        let pack = self.pack;
        let at: Vec<Cond> = pack
            .triage
            .iter()
            .filter(|t| t.level == level)
            .map(|t| t.when.clone())
            .collect();
        if level != Level::SelfCare && at.is_empty() {
            return Outcome::Impossible;
        }
        let any_at = Cond::Any(at);
        let mut wants = vec![Want::Fires(when)];
        if level != Level::SelfCare {
            wants.push(Want::Fires(&any_at));
        }
        wants.extend(
            pack.triage
                .iter()
                .filter(|t| t.level > level)
                .map(|t| Want::Silent(&t.when)),
        );
        self.search_within(&wants, Some(level), budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_sets_combine_like_the_engine() {
        assert_eq!(and3(T, U), U);
        assert_eq!(and3(F, U), F);
        assert_eq!(or3(T, U), T);
        assert_eq!(or3(F, U), U);
        assert_eq!(not3(T | U), F | U);
        assert_eq!(and3(T | F, T), T | F);
    }

    #[test]
    fn the_shipped_pack_has_no_findings() {
        let pack = crate::content::load_from(None).expect("embedded pack");
        let findings = analyse(&pack);
        assert!(findings.is_empty(), "{findings:#?}");
    }
}
