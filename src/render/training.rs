//! The training log in words: the `training` summary, and the 12-week chart
//! the assess reports show. Plain text: the chart is block characters and
//! reads the same without colour.

use std::fmt::Write as _;

use crate::answers::format_number;
use crate::answers::{Answers, Value};
use crate::model::Pack;
use crate::render::units::{Units, convert_text};
use crate::training::figures::{Figures, Week};
use crate::training::{Summary, TrainingAnswers};

const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// A horizontal bar of `value / max` of `width` cells, in eighths.
fn bar(value: f64, max: f64, width: usize) -> String {
    if max <= 0.0 || value <= 0.0 {
        return String::new();
    }
    let eighths = ((value / max) * (width * 8) as f64).round() as usize;
    let eighths = eighths.max(1);
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(EIGHTHS[eighths % 8 - 1]);
    }
    s
}

/// The last 12 weeks as a table with a bar per week; `indent` spaces
/// before each line, `width` the whole line's; distances in `units`.
pub fn chart(weeks: &[Week], indent: usize, width: usize, units: Units) -> String {
    let pad = " ".repeat(indent);
    let bar_width = width.saturating_sub(indent + 36).clamp(10, 40);
    let max = weeks.iter().map(|w| w.km).fold(0.0, f64::max);
    let mut out = String::new();
    let _ = writeln!(out, "{pad}week from      {}  runs  longest", units.label());
    for w in weeks {
        let _ = writeln!(
            out,
            "{pad}{}  {:>6}  {:>4}  {:>7}  {}",
            w.start,
            format!("{:.1}", units.from_km(w.km)),
            w.runs,
            format!("{:.1}", units.from_km(w.longest_km)),
            bar(w.km, max, bar_width)
        );
    }
    out
}

fn signed(p: f64) -> String {
    if p > 0.0 {
        format!("+{}", format_number(p))
    } else {
        format_number(p)
    }
}

fn km(v: f64) -> String {
    format_number((v * 10.0).round() / 10.0)
}

/// The figures, one line each, with what each is measured against.
fn figure_lines(f: &Figures, pack: &Pack) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    match f.weekly_km {
        Some(v) => lines.push((
            "weekly_km".into(),
            format!("{} km in the last 7 days", km(v)),
        )),
        None => missing.push("weekly_km (needs 7 days of log)"),
    }
    match (f.mileage_increase_pct, f.prior_weekly_mean_km) {
        (Some(p), Some(mean)) => lines.push((
            "mileage_increase_pct".into(),
            format!(
                "{} % against the weekly mean of the 28 days before ({} km)",
                signed(p),
                km(mean)
            ),
        )),
        _ => missing.push(
            "mileage_increase_pct (needs 21 days of log before the last 7, with running in them)",
        ),
    }
    match (f.long_run_increase_pct, f.prior_longest_km) {
        (Some(p), Some(before)) => lines.push((
            "long_run_increase_pct".into(),
            format!(
                "{} % (longest run of the last 7 days {} km; of the 30 days before {} km)",
                format_number(p),
                km(f.longest_km),
                km(before)
            ),
        )),
        _ => missing.push(
            "long_run_increase_pct (needs 21 days of log before the last 7, with a run in them)",
        ),
    }
    match f.rest_days {
        Some(r) => lines.push((
            "rest_days".into(),
            format!("{} a week, over the last 28 days", format_number(r)),
        )),
        None => missing.push("rest_days (needs 28 days of log)"),
    }
    match &f.shoe {
        Some((gear, v)) => lines.push((
            "shoe_km".into(),
            format!("{} km in \"{gear}\", the shoes of the latest run", km(*v)),
        )),
        None => missing.push("shoe_km (needs a Strava export whose latest run names its gear)"),
    }
    if let (Some(p), Some(before)) = (f.week_increase_pct, f.previous_week_km) {
        lines.push((
            "week_increase_pct".into(),
            format!(
                "{} % against the 7 days before ({} km)",
                signed(p),
                km(before)
            ),
        ));
    }
    if let (Some(r), Some(label)) = (f.acute_chronic_ratio, &pack.load.ratio) {
        lines.push(("acute:chronic".into(), format!("{r:.2}, {}", label.label)));
    }
    for m in missing {
        let (name, why) = m.split_once(' ').unwrap_or((m, ""));
        lines.push((name.to_owned(), format!("left out {why}")));
    }
    lines
}

/// `knee-triage training`, for a person, distances in `units`.
pub fn summary(s: &Summary, pack: &Pack, width: usize, units: Units) -> String {
    let mut out = String::new();
    let wrap = |text: &str, indent: usize| crate::render::wrap(text, indent, width);
    match &s.figures {
        Some(f) => {
            let _ = writeln!(
                out,
                "Training log: {} run{}, {} to {}",
                s.runs,
                if s.runs == 1 { "" } else { "s" },
                f.first_day,
                f.last_day
            );
        }
        None => {
            let _ = writeln!(out, "Training log: no runs");
        }
    }
    if !s.sources.is_empty() {
        let parts: Vec<String> = s
            .sources
            .iter()
            .map(|(name, c)| source_words(name, c))
            .collect();
        out.push_str(&wrap(&format!("Read: {}", parts.join("; ")), 0));
    }
    if let Some(words) = s.figures.as_ref().and_then(|f| f.stale_words()) {
        out.push_str(&hang("! ", &upper_first(&words), 0, width));
    }
    if !s.other_activities.is_empty() {
        let others: Vec<String> = s
            .other_activities
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        out.push_str(&wrap(
            &format!(
                "Other activities, not counted as running: {}",
                others.join(", ")
            ),
            0,
        ));
    }
    if let Some(f) = &s.figures {
        let _ = writeln!(
            out,
            "\nLast 12 weeks (each row 7 days; the last ends {})",
            f.last_day
        );
        out.push_str(&chart(&f.weeks, 2, width, units));
        let _ = writeln!(out, "\nFigures (the last 7 days end {})", f.last_day);
        let lines = figure_lines(f, pack);
        let name_width = lines.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (name, text) in lines {
            // A hanging indent: the text wraps under itself, not the name.
            let body = wrap(&text, name_width + 4);
            let rest = body.get(name_width + 4..).unwrap_or("");
            let _ = write!(out, "  {name:<name_width$}  {rest}");
        }
    }
    if !s.flags.is_empty() {
        let _ = writeln!(out, "\nWarnings");
        for flag in &s.flags {
            out.push_str(&hang("! ", &flag.text, 2, width));
            out.push_str(&wrap(&format!("Source: {}", flag.source), 4));
        }
    } else if s.figures.is_some() {
        let _ = writeln!(out, "\nWarnings: none from the pack's load rules");
    }
    if !s.skipped.is_empty() {
        let _ = writeln!(out, "\nSkipped ({})", s.skipped.len());
        for line in skipped_lines(&s.skipped) {
            out.push_str(&hang("- ", &line, 2, width));
        }
    }
    // The figures and warnings give distances as "N km"; miles have no
    // more digits, so the wrapped lines still fit.
    let out = crate::render::units::convert_text(&out, units);
    crate::render::text::visible(&out).into_owned()
}

/// "Strava export: 612 activities, 401 runs"; "FIT files: 3 runs".
fn source_words(name: &str, c: &crate::training::SourceCount) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if c.activities == c.runs {
        format!("{name}: {}", plural(c.runs, "run", "runs"))
    } else {
        format!(
            "{name}: {}, {}",
            plural(c.activities, "activity", "activities"),
            plural(c.runs, "run", "runs")
        )
    }
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The skipped items, those that share a reason grouped into one line
/// ("102 rows: activity file not found; pass the export folder or the
/// .zip"), the largest groups first; a reason met once keeps its item.
pub fn skipped_lines(skipped: &[crate::training::Skipped]) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for sk in skipped {
        match groups.iter_mut().find(|(r, _)| *r == sk.reason) {
            Some((_, items)) => items.push(&sk.item),
            None => groups.push((&sk.reason, vec![&sk.item])),
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    groups
        .into_iter()
        .map(|(reason, items)| {
            if let [item] = items.as_slice() {
                return format!("{item}: {reason}");
            }
            let what = if items.iter().all(|i| i.contains(" row ")) {
                "rows"
            } else {
                "items"
            };
            let examples: Vec<&str> = items.iter().take(3).copied().collect();
            format!(
                "{} {what}: {reason} (e.g. {}{})",
                items.len(),
                examples.join("; "),
                if items.len() > 3 { "; …" } else { "" }
            )
        })
        .collect()
}

/// The training section of an assess report (human): the chart, where the
/// figures came from, and the load warnings.
pub fn report_section(
    evidence: &[String],
    s: &Summary,
    width: usize,
    heading: &str,
    units: Units,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{heading}");
    if let Some(f) = &s.figures {
        out.push_str(&chart(&f.weeks, 2, width, units));
    }
    for line in evidence {
        out.push_str(&hang("• ", &convert_text(line, units), 2, width));
    }
    for flag in &s.flags {
        out.push_str(&hang("! ", &convert_text(&flag.text, units), 2, width));
        out.push_str(&crate::render::wrap(
            &format!("Source: {}", flag.source),
            4,
            width,
        ));
    }
    crate::render::text::visible(&out).into_owned()
}

/// `marker` then `text`, wrapped with every line under the text.
fn hang(marker: &str, text: &str, indent: usize, width: usize) -> String {
    let inner = indent + marker.chars().count();
    let body = crate::render::wrap(text, inner, width);
    format!(
        "{}{marker}{}",
        " ".repeat(indent),
        body.get(inner..).unwrap_or("")
    )
}

/// The same section in Markdown.
pub fn markdown_section(evidence: &[String], s: &Summary, units: Units) -> String {
    let mut out = String::from("\n## Your training log\n\n");
    if let Some(f) = &s.figures {
        out.push_str("```text\n");
        out.push_str(&chart(&f.weeks, 0, 80, units));
        out.push_str("```\n\n");
    }
    for line in evidence {
        let _ = writeln!(
            out,
            "- {}",
            crate::render::markdown::escape(&convert_text(line, units))
        );
    }
    for flag in &s.flags {
        let _ = writeln!(
            out,
            "- **Warning:** {} *Source: {}*",
            crate::render::markdown::escape(&convert_text(&flag.text, units)),
            crate::render::markdown::escape(&flag.source)
        );
    }
    crate::render::text::visible(&out).into_owned()
}

/// What `ask --training` tells the runner before the questions.
pub fn skip_note(pack: &Pack, known: &Answers) -> String {
    let names: Vec<&str> = (0..pack.questions.len())
        .filter(|&q| known.is_answered(q))
        .map(|q| pack.questions[q].id.as_str())
        .collect();
    if names.is_empty() {
        return "No training answer came from your training log (too few days of log, or already answered); those questions are asked as usual.".into();
    }
    format!(
        "From your training log: {} answered, so {} not asked.",
        crate::answers::join_words(&names),
        if names.len() == 1 {
            "that question is"
        } else {
            "those questions are"
        }
    )
}

/// The report's `training` member: where the filled answers came from.
fn training_json(pack: &Pack, log: &TrainingAnswers, filled: &[usize]) -> serde_json::Value {
    let s = &log.summary;
    let f = s.figures.as_ref();
    let mut answers = serde_json::Map::new();
    for &q in filled {
        if let Some(Value::Num(v)) = log.answers.get(q) {
            answers.insert(
                pack.questions[q].id.clone(),
                crate::training::figures::json_number(v),
            );
        }
    }
    serde_json::json!({
        "runs": s.runs,
        "first_day": f.map(|f| f.first_day.to_string()),
        "last_day": f.map(|f| f.last_run_day.to_string()),
        "as_of": f.map(|f| f.last_day.to_string()),
        "stale": f.map(|f| f.stale),
        "answers": answers,
        "evidence": log.evidence,
        "weeks": f.map(|f| f.weeks.clone()).unwrap_or_default(),
        "flags": s.flags,
        "skipped": s.skipped,
    })
}

/// The JSON report with a `training` member added.
pub fn json_with_training(
    report: &crate::report::Report,
    pack: &Pack,
    log: &TrainingAnswers,
    filled: &[usize],
) -> String {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert("training".into(), training_json(pack, log, filled));
    }
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// The human report with the training section before the disclaimer.
pub fn human_with_training(
    text: String,
    report: &crate::report::Report,
    log: &TrainingAnswers,
    width: usize,
    units: Units,
) -> String {
    let section = report_section(
        &log.evidence,
        &log.summary,
        width,
        &format!(
            "Your training log (last 12 weeks, {} a week)",
            units.label()
        ),
        units,
    );
    let tail = format!("\n{}", crate::render::wrap(&report.disclaimer, 0, width));
    match text.strip_suffix(&tail) {
        Some(head) => format!("{head}{section}{tail}"),
        None => format!("{text}{section}"),
    }
}

/// The Markdown report with the training section before the disclaimer.
pub fn markdown_with_training(text: String, log: &TrainingAnswers, units: Units) -> String {
    let section = markdown_section(&log.evidence, &log.summary, units);
    match text.rfind("---\n\n") {
        Some(i) => format!("{}{section}\n{}", &text[..i], &text[i..]),
        None => format!("{text}{section}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_week() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██");
        assert_eq!(bar(1.0, 10.0, 4), "▍");
        assert_eq!(bar(0.0, 10.0, 4), "");
    }
}
