//! JSON read strictly (a key given twice is an error, as in TOML) and TOML
//! numbers JSON cannot hold (`nan`, `inf`), refused naming the answer.

use serde_json::{Map, Value as Json};

use super::AnswerError;
use super::parse::{bad, question_index, shown};
use super::read::json_words;
use crate::model::Pack;

/// How a key given twice is told, in JSON as in TOML.
pub(super) const GIVEN_TWICE: &str = "the answer is given twice; give each answer once";

/// Parses JSON, refusing a key given twice in any object: serde_json would
/// keep the last silently, so `"cannot_bear_weight": true` could be undone
/// by a later `false` without a word.
pub fn parse_json_strict(text: &str) -> Result<Json, serde_json::Error> {
    serde_json::from_str::<Strict>(text).map(|s| s.0)
}

/// A JSON value read by [`parse_json_strict`].
struct Strict(Json);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("not a finite number"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(StrictVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "{}: {GIVEN_TWICE}",
                    shown(&key).trim_matches('"')
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Json::Object(out))
    }
}

/// TOML reads `nan` and `inf` as floats, which JSON cannot hold: refused
/// naming the answer, as they are in JSON and as flags.
pub(super) fn non_finite(pack: &Pack, table: &toml::Table) -> Option<AnswerError> {
    table.iter().find_map(|(key, v)| match v {
        toml::Value::Float(f) if !f.is_finite() => {
            let given = if f.is_nan() {
                "nan".to_owned()
            } else if *f > 0.0 {
                "inf".to_owned()
            } else {
                "-inf".to_owned()
            };
            Some(match question_index(pack, key) {
                Ok(q) => bad(&pack.questions[q], format!("{given} (not a number)")),
                Err(e) => e,
            })
        }
        _ => None,
    })
}

/// [`json_words`], with a better hint when the text holds `NaN` or
/// `Infinity`, which JSON has no word for.
pub(super) fn json_words_in(message: &str, text: &str) -> String {
    if message.starts_with("expected value") {
        let word = ["NaN", "-Infinity", "Infinity", "nan", "-inf", "inf"]
            .into_iter()
            .find(|w| {
                text.match_indices(w)
                    .any(|(i, _)| text[..i].trim_end().ends_with([':', '[', ',']))
            });
        if let Some(w) = word {
            return format!(
                "{message} ({w} is not a number in JSON: give a number, or leave the answer out)"
            );
        }
    }
    json_words(message)
}
