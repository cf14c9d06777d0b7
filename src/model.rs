//! The vocabulary fixed by the contract (levels, categories, kinds) and the
//! validated content pack the engine runs on.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How soon the runner should get help. Ordered from least to most urgent,
/// so `max` picks the level to report.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    SelfCare,
    SeeProfessional,
    Urgent,
    Emergency,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::SelfCare,
        Level::SeeProfessional,
        Level::Urgent,
        Level::Emergency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::SelfCare => "self-care",
            Level::SeeProfessional => "see-professional",
            Level::Urgent => "urgent",
            Level::Emergency => "emergency",
        }
    }

    pub fn from_name(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[path = "model/care.rs"]
mod care;
#[path = "model/derived.rs"]
mod derived;
#[path = "model/reference.rs"]
mod reference;
pub use care::Care;
pub use derived::*;
pub use reference::{Citation, Reference, citations};

/// Advice categories, in the order the report shows them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    UrgentCare,
    Professional,
    RestRecovery,
    Exercise,
    Stretch,
    Prevention,
    FootwearForm,
    ReturnToRunning,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::UrgentCare,
        Category::Professional,
        Category::RestRecovery,
        Category::Exercise,
        Category::Stretch,
        Category::Prevention,
        Category::FootwearForm,
        Category::ReturnToRunning,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::UrgentCare => "urgent-care",
            Category::Professional => "professional",
            Category::RestRecovery => "rest-recovery",
            Category::Exercise => "exercise",
            Category::Stretch => "stretch",
            Category::Prevention => "prevention",
            Category::FootwearForm => "footwear-form",
            Category::ReturnToRunning => "return-to-running",
        }
    }

    /// The heading a runner reads in the human report.
    pub fn heading(self) -> &'static str {
        match self {
            Category::UrgentCare => "Get help now",
            Category::Professional => "Professional care",
            Category::RestRecovery => "Rest and recovery",
            Category::Exercise => "Strengthening exercises",
            Category::Stretch => "Stretches",
            Category::Prevention => "Prevention",
            Category::FootwearForm => "Footwear and running form",
            Category::ReturnToRunning => "Returning to running",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CauseKind {
    Condition,
    Factor,
}

impl CauseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CauseKind::Condition => "condition",
            CauseKind::Factor => "factor",
        }
    }
}

/// How strongly the answers point to a cause.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Likelihood {
    Unlikely,
    Possible,
    Likely,
}

impl Likelihood {
    pub fn as_str(self) -> &'static str {
        match self {
            Likelihood::Unlikely => "unlikely",
            Likelihood::Possible => "possible",
            Likelihood::Likely => "likely",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    Enum,
    List,
    Bool,
    Int,
    Number,
    Days,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Enum => "enum",
            QuestionKind::List => "list",
            QuestionKind::Bool => "bool",
            QuestionKind::Int => "int",
            QuestionKind::Number => "number",
            QuestionKind::Days => "days",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            QuestionKind::Int | QuestionKind::Number | QuestionKind::Days
        )
    }

    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Enum | QuestionKind::List)
    }
}

/// The answer to "may I run?", from the least to the most careful, so
/// `max` picks the most careful of several.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Running {
    /// Keep running, watching for the signs.
    Continue,
    /// Run less, within a pain rule.
    Reduce,
    /// No running until examined or cleared.
    Stop,
}

impl Running {
    pub const ALL: [Running; 3] = [Running::Continue, Running::Reduce, Running::Stop];

    pub fn as_str(self) -> &'static str {
        match self {
            Running::Continue => "continue",
            Running::Reduce => "reduce",
            Running::Stop => "stop",
        }
    }
}

impl fmt::Display for Running {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The pack's `[next_steps]`: how the report's `next_steps` is decided.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepsRules {
    /// Per level, indexed by [`Level::index`].
    pub levels: [LevelSteps; 4],
    /// Rules that change the running decision or the recheck: the most
    /// careful firing `running` wins, and the fewest `recheck_days`.
    pub rules: Vec<StepRule>,
    /// Advice items that may be done first, and when; the items with the
    /// most weight from firing candidates come first.
    pub first: Vec<FirstCandidate>,
    /// At most this many items to do first.
    pub max_first: usize,
    /// Lines the first screen carries whenever their `when` holds (v3: the
    /// hip line for a runner under 18, what a risk factor alone means).
    pub notes: Vec<StepNote>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepNote {
    pub id: String,
    pub when: Cond,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LevelSteps {
    pub running: Running,
    pub running_text: String,
    /// `None`: no recheck (the runner is to be seen instead).
    pub recheck_days: Option<u32>,
    /// When to get help (sooner), in one sentence.
    pub get_help: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepRule {
    pub id: String,
    pub when: Cond,
    pub running: Option<Running>,
    pub running_text: Option<String>,
    pub recheck_days: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FirstCandidate {
    /// Index into the pack's advice.
    pub advice: usize,
    pub when: Option<Cond>,
    pub weight: i32,
}

/// Where a question sits in the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    RedFlags,
    Injury,
    Symptoms,
    Training,
    /// Read only by the return-to-running plan (`cleared_to_run`): asked
    /// when a plan is wanted, never for the report.
    Plan,
}

/// A validated content pack: what the engine runs on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pack {
    pub meta: PackMeta,
    pub questions: Vec<Question>,
    pub causes: Vec<Cause>,
    pub triage: Vec<TriageRule>,
    pub advice: Vec<Advice>,
    /// Training-load warnings for the training log (`content/load.toml`).
    #[serde(default)]
    pub load: LoadRules,
    /// How `next_steps` is decided; `None` in a pack without `[next_steps]`.
    pub next_steps: Option<StepsRules>,
    /// Conditions outside the knee itself that the answers can point to.
    pub outside: Vec<Outside>,
    /// The pain rules of `plan.toml` in brief, so the report's answer to
    /// "may I run?" gives the same rule as the plan and the diary
    /// (`{pain_rule}` in a running text).
    #[serde(default)]
    pub pain_rules: Vec<RunningPainRule>,
    /// How the questionnaire opens (`[questionnaire]` in `questions.toml`).
    #[serde(default)]
    pub opening: Opening,
    /// The documents the pack cites, with their addresses
    /// (`content/references.toml`), so a report can link a cited title.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Derived by the engine from the rules on first use; never stored.
    #[serde(skip)]
    pub prechecks: std::sync::OnceLock<Prechecks>,
}

/// Where a next-steps running text quotes the pain rule of the report's
/// top condition.
pub const PAIN_RULE: &str = "{pain_rule}";

/// How the questionnaire opens: who is answering, and the questions asked
/// first (question indices, in order; each only when it can still matter).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Opening {
    pub first: Vec<usize>,
    /// The same when a parent answers for a child.
    pub child_first: Vec<usize>,
    /// The "who are you answering for?" screen; `None` in a pack without
    /// it (the questions are then put to the runner).
    pub who: Option<Who>,
}

/// The words of the "who are you answering for?" screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Who {
    pub prompt: String,
    pub help: String,
    pub myself: String,
    pub child: String,
}

/// A pain rule as the report quotes it: for which conditions, and in one
/// line. `plan.toml` holds it; `crate::plan::pack` checks the rest of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunningPainRule {
    pub id: String,
    pub causes: Vec<String>,
    /// The rule for every other condition, and when none is clear.
    pub default: bool,
    pub short: String,
    /// "Bone rule (stress fracture, or a raised risk of one)": for
    /// `plan --help`.
    pub name: String,
    /// Pain allowed during a session (0-10): of the rules whose `when`
    /// holds, the strictest applies.
    pub during_max: u32,
    /// When the rule applies whatever the top condition (a bone at risk,
    /// a child's knee).
    pub when: Option<Cond>,
}

/// The figures of a training log a load warning may test
/// (`src/training/figures.rs` computes them).
pub const LOAD_FIGURES: [&str; 7] = [
    "weekly_km",
    "mileage_increase_pct",
    "long_run_increase_pct",
    "rest_days",
    "shoe_km",
    "week_increase_pct",
    "acute_chronic_ratio",
];

/// The pack's training-load warnings (`[load]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadRules {
    pub flags: Vec<LoadFlag>,
    /// How an acute:chronic ratio is labelled, if the pack shows one.
    pub ratio: Option<LoadRatio>,
}

/// One warning: raised when `figure` is above `above`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadFlag {
    pub id: String,
    pub figure: String,
    pub above: f64,
    /// Wording, with `{value}` for the figure.
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoadRatio {
    pub label: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackMeta {
    pub name: String,
    pub version: String,
    pub disclaimer: String,
    pub no_clear_pattern: String,
    pub self_care_reason: String,
    /// Label and action per level, indexed by [`Level::index`].
    pub levels: [LevelText; 4],
    /// Where and when in words, per care, indexed by [`Care::index`]; a
    /// pack that words none falls back on its level's action.
    pub care: [String; 6],
    /// The self-care reason when warning questions were left blank;
    /// `None`: the pack has none, and `self_care_reason` is used.
    pub unanswered_reason: Option<String>,
    /// Hex SHA-256 over the pack's files (`content::pack_hash`); set by
    /// whoever read the files, empty until then.
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LevelText {
    pub label: String,
    pub action: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub section: Section,
    pub required: bool,
    pub prompt: String,
    pub help: String,
    pub options: Vec<Choice>,
    pub yes: String,
    pub no: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    pub phrase: String,
    /// `phrase` for the value 1, where the noun is singular ("1 day of
    /// pain", not "1 days").
    pub phrase_one: Option<String>,
    pub ask_if: Option<Cond>,
    /// For a bool question, the prompt asked the positive way round: "yes"
    /// to it means the answer is false. A question is never asked in the
    /// negative ("Are you unable to ...?").
    #[serde(default)]
    pub positive: Option<String>,
    /// The wording for a parent answering about their child (`ask`, when
    /// answering for a child): the prompt, the positive prompt and the
    /// help. `None` keeps the question's own words.
    #[serde(default)]
    pub child_prompt: Option<String>,
    #[serde(default)]
    pub child_positive: Option<String>,
    #[serde(default)]
    pub child_help: Option<String>,
    /// What "yes" means, said of a child (the summary's "No" line).
    #[serde(default)]
    pub child_yes: Option<String>,
    /// What "no" means, said of a child, where the adult words are the
    /// runner's own.
    #[serde(default)]
    pub child_no: Option<String>,
    /// The questionnaire shows the knee drawing with this question.
    #[serde(default)]
    pub drawing: bool,
    /// The questionnaire asks this question only once its `ask_if` holds
    /// for certain: never after "not sure" to the question it follows
    /// (when the swelling came up, after "not sure" about a swelling).
    #[serde(default)]
    pub ask_if_known: bool,
}

impl Question {
    pub fn option_index(&self, value: &str) -> Option<usize> {
        self.options.iter().position(|o| o.value == value)
    }

    pub fn option_values(&self) -> Vec<&str> {
        self.options.iter().map(|o| o.value.as_str()).collect()
    }

    /// The flag name: the answer key in kebab-case.
    pub fn flag(&self) -> String {
        self.id.replace('_', "-")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// The label for a parent answering about their child ("They twisted
    /// with their foot planted"); `None` keeps `label`.
    #[serde(default)]
    pub child_label: Option<String>,
    pub phrase: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cause {
    pub id: String,
    pub kind: CauseKind,
    pub name: String,
    pub about: String,
    /// How long the condition usually takes to settle, with its source:
    /// every condition has one (education is first-line care), a factor none.
    pub settles: Option<TimeCourse>,
    pub possible_at: i32,
    pub likely_at: i32,
    pub rules: Vec<ScoreRule>,
}

/// A condition's typical time course, as the report tells it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TimeCourse {
    pub text: String,
    pub source: String,
}

impl Cause {
    /// The one answer every rule that adds points needs (the first, when
    /// several are), so that without it the cause could collect no points:
    /// a factor resting on one answer is at most `possible`. `None` when
    /// its points can come from separate answers, or it has no rule that
    /// adds points.
    pub fn resting_answer(&self) -> Option<usize> {
        let mut common: Option<Vec<usize>> = None;
        for r in self.rules.iter().filter(|r| r.points > 0) {
            let needs = r.when.needed_answers();
            common = Some(match common {
                None => needs,
                Some(c) => c.into_iter().filter(|q| needs.contains(q)).collect(),
            });
        }
        common.and_then(|c| c.first().copied())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScoreRule {
    pub id: String,
    pub when: Cond,
    pub points: i32,
    pub because: Option<String>,
    /// Index into the cause's groups; rules in one group count once.
    pub group: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriageRule {
    pub id: String,
    pub level: Level,
    /// Where and when (contract v3); belongs to `level`.
    pub care: Care,
    pub when: Cond,
    pub reason: String,
    /// The guideline or study the rule rests on, when the pack names one.
    pub source: Option<String>,
}

/// A condition outside the knee itself (referred pain from the hip or back,
/// a clot, an artery, an infection, an inflammatory arthritis, a tumour):
/// reported when one of its rules fires.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outside {
    pub id: String,
    pub name: String,
    pub about: String,
    pub source: String,
    pub rules: Vec<OutsideRule>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutsideRule {
    pub id: String,
    pub when: Cond,
    /// The answers that point there, in words.
    pub because: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Advice {
    pub id: String,
    pub category: Category,
    pub title: String,
    pub text: String,
    pub source: String,
    pub when: Option<Cond>,
    /// Levels whose promise this item's text would contradict ("within a
    /// day or two" at emergency, a pain rule at urgent): it must never be
    /// selected at them. `content check` proves it; INV-ONE-VOICE tests it.
    pub contradicts: Vec<Level>,
    /// (v3) Cares whose promise this item's words would break ("within a
    /// day or two" in a same-day report): it is left out of such a report.
    pub contradicts_care: Vec<Care>,
    /// The running decisions this item agrees with; empty: any. An item
    /// that says something about running is given only when it agrees.
    pub running: Vec<Running>,
}

/// A compiled condition. Question and cause references are indices into the
/// pack; option sets are bit masks, so evaluation allocates nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// Enum answer is one of the options in the mask.
    OneOf {
        q: usize,
        mask: u64,
    },
    Flag {
        q: usize,
        value: bool,
    },
    Range {
        q: usize,
        range: NumRange,
    },
    /// List answer holds at least one of the mask.
    HasAny {
        q: usize,
        mask: u64,
    },
    /// List answer holds all of the mask.
    HasAll {
        q: usize,
        mask: u64,
    },
    /// List answer holds none of the mask.
    HasNone {
        q: usize,
        mask: u64,
    },
    Answered {
        q: usize,
        answered: bool,
    },
    /// Report level is one of the mask (bit = [`Level::index`]).
    Triage {
        mask: u8,
    },
    /// Cause reached one of the likelihoods in the mask (bit = likelihood as u8).
    CauseIs {
        cause: usize,
        mask: u8,
    },
}

impl Cond {
    /// The questions that must be answered for the condition to hold: every
    /// part's of `all`, those common to all parts of `any`, none under `not`
    /// or for an "is unanswered" test. In ascending order.
    pub fn needed_answers(&self) -> Vec<usize> {
        let mut out = match self {
            Cond::All(parts) => parts.iter().flat_map(Cond::needed_answers).collect(),
            Cond::Any(parts) => {
                let mut sets = parts.iter().map(Cond::needed_answers);
                match sets.next() {
                    Some(first) => sets.fold(first, |acc, s| {
                        acc.into_iter().filter(|q| s.contains(q)).collect()
                    }),
                    None => Vec::new(),
                }
            }
            Cond::Not(_)
            | Cond::Triage { .. }
            | Cond::CauseIs { .. }
            | Cond::Answered {
                answered: false, ..
            } => Vec::new(),
            Cond::OneOf { q, .. }
            | Cond::Flag { q, .. }
            | Cond::Range { q, .. }
            | Cond::HasAny { q, .. }
            | Cond::HasAll { q, .. }
            | Cond::HasNone { q, .. }
            | Cond::Answered { q, .. } => vec![*q],
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Bounds of a numeric test; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct NumRange {
    pub gt: Option<f64>,
    pub gte: Option<f64>,
    pub lt: Option<f64>,
    pub lte: Option<f64>,
}

impl NumRange {
    pub fn contains(&self, v: f64) -> bool {
        self.gt.is_none_or(|b| v > b)
            && self.gte.is_none_or(|b| v >= b)
            && self.lt.is_none_or(|b| v < b)
            && self.lte.is_none_or(|b| v <= b)
    }
}

impl Pack {
    /// The pain rule for a condition id (the default rule for any other,
    /// or for none); `None` in a pack without pain rules.
    pub fn pain_rule_for(&self, cause: Option<&str>) -> Option<&RunningPainRule> {
        cause
            .and_then(|c| {
                self.pain_rules
                    .iter()
                    .find(|r| r.causes.iter().any(|x| x == c))
            })
            .or_else(|| self.pain_rules.iter().find(|r| r.default))
    }

    /// [`Pack::pain_rule_for`] as an index into `pain_rules`.
    pub fn pain_rule_index(&self, cause: Option<&str>) -> Option<usize> {
        cause
            .and_then(|c| {
                self.pain_rules
                    .iter()
                    .position(|r| r.causes.iter().any(|x| x == c))
            })
            .or_else(|| self.pain_rules.iter().position(|r| r.default))
    }

    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    pub fn cause_index(&self, id: &str) -> Option<usize> {
        self.causes.iter().position(|c| c.id == id)
    }

    /// The conditions of the next-steps rules and `first` candidates.
    pub fn step_conditions(&self) -> impl Iterator<Item = &Cond> {
        self.next_steps.iter().flat_map(|s| {
            s.rules
                .iter()
                .map(|r| &r.when)
                .chain(s.first.iter().filter_map(|f| f.when.as_ref()))
        })
    }

    /// Every condition the engine evaluates: scoring rules, then triage
    /// rules, then advice (`ask_if` is the questionnaire's, not the engine's).
    pub fn conditions(&self) -> impl Iterator<Item = &Cond> {
        self.causes
            .iter()
            .flat_map(|c| c.rules.iter().map(|r| &r.when))
            .chain(self.triage.iter().map(|r| &r.when))
            .chain(self.advice.iter().filter_map(|a| a.when.as_ref()))
            .chain(
                self.outside
                    .iter()
                    .flat_map(|o| o.rules.iter().map(|r| &r.when)),
            )
    }

    pub fn level_text(&self, level: Level) -> &LevelText {
        &self.meta.levels[level.index()]
    }

    /// Where and when to be seen, in words, for a care.
    pub fn care_text(&self, care: Care) -> &str {
        &self.meta.care[care.index()]
    }
}
