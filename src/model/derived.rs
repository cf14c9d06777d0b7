//! What the engine derives from a pack's rules on first use (prechecks, the
//! compiled fast path, the warning probes): kept with the model so the pack
//! can hold it, never stored in the prebuilt pack.

use super::*;

/// What must hold before each rule can fire, so the engine skips most rules
/// with a few bit tests (see `engine::prechecks`).
#[derive(Debug, Clone, Default)]
pub struct Prechecks {
    /// Per cause, per scoring rule.
    pub rules: Vec<Vec<Needs>>,
    pub triage: Vec<Needs>,
    pub advice: Vec<Needs>,
    /// Advice indices in report order: by category, then pack order.
    pub advice_order: Vec<usize>,
    /// The rules' conditions compiled for the fast path, on the second
    /// assessment (one assessment is cheaper to walk than to compile);
    /// `None` when the pack is too large for it, and the engine then walks
    /// the condition trees.
    pub program: std::sync::OnceLock<Option<Program>>,
    /// Set by the first assessment.
    pub assessed: std::sync::OnceLock<()>,
    /// For `unanswered_warnings`: each question an urgent or emergency
    /// triage rule tests.
    pub warnings: Vec<WarningProbe>,
}

/// A question an urgent or emergency triage rule tests: those rules, and
/// the answers worth trying (each one that makes one of its leaves true).
#[derive(Debug, Clone, Default)]
pub struct WarningProbe {
    pub q: usize,
    pub rules: Vec<usize>,
    pub values: Vec<ProbeValue>,
}

/// An answer to try, as the engine's answer values hold it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProbeValue {
    Flag(bool),
    Choice(u8),
    Items(u64),
    Num(f64),
}

/// Every rule's condition, compiled once per pack: each distinct leaf test
/// gets a bit, an assessment evaluates every leaf once into two bit sets
/// (certainly true, certainly false), and each `all`/`any` node combines
/// its leaves with a few mask operations per 64 leaves.
#[derive(Debug, Clone, Default)]
pub struct Program {
    /// Distinct leaves that read an answer's value, grouped by question.
    pub leaves: Vec<Cond>,
    /// Per question: `leaves[start..end]`; leaf `i` has bit `i`.
    pub by_question: Vec<(u32, u32)>,
    /// `answered` tests: (bit, question, answered).
    pub answered: Vec<(u32, usize, bool)>,
    /// Leaves that read the level or the causes (advice only): (bit, leaf).
    pub derived: Vec<(u32, Cond)>,
    pub nodes: Vec<Node>,
    /// The leaf masks of the nodes.
    pub masks: Vec<LeafMask>,
    /// The child nodes of the nodes.
    pub kids: Vec<u32>,
    /// Per cause, per scoring rule.
    pub rules: Vec<Vec<RuleOp>>,
    /// Per triage rule: its condition and prechecks.
    pub triage: Vec<(Root, Needs)>,
    /// In report order: the advice index, and its condition and prechecks
    /// (`None` for advice given always).
    pub advice: Vec<(usize, Option<(Root, Needs)>)>,
}

/// A scoring rule as the fast path reads it, all in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleOp {
    pub root: Root,
    pub needs: Needs,
    pub points: i32,
    pub group: Option<usize>,
}

/// A rule's condition: when it is a plain `all` or `any` of leaves in one
/// word (most are), the masks themselves, tested without a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root {
    pub shape: Shape,
    pub mask: LeafMask,
    /// The node, for [`Shape::Node`].
    pub node: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    All,
    Any,
    Node,
}

/// An `all` or `any` over leaves and child nodes, maybe negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub any: bool,
    pub negate: bool,
    /// `masks[masks.0..masks.1]`
    pub masks: (u32, u32),
    /// `kids[kids.0..kids.1]`
    pub kids: (u32, u32),
}

/// The leaves of one node within one 64-bit word of the leaf bit sets:
/// those read as they are, and those under a `not`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeafMask {
    pub word: u32,
    pub plain: u64,
    pub negated: u64,
}

/// Necessary (not sufficient) conditions for a rule to fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// Questions (bit = index, the first 64) that must be answered.
    pub answered: u64,
    /// Report levels (bit = [`Level::index`]) under which it can fire.
    pub levels: u8,
    /// Causes (bit = index, the first 64) that must be at least `possible`.
    pub possible: u64,
    /// When not both zero: at least one of these questions must be answered
    /// or one of these causes be at least `possible` (from an `any`).
    pub either: (u64, u64),
}
