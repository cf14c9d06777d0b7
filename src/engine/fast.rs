//! The fast path: every leaf evaluated once into bit sets, every rule
//! combined from them; separate from the tree walk it must always agree with.

use super::compile::compile;
use super::eval::{Derived, derived_leaf, leaf_on};
use super::prechecks::prechecks;
use super::{Assessment, CauseScore, Steps};
use crate::answers::Answers;
use crate::model::{Likelihood, Pack, Program, Root, Shape};

/// The pack's compiled program, compiled on first use; `None` when the pack
/// is too large for the fast path.
pub fn program(pack: &Pack) -> Option<&Program> {
    let pre = prechecks(pack);
    pre.program
        .get_or_init(|| compile(pack, &pre.advice_order))
        .as_ref()
}

/// 64-bit words in the leaf bit sets: room for 512 distinct leaves.
pub(super) const WORDS: usize = 8;

/// Per leaf bit: whether the leaf is certainly true, certainly false
/// (neither: not known).
pub(super) struct Bits {
    pub(super) t: [u64; WORDS],
    pub(super) f: [u64; WORDS],
}

impl Bits {
    #[inline]
    pub(super) fn set(&mut self, bit: u32, value: Option<bool>) {
        let (w, b) = ((bit / 64) as usize, 1u64 << (bit % 64));
        match value {
            Some(true) => self.t[w] |= b,
            Some(false) => self.f[w] |= b,
            None => {}
        }
    }
}

/// Every answer leaf of the program, evaluated once.
#[inline(never)]
pub(super) fn leaf_bits(p: &Program, answers: &Answers) -> Bits {
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

/// Whether a node certainly has the value `want`, from the leaf bits:
/// Kleene logic exactly as [`eval`](super::eval::eval) over the tree. `all`
/// is true when every part is true and false when some part is false; `any`
/// the other way.
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
pub(super) fn assess_fast(pack: &Pack, p: &Program, answers: &Answers) -> Assessment {
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
    let (level, care) = super::level_and_care(pack, &mut triage);

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
        care,
        triage,
        causes,
        advice,
        steps: Steps::default(),
    }
}

/// The indices of the set bits, lowest first.
pub(super) fn bit_indices(mut set: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (set != 0).then(|| {
            let i = set.trailing_zeros() as usize;
            set &= set - 1;
            i
        })
    })
}

/// [`CauseScore::score`] of a cause with these points.
pub(super) fn score_of(pack: &Pack, cause: usize, points: i32) -> f64 {
    CauseScore {
        cause,
        points,
        likelihood: Likelihood::Unlikely,
        rules: Vec::new(),
    }
    .score(pack)
}
