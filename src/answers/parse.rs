//! Parsing one value for one question, forgivingly (`3w`, `25mi`, `yes`),
//! with messages that say what is allowed; shared by flags and files.

use serde_json::Value as Json;

use super::format::{allowed, join_words};
use super::{AnswerError, Value};
use crate::content::did_you_mean;
use crate::model::{Pack, Question, QuestionKind};

pub fn question_index(pack: &Pack, key: &str) -> Result<usize, AnswerError> {
    pack.question_index(key).ok_or_else(|| {
        let ids = pack.questions.iter().map(|q| q.id.as_str());
        let hint = match did_you_mean(key, ids) {
            Some(s) => format!(" (did you mean \"{s}\"?)"),
            None => String::new(),
        };
        AnswerError::UnknownKey {
            key: key.to_owned(),
            hint,
            allowed: pack
                .questions
                .iter()
                .map(|q| q.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    })
}

pub(super) fn bad(q: &Question, given: String) -> AnswerError {
    AnswerError::BadValue {
        key: q.id.clone(),
        given,
        allowed: allowed(q),
    }
}

pub(super) fn json_type(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Shortens what the user gave so an error stays one readable line.
pub(super) fn shown(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() > 60 {
        format!("\"{}…\"", clean.chars().take(60).collect::<String>())
    } else {
        format!("\"{clean}\"")
    }
}

pub(super) fn parse_json(q: &Question, value: &Json) -> Result<Option<Value>, AnswerError> {
    let given = || match value {
        Json::String(s) => shown(s),
        Json::Array(_) | Json::Object(_) => json_type(value).to_owned(),
        other => {
            let s = other.to_string();
            if s.len() > 60 {
                json_type(value).to_owned()
            } else {
                s
            }
        }
    };
    let parsed = match (q.kind, value) {
        (_, Json::Null) => return Ok(None),
        (_, Json::String(s)) if q.kind != QuestionKind::List => parse_text(q, s)?,
        (QuestionKind::Bool, Json::Bool(b)) => Value::Flag(*b),
        (QuestionKind::Int | QuestionKind::Days, Json::Number(n)) => {
            let v = n.as_f64().filter(|v| v.is_finite() && v.fract() == 0.0);
            match v {
                Some(v) => number_in_range(q, v, given)?,
                None => return Err(bad(q, given())),
            }
        }
        (QuestionKind::Number, Json::Number(n)) => match n.as_f64().filter(|v| v.is_finite()) {
            Some(v) => number_in_range(q, v, given)?,
            None => return Err(bad(q, given())),
        },
        (QuestionKind::List, Json::String(s)) => parse_text(q, s)?,
        (QuestionKind::List, Json::Array(items)) => {
            let mut bits = 0u64;
            for item in items {
                let Json::String(s) = item else {
                    return Err(bad(q, format!("a list holding {}", json_type(item))));
                };
                bits |= 1 << option(q, s)?;
            }
            Value::Items(bits)
        }
        _ => return Err(bad(q, given())),
    };
    Ok(Some(parsed))
}

pub(super) fn number_in_range(
    q: &Question,
    v: f64,
    given: impl Fn() -> String,
) -> Result<Value, AnswerError> {
    let low = q.min.is_some_and(|lo| v < lo);
    let high = q.max.is_some_and(|hi| v > hi);
    if low || high {
        return Err(bad(q, given()));
    }
    Ok(Value::Num(v))
}

pub(super) fn option(q: &Question, text: &str) -> Result<usize, AnswerError> {
    let t = text.trim();
    q.option_index(t)
        .ok_or_else(|| bad(q, format!("{}{}", shown(text), value_hint(q, t))))
}

/// ` (did you mean "front"?)` for a near miss of an option value or a word
/// from an option's label; empty when nothing is close.
pub fn value_hint(q: &Question, text: &str) -> String {
    match did_you_mean(text.trim(), q.option_values()) {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => label_hint(q, text),
    }
}

/// A word from the options' labels (`kneecap`, `medial`) names the values
/// whose label holds it: ` (did you mean "front" (around or behind the
/// kneecap)?)`.
pub(super) fn label_hint(q: &Question, text: &str) -> String {
    let word = text.trim().to_lowercase();
    if word.chars().count() < 4 || !word.chars().all(char::is_alphabetic) {
        return String::new();
    }
    let holds = |label: &str| {
        label
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == word || w.strip_suffix('s') == Some(word.as_str()))
    };
    let found: Vec<String> = q
        .options
        .iter()
        .filter(|o| holds(&o.label))
        .map(|o| {
            let short = o.label.split('(').next().unwrap_or("").trim();
            format!("\"{}\" [{}]", o.value, short.to_lowercase())
        })
        .collect();
    if found.is_empty() {
        return String::new();
    }
    let refs: Vec<&str> = found.iter().map(String::as_str).collect();
    format!(
        " (did you mean {}?)",
        join_words(&refs).replacen(" and ", " or ", 1)
    )
}

/// Parses text for any question type: flags, and strings in files.
pub fn parse_text(q: &Question, text: &str) -> Result<Value, AnswerError> {
    let t = text.trim();
    match q.kind {
        QuestionKind::Enum => Ok(Value::Choice(option(q, t)? as u8)),
        QuestionKind::List => {
            let mut bits = 0u64;
            for item in t.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                bits |= 1 << option(q, item)?;
            }
            Ok(Value::Items(bits))
        }
        QuestionKind::Bool => match parse_bool(t) {
            Some(b) => Ok(Value::Flag(b)),
            None => Err(bad(q, shown(text))),
        },
        QuestionKind::Int => match t.parse::<i64>() {
            Ok(v) if v.unsigned_abs() < 1 << 53 => number_in_range(q, v as f64, || shown(text)),
            _ => Err(bad(q, shown(text))),
        },
        QuestionKind::Number if is_distance(q) => match parse_distance_km(t) {
            Some(v) => number_in_range(q, v, || shown(text)),
            None => Err(bad(q, shown(text))),
        },
        QuestionKind::Number => match t.parse::<f64>() {
            Ok(v) if v.is_finite() => number_in_range(q, v, || shown(text)),
            _ => Err(bad(q, shown(text))),
        },
        QuestionKind::Days => match parse_days(t) {
            Some(days) => number_in_range(q, days as f64, || shown(text)),
            None => Err(bad(q, shown(text))),
        },
    }
}

/// Whether a number question is a distance in kilometres, so it also takes
/// miles (`25mi`).
pub fn is_distance(q: &Question) -> bool {
    q.kind == QuestionKind::Number && q.unit.as_deref() == Some("km")
}

/// `true`, `yes`, `y`, `1`, `on` and `false`, `no`, `n`, `0`, `off`, in any case.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "on" => Some(true),
        "false" | "no" | "n" | "0" | "off" => Some(false),
        _ => None,
    }
}

/// A duration as whole days: `10`, `10d`, `10 days`, `3w`, `3 weeks`,
/// `2m`, `2 months` (a month is 30 days), in any case. `None` for anything
/// else (a fraction, a negative number, an unknown unit, an overflow).
pub fn parse_days(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let per = match unit.trim() {
        "" | "d" | "day" | "days" => 1,
        "w" | "wk" | "wks" | "week" | "weeks" => 7,
        "m" | "mo" | "month" | "months" => 30,
        _ => return None,
    };
    if digits.is_empty() {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(per)
}

/// Kilometres per mile.
pub const KM_PER_MILE: f64 = 1.609_344;

/// A distance in kilometres: `25` and `25km` are kilometres, `25mi`,
/// `25 mi` and `25 miles` are miles (converted, to 0.1 km). `None` for
/// anything else.
pub fn parse_distance_km(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let per = match unit.trim() {
        "" | "k" | "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => 1.0,
        "mi" | "mile" | "miles" => KM_PER_MILE,
        _ => return None,
    };
    let n: f64 = number.parse().ok().filter(|n: &f64| n.is_finite())?;
    if per == 1.0 {
        Some(n)
    } else {
        Some((n * per * 10.0).round() / 10.0)
    }
}
