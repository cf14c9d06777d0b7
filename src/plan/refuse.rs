//! Why there is no self-directed plan (the level, a cause, an answer such
//! as a limp, the report's "stop"), and what `cleared_to_run` lifts; and
//! the facts a condition of `plan.toml` reads.

use super::PlanPack;
use super::schedule::NoPlanReason;
use crate::answers::{Answers, Value};
use crate::model::{Cond, Level, Likelihood, Pack, Running};
use crate::report::Report;

/// What a condition of `plan.toml` reads: the answers, the level and the
/// causes' likelihoods of the report.
pub(super) struct Facts<'a> {
    pack: &'a Pack,
    answers: &'a Answers,
    pub(super) level: Level,
    likelihoods: Vec<Likelihood>,
}

impl<'a> Facts<'a> {
    pub(super) fn new(pack: &'a Pack, answers: &'a Answers, report: &Report) -> Facts<'a> {
        let mut likelihoods = vec![Likelihood::Unlikely; pack.causes.len()];
        for c in &report.causes {
            if let Some(i) = pack.cause_index(&c.id) {
                likelihoods[i] = c.likelihood;
            }
        }
        Facts {
            pack,
            answers,
            level: report.triage.level,
            likelihoods,
        }
    }

    pub(super) fn holds(&self, cond: &Cond) -> bool {
        crate::engine::holds_given(cond, self.answers, self.level, &self.likelihoods)
    }

    pub(super) fn num(&self, key: &str) -> Option<f64> {
        match self.answers.get(self.pack.question_index(key)?)? {
            Value::Num(n) => Some(n),
            _ => None,
        }
    }

    pub(super) fn flag(&self, key: &str) -> bool {
        self.pack
            .question_index(key)
            .and_then(|q| self.answers.get(q))
            == Some(Value::Flag(true))
    }

    pub(super) fn choice(&self, key: &str) -> Option<&'a str> {
        let q = self.pack.question_index(key)?;
        match self.answers.get(q)? {
            Value::Choice(i) => self.pack.questions[q]
                .options
                .get(usize::from(i))
                .map(|o| o.value.as_str()),
            _ => None,
        }
    }
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
/// level (walking) answers: the plan then starts there. (Only called when
/// the report says stop.)
pub(super) fn stop_allows_entry(pack: &Pack, plan: &PlanPack, report: &Report) -> bool {
    let Some(stop) = &plan.no_plan.running_stop else {
        return false;
    };
    let rules = stop_rules(pack, report);
    !rules.is_empty()
        && rules
            .iter()
            .all(|r| stop.entry_level_ok.iter().any(|x| x == r))
}

/// Whether a clearance answers the level: every triage rule at a refused
/// level is one an examination answers.
fn cleared_level(pack: &Pack, plan: &PlanPack, report: &Report) -> bool {
    let mut at_level = report.triage.rules.iter().filter(|id| {
        pack.triage
            .iter()
            .find(|r| &r.id == *id)
            .is_some_and(|r| plan.no_plan.levels.contains(&r.level))
    });
    let mut any = false;
    let all = at_level.all(|id| {
        any = true;
        plan.no_plan.cleared_triage.iter().any(|x| x == id)
    });
    any && all
}

/// Why these answers get no self-directed plan (empty: a plan is fine).
pub fn no_plan_reasons(
    pack: &Pack,
    plan: &PlanPack,
    report: &Report,
    answers: &Answers,
) -> Vec<NoPlanReason> {
    let facts = Facts::new(pack, answers, report);
    reasons(pack, plan, report, &facts, facts.flag(&plan.cleared.answer))
}

/// Without a plan: a clearance (`cleared_to_run`, not given) would give
/// one.
pub fn clearance_would_lift(
    pack: &Pack,
    plan: &PlanPack,
    report: &Report,
    answers: &Answers,
) -> bool {
    let facts = Facts::new(pack, answers, report);
    !facts.flag(&plan.cleared.answer)
        && !reasons(pack, plan, report, &facts, false).is_empty()
        && reasons(pack, plan, report, &facts, true).is_empty()
}

/// A clinician's clearance (`cleared_to_run`) is what lets these answers
/// have a plan: without it there would be none.
pub fn clearance_lifts(pack: &Pack, plan: &PlanPack, report: &Report, answers: &Answers) -> bool {
    let facts = Facts::new(pack, answers, report);
    facts.flag(&plan.cleared.answer)
        && reasons(pack, plan, report, &facts, true).is_empty()
        && !reasons(pack, plan, report, &facts, false).is_empty()
}

fn reasons(
    pack: &Pack,
    plan: &PlanPack,
    report: &Report,
    facts: &Facts,
    cleared: bool,
) -> Vec<NoPlanReason> {
    let mut out = Vec::new();
    if plan.no_plan.levels.contains(&report.triage.level)
        && !(cleared && cleared_level(pack, plan, report))
    {
        out.push(NoPlanReason {
            because: format!("triage level {}", report.triage.level),
            text: plan.no_plan.text.clone(),
            source: plan.no_plan.source.clone(),
        });
    }
    for w in &plan.no_plan.when {
        if !(cleared && w.cleared) && facts.holds(&w.when) {
            out.push(NoPlanReason {
                because: w.id.clone(),
                text: w.text.clone(),
                source: w.source.clone(),
            });
        }
    }
    for c in &plan.no_plan.causes {
        if cleared && c.cleared {
            continue;
        }
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
    // says otherwise (unless a clinician has cleared the runner).
    if let Some(stop) = &plan.no_plan.running_stop
        && out.is_empty()
        && report.next_steps.running == Running::Stop
        && !(cleared && stop.cleared)
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
