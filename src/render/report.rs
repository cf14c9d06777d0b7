//! The report for a person at a terminal: the triage level first, in one
//! line nobody can miss, then why, the likely causes, the advice, and the
//! disclaimer.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::model::{Level, Likelihood};
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

    /// The width for prose: the width, but no more than
    /// [`crate::render::width::PROSE`] columns (tables and the drawing
    /// take the whole width).
    pub fn prose(&self) -> usize {
        self.width
            .clamp(crate::render::width::MIN, crate::render::width::MAX)
            .min(crate::render::width::PROSE)
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

/// Said before the knee causes when the answers point away from the knee.
pub const OUTSIDE_KNEE_NOTE: &str = "Your answers point away from a knee overuse problem, to something outside the knee itself. Have it checked as the level above says; the knee causes below come second.";

/// The line that says how urgent it is, wrapped to the width (each
/// screen line painted on its own, so a background never runs on).
pub fn triage_line(report: &Report, style: Style) -> String {
    let t = &report.triage;
    let line = format!("{}: {}", t.label.to_uppercase(), t.action);
    let wrapped = crate::render::width::wrap(&line, style.prose(), "", "");
    wrapped
        .lines()
        .map(|l| style.paint(level_color(t.level), l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Advice items the report shows after "Do first" unless `--all`.
pub const MORE_ADVICE: usize = 8;

/// The human report, short: the rest of the advice is cut to
/// [`MORE_ADVICE`] items.
pub fn human(report: &Report, style: Style) -> String {
    human_detail(report, style, false)
}

/// The human report. The first screen: the level, whether to run, what to
/// do first, when to get help, why, and the causes in a line each; then
/// the rest of the advice (ranked, grouped; every item when `full`), the
/// drawing, the evidence for each cause and the disclaimer.
pub fn human_detail(report: &Report, style: Style, full: bool) -> String {
    let mut out = first_screen(report, style);
    let width = style.prose();
    // Tables and the drawing may use the whole width.
    let full_width = style
        .width
        .clamp(crate::render::width::MIN, crate::render::width::MAX);
    let steps = &report.next_steps;

    // At urgent and emergency the first screen is about getting seen; what
    // the top condition is and how long it takes follows it.
    if report.triage.level >= Level::Urgent
        && let Some(top) = report.conditions().first()
    {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold(&format!("About: {}", top.name)));
        out.push_str(&education(top, style, width, true, false, 2));
    }

    // The rest of the advice, ranked; shown grouped by category, the group
    // of the best-ranked item first.
    let rest: Vec<&str> = steps
        .ranked
        .iter()
        .map(String::as_str)
        .filter(|id| !steps.first.iter().any(|f| f == id))
        .collect();
    let shown: Vec<&str> = if full {
        rest.clone()
    } else {
        rest.iter().copied().take(MORE_ADVICE).collect()
    };
    if !shown.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("More advice"));
    }
    for (category, items) in report.advice_ranked() {
        let items: Vec<_> = items
            .into_iter()
            .filter(|i| shown.contains(&i.id.as_str()))
            .collect();
        if items.is_empty() {
            continue;
        }
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold(category.heading()));
        for item in items {
            out.push_str(&bullet(&style.bold(&item.title), 2, width));
            out.push_str(&wrap(&item.text, 4, width));
        }
    }
    if shown.len() < rest.len() {
        out.push('\n');
        out.push_str(&wrap(
            &format!(
                "{} more advice items: add --all to see every one.",
                rest.len() - shown.len()
            ),
            0,
            width,
        ));
    }

    if let Some(location) = report.answers.get("location").and_then(|v| v.as_str()) {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("Where it hurts"));
        out.push_str(&crate::render::diagram::knee(
            Some(location),
            full_width,
            style.color,
        ));
    }

    let conditions = report.conditions();
    let factors = report.factors();
    if !conditions.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("Why these causes"));
        out.push_str(&cause_table(&conditions, full_width));
        out.push('\n');
    }
    if !factors.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("Why these factors"));
        out.push_str(&cause_table(&factors, full_width));
        out.push('\n');
    }

    out.push('\n');
    out.push_str(&wrap(&report.disclaimer, 0, width));
    out
}

/// Everything down to the causes: what must fit one screen (40 rows at
/// 100 columns) for every level.
pub fn first_screen(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let width = style.prose();
    let t = &report.triage;
    let steps = &report.next_steps;

    let _ = writeln!(out, "{}", triage_line(report, style));
    out.push('\n');
    out.push_str(&labelled(style, "Running:", &steps.running_text, width));

    if !steps.first.is_empty() {
        let _ = writeln!(out, "{}", style.bold("Do first:"));
        for (n, id) in steps.first.iter().enumerate() {
            let Some(item) = report.advice.iter().find(|a| &a.id == id) else {
                continue;
            };
            let text = format!("{} — {}", style.bold(&item.title), lead(&item.text));
            out.push_str(&crate::render::width::wrap(
                &text,
                width,
                &format!("  {}. ", n + 1),
                "     ",
            ));
        }
    }
    if let Some(days) = steps.recheck_days {
        let _ = writeln!(
            out,
            "{}",
            style.bold(&format!(
                "Check again in {days} day{}.",
                if days == 1 { "" } else { "s" }
            ))
        );
    }
    out.push('\n');
    if !steps.get_help.is_empty() {
        out.push_str(&labelled(style, "Get help:", &steps.get_help, width));
    }
    for note in &steps.notes {
        out.push_str(&labelled(style, "Note:", note, width));
    }

    // The reasons that set the level in full, each once; the signs of a
    // lower level only by the answers they rest on, in one line.
    let _ = writeln!(out, "{}", style.bold("Why:"));
    if !report.unanswered_warnings.is_empty() {
        // Named by their answer keys in words, so a runner can find them
        // in `ask` or as flags.
        let names: Vec<String> = report
            .unanswered_warnings
            .iter()
            .map(|id| id.replace('_', " "))
            .collect();
        // The first screen must fit: as many as fit on one line by name,
        // the rest counted (all of them are in the JSON's
        // `unanswered_warnings`).
        let count = format!(
            "{} warning question{}",
            names.len(),
            if names.len() == 1 { "" } else { "s" }
        );
        let head = " not answered, any could change this: ";
        // The bullet's indent, and a column to spare so the line never wraps.
        let room = width.saturating_sub(5);
        let list_of = |k: usize| {
            let mut list = names[..k].join(", ");
            if k < names.len() {
                list.push_str(&format!(" and {} more", names.len() - k));
            }
            list
        };
        let mut shown = names.len();
        while shown > 1 && count.len() + head.len() + list_of(shown).chars().count() > room {
            shown -= 1;
        }
        let text = format!("{}{head}{}", style.bold(&count), list_of(shown));
        out.push_str(&bullet(&text, 2, width));
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut also: Vec<&str> = Vec::new();
    for (i, reason) in t.reasons.iter().enumerate() {
        let part = t.reason_parts.get(i);
        match part {
            Some((level, phrases)) if *level < t.level && !phrases.is_empty() => {
                for p in phrases {
                    if !also.contains(&p.as_str()) {
                        also.push(p);
                    }
                }
            }
            _ if !seen.contains(&reason.as_str()) => {
                seen.push(reason);
                out.push_str(&bullet(reason, 2, width));
            }
            _ => {}
        }
    }
    // A sign already named in a reason shown in full is not noted again.
    also.retain(|p| !seen.iter().any(|r| r.contains(p)));
    if !also.is_empty() {
        out.push_str(&bullet(
            &format!("also noted: {}", also.join("; ")),
            2,
            width,
        ));
    }
    let taken = answers_from_line(report);
    if !taken.is_empty() {
        out.push_str(&bullet(&taken, 2, width));
    }

    if !report.conditions_outside_knee.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", style.bold("Beyond the knee"));
        out.push_str(&wrap(OUTSIDE_KNEE_NOTE, 2, width));
        for o in &report.conditions_outside_knee {
            let line = format!("{}: {}", style.bold(&o.name), o.because);
            out.push_str(&bullet(&line, 2, width));
        }
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
        for (i, c) in conditions.iter().enumerate() {
            out.push_str(&bullet(&cause_line(c), 2, width));
            // Where the runner manages it, the top condition explained on
            // this screen (education is first-line care): what it is when
            // it is likely, and how long it usually takes to settle. Above
            // that level, getting seen comes first: the same text follows
            // this screen (`human_detail`).
            if i == 0 && t.level <= Level::SeeProfessional {
                out.push_str(&education(
                    c,
                    style,
                    width,
                    c.likelihood == Likelihood::Likely,
                    true,
                    4,
                ));
            }
        }
    }
    if !factors.is_empty() {
        let list: Vec<String> = factors
            .iter()
            .map(|c| format!("{}: {}", c.name, c.likelihood.as_str()))
            .collect();
        out.push_str(&crate::render::width::wrap(
            &format!("{} {}.", style.bold("Adding to it:"), list.join("; ")),
            width,
            "  ",
            "    ",
        ));
    }
    out
}

/// The answers the runner did not give, and where each came from, in one
/// line ("not from you: pain that is getting worse (from your knee
/// diary)"); empty when
/// every answer is the runner's own.
pub fn answers_from_line(report: &Report) -> String {
    let parts: Vec<String> = report
        .answers_from
        .iter()
        .map(|a| format!("{} ({})", a.phrase, a.from.words()))
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!("not from you: {}", parts.join("; "))
}

/// What the top condition is (`about`, when `with_about`; only its gist
/// when `brief`, on the first screen) and how long it usually takes to
/// settle, `indent` columns in.
fn education(
    c: &CauseReport,
    style: Style,
    width: usize,
    with_about: bool,
    brief: bool,
    indent: usize,
) -> String {
    let mut out = String::new();
    if with_about {
        let about = if brief {
            lead(&c.about)
        } else {
            c.about.clone()
        };
        out.push_str(&wrap(&about, indent, width));
    }
    if let Some(settles) = &c.settles {
        let pad = " ".repeat(indent);
        out.push_str(&crate::render::width::wrap(
            &format!("{} {settles}", style.bold("How long:")),
            width,
            &pad,
            &pad,
        ));
    }
    out
}

/// A cause in one line: its name, likelihood and points against the
/// threshold ("likely (9 points; 7 needed)").
pub fn cause_line(c: &CauseReport) -> String {
    format!("{}: {}", c.name, points_text(c))
}

/// The likelihood in words with the points, never a percentage:
/// "likely (11 points; 7 needed)", "possible (4 points; 7 needed for
/// likely)".
pub fn points_text(c: &CauseReport) -> String {
    let likelihood = c.likelihood.as_str();
    format!(
        "{likelihood} ({} point{}; {} needed{})",
        c.points,
        if c.points == 1 { "" } else { "s" },
        c.likely_at,
        if c.likelihood == crate::model::Likelihood::Likely {
            ""
        } else {
            " for likely"
        }
    )
}

/// A bold label and its text on one wrapped paragraph, then a blank line.
fn labelled(style: Style, label: &str, text: &str, width: usize) -> String {
    let mut s =
        crate::render::width::wrap(&format!("{} {text}", style.bold(label)), width, "", "  ");
    s.push('\n');
    s
}

/// The first sentence of an advice text, or the first two when the first
/// is short: the gist for "Do first".
pub fn lead(text: &str) -> String {
    let sentences: Vec<&str> = text
        .split_inclusive(". ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    match sentences.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, second, ..] if first.chars().count() < 90 => format!("{first} {second}"),
        [first, ..] => (*first).to_owned(),
    }
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
    crate::render::width::wrap(
        text,
        width.clamp(indent + 22, crate::render::width::MAX),
        &format!("{pad}• "),
        &format!("{pad}  "),
    )
}

/// Wraps words to `width` columns, every line indented by `indent`
/// (see [`crate::render::width::wrap`]).
pub fn wrap(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    crate::render::width::wrap(text, width.max(indent + 20), &pad, &pad)
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
