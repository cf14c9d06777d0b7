//! The `[next_steps]` table and the plan's pain rules the running texts
//! quote: what the report says to do first.

use toml::Spanned;

use super::when::compile_when;
use super::{Checker, Names, Scope};
use crate::content::did_you_mean;
use crate::content::raw::{RawFile, RawPainRuleBrief, RawValue};
use crate::model::{
    Advice, FirstCandidate, LevelSteps, PAIN_RULE, Question, RunningPainRule, StepNote, StepRule,
    StepsRules,
};

/// The one `[next_steps]` table, if any: levels, rules and candidates to
/// do first, with every advice id and number checked.
pub(super) fn next_steps(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
    advice: &[Advice],
) -> Option<StepsRules> {
    let mut found = None;
    for (file, raw) in files.iter_mut() {
        if let Some(steps) = raw.next_steps.take() {
            if found.is_some() {
                ck.report(
                    *file,
                    steps.span(),
                    "a second [next_steps] table: next steps are described once",
                );
            } else {
                found = Some((*file, steps.into_inner()));
            }
        }
    }
    let (file, raw) = found?;
    let mut ok = true;
    /// A number of days, 1 to 365; a problem (and `ok` cleared) otherwise.
    fn days(ck: &mut Checker, file: usize, ok: &mut bool, v: Option<Spanned<i64>>) -> Option<u32> {
        let v = v?;
        match u32::try_from(*v.get_ref()) {
            Ok(d) if (1..=365).contains(&d) => Some(d),
            _ => {
                ck.report(
                    file,
                    v.span(),
                    format!(
                        "recheck_days must be a whole number of days from 1 to 365, found {}",
                        v.get_ref()
                    ),
                );
                *ok = false;
                None
            }
        }
    }
    let mut level = |l: crate::content::raw::RawStepLevel| LevelSteps {
        running: l.running,
        running_text: l.running_text,
        recheck_days: days(ck, file, &mut ok, l.recheck_days),
        get_help: l.get_help,
    };
    let levels = [
        level(raw.levels.self_care),
        level(raw.levels.see_professional),
        level(raw.levels.urgent),
        level(raw.levels.emergency),
    ];
    let compile = |ck: &mut Checker, when: &Spanned<RawValue>| {
        compile_when(ck, file, names, questions, Scope::Advice, when)
    };
    let mut rules = Vec::new();
    for r in raw.rule {
        ck.claim_rule_id(file, &r.id);
        let when = compile(ck, &r.when);
        let asked_days = r.recheck_days.is_some();
        let recheck_days = days(ck, file, &mut ok, r.recheck_days);
        if r.running.is_some() != r.running_text.is_some() {
            ck.report(
                file,
                r.id.span(),
                format!(
                    "next_steps rule \"{}\": `running` and `running_text` go together",
                    r.id.get_ref()
                ),
            );
            ok = false;
        }
        if r.running.is_none() && !asked_days {
            ck.report(
                file,
                r.id.span(),
                format!(
                    "next_steps rule \"{}\" sets neither `running` nor `recheck_days`",
                    r.id.get_ref()
                ),
            );
            ok = false;
        }
        match when {
            Some(when) => rules.push(StepRule {
                id: r.id.into_inner(),
                when,
                running: r.running,
                running_text: r.running_text.map(Spanned::into_inner),
                recheck_days,
            }),
            None => ok = false,
        }
    }
    let mut first = Vec::new();
    for c in raw.first {
        let id = c.advice.get_ref();
        let Some(index) = advice.iter().position(|a| &a.id == id) else {
            let hint = did_you_mean(id, advice.iter().map(|a| a.id.as_str()))
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            ck.report(
                file,
                c.advice.span(),
                format!("next_steps.first: unknown advice id \"{id}\"{hint}"),
            );
            ok = false;
            continue;
        };
        let when = match &c.when {
            Some(w) => match compile(ck, w) {
                Some(cond) => Some(cond),
                None => {
                    ok = false;
                    continue;
                }
            },
            None => None,
        };
        let Ok(weight) = i32::try_from(*c.weight.get_ref()) else {
            ck.report(file, c.weight.span(), "weight is out of range");
            ok = false;
            continue;
        };
        first.push(FirstCandidate {
            advice: index,
            when,
            weight,
        });
    }
    let mut notes = Vec::new();
    for n in raw.note {
        ck.claim_rule_id(file, &n.id);
        match compile(ck, &n.when) {
            Some(when) => notes.push(StepNote {
                id: n.id.into_inner(),
                when,
                text: n.text,
            }),
            None => ok = false,
        }
    }
    let max_first = match raw.max_first {
        None => 3,
        Some(n) => match usize::try_from(*n.get_ref()) {
            Ok(m) if (1..=3).contains(&m) => m,
            _ => {
                ck.report(
                    file,
                    n.span(),
                    format!("max_first must be 1, 2 or 3, found {}", n.get_ref()),
                );
                ok = false;
                3
            }
        },
    };
    ok.then_some(StepsRules {
        levels,
        rules,
        first,
        max_first,
        notes,
    })
}

/// The pain rules of `plan.toml`, for the report's running texts. A
/// running text that quotes `{pain_rule}` needs a default rule to quote.
pub(super) fn pain_rules(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    steps: Option<&StepsRules>,
    names: &Names,
    questions: &[Question],
) -> Vec<RunningPainRule> {
    let briefs: Vec<(usize, String, RawPainRuleBrief)> = files
        .iter_mut()
        .filter_map(|(file, raw)| raw.plan.take().map(|p| (*file, p)))
        .flat_map(|(file, plan)| plan.pain_rule.into_iter().map(move |(id, r)| (file, id, r)))
        .collect();
    let mut rules = Vec::new();
    for (file, id, r) in briefs {
        // `when`: answers, causes and the level, as in advice.
        let when = match &r.when {
            Some(w) => match compile_when(ck, file, names, questions, Scope::Advice, w) {
                Some(c) => Some(c),
                None => continue,
            },
            None => None,
        };
        let (Some(short), Some(during_max)) = (r.short, r.during_max) else {
            continue;
        };
        rules.push(RunningPainRule {
            id,
            causes: r.causes,
            default: r.default,
            short,
            name: r.name.unwrap_or_default(),
            during_max,
            when,
        });
    }
    let quoted = steps.is_some_and(|s| {
        s.levels
            .iter()
            .map(|l| l.running_text.as_str())
            .chain(s.rules.iter().filter_map(|r| r.running_text.as_deref()))
            .any(|t| t.contains(PAIN_RULE))
    });
    if quoted && !rules.iter().any(|r| r.default) {
        ck.report(
            0,
            0..0,
            format!(
                "a next-steps running text quotes {PAIN_RULE}, but plan.toml has no pain rule with `default = true`"
            ),
        );
    }
    rules
}
