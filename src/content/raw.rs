//! The pack as written in TOML, before any cross-file check.
//!
//! Every value a later check may complain about keeps its byte span, so a
//! problem can be reported as `file:line:column`. Conditions are kept as a
//! spanned value tree ([`RawValue`]) because serde's untagged enums and
//! `flatten` would lose the spans.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use crate::model::{Category, CauseKind, Level, QuestionKind, Running, Section};

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub pack: Option<Spanned<RawPack>>,
    #[serde(default)]
    pub question: Vec<RawQuestion>,
    #[serde(default)]
    pub cause: Vec<RawCause>,
    #[serde(default)]
    pub triage: Vec<RawTriage>,
    #[serde(default)]
    pub advice: Vec<RawAdvice>,
    #[serde(default)]
    pub outside: Vec<RawOutside>,
    /// The return-to-running plan (`plan.toml`): checked by
    /// `crate::plan::pack`; the loader reads only its pain rules.
    #[serde(default)]
    pub plan: Option<RawPlanBrief>,
    pub next_steps: Option<Spanned<RawSteps>>,
    pub load: Option<Spanned<RawLoad>>,
    /// How the questionnaire opens (`questions.toml`).
    pub questionnaire: Option<Spanned<RawOpening>>,
    /// The documents the pack cites, with their addresses
    /// (`references.toml`).
    #[serde(default)]
    pub reference: Vec<RawReference>,
}

/// `[[reference]]`: a cited title and the `https://` address of its page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub title: Spanned<String>,
    pub url: Spanned<String>,
    /// Other spellings of the title in the pack's `source` texts.
    #[serde(default)]
    pub also: Vec<Spanned<String>>,
}

/// `[questionnaire]`: the questions asked first, and the words of the
/// "who are you answering for?" screen.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpening {
    #[serde(default)]
    pub first: Vec<Spanned<String>>,
    #[serde(default)]
    pub child_first: Vec<Spanned<String>>,
    pub who_prompt: String,
    pub who_help: String,
    pub who_self: String,
    pub who_child: String,
}

/// The part of `[plan]` the report needs: the pain rules, each field
/// optional here (`crate::plan::pack` reports what is missing or wrong).
#[derive(Debug, Deserialize)]
pub struct RawPlanBrief {
    #[serde(default)]
    pub pain_rule: std::collections::BTreeMap<String, RawPainRuleBrief>,
}

#[derive(Debug, Deserialize)]
pub struct RawPainRuleBrief {
    #[serde(default)]
    pub default: bool,
    pub short: Option<String>,
    pub name: Option<String>,
    pub during_max: Option<u32>,
    #[serde(default)]
    pub causes: Vec<String>,
    /// When the rule applies whatever the top condition (bone, children).
    pub when: Option<Spanned<RawValue>>,
}

/// `[load]`: training-load warnings (`content/load.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoad {
    #[serde(default)]
    pub flag: Vec<RawLoadFlag>,
    pub ratio: Option<RawLoadRatio>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoadFlag {
    pub id: Spanned<String>,
    pub figure: Spanned<String>,
    pub above: Spanned<f64>,
    pub text: Spanned<String>,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoadRatio {
    pub label: Spanned<String>,
    pub source: Spanned<String>,
}

/// `[next_steps]`: the running decision, the recheck and the items to do
/// first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSteps {
    pub max_first: Option<Spanned<i64>>,
    pub levels: RawStepLevels,
    #[serde(default)]
    pub rule: Vec<RawStepRule>,
    #[serde(default)]
    pub first: Vec<RawFirst>,
    #[serde(default)]
    pub note: Vec<RawNote>,
}

/// `[[next_steps.note]]`: a line the first screen carries when `when` holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNote {
    pub id: Spanned<String>,
    pub when: Spanned<RawValue>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepLevels {
    pub emergency: RawStepLevel,
    pub urgent: RawStepLevel,
    #[serde(rename = "see-professional")]
    pub see_professional: RawStepLevel,
    #[serde(rename = "self-care")]
    pub self_care: RawStepLevel,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepLevel {
    pub running: Running,
    pub running_text: String,
    pub recheck_days: Option<Spanned<i64>>,
    pub get_help: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepRule {
    pub id: Spanned<String>,
    pub when: Spanned<RawValue>,
    pub running: Option<Running>,
    pub running_text: Option<Spanned<String>>,
    pub recheck_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFirst {
    pub advice: Spanned<String>,
    pub when: Option<Spanned<RawValue>>,
    pub weight: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPack {
    pub name: String,
    pub version: String,
    pub disclaimer: String,
    pub no_clear_pattern: String,
    pub self_care_reason: String,
    /// The self-care reason when warning questions were left blank (v3).
    pub unanswered_reason: Option<String>,
    pub levels: RawLevels,
    /// Where and when in words, per care (v3): `[pack.care.same-day]`.
    pub care: Option<Spanned<std::collections::BTreeMap<Spanned<String>, RawCareText>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCareText {
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevels {
    pub emergency: RawLevelText,
    pub urgent: RawLevelText,
    #[serde(rename = "see-professional")]
    pub see_professional: RawLevelText,
    #[serde(rename = "self-care")]
    pub self_care: RawLevelText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevelText {
    pub label: String,
    pub action: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: QuestionKind,
    pub section: Section,
    #[serde(default)]
    pub required: bool,
    pub prompt: String,
    pub help: String,
    pub options: Option<Spanned<Vec<RawOption>>>,
    pub yes: Option<Spanned<String>>,
    pub no: Option<Spanned<String>>,
    pub min: Option<Spanned<f64>>,
    pub max: Option<Spanned<f64>>,
    pub unit: Option<String>,
    pub phrase: Option<Spanned<String>>,
    /// The phrase when the value is exactly 1 ("{value} day of pain").
    pub phrase_one: Option<Spanned<String>>,
    pub ask_if: Option<Spanned<RawValue>>,
    /// A bool question asked the positive way round: "yes" to this means
    /// the answer is false ("Can you bend ...?" for `cannot_bend_90`).
    pub positive: Option<Spanned<String>>,
    /// The wording for a parent answering about their child.
    pub child_prompt: Option<String>,
    pub child_positive: Option<Spanned<String>>,
    pub child_help: Option<String>,
    pub child_yes: Option<String>,
    /// What "no" means, said of a child.
    pub child_no: Option<Spanned<String>>,
    /// Show the knee drawing with the question.
    #[serde(default)]
    pub drawing: bool,
    /// Ask only once `ask_if` holds for certain.
    #[serde(default)]
    pub ask_if_known: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub value: Spanned<String>,
    pub label: String,
    /// The label for a parent answering about their child.
    pub child_label: Option<String>,
    pub phrase: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCause {
    pub id: Spanned<String>,
    pub kind: CauseKind,
    pub name: String,
    pub about: String,
    /// How long a condition usually takes to settle (conditions only).
    pub settles: Option<Spanned<String>>,
    /// Where `settles` comes from.
    pub settles_source: Option<Spanned<String>>,
    pub possible_at: Spanned<i64>,
    pub likely_at: Spanned<i64>,
    #[serde(default)]
    pub rule: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub when: Spanned<RawValue>,
    pub points: Spanned<i64>,
    pub because: Option<String>,
    pub group: Option<String>,
}

/// `[[outside]]`: a condition outside the knee itself that the answers can
/// point to, with the rules that point to it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutside {
    pub id: Spanned<String>,
    pub name: String,
    pub about: String,
    pub source: String,
    #[serde(default)]
    pub rule: Vec<RawOutsideRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutsideRule {
    pub id: Spanned<String>,
    pub when: Spanned<RawValue>,
    pub because: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTriage {
    pub id: Spanned<String>,
    pub level: Spanned<Level>,
    /// Where and when (v3); the level's least urgent care when left out.
    pub care: Option<Spanned<String>>,
    pub when: Spanned<RawValue>,
    pub reason: String,
    /// The guideline or study the rule rests on (optional).
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAdvice {
    pub id: Spanned<String>,
    pub category: Category,
    pub title: String,
    pub text: String,
    pub source: String,
    pub when: Option<Spanned<RawValue>>,
    /// The levels this item must never be given at: its text would say
    /// something the level does not (`content check` proves it is not).
    pub contradicts: Option<Spanned<Vec<Level>>>,
    /// (v3) The cares this item must never be given with.
    #[serde(default)]
    pub contradicts_care: Vec<Spanned<String>>,
    /// The running decisions the item agrees with (`next_steps.running`).
    #[serde(default)]
    pub running: Vec<Running>,
}

/// A TOML value with the span of every nested key and value.
#[derive(Debug, Clone)]
pub enum RawValue {
    Str(String),
    Bool(bool),
    Int(i64),
    Float(f64),
    Array(Vec<Spanned<RawValue>>),
    Table(Vec<(Spanned<String>, Spanned<RawValue>)>),
}

impl RawValue {
    /// How the value is described in an error message.
    pub fn type_name(&self) -> &'static str {
        match self {
            RawValue::Str(_) => "a string",
            RawValue::Bool(_) => "a boolean",
            RawValue::Int(_) => "an integer",
            RawValue::Float(_) => "a number",
            RawValue::Array(_) => "an array",
            RawValue::Table(_) => "a table",
        }
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, boolean, number, array or table")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
        i64::try_from(v)
            .map(RawValue::Int)
            .map_err(|_| E::custom("integer is too large"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawValue>>()? {
            items.push(item);
        }
        Ok(RawValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<RawValue>>()?;
            entries.push((key, value));
        }
        Ok(RawValue::Table(entries))
    }
}
