//! The check-in decision: progress, hold, step back or get help,
//! recomputed from what the runner said and the pack's `plan.toml` every
//! time (nothing derived is stored), so a change to the pack changes
//! tomorrow's answer without a migration.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::store::{Day, Morning, SavedPlan};
use crate::answers::{Answers, Value};
use crate::model::{Level, Pack};
use crate::plan::PlanPack;
use crate::plan::pack::PainRule;
use crate::report::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Progress,
    Hold,
    StepBack,
    GetHelp,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Progress => "progress",
            Decision::Hold => "hold",
            Decision::StepBack => "step-back",
            Decision::GetHelp => "get-help",
        }
    }
}

/// The answer for one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub decision: Decision,
    pub reason: String,
    /// With get-help: the level to get help at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// With get-help: the level's action and the advice `assess` gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
    /// The plan level after this day (index into the pack's levels).
    #[serde(skip)]
    pub ladder: usize,
}

/// Where the runner stands after the last day.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Ladder level index; `levels.len()` once the ladder is done.
    pub ladder: usize,
    /// Sessions within the rule at this level so far.
    pub good: u32,
    pub last_session: Option<NaiveDate>,
    /// The last of the days off that the pain rule gives after pain over
    /// it (`days_off_after_pain`): no session before the day after.
    pub off_until: Option<NaiveDate>,
}

/// The plan context: the pain rule, where the ladder starts, the triage
/// level and the answers the plan was made from.
pub struct Context<'a> {
    pub pack: &'a Pack,
    pub plan: &'a PlanPack,
    pub saved: Option<&'a SavedPlan>,
    pub base: Answers,
    /// The triage rules the plan's answers already fire: a day's answer
    /// that fires another one is new, and gets help.
    pub base_rules: Vec<String>,
    pub level: Level,
    pub rule: &'a PainRule,
    pub start_ladder: usize,
}

impl<'a> Context<'a> {
    pub fn new(pack: &'a Pack, plan: &'a PlanPack, saved: Option<&'a SavedPlan>) -> Context<'a> {
        let base = saved
            .and_then(|s| {
                Answers::from_json(pack, &serde_json::Value::Object(s.answers.clone())).ok()
            })
            .unwrap_or_else(|| Answers::new(pack));
        match saved {
            Some(_) => {
                let report = Report::new(pack, &base);
                let rule = crate::plan::schedule::pain_rule(plan, &report);
                let start_ladder = crate::plan::schedule::start_level(plan, pack, &base, &report);
                Context {
                    pack,
                    plan,
                    saved,
                    base,
                    base_rules: report.triage.rules.clone(),
                    level: report.triage.level,
                    rule,
                    start_ladder,
                }
            }
            None => Context {
                pack,
                plan,
                saved,
                base_rules: Report::new(pack, &base).triage.rules,
                base,
                level: Level::SelfCare,
                rule: plan.default_rule(),
                start_ladder: 0,
            },
        }
    }
}

/// Whether ladder level `i` is on this pain rule's ladder (the bone levels
/// are only for the bone rule).
fn on_ladder(plan: &PlanPack, rule: &PainRule, i: usize) -> bool {
    let rules = &plan.levels[i].rules;
    rules.is_empty() || rules.contains(&rule.id)
}

/// The level after `i` on this rule's ladder (`levels.len()`: past it).
fn next_level(plan: &PlanPack, rule: &PainRule, i: usize) -> usize {
    (i + 1..plan.levels.len())
        .find(|&j| on_ladder(plan, rule, j))
        .unwrap_or(plan.levels.len())
}

/// `n` levels back from `i` on this rule's ladder.
fn levels_back(plan: &PlanPack, rule: &PainRule, i: usize, n: u32) -> usize {
    (0..n).fold(i, |i, _| {
        (0..i)
            .rev()
            .find(|&j| on_ladder(plan, rule, j))
            .unwrap_or(0)
    })
}

/// Mean pain of the last `window_days` days up to `as_of` against the
/// `window_days` before, as the pack defines the trend.
pub fn trend(plan: &PlanPack, days: &[Day], as_of: NaiveDate) -> Option<&'static str> {
    let w = i64::from(plan.trend.window_days);
    let mean = |from: i64, to: i64| -> Option<f64> {
        let (sum, n) = pain_between(days, as_of, from, to);
        (n >= plan.trend.min_days).then(|| f64::from(sum) / f64::from(n))
    };
    let recent = mean(0, w)?;
    let before = mean(w, 2 * w)?;
    let diff = recent - before;
    Some(if diff <= -plan.trend.min_change {
        "better"
    } else if diff >= plan.trend.min_change {
        "worse"
    } else {
        "same"
    })
}

/// The summed pain and the number of days from `from` to before `to`
/// days before `as_of` (0 is `as_of` itself). Days are sorted by date, so
/// the window is found by bisection: `history` asks for every day.
fn pain_between(days: &[Day], as_of: NaiveDate, from: i64, to: i64) -> (u32, u32) {
    let newest = as_of - chrono::Duration::days(from);
    let oldest = as_of - chrono::Duration::days(to);
    let start = days.partition_point(|d| d.date <= oldest);
    let end = days.partition_point(|d| d.date <= newest);
    days[start..end.max(start)]
        .iter()
        .fold((0, 0), |(s, n), d| (s + u32::from(d.pain), n + 1))
}

fn recent_mean(plan: &PlanPack, days: &[Day], as_of: NaiveDate) -> Option<f64> {
    let (sum, n) = pain_between(days, as_of, 0, i64::from(plan.trend.window_days));
    (n > 0).then(|| f64::from(sum) / f64::from(n))
}

/// The warning answers of a day that the plan's answers did not have.
fn new_warnings(ctx: &Context, day: &Day) -> Vec<usize> {
    ctx.plan
        .warning_answers
        .iter()
        .copied()
        .filter(|&q| {
            let id = &ctx.pack.questions[q].id;
            day.answers.get(id) == Some(&serde_json::Value::Bool(true))
                && ctx.base.get(q) != Some(Value::Flag(true))
        })
        .collect()
}

/// The plan's answers with the day's answers over them: what `assess`
/// would be given that day.
fn with_day(ctx: &Context, day: &Day) -> Answers {
    let mut answers = ctx.base.clone();
    if let Ok(given) = Answers::from_json(ctx.pack, &serde_json::Value::Object(day.answers.clone()))
    {
        answers.overlay(&given);
    }
    answers
}

/// The day's answers that differ from the plan's, in words for the
/// reason ("swelling marked", "locking").
fn changed_answers(ctx: &Context, day: &Day) -> Vec<String> {
    let before = ctx.base.to_json(ctx.pack);
    day.answers
        .iter()
        .filter(|(key, value)| {
            before.get(key.as_str()) != Some(*value) && **value != serde_json::Value::Bool(false)
        })
        .map(|(key, value)| {
            let name = key.replace('_', " ");
            match value {
                serde_json::Value::Bool(_) => name,
                serde_json::Value::String(s) => format!("{name} {s}"),
                serde_json::Value::Array(items) => format!(
                    "{name} {}",
                    items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                other => format!("{name} {other}"),
            }
        })
        .collect()
}

/// Which days' verdicts need their words (reason, advice): `checkin`
/// needs one day's, `history` every day's. The decisions are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Every,
    /// Only the day at this index; the others get an empty reason.
    Day(usize),
}

/// Replays every day and returns a verdict for each, and the state after
/// the last.
pub fn replay(ctx: &Context, days: &[Day], words: Words) -> (Vec<Verdict>, State) {
    let plan = ctx.plan;
    let rule = ctx.rule;
    let mut state = State {
        ladder: ctx.start_ladder,
        good: 0,
        last_session: None,
        off_until: None,
    };
    let mut step_backs = 0u32;
    let first_day = days.first().map(|d| d.date);
    let plan_start = ctx.saved.map(|s| s.start);
    let mut verdicts = Vec::with_capacity(days.len());
    for (i, day) in days.iter().enumerate() {
        let worded = words == Words::Every || words == Words::Day(i);
        // The reason in words, only for a day that shows it.
        macro_rules! say {
            ($($t:tt)*) => {
                if worded { format!($($t)*) } else { String::new() }
            };
        }
        let in_plan = plan_start.is_none_or(|s| day.date >= s);
        let level_name = |ladder: usize| {
            plan.levels
                .get(ladder)
                .map_or("distance rebuilding".to_owned(), |l| say!("\"{}\"", l.name))
        };
        let over = day.pain as u32 > rule.during_max;
        let worse_morning = day.next_morning == Some(Morning::Worse);
        let mut verdict = if plan.step_back.when_next_morning_worse
            && rule.next_morning_no_worse
            && worse_morning
        {
            Some((
                Decision::StepBack,
                say!("the knee was worse the morning after the last session"),
            ))
        } else if over && !day.no_run && plan.step_back.when_pain_over_rule {
            Some((
                Decision::StepBack,
                say!(
                    "pain {}/10 is over the pain rule ({})",
                    day.pain, rule.short
                ),
            ))
        } else {
            None
        }
        .unwrap_or_else(|| {
            if let Some(until) = state.off_until.filter(|&u| !day.no_run && day.date <= u) {
                (
                    Decision::Hold,
                    say!(
                        "a session within the {} days off after pain over the rule: rest until {} is over; this one does not count towards the level",
                        rule.days_off_after_pain,
                        until
                    ),
                )
            } else if day.no_run && over {
                (
                    Decision::Hold,
                    say!(
                        "a rest day with pain {}/10, over the pain rule: rest until it is back within {}/10",
                        day.pain, rule.during_max
                    ),
                )
            } else if day.no_run {
                (
                    Decision::Hold,
                    say!("a rest day: pain within the rule"),
                )
            } else if state.ladder >= plan.levels.len() {
                (
                    Decision::Progress,
                    say!(
                        "pain {}/10 is within the pain rule: carry on rebuilding distance",
                        day.pain
                    ),
                )
            } else {
                let level = &plan.levels[state.ladder];
                if state.good + 1 >= level.sessions {
                    (
                        Decision::Progress,
                        say!(
                            "pain {}/10 is within the pain rule, {} of {} sessions at {} done: move up a level",
                            day.pain,
                            level.sessions,
                            level.sessions,
                            level_name(state.ladder)
                        ),
                    )
                } else {
                    (
                        Decision::Hold,
                        say!(
                            "pain {}/10 is within the pain rule, {} of {} sessions at {} done: stay at this level",
                            day.pain,
                            state.good + 1,
                            level.sessions,
                            level_name(state.ladder)
                        ),
                    )
                }
            }
        });

        // Move along the ladder (only from the plan's start).
        if in_plan {
            match verdict.0 {
                Decision::StepBack => {
                    state.ladder = levels_back(plan, rule, state.ladder, plan.step_back.levels);
                    state.good = 0;
                    step_backs += 1;
                    if rule.days_off_after_pain > 0 {
                        state.off_until = Some(
                            day.date + chrono::Duration::days(i64::from(rule.days_off_after_pain)),
                        );
                    }
                }
                Decision::Progress => {
                    if state.ladder < plan.levels.len() {
                        state.ladder = next_level(plan, rule, state.ladder);
                    }
                    state.good = 0;
                    step_backs = 0;
                }
                Decision::Hold if !day.no_run && state.off_until.is_none_or(|u| day.date > u) => {
                    state.good += 1;
                    step_backs = 0;
                }
                _ => {}
            }
            if !day.no_run {
                state.last_session = Some(day.date);
            }
        }
        if verdict.0 == Decision::StepBack && worded {
            verdict.1 = match state
                .off_until
                .filter(|&u| rule.days_off_after_pain > 0 && u > day.date)
            {
                Some(until) => format!(
                    "{}: take {} days off (no session until {} is over), then go back to {}",
                    verdict.1,
                    rule.days_off_after_pain,
                    until,
                    level_name(state.ladder)
                ),
                None => format!("{}: go back to {}", verdict.1, level_name(state.ladder)),
            };
        }

        let mut out = Verdict {
            decision: verdict.0,
            reason: verdict.1,
            level: None,
            action: None,
            advice: Vec::new(),
            ladder: state.ladder,
        };

        // Get help: a new warning sign, or an answer of the day that
        // fires a triage rule the plan's answers did not (`--swelling
        // marked`), at the level `assess` gives for them; then the pack's
        // escalation rules.
        let warnings = new_warnings(ctx, day);
        let day_report =
            (!day.answers.is_empty()).then(|| Report::new(ctx.pack, &with_day(ctx, day)));
        let new_rule = day_report
            .as_ref()
            .is_some_and(|r| r.triage.rules.iter().any(|id| !ctx.base_rules.contains(id)));
        let esc = &plan.escalation;
        if (!warnings.is_empty() || new_rule) && !worded {
            out.decision = Decision::GetHelp;
        } else if let Some(report) = day_report.filter(|_| !warnings.is_empty() || new_rule) {
            let names = changed_answers(ctx, day);
            out.decision = Decision::GetHelp;
            out.reason = format!(
                "a new warning sign ({}): {}",
                names.join(", "),
                report.triage.label
            );
            out.level = Some(report.triage.level);
            out.action = Some(report.triage.action.clone());
            out.advice = report
                .advice
                .iter()
                .take(3)
                .map(|a| format!("{}: {}", a.title, a.text))
                .collect();
        } else {
            let days_so_far = &days[..=i];
            let trend_now = trend(plan, days_so_far, day.date);
            let escalate = if step_backs >= esc.step_backs_in_a_row {
                Some(format!("{step_backs} step-backs in a row"))
            } else if esc.rising_pain && trend_now == Some("worse") {
                Some(format!(
                    "pain has risen: the mean of the last {} days is higher than the {} before",
                    plan.trend.window_days, plan.trend.window_days
                ))
            } else if first_day.is_some_and(|f| {
                (day.date - f).num_days() + 1 >= i64::from(esc.no_improvement_days)
            }) && esc.no_improvement_levels.contains(&ctx.level)
                && matches!(trend_now, Some("same") | Some("worse"))
                && recent_mean(plan, days_so_far, day.date)
                    .is_some_and(|m| m > esc.pain_free_at_most)
            {
                Some(format!(
                    "no improvement after {} days of self-care",
                    esc.no_improvement_days
                ))
            } else {
                None
            };
            if let Some(why) = escalate {
                out.decision = Decision::GetHelp;
                out.reason = say!("{why}: {}", esc.text);
                out.level = Some(esc.level);
                out.action = Some(ctx.pack.level_text(esc.level).action.clone());
            }
        }
        verdicts.push(out);
    }
    (verdicts, state)
}

/// The next session, in words, after `state`.
pub fn next_session(ctx: &Context, state: &State, today: NaiveDate) -> String {
    let plan = ctx.plan;
    let every = i64::from(plan.every_days.max(1));
    let date = state
        .last_session
        .map_or(today, |d| d + chrono::Duration::days(every))
        .max(today)
        .max(
            state
                .off_until
                .map_or(today, |u| u + chrono::Duration::days(1)),
        );
    let when = format!(
        "{} {}",
        date.weekday(),
        crate::plan::schedule::iso_date(date)
    );
    let what = match plan.levels.get(state.ladder) {
        Some(l) => l.session(),
        None => format!(
            "an easy run, building distance by at most {} % a week",
            plan.rebuild.weekly_increase_max_pct
        ),
    };
    let note = if ctx.saved.is_none() {
        " (no saved plan: `knee-triage plan --save` makes one; until then the pack's default pain rule applies)"
    } else {
        ""
    };
    format!("{when}: {what}; {}{note}", ctx.rule.short)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bisected window holds exactly the days the definition names:
    /// `from <= (as_of - date) < to`, over a diary with gaps.
    #[test]
    fn the_pain_window_is_the_days_the_definition_names() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let days: Vec<Day> = (0..60)
            .filter(|i| i % 3 != 1 && i % 7 != 4)
            .map(|i| Day {
                date: start + chrono::Duration::days(i),
                pain: (i * 5 % 11) as u8,
                run_km: None,
                no_run: true,
                next_morning: None,
                answers: Default::default(),
            })
            .collect();
        for as_of in 0..70 {
            let as_of = start + chrono::Duration::days(as_of);
            for (from, to) in [(0, 7), (7, 14), (0, 1), (3, 30)] {
                let naive = days
                    .iter()
                    .filter(|d| (from..to).contains(&(as_of - d.date).num_days()))
                    .fold((0, 0), |(s, n), d| (s + u32::from(d.pain), n + 1));
                assert_eq!(
                    pain_between(&days, as_of, from, to),
                    naive,
                    "{as_of} {from}..{to}"
                );
            }
        }
    }
}
