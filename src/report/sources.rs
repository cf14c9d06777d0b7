//! Where the answers the runner did not give came from (`answers_from`):
//! a training log or the knee diary.

use schemars::JsonSchema;
use serde::Serialize;

use super::Report;
use crate::answers::Answers;
use crate::model::Pack;

/// One answer taken from somewhere other than the runner.
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct AnswerFrom {
    /// The answer's key, as in `answers`.
    pub key: String,
    pub from: AnswerSource,
    /// The answer in words ("pain that is getting worse"), for the human
    /// and Markdown reports.
    #[serde(skip)]
    pub phrase: String,
}

/// Where an answer the runner did not give came from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerSource {
    /// A training log given with `--training`.
    TrainingLog,
    /// The knee diary, with `--from-diary`.
    Diary,
}

impl AnswerSource {
    /// How the report says it, after the answer.
    pub fn words(self) -> &'static str {
        match self {
            AnswerSource::TrainingLog => "from your training log",
            AnswerSource::Diary => "from your knee diary",
        }
    }
}

impl Report {
    /// Records the answers the runner did not give (`filled`, from a
    /// training log or the knee diary) in `answers_from`, and marks the
    /// reasons and evidence that rest on them with where they came from:
    /// "pain that is getting worse (from your knee diary)".
    pub fn mark_answers_from(
        &mut self,
        pack: &Pack,
        answers: &Answers,
        filled: &[usize],
        source: AnswerSource,
    ) {
        for &q in filled {
            let key = &pack.questions[q].id;
            if answers.is_answered(q) && !self.answers_from.iter().any(|a| &a.key == key) {
                self.answers_from.push(AnswerFrom {
                    key: key.clone(),
                    from: source,
                    phrase: answers
                        .phrase(&pack.questions[q], q)
                        .unwrap_or_else(|| key.replace('_', " ")),
                });
            }
        }
        let from = source.words();
        let phrases: Vec<String> = filled
            .iter()
            .filter_map(|&q| answers.phrase(&pack.questions[q], q))
            .collect();
        let mark = |t: &mut String| {
            for p in &phrases {
                let marked = format!("{p} ({from})");
                if t.contains(p.as_str()) && !t.contains(&marked) {
                    *t = t.replacen(p.as_str(), &marked, 1);
                }
            }
        };
        for c in &mut self.causes {
            c.evidence.iter_mut().for_each(mark);
            c.against.iter_mut().for_each(mark);
        }
        self.triage.reasons.iter_mut().for_each(mark);
    }
}
