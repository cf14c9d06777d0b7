//! Causes with their scoring rules, and the conditions outside the knee
//! that rules point to.

use std::collections::HashMap;

use super::when::compile_when;
use super::{Checker, Names, Scope, unique_ids};
use crate::content::raw::{RawCause, RawFile};
use crate::model::{Cause, CauseKind, Outside, OutsideRule, Question, ScoreRule, TimeCourse};

pub(super) fn causes(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
) -> Vec<Cause> {
    unique_ids(
        ck,
        files,
        |f| std::mem::take(&mut f.cause),
        |c| &c.id,
        "cause",
    )
    .into_iter()
    .filter_map(|(file, c)| cause(ck, file, c, names, questions))
    .collect()
}

pub(super) fn cause(
    ck: &mut Checker,
    file: usize,
    c: RawCause,
    names: &Names,
    questions: &[Question],
) -> Option<Cause> {
    let id = c.id.get_ref().clone();
    let possible_at = *c.possible_at.get_ref();
    let likely_at = *c.likely_at.get_ref();
    let mut ok = true;
    if possible_at < 1 {
        ck.report(
            file,
            c.possible_at.span(),
            format!("possible_at of \"{id}\" must be at least 1, found {possible_at}"),
        );
        ok = false;
    }
    if likely_at < possible_at {
        ck.report(
            file,
            c.likely_at.span(),
            format!("likely_at ({likely_at}) of \"{id}\" is below possible_at ({possible_at})"),
        );
        ok = false;
    }
    let mut groups: Vec<String> = Vec::new();
    let mut rules = Vec::new();
    for r in &c.rule {
        ck.claim_rule_id(file, &r.id);
        let points = *r.points.get_ref();
        if points == 0 || points.abs() > 100 {
            ck.report(file, r.points.span(), format!("points of rule \"{}\" must be a non-zero whole number from -100 to 100, found {points}", r.id.get_ref()));
            ok = false;
        }
        let when = compile_when(ck, file, names, questions, Scope::Answers, &r.when);
        let group = r.group.as_ref().map(|g| {
            groups.iter().position(|x| x == g).unwrap_or_else(|| {
                groups.push(g.clone());
                groups.len() - 1
            })
        });
        match when {
            Some(when) => rules.push(ScoreRule {
                id: r.id.get_ref().clone(),
                when,
                points: points.clamp(-100, 100) as i32,
                because: r.because.clone(),
                group,
            }),
            None => ok = false,
        }
    }
    let settles = time_course(ck, file, &c, &mut ok);
    let cause = Cause {
        id,
        kind: c.kind,
        name: c.name,
        about: c.about,
        settles,
        possible_at: possible_at as i32,
        likely_at: likely_at as i32,
        rules,
    };
    if ok {
        let best = max_points(&cause.rules);
        // A factor whose points all rest on one answer is at most possible
        // by design (a factor resting on one answer is never likely).
        let by_design = cause.kind == CauseKind::Factor && cause.resting_answer().is_some();
        if best < likely_at && !by_design {
            let id = &cause.id;
            ck.report(file, c.likely_at.span(), format!("cause \"{id}\" can never be likely: its rules add up to at most {best} points, below likely_at = {likely_at}"));
            ok = false;
        }
    }
    ok.then_some(cause)
}

/// A condition's `settles` and `settles_source`: both or neither, not
/// empty, and the text names a time (a number, or days, weeks, months or
/// years). A factor has neither: it does not "settle", the knee does. A
/// condition with neither is a warning of `content check` (the report then
/// cannot say how long it takes), not an error. A problem is reported and
/// clears `valid`.
fn time_course(
    ck: &mut Checker,
    file: usize,
    c: &RawCause,
    valid: &mut bool,
) -> Option<TimeCourse> {
    let id = c.id.get_ref();
    if c.kind == CauseKind::Factor {
        for field in [&c.settles, &c.settles_source].into_iter().flatten() {
            ck.report(file, field.span(), format!("factor \"{id}\" has a time course (`settles`, `settles_source`): only a condition settles; leave them out"));
            *valid = false;
        }
        return None;
    }
    let (text, source) = match (&c.settles, &c.settles_source) {
        (None, None) => return None,
        (Some(text), Some(source)) => (text, source),
        (Some(given), None) | (None, Some(given)) => {
            let missing = if c.settles.is_none() {
                "settles"
            } else {
                "settles_source"
            };
            ck.report(file, given.span(), format!("condition \"{id}\" has no `{missing}`: a time course needs both its text (`settles`) and where it comes from (`settles_source`)"));
            *valid = false;
            return None;
        }
    };
    let mut ok = true;
    let words = ["day", "week", "month", "year"];
    let t = text.get_ref().trim();
    if t.is_empty()
        || !(t.chars().any(|ch| ch.is_ascii_digit())
            || words.iter().any(|w| t.to_lowercase().contains(w)))
    {
        ck.report(file, text.span(), format!("`settles` of \"{id}\" must name a time (a number, or days, weeks, months or years), found {:?}", text.get_ref()));
        ok = false;
    }
    if source.get_ref().trim().is_empty() {
        ck.report(file, source.span(), format!("`settles_source` of \"{id}\" is empty: name the guideline or study the time course comes from"));
        ok = false;
    }
    *valid &= ok;
    ok.then(|| TimeCourse {
        text: t.to_owned(),
        source: source.get_ref().trim().to_owned(),
    })
}

/// The most points a cause can collect: every positive rule, one per group.
pub fn max_points(rules: &[ScoreRule]) -> i64 {
    let mut best_in_group: HashMap<usize, i64> = HashMap::new();
    let mut total = 0i64;
    for r in rules.iter().filter(|r| r.points > 0) {
        match r.group {
            Some(g) => {
                let e = best_in_group.entry(g).or_insert(0);
                *e = (*e).max(r.points as i64);
            }
            None => total += r.points as i64,
        }
    }
    total + best_in_group.values().sum::<i64>()
}

/// `[[outside]]`: conditions outside the knee, each with the rules that
/// point to it.
pub(super) fn outside(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
) -> Vec<Outside> {
    let mut out = Vec::new();
    let raw = unique_ids(
        ck,
        files,
        |f| std::mem::take(&mut f.outside),
        |o| &o.id,
        "outside-the-knee condition",
    );
    for (file, o) in raw {
        let id = o.id.get_ref().clone();
        let kebab = !id.is_empty()
            && !id.starts_with('-')
            && !id.ends_with('-')
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !kebab {
            ck.report(
                file,
                o.id.span(),
                format!(
                    "outside-the-knee condition id \"{id}\" must be lower-case words joined by hyphens, like \"blood-clot\""
                ),
            );
            continue;
        }
        if o.rule.is_empty() {
            ck.report(
                file,
                o.id.span(),
                format!(
                    "outside-the-knee condition \"{id}\" has no [[outside.rule]]: nothing can ever point to it"
                ),
            );
            continue;
        }
        let mut rules = Vec::new();
        for r in o.rule {
            ck.claim_rule_id(file, &r.id);
            if r.because.trim().is_empty() {
                ck.report(
                    file,
                    r.id.span(),
                    format!(
                        "rule \"{}\" of \"{id}\" needs a `because`: the answers that point there, in words",
                        r.id.get_ref()
                    ),
                );
            }
            let when = compile_when(ck, file, names, questions, Scope::Answers, &r.when);
            if let Some(when) = when {
                rules.push(OutsideRule {
                    id: r.id.into_inner(),
                    when,
                    because: r.because,
                });
            }
        }
        out.push(Outside {
            id,
            name: o.name,
            about: o.about,
            source: o.source,
            rules,
        });
    }
    out
}
