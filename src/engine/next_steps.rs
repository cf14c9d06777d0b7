//! The next steps (running decision, recheck, what to do first): the stage
//! after the rules, driven by the pack's `[next_steps]`.

use super::eval::{Derived, eval};
use super::{Assessment, Steps};
use crate::answers::Answers;
use crate::model::{CauseKind, Level, Likelihood, Pack, Running};

/// The pain rule of these answers (index into `pack.pain_rules`): of the
/// rules whose `when` holds, the strictest; else the one for the top
/// condition; else the default.
fn pain_rule(pack: &Pack, answers: &Answers, a: &Assessment, derived: &Derived) -> Option<usize> {
    pack.pain_rules
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.when
                .as_ref()
                .is_some_and(|w| eval(w, answers, Some(derived)) == Some(true))
        })
        .min_by_key(|(_, r)| r.during_max)
        .map(|(i, _)| i)
        .or_else(|| {
            let top = a
                .causes
                .iter()
                .find(|c| pack.causes[c.cause].kind == CauseKind::Condition)
                .map(|c| pack.causes[c.cause].id.as_str());
            pack.pain_rule_index(top)
        })
}

/// Decides the next steps from the pack's `[next_steps]`: the running
/// decision (the most careful of the firing rules, else the level's), the
/// recheck (the fewest days of the firing rules, none when the level has
/// none), then leaves out the advice that disagrees with the running
/// decision, and ranks the rest by the weight of their firing candidates.
pub(super) fn next_steps(pack: &Pack, answers: &Answers, a: &mut Assessment) {
    // An item whose words promise a slower time than the care (v3: "within
    // a day or two" in a same-day report) is left out.
    a.advice
        .retain(|&i| !pack.advice[i].contradicts_care.contains(&a.care));
    let mut likelihoods = vec![Likelihood::Unlikely; pack.causes.len()];
    for cs in &a.causes {
        likelihoods[cs.cause] = cs.likelihood;
    }
    let derived = Derived {
        level: a.level,
        likelihoods: &likelihoods,
    };
    let pain = pain_rule(pack, answers, a, &derived);
    let Some(rules) = &pack.next_steps else {
        // A pack without `[next_steps]`: the level decides, nothing is ranked.
        a.steps = Steps {
            running: if a.level >= Level::Urgent {
                Running::Stop
            } else {
                Running::Reduce
            },
            first: a.advice.first().copied().into_iter().collect(),
            pain_rule: pain,
            ..Steps::default()
        };
        return;
    };
    let level = &rules.levels[a.level.index()];
    let mut steps = Steps {
        running: level.running,
        recheck_days: level.recheck_days,
        pain_rule: pain,
        ..Steps::default()
    };
    let mut decided: Option<(Running, usize)> = None;
    for (i, rule) in rules.rules.iter().enumerate() {
        if eval(&rule.when, answers, Some(&derived)) != Some(true) {
            continue;
        }
        steps.rules.push(i);
        if let Some(running) = rule.running
            && decided.is_none_or(|(r, _)| running > r)
        {
            decided = Some((running, i));
        }
        if let (Some(days), Some(now)) = (rule.recheck_days, steps.recheck_days) {
            steps.recheck_days = Some(now.min(days));
        }
    }
    steps.notes = rules
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| eval(&n.when, answers, Some(&derived)) == Some(true))
        .map(|(i, _)| i)
        .collect();
    if let Some((running, i)) = decided {
        steps.running = running;
        steps.running_rule = Some(i);
    }
    let running = steps.running;
    a.advice.retain(|&i| {
        let agrees = &pack.advice[i].running;
        agrees.is_empty() || agrees.contains(&running)
    });
    let mut weights: Vec<(usize, i32)> = Vec::new();
    for c in &rules.first {
        if !a.advice.contains(&c.advice)
            || c.when
                .as_ref()
                .is_some_and(|w| eval(w, answers, Some(&derived)) != Some(true))
        {
            continue;
        }
        match weights.iter_mut().find(|(i, _)| *i == c.advice) {
            Some((_, w)) => *w += c.weight,
            None => weights.push((c.advice, c.weight)),
        }
    }
    // Most weight first; on a tie, the report's order.
    let position = |i: usize| a.advice.iter().position(|&x| x == i).unwrap_or(usize::MAX);
    weights.sort_by(|x, y| y.1.cmp(&x.1).then(position(x.0).cmp(&position(y.0))));
    steps.first = weights
        .iter()
        .filter(|(_, w)| *w > 0)
        .take(rules.max_first)
        .map(|&(i, _)| i)
        .collect();
    if steps.first.is_empty()
        && let Some(&i) = a.advice.first()
    {
        steps.first.push(i);
    }
    steps.ranked = weights;
    a.steps = steps;
}
