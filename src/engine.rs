//! The rule engine: a pure function from answers to an assessment.
//!
//! Three fixed stages, no chaining: score every cause, set the triage level
//! (the most urgent firing rule wins, self-care when none fires), then pick
//! the advice, which may read the level and the causes. The engine knows no
//! condition by name: all of that is in the content pack.

use crate::answers::{Answers, Value};
use crate::model::{
    Cond, LeafMask, Level, Likelihood, Needs, Node, Pack, Prechecks, Program, Root, RuleOp,
    Running, Shape,
};

/// What the engine concluded, as indices into the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub level: Level,
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

/// What advice conditions may read besides the answers.
struct Derived<'a> {
    level: Level,
    likelihoods: &'a [Likelihood],
}

/// Every answer leaf of the program, evaluated once.
#[inline(never)]
fn leaf_bits(p: &Program, answers: &Answers) -> Bits {
    let mut bits = Bits {
        t: [0; WORDS],
        f: [0; WORDS],
    };
    for (q, &(start, end)) in p.by_question.iter().enumerate() {
        if start == end {
            continue;
        }
        if let Some(value) = answers.get(q) {
            for i in start..end {
                bits.set(i, leaf_on(&p.leaves[i as usize], value));
            }
        }
    }
    for &(bit, q, want) in &p.answered {
        bits.set(bit, Some(answers.is_answered(q) == want));
    }
    bits
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
fn derived_leaf(cond: &Cond, d: &Derived) -> Option<bool> {
    match cond {
        Cond::Triage { mask } => Some(mask & (1 << d.level.index()) != 0),
        Cond::CauseIs { cause, mask } => d
            .likelihoods
            .get(*cause)
            .map(|l| mask & (1 << (*l as u8)) != 0),
        _ => None,
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
    }
}

pub fn assess(pack: &Pack, answers: &Answers) -> Assessment {
    let mut a = assess_rules(pack, answers);
    next_steps(pack, answers, &mut a);
    a
}

/// Decides the next steps from the pack's `[next_steps]`: the running
/// decision (the most careful of the firing rules, else the level's), the
/// recheck (the fewest days of the firing rules, none when the level has
/// none), then leaves out the advice that disagrees with the running
/// decision, and ranks the rest by the weight of their firing candidates.
fn next_steps(pack: &Pack, answers: &Answers, a: &mut Assessment) {
    let Some(rules) = &pack.next_steps else {
        // A pack without `[next_steps]`: the level decides, nothing is ranked.
        a.steps = Steps {
            running: if a.level >= Level::Urgent {
                Running::Stop
            } else {
                Running::Reduce
            },
            first: a.advice.first().copied().into_iter().collect(),
            ..Steps::default()
        };
        return;
    };
    let mut likelihoods = vec![Likelihood::Unlikely; pack.causes.len()];
    for cs in &a.causes {
        likelihoods[cs.cause] = cs.likelihood;
    }
    let derived = Derived {
        level: a.level,
        likelihoods: &likelihoods,
    };
    let level = &rules.levels[a.level.index()];
    let mut steps = Steps {
        running: level.running,
        recheck_days: level.recheck_days,
        ..Steps::default()
    };
    let mut decided: Option<(Running, usize)> = None;
    for (i, rule) in rules.rules.iter().enumerate() {
        if eval(&rule.when, answers, Some(&derived)) != Some(true) {
            continue;
        }
        steps.rules.push(i);
        if let Some(running) = rule.running
            && decided.is_none_or(|(r, _)| running > r)
        {
            decided = Some((running, i));
        }
        if let (Some(days), Some(now)) = (rule.recheck_days, steps.recheck_days) {
            steps.recheck_days = Some(now.min(days));
        }
    }
    if let Some((running, i)) = decided {
        steps.running = running;
        steps.running_rule = Some(i);
    }
    let running = steps.running;
    a.advice.retain(|&i| {
        let agrees = &pack.advice[i].running;
        agrees.is_empty() || agrees.contains(&running)
    });
    let mut weights: Vec<(usize, i32)> = Vec::new();
    for c in &rules.first {
        if !a.advice.contains(&c.advice)
            || c.when
                .as_ref()
                .is_some_and(|w| eval(w, answers, Some(&derived)) != Some(true))
        {
            continue;
        }
        match weights.iter_mut().find(|(i, _)| *i == c.advice) {
            Some((_, w)) => *w += c.weight,
            None => weights.push((c.advice, c.weight)),
        }
    }
    // Most weight first; on a tie, the report's order.
    let position = |i: usize| a.advice.iter().position(|&x| x == i).unwrap_or(usize::MAX);
    weights.sort_by(|x, y| y.1.cmp(&x.1).then(position(x.0).cmp(&position(y.0))));
    steps.first = weights
        .iter()
        .filter(|(_, w)| *w > 0)
        .take(rules.max_first)
        .map(|&(i, _)| i)
        .collect();
    if steps.first.is_empty()
        && let Some(&i) = a.advice.first()
    {
        steps.first.push(i);
    }
    steps.ranked = weights;
    a.steps = steps;
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

/// The pack's compiled program, compiled on first use; `None` when the pack
/// is too large for the fast path.
pub fn program(pack: &Pack) -> Option<&Program> {
    let pre = prechecks(pack);
    pre.program
        .get_or_init(|| compile(pack, &pre.advice_order))
        .as_ref()
}

/// 64-bit words in the leaf bit sets: room for 512 distinct leaves.
const WORDS: usize = 8;

/// Per leaf bit: whether the leaf is certainly true, certainly false
/// (neither: not known).
struct Bits {
    t: [u64; WORDS],
    f: [u64; WORDS],
}

impl Bits {
    #[inline]
    fn set(&mut self, bit: u32, value: Option<bool>) {
        let (w, b) = ((bit / 64) as usize, 1u64 << (bit % 64));
        match value {
            Some(true) => self.t[w] |= b,
            Some(false) => self.f[w] |= b,
            None => {}
        }
    }
}

/// Whether a node certainly has the value `want`, from the leaf bits:
/// Kleene logic exactly as [`eval`] over the tree. `all` is true when every
/// part is true and false when some part is false; `any` the other way.
fn node_is(p: &Program, n: u32, bits: &Bits, want: bool) -> bool {
    let node = &p.nodes[n as usize];
    let want = want ^ node.negate;
    // The parts must have the value `want`: some of them, or every one.
    let some = node.any == want;
    let (same, other) = if want {
        (&bits.t, &bits.f)
    } else {
        (&bits.f, &bits.t)
    };
    let masks = &p.masks[node.masks.0 as usize..node.masks.1 as usize];
    let kids = &p.kids[node.kids.0 as usize..node.kids.1 as usize];
    if some {
        masks.iter().any(|m| {
            let w = m.word as usize;
            (same[w] & m.plain) | (other[w] & m.negated) != 0
        }) || kids.iter().any(|&k| node_is(p, k, bits, want))
    } else {
        masks.iter().all(|m| {
            let w = m.word as usize;
            (same[w] & m.plain == m.plain) & (other[w] & m.negated == m.negated)
        }) && kids.iter().all(|&k| node_is(p, k, bits, want))
    }
}

/// Whether a rule's condition certainly holds.
#[inline]
fn root_holds(p: &Program, root: &Root, bits: &Bits) -> bool {
    let m = &root.mask;
    let w = m.word as usize;
    match root.shape {
        Shape::All => (bits.t[w] & m.plain == m.plain) & (bits.f[w] & m.negated == m.negated),
        Shape::Any => (bits.t[w] & m.plain) | (bits.f[w] & m.negated) != 0,
        Shape::Node => node_is(p, root.node, bits, true),
    }
}

/// The fast path: every leaf evaluated once into bit sets, every rule
/// combined from them, and no allocation beyond the result lists.
fn assess_fast(pack: &Pack, p: &Program, answers: &Answers) -> Assessment {
    let answered = answers.answered_mask();
    let mut bits = leaf_bits(p, answers);

    // Causes: `compile` allows at most 64, each with at most 128 rules.
    let n = pack.causes.len();
    let mut likelihoods = [Likelihood::Unlikely; 64];
    let mut counted = [0u128; 64];
    let mut points = [0i32; 64];
    let mut possible = 0u64;
    // (likelihood, score, cause) of the causes to report.
    let mut order = [(Likelihood::Unlikely, 0.0f64, 0usize); 64];
    let mut reported = 0;
    for (ci, (cause, rules)) in pack.causes.iter().zip(&p.rules).enumerate() {
        let mut set = 0u128;
        for (ri, rule) in rules.iter().enumerate() {
            if !rule.needs.met_by(answered) || !root_holds(p, &rule.root, &bits) {
                continue;
            }
            match rule.group {
                Some(g) => match bit_indices(set).find(|&o| rules[o].group == Some(g)) {
                    Some(o) if rules[o].points >= rule.points => {}
                    Some(o) => set = (set & !(1 << o)) | (1 << ri),
                    None => set |= 1 << ri,
                },
                None => set |= 1 << ri,
            }
        }
        let sum: i32 = bit_indices(set).map(|ri| rules[ri].points).sum();
        let likelihood = if sum >= cause.likely_at {
            Likelihood::Likely
        } else if sum >= cause.possible_at {
            Likelihood::Possible
        } else {
            Likelihood::Unlikely
        };
        likelihoods[ci] = likelihood;
        counted[ci] = set;
        points[ci] = sum;
        if likelihood > Likelihood::Unlikely {
            possible |= 1 << ci;
            order[reported] = (likelihood, score_of(pack, ci, sum), ci);
            reported += 1;
        }
    }
    let order = &mut order[..reported];
    // Keys are distinct (the cause breaks ties), so any sort gives the
    // order of the stable sort in `assess_with`.
    order.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then(points[b.2].cmp(&points[a.2]))
            .then(a.2.cmp(&b.2))
    });
    let causes = order
        .iter()
        .map(|&(likelihood, _, ci)| CauseScore {
            cause: ci,
            points: points[ci],
            likelihood,
            rules: bit_indices(counted[ci]).collect(),
        })
        .collect();

    let mut triage = Vec::new();
    for (i, (root, needs)) in p.triage.iter().enumerate() {
        if needs.met_by(answered) && root_holds(p, root, &bits) {
            triage.push(i);
        }
    }
    triage.sort_by_key(|&i| std::cmp::Reverse(pack.triage[i].level));
    let level = triage
        .first()
        .map_or(Level::SelfCare, |&i| pack.triage[i].level);

    let derived = Derived {
        level,
        likelihoods: &likelihoods[..n],
    };
    for (bit, leaf) in &p.derived {
        bits.set(*bit, derived_leaf(leaf, &derived));
    }
    let mut advice = Vec::with_capacity(p.advice.len());
    for (i, when) in &p.advice {
        let fires = match when {
            Some((root, needs)) => {
                needs.met(answered, level, possible) && root_holds(p, root, &bits)
            }
            None => true,
        };
        if fires {
            advice.push(*i);
        }
    }

    Assessment {
        level,
        triage,
        causes,
        advice,
        steps: Steps::default(),
    }
}

/// The indices of the set bits, lowest first.
fn bit_indices(mut set: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (set != 0).then(|| {
            let i = set.trailing_zeros() as usize;
            set &= set - 1;
            i
        })
    })
}

/// [`CauseScore::score`] of a cause with these points.
fn score_of(pack: &Pack, cause: usize, points: i32) -> f64 {
    CauseScore {
        cause,
        points,
        likelihood: Likelihood::Unlikely,
        rules: Vec::new(),
    }
    .score(pack)
}

/// Compiles the pack's rules for [`assess_fast`]; `None` when the pack is
/// past the fast path's fixed sizes (64 causes, 128 rules per cause, 512
/// distinct leaves).
fn compile(pack: &Pack, advice_order: &[usize]) -> Option<Program> {
    if pack.causes.len() > 64 || pack.causes.iter().any(|c| c.rules.len() > 128) {
        return None;
    }
    let roots = || pack.conditions();
    // Number the distinct leaves: answer values grouped by question, then
    // `answered` tests, then the level and causes.
    let mut per_question: Vec<Vec<Cond>> = Vec::new();
    let mut answered: Vec<(usize, bool)> = Vec::new();
    let mut derived: Vec<Cond> = Vec::new();
    for root in roots() {
        for_each_leaf(root, &mut |leaf| match leaf {
            Cond::Answered { q, answered: a } => {
                if !answered.contains(&(*q, *a)) {
                    answered.push((*q, *a));
                }
            }
            Cond::Triage { .. } | Cond::CauseIs { .. } => {
                if !derived.contains(leaf) {
                    derived.push(leaf.clone());
                }
            }
            Cond::OneOf { q, .. }
            | Cond::Flag { q, .. }
            | Cond::Range { q, .. }
            | Cond::HasAny { q, .. }
            | Cond::HasAll { q, .. }
            | Cond::HasNone { q, .. } => {
                if per_question.len() <= *q {
                    per_question.resize(*q + 1, Vec::new());
                }
                if !per_question[*q].iter().any(|l| same_leaf(l, leaf)) {
                    per_question[*q].push(leaf.clone());
                }
            }
            Cond::All(_) | Cond::Any(_) | Cond::Not(_) => {}
        });
    }
    let mut p = Program::default();
    for leaves in per_question {
        let start = p.leaves.len() as u32;
        p.leaves.extend(leaves);
        p.by_question.push((start, p.leaves.len() as u32));
    }
    let first_answered = p.leaves.len();
    let first_derived = first_answered + answered.len();
    if first_derived + derived.len() > WORDS * 64 {
        return None;
    }
    p.answered = answered
        .iter()
        .enumerate()
        .map(|(i, &(q, a))| ((first_answered + i) as u32, q, a))
        .collect();
    p.derived = derived
        .iter()
        .enumerate()
        .map(|(i, leaf)| ((first_derived + i) as u32, leaf.clone()))
        .collect();
    let bit_of = |p: &Program, leaf: &Cond| -> u32 {
        let found = match leaf {
            Cond::Answered { q, answered } => p
                .answered
                .iter()
                .find(|a| (a.1, a.2) == (*q, *answered))
                .map(|a| a.0),
            Cond::Triage { .. } | Cond::CauseIs { .. } => {
                p.derived.iter().find(|d| d.1 == *leaf).map(|d| d.0)
            }
            _ => p
                .leaves
                .iter()
                .position(|l| same_leaf(l, leaf))
                .map(|i| i as u32),
        };
        found.expect("every leaf was numbered")
    };
    p.rules = pack
        .causes
        .iter()
        .map(|c| {
            c.rules
                .iter()
                .map(|r| RuleOp {
                    root: compile_root(&mut p, &bit_of, &r.when),
                    needs: Needs::of(&r.when),
                    points: r.points,
                    group: r.group,
                })
                .collect()
        })
        .collect();
    p.triage = pack
        .triage
        .iter()
        .map(|r| (compile_root(&mut p, &bit_of, &r.when), Needs::of(&r.when)))
        .collect();
    p.advice = advice_order
        .iter()
        .map(|&i| {
            let when = pack.advice[i].when.as_ref();
            (
                i,
                when.map(|w| (compile_root(&mut p, &bit_of, w), Needs::of(w))),
            )
        })
        .collect();
    Some(p)
}

/// Leaf equality that holds for a bound that is NaN too (`==` does not).
fn same_leaf(a: &Cond, b: &Cond) -> bool {
    match (a, b) {
        (Cond::Range { q, range }, Cond::Range { q: q2, range: r2 }) => {
            let bits = |r: &crate::model::NumRange| {
                [r.gt, r.gte, r.lt, r.lte].map(|b| b.map(f64::to_bits))
            };
            q == q2 && bits(range) == bits(r2)
        }
        _ => a == b,
    }
}

fn is_leaf(cond: &Cond) -> bool {
    !matches!(cond, Cond::All(_) | Cond::Any(_) | Cond::Not(_))
}

fn for_each_leaf(cond: &Cond, f: &mut impl FnMut(&Cond)) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|c| for_each_leaf(c, f)),
        Cond::Not(inner) => for_each_leaf(inner, f),
        leaf => f(leaf),
    }
}

/// A rule's root: the masks alone when its node has no child, one word
/// of masks and no `not`; the node otherwise.
fn compile_root(p: &mut Program, bit_of: &impl Fn(&Program, &Cond) -> u32, cond: &Cond) -> Root {
    let n = compile_node(p, bit_of, cond, false);
    let node = p.nodes[n as usize];
    let masks = &p.masks[node.masks.0 as usize..node.masks.1 as usize];
    let simple = !node.negate && node.kids.0 == node.kids.1 && masks.len() <= 1;
    Root {
        shape: match (simple, node.any) {
            (false, _) => Shape::Node,
            (true, false) => Shape::All,
            (true, true) => Shape::Any,
        },
        mask: masks.first().copied().unwrap_or(LeafMask {
            word: 0,
            plain: 0,
            negated: 0,
        }),
        node: n,
    }
}

/// Appends the node for `cond` (its children first) and returns its index.
fn compile_node(
    p: &mut Program,
    bit_of: &impl Fn(&Program, &Cond) -> u32,
    cond: &Cond,
    negate: bool,
) -> u32 {
    let (any, parts): (bool, &[Cond]) = match cond {
        Cond::All(parts) => (false, parts),
        Cond::Any(parts) => (true, parts),
        Cond::Not(inner) => return compile_node(p, bit_of, inner, !negate),
        leaf => (false, std::slice::from_ref(leaf)),
    };
    let mut masks: Vec<LeafMask> = Vec::new();
    let mut kids = Vec::new();
    for part in parts {
        let (leaf, negated) = match part {
            Cond::Not(inner) if is_leaf(inner) => (&**inner, true),
            leaf if is_leaf(leaf) => (leaf, false),
            node => {
                kids.push(compile_node(p, bit_of, node, false));
                continue;
            }
        };
        let bit = bit_of(p, leaf);
        let word = bit / 64;
        let i = match masks.iter().position(|m| m.word == word) {
            Some(i) => i,
            None => {
                masks.push(LeafMask {
                    word,
                    plain: 0,
                    negated: 0,
                });
                masks.len() - 1
            }
        };
        if negated {
            masks[i].negated |= 1 << (bit % 64);
        } else {
            masks[i].plain |= 1 << (bit % 64);
        }
    }
    let m0 = p.masks.len() as u32;
    p.masks.extend(masks);
    let k0 = p.kids.len() as u32;
    p.kids.extend(kids);
    p.nodes.push(Node {
        any,
        negate,
        masks: (m0, p.masks.len() as u32),
        kids: (k0, p.kids.len() as u32),
    });
    (p.nodes.len() - 1) as u32
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
        steps: Steps::default(),
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
