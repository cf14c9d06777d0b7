//! From answers to a dated plan: the level to start at, a session every
//! `every_days` days up the walk-run ladder, then weekly distance rebuilt
//! to the runner's previous `weekly_km` within the pack's load rule.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::pack::{PainRule, PlanPack};
use crate::answers::{Answers, Value};
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
    /// What to do, in words.
    pub session: String,
    /// Minutes of the whole session (walking included); rebuild runs give
    /// an estimate from the pack's easy pace.
    pub minutes: u32,
    /// Running distance, for the rebuild sessions (km).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub km: Option<f64>,
    /// The pain rule in one line.
    pub pain_rule: String,
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
    /// False at the levels and causes that get no self-directed plan.
    pub available: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_plan: Vec<NoPlanReason>,
    /// What to do first (advice ids and titles) when there is no plan.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub first: Vec<FirstStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain_rule: Option<PainRuleOut>,
    /// The ladder level the plan starts at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_level: Option<String>,
    /// The weekly distance the plan rebuilds to (km), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_weekly_km: Option<f64>,
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
            short: r.short.clone(),
            text: r.text.clone(),
            source: r.source.clone(),
        }
    }
}

pub const PLAN_SCHEMA_VERSION: u32 = 1;

/// The most likely condition of a report (the plan's cause).
pub fn top_condition(report: &Report) -> Option<PlanCause> {
    report.conditions().first().map(|c| PlanCause {
        id: c.id.clone(),
        name: c.name.clone(),
        likelihood: c.likelihood,
    })
}

/// The next-steps rules that say "stop running" in this report.
fn stop_rules<'r>(pack: &Pack, report: &'r Report) -> Vec<&'r str> {
    let Some(steps) = &pack.next_steps else {
        return Vec::new();
    };
    report
        .next_steps
        .rules
        .iter()
        .filter(|id| {
            steps
                .rules
                .iter()
                .any(|r| &r.id == *id && r.running == Some(Running::Stop))
        })
        .map(String::as_str)
        .collect()
}

/// The report says stop running, but only for reasons the plan's entry
/// level (walking) answers: the plan then starts there.
fn stop_allows_entry(pack: &Pack, plan: &PlanPack, report: &Report) -> bool {
    let Some(stop) = &plan.no_plan.running_stop else {
        return false;
    };
    let rules = stop_rules(pack, report);
    report.next_steps.running == Running::Stop
        && !rules.is_empty()
        && rules
            .iter()
            .all(|r| stop.entry_level_ok.iter().any(|x| x == r))
}

/// Why these answers get no self-directed plan (empty: a plan is fine).
pub fn no_plan_reasons(pack: &Pack, plan: &PlanPack, report: &Report) -> Vec<NoPlanReason> {
    let mut out = Vec::new();
    if plan.no_plan.levels.contains(&report.triage.level) {
        out.push(NoPlanReason {
            because: format!("triage level {}", report.triage.level),
            text: plan.no_plan.text.clone(),
            source: plan.no_plan.source.clone(),
        });
    }
    for c in &plan.no_plan.causes {
        if let Some(found) = report
            .causes
            .iter()
            .find(|x| x.id == c.id && x.likelihood >= c.at)
        {
            out.push(NoPlanReason {
                because: format!("{} ({})", found.name, found.likelihood.as_str()),
                text: c.text.clone(),
                source: c.source.clone(),
            });
        }
    }
    // One answer to "may I run?": when the report says stop, no plan
    // says otherwise.
    if let Some(stop) = &plan.no_plan.running_stop
        && out.is_empty()
        && report.next_steps.running == Running::Stop
        && !stop_allows_entry(pack, plan, report)
    {
        out.push(NoPlanReason {
            because: "may I run? stop".into(),
            text: format!("{} {}", report.next_steps.running_text, stop.text),
            source: stop.source.clone(),
        });
    }
    out
}

fn answer_num(pack: &Pack, answers: &Answers, key: &str) -> Option<f64> {
    let q = pack.questions.iter().position(|q| q.id == key)?;
    match answers.get(q)? {
        Value::Num(n) => Some(n),
        _ => None,
    }
}

fn answer_choice<'p>(pack: &'p Pack, answers: &Answers, key: &str) -> Option<&'p str> {
    let q = pack.questions.iter().position(|q| q.id == key)?;
    match answers.get(q)? {
        Value::Choice(i) => pack.questions[q]
            .options
            .get(usize::from(i))
            .map(|o| o.value.as_str()),
        _ => None,
    }
}

/// The ladder level these answers start at.
pub fn start_level(plan: &PlanPack, pack: &Pack, answers: &Answers, report: &Report) -> usize {
    if stop_allows_entry(pack, plan, report) {
        return 0;
    }
    let level = report.triage.level;
    let running = report.next_steps.running;
    let pain = answer_num(pack, answers, "pain_level");
    let trend = answer_choice(pack, answers, "trend");
    plan.start
        .iter()
        .find(|s| {
            (s.running.is_empty() || s.running.contains(&running))
                && (s.triage.is_empty() || s.triage.contains(&level))
                && s.max_pain_level
                    .is_none_or(|m| pain.is_some_and(|p| p <= f64::from(m)))
                && (s.trend.is_empty() || trend.is_some_and(|t| s.trend.iter().any(|x| x == t)))
        })
        .map_or(0, |s| s.level)
}

fn weekday(d: NaiveDate) -> String {
    d.weekday().to_string()
}

fn floor_tenth(x: f64) -> f64 {
    (x * 10.0 + 1e-9).floor() / 10.0
}

/// Builds the plan for these answers from `start`.
pub fn build(pack: &Pack, plan: &PlanPack, answers: &Answers, start: NaiveDate) -> Plan {
    let report = Report::new(pack, answers);
    let level = report.triage.level;
    let cause = top_condition(&report);
    let reasons = no_plan_reasons(pack, plan, &report);
    let mut out = Plan {
        schema_version: PLAN_SCHEMA_VERSION,
        start,
        level,
        level_action: report.triage.action.clone(),
        cause: cause.clone(),
        available: reasons.is_empty(),
        no_plan: Vec::new(),
        first: Vec::new(),
        pain_rule: None,
        start_level: None,
        target_weekly_km: None,
        sessions: Vec::new(),
        notes: Vec::new(),
        disclaimer: pack.meta.disclaimer.clone(),
    };
    if !reasons.is_empty() {
        out.no_plan = reasons;
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

    let rule = plan.pain_rule_for(cause.as_ref().map(|c| c.id.as_str()));
    out.pain_rule = Some(rule.into());
    let first_level = start_level(plan, pack, answers, &report);
    if stop_allows_entry(pack, plan, &report) {
        out.notes.push(report.next_steps.running_text.clone());
    }
    out.start_level = Some(plan.levels[first_level].id.clone());
    let every = i64::from(plan.every_days.max(1));
    let week_of = |d: NaiveDate| ((d - start).num_days() / 7) as u32 + 1;
    let pace = plan.rebuild.easy_pace_min_per_km;
    let mut date = start;
    for l in &plan.levels[first_level..] {
        for _ in 0..l.sessions {
            out.sessions.push(Session {
                week: week_of(date),
                date,
                day: weekday(date),
                level: l.id.clone(),
                session: l.session(),
                minutes: l.minutes(),
                km: None,
                pain_rule: rule.short.clone(),
            });
            date += chrono::Duration::days(every);
        }
    }
    let last = plan.levels.last().expect("a checked plan has levels");
    let base_km = floor_tenth(f64::from(last.running_minutes()) / pace);
    if level != Level::SelfCare {
        out.notes.push(format!(
            "At the {level} level: ask whoever examines your knee before you start, and follow their plan where it differs."
        ));
    }
    let goal = answer_num(pack, answers, "weekly_km").filter(|g| *g > 0.0);
    out.target_weekly_km = goal;
    let Some(goal) = goal else {
        out.notes.push(format!(
            "No previous weekly distance was given (--weekly-km), so the plan ends at {} min of easy running. From there add at most {} % a week, and keep every run within {} % of your longest run of the last {} days.",
            last.running_minutes(),
            plan.rebuild.weekly_increase_max_pct,
            plan.rebuild.long_run_increase_max_pct,
            plan.rebuild.long_run_window_days,
        ));
        return out;
    };

    // Finish the week of the last ladder session with the last level, so
    // the rebuild starts on a week boundary.
    let current_week = week_of(date - chrono::Duration::days(every));
    while week_of(date) == current_week {
        out.sessions.push(Session {
            week: week_of(date),
            date,
            day: weekday(date),
            level: last.id.clone(),
            session: last.session(),
            minutes: last.minutes(),
            km: None,
            pain_rule: rule.short.clone(),
        });
        date += chrono::Duration::days(every);
    }
    let km_of = |s: &Session| {
        s.km.unwrap_or_else(|| {
            plan.levels
                .iter()
                .find(|l| l.id == s.level)
                .map_or(0.0, |l| f64::from(l.running_minutes()) / pace)
        })
    };
    let week_km = |sessions: &[Session], w: u32| -> f64 {
        sessions.iter().filter(|s| s.week == w).map(km_of).sum()
    };
    let mut previous_week_km = week_km(&out.sessions, current_week);
    if previous_week_km + 0.05 >= goal {
        out.notes.push(format!(
            "Back at your previous {} km a week: from here, the pain rule still applies to every run.",
            crate::answers::format_number(goal)
        ));
        return out;
    }
    let weekly = 1.0 + plan.rebuild.weekly_increase_max_pct / 100.0;
    let long = 1.0 + plan.rebuild.long_run_increase_max_pct / 100.0;
    let window = i64::from(plan.rebuild.long_run_window_days);
    let mut week = current_week + 1;
    loop {
        if week > plan.rebuild.max_weeks {
            out.notes.push(format!(
                "The plan stops after {} weeks at {} km a week; keep building by at most {} % a week towards your previous {} km.",
                plan.rebuild.max_weeks,
                crate::answers::format_number((previous_week_km * 10.0).round() / 10.0),
                plan.rebuild.weekly_increase_max_pct,
                crate::answers::format_number(goal),
            ));
            break;
        }
        let mut dates = Vec::new();
        while week_of(date) == week {
            dates.push(date);
            date += chrono::Duration::days(every);
        }
        let target = (previous_week_km * weekly).min(goal);
        let per = target / dates.len().max(1) as f64;
        let mut this_week = 0.0;
        for d in dates {
            let longest = out
                .sessions
                .iter()
                .filter(|s| (d - s.date).num_days() <= window)
                .map(km_of)
                .fold(base_km, f64::max);
            let km = floor_tenth(per.min(longest * long)).max(base_km.min(per));
            this_week += km;
            out.sessions.push(Session {
                week,
                date: d,
                day: weekday(d),
                level: "rebuild".into(),
                session: format!("Easy run {} km", crate::answers::format_number(km)),
                minutes: (km * pace).round() as u32,
                km: Some(km),
                pain_rule: rule.short.clone(),
            });
        }
        previous_week_km = this_week;
        let sessions_this_week = out.sessions.iter().filter(|s| s.week == week).count();
        if this_week + 0.1 * sessions_this_week as f64 >= goal {
            out.notes.push(format!(
                "Back at your previous {} km a week in week {week}: from here, the pain rule still applies to every run.",
                crate::answers::format_number(goal)
            ));
            break;
        }
        week += 1;
    }
    out
}

/// Today's date on this computer's clock, in its time zone.
pub fn today_local() -> NaiveDate {
    chrono::Local::now().date_naive()
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
