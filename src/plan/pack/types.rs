//! The plan part of a pack, checked: what `plan`, `checkin` and `history`
//! read.

use serde::{Deserialize, Serialize};

use crate::model::{Cond, Level, Likelihood, Running};

/// One rung of the walk-run ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanLevel {
    pub id: String,
    pub name: String,
    pub run_minutes: u32,
    pub walk_minutes: u32,
    pub repeats: u32,
    /// Sessions within the pain rule before moving on.
    pub sessions: u32,
    /// Said after the session ("then the strength exercises ...").
    pub also: Option<String>,
    /// The pain rules this level is for (empty: every rule).
    pub rules: Vec<String>,
    pub source: String,
}

impl PlanLevel {
    pub fn minutes(&self) -> u32 {
        (self.run_minutes + self.walk_minutes) * self.repeats
    }

    pub fn running_minutes(&self) -> u32 {
        self.run_minutes * self.repeats
    }

    /// The session in words: "Run 2 min / walk 1 min × 10".
    pub fn session(&self) -> String {
        let base = self.session_only();
        match &self.also {
            Some(also) => format!("{base}, {also}"),
            None => base,
        }
    }

    fn session_only(&self) -> String {
        if self.run_minutes == 0 {
            format!("Brisk walk {} min", self.walk_minutes * self.repeats)
        } else if self.walk_minutes == 0 {
            format!("Easy run {} min without stopping", self.running_minutes())
        } else {
            format!(
                "Run {} min / walk {} min × {}",
                self.run_minutes, self.walk_minutes, self.repeats
            )
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rebuild {
    pub easy_pace_min_per_km: f64,
    pub easy_pace_source: String,
    pub weekly_increase_max_pct: f64,
    pub weekly_increase_source: String,
    pub long_run_increase_max_pct: f64,
    pub long_run_window_days: u32,
    pub long_run_source: String,
    pub long_run_share_pct: f64,
    pub long_run_share_source: String,
    pub continue_weeks: u32,
    pub continue_source: String,
    pub reduce_share_pct: f64,
    pub reduce_source: String,
    pub easy_note: String,
    pub easy_note_source: String,
    pub entry_fail_weeks: u32,
    pub max_weeks: u32,
}

/// A start of whole runs: the runner's week now, or the week before the
/// rise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Volume {
    Current,
    PreSpike,
}

/// What must be done before week 1, for a pain rule or when `when` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryChecks {
    pub id: String,
    pub rules: Vec<String>,
    pub when: Option<Cond>,
    pub checks: Vec<EntryCheck>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryCheck {
    pub text: String,
    /// Answers that show the check cannot be passed yet.
    pub fails_when: Option<Cond>,
}

/// A refusal on answers (a limp, the hip pattern).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoPlanWhen {
    pub id: String,
    pub when: Cond,
    pub text: String,
    /// `cleared_to_run` lifts it.
    pub cleared: bool,
    pub source: String,
}

/// The words around the entry checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub before: String,
    pub if_not: String,
    /// With `{checks}` and `{weeks}`.
    pub not_yet: String,
    pub source: String,
}

/// What a plan for a cleared runner says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cleared {
    /// The yes/no question that says a clinician cleared the runner.
    pub answer: String,
    /// Said with a refusal that a clearance would lift.
    pub hint: String,
    pub note: String,
    pub source: String,
}

/// Where a plan starts: the first entry whose conditions all hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartRule {
    /// Index into [`PlanPack::levels`]; `None` with a `volume`.
    pub level: Option<usize>,
    pub volume: Option<Volume>,
    pub triage: Vec<Level>,
    pub pain_rules: Vec<String>,
    pub cleared: Option<bool>,
    pub min_pain_level: Option<u32>,
    pub max_pain_level: Option<u32>,
    pub trend: Vec<String>,
    /// The report's answer to "may I run?" (`next_steps.running`).
    pub running: Vec<Running>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PainRule {
    pub id: String,
    pub name: String,
    pub default: bool,
    pub during_max: u32,
    pub settle_hours: u32,
    pub next_morning_no_worse: bool,
    /// Days without a session after pain over the rule (the bone rule's
    /// "2 days off"), before the level below; 0: the next session as
    /// planned, one level back.
    pub days_off_after_pain: u32,
    pub short: String,
    pub text: String,
    pub causes: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepBack {
    pub levels: u32,
    pub when_pain_over_rule: bool,
    pub when_next_morning_worse: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoPlan {
    pub levels: Vec<Level>,
    pub text: String,
    /// The triage rules an examination answers: with `cleared_to_run`, a
    /// level set only by these gets a plan.
    pub cleared_triage: Vec<String>,
    pub source: String,
    pub causes: Vec<NoPlanCause>,
    pub when: Vec<NoPlanWhen>,
    /// When the report says stop running: no plan, unless every
    /// next-steps rule that stopped it is listed here; then the plan
    /// starts at the entry level (walking), as those rules ask.
    pub running_stop: Option<RunningStop>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunningStop {
    pub text: String,
    pub entry_level_ok: Vec<String>,
    /// `cleared_to_run` lifts it.
    pub cleared: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoPlanCause {
    pub id: String,
    pub at: Likelihood,
    pub text: String,
    /// `cleared_to_run` lifts it.
    pub cleared: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    pub level: Level,
    pub no_improvement_days: u32,
    pub no_improvement_levels: Vec<Level>,
    pub pain_free_at_most: f64,
    pub rising_pain: bool,
    pub step_backs_in_a_row: u32,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trend {
    pub window_days: u32,
    pub min_days: u32,
    pub min_change: f64,
    pub source: String,
}

/// The plan part of a pack, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanPack {
    pub every_days: u32,
    pub every_days_source: String,
    pub days_per_week: u32,
    pub days_per_week_source: String,
    pub levels: Vec<PlanLevel>,
    pub rebuild: Rebuild,
    pub start: Vec<StartRule>,
    /// In file order of their names; exactly one is the default.
    pub pain_rules: Vec<PainRule>,
    pub step_back: StepBack,
    pub no_plan: NoPlan,
    pub escalation: Escalation,
    pub trend: Trend,
    /// Indices of the pack's yes/no questions `checkin` takes as flags.
    pub warning_answers: Vec<usize>,
    pub checkin_source: String,
    pub entry_checks: Vec<EntryChecks>,
    pub entry: Entry,
    pub cleared: Cleared,
}

impl PlanPack {
    /// The pain rule for a cause id (the default for any other).
    pub fn pain_rule_for(&self, cause: Option<&str>) -> &PainRule {
        cause
            .and_then(|c| {
                self.pain_rules
                    .iter()
                    .find(|r| r.causes.iter().any(|x| x == c))
            })
            .unwrap_or_else(|| self.default_rule())
    }

    pub fn default_rule(&self) -> &PainRule {
        self.pain_rules
            .iter()
            .find(|r| r.default)
            .or(self.pain_rules.first())
            .expect("a checked plan has a default pain rule")
    }

    pub fn rule_by_id(&self, id: &str) -> Option<&PainRule> {
        self.pain_rules.iter().find(|r| r.id == id)
    }
}
