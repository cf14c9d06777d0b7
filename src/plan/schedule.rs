//! From answers to a dated plan: why there is none (refusals), the pain
//! rule and entry checks, where to start (the report's answer to "may I
//! run?"), the walk-run ladder on the runner's days, then weekly distance
//! rebuilt to the runner's previous week within the pack's load rules.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::pack::{PainRule, PlanPack, StartRule, Volume};
use super::refuse::{Facts, no_plan_reasons};
use super::week::{Calendar, Tenths, km, split_week, tenths};
pub use super::week::{parse_days, run_days};
use crate::answers::Answers;
use crate::model::{Level, Likelihood, Pack, Running};
use crate::report::Report;

/// One dated session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// 1 for the first seven days of the plan, and so on.
    pub week: u32,
    #[serde(serialize_with = "iso")]
    pub date: NaiveDate,
    /// Mon, Tue, ...
    pub day: String,
    /// The ladder level's id, or `rebuild`.
    pub level: String,
    /// What to do, in words (distances in kilometres; the printers say
    /// them in the runner's unit from `km`).
    pub session: String,
    /// Minutes of the whole session (walking included); rebuild runs give
    /// an estimate from the pack's easy pace.
    pub minutes: u32,
    /// Running distance, for the rebuild sessions (km).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub km: Option<f64>,
    /// The pain rule in one line.
    pub pain_rule: String,
    /// "flat ground, easy pace, ..." until the runner is back at the
    /// previous week.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Session {
    /// The session in words, with its distance in `unit` ("km" or "mi",
    /// `per_km` units per kilometre).
    pub fn describe(&self, distance: impl Fn(f64) -> String) -> String {
        match self.km {
            Some(km) => format!("Easy run {}", distance(km)),
            None => self.session.clone(),
        }
    }
}

fn iso<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso_date(*d))
}

/// A reason there is no self-directed plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoPlanReason {
    pub because: String,
    pub text: String,
    pub source: String,
}

/// What `plan` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub schema_version: u32,
    #[serde(serialize_with = "iso")]
    pub start: NaiveDate,
    /// The triage level of the answers, as `assess` gives it.
    pub level: Level,
    pub level_action: String,
    /// The most likely condition, when one reached `possible`.
    pub cause: Option<PlanCause>,
    /// False at the levels, causes and answers that get no self-directed
    /// plan.
    pub available: bool,
    /// A doctor or physiotherapist cleared a return (`cleared_to_run`), and
    /// that is what lets these answers have a plan: it starts from walking.
    pub cleared: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_plan: Vec<NoPlanReason>,
    /// What to do first (advice ids and titles) when there is no plan.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub first: Vec<FirstStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain_rule: Option<PainRuleOut>,
    /// What the runner must be able to do before week 1.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entry_checks: Vec<String>,
    /// The entry checks the answers say cannot be passed yet: the plan is
    /// then the walking and strength weeks only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entry_checks_failed: Vec<String>,
    /// The entry checks in one paragraph, as printed before week 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_text: Option<String>,
    /// The weekdays of the sessions (Mon, Wed, ...).
    pub days: Vec<String>,
    /// The ladder level the plan starts at, or `rebuild` for a plan that
    /// starts with whole runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_level: Option<String>,
    /// The weekly distance the plan rebuilds to (km), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_weekly_km: Option<f64>,
    /// The weekly distance of week 1, for a plan that starts with whole
    /// runs (km).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_weekly_km: Option<f64>,
    pub sessions: Vec<Session>,
    /// How the plan ends, and what the runner should know.
    pub notes: Vec<String>,
    pub disclaimer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanCause {
    pub id: String,
    pub name: String,
    pub likelihood: Likelihood,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstStep {
    pub id: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PainRuleOut {
    pub id: String,
    pub name: String,
    pub during_max: u32,
    /// Days without a session after pain over the rule (0: none).
    pub days_off_after_pain: u32,
    pub short: String,
    pub text: String,
    pub source: String,
}

impl From<&PainRule> for PainRuleOut {
    fn from(r: &PainRule) -> Self {
        PainRuleOut {
            id: r.id.clone(),
            name: r.name.clone(),
            during_max: r.during_max,
            days_off_after_pain: r.days_off_after_pain,
            short: r.short.clone(),
            text: r.text.clone(),
            source: r.source.clone(),
        }
    }
}

pub const PLAN_SCHEMA_VERSION: u32 = 1;

/// What the plan is built for besides the answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The plan's first day; its weeks are the 7-day spans from it.
    pub start: NaiveDate,
    /// The runner's days (`--days`); `None`: the pack's `days_per_week`,
    /// evenly spaced from `start`.
    pub days: Option<Vec<Weekday>>,
    /// The training log's weekly mean of the 28 days before its last week:
    /// the week before a rise.
    pub prior_weekly_km: Option<f64>,
}

impl Options {
    pub fn from(start: NaiveDate) -> Options {
        Options {
            start,
            days: None,
            prior_weekly_km: None,
        }
    }
}

/// The most likely condition of a report (the plan's cause).
pub fn top_condition(report: &Report) -> Option<PlanCause> {
    report.conditions().first().map(|c| PlanCause {
        id: c.id.clone(),
        name: c.name.clone(),
        likelihood: c.likelihood,
    })
}

/// The pain rule of these answers: the one the report quotes in its
/// answer to "may I run?" (chosen by the engine from the pack), so the
/// report, the plan and the diary never differ.
pub fn pain_rule<'p>(plan: &'p PlanPack, report: &Report) -> &'p PainRule {
    report
        .next_steps
        .pain_rule
        .as_deref()
        .and_then(|id| plan.rule_by_id(id))
        .unwrap_or_else(|| {
            let top = top_condition(report);
            plan.pain_rule_for(top.as_ref().map(|c| c.id.as_str()))
        })
}

/// Where a plan starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Start {
    /// A ladder level (index into the pack's levels).
    Level(usize),
    /// Whole runs from week 1, this many kilometres a week.
    Volume(f64),
}

/// The weekly distance a `volume` start names, when it is known.
fn volume_km(plan: &PlanPack, facts: &Facts, opts: &Options, v: Volume) -> Option<f64> {
    let now = facts.num("weekly_km").filter(|k| *k > 0.0)?;
    Some(match v {
        Volume::Current => now,
        Volume::PreSpike => match (opts.prior_weekly_km, facts.num("mileage_increase_pct")) {
            (Some(prior), _) if prior > 0.0 => prior.min(now),
            (_, Some(pct)) if pct > 0.0 => now / (1.0 + pct / 100.0),
            _ => now * plan.rebuild.reduce_share_pct / 100.0,
        },
    })
}

fn start_matches(
    s: &StartRule,
    facts: &Facts,
    running: Running,
    rule: &PainRule,
    cleared: bool,
) -> bool {
    let pain = facts.num("pain_level");
    (s.running.is_empty() || s.running.contains(&running))
        && (s.triage.is_empty() || s.triage.contains(&facts.level))
        && (s.pain_rules.is_empty() || s.pain_rules.contains(&rule.id))
        && s.cleared.is_none_or(|c| c == cleared)
        && s.max_pain_level
            .is_none_or(|m| pain.is_some_and(|p| p <= f64::from(m)))
        && s.min_pain_level
            .is_none_or(|m| pain.is_some_and(|p| p >= f64::from(m)))
        && (s.trend.is_empty()
            || facts
                .choice("trend")
                .is_some_and(|t| s.trend.iter().any(|x| x == t)))
}

/// Where these answers start: the first start rule that holds (a volume
/// rule only when its distance is known).
fn start_of(
    plan: &PlanPack,
    facts: &Facts,
    opts: &Options,
    running: Running,
    rule: &PainRule,
    cleared: bool,
) -> Start {
    for s in &plan.start {
        if !start_matches(s, facts, running, rule, cleared) {
            continue;
        }
        match (s.level, s.volume) {
            (Some(l), _) => return Start::Level(l),
            (None, Some(v)) => {
                if let Some(km) = volume_km(plan, facts, opts, v) {
                    return Start::Volume(km);
                }
            }
            (None, None) => return Start::Level(0),
        }
    }
    Start::Level(0)
}

/// The ladder level these answers start at (the diary's replay starts
/// there; a plan of whole runs starts past the ladder).
pub fn start_level(plan: &PlanPack, pack: &Pack, answers: &Answers, report: &Report) -> usize {
    let facts = Facts::new(pack, answers, report);
    let rule = pain_rule(plan, report);
    let cleared = super::refuse::clearance_lifts(pack, plan, report, answers);
    match start_of(
        plan,
        &facts,
        &Options::from(NaiveDate::MIN),
        report.next_steps.running,
        rule,
        cleared,
    ) {
        Start::Level(l) => l,
        Start::Volume(_) => plan.levels.len(),
    }
}

/// Builds the plan for these answers from `start`, on the pack's default
/// days.
pub fn build(pack: &Pack, plan: &PlanPack, answers: &Answers, start: NaiveDate) -> Plan {
    build_with(pack, plan, answers, &Options::from(start))
}

/// Builds the plan for these answers.
pub fn build_with(pack: &Pack, plan: &PlanPack, answers: &Answers, opts: &Options) -> Plan {
    let report = Report::new(pack, answers);
    let facts = Facts::new(pack, answers, &report);
    let cleared = super::refuse::clearance_lifts(pack, plan, &report, answers);
    let level = report.triage.level;
    let cause = top_condition(&report);
    let reasons = no_plan_reasons(pack, plan, &report, answers);
    let days = run_days(plan, opts);
    let mut out = Plan {
        schema_version: PLAN_SCHEMA_VERSION,
        start: opts.start,
        level,
        level_action: report.triage.action.clone(),
        cause: cause.clone(),
        available: reasons.is_empty(),
        cleared,
        no_plan: Vec::new(),
        first: Vec::new(),
        pain_rule: None,
        entry_checks: Vec::new(),
        entry_checks_failed: Vec::new(),
        entry_text: None,
        days: days.iter().map(ToString::to_string).collect(),
        start_level: None,
        target_weekly_km: None,
        start_weekly_km: None,
        sessions: Vec::new(),
        notes: Vec::new(),
        disclaimer: pack.meta.disclaimer.clone(),
    };
    if !reasons.is_empty() {
        out.no_plan = reasons;
        if super::refuse::clearance_would_lift(pack, plan, &report, answers) {
            out.notes.push(plan.cleared.hint.clone());
        }
        // What to do first: the most pressing advice of the report.
        let first: Vec<_> = report
            .next_steps
            .first
            .iter()
            .filter_map(|id| report.advice.iter().find(|a| &a.id == id))
            .collect();
        let first = if first.is_empty() {
            report.advice.iter().take(3).collect()
        } else {
            first
        };
        out.first = first
            .into_iter()
            .map(|a| FirstStep {
                id: a.id.clone(),
                title: a.title.clone(),
                text: a.text.clone(),
            })
            .collect();
        return out;
    }

    let rule = pain_rule(plan, &report);
    out.pain_rule = Some(rule.into());
    let running = report.next_steps.running;
    if cleared {
        out.notes.push(plan.cleared.note.clone());
    } else if running == Running::Stop {
        // The report says stop for reasons walking answers (severe pain).
        out.notes.push(report.next_steps.running_text.clone());
    }
    if level != Level::SelfCare && !cleared {
        out.notes.push(format!(
            "At the {level} level: ask whoever examines your knee before you start, and follow their plan where it differs."
        ));
    }
    for set in &plan.entry_checks {
        if set.rules.contains(&rule.id) || set.when.as_ref().is_some_and(|w| facts.holds(w)) {
            for c in &set.checks {
                if !out.entry_checks.contains(&c.text) {
                    out.entry_checks.push(c.text.clone());
                }
                if c.fails_when.as_ref().is_some_and(|w| facts.holds(w))
                    && !out.entry_checks_failed.contains(&c.text)
                {
                    out.entry_checks_failed.push(c.text.clone());
                }
            }
        }
    }
    if !out.entry_checks.is_empty() && out.entry_checks_failed.is_empty() {
        out.entry_text = Some(format!(
            "{}: {}. {}",
            plan.entry.before,
            out.entry_checks.join("; "),
            plan.entry.if_not
        ));
    }
    let goal = facts.num("weekly_km").filter(|g| *g > 0.0);
    out.target_weekly_km = goal;

    // The ladder of this pain rule: the levels without `rules`, and those
    // that name it.
    let ladder: Vec<usize> = (0..plan.levels.len())
        .filter(|&i| plan.levels[i].rules.is_empty() || plan.levels[i].rules.contains(&rule.id))
        .collect();
    let start = if out.entry_checks_failed.is_empty() {
        start_of(plan, &facts, opts, running, rule, cleared)
    } else {
        Start::Level(ladder[0])
    };
    let mut cal = Calendar::new(opts.start, &days, plan.every_days);
    let pace = plan.rebuild.easy_pace_min_per_km;
    // Every walk-run session comes before the runner is back at the
    // previous week.
    let easy = || Some(plan.rebuild.easy_note.clone());

    if !out.entry_checks_failed.is_empty() {
        let walk = &plan.levels[ladder[0]];
        out.start_level = Some(walk.id.clone());
        while cal.peek_spaced().0 <= plan.rebuild.entry_fail_weeks {
            let (week, date) = cal.next_spaced();
            out.sessions
                .push(ladder_session(week, date, walk, rule, easy()));
        }
        out.entry_text = Some(
            plan.entry
                .not_yet
                .replace("{checks}", &out.entry_checks_failed.join("; "))
                .replace("{weeks}", &plan.rebuild.entry_fail_weeks.to_string()),
        );
        return out;
    }

    // Where the rebuild starts: the week before it (total and longest run).
    let (mut previous_total, mut previous_long, mut week);
    match start {
        Start::Volume(v) => {
            out.start_level = Some("rebuild".into());
            let v = tenths(v);
            out.start_weekly_km = Some(km(v));
            // Week 1 holds the runner's week: no longer than now, and no
            // cap on its longest run but the week itself.
            let week_km = rebuild_week(
                &mut cal,
                &mut out,
                1,
                v,
                Tenths::MAX,
                plan,
                rule,
                goal,
                pace,
            );
            previous_total = week_km.0;
            previous_long = week_km.1;
            week = 2;
        }
        Start::Level(first) => {
            let from = ladder.iter().position(|&i| i >= first).unwrap_or(0);
            out.start_level = Some(plan.levels[ladder[from]].id.clone());
            for &i in &ladder[from..] {
                let l = &plan.levels[i];
                for _ in 0..l.sessions {
                    let (w, date) = cal.next_spaced();
                    out.sessions.push(ladder_session(w, date, l, rule, easy()));
                }
            }
            let Some(goal) = goal else {
                let last = &plan.levels[*ladder.last().expect("a checked plan has levels")];
                out.notes.push(format!(
                    "No previous weekly distance was given (--weekly-km), so the plan ends at {} min of easy running. From there add at most {} % a week, and lengthen only the longest run of each week, by at most {} %.",
                    last.running_minutes(),
                    plan.rebuild.weekly_increase_max_pct,
                    plan.rebuild.long_run_increase_max_pct,
                ));
                return out;
            };
            // Finish the week of the last ladder session with the last
            // level, so the rebuild starts on a week boundary.
            let last = &plan.levels[*ladder.last().expect("a checked plan has levels")];
            let current = cal.last_week();
            while cal.peek_spaced().0 == current {
                let (w, date) = cal.next_spaced();
                out.sessions
                    .push(ladder_session(w, date, last, rule, easy()));
            }
            let runs: Vec<Tenths> = out
                .sessions
                .iter()
                .filter(|s| s.week == current)
                .map(|s| tenths(running_km(plan, s, pace)))
                .collect();
            previous_total = runs.iter().sum();
            previous_long = runs.iter().copied().max().unwrap_or(0);
            week = current + 1;
            if km(previous_total) + 0.05 >= goal {
                out.notes.push(back_at(goal, None));
                return out;
            }
        }
    }

    let weekly = 1.0 + plan.rebuild.weekly_increase_max_pct / 100.0;
    let long = 1.0 + plan.rebuild.long_run_increase_max_pct / 100.0;
    // `continue` has no distance to get back to: it shows its weeks.
    let (goal_t, last_week) = match (start, goal) {
        (Start::Volume(_), Some(_)) if running == Running::Continue => {
            (Tenths::MAX, plan.rebuild.continue_weeks)
        }
        (_, Some(g)) => (tenths(g), plan.rebuild.max_weeks),
        (_, None) => (Tenths::MAX, plan.rebuild.continue_weeks),
    };
    if running == Running::Continue && matches!(start, Start::Volume(_)) {
        out.notes.push(format!(
            "Week 1 keeps the week you run now. After it, add at most {} % a week while the pain rule holds, and hold the week when it does not.",
            plan.rebuild.weekly_increase_max_pct
        ));
    } else if previous_total >= goal_t {
        out.notes.push(back_at(goal.unwrap_or(0.0), Some(1)));
        return out;
    }
    loop {
        if week > last_week {
            if goal_t != Tenths::MAX && previous_total < goal_t && running != Running::Continue {
                out.notes.push(format!(
                    "The plan stops after {} weeks at {} km a week; keep building by at most {} % a week towards your previous {} km.",
                    last_week,
                    crate::answers::format_number(km(previous_total)),
                    plan.rebuild.weekly_increase_max_pct,
                    crate::answers::format_number(goal.unwrap_or(0.0)),
                ));
            }
            break;
        }
        let target = tenths(km(previous_total) * weekly)
            .min(goal_t)
            .max(previous_total);
        let cap = tenths(km(previous_long) * long).max(previous_long);
        let (total, longest) = rebuild_week(
            &mut cal, &mut out, week, target, cap, plan, rule, goal, pace,
        );
        previous_total = total;
        previous_long = longest;
        if running != Running::Continue && total >= goal_t {
            out.notes.push(back_at(goal.unwrap_or(0.0), Some(week)));
            break;
        }
        week += 1;
    }
    out
}

fn back_at(goal: f64, week: Option<u32>) -> String {
    match week {
        Some(w) => format!(
            "Back at your previous {} km a week in week {w}: from here, the pain rule still applies to every run.",
            crate::answers::format_number(goal)
        ),
        None => format!(
            "Back at your previous {} km a week: from here, the pain rule still applies to every run.",
            crate::answers::format_number(goal)
        ),
    }
}

/// The running distance of a session (km): its own, or its level's
/// running minutes at the easy pace.
fn running_km(plan: &PlanPack, s: &Session, pace: f64) -> f64 {
    s.km.unwrap_or_else(|| {
        plan.levels
            .iter()
            .find(|l| l.id == s.level)
            .map_or(0.0, |l| f64::from(l.running_minutes()) / pace)
    })
}

fn ladder_session(
    week: u32,
    date: NaiveDate,
    l: &super::pack::PlanLevel,
    rule: &PainRule,
    note: Option<String>,
) -> Session {
    Session {
        week,
        date,
        day: date.weekday().to_string(),
        level: l.id.clone(),
        session: l.session(),
        minutes: l.minutes(),
        km: None,
        pain_rule: rule.short.clone(),
        note,
    }
}

/// One week of whole runs on the runner's days; returns its total and its
/// longest run.
#[allow(clippy::too_many_arguments)]
fn rebuild_week(
    cal: &mut Calendar,
    out: &mut Plan,
    week: u32,
    total: Tenths,
    long_cap: Tenths,
    plan: &PlanPack,
    rule: &PainRule,
    goal: Option<f64>,
    pace: f64,
) -> (Tenths, Tenths) {
    let dates = cal.week_days(week);
    let runs = split_week(
        total,
        dates.len(),
        plan.rebuild.long_run_share_pct,
        long_cap,
    );
    let sum: Tenths = runs.iter().sum();
    let back = goal.is_none_or(|g| km(sum) + 0.05 >= g);
    for (date, t) in dates.into_iter().zip(&runs) {
        let k = km(*t);
        out.sessions.push(Session {
            week,
            date,
            day: date.weekday().to_string(),
            level: "rebuild".into(),
            session: format!("Easy run {k:.1} km"),
            minutes: (k * pace).round() as u32,
            km: Some(k),
            pain_rule: rule.short.clone(),
            note: (!back).then(|| plan.rebuild.easy_note.clone()),
        });
    }
    (sum, runs.iter().copied().max().unwrap_or(0))
}

/// Today's date on this computer's clock, in its time zone;
/// `KNEE_TRIAGE_TODAY=YYYY-MM-DD` sets it (as for the training log), so a
/// plan or a check-in can be repeated with the same dates.
pub fn today_local() -> NaiveDate {
    std::env::var("KNEE_TRIAGE_TODAY")
        .ok()
        .and_then(|t| parse_date(t.trim()))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // By hand rather than with `parse_from_str`: the diary reads one date
    // a day, and a format string is parsed anew each time.
    let b = text.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

/// `YYYY-MM-DD`.
pub fn iso_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pack_and_plan() -> (&'static Pack, PlanPack) {
        let pack = crate::content::embedded().expect("pack");
        let plan = super::super::load(pack, None).expect("plan");
        (pack, plan)
    }

    fn answers(pack: &Pack, json: serde_json::Value) -> Answers {
        Answers::from_json(pack, &json).expect("answers")
    }

    const WEEKDAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// The weeks of whole runs: (week, total, longest), in tenths.
    fn run_weeks(plan: &Plan) -> Vec<(u32, Tenths, Tenths)> {
        let mut out: Vec<(u32, Tenths, Tenths)> = Vec::new();
        for s in plan.sessions.iter().filter(|s| s.km.is_some()) {
            let t = tenths(s.km.unwrap_or(0.0) + 1e-9);
            match out.last_mut() {
                Some(w) if w.0 == s.week => {
                    w.1 += t;
                    w.2 = w.2.max(t);
                }
                _ => out.push((s.week, t, t)),
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// With `--days`, every session falls on a named day; from one
        /// week of whole runs to the next, neither the longest run nor
        /// the week's distance rises by more than the pack's limits; the
        /// longest run of a week is its last.
        #[test]
        fn runs_fall_on_the_runners_days_within_the_load_limits(
            mask in 1u8..128,
            start_offset in 0i64..14,
            weekly in 5u32..120,
            story in 0usize..4,
        ) {
            let (pack, plan) = pack_and_plan();
            let days: Vec<Weekday> = (0..7).filter(|i| mask & (1 << i) != 0).map(|i| WEEKDAYS[i]).collect();
            let start = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date") + chrono::Duration::days(start_offset);
            let base = [
                // runner's knee, may keep running
                serde_json::json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"], "pain_level": 1, "trend": "better", "duration_days": 5}),
                // run less after a rise
                serde_json::json!({"location": "outer", "onset": "gradual", "worse_with": ["running-distance"], "tender_spot": "outer-femur", "pain_level": 3, "mileage_increase_pct": 40}),
                // severe pain: from walking
                serde_json::json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"], "pain_level": 7}),
                // healed stress fracture, cleared
                serde_json::json!({"location": "inner", "onset": "gradual", "bone_stress_risk": true, "pain_level": 1, "cleared_to_run": true}),
            ][story].clone();
            let mut json = base;
            json["weekly_km"] = serde_json::json!(weekly);
            let a = answers(pack, json);
            let opts = Options { start, days: Some(days.clone()), prior_weekly_km: None };
            let built = build_with(pack, &plan, &a, &opts);
            prop_assert!(built.available, "{:?}", built.no_plan);
            for s in &built.sessions {
                prop_assert!(days.contains(&s.date.weekday()), "{} on {}", s.date, s.date.weekday());
                prop_assert_eq!(s.week, ((s.date - start).num_days() / 7) as u32 + 1);
            }
            let weekly_max = 1.0 + plan.rebuild.weekly_increase_max_pct / 100.0;
            let long_max = 1.0 + plan.rebuild.long_run_increase_max_pct / 100.0;
            let weeks = run_weeks(&built);
            for w in weeks.windows(2) {
                let ((_, t0, l0), (_, t1, l1)) = (w[0], w[1]);
                prop_assert!(f64::from(t1) <= f64::from(t0) * weekly_max + 1e-6, "week total {} after {}", t1, t0);
                prop_assert!(f64::from(l1) <= f64::from(l0) * long_max + 1e-6, "longest {} after {}", l1, l0);
            }
            for (week, _, longest) in &weeks {
                let last = built.sessions.iter().rfind(|s| s.week == *week).and_then(|s| s.km);
                prop_assert_eq!(last.map(tenths_of), Some(*longest), "week {}", week);
            }
        }
    }

    fn tenths_of(km: f64) -> Tenths {
        tenths(km + 1e-9)
    }

    #[test]
    fn a_week_splits_into_equal_runs_and_a_longer_last_one() {
        assert_eq!(split_week(300, 3, 40.0, Tenths::MAX), vec![90, 90, 120]);
        assert_eq!(split_week(301, 3, 40.0, Tenths::MAX), vec![90, 91, 120]);
        assert_eq!(split_week(302, 4, 40.0, Tenths::MAX), vec![60, 60, 61, 121]);
        // The long-run cap holds even when the week is then shorter.
        assert_eq!(split_week(300, 3, 40.0, 80), vec![80, 80, 80]);
        assert_eq!(split_week(50, 1, 40.0, Tenths::MAX), vec![50]);
        assert_eq!(split_week(100, 2, 40.0, Tenths::MAX), vec![50, 50]);
    }

    /// From the walk-run ladder to whole runs: the first week of runs
    /// starts from the ladder's 30-minute runs at the easy pace (30 / 6.5 =
    /// 4.6 km), at most 10 % longer (5.0 km each); a plan that cannot get
    /// back within `max_weeks` stops at the last of them and says so.
    #[test]
    fn the_rebuild_starts_from_the_ladder_and_stops_at_the_week_cap() {
        let (pack, plan) = pack_and_plan();
        let severe = |km: u32| {
            answers(
                pack,
                serde_json::json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"], "pain_level": 7, "weekly_km": km}),
            )
        };
        let start = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        let built = build(pack, &plan, &severe(40), start);
        assert_eq!(built.start_level.as_deref(), Some("walk-30"));
        let first = built
            .sessions
            .iter()
            .position(|s| s.km.is_some())
            .expect("whole runs");
        let week = built.sessions[first].week;
        let runs: Vec<f64> = built
            .sessions
            .iter()
            .filter(|s| s.week == week)
            .filter_map(|s| s.km)
            .collect();
        assert_eq!(runs, vec![5.0, 5.0, 5.0], "{:?}", built.sessions);
        assert!(
            built
                .notes
                .iter()
                .any(|n| n.contains("previous 40 km a week"))
        );

        let far = build(pack, &plan, &severe(400), start);
        let last = far.sessions.last().expect("sessions").week;
        assert_eq!(last, plan.rebuild.max_weeks);
        assert!(
            far.notes
                .iter()
                .any(|n| n.contains(&format!("stops after {} weeks", plan.rebuild.max_weeks))),
            "{:?}",
            far.notes
        );
    }

    #[test]
    fn days_are_parsed_and_the_default_is_evenly_spaced() {
        assert_eq!(
            parse_days("mon,Wed, saturday").expect("days"),
            vec![Weekday::Mon, Weekday::Wed, Weekday::Sat]
        );
        assert!(parse_days("mon,funday").unwrap_err().contains("\"funday\""));
        assert!(parse_days("mon,mon").unwrap_err().contains("twice"));
        let (_, plan) = pack_and_plan();
        let monday = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        assert_eq!(
            run_days(&plan, &Options::from(monday)),
            vec![Weekday::Mon, Weekday::Wed, Weekday::Fri]
        );
        // No days given is the default, not a week without runs.
        let none = Options {
            days: Some(Vec::new()),
            ..Options::from(monday)
        };
        assert_eq!(
            run_days(&plan, &none),
            run_days(&plan, &Options::from(monday))
        );
        // From the start's weekday on: a Wednesday start runs Wednesday,
        // Saturday, then Monday.
        let wednesday = monday + chrono::Duration::days(2);
        let given = Options {
            days: Some(vec![Weekday::Mon, Weekday::Wed, Weekday::Sat]),
            ..Options::from(wednesday)
        };
        assert_eq!(
            run_days(&plan, &given),
            vec![Weekday::Wed, Weekday::Sat, Weekday::Mon]
        );
    }

    /// The distance a `volume` start names: the week now; before a rise,
    /// the log's mean, else the week before the rise the answers give,
    /// else the pack's share of now; nothing without a distance.
    #[test]
    fn the_volume_a_start_names() {
        let (pack, plan) = pack_and_plan();
        let km = |json: serde_json::Value, prior: Option<f64>, v: Volume| {
            let a = answers(pack, json);
            let report = Report::new(pack, &a);
            let facts = Facts::new(pack, &a, &report);
            let opts = Options {
                prior_weekly_km: prior,
                ..Options::from(NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"))
            };
            volume_km(&plan, &facts, &opts, v).map(|k| (k * 100.0).round() / 100.0)
        };
        let base = |extra: serde_json::Value| {
            let mut j = serde_json::json!({"location": "front", "onset": "gradual"});
            for (k, v) in extra.as_object().expect("object") {
                j[k] = v.clone();
            }
            j
        };
        use Volume::{Current, PreSpike};
        use serde_json::json;
        assert_eq!(
            km(base(json!({"weekly_km": 30})), None, Current),
            Some(30.0)
        );
        // No distance, or none run: no volume to start from.
        assert_eq!(km(base(json!({})), None, Current), None);
        assert_eq!(km(base(json!({"weekly_km": 0})), None, Current), None);
        // The log's mean before the rise wins, but never above now.
        let spike = base(json!({"weekly_km": 30, "mileage_increase_pct": 50}));
        assert_eq!(km(spike.clone(), Some(25.0), PreSpike), Some(25.0));
        assert_eq!(km(spike.clone(), Some(35.0), PreSpike), Some(30.0));
        // A log without a mean (0) leaves it to the answers: 30 / 1.5.
        assert_eq!(km(spike.clone(), Some(0.0), PreSpike), Some(20.0));
        assert_eq!(km(spike, None, PreSpike), Some(20.0));
        // No rise answered, none, or a cut: the pack's share of now (67 %).
        let share = plan.rebuild.reduce_share_pct;
        let of_now = (30.0 * share / 100.0 * 100.0_f64).round() / 100.0;
        assert_eq!(
            km(base(json!({"weekly_km": 30})), None, PreSpike),
            Some(of_now)
        );
        for pct in [0, -10] {
            let a = base(json!({"weekly_km": 30, "mileage_increase_pct": pct}));
            assert_eq!(km(a, None, PreSpike), Some(of_now), "{pct}");
        }
    }

    /// A start rule's pain ceiling and trend, which the shipped pack does
    /// not use yet: a pack that does gets what it wrote.
    #[test]
    fn a_start_rule_reads_its_pain_ceiling_and_trend() {
        let (pack, plan) = pack_and_plan();
        let rule = plan.default_rule();
        let holds = |json: serde_json::Value, start: &StartRule| {
            let a = answers(pack, json);
            let report = Report::new(pack, &a);
            let facts = Facts::new(pack, &a, &report);
            start_matches(start, &facts, Running::Reduce, rule, false)
        };
        let mut start = plan.start[plan.start.len() - 1].clone();
        start.running = Vec::new();
        start.max_pain_level = Some(4);
        for (pain, want) in [(3, true), (4, true), (5, false)] {
            let a =
                serde_json::json!({"location": "front", "onset": "gradual", "pain_level": pain});
            assert_eq!(holds(a, &start), want, "pain {pain}");
        }
        assert!(!holds(
            serde_json::json!({"location": "front", "onset": "gradual"}),
            &start
        ));
        start.max_pain_level = None;
        start.trend = vec!["worse".into()];
        for (trend, want) in [("worse", true), ("better", false), ("same", false)] {
            let a = serde_json::json!({"location": "front", "onset": "gradual", "trend": trend});
            assert_eq!(holds(a, &start), want, "{trend}");
        }
    }

    /// The entry checks' words come only when there are checks and the
    /// answers show none failed; the distance to rebuild to only when one
    /// is run.
    #[test]
    fn the_entry_words_and_the_distance_to_rebuild_to() {
        let (pack, plan) = pack_and_plan();
        let monday = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        let make = |json: serde_json::Value| build(pack, &plan, &answers(pack, json), monday);
        // Runner's knee: no entry checks, so no words about them.
        let knee = make(
            serde_json::json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "pain_level": 3, "weekly_km": 30}),
        );
        assert!(knee.entry_checks.is_empty(), "{:?}", knee.entry_checks);
        assert_eq!(knee.entry_text, None);
        assert_eq!(knee.target_weekly_km, Some(30.0));
        // Cleared after an MCL sprain: checks to pass first.
        let mcl = serde_json::json!({"location": "inner", "onset": "sudden", "mechanism": "blow-to-outer-knee", "tender_spot": "inner-ligament", "swelling": "mild", "swelling_onset": "delayed", "pain_level": 5, "duration_days": 3, "age": 30, "cleared_to_run": true, "weekly_km": 0});
        let cleared = make(mcl.clone());
        assert!(!cleared.entry_checks.is_empty());
        assert!(
            cleared
                .entry_text
                .as_deref()
                .is_some_and(|t| t.starts_with(&plan.entry.before))
        );
        // No distance run now: nothing to rebuild to.
        assert_eq!(cleared.target_weekly_km, None);
        // The same, limping: a check failed, so the plan says that instead.
        let mut limping = mcl;
        limping["limp"] = serde_json::json!(true);
        let failed = make(limping);
        assert!(!failed.entry_checks_failed.is_empty(), "{failed:?}");
        let text = failed.entry_text.as_deref().unwrap_or("");
        assert!(!text.starts_with(&plan.entry.before), "{text}");
        assert!(text.contains("walk without a limp"), "{text}");
    }

    /// After the walk-run ladder, the rebuild to 20 km a week goes on from
    /// the ladder's last week (about 14 km of running), not from all the
    /// ladder's weeks together (which would call the runner back already).
    #[test]
    fn the_rebuild_goes_on_from_the_last_ladder_week() {
        let (pack, plan) = pack_and_plan();
        let p = build(pack, &plan, &cleared_mcl(pack, 20.0), monday());
        let first = p
            .sessions
            .iter()
            .find(|s| s.km.is_some())
            .map(|s| s.week)
            .expect("whole runs after the ladder");
        assert!(p.sessions.iter().any(|s| s.week < first && s.km.is_none()));
        let weeks = run_weeks(&p);
        assert!(weeks.last().is_some_and(|w| w.1 >= 195), "{weeks:?}");
    }

    /// A previous week the ladder's last week already reaches (to the
    /// tenth of a km, or well under it) ends the plan there, saying so.
    #[test]
    fn a_goal_the_ladder_reaches_ends_the_plan_with_the_ladder() {
        let (pack, plan) = pack_and_plan();
        // The running in the ladder's last week, to the tenth.
        let long = build(pack, &plan, &cleared_mcl(pack, 30.0), monday());
        let first = long
            .sessions
            .iter()
            .find(|s| s.km.is_some())
            .map(|s| s.week)
            .expect("whole runs");
        let pace = plan.rebuild.easy_pace_min_per_km;
        let last: Tenths = long
            .sessions
            .iter()
            .filter(|s| s.week == first - 1)
            .map(|s| tenths(running_km(&plan, s, pace)))
            .sum();
        for goal in [km(last), 5.0] {
            let p = build(pack, &plan, &cleared_mcl(pack, goal), monday());
            assert!(p.sessions.iter().all(|s| s.km.is_none()), "{goal}");
            let note = back_at(goal, None);
            assert!(p.notes.contains(&note), "{goal}: {:?}", p.notes);
        }
    }

    /// A runner told to keep running has no distance to get back to: the
    /// weeks shown end without "the plan stops after".
    #[test]
    fn a_continue_plan_ends_without_a_distance_left_to_build() {
        let (pack, plan) = pack_and_plan();
        let a = answers(
            pack,
            serde_json::json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "pain_level": 2, "weekly_km": 30}),
        );
        let p = build(pack, &plan, &a, monday());
        assert_eq!(p.start_level.as_deref(), Some("rebuild"), "{p:?}");
        assert!(
            p.notes
                .iter()
                .all(|n| !n.starts_with("The plan stops after")),
            "{:?}",
            p.notes
        );
    }

    /// Pain of 8/10 makes the report say stop until a brisk walk is
    /// pain-free (and a 40 % jump says run less): the plan starts there,
    /// with walking, rather than refusing; only the rule that said stop
    /// decides.
    #[test]
    fn severe_pain_alone_starts_the_plan_with_walking() {
        let (pack, plan) = pack_and_plan();
        let a = answers(
            pack,
            serde_json::json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "pain_level": 8, "duration_days": 10, "weekly_km": 30, "mileage_increase_pct": 40}),
        );
        let report = Report::new(pack, &a);
        assert_eq!(report.next_steps.running, Running::Stop);
        assert!(
            report.next_steps.rules.len() > 1,
            "{:?}",
            report.next_steps.rules
        );
        let p = build(pack, &plan, &a, monday());
        assert!(p.available, "{:?}", p.no_plan);
        assert_eq!(p.start_level.as_deref(), Some("walk-30"));
    }

    /// Only `YYYY-MM-DD` is a date: another separator, in either place,
    /// or another length is not.
    #[test]
    fn a_date_is_year_month_day_with_hyphens() {
        let want = NaiveDate::from_ymd_opt(2027, 1, 4);
        assert_eq!(parse_date("2027-01-04"), want);
        assert_eq!(parse_date(" 2027-01-04\n"), want);
        for bad in [
            "2027/01-04",
            "2027-01/04",
            "2027/01/04",
            "2027-1-4",
            "2027-01-044",
            "2027-02-30",
            "2027-0a-04",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    /// A clearance changes nothing where nothing needed one: a runner's
    /// knee gets the same plan with `cleared_to_run` as without it.
    #[test]
    fn a_clearance_nobody_needed_changes_nothing() {
        let (pack, plan) = pack_and_plan();
        let knee = serde_json::json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "pain_level": 3, "weekly_km": 30});
        let mut cleared = knee.clone();
        cleared["cleared_to_run"] = serde_json::json!(true);
        let without = build(pack, &plan, &answers(pack, knee), monday());
        let with = build(pack, &plan, &answers(pack, cleared), monday());
        assert!(!with.cleared);
        assert_eq!(with.start_level, without.start_level);
        assert_eq!(with.sessions, without.sessions);
        assert_eq!(with.notes, without.notes);
    }

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
    }

    /// An MCL sprain of three days, cleared by a clinician, with a
    /// previous week of `weekly` km: the plan starts with the walk-run
    /// ladder.
    fn cleared_mcl(pack: &Pack, weekly: f64) -> Answers {
        answers(
            pack,
            serde_json::json!({"location": "inner", "onset": "sudden", "mechanism": "blow-to-outer-knee", "tender_spot": "inner-ligament", "swelling": "mild", "swelling_onset": "delayed", "pain_level": 5, "duration_days": 3, "age": 30, "cleared_to_run": true, "weekly_km": weekly}),
        )
    }
}
