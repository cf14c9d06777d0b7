//! Text from files and flags made safe to show on a terminal.
//!
//! A GPX `<type>`, a Strava gear name, a file name, a batch `id` or a key
//! in the diary can hold any character, and an escape sequence printed raw
//! can clear the screen, set the window title or hide what follows. Every
//! human printer passes what it prints through [`visible`]: control
//! characters (and the Unicode marks that reverse the reading direction)
//! are shown as escapes such as `\x1b`, while new lines and tabs stay.
//! JSON output escapes them already; CSV cells are also guarded against
//! spreadsheet formulas ([`csv_cell`]).

use std::borrow::Cow;

/// `text` with every control character other than a new line or a tab
/// written as a visible escape. The printers' own colour codes are added
/// after this, never passed through it.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters a terminal acts on instead of showing.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A CSV cell that a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so
/// it is shown as text; anything else is as given.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_and_lines_kept() {
        assert_eq!(visible("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(visible("a\u{1b}[2Jb\u{7}"), "a\\x1b[2Jb\\x07");
        assert_eq!(visible("x\u{9b}y\u{202e}z"), "x\\x9by\\u{202e}z");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("hold"), "hold");
    }
}
