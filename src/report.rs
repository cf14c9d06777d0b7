//! The report: what the engine concluded, in words, with the reasons.
//!
//! [`Report`] is the contract's JSON document; the human renderer reads the
//! same struct, so the two can never disagree.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::answers::{Answers, join_words};
use crate::engine::{self, Assessment};
use crate::model::{Category, Cond, Level, Likelihood, Pack};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Report {
    /// `1`; raised only when a member changes meaning or is removed.
    #[schemars(range(min = 1, max = 1))]
    pub schema_version: u32,
    pub triage: Triage,
    pub causes: Vec<CauseReport>,
    /// Set when no cause reached `possible`, so silence is never mistaken
    /// for a clean bill of health.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_clear_pattern: Option<String>,
    pub advice: Vec<AdviceReport>,
    /// The answers as understood, with the contract's keys.
    pub answers: Map<String, Json>,
    pub disclaimer: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Triage {
    pub level: Level,
    pub label: String,
    /// What to do, in one sentence.
    pub action: String,
    /// Which answers set the level, and why they matter.
    pub reasons: Vec<String>,
    /// Ids of the triage rules that fired.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct CauseReport {
    pub id: String,
    #[schemars(with = "crate::model::CauseKind")]
    pub kind: &'static str,
    pub name: String,
    pub likelihood: Likelihood,
    /// Points over the cause's `likely` threshold, clamped to 0..1.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub score: f64,
    pub points: i32,
    /// Answers that pointed to it, each with its points: "locking (+3)".
    pub evidence: Vec<String>,
    /// Answers that counted against it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub against: Vec<String>,
    pub about: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct AdviceReport {
    pub id: String,
    pub category: Category,
    pub title: String,
    pub text: String,
    pub source: String,
}

impl Report {
    pub fn new(pack: &Pack, answers: &Answers) -> Report {
        let assessment = engine::assess(pack, answers);
        Report::from_assessment(pack, answers, &assessment)
    }

    pub fn from_assessment(pack: &Pack, answers: &Answers, a: &Assessment) -> Report {
        let level_text = pack.level_text(a.level);
        let mut reasons: Vec<String> = a
            .triage
            .iter()
            .map(|&i| {
                let rule = &pack.triage[i];
                match evidence(pack, &rule.when, answers) {
                    Some(ev) => format!("{ev}: {}", rule.reason),
                    None => rule.reason.clone(),
                }
            })
            .collect();
        if reasons.is_empty() {
            reasons.push(pack.meta.self_care_reason.clone());
        }
        let triage = Triage {
            level: a.level,
            label: level_text.label.clone(),
            action: level_text.action.clone(),
            reasons,
            rules: a
                .triage
                .iter()
                .map(|&i| pack.triage[i].id.clone())
                .collect(),
        };

        let causes: Vec<CauseReport> = a
            .causes
            .iter()
            .map(|cs| {
                let cause = &pack.causes[cs.cause];
                let mut evidence_lines = Vec::new();
                let mut against = Vec::new();
                for &ri in &cs.rules {
                    let rule = &cause.rules[ri];
                    let what = rule
                        .because
                        .clone()
                        .or_else(|| evidence(pack, &rule.when, answers))
                        .unwrap_or_else(|| rule.id.clone());
                    let line = format!("{what} ({:+})", rule.points);
                    if rule.points > 0 {
                        evidence_lines.push(line);
                    } else {
                        against.push(line);
                    }
                }
                CauseReport {
                    id: cause.id.clone(),
                    kind: cause.kind.as_str(),
                    name: cause.name.clone(),
                    likelihood: cs.likelihood,
                    score: cs.score(pack),
                    points: cs.points,
                    evidence: evidence_lines,
                    against,
                    about: cause.about.clone(),
                }
            })
            .collect();

        let no_clear_pattern = causes
            .iter()
            .all(|c| c.kind != "condition")
            .then(|| pack.meta.no_clear_pattern.clone());

        let advice = a
            .advice
            .iter()
            .map(|&i| {
                let item = &pack.advice[i];
                AdviceReport {
                    id: item.id.clone(),
                    category: item.category,
                    title: item.title.clone(),
                    text: item.text.clone(),
                    source: item.source.clone(),
                }
            })
            .collect();

        Report {
            schema_version: SCHEMA_VERSION,
            triage,
            causes,
            no_clear_pattern,
            advice,
            answers: answers.to_json(pack),
            disclaimer: pack.meta.disclaimer.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// The answers a firing condition rests on, in words.
fn evidence(pack: &Pack, cond: &Cond, answers: &Answers) -> Option<String> {
    let mut leaves = Vec::new();
    engine::evidence_leaves(cond, answers, &mut leaves);
    let phrases: Vec<String> = leaves
        .iter()
        .filter_map(|&(q, mask)| answers.phrase_within(&pack.questions[q], q, mask))
        .collect();
    if phrases.is_empty() {
        return None;
    }
    let refs: Vec<&str> = phrases.iter().map(String::as_str).collect();
    Some(join_words(&refs))
}
