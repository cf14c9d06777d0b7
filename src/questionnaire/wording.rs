//! The words a question is put in: for the runner or for a parent about
//! their child, never in the negative, and as a line of a checklist that
//! must fit one screen.

use crate::model::{Choice, Question};

/// Who the answers are about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Answering {
    /// The runner answers for themselves.
    #[default]
    Myself,
    /// A parent answers for a child under 16: the questions use the
    /// pack's `child_*` wording and its `child_first` order.
    Child,
}

/// The prompt as it is put: never in the negative (the `positive` form when
/// there is one), in the words for a parent when answering for a child.
pub fn asked_as(question: &Question, who: Answering) -> &str {
    let child = who == Answering::Child;
    match (&question.positive, child) {
        (Some(_), true) if question.child_positive.is_some() => {
            question.child_positive.as_deref().unwrap_or_default()
        }
        (Some(p), _) => p,
        (None, true) => question.child_prompt.as_deref().unwrap_or(&question.prompt),
        (None, false) => &question.prompt,
    }
}

/// The question's help, in the words for a parent when answering for a child.
pub fn help_for(question: &Question, who: Answering) -> &str {
    match who {
        Answering::Child => question.child_help.as_deref().unwrap_or(&question.help),
        Answering::Myself => &question.help,
    }
}

/// What "yes" to a yes/no question means, in the words for a parent when
/// answering for a child.
pub fn yes_for(question: &Question, who: Answering) -> &str {
    match who {
        Answering::Child => question.child_yes.as_deref().unwrap_or(&question.yes),
        Answering::Myself => &question.yes,
    }
}

/// What "no" to a yes/no question means, in the words for a parent when
/// answering for a child.
pub fn no_for(question: &Question, who: Answering) -> &str {
    match who {
        Answering::Child => question.child_no.as_deref().unwrap_or(&question.no),
        Answering::Myself => &question.no,
    }
}

/// An option as the person picks it: "I twisted with my foot planted" for
/// the runner, "They twisted with their foot planted" for a parent.
pub fn label_for(choice: &Choice, who: Answering) -> &str {
    match who {
        Answering::Child => choice.child_label.as_deref().unwrap_or(&choice.label),
        Answering::Myself => &choice.label,
    }
}

/// A yes/no question as a line of a checklist, where a tick means yes to
/// the answer key: the question itself, or, for one asked the positive way
/// round, what "yes" means ("Cannot bend the knee to a right angle").
pub fn checklist_line(question: &Question, who: Answering) -> String {
    if question.positive.is_none() {
        return asked_as(question, who).to_owned();
    }
    let mut chars = yes_for(question, who).chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => asked_as(question, who).to_owned(),
    }
}

/// Rows a checklist may take for its lines at [`CHECKLIST_COLUMNS`], so
/// that the screen (heading, question, lines, "None of these", "Not sure",
/// Back and help) fits on 40 rows; the lines past it go on a later screen.
pub const CHECKLIST_ROWS: usize = 26;
/// The terminal width the checklist is made to fit.
pub const CHECKLIST_COLUMNS: usize = 100;

/// Rows one checklist line takes at [`CHECKLIST_COLUMNS`] after the
/// cursor and the tick box, wrapped at spaces (a word longer than the line
/// counts as a line of its own: never fewer rows than the screen shows).
pub fn checklist_rows(line: &str) -> usize {
    let room = CHECKLIST_COLUMNS - 6;
    let mut rows = 1;
    let mut used = 0;
    for word in line.split_whitespace() {
        let w = word.chars().count();
        if used > 0 && used + 1 + w > room {
            rows += 1;
            used = 0;
        }
        used += if used == 0 { w } else { 1 + w };
    }
    rows
}
