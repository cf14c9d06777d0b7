//! The report: what the engine concluded, in words, with the reasons.
//!
//! [`Report`] is the contract's JSON document; the human renderer reads the
//! same struct, so the two can never disagree.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::answers::{Answers, RunnerId, join_words};
use crate::engine::{self, Assessment};
use crate::model::{Care, Category, Cond, Level, Likelihood, PAIN_RULE, Pack, Running};

mod sources;

pub use sources::{AnswerFrom, AnswerSource};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Report {
    /// `1`; raised only when a member changes meaning or is removed.
    #[schemars(range(min = 1, max = 1))]
    pub schema_version: u32,
    /// The answers' `id` (a string or a whole number), when given: it names
    /// the runner or the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<RunnerId>,
    /// The program that wrote the report.
    pub tool: Tool,
    /// The content pack the report was made with.
    pub pack: PackInfo,
    pub triage: Triage,
    /// (v3) Ids of the warning questions left blank: those with an answer
    /// that would have raised this report to `urgent` or `emergency`.
    pub unanswered_warnings: Vec<String>,
    pub next_steps: NextSteps,
    /// Present when the answers point away from the knee itself: referred
    /// pain from the hip or back, a clot, an artery, an infection, an
    /// inflammatory arthritis or a bone tumour.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions_outside_knee: Vec<OutsideReport>,
    pub causes: Vec<CauseReport>,
    /// Set when no cause reached `possible`, so silence is never mistaken
    /// for a clean bill of health.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_clear_pattern: Option<String>,
    pub advice: Vec<AdviceReport>,
    /// The answers as understood, with the contract's keys.
    pub answers: Map<String, Json>,
    /// (v3) The answers the runner did not give (in flags, a file or the
    /// questionnaire), each with where it came from; left out when every
    /// answer is the runner's own, as in `batch`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers_from: Vec<AnswerFrom>,
    pub disclaimer: String,
    /// A parent answered about their child: the Markdown report gives the
    /// options in the words for the child. Not part of the JSON document.
    #[serde(skip)]
    pub for_child: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Tool {
    /// `knee-triage`.
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn this() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct PackInfo {
    pub name: String,
    pub version: String,
    /// Hex SHA-256 over the pack's files, the same for the embedded pack
    /// and for `--content` on the same files (see the README).
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub hash: String,
}

impl PackInfo {
    pub fn of(pack: &Pack) -> PackInfo {
        PackInfo {
            name: pack.meta.name.clone(),
            version: pack.meta.version.clone(),
            hash: pack.meta.hash.clone(),
        }
    }
}

/// One scoring rule that counted for or against a cause.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct RuleReport {
    /// The rule's id in the pack.
    pub id: String,
    /// Its points: positive for, negative against.
    pub points: i32,
    /// The answers it rests on, in words.
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Triage {
    pub level: Level,
    pub label: String,
    /// What to do, in one sentence: where and when (the care's words).
    pub action: String,
    /// Which answers set the level, and why they matter.
    pub reasons: Vec<String>,
    /// Ids of the triage rules that fired.
    pub rules: Vec<String>,
    /// (v3) Where and when: the most urgent care of the firing rules.
    pub care: Care,
    /// (v3) The care in words.
    pub care_text: String,
    /// Per reason: the level its rule sets and the answers it rests on in
    /// words, so the human report can give the level-setting reasons in
    /// full and the others briefly.
    #[serde(skip)]
    pub reason_parts: Vec<(Level, Vec<String>)>,
}

/// What to do first, in one place: whether to run, the one to three advice
/// items to do first, when to check again, and when to get help sooner.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct NextSteps {
    /// The one answer to "may I run?".
    pub running: Running,
    /// The running decision in words.
    pub running_text: String,
    /// The id of the pain rule `running_text` quotes (`plan.toml`): the
    /// plan and the diary use the same one.
    #[serde(skip)]
    pub pain_rule: Option<String>,
    /// Ids of the advice items to do first (each also in `advice`), most
    /// important first.
    #[schemars(length(min = 1, max = 3))]
    pub first: Vec<String>,
    /// After how many days to check again; `null` at `emergency` and
    /// `urgent`, where the knee is to be seen instead.
    pub recheck_days: Option<u32>,
    /// When to get help (sooner), in one sentence.
    pub get_help: String,
    /// Ids of the pack's next-steps rules that fired.
    pub rules: Vec<String>,
    /// (v3) Lines the first screen carries: the hip line for a runner
    /// under 18, what a risk factor alone means.
    pub notes: Vec<String>,
    /// Every advice id of the report, most weight first, then the rest in
    /// report order: the order the human report shows them in.
    #[serde(skip)]
    pub ranked: Vec<String>,
}

impl NextSteps {
    fn new(pack: &Pack, a: &Assessment) -> NextSteps {
        let steps = &a.steps;
        let (running_text, get_help, rules) = match &pack.next_steps {
            Some(r) => {
                let level = &r.levels[a.level.index()];
                let text = steps
                    .running_rule
                    .and_then(|i| r.rules[i].running_text.clone())
                    .unwrap_or_else(|| level.running_text.clone());
                // The pain rule the engine chose (a bone at risk, a
                // child, else the top condition's), as the plan and the
                // diary use it.
                let text = match steps.pain_rule.and_then(|i| pack.pain_rules.get(i)) {
                    Some(rule) => text.replace(PAIN_RULE, &rule.short),
                    None => text,
                };
                let ids = steps.rules.iter().map(|&i| r.rules[i].id.clone()).collect();
                (text, level.get_help.clone(), ids)
            }
            None => (
                pack.level_text(a.level).action.clone(),
                pack.meta.disclaimer.clone(),
                Vec::new(),
            ),
        };
        NextSteps {
            running: steps.running,
            pain_rule: steps
                .pain_rule
                .and_then(|i| pack.pain_rules.get(i))
                .map(|r| r.id.clone()),
            running_text,
            first: steps
                .first
                .iter()
                .map(|&i| pack.advice[i].id.clone())
                .collect(),
            recheck_days: steps.recheck_days,
            get_help,
            rules,
            notes: match &pack.next_steps {
                Some(r) => steps
                    .notes
                    .iter()
                    .map(|&i| r.notes[i].text.clone())
                    .collect(),
                None => Vec::new(),
            },
            ranked: steps
                .ranked
                .iter()
                .map(|&(i, _)| i)
                .chain(
                    a.advice
                        .iter()
                        .copied()
                        .filter(|i| !steps.ranked.iter().any(|(r, _)| r == i)),
                )
                .map(|i| pack.advice[i].id.clone())
                .collect(),
        }
    }
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
    /// Answers that counted against it (an empty list when none did).
    pub against: Vec<String>,
    /// The scoring rules that counted, for and against, in pack order.
    pub rules: Vec<RuleReport>,
    pub about: String,
    /// How long the condition usually takes to settle (conditions only;
    /// left out for a factor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settles: Option<String>,
    /// The cause's thresholds in points, for the renderers ("likely (9
    /// points; 7 needed)").
    #[serde(skip)]
    pub possible_at: i32,
    #[serde(skip)]
    pub likely_at: i32,
}

/// A condition outside the knee itself that the answers point to.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct OutsideReport {
    /// One of `hip`, `back`, `blood-clot`, `artery-or-compartment`,
    /// `infection`, `inflammatory-arthritis`, `bone-tumour`.
    pub id: String,
    pub name: String,
    /// The answers that point there, in words.
    pub because: String,
    /// What it is, in a sentence or two.
    pub about: String,
}

/// The conditions outside the knee that the answers point to, in pack
/// order, each with the answers of every rule of it that fired.
pub fn outside_knee(pack: &Pack, answers: &Answers) -> Vec<OutsideReport> {
    pack.outside
        .iter()
        .filter_map(|o| {
            let because: Vec<&str> = o
                .rules
                .iter()
                .filter(|r| engine::holds(&r.when, answers))
                .map(|r| r.because.as_str())
                .collect();
            (!because.is_empty()).then(|| OutsideReport {
                id: o.id.clone(),
                name: o.name.clone(),
                because: join_words(&because),
                about: o.about.clone(),
            })
        })
        .collect()
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
    /// The conditions among the causes, most likely first.
    pub fn conditions(&self) -> Vec<&CauseReport> {
        self.causes
            .iter()
            .filter(|c| c.kind == "condition")
            .collect()
    }

    /// The advice grouped by category, in the contract's category order;
    /// empty categories are left out.
    pub fn advice_by_category(&self) -> Vec<(Category, Vec<&AdviceReport>)> {
        Category::ALL
            .into_iter()
            .map(|c| {
                (
                    c,
                    self.advice
                        .iter()
                        .filter(|a| a.category == c)
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, items)| !items.is_empty())
            .collect()
    }

    /// The advice grouped by category, ranked: within a group the items in
    /// `next_steps` rank order (how much each addresses what was found),
    /// and the groups in the order of their best item, so what matters
    /// most for these answers comes first whatever its category.
    pub fn advice_ranked(&self) -> Vec<(Category, Vec<&AdviceReport>)> {
        let rank = |a: &AdviceReport| {
            self.next_steps
                .ranked
                .iter()
                .position(|id| *id == a.id)
                .unwrap_or(usize::MAX)
        };
        let mut groups = self.advice_by_category();
        for (_, items) in &mut groups {
            items.sort_by_key(|a| rank(a));
        }
        // Stable: groups whose best items tie keep the category order.
        groups.sort_by_key(|(_, items)| items.first().map_or(usize::MAX, |a| rank(a)));
        groups
    }

    /// The contributing factors among the causes, most likely first.
    pub fn factors(&self) -> Vec<&CauseReport> {
        self.causes.iter().filter(|c| c.kind == "factor").collect()
    }

    pub fn new(pack: &Pack, answers: &Answers) -> Report {
        let assessment = engine::assess(pack, answers);
        Report::from_assessment(pack, answers, &assessment)
    }

    pub fn from_assessment(pack: &Pack, answers: &Answers, a: &Assessment) -> Report {
        let level_text = pack.level_text(a.level);
        let unanswered = engine::unanswered_warnings(pack, answers, a.level);
        let reasons = triage_reasons(pack, answers, a, !unanswered.is_empty());
        let care_text = pack.care_text(a.care).to_string();
        let triage = Triage {
            level: a.level,
            label: level_text.label.clone(),
            action: care_text.clone(),
            reasons,
            rules: a
                .triage
                .iter()
                .map(|&i| pack.triage[i].id.clone())
                .collect(),
            care: a.care,
            care_text,
            reason_parts: a
                .triage
                .iter()
                .map(|&i| {
                    let rule = &pack.triage[i];
                    (rule.level, evidence_phrases(pack, &rule.when, answers))
                })
                .collect(),
        };

        let causes: Vec<CauseReport> = a
            .causes
            .iter()
            .map(|cs| {
                let cause = &pack.causes[cs.cause];
                let (evidence_lines, against, rules) = cause_evidence(pack, answers, cs);
                CauseReport {
                    id: cause.id.clone(),
                    kind: cause.kind.as_str(),
                    name: cause.name.clone(),
                    likelihood: cs.likelihood,
                    score: cs.score(pack),
                    points: cs.points,
                    evidence: evidence_lines,
                    against,
                    rules,
                    about: cause.about.clone(),
                    settles: cause.settles.as_ref().map(|t| t.text.clone()),
                    possible_at: cause.possible_at,
                    likely_at: cause.likely_at,
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
            id: answers.id().cloned(),
            tool: Tool::this(),
            pack: PackInfo::of(pack),
            triage,
            unanswered_warnings: unanswered
                .iter()
                .map(|&q| pack.questions[q].id.clone())
                .collect(),
            next_steps: NextSteps::new(pack, a),
            conditions_outside_knee: outside_knee(pack, answers),
            causes,
            no_clear_pattern,
            advice,
            answers: answers.to_json(pack),
            answers_from: Vec::new(),
            disclaimer: pack.meta.disclaimer.clone(),
            for_child: answers.for_child(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Which answers set the level, and why each matters.
pub(crate) fn triage_reasons(
    pack: &Pack,
    answers: &Answers,
    a: &Assessment,
    unanswered: bool,
) -> Vec<String> {
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
        // Silence is not a clean bill of health when warning questions
        // were left blank.
        let reason = match (&pack.meta.unanswered_reason, unanswered) {
            (Some(r), true) => r,
            _ => &pack.meta.self_care_reason,
        };
        reasons.push(reason.clone());
    }
    reasons
}

/// A cause's evidence lines: the answers for it, those against it, and
/// every rule that counted with its points.
pub(crate) fn cause_evidence(
    pack: &Pack,
    answers: &Answers,
    cs: &engine::CauseScore,
) -> (Vec<String>, Vec<String>, Vec<RuleReport>) {
    let cause = &pack.causes[cs.cause];
    let mut evidence_lines = Vec::new();
    let mut against = Vec::new();
    let mut rules = Vec::new();
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
        rules.push(RuleReport {
            id: rule.id.clone(),
            points: rule.points,
            text: what,
        });
    }
    (evidence_lines, against, rules)
}

mod line;
pub use line::LineWriter;

/// The answers a firing condition rests on, each in words.
pub(crate) fn evidence_phrases(pack: &Pack, cond: &Cond, answers: &Answers) -> Vec<String> {
    let mut leaves = Vec::new();
    engine::evidence_leaves(cond, answers, &mut leaves);
    leaves
        .iter()
        .filter_map(|&(q, mask)| answers.phrase_within(&pack.questions[q], q, mask))
        .collect()
}

/// The answers a firing condition rests on, in words.
pub(crate) fn evidence(pack: &Pack, cond: &Cond, answers: &Answers) -> Option<String> {
    let phrases = evidence_phrases(pack, cond, answers);
    if phrases.is_empty() {
        return None;
    }
    let refs: Vec<&str> = phrases.iter().map(String::as_str).collect();
    Some(join_words(&refs))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast writer and the serde document agree byte for byte, on the
    /// public vignettes and on answers that set every question in turn.
    #[test]
    fn line_writer_matches_to_json_line() {
        let pack = crate::content::load_from(None).expect("pack");
        let writer = LineWriter::new(&pack);
        let mut inputs: Vec<String> = include_str!("../tests/fixtures/vignettes-public.jsonl")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Json = serde_json::from_str(l).expect("fixture JSON");
                v["answers"].to_string()
            })
            .collect();
        inputs.extend([
            r#"{"location": "front"}"#.to_owned(),
            r#"{"id": "Ann \"A\" Lee", "location": "front"}"#.to_owned(),
            r#"{"id": 42, "location": "inner", "onset": "gradual", "age": 60}"#.to_owned(),
            r#"{"location": "diffuse", "fever": true, "red_hot": true}"#.to_owned(),
            r#"{"location": "back", "calf_swelling": true, "numbness": true}"#.to_owned(),
            r#"{"location": "front", "onset": "gradual", "weekly_km": 80.5, "shoe_km": 900, "mileage_increase_pct": 55, "overstriding": true, "tight_muscles": true, "feet_roll_in": true, "strength_sessions": 0, "rest_days": 0, "surface": "road"}"#.to_owned(),
            r#"{"location": "below-kneecap", "worse_with": ["jumping", "stairs", "squatting", "kneeling"], "tender_spot": "patellar-tendon", "duration_days": 90}"#.to_owned(),
            r#"{"location": "inner", "onset": "sudden", "mechanism": "twist", "heard_pop": true, "swelling": "marked", "swelling_onset": "rapid", "giving_way": true}"#.to_owned(),
        ]);
        for text in &inputs {
            let answers = Answers::from_json_str(&pack, text).expect("valid answers");
            let a = engine::assess(&pack, &answers);
            let mut line = Vec::new();
            writer.write(&answers, &a, &mut line);
            assert_eq!(
                String::from_utf8(line).expect("UTF-8"),
                Report::from_assessment(&pack, &answers, &a).to_json_line(),
                "answers: {text}"
            );
        }
    }
}
