//! The report as Markdown, to print or send to a physiotherapist before an
//! appointment: the date, the answers in plain words, the knee drawing when
//! there is one, how urgent and why, the likely causes with their evidence,
//! the advice, and room for notes. Never any colour.

use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::answers::format_number;
use crate::model::{Pack, Question, QuestionKind};
use crate::render::units::{self, Units};
use crate::report::{CauseReport, Report};

/// What goes on the page besides the report itself.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// The date printed at the top, as given (`2025-03-14`). Passed in so
    /// that the same answers always give the same page.
    pub date: &'a str,
    /// The unit distances are given in (`--units`).
    pub units: Units,
}

impl<'a> Page<'a> {
    /// A page dated `date`, distances in km.
    pub fn dated(date: &'a str) -> Page<'a> {
        Page {
            date,
            units: Units::Km,
        }
    }
}

pub fn markdown(report: &Report, pack: &Pack, page: Page<'_>) -> String {
    let report = &crate::render::units::report_in(report, page.units);
    let mut out = String::new();
    let t = &report.triage;
    let runner = report.id.as_ref().map(ToString::to_string);

    // A YAML title block, so `pandoc -s` makes a complete page (a title,
    // the language, and pandoc's UTF-8 charset); the heading stays for
    // every other viewer.
    out.push_str("---\n");
    let _ = writeln!(
        out,
        "pagetitle: \"Knee pain report, {}{}\"",
        runner
            .as_ref()
            .map(|r| format!("{}, ", yaml_text(r)))
            .unwrap_or_default(),
        yaml_text(page.date)
    );
    out.push_str("lang: en-GB\n");
    out.push_str("---\n\n");
    out.push_str("# Knee pain report\n\n");
    let _ = writeln!(out, "- **Date:** {}", escape(page.date));
    if let Some(r) = &runner {
        let _ = writeln!(out, "- **Runner:** {}", escape(r));
    }
    let _ = writeln!(
        out,
        "- **How urgent:** {}: {}",
        escape(&t.label),
        escape(&sentence(&t.action))
    );
    out.push_str("- **Made with:** knee-triage ");
    let _ = writeln!(
        out,
        "{}, content pack {} {}\n",
        env!("CARGO_PKG_VERSION"),
        escape(&pack.meta.name),
        escape(&pack.meta.version)
    );

    next_steps_section(&mut out, report);

    answers_section(&mut out, report, pack, page.units);

    if let Some(location) = report.answers.get("location").and_then(Json::as_str) {
        // The same drawing as the human report, side by side, never coloured.
        let drawing =
            crate::render::diagram::knee(Some(location), crate::render::diagram::WIDE, false);
        out.push_str("## Where it hurts\n\n");
        let _ = writeln!(out, "```text\n{}\n```\n", drawing.trim_end());
    }

    let _ = writeln!(out, "## How urgent: {}\n", escape(&t.label));
    let _ = writeln!(out, "{}\n", escape(&sentence(&t.action)));
    out.push_str("Why:\n\n");
    for reason in &t.reasons {
        let _ = writeln!(out, "- {}", escape(reason));
    }
    out.push('\n');
    triage_sources(&mut out, report, pack);

    if !report.conditions_outside_knee.is_empty() {
        out.push_str("## Beyond the knee\n\n");
        let _ = writeln!(out, "{}\n", escape(crate::render::OUTSIDE_KNEE_NOTE));
        for o in &report.conditions_outside_knee {
            let _ = writeln!(
                out,
                "- **{}** ({}): {}",
                escape(&o.name),
                escape(&o.because),
                escape(&o.about)
            );
        }
        out.push('\n');
    }

    out.push_str("## What may be going on\n\n");
    let conditions = report.conditions();
    let factors = report.factors();
    if conditions.is_empty()
        && let Some(note) = &report.no_clear_pattern
    {
        let _ = writeln!(out, "{}\n", escape(note));
    }
    for c in conditions {
        cause_section(&mut out, c);
    }
    if !factors.is_empty() {
        out.push_str("## What may be adding to it\n\n");
        for c in factors {
            cause_section(&mut out, c);
        }
    }

    out.push_str("## What to do\n\n");
    for (category, items) in report.advice_ranked() {
        let _ = writeln!(out, "### {}\n", escape(category.heading()));
        for item in items {
            let _ = writeln!(out, "**{}**\n", escape(&item.title));
            let _ = writeln!(out, "{}\n", escape(&item.text));
            if !item.source.is_empty() {
                let _ = writeln!(out, "*Source: {}*\n", sources(&item.source, pack));
            }
        }
    }

    out.push_str("## Notes for my physiotherapist\n\n");
    out.push_str("```text\n");
    out.push_str(&"\n".repeat(12));
    out.push_str("```\n\n");

    out.push_str("---\n\n");
    let _ = writeln!(out, "*{}*", escape(&report.disclaimer));
    out
}

/// The answers for a reader who scans: what was answered yes or with a
/// value first (each marked when it came from the training log or the
/// diary), then every "no" in one line, then the questions that were not
/// asked (those that still applied to these answers).
fn answers_section(out: &mut String, report: &Report, pack: &Pack, units: Units) {
    out.push_str("## My answers\n\n");
    let answers = crate::answers::Answers::from_json(pack, &Json::Object(report.answers.clone()));
    let mut no = Vec::new();
    let mut not_asked = Vec::new();
    for (qi, q) in pack.questions.iter().enumerate() {
        match report.answers.get(&q.id) {
            Some(Json::Bool(false)) => no.push(short_name(q)),
            Some(value) => {
                if let Some(answer) = plain_answer(q, value, units, report.for_child) {
                    let from = report
                        .answers_from
                        .iter()
                        .find(|a| a.key == q.id)
                        .map(|a| format!(" ({})", a.from.words()))
                        .unwrap_or_default();
                    let prompt = match &q.child_prompt {
                        Some(child) if report.for_child => child,
                        _ => &q.prompt,
                    };
                    let _ = writeln!(
                        out,
                        "- {} **{}**{}",
                        escape(prompt),
                        escape(&answer),
                        escape(&from)
                    );
                }
            }
            None => {
                // A plan-only question (cleared_to_run) is not one the
                // report asks.
                let applies = q.section != crate::model::Section::Plan
                    && answers
                        .as_ref()
                        .is_ok_and(|a| crate::engine::should_ask(pack, qi, a));
                if applies {
                    not_asked.push(short_name(q));
                }
            }
        }
    }
    out.push('\n');
    if !no.is_empty() {
        let _ = writeln!(out, "**No:** {}.\n", escape(&no.join(", ")));
    }
    if !not_asked.is_empty() {
        let _ = writeln!(out, "**Not asked:** {}.\n", escape(&not_asked.join(", ")));
    }
}

/// A question in two or three words for the one-line lists: its answer
/// key in plain words ("calf swelling"), as in the JSON report.
fn short_name(q: &Question) -> String {
    q.id.replace('_', " ")
}

/// What to do first: whether to run, the items to do first, when to check
/// again and when to get help sooner.
fn next_steps_section(out: &mut String, report: &Report) {
    let steps = &report.next_steps;
    out.push_str("## What to do first\n\n");
    let _ = writeln!(
        out,
        "**Running ({}):** {}\n",
        steps.running.as_str(),
        escape(&steps.running_text)
    );
    for (n, id) in steps.first.iter().enumerate() {
        if let Some(item) = report.advice.iter().find(|a| &a.id == id) {
            let _ = writeln!(
                out,
                "{}. **{}.** {}",
                n + 1,
                escape(item.title.trim_end_matches('.')),
                escape(&crate::render::lead(&item.text))
            );
        }
    }
    if !steps.first.is_empty() {
        out.push('\n');
    }
    if let Some(days) = steps.recheck_days {
        let _ = writeln!(
            out,
            "**Check again in {days} day{}.**\n",
            if days == 1 { "" } else { "s" }
        );
    }
    if !steps.get_help.is_empty() {
        let _ = writeln!(out, "**Get help:** {}\n", escape(&steps.get_help));
    }
}

/// The guidelines the level rests on: the citations of the triage rules
/// that fired, in the order of the rules, each once (a title cited bare is
/// left out when another rule cites it with a note).
fn triage_sources(out: &mut String, report: &Report, pack: &Pack) {
    let mut cited: Vec<crate::model::Citation<'_>> = Vec::new();
    for id in &report.triage.rules {
        let source = pack
            .triage
            .iter()
            .find(|r| &r.id == id)
            .and_then(|r| r.source.as_deref());
        for c in source.map(crate::model::citations).unwrap_or_default() {
            if !cited.contains(&c) {
                cited.push(c);
            }
        }
    }
    let noted = |title: &str| cited.iter().any(|c| c.title == title && !c.rest.is_empty());
    let shown: Vec<String> = cited
        .iter()
        .filter(|c| !c.rest.is_empty() || !noted(c.title))
        .map(|c| citation(c, pack))
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(out, "*Sources: {}*\n", shown.join("; "));
    }
}

/// A `source` text in Markdown: each cited title the pack has a reference
/// for becomes a link to its page, its note kept after it; the rest is
/// escaped text.
pub fn sources(text: &str, pack: &Pack) -> String {
    crate::model::citations(text)
        .iter()
        .map(|c| citation(c, pack))
        .collect::<Vec<_>>()
        .join("; ")
}

fn citation(c: &crate::model::Citation<'_>, pack: &Pack) -> String {
    let title = escape(c.title);
    let title = match pack.references.iter().find(|r| r.names(c.title)) {
        Some(r) => format!("[{title}]({})", link_target(&r.url)),
        None => title,
    };
    format!("{title}{}", escape(c.rest))
}

/// An address as a Markdown link target: brackets percent-encoded, so a
/// `)` in the address cannot end the link early.
fn link_target(url: &str) -> String {
    url.replace('(', "%28").replace(')', "%29")
}

/// Text for a double-quoted YAML string.
fn yaml_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn cause_section(out: &mut String, c: &CauseReport) {
    let _ = writeln!(
        out,
        "### {}: {}\n",
        escape(&c.name),
        crate::render::points_text(c)
    );
    let _ = writeln!(out, "{}\n", escape(&c.about));
    if let Some(settles) = &c.settles {
        let _ = writeln!(out, "**How long:** {}\n", escape(settles));
    }
    if !c.evidence.is_empty() {
        out.push_str("Pointing to it:\n\n");
        for e in &c.evidence {
            let _ = writeln!(out, "- {}", escape(e));
        }
        out.push('\n');
    }
    if !c.against.is_empty() {
        out.push_str("Against it:\n\n");
        for e in &c.against {
            let _ = writeln!(out, "- {}", escape(e));
        }
        out.push('\n');
    }
}

/// An answer as the runner would say it (or, for a child, as the parent
/// chose it): the option's label, yes or no, a number with its unit.
fn plain_answer(q: &Question, value: &Json, units: Units, for_child: bool) -> Option<String> {
    let label = |v: &str| {
        q.options.iter().find(|o| o.value == v).map_or_else(
            || v.to_owned(),
            |o| match &o.child_label {
                Some(child) if for_child => child.clone(),
                _ => o.label.clone(),
            },
        )
    };
    Some(match (q.kind, value) {
        (QuestionKind::Enum, Json::String(s)) => label(s),
        (QuestionKind::List, Json::Array(items)) => {
            let labels: Vec<String> = items.iter().filter_map(Json::as_str).map(label).collect();
            if labels.is_empty() {
                "none of these".to_owned()
            } else {
                labels.join("; ")
            }
        }
        (QuestionKind::Bool, Json::Bool(b)) => if *b { "Yes" } else { "No" }.to_owned(),
        (_, Json::Number(n)) => {
            let v = n.as_f64()?;
            let text = format_number(v);
            match q.unit.as_deref() {
                Some("%") => format!("{text}%"),
                Some("km") => format!("{} {}", units::amount(v, units), units.label()),
                // "1 day", "1 year": the unit is written in the plural.
                Some(unit) if v == 1.0 && unit.ends_with('s') => {
                    format!("{text} {}", &unit[..unit.len() - 1])
                }
                Some(unit) => format!("{text} {unit}"),
                None => text,
            }
        }
        _ => return None,
    })
}

/// Text as a sentence: a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Escapes the characters Markdown would read as formatting, so pack text
/// and answers print as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The calendar date of a day count since 1970-01-01 (Howard Hinnant's
/// days-from-civil inverse).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Checks a `--date` value: `YYYY-MM-DD` with a real month and day (the
/// diary's and the plan's date parser), kept as written.
pub fn parse_date(text: &str) -> Option<String> {
    crate::plan::schedule::parse_date(text).map(|_| text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_089), "2025-01-01");
        assert_eq!(civil_date(-1), "1969-12-31");
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("2023-1-01"), None);
        assert_eq!(parse_date("tomorrow"), None);
        assert_eq!(parse_date("+023-01-01"), None);
    }

    #[test]
    fn markdown_characters_are_escaped() {
        assert_eq!(
            escape("a*b_c [x] <y> #1 |"),
            "a\\*b\\_c \\[x\\] \\<y\\> \\#1 \\|"
        );
        assert_eq!(escape("two\nlines"), "two lines");
    }

    #[test]
    fn a_referenced_title_becomes_a_link_and_keeps_its_note() {
        let mut pack = crate::content::embedded().expect("pack").clone();
        pack.references = vec![crate::model::Reference {
            title: "Knee guide 2020".into(),
            url: "https://example.org/a_(b)".into(),
            also: vec!["Knee guide".into()],
        }];
        assert_eq!(
            sources("Knee guide (locked knee); Other *notes*", &pack),
            "[Knee guide](https://example.org/a_%28b%29) (locked knee); Other \\*notes\\*"
        );
        assert_eq!(sources("Nothing known", &pack), "Nothing known");
    }
}
