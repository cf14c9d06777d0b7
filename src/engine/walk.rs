//! The tree walk: scoring, triage and advice evaluated rule by rule on the
//! condition trees; the reference the fast path is held to, and the path a
//! single assessment takes.

use super::eval::{Derived, eval, holds};
use super::prechecks::prechecks;
use super::{Assessment, CauseScore, Steps};
use crate::answers::Answers;
use crate::model::{Likelihood, Needs, Pack};

/// `assess`, with or without the prechecks (which must never change the
/// outcome; a test holds them to that).
pub(super) fn assess_with(pack: &Pack, answers: &Answers, use_prechecks: bool) -> Assessment {
    let pre = prechecks(pack);
    let answered = answers.answered_mask();
    let mut likelihoods = Vec::with_capacity(pack.causes.len());
    let mut possible = 0u64;
    let mut causes = Vec::new();
    let mut counted = Vec::new();
    for (ci, cause) in pack.causes.iter().enumerate() {
        let everything = u64::MAX;
        let known = if use_prechecks { answered } else { everything };
        let points = score(pack, &pre.rules[ci], ci, answers, known, &mut counted);
        let likelihood = if points >= cause.likely_at {
            Likelihood::Likely
        } else if points >= cause.possible_at {
            Likelihood::Possible
        } else {
            Likelihood::Unlikely
        };
        likelihoods.push(likelihood);
        if likelihood > Likelihood::Unlikely {
            if ci < 64 {
                possible |= 1 << ci;
            }
            causes.push(CauseScore {
                cause: ci,
                points,
                likelihood,
                rules: counted.clone(),
            });
        }
    }
    causes.sort_by(|a, b| {
        b.likelihood
            .cmp(&a.likelihood)
            .then(b.score(pack).total_cmp(&a.score(pack)))
            .then(b.points.cmp(&a.points))
            .then(a.cause.cmp(&b.cause))
    });

    let mut triage: Vec<usize> = (0..pack.triage.len())
        .filter(|&i| {
            (!use_prechecks || pre.triage[i].met_by(answered))
                && holds(&pack.triage[i].when, answers)
        })
        .collect();
    let (level, care) = super::level_and_care(pack, &mut triage);

    let derived = Derived {
        level,
        likelihoods: &likelihoods,
    };
    let advice: Vec<usize> = pre
        .advice_order
        .iter()
        .copied()
        .filter(|&i| match &pack.advice[i].when {
            Some(cond) => {
                (!use_prechecks || pre.advice[i].met(answered, level, possible))
                    && eval(cond, answers, Some(&derived)) == Some(true)
            }
            None => true,
        })
        .collect();

    Assessment {
        level,
        care,
        triage,
        causes,
        advice,
        steps: Steps::default(),
    }
}

/// A cause's points; `counted` gets the rules that counted: every firing
/// rule, but only the strongest of each group.
pub(super) fn score(
    pack: &Pack,
    needs: &[Needs],
    ci: usize,
    answers: &Answers,
    answered: u64,
    counted: &mut Vec<usize>,
) -> i32 {
    let rules = &pack.causes[ci].rules;
    counted.clear();
    for (ri, rule) in rules.iter().enumerate() {
        if !needs[ri].met_by(answered) || !holds(&rule.when, answers) {
            continue;
        }
        match rule.group {
            Some(g) => {
                let rival = counted
                    .iter()
                    .position(|&other| rules[other].group == Some(g));
                match rival {
                    Some(pos) if rules[counted[pos]].points >= rule.points => {}
                    Some(pos) => counted[pos] = ri,
                    None => counted.push(ri),
                }
            }
            None => counted.push(ri),
        }
    }
    counted.sort_unstable();
    counted.iter().map(|&ri| rules[ri].points).sum()
}
