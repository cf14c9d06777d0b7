//! The plan part of the content pack (`plan.toml`): levels, pain rules,
//! step-back and escalation rules, the trend, the check-in's warning
//! answers. Parsed and checked here against the compiled [`Pack`], so the
//! loader of the rest of the pack stays as it was.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;

use crate::content::raw::RawValue;
use crate::content::{Problem, Source, line_column};
use crate::model::{CauseKind, Cond, Level, Likelihood, Pack, QuestionKind};

/// The file of a pack that holds the plan.
pub const FILE_NAME: &str = "plan.toml";

#[path = "pack/raw.rs"]
mod raw;
#[path = "pack/types.rs"]
mod types;

use raw::*;
pub use types::*;

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
    /// A condition of `plan.toml` in the pack's language (answers,
    /// `cause`, `triage`), its problems reported at their place.
    fn cond(&mut self, pack: &Pack, when: &Spanned<RawValue>) -> Option<Cond> {
        match crate::content::compile_condition(pack, self.source, when) {
            Ok(c) => Some(c),
            Err(problems) => {
                self.problems.extend(problems);
                None
            }
        }
    }

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
    if !(1..=7).contains(raw.days_per_week.get_ref()) {
        ck.report(
            raw.days_per_week.span(),
            "days_per_week must be from 1 to 7",
        );
    }
    let rule_ids: HashSet<&str> = raw.pain_rule.keys().map(String::as_str).collect();
    let known_rules = |ck: &mut Ck, ids: &[Spanned<String>]| -> Vec<String> {
        for id in ids {
            if !rule_ids.contains(id.get_ref().as_str()) {
                let hint = crate::content::did_you_mean(id.get_ref(), rule_ids.iter().copied())
                    .map(|h| format!(" (did you mean \"{h}\"?)"))
                    .unwrap_or_default();
                ck.report(
                    id.span(),
                    format!("unknown pain rule \"{}\"{hint}", id.get_ref()),
                );
            }
        }
        ids.iter().map(|i| i.get_ref().clone()).collect()
    };

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
        let rules = known_rules(ck, &l.rules);
        levels.push(PlanLevel {
            id: l.id.into_inner(),
            name: l.name,
            run_minutes: bout,
            walk_minutes: l.walk_minutes,
            repeats: *l.repeats.get_ref(),
            sessions: *l.sessions.get_ref(),
            also: l.also,
            rules,
            source: l.source,
        });
    }
    if levels.is_empty() {
        ck.report(level_span.clone(), "the plan has no [[plan.level]]");
    } else if !levels[0].rules.is_empty() || !levels.last().is_some_and(|l| l.rules.is_empty()) {
        ck.report(
            level_span.clone(),
            "the first and the last level are for every pain rule (no `rules`): every plan starts and ends on them",
        );
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
    let share = |x: f64| positive(x) && x <= 100.0;
    if !share(r.long_run_share_pct) || !share(r.reduce_share_pct) {
        ck.report(
            plan_span.clone(),
            "rebuild: long_run_share_pct and reduce_share_pct are percentages above 0 and at most 100",
        );
    }
    if r.continue_weeks == 0 || r.entry_fail_weeks == 0 || r.max_weeks == 0 {
        ck.report(
            plan_span.clone(),
            "rebuild: continue_weeks, entry_fail_weeks and max_weeks must be at least 1",
        );
    }

    // Start rules: known levels, and the last one unconditional.
    let start_span = raw.start.span();
    let starts = raw.start.into_inner();
    let mut start = Vec::new();
    for s in &starts {
        let level = match (&s.level, s.volume) {
            (Some(name), None) => {
                let Some(level) = levels.iter().position(|l| &l.id == name.get_ref()) else {
                    let hint = crate::content::did_you_mean(
                        name.get_ref(),
                        levels.iter().map(|l| l.id.as_str()),
                    )
                    .map(|h| format!(" (did you mean \"{h}\"?)"))
                    .unwrap_or_default();
                    ck.report(
                        name.span(),
                        format!("unknown level \"{}\"{hint}", name.get_ref()),
                    );
                    continue;
                };
                Some(level)
            }
            (None, Some(_)) => None,
            _ => {
                ck.report(
                    start_span.clone(),
                    "each [[plan.start]] has either a `level` or a `volume` (current or pre-spike)",
                );
                continue;
            }
        };
        for t in &s.trend {
            if !["better", "same", "worse"].contains(&t.as_str()) {
                ck.report(
                    start_span.clone(),
                    format!("unknown trend \"{t}\"; allowed: better, same, worse"),
                );
            }
        }
        let pain_rules = known_rules(ck, &s.pain_rules);
        start.push(StartRule {
            level,
            volume: s.volume,
            triage: s.triage.clone(),
            pain_rules,
            cleared: s.cleared,
            min_pain_level: s.min_pain_level,
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
                || last.min_pain_level.is_some()
                || last.cleared.is_some()
                || !last.pain_rules.is_empty()
                || !last.trend.is_empty()
                || !last.running.is_empty()
                || last.level.is_none() =>
        {
            ck.report(
                start_span,
                "the last [[plan.start]] must have a `level` and no conditions, so every plan has a start",
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
        // The days off are said in the rule's text, so the plan, the
        // report and the diary's check-in say the same thing.
        let days_off = r.days_off_after_pain;
        if days_off > 0 && !r.text.contains(&format!("{days_off} days off")) {
            ck.report(
                span.clone(),
                format!(
                    "pain rule \"{id}\": days_off_after_pain = {days_off}, but its text does not say \"{days_off} days off\""
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
        pain_rules.push(PainRule {
            id: id.clone(),
            name: r.name.clone(),
            default: r.default,
            during_max: *r.during_max.get_ref(),
            settle_hours: r.settle_hours,
            next_morning_no_worse: r.next_morning_no_worse,
            days_off_after_pain: days_off,
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

    // Clearance answers only what an examination can: never a level set
    // by an emergency rule.
    for id in &raw.no_plan.cleared_triage {
        match pack.triage.iter().find(|r| &r.id == id.get_ref()) {
            None => {
                let hint = crate::content::did_you_mean(
                    id.get_ref(),
                    pack.triage.iter().map(|r| r.id.as_str()),
                )
                .map(|h| format!(" (did you mean \"{h}\"?)"))
                .unwrap_or_default();
                ck.report(
                    id.span(),
                    format!("unknown triage rule \"{}\"{hint}", id.get_ref()),
                );
            }
            Some(r) if r.level == Level::Emergency => ck.report(
                id.span(),
                format!(
                    "triage rule \"{}\" is an emergency: a clearance to run never lifts it",
                    id.get_ref()
                ),
            ),
            Some(_) => {}
        }
    }
    if !pack
        .questions
        .iter()
        .any(|q| q.id == raw.cleared.answer && q.kind == QuestionKind::Bool)
    {
        ck.report(
            plan_span.clone(),
            format!(
                "cleared.answer \"{}\" is not a yes/no question of the pack",
                raw.cleared.answer
            ),
        );
    }
    let mut refusals = Vec::new();
    for w in &raw.no_plan.when {
        if let Some(when) = ck.cond(pack, &w.when) {
            refusals.push(NoPlanWhen {
                id: w.id.clone(),
                when,
                text: w.text.clone(),
                cleared: w.cleared,
                source: w.source.clone(),
            });
        }
    }
    if !raw.entry.not_yet.contains("{checks}") {
        ck.report(
            plan_span.clone(),
            "entry.not_yet must say {checks}: the runner needs to know which check is not passed",
        );
    }
    let mut entry_checks = Vec::new();
    for set in &raw.entry_checks {
        let rules = known_rules(ck, &set.rules);
        if rules.is_empty() && set.when.is_none() {
            ck.report(
                set.id.span(),
                format!(
                    "entry checks \"{}\" apply to nothing: give `rules` or `when`",
                    set.id.get_ref()
                ),
            );
        }
        let when = set.when.as_ref().and_then(|w| ck.cond(pack, w));
        let checks = set
            .checks
            .iter()
            .map(|c| EntryCheck {
                text: c.text.clone(),
                fails_when: c.fails_when.as_ref().and_then(|w| ck.cond(pack, w)),
            })
            .collect();
        entry_checks.push(EntryChecks {
            id: set.id.get_ref().clone(),
            rules,
            when,
            checks,
            source: set.source.clone(),
        });
    }

    PlanPack {
        every_days: *raw.every_days.get_ref(),
        every_days_source: raw.every_days_source,
        days_per_week: *raw.days_per_week.get_ref(),
        days_per_week_source: raw.days_per_week_source,
        levels,
        rebuild: raw.rebuild,
        start,
        pain_rules,
        step_back: raw.step_back,
        no_plan: NoPlan {
            levels: raw.no_plan.levels,
            text: raw.no_plan.text,
            cleared_triage: raw
                .no_plan
                .cleared_triage
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            when: refusals,
            source: raw.no_plan.source,
            causes: raw
                .no_plan
                .cause
                .into_iter()
                .map(|c| NoPlanCause {
                    id: c.id.into_inner(),
                    at: c.at,
                    text: c.text,
                    cleared: c.cleared,
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
                cleared: r.cleared,
                source: r.source,
            }),
        },
        escalation: raw.escalation.into_inner(),
        trend: raw.trend.into_inner(),
        warning_answers,
        checkin_source: raw.checkin.source,
        entry_checks,
        entry: raw.entry,
        cleared: raw.cleared,
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
    fn days_off_the_rule_text_does_not_say_are_refused() {
        let plan = with_plan(&shipped()).expect("valid").expect("present");
        assert_eq!(
            plan.rule_by_id("bone").map(|r| r.days_off_after_pain),
            Some(2)
        );
        assert_eq!(plan.default_rule().days_off_after_pain, 0);
        let text = shipped().replacen("days_off_after_pain = 2", "days_off_after_pain = 3", 1);
        let problems = with_plan(&text).expect_err("invalid");
        assert!(
            problems.iter().any(|p| p.message.contains(
                "\"bone\": days_off_after_pain = 3, but its text does not say \"3 days off\""
            )),
            "{problems:?}"
        );
    }

    #[test]
    fn a_level_with_less_running_in_all_is_refused() {
        let text = shipped().replacen(
            "repeats = 10\nsessions = 2\nrules = [\"bone\"]",
            "repeats = 5\nsessions = 2\nrules = [\"bone\"]",
            1,
        );
        assert_ne!(text, shipped());
        let problems = with_plan(&text).expect_err("invalid");
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("\"run-1-walk-2\" runs 5 min in all, less than the level before it (\"run-1-walk-4\", 6 min)")),
            "{problems:?}"
        );
    }

    #[test]
    fn the_first_level_must_be_for_every_pain_rule() {
        let text = shipped().replacen(
            "repeats = 1\nsessions = 2\nalso",
            "repeats = 1\nsessions = 2\nrules = [\"bone\"]\nalso",
            1,
        );
        assert_ne!(text, shipped());
        let problems = with_plan(&text).expect_err("invalid");
        assert!(
            problems.iter().any(|p| p
                .message
                .contains("the first and the last level are for every pain rule")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_pace_of_zero_or_below_is_refused() {
        for pace in ["-6.5", "0.0"] {
            let text = shipped().replacen(
                "easy_pace_min_per_km = 6.5",
                &format!("easy_pace_min_per_km = {pace}"),
                1,
            );
            let problems = with_plan(&text).expect_err("invalid");
            assert!(
                problems.iter().any(|p| p
                    .message
                    .contains("rebuild.easy_pace_min_per_km must be above 0")),
                "{pace}: {problems:?}"
            );
        }
    }

    /// Each check of the rebuild's numbers and of the start rules, one
    /// broken value at a time.
    #[test]
    fn each_broken_number_or_start_is_named() {
        let last_start = "[[plan.start]]\nlevel = \"walk-30\"\n";
        assert!(shipped().contains(last_start));
        let cases: [(&str, &str, &str); 14] = [
            (
                "window_days = 7\n",
                "window_days = 0\n",
                "trend: window_days and min_days must be at least 1",
            ),
            (
                "min_days = 3\n",
                "min_days = 0\n",
                "trend: window_days and min_days must be at least 1",
            ),
            (
                "min_days = 3\n",
                "min_days = 8\n",
                "trend: window_days and min_days must be at least 1",
            ),
            (
                "step_backs_in_a_row = 3\n",
                "step_backs_in_a_row = 0\n",
                "escalation.step_backs_in_a_row must be at least 1",
            ),
            (
                "during_max = 3\n",
                "during_max = 11\n",
                "during_max is on the 0-10 scale",
            ),
            (
                "default = true\n",
                "default = false\n",
                "no pain rule has `default = true`",
            ),
            (
                "weekly_increase_max_pct = 10",
                "weekly_increase_max_pct = 0",
                "weekly_increase_max_pct and long_run_increase_max_pct must be above 0",
            ),
            (
                "long_run_share_pct = 40",
                "long_run_share_pct = 0",
                "long_run_share_pct and reduce_share_pct are percentages",
            ),
            (
                "reduce_share_pct = 67",
                "reduce_share_pct = 150",
                "long_run_share_pct and reduce_share_pct are percentages",
            ),
            (
                "continue_weeks = 4",
                "continue_weeks = 0",
                "continue_weeks, entry_fail_weeks and max_weeks must be at least 1",
            ),
            (
                "entry_fail_weeks = 2",
                "entry_fail_weeks = 0",
                "continue_weeks, entry_fail_weeks and max_weeks must be at least 1",
            ),
            (
                "max_weeks = 26",
                "max_weeks = 0",
                "continue_weeks, entry_fail_weeks and max_weeks must be at least 1",
            ),
            (
                last_start,
                "[[plan.start]]\nlevel = \"walk-30\"\ntrend = [\"sideways\"]\n",
                "unknown trend \"sideways\"; allowed: better, same, worse",
            ),
            (
                last_start,
                "[[plan.start]]\nlevel = \"walk-30\"\ntrend = [\"worse\"]\n",
                "the last [[plan.start]] must have a `level` and no conditions",
            ),
        ];
        for (from, to, want) in cases {
            // The last occurrence: the last start rule is the one checked.
            let shipped = shipped();
            let at = shipped.rfind(from).expect("in plan.toml");
            let text = format!("{}{to}{}", &shipped[..at], &shipped[at + from.len()..]);
            assert_ne!(text, shipped, "{from}");
            let problems = with_plan(&text).expect_err(to);
            assert!(
                problems.iter().any(|p| p.message.contains(want)),
                "{to}: {problems:?}"
            );
            // A valid trend is no unknown trend.
            if to.contains("\"worse\"") {
                assert!(
                    problems
                        .iter()
                        .all(|p| !p.message.contains("unknown trend")),
                    "{problems:?}"
                );
            }
        }
    }

    /// A level in words, and its running time: walking, walk-run, a run.
    #[test]
    fn each_kind_of_level_in_words() {
        let plan = with_plan(&shipped()).expect("valid").expect("present");
        let level = |id: &str| {
            plan.levels
                .iter()
                .find(|l| l.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        let walk = level("walk-30");
        assert_eq!(
            walk.session(),
            "Brisk walk 30 min, then the strength exercises of your report"
        );
        assert_eq!(walk.running_minutes(), 0);
        let walk_run = level("run-2-walk-1");
        assert_eq!(walk_run.session(), "Run 2 min / walk 1 min × 10");
        assert_eq!((walk_run.running_minutes(), walk_run.minutes()), (20, 30));
        let run = level("run-30");
        assert_eq!(run.session(), "Easy run 30 min without stopping");
        assert_eq!(run.running_minutes(), 30);
    }

    /// The check-in's warning answers are the yes/no questions named, in
    /// order, each once; a name the pack does not ask is skipped.
    #[test]
    fn the_checkin_warning_answers_are_the_questions_named() {
        let (pack, _) = embedded();
        let plan = with_plan(&shipped()).expect("valid").expect("present");
        let ids: Vec<&str> = plan
            .warning_answers
            .iter()
            .map(|&q| pack.questions[q].id.as_str())
            .collect();
        assert_eq!(&ids[..3], ["locking", "giving_way", "cannot_bear_weight"]);
        let text = shipped().replacen(
            "warning_answers = [\n  \"locking\",",
            "warning_answers = [\n  \"locking\",\n  \"locking\",\n  \"not_a_question\",",
            1,
        );
        let again = with_plan(&text).expect("valid").expect("present");
        assert_eq!(again.warning_answers, plan.warning_answers);
        let text = shipped().replacen(
            "warning_answers = [\n  \"locking\",",
            "warning_answers = [\n  \"location\",",
            1,
        );
        let problems = with_plan(&text).expect_err("not yes/no");
        assert!(
            problems.iter().any(|p| p
                .message
                .contains("warning answer \"location\" is not a yes/no question")),
            "{problems:?}"
        );
    }

    /// A trend over as many days as its window is allowed.
    #[test]
    fn a_trend_may_need_every_day_of_its_window() {
        let text = shipped().replacen("min_days = 3\n", "min_days = 7\n", 1);
        let plan = with_plan(&text).expect("valid").expect("present");
        assert_eq!(plan.trend.min_days, 7);
    }

    /// 10/10 is still on the pain scale.
    #[test]
    fn a_rule_of_ten_out_of_ten_is_on_the_scale() {
        let text = shipped()
            .replacen("during_max = 3\n", "during_max = 10\n", 1)
            .replacen(
                "short = \"pain at most 3/10 during",
                "short = \"pain at most 10/10 during",
                1,
            );
        let plan = with_plan(&text).expect("valid").expect("present");
        assert_eq!(plan.default_rule().during_max, 10);
    }

    /// The last start rule is what every plan falls back on: any
    /// condition on it, or a volume instead of a level, is refused.
    #[test]
    fn the_last_start_has_a_level_and_no_condition() {
        let last = "[[plan.start]]\nlevel = \"walk-30\"\n";
        let shipped = shipped();
        let at = shipped.rfind(last).expect("the last start");
        for extra in [
            "triage = [\"self-care\"]",
            "max_pain_level = 9",
            "min_pain_level = 1",
            "cleared = false",
            "pain_rules = [\"default\"]",
            "trend = [\"same\"]",
            "running = [\"reduce\"]",
        ] {
            let text = format!(
                "{}{last}{extra}\n{}",
                &shipped[..at],
                &shipped[at + last.len()..]
            );
            let problems = with_plan(&text).expect_err(extra);
            assert!(
                problems.iter().any(|p| p
                    .message
                    .contains("the last [[plan.start]] must have a `level` and no conditions")),
                "{extra}: {problems:?}"
            );
        }
        let volume = format!(
            "{}[[plan.start]]\nvolume = \"current\"\n{}",
            &shipped[..at],
            &shipped[at + last.len()..]
        );
        let problems = with_plan(&volume).expect_err("volume");
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("must have a `level` and no conditions")),
            "{problems:?}"
        );
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
    fn a_clearance_never_lifts_an_emergency_or_an_unknown_rule() {
        let text = shipped().replace(
            "cleared_triage = [\n",
            "cleared_triage = [\n  \"deformed-knee\",\n  \"rapid-swelin\",\n",
        );
        let problems = with_plan(&text).expect_err("invalid");
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("\"deformed-knee\" is an emergency")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains(
                "unknown triage rule \"rapid-swelin\" (did you mean \"rapid-swelling\"?)"
            )),
            "{messages:?}"
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
