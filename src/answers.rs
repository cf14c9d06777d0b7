//! A runner's answers, checked against the pack's questions.
//!
//! Answers arrive as JSON, TOML or flag text; all three go through the same
//! checks, so a bad value gets the same one-line message (field, value given,
//! values allowed) whichever way it came in.

mod convert;
mod format;
mod parse;
mod read;
mod strict;

pub use format::{allowed, format_number, join_words};
pub use parse::{
    KM_PER_MILE, is_distance, parse_bool, parse_days, parse_distance_km, parse_text,
    question_index, value_hint,
};
pub use read::{Format, read_answers_text};
pub use strict::parse_json_strict;

use serde_json::Value as Json;

use crate::model::{Pack, Question};
use parse::json_type;

/// One checked answer. Choices and list items are option indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Choice(u8),
    Flag(bool),
    Num(f64),
    /// A bit per option of a list question.
    Items(u64),
}

/// The answers to one assessment, indexed like `pack.questions`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answers {
    values: Vec<Option<Value>>,
    /// The `id` that names the runner or the row: not an answer, echoed in
    /// the report.
    id: Option<RunnerId>,
    /// Given by a parent about their child (the questionnaire's "who are
    /// you answering for?"): the report words the yes/no answers and the
    /// options for the child. Not an answer, and not saved.
    for_child: bool,
}

/// An answers object's `id`: a string or a whole number, echoed as given.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(untagged)]
pub enum RunnerId {
    Number(i64),
    Text(String),
}

impl std::fmt::Display for RunnerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunnerId::Number(n) => write!(f, "{n}"),
            RunnerId::Text(s) => f.write_str(s),
        }
    }
}

/// The key that names the runner in an answers object.
pub const ID_KEY: &str = "id";

impl RunnerId {
    /// Reads an `id` value: a string or a whole number.
    pub fn from_json(value: &Json) -> Result<RunnerId, AnswerError> {
        match value {
            Json::String(s) => Ok(RunnerId::Text(s.clone())),
            Json::Number(n) if n.as_i64().is_some() => {
                Ok(RunnerId::Number(n.as_i64().unwrap_or_default()))
            }
            other => Err(AnswerError::BadValue {
                key: ID_KEY.into(),
                given: match other {
                    Json::Number(n) => n.to_string(),
                    _ => json_type(other).into(),
                },
                allowed: "a text or a whole number that names the runner".into(),
            }),
        }
    }
}

/// Why answers were refused. Every message names the field, what was given
/// and what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    #[error("unknown answer key \"{key}\"{hint}; allowed keys: {allowed}")]
    UnknownKey {
        key: String,
        hint: String,
        allowed: String,
    },
    #[error("invalid value for {key}: {given}; allowed: {allowed}")]
    BadValue {
        key: String,
        given: String,
        allowed: String,
    },
    #[error("missing answer: {key} is required; allowed: {allowed}")]
    Missing { key: String, allowed: String },
    #[error("answers must be a JSON object of key: value pairs, found {found}")]
    NotAnObject { found: String },
    #[error("cannot read answers as {format}: {message}")]
    Syntax {
        format: &'static str,
        message: String,
    },
    /// Any of the above, already told with the file and the place.
    #[error("{message}")]
    Located { message: String },
}

impl Answers {
    pub fn new(pack: &Pack) -> Answers {
        Answers {
            values: vec![None; pack.questions.len()],
            id: None,
            for_child: false,
        }
    }

    /// Whether a parent gave these answers about their child.
    pub fn for_child(&self) -> bool {
        self.for_child
    }

    pub fn set_for_child(&mut self, for_child: bool) {
        self.for_child = for_child;
    }

    /// The runner's `id`, when the answers carry one.
    pub fn id(&self) -> Option<&RunnerId> {
        self.id.as_ref()
    }

    pub fn set_id(&mut self, id: Option<RunnerId>) {
        self.id = id;
    }

    pub fn get(&self, q: usize) -> Option<Value> {
        self.values.get(q).copied().flatten()
    }

    pub fn set(&mut self, q: usize, value: Option<Value>) {
        if q >= self.values.len() {
            self.values.resize(q + 1, None);
        }
        self.values[q] = value;
    }

    pub fn is_answered(&self, q: usize) -> bool {
        self.get(q).is_some()
    }

    /// A bit per answered question (the first 64).
    pub fn answered_mask(&self) -> u64 {
        self.values
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .fold(0, |m, (i, _)| m | 1 << i)
    }

    /// Count of answered questions.
    pub fn len(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lays `other`'s answers over these (flags over a file).
    pub fn overlay(&mut self, other: &Answers) {
        for (q, v) in other.values.iter().enumerate() {
            if v.is_some() {
                self.set(q, *v);
            }
        }
        if other.id.is_some() {
            self.id.clone_from(&other.id);
        }
    }
    /// Sets one answer from flag text (`--duration-days 3w`).
    pub fn set_text(&mut self, pack: &Pack, q: usize, text: &str) -> Result<(), AnswerError> {
        let value = parse_text(&pack.questions[q], text)?;
        self.set(q, Some(value));
        Ok(())
    }

    /// Every required question must be answered before assessing.
    pub fn check_required(&self, pack: &Pack) -> Result<(), AnswerError> {
        match pack
            .questions
            .iter()
            .enumerate()
            .find(|(i, q)| q.required && !self.is_answered(*i))
        {
            Some((_, q)) => Err(AnswerError::Missing {
                key: q.id.clone(),
                allowed: allowed(q),
            }),
            None => Ok(()),
        }
    }
    /// How the report names this answer in an evidence line.
    pub fn phrase(&self, question: &Question, q: usize) -> Option<String> {
        self.phrase_within(question, q, u64::MAX)
    }

    /// Like [`Answers::phrase`], naming only list items in `mask`.
    pub fn phrase_within(&self, question: &Question, q: usize, mask: u64) -> Option<String> {
        Some(match self.get(q)? {
            Value::Choice(i) => question.options.get(i as usize)?.phrase.clone(),
            Value::Flag(true) => match &question.child_yes {
                Some(child) if self.for_child => child.clone(),
                _ => question.yes.clone(),
            },
            Value::Flag(false) => match &question.child_no {
                Some(child) if self.for_child => child.clone(),
                _ => question.no.clone(),
            },
            Value::Num(n) => match &question.phrase_one {
                Some(one) if n == 1.0 => one.replace("{value}", &format_number(n)),
                _ => question.phrase.replace("{value}", &format_number(n)),
            },
            Value::Items(bits) => {
                let items: Vec<&str> = question
                    .options
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| bits & mask & (1 << i) != 0)
                    .map(|(_, o)| o.phrase.as_str())
                    .collect();
                if items.is_empty() {
                    return None;
                }
                join_words(&items)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_days("10"), Some(10));
        assert_eq!(parse_days("10d"), Some(10));
        assert_eq!(parse_days("3w"), Some(21));
        assert_eq!(parse_days(" 2M "), Some(60));
        assert_eq!(parse_days("w"), None);
        assert_eq!(parse_days("-3d"), None);
        assert_eq!(parse_days("1.5w"), None);
        assert_eq!(parse_days("99999999999999999999d"), None);
        assert_eq!(parse_days("10 days"), Some(10));
        assert_eq!(parse_days("1 day"), Some(1));
        assert_eq!(parse_days("3 weeks"), Some(21));
        assert_eq!(parse_days("3 Weeks"), Some(21));
        assert_eq!(parse_days("2 months"), Some(60));
        assert_eq!(parse_days("2mo"), Some(60));
        assert_eq!(parse_days("3 fortnights"), None);
        assert_eq!(parse_days("weeks"), None);
        assert_eq!(parse_days(""), None);
    }

    #[test]
    fn distances() {
        assert_eq!(parse_distance_km("25"), Some(25.0));
        assert_eq!(parse_distance_km("25km"), Some(25.0));
        assert_eq!(parse_distance_km("12.5 km"), Some(12.5));
        assert_eq!(parse_distance_km("25mi"), Some(40.2));
        assert_eq!(parse_distance_km("25 mi"), Some(40.2));
        assert_eq!(parse_distance_km("10 miles"), Some(16.1));
        assert_eq!(parse_distance_km("25 furlongs"), None);
        assert_eq!(parse_distance_km("mi"), None);
        assert_eq!(parse_distance_km("1e400"), None);
    }

    #[test]
    fn booleans() {
        for t in ["yes", "YES", "true", "y", "1", "on"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for t in ["no", "False", "n", "0", "off"] {
            assert_eq!(parse_bool(t), Some(false), "{t}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(format_number(40.0), "40");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(-10.0), "-10");
    }

    #[test]
    fn words_join_like_a_sentence() {
        assert_eq!(join_words(&["a"]), "a");
        assert_eq!(join_words(&["a", "b"]), "a and b");
        assert_eq!(join_words(&["a", "b", "c"]), "a, b and c");
    }

    mod reader {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 256,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            /// Any text, in any of the three modes, gives answers or one
            /// error line, never a panic; an error names the input.
            #[test]
            fn any_text_is_read_or_refused_with_its_name(
                text in prop_oneof![
                    ".{0,80}",
                    "[a-z_ ]{1,12}= ?[\"a-z0-9 ,\\[\\]{}:]{0,20}\n[a-z_ ]{0,12}=? ?[a-z\"]{0,8}",
                    "\\{ ?\"[a-z_]{1,12}\" ?: ?[\"a-z0-9 ,\\[\\]{}é]{0,20}\\}?",
                ],
                mode in 0..3usize,
            ) {
                let pack = crate::content::load_from(None).expect("pack");
                let expected = [None, Some(Format::Json), Some(Format::Toml)][mode];
                if let Err(e) = read_answers_text(&pack, "f.txt", &text, expected) {
                    let message = e.to_string();
                    prop_assert!(message.starts_with("f.txt"), "{message}");
                    prop_assert!(!message.contains('\n'), "{message}");
                }
            }
        }
    }
}
