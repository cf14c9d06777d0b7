//! A runner's answers, checked against the pack's questions.
//!
//! Answers arrive as JSON, TOML or flag text; all three go through the same
//! checks, so a bad value gets the same one-line message (field, value given,
//! values allowed) whichever way it came in.

use std::fmt::Write as _;

use serde_json::{Map, Value as Json};

use crate::content::did_you_mean;
use crate::model::{Pack, Question, QuestionKind};

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
        }
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

    pub fn from_json_str(pack: &Pack, text: &str) -> Result<Answers, AnswerError> {
        if text.trim().is_empty() {
            return Err(AnswerError::Syntax {
                format: "JSON",
                message: "the input is empty; expected an object such as {\"location\": \"front\"}"
                    .into(),
            });
        }
        let json: Json = serde_json::from_str(text).map_err(|e| {
            number_out_of_range(pack, text, &e).unwrap_or_else(|| {
                let message = e.to_string();
                let (what, place) = message
                    .rfind(" at line ")
                    .map_or((message.as_str(), ""), |i| message.split_at(i));
                AnswerError::Syntax {
                    format: "JSON",
                    message: format!("{}{place}", json_words(what)),
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

    /// How the report names this answer in an evidence line.
    pub fn phrase(&self, question: &Question, q: usize) -> Option<String> {
        self.phrase_within(question, q, u64::MAX)
    }

    /// Like [`Answers::phrase`], naming only list items in `mask`.
    pub fn phrase_within(&self, question: &Question, q: usize, mask: u64) -> Option<String> {
        Some(match self.get(q)? {
            Value::Choice(i) => question.options.get(i as usize)?.phrase.clone(),
            Value::Flag(true) => question.yes.clone(),
            Value::Flag(false) => question.no.clone(),
            Value::Num(n) => question.phrase.replace("{value}", &format_number(n)),
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

/// The two formats an answers file may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Toml => "TOML",
        }
    }

    fn other(self) -> Format {
        match self {
            Format::Json => Format::Toml,
            Format::Toml => Format::Json,
        }
    }

    /// What the text looks like: JSON when it starts with `{` or `[`, else
    /// TOML.
    pub fn of_text(text: &str) -> Format {
        if text.trim_start().starts_with(['{', '[']) {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// Why a syntax check failed: the message and where.
struct SyntaxError {
    message: String,
    offset: Option<usize>,
    line_col: Option<(usize, usize)>,
}

fn syntax(
    pack: &Pack,
    text: &str,
    format: Format,
) -> Result<Json, (SyntaxError, Option<Box<AnswerError>>)> {
    match format {
        Format::Json => serde_json::from_str::<Json>(text).map_err(|e| {
            let value_error = number_out_of_range(pack, text, &e).map(Box::new);
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            let line_col = (e.line() > 0).then(|| (e.line(), e.column().max(1)));
            (
                SyntaxError {
                    message: json_words(&message),
                    offset: None,
                    line_col,
                },
                value_error,
            )
        }),
        Format::Toml => toml::from_str::<toml::Table>(text)
            .map_err(|e| {
                (
                    SyntaxError {
                        message: e.message().trim().replace('\n', " "),
                        offset: e.span().map(|s| s.start),
                        line_col: None,
                    },
                    None,
                )
            })
            .and_then(|table| {
                serde_json::to_value(table).map_err(|e| {
                    (
                        SyntaxError {
                            message: e.to_string(),
                            offset: None,
                            line_col: None,
                        },
                        None,
                    )
                })
            }),
    }
}

/// serde_json's messages with a hint in plain words for the usual slips.
fn json_words(message: &str) -> String {
    let hint = if message.starts_with("expected ident") {
        " (text needs double quotes: \"front\"; true, false and null in lower case)"
    } else if message.starts_with("key must be a string") {
        " (keys need double quotes: \"location\")"
    } else if message.starts_with("expected value") {
        " (text needs double quotes: \"front\")"
    } else if message.starts_with("trailing comma") {
        " (no comma after the last answer)"
    } else if message.starts_with("expected `,` or `}`") {
        " (a comma missing between two answers?)"
    } else if message.starts_with("EOF while parsing") {
        " (the text ends before its closing } or ])"
    } else {
        ""
    };
    format!("{message}{hint}")
}

/// Where `key`'s value starts in a flat JSON or TOML answers text.
fn locate_key(text: &str, key: &str, format: Format) -> Option<usize> {
    match format {
        Format::Json => {
            let quoted = format!("\"{key}\"");
            let mut from = 0;
            while let Some(i) = text[from..].find(&quoted) {
                let after = from + i + quoted.len();
                let rest = &text[after..];
                let trimmed = rest.trim_start();
                if let Some(value) = trimmed.strip_prefix(':') {
                    let value_start = text.len() - value.trim_start().len();
                    return Some(value_start);
                }
                from = after;
            }
            None
        }
        Format::Toml => {
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let t = line.trim_start();
                let rest = t
                    .strip_prefix(key)
                    .or_else(|| t.strip_prefix(&format!("\"{key}\"")))
                    .or_else(|| t.strip_prefix(&format!("'{key}'")));
                if let Some(rest) = rest
                    && let Some(value) = rest.trim_start().strip_prefix('=')
                {
                    return Some(offset + line.len() - value.trim_start().len());
                }
                offset += line.len();
            }
            None
        }
    }
}

/// `key = front`: a bare word where TOML needs a quoted string.
fn bare_word(pack: &Pack, text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?;
    let (key, value) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let value = value.trim();
    let word = value.split('#').next()?.trim();
    if word.is_empty()
        || !word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | ','))
        || word.chars().next().is_some_and(|c| c.is_ascii_digit())
        || matches!(word, "true" | "false")
    {
        return None;
    }
    let allowed = match pack.question_index(key) {
        Some(q) => format!("; allowed: {}", allowed(&pack.questions[q])),
        None => String::new(),
    };
    Some(format!(
        "{key} = {word}: text needs quotes in TOML: {key} = \"{word}\"{allowed}"
    ))
}

/// `"location": front`: a bare word where JSON needs a quoted string; the
/// message and where the word starts.
fn json_bare_word(pack: &Pack, text: &str, offset: usize) -> Option<(usize, String)> {
    let word_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_');
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| word_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let word: String = text[start..]
        .chars()
        .take_while(|c| word_char(*c))
        .collect();
    if word.is_empty() || word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let before = text[..start].trim_end().strip_suffix(':')?.trim_end();
    let key_end = before.strip_suffix('"')?;
    let key = &key_end[key_end.rfind('"')? + 1..];
    let allowed = match pack.question_index(key) {
        Some(q) => format!("; allowed: {}", allowed(&pack.questions[q])),
        None => String::new(),
    };
    Some((
        start,
        format!(
            "\"{key}\": {word}: text needs double quotes in JSON: \"{key}\": \"{word}\"{allowed}"
        ),
    ))
}

/// Reads an answers file (or standard input) given as `name`: JSON or
/// TOML. `expected` is the format its name says (`None`: no hint); a text
/// that is not valid in that format but is in the other is read as the
/// other. Every error is one line that starts `name:line:column:` when
/// the place is known, and names the key, the value given and what is
/// allowed. Required answers are not checked here: flags may add them.
pub fn read_answers_text(
    pack: &Pack,
    name: &str,
    text: &str,
    expected: Option<Format>,
) -> Result<Answers, AnswerError> {
    let at = |offset: usize| {
        let (line, column) = crate::content::line_column(text, offset);
        format!("{name}:{line}:{column}")
    };
    if text.trim().is_empty() {
        return Err(AnswerError::Located {
            message: format!(
                "{name}: cannot read answers: the {} is empty; expected an object such as {{\"location\": \"front\"}} or location = \"front\"",
                if name == "standard input" {
                    "input"
                } else {
                    "file"
                }
            ),
        });
    }
    let first = expected.unwrap_or_else(|| Format::of_text(text));
    let (format, json) = match syntax(pack, text, first) {
        Ok(json) => (first, json),
        Err((first_error, value_error)) => {
            if let Some(e) = value_error {
                return Err(locate(*e, text, first, name));
            }
            match syntax(pack, text, first.other()) {
                Ok(json) if json.is_object() => (first.other(), json),
                _ => {
                    let looks = Format::of_text(text);
                    let (error, format) = if looks != first {
                        match syntax(pack, text, looks) {
                            Err((e, _)) => (e, looks),
                            Ok(_) => (first_error, first),
                        }
                    } else {
                        (first_error, first)
                    };
                    let place = match (error.line_col, error.offset) {
                        (Some((l, c)), _) => format!("{name}:{l}:{c}"),
                        (None, Some(o)) => at(o),
                        (None, None) => name.to_owned(),
                    };
                    let offset = error.offset.or_else(|| {
                        let (l, c) = error.line_col?;
                        let line_start: usize =
                            text.split_inclusive('\n').take(l - 1).map(str::len).sum();
                        let line = text[line_start..].lines().next().unwrap_or("");
                        Some(
                            line_start
                                + line
                                    .char_indices()
                                    .nth(c.saturating_sub(1))
                                    .map_or(line.len(), |(i, _)| i),
                        )
                    });
                    let (place, bare) = match format {
                        Format::Toml => (place, offset.and_then(|o| bare_word(pack, text, o))),
                        Format::Json => match offset.and_then(|o| json_bare_word(pack, text, o)) {
                            Some((start, m)) => (at(start), Some(m)),
                            None => (place, None),
                        },
                    };
                    let duplicate = (format == Format::Toml
                        && error.message.starts_with("duplicate key"))
                    .then(|| {
                        let o = offset.unwrap_or(0);
                        let line_start = text[..o.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
                        let key = text[line_start..]
                            .split('=')
                            .next()
                            .unwrap_or("")
                            .trim()
                            .to_owned();
                        format!("{key}: the answer is given twice; give each answer once")
                    });
                    let note = match expected {
                        Some(e) if e != format => format!(
                            " (the name says {}, but the text looks like {}; it is not valid as either)",
                            e.name(),
                            format.name()
                        ),
                        Some(e) if name != "standard input" => {
                            format!(" (expected {} from the file name)", e.name())
                        }
                        _ => String::new(),
                    };
                    let message = match bare.or(duplicate) {
                        Some(b) => format!("{place}: {b}"),
                        None => format!(
                            "{place}: cannot read answers as {}{note}: {}",
                            format.name(),
                            error.message
                        ),
                    };
                    return Err(AnswerError::Located { message });
                }
            }
        }
    };
    Answers::from_json(pack, &json).map_err(|e| locate(e, text, format, name))
}

/// Puts `name:line:column:` before an answer's error, at its key's value.
fn locate(e: AnswerError, text: &str, format: Format, name: &str) -> AnswerError {
    let key = match &e {
        AnswerError::BadValue { key, .. } | AnswerError::UnknownKey { key, .. } => key.clone(),
        _ => {
            return AnswerError::Located {
                message: format!("{name}: {e}"),
            };
        }
    };
    let place = match locate_key(text, &key, format) {
        Some(offset) => {
            let (line, column) = crate::content::line_column(text, offset);
            format!("{name}:{line}:{column}")
        }
        None => name.to_owned(),
    };
    AnswerError::Located {
        message: format!("{place}: {e}"),
    }
}

/// A number JSON cannot hold (`1e400`) is refused by the JSON reader
/// itself; say which answer it was, as for any other bad value.
fn number_out_of_range(pack: &Pack, text: &str, e: &serde_json::Error) -> Option<AnswerError> {
    if !e.to_string().starts_with("number out of range") {
        return None;
    }
    let line = text.lines().nth(e.line().checked_sub(1)?)?;
    let start = text.len() - text[line.as_ptr() as usize - text.as_ptr() as usize..].len();
    let end = start
        + line
            .char_indices()
            .nth(e.column())
            .map_or(line.len(), |(i, _)| i);
    let before = text.get(..end)?;
    let colon = before.rfind(':')?;
    let key_end = before[..colon].rfind('"')?;
    let key_start = before[..key_end].rfind('"')? + 1;
    let key = &before[key_start..key_end];
    let token: String = text[colon + 1..]
        .trim_start()
        .chars()
        .take_while(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
        .take(60)
        .collect();
    let q = &pack.questions[pack.question_index(key)?];
    Some(bad(q, format!("{token} (too large a number)")))
}

/// "a", "a and b", "a, b and c".
pub fn join_words(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

/// Whole numbers without a decimal point; others to at most one decimal.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.1}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

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

/// What a question accepts, in words, for error messages.
pub fn allowed(q: &Question) -> String {
    let range = || match (q.min, q.max) {
        (Some(lo), Some(hi)) => format!(" from {} to {}", format_number(lo), format_number(hi)),
        (Some(lo), None) => format!(" of at least {}", format_number(lo)),
        (None, Some(hi)) => format!(" of at most {}", format_number(hi)),
        (None, None) => String::new(),
    };
    match q.kind {
        QuestionKind::Enum => q.option_values().join(", "),
        QuestionKind::List => format!("any of {} (comma-separated)", q.option_values().join(", ")),
        QuestionKind::Bool => "true or false (also yes or no)".into(),
        QuestionKind::Int => format!("a whole number{}", range()),
        QuestionKind::Number if is_distance(q) => format!(
            "a distance in km{}, or in miles such as 25mi or \"25 mi\"",
            range()
        ),
        QuestionKind::Number => format!("a number{}", range()),
        QuestionKind::Days => format!(
            "a whole number of days{}, or a duration such as 10d, 3w, 2m, \"3 weeks\" or \"2 months\"",
            range()
        ),
    }
}

fn bad(q: &Question, given: String) -> AnswerError {
    AnswerError::BadValue {
        key: q.id.clone(),
        given,
        allowed: allowed(q),
    }
}

fn json_type(v: &Json) -> &'static str {
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
fn shown(text: &str) -> String {
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

fn parse_json(q: &Question, value: &Json) -> Result<Option<Value>, AnswerError> {
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

fn number_in_range(q: &Question, v: f64, given: impl Fn() -> String) -> Result<Value, AnswerError> {
    let low = q.min.is_some_and(|lo| v < lo);
    let high = q.max.is_some_and(|hi| v > hi);
    if low || high {
        return Err(bad(q, given()));
    }
    Ok(Value::Num(v))
}

fn option(q: &Question, text: &str) -> Result<usize, AnswerError> {
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
fn label_hint(q: &Question, text: &str) -> String {
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

fn value_json(q: &Question, v: Value) -> Json {
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
