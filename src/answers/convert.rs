//! Answers to and from JSON and TOML values (the contract's keys and
//! values); separate from the file reader, which adds places to errors.

use std::fmt::Write as _;

use serde_json::{Map, Value as Json};

use super::parse::{json_type, parse_json, question_index};
use super::read::number_out_of_range;
use super::{AnswerError, Answers, ID_KEY, RunnerId, Value};
use crate::model::{Pack, Question};

impl Answers {
    pub fn from_json_str(pack: &Pack, text: &str) -> Result<Answers, AnswerError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(AnswerError::Syntax {
                format: "JSON",
                message: "the input is empty; expected an object such as {\"location\": \"front\"}"
                    .into(),
            });
        }
        let json: Json = super::strict::parse_json_strict(text).map_err(|e| {
            number_out_of_range(pack, text, &e).unwrap_or_else(|| {
                let message = e.to_string();
                let (what, place) = message
                    .rfind(" at line ")
                    .map_or((message.as_str(), ""), |i| message.split_at(i));
                AnswerError::Syntax {
                    format: "JSON",
                    message: format!("{}{place}", super::strict::json_words_in(what, text)),
                }
            })
        })?;
        Answers::from_json(pack, &json)
    }

    pub fn from_toml_str(pack: &Pack, text: &str) -> Result<Answers, AnswerError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| AnswerError::Syntax {
            format: "TOML",
            message: e.message().trim().replace('\n', " "),
        })?;
        if let Some(e) = super::strict::non_finite(pack, &table) {
            return Err(e);
        }
        let json = serde_json::to_value(table).map_err(|e| AnswerError::Syntax {
            format: "TOML",
            message: e.to_string(),
        })?;
        Answers::from_json(pack, &json)
    }

    pub fn from_json(pack: &Pack, json: &Json) -> Result<Answers, AnswerError> {
        let Json::Object(map) = json else {
            return Err(AnswerError::NotAnObject {
                found: json_type(json).into(),
            });
        };
        let mut answers = Answers::new(pack);
        if let Some(id) = map.get(ID_KEY)
            && pack.question_index(ID_KEY).is_none()
        {
            answers.id = Some(RunnerId::from_json(id)?);
        }
        for (key, value) in map {
            if key == ID_KEY && pack.question_index(ID_KEY).is_none() {
                continue;
            }
            let q = question_index(pack, key)?;
            answers.set(q, parse_json(&pack.questions[q], value)?);
        }
        Ok(answers)
    }

    /// The answers as a JSON object with the contract's keys and values.
    pub fn to_json(&self, pack: &Pack) -> Map<String, Json> {
        let mut map = Map::new();
        for (q, question) in pack.questions.iter().enumerate() {
            if let Some(v) = self.get(q) {
                map.insert(question.id.clone(), value_json(question, v));
            }
        }
        map
    }

    /// The answers as TOML that [`Answers::from_toml_str`] reads back.
    pub fn to_toml(&self, pack: &Pack) -> String {
        let mut out = String::new();
        match &self.id {
            Some(RunnerId::Text(s)) => {
                let _ = writeln!(out, "{ID_KEY} = {}", toml::Value::String(s.clone()));
            }
            Some(RunnerId::Number(n)) => {
                let _ = writeln!(out, "{ID_KEY} = {n}");
            }
            None => {}
        }
        for (q, question) in pack.questions.iter().enumerate() {
            if let Some(v) = self.get(q) {
                let value = match value_json(question, v) {
                    Json::String(s) => toml::Value::String(s),
                    Json::Bool(b) => toml::Value::Boolean(b),
                    Json::Array(items) => toml::Value::Array(
                        items
                            .into_iter()
                            .filter_map(|i| i.as_str().map(|s| toml::Value::String(s.into())))
                            .collect(),
                    ),
                    Json::Number(n) => match n.as_i64() {
                        Some(i) => toml::Value::Integer(i),
                        None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
                    },
                    _ => continue,
                };
                let _ = writeln!(out, "{} = {}", question.id, value);
            }
        }
        out
    }
}

pub(super) fn value_json(q: &Question, v: Value) -> Json {
    match v {
        Value::Choice(i) => Json::String(
            q.options
                .get(i as usize)
                .map(|o| o.value.clone())
                .unwrap_or_default(),
        ),
        Value::Flag(b) => Json::Bool(b),
        Value::Num(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                Json::from(n as i64)
            } else {
                serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
            }
        }
        Value::Items(bits) => Json::Array(
            q.options
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, o)| Json::String(o.value.clone()))
                .collect(),
        ),
    }
}
