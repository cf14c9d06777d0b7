//! A factor resting on one answer is at most `possible` (issue 18): the
//! exact search of the parent module, asked whether some answers make a
//! factor likely while every rule that adds points needs the same answer.

use super::{Analyser, Finding, Outcome, Severity, Subject, Want};

/// A factor resting on one answer is at most `possible`: no answers may
/// make it likely while every rule that adds points needs the same answer
/// (so that without that one answer it would have no points at all). For
/// each answer a rule of the factor needs, the search looks for answers
/// that reach `likely_at` with the rules that do not need it silent.
pub(super) fn likely_on_one_answer(a: &Analyser, ci: usize) -> Option<Finding> {
    let cause = &a.pack.causes[ci];
    let positive: Vec<(&crate::model::ScoreRule, Vec<usize>)> = cause
        .rules
        .iter()
        .filter(|r| r.points > 0)
        .map(|r| (r, r.when.needed_answers()))
        .collect();
    let mut tried: Vec<usize> = Vec::new();
    for q in positive.iter().flat_map(|(_, needs)| needs.iter().copied()) {
        if tried.contains(&q) {
            continue;
        }
        tried.push(q);
        let mut wants = vec![Want::Points {
            cause: ci,
            at_least: cause.likely_at,
        }];
        wants.extend(
            positive
                .iter()
                .filter(|(_, needs)| !needs.contains(&q))
                .map(|(r, _)| Want::Silent(&r.when)),
        );
        if a.search(&wants, None) == Outcome::Found {
            let rules: Vec<&str> = positive
                .iter()
                .filter(|(_, needs)| needs.contains(&q))
                .map(|(r, _)| r.id.as_str())
                .collect();
            return Some(Finding {
                severity: Severity::Error,
                subject: Subject::CauseLikely(ci),
                message: format!(
                    "factor \"{}\" can be likely on the answer \"{}\" alone (rules {}): a factor resting on one answer is at most possible, so raise likely_at or lower their points",
                    cause.id,
                    a.pack.questions[q].id,
                    rules.join(", ")
                ),
            });
        }
    }
    None
}
