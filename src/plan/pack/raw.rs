//! `plan.toml` as written: every table and field, with the places of the
//! values a check may name.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Cleared, Entry, Escalation, Rebuild, StepBack, Trend, Volume};
use crate::content::raw::RawValue;
use crate::model::{Level, Likelihood, Running};

#[derive(Debug, Deserialize)]
pub(super) struct RawFile {
    pub(super) plan: Option<Spanned<RawPlan>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    pub(super) every_days: Spanned<u32>,
    pub(super) every_days_source: String,
    pub(super) days_per_week: Spanned<u32>,
    pub(super) days_per_week_source: String,
    pub(super) level: Spanned<Vec<RawLevel>>,
    pub(super) rebuild: Rebuild,
    pub(super) start: Spanned<Vec<RawStart>>,
    pub(super) pain_rule: BTreeMap<String, Spanned<RawPainRule>>,
    pub(super) step_back: StepBack,
    pub(super) no_plan: RawNoPlan,
    pub(super) escalation: Spanned<Escalation>,
    pub(super) trend: Spanned<Trend>,
    pub(super) checkin: RawCheckin,
    #[serde(default)]
    pub(super) entry_checks: Vec<RawEntryChecks>,
    pub(super) entry: Entry,
    pub(super) cleared: Cleared,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntryChecks {
    pub(super) id: Spanned<String>,
    #[serde(default)]
    pub(super) rules: Vec<Spanned<String>>,
    pub(super) when: Option<Spanned<RawValue>>,
    pub(super) checks: Vec<RawCheck>,
    pub(super) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCheck {
    pub(super) text: String,
    pub(super) fails_when: Option<Spanned<RawValue>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNoPlanWhen {
    pub(super) id: String,
    pub(super) when: Spanned<RawValue>,
    pub(super) text: String,
    #[serde(default)]
    pub(super) cleared: bool,
    pub(super) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLevel {
    pub(super) id: Spanned<String>,
    pub(super) name: String,
    pub(super) run_minutes: Spanned<u32>,
    pub(super) walk_minutes: u32,
    pub(super) repeats: Spanned<u32>,
    pub(super) sessions: Spanned<u32>,
    pub(super) also: Option<String>,
    #[serde(default)]
    pub(super) rules: Vec<Spanned<String>>,
    pub(super) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStart {
    pub(super) level: Option<Spanned<String>>,
    pub(super) volume: Option<Volume>,
    #[serde(default)]
    pub(super) triage: Vec<Level>,
    #[serde(default)]
    pub(super) pain_rules: Vec<Spanned<String>>,
    pub(super) cleared: Option<bool>,
    pub(super) min_pain_level: Option<u32>,
    pub(super) max_pain_level: Option<u32>,
    #[serde(default)]
    pub(super) trend: Vec<String>,
    #[serde(default)]
    pub(super) running: Vec<Running>,
    pub(super) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPainRule {
    pub(super) name: String,
    #[serde(default)]
    pub(super) default: bool,
    pub(super) during_max: Spanned<u32>,
    pub(super) settle_hours: u32,
    pub(super) next_morning_no_worse: bool,
    #[serde(default)]
    pub(super) days_off_after_pain: u32,
    pub(super) short: Spanned<String>,
    pub(super) text: String,
    #[serde(default)]
    pub(super) causes: Vec<Spanned<String>>,
    /// Compiled by the content loader (the report needs it); only parsed
    /// here.
    #[serde(default, rename = "when")]
    pub(super) _when: Option<Spanned<RawValue>>,
    pub(super) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNoPlan {
    pub(super) levels: Vec<Level>,
    pub(super) text: String,
    #[serde(default)]
    pub(super) cleared_triage: Vec<Spanned<String>>,
    pub(super) source: String,
    #[serde(default)]
    pub(super) cause: Vec<RawNoPlanCause>,
    #[serde(default)]
    pub(super) when: Vec<RawNoPlanWhen>,
    #[serde(default)]
    pub(super) running_stop: Option<RawRunningStop>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRunningStop {
    pub(super) text: String,
    #[serde(default)]
    pub(super) entry_level_ok: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) cleared: bool,
    pub(super) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNoPlanCause {
    pub(super) id: Spanned<String>,
    pub(super) at: Likelihood,
    pub(super) text: String,
    #[serde(default)]
    pub(super) cleared: bool,
    pub(super) source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCheckin {
    pub(super) warning_answers: Vec<Spanned<String>>,
    pub(super) source: String,
}
