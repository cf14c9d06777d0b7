//! Compiles the pack's condition trees into the fast path's program (leaf
//! numbering, bit masks, nodes); run once per pack, apart from the hot path.

use super::fast::WORDS;
use crate::model::{Cond, LeafMask, Needs, Node, Pack, Program, Root, RuleOp, Shape};

/// Compiles the pack's rules for [`assess_fast`](super::fast::assess_fast);
/// `None` when the pack is past the fast path's fixed sizes (64 causes, 128
/// rules per cause, 512 distinct leaves).
pub(super) fn compile(pack: &Pack, advice_order: &[usize]) -> Option<Program> {
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
pub(super) fn same_leaf(a: &Cond, b: &Cond) -> bool {
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

pub(super) fn is_leaf(cond: &Cond) -> bool {
    !matches!(cond, Cond::All(_) | Cond::Any(_) | Cond::Not(_))
}

pub(super) fn for_each_leaf(cond: &Cond, f: &mut impl FnMut(&Cond)) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|c| for_each_leaf(c, f)),
        Cond::Not(inner) => for_each_leaf(inner, f),
        leaf => f(leaf),
    }
}

/// A rule's root: the masks alone when its node has no child, one word
/// of masks and no `not`; the node otherwise.
pub(super) fn compile_root(
    p: &mut Program,
    bit_of: &impl Fn(&Program, &Cond) -> u32,
    cond: &Cond,
) -> Root {
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
pub(super) fn compile_node(
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
