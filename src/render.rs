//! The report for a person at a terminal: the triage level first, in one
//! line nobody can miss, then why, the likely causes, the advice, and the
//! disclaimer.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::model::Level;
use crate::report::{CauseReport, Report};

/// How the human report is drawn: decided once, by the caller.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    pub fn plain(width: usize) -> Style {
        Style {
            color: false,
            width,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

fn level_color(level: Level) -> &'static str {
    match level {
        Level::Emergency => "1;37;41",
        Level::Urgent => "1;31",
        Level::SeeProfessional => "1;33",
        Level::SelfCare => "1;32",
    }
}

/// The one line that says how urgent it is.
pub fn triage_line(report: &Report, style: Style) -> String {
    let t = &report.triage;
    let line = format!("{}: {}", t.label.to_uppercase(), t.action);
    style.paint(level_color(t.level), &line)
}

pub fn human_detail(report: &Report, style: Style, _full: bool) -> String {
    human(report, style)
}

pub fn human(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let width = style.width.clamp(40, 200);
    let t = &report.triage;

    let _ = writeln!(out, "{}", triage_line(report, style));
    let _ = writeln!(out, "{}", style.bold("Why:"));
    for reason in &t.reasons {
        out.push_str(&bullet(reason, 2, width));
    }

    if let Some(location) = report.answers.get("location").and_then(|v| v.as_str()) {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("Where it hurts"));
        out.push_str(&crate::diagram::knee(Some(location), width, style.color));
    }

    let conditions = report.conditions();
    let factors = report.factors();
    out.push('\n');
    let _ = writeln!(out, "{}", style.bold("What may be going on"));
    if conditions.is_empty() {
        if let Some(note) = &report.no_clear_pattern {
            out.push_str(&wrap(note, 2, width));
        }
    } else {
        out.push_str(&cause_table(&conditions, width));
        out.push('\n');
    }
    if !factors.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("What may be adding to it"));
        out.push_str(&cause_table(&factors, width));
        out.push('\n');
    }

    for (category, items) in report.advice_by_category() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold(category.heading()));
        for item in items {
            out.push_str(&bullet(&style.bold(&item.title), 2, usize::MAX));
            out.push_str(&wrap(&item.text, 4, width));
        }
    }

    out.push('\n');
    out.push_str(&wrap(&report.disclaimer, 0, width));
    out
}

fn cause_table(causes: &[&CauseReport], width: usize) -> String {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(u16::MAX as usize) as u16)
        .set_header(vec!["Cause", "Likelihood", "Why"]);
    for c in causes {
        let mut why = c.evidence.join("\n");
        if !c.against.is_empty() {
            why.push_str(&format!("\nagainst: {}", c.against.join(", ")));
        }
        table.add_row(vec![c.name.clone(), c.likelihood.as_str().to_owned(), why]);
    }
    table.to_string()
}

fn bullet(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    crate::width::wrap(
        text,
        width.clamp(indent + 22, crate::width::MAX),
        &format!("{pad}• "),
        &format!("{pad}  "),
    )
}

/// Wraps words to `width` columns, every line indented by `indent`
/// (see [`crate::width::wrap`]).
pub fn wrap(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    crate::width::wrap(text, width.max(indent + 20), &pad, &pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_width_with_indent() {
        let text = "one two three four five six seven eight nine ten";
        let out = wrap(text, 2, 22);
        for line in out.lines() {
            assert!(line.chars().count() <= 22, "{line:?}");
            assert!(line.starts_with("  "));
        }
        assert_eq!(out.split_whitespace().count(), 10);
    }

    #[test]
    fn bullets_keep_text() {
        assert_eq!(bullet("hello there", 2, 80), "  • hello there\n");
    }
}
