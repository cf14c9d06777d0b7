//! The plan part of the content pack (`plan.toml`): levels, pain rules,
//! step-back and escalation rules, the trend, the check-in's warning
//! answers. Parsed and checked here against the compiled [`Pack`], so the
//! loader of the rest of the pack stays as it was.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::content::{Problem, Source, line_column};
use crate::model::{CauseKind, Level, Likelihood, Pack, QuestionKind, Running};

/// The file of a pack that holds the plan.
pub const FILE_NAME: &str = "plan.toml";

#[derive(Debug, Deserialize)]
struct RawFile {
    plan: Option<Spanned<RawPlan>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    every_days: Spanned<u32>,
    every_days_source: String,
    level: Spanned<Vec<RawLevel>>,
    rebuild: Rebuild,
    start: Spanned<Vec<RawStart>>,
    pain_rule: BTreeMap<String, Spanned<RawPainRule>>,
    step_back: StepBack,
    no_plan: RawNoPlan,
    escalation: Spanned<Escalation>,
    trend: Spanned<Trend>,
    checkin: RawCheckin,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: Spanned<String>,
    name: String,
    run_minutes: Spanned<u32>,
    walk_minutes: u32,
    repeats: Spanned<u32>,
    sessions: Spanned<u32>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStart {
    level: Spanned<String>,
    #[serde(default)]
    triage: Vec<Level>,
    max_pain_level: Option<u32>,
    #[serde(default)]
    trend: Vec<String>,
    #[serde(default)]
    running: Vec<Running>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPainRule {
    name: String,
    #[serde(default)]
    default: bool,
    during_max: Spanned<u32>,
    settle_hours: u32,
    next_morning_no_worse: bool,
    short: Spanned<String>,
    text: String,
    #[serde(default)]
    causes: Vec<Spanned<String>>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNoPlan {
    levels: Vec<Level>,
    text: String,
    source: String,
    #[serde(default)]
    cause: Vec<RawNoPlanCause>,
    #[serde(default)]
    running_stop: Option<RawRunningStop>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRunningStop {
    text: String,
    #[serde(default)]
    entry_level_ok: Vec<Spanned<String>>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNoPlanCause {
    id: Spanned<String>,
    at: Likelihood,
    text: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheckin {
    warning_answers: Vec<Spanned<String>>,
    source: String,
}

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
    pub max_weeks: u32,
}

/// Where a plan starts: the first entry whose conditions all hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartRule {
    /// Index into [`PlanPack::levels`].
    pub level: usize,
    pub triage: Vec<Level>,
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
    pub source: String,
    pub causes: Vec<NoPlanCause>,
    /// When the report says stop running: no plan, unless every
    /// next-steps rule that stopped it is listed here; then the plan
    /// starts at the entry level (walking), as those rules ask.
    pub running_stop: Option<RunningStop>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunningStop {
    pub text: String,
    pub entry_level_ok: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoPlanCause {
    pub id: String,
    pub at: Likelihood,
    pub text: String,
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

/// Finds `plan.toml` among the pack's files, parses and checks it.
/// `Ok(None)` when the pack has no plan file.
pub fn load(pack: &Pack, sources: &[Source]) -> Result<Option<PlanPack>, Vec<Problem>> {
    let Some(source) = sources
        .iter()
        .find(|s| s.path.rsplit(['/', '\\']).next() == Some(FILE_NAME))
    else {
        return Ok(None);
    };
    let mut ck = Ck {
        source,
        problems: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(&source.text) {
        Ok(raw) => raw,
        Err(e) => {
            let message = e.message().trim().replace('\n', " ");
            ck.report(e.span().unwrap_or(0..0), message);
            return Err(ck.problems);
        }
    };
    let Some(plan) = raw.plan else {
        ck.report(0..0, "no [plan] table in plan.toml");
        return Err(ck.problems);
    };
    let plan = compile(&mut ck, pack, plan);
    if ck.problems.is_empty() {
        Ok(Some(plan))
    } else {
        Err(ck.problems)
    }
}

struct Ck<'a> {
    source: &'a Source,
    problems: Vec<Problem>,
}

impl Ck<'_> {
    fn report(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_column(&self.source.text, span.start);
        self.problems.push(Problem {
            file: self.source.path.clone(),
            line,
            column,
            message: message.into(),
        });
    }
}

fn compile(ck: &mut Ck, pack: &Pack, plan: Spanned<RawPlan>) -> PlanPack {
    let plan_span = plan.span();
    let raw = plan.into_inner();

    if *raw.every_days.get_ref() == 0 {
        ck.report(raw.every_days.span(), "every_days must be at least 1");
    }

    // Levels: unique ids, at least one session each, in order, and no
    // step longer than the next.
    let level_span = raw.level.span();
    let mut levels = Vec::new();
    let mut ids = HashSet::new();
    let mut previous: Option<(u32, u32, String)> = None;
    for l in raw.level.into_inner() {
        if !ids.insert(l.id.get_ref().clone()) {
            ck.report(
                l.id.span(),
                format!("duplicate level id \"{}\"", l.id.get_ref()),
            );
        }
        if *l.sessions.get_ref() == 0 {
            ck.report(l.sessions.span(), "sessions must be at least 1");
        }
        if *l.repeats.get_ref() == 0 {
            ck.report(l.repeats.span(), "repeats must be at least 1");
        }
        let bout = *l.run_minutes.get_ref();
        let total = bout * l.repeats.get_ref();
        if let Some((prev_bout, prev_total, prev_id)) = &previous {
            if bout < *prev_bout {
                ck.report(
                    l.run_minutes.span(),
                    format!(
                        "level \"{}\" runs {bout} min at a time, less than the level before it (\"{prev_id}\", {prev_bout} min): levels go from easiest to hardest, and no step may be longer than the next",
                        l.id.get_ref()
                    ),
                );
            } else if total < *prev_total {
                ck.report(
                    l.repeats.span(),
                    format!(
                        "level \"{}\" runs {total} min in all, less than the level before it (\"{prev_id}\", {prev_total} min): levels go from easiest to hardest, and no step may be longer than the next",
                        l.id.get_ref()
                    ),
                );
            }
        }
        previous = Some((bout, total, l.id.get_ref().clone()));
        levels.push(PlanLevel {
            id: l.id.into_inner(),
            name: l.name,
            run_minutes: bout,
            walk_minutes: l.walk_minutes,
            repeats: *l.repeats.get_ref(),
            sessions: *l.sessions.get_ref(),
            source: l.source,
        });
    }
    if levels.is_empty() {
        ck.report(level_span.clone(), "the plan has no [[plan.level]]");
    } else if levels.last().is_some_and(|l| l.running_minutes() == 0) {
        ck.report(
            level_span,
            "the last level has no running: the plan would never get back to running",
        );
    }

    let r = &raw.rebuild;
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !positive(r.easy_pace_min_per_km) {
        ck.report(
            plan_span.clone(),
            "rebuild.easy_pace_min_per_km must be above 0",
        );
    }
    if !positive(r.weekly_increase_max_pct) || !positive(r.long_run_increase_max_pct) {
        ck.report(
            plan_span.clone(),
            "rebuild: weekly_increase_max_pct and long_run_increase_max_pct must be above 0",
        );
    }

    // Start rules: known levels, and the last one unconditional.
    let start_span = raw.start.span();
    let starts = raw.start.into_inner();
    let mut start = Vec::new();
    for s in &starts {
        let Some(level) = levels.iter().position(|l| &l.id == s.level.get_ref()) else {
            let hint = crate::content::did_you_mean(
                s.level.get_ref(),
                levels.iter().map(|l| l.id.as_str()),
            )
            .map(|h| format!(" (did you mean \"{h}\"?)"))
            .unwrap_or_default();
            ck.report(
                s.level.span(),
                format!("unknown level \"{}\"{hint}", s.level.get_ref()),
            );
            continue;
        };
        for t in &s.trend {
            if !["better", "same", "worse"].contains(&t.as_str()) {
                ck.report(
                    s.level.span(),
                    format!("unknown trend \"{t}\"; allowed: better, same, worse"),
                );
            }
        }
        start.push(StartRule {
            level,
            triage: s.triage.clone(),
            max_pain_level: s.max_pain_level,
            trend: s.trend.clone(),
            running: s.running.clone(),
            source: s.source.clone(),
        });
    }
    match starts.last() {
        None => ck.report(start_span, "the plan has no [[plan.start]]"),
        Some(last)
            if !last.triage.is_empty()
                || last.max_pain_level.is_some()
                || !last.trend.is_empty()
                || !last.running.is_empty() =>
        {
            ck.report(
                last.level.span(),
                "the last [[plan.start]] must have no conditions, so every plan has a start",
            )
        }
        Some(_) => {}
    }

    // Pain rules: one default; every condition of the pack covered by a
    // rule or excluded. Ids the pack does not (yet) have are allowed, so
    // the plan can name causes a newer pack adds.
    let mut pain_rules = Vec::new();
    let mut covered: HashSet<String> = HashSet::new();
    for (id, rule) in &raw.pain_rule {
        let span = rule.span();
        let r = rule.get_ref();
        if *r.during_max.get_ref() > 10 {
            ck.report(r.during_max.span(), "during_max is on the 0-10 scale");
        }
        let needle = format!("{}/10", r.during_max.get_ref());
        if !r.short.get_ref().contains(&needle) {
            ck.report(
                r.short.span(),
                format!(
                    "pain rule \"{id}\": short text does not say {needle}, the rule's during_max"
                ),
            );
        }
        for c in &r.causes {
            if !covered.insert(c.get_ref().clone()) {
                ck.report(
                    c.span(),
                    format!("cause \"{}\" has more than one pain rule", c.get_ref()),
                );
            }
        }
        if pain_rules.len() > 64 {
            ck.report(span, "too many pain rules");
        }
        pain_rules.push(PainRule {
            id: id.clone(),
            name: r.name.clone(),
            default: r.default,
            during_max: *r.during_max.get_ref(),
            settle_hours: r.settle_hours,
            next_morning_no_worse: r.next_morning_no_worse,
            short: r.short.get_ref().clone(),
            text: r.text.clone(),
            causes: r.causes.iter().map(|c| c.get_ref().clone()).collect(),
            source: r.source.clone(),
        });
    }
    match pain_rules.iter().filter(|r| r.default).count() {
        1 => {}
        0 => ck.report(
            plan_span.clone(),
            "no pain rule has `default = true`: it is needed when no condition is clear",
        ),
        _ => ck.report(
            plan_span.clone(),
            "more than one pain rule has `default = true`",
        ),
    }
    let excluded: HashSet<&str> = raw
        .no_plan
        .cause
        .iter()
        .map(|c| c.id.get_ref().as_str())
        .collect();
    for c in &raw.no_plan.cause {
        if covered.contains(c.id.get_ref()) {
            ck.report(
                c.id.span(),
                format!(
                    "cause \"{}\" is both excluded from the plan and given a pain rule",
                    c.id.get_ref()
                ),
            );
        }
    }
    for cause in pack
        .causes
        .iter()
        .filter(|c| c.kind == CauseKind::Condition)
    {
        if !covered.contains(&cause.id) && !excluded.contains(cause.id.as_str()) {
            ck.report(
                plan_span.clone(),
                format!(
                    "condition \"{}\" is neither covered by a pain rule (`causes` of a [plan.pain_rule]) nor excluded ([[plan.no_plan.cause]])",
                    cause.id
                ),
            );
        }
    }
    for c in &raw.no_plan.cause {
        if c.at == Likelihood::Unlikely {
            ck.report(c.id.span(), "`at` is possible or likely");
        }
    }

    let esc = raw.escalation.get_ref();
    if esc.step_backs_in_a_row == 0 {
        ck.report(
            raw.escalation.span(),
            "escalation.step_backs_in_a_row must be at least 1",
        );
    }
    let trend = raw.trend.get_ref();
    if trend.window_days == 0 || trend.min_days == 0 || trend.min_days > trend.window_days {
        ck.report(
            raw.trend.span(),
            "trend: window_days and min_days must be at least 1, and min_days at most window_days",
        );
    }

    // Warning answers: yes/no questions of the pack; names the pack does
    // not (yet) ask are skipped.
    let mut warning_answers = Vec::new();
    for w in &raw.checkin.warning_answers {
        if let Some(q) = pack.questions.iter().position(|q| &q.id == w.get_ref()) {
            if pack.questions[q].kind != QuestionKind::Bool {
                ck.report(
                    w.span(),
                    format!(
                        "warning answer \"{}\" is not a yes/no question",
                        w.get_ref()
                    ),
                );
            } else if !warning_answers.contains(&q) {
                warning_answers.push(q);
            }
        }
    }

    if let (Some(stop), Some(steps)) = (&raw.no_plan.running_stop, &pack.next_steps) {
        for id in &stop.entry_level_ok {
            if !steps.rules.iter().any(|r| &r.id == id.get_ref()) {
                let hint = crate::content::did_you_mean(
                    id.get_ref(),
                    steps.rules.iter().map(|r| r.id.as_str()),
                )
                .map(|h| format!(" (did you mean \"{h}\"?)"))
                .unwrap_or_default();
                ck.report(
                    id.span(),
                    format!("unknown next-steps rule \"{}\"{hint}", id.get_ref()),
                );
            }
        }
    }

    PlanPack {
        every_days: *raw.every_days.get_ref(),
        every_days_source: raw.every_days_source,
        levels,
        rebuild: raw.rebuild,
        start,
        pain_rules,
        step_back: raw.step_back,
        no_plan: NoPlan {
            levels: raw.no_plan.levels,
            text: raw.no_plan.text,
            source: raw.no_plan.source,
            causes: raw
                .no_plan
                .cause
                .into_iter()
                .map(|c| NoPlanCause {
                    id: c.id.into_inner(),
                    at: c.at,
                    text: c.text,
                    source: c.source,
                })
                .collect(),
            running_stop: raw.no_plan.running_stop.map(|r| RunningStop {
                text: r.text,
                entry_level_ok: r
                    .entry_level_ok
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                source: r.source,
            }),
        },
        escalation: raw.escalation.into_inner(),
        trend: raw.trend.into_inner(),
        warning_answers,
        checkin_source: raw.checkin.source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> (Pack, Vec<Source>) {
        let sources = crate::content::embedded_sources();
        (crate::content::load(&sources).expect("pack"), sources)
    }

    fn with_plan(text: &str) -> Result<Option<PlanPack>, Vec<Problem>> {
        let (pack, mut sources) = embedded();
        for s in &mut sources {
            if s.path.ends_with(FILE_NAME) {
                s.text = text.to_owned();
            }
        }
        load(&pack, &sources)
    }

    fn shipped() -> String {
        crate::content::embedded_sources()
            .into_iter()
            .find(|s| s.path.ends_with(FILE_NAME))
            .expect("plan.toml is embedded")
            .text
    }

    #[test]
    fn the_shipped_plan_is_valid() {
        let plan = with_plan(&shipped()).expect("valid").expect("present");
        assert_eq!(plan.levels.first().map(|l| l.id.as_str()), Some("walk-30"));
        assert_eq!(plan.pain_rule_for(Some("pfps")).during_max, 2);
        assert_eq!(
            plan.pain_rule_for(Some("patellar-tendinopathy")).during_max,
            5
        );
        assert!(plan.pain_rule_for(None).default);
    }

    #[test]
    fn a_step_shorter_than_the_one_before_is_refused() {
        let text = shipped().replacen("run_minutes = 4\n", "run_minutes = 1\n", 1);
        let problems = with_plan(&text).expect_err("invalid");
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("\"run-4-walk-1\" runs 1 min at a time")),
            "{problems:?}"
        );
        assert!(problems[0].line > 1 && problems[0].file.ends_with("plan.toml"));
    }

    #[test]
    fn every_condition_is_covered_or_excluded() {
        let text = shipped().replace("causes = [\"pfps\", \"itbs\"]", "causes = [\"pfps\"]");
        let problems = with_plan(&text).expect_err("invalid");
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("condition \"itbs\" is neither covered")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_level_typo_in_start_is_named() {
        let text = shipped().replace("level = \"walk-30\"\nsource", "level = \"walk-3\"\nsource");
        let problems = with_plan(&text).expect_err("invalid");
        assert!(
            problems.iter().any(|p| p
                .message
                .contains("unknown level \"walk-3\" (did you mean \"walk-30\"?)")),
            "{problems:?}"
        );
    }
}
