//! The words and sizes around the questionnaire's prompts: an answer
//! echoed after its question, an answer in the words it was chosen by, the
//! terminal's width and height, and how an interrupted prompt ends.

use std::io::{self, Write};

use inquire::error::InquireError;
use inquire::list_option::ListOption;

use crate::answers::{Value, format_number};
use crate::error::Error;
use crate::model::{Level, Question};
use crate::questionnaire::{Answering, label_for};

/// How "None of these" shows as an answer to a list.
const NONE_OF_THESE: &str = "None of these";

/// The level in a sentence, for the prompt after a warning sign.
pub(super) fn level_sentence(level: Level) -> &'static str {
    match level {
        Level::Emergency => "This is an emergency.",
        Level::Urgent => "This is urgent: see a doctor within a day or two.",
        Level::SeeProfessional => "This needs a professional to look at it.",
        Level::SelfCare => "This can start with self-care.",
    }
}

/// The chosen option echoed after the question on one line: a wrapped
/// option's line breaks go.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ticked options, as one line.
pub(super) fn echo_many(options: &[ListOption<&String>]) -> String {
    options
        .iter()
        .map(|o| one_line(o.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An answer echoed after its question, wrapped at word boundaries: it
/// starts `after` columns in (behind "? " and the question's last line).
pub(super) fn echo_wrapped(text: &str, after: usize, width: usize) -> String {
    let pad = " ".repeat(after.min(width));
    let wrapped = crate::render::width::wrap(&one_line(text), width, &pad, "");
    wrapped
        .strip_prefix(pad.as_str())
        .unwrap_or(&wrapped)
        .trim_end()
        .to_owned()
}

/// Columns taken before the echoed answer: "? ", the question's last line
/// and a space.
pub(super) fn echo_start(prompt: &str) -> usize {
    2 + crate::render::width::display_width(prompt.lines().last().unwrap_or_default()) + 1
}

/// Writes to standard error; a terminal that went away shows up at the
/// next prompt, which ends the questionnaire.
pub(super) fn say(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// The width the questions are drawn at: `--width`, else the terminal's,
/// else `COLUMNS`, else 100 (see [`crate::render::width`]).
pub fn stderr_width(flag: Option<usize>) -> usize {
    // The report may go to a file (`ask --json > report.json`): ask the
    // terminal the questions are drawn on, standard error, for its width.
    match stderr_columns() {
        Some(cols) if flag.is_none() => crate::render::width::decide(None, Some(cols), None),
        _ => crate::render::width::for_stream(crate::render::width::Stream::Stderr, flag),
    }
}

/// The rows of the terminal (40 when it cannot tell).
pub(super) fn terminal_rows() -> usize {
    crossterm::terminal::size().map_or(40, |(_, rows)| usize::from(rows).max(1))
}

/// The columns of the terminal on standard error, if it is one.
#[cfg(unix)]
fn stderr_columns() -> Option<usize> {
    // SAFETY: TIOCGWINSZ only fills the `winsize` it is given.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

#[cfg(not(unix))]
fn stderr_columns() -> Option<usize> {
    None
}

/// Ctrl-C, Escape and a terminal that closed all end the questionnaire the
/// same way: exit 130, nothing assessed.
pub(super) fn interrupted(e: InquireError) -> Error {
    match e {
        InquireError::NotTTY => Error::Usage(crate::questionnaire::NO_TERMINAL.into()),
        InquireError::InvalidConfiguration(m) => {
            Error::Usage(format!("the questionnaire cannot start: {m}"))
        }
        _ => Error::Interrupted,
    }
}

/// The answer in the words the person chose it by.
pub fn answer_label(question: &Question, value: Value, who: Answering) -> String {
    match value {
        Value::Choice(i) => question
            .options
            .get(i as usize)
            .map_or_else(String::new, |o| label_for(o, who).to_owned()),
        // Asked the positive way round, "yes" is the answer false.
        Value::Flag(b) if b != question.positive.is_some() => "Yes".into(),
        Value::Flag(_) => "No".into(),
        Value::Num(n) => match question.unit.as_deref() {
            Some("%") => format!("{}%", format_number(n)),
            // "1 day", "1 year": one is singular.
            Some(unit) if n == 1.0 && unit.ends_with('s') => {
                format!("1 {}", &unit[..unit.len() - 1])
            }
            Some(unit) => format!("{} {unit}", format_number(n)),
            None => format_number(n),
        },
        Value::Items(0) => NONE_OF_THESE.into(),
        Value::Items(bits) => question
            .options
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, o)| label_for(o, who))
            .collect::<Vec<_>>()
            .join("; "),
    }
}
