//! How wide to draw text, decided in one place for the report (stdout) and
//! the questionnaire (stderr), and word wrapping with `textwrap`.
//!
//! The order: `--width N` when given; else the terminal's width when the
//! stream is a terminal; else `COLUMNS` when it is set to a number; else
//! [`DEFAULT`] columns.

use std::io::IsTerminal;

/// Columns when nothing says otherwise (a pipe or a file, no `COLUMNS`).
pub const DEFAULT: usize = 100;
/// Narrower than this, text is drawn at this width (and a terminal scrolls
/// sideways) rather than one word a line.
pub const MIN: usize = 20;
/// Wider than this, lines get too long to read; text stops here.
pub const MAX: usize = 1000;
/// Prose (the report's sentences, the questions) stops here however wide
/// the terminal: a 200-column line is hard to follow back to its start.
/// Tables and charts may use the whole width.
pub const PROSE: usize = 100;

/// Which stream the text goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Reports.
    Stdout,
    /// Prompts.
    Stderr,
}

/// The width for text written to `stream`: `flag` (`--width N`) wins, then
/// the terminal's width, then `COLUMNS`, then [`DEFAULT`].
pub fn for_stream(stream: Stream, flag: Option<usize>) -> usize {
    let is_terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    let terminal = if is_terminal {
        terminal_columns()
    } else {
        None
    };
    decide(flag, terminal, std::env::var("COLUMNS").ok().as_deref())
}

/// The width for a file written with `--output`: `flag`, else `COLUMNS`,
/// else [`DEFAULT`] (a file is never a terminal).
pub fn for_file(flag: Option<usize>) -> usize {
    decide(flag, None, std::env::var("COLUMNS").ok().as_deref())
}

/// The rule itself, without looking at the process: `flag`, then the
/// terminal's columns, then the `COLUMNS` text, then [`DEFAULT`]; clamped to
/// [`MIN`]..=[`MAX`].
pub fn decide(flag: Option<usize>, terminal: Option<usize>, columns: Option<&str>) -> usize {
    let from_env = columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&n| n > 0);
    flag.or(terminal.filter(|&n| n > 0))
        .or(from_env)
        .unwrap_or(DEFAULT)
        .clamp(MIN, MAX)
}

/// The terminal's columns (on stdout, else stderr), when there is one.
fn terminal_columns() -> Option<usize> {
    comfy_table::Table::new().width().map(usize::from)
}

/// `text` wrapped at word boundaries to `width` columns, the first line
/// starting with `first`, the rest with `rest` (indents count in the
/// width). Colour codes take no room. Each line ends with a newline; a
/// newline in `text` starts a new paragraph with the `rest` indent. A word
/// longer than the line is broken.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let width = width.max(MIN);
    for (i, paragraph) in text.split('\n').enumerate() {
        let head = if i == 0 { first } else { rest };
        let options = textwrap::Options::new(width)
            .initial_indent(head)
            .subsequent_indent(rest)
            .break_words(true)
            // Greedy: the fewest lines, so a report fits one screen.
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        let lines = textwrap::wrap(paragraph.trim_end(), options);
        if lines.is_empty() {
            out.push_str(head.trim_end());
            out.push('\n');
        }
        for line in lines {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Columns the text takes on screen (colour codes take none).
pub fn display_width(text: &str) -> usize {
    textwrap::core::display_width(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_terminal_then_columns() {
        assert_eq!(decide(Some(60), Some(120), Some("80")), 60);
        assert_eq!(decide(None, Some(120), Some("80")), 120);
        assert_eq!(decide(None, None, Some("80")), 80);
        assert_eq!(decide(None, None, Some(" 72 ")), 72);
        assert_eq!(decide(None, None, None), DEFAULT);
        assert_eq!(decide(None, None, Some("wide")), DEFAULT);
        assert_eq!(decide(None, None, Some("0")), DEFAULT);
        assert_eq!(decide(Some(5), None, None), MIN);
        assert_eq!(decide(Some(99_999), None, None), MAX);
    }

    #[test]
    fn wraps_at_word_boundaries_with_indents() {
        let text = "call an ambulance if you cannot get there safely, or go now";
        let out = wrap(text, 24, "• ", "  ");
        for line in out.lines() {
            assert!(display_width(line) <= 24, "{line:?}");
        }
        assert!(out.starts_with("• call an ambulance if\n"), "{out}");
        assert!(out.contains("\n  you cannot"), "{out}");
        assert_eq!(
            out.split_whitespace().filter(|w| *w != "•").count(),
            text.split_whitespace().count()
        );
    }

    #[test]
    fn colour_codes_take_no_room() {
        let text = "\x1b[1mbold\x1b[0m words that wrap here";
        let out = wrap(text, 20, "", "");
        assert_eq!(
            out.lines().next(),
            Some("\x1b[1mbold\x1b[0m words that wrap"),
            "{out:?}"
        );
        assert_eq!(out.lines().nth(1), Some("here"));
    }

    #[test]
    fn paragraphs_and_empty_lines_are_kept() {
        assert_eq!(wrap("one\n\ntwo", 40, "- ", "  "), "- one\n\n  two\n");
    }
}
