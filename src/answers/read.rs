//! Reading an answers file: JSON or TOML, told apart and located, so every
//! error names `file:line:column`; the longest part of reading answers.

use serde_json::Value as Json;

use super::format::allowed;
use super::parse::bad;
use super::{AnswerError, Answers};
use crate::model::Pack;

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
pub(super) struct SyntaxError {
    message: String,
    offset: Option<usize>,
    line_col: Option<(usize, usize)>,
}

pub(super) fn syntax(
    pack: &Pack,
    text: &str,
    format: Format,
) -> Result<Json, (SyntaxError, Option<Box<AnswerError>>)> {
    match format {
        Format::Json => super::strict::parse_json_strict(text).map_err(|e| {
            let value_error = number_out_of_range(pack, text, &e).map(Box::new);
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            let line_col = (e.line() > 0).then(|| (e.line(), e.column().max(1)));
            (
                SyntaxError {
                    message: super::strict::json_words_in(&message, text),
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
            .and_then(|table| match super::strict::non_finite(pack, &table) {
                // serde_json would turn nan into null: an unanswered question.
                Some(e) => Err((
                    SyntaxError {
                        message: e.to_string(),
                        offset: None,
                        line_col: None,
                    },
                    Some(Box::new(e)),
                )),
                None => Ok(table),
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
pub(super) fn json_words(message: &str) -> String {
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
pub(super) fn locate_key(text: &str, key: &str, format: Format) -> Option<usize> {
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
pub(super) fn bare_word(pack: &Pack, text: &str, offset: usize) -> Option<String> {
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
pub(super) fn json_bare_word(pack: &Pack, text: &str, offset: usize) -> Option<(usize, String)> {
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
    // A byte-order mark (some Windows editors write one) is not text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
                    let duplicate = duplicate.or_else(|| {
                        (format == Format::Json
                            && error.message.contains(super::strict::GIVEN_TWICE))
                        .then(|| error.message.clone())
                    });
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
pub(super) fn locate(e: AnswerError, text: &str, format: Format, name: &str) -> AnswerError {
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
pub(super) fn number_out_of_range(
    pack: &Pack,
    text: &str,
    e: &serde_json::Error,
) -> Option<AnswerError> {
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
