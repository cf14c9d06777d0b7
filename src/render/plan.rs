//! The plan as a terminal table, Markdown, JSON, CSV and iCalendar.
//! Distances are in the runner's unit everywhere but JSON (kilometres).

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::answers::format_number;
use crate::plan::schedule::{Plan, Session, iso_date};
use crate::render::units::Units;

/// A distance in the runner's unit, to a tenth.
fn distance(units: Units, km: f64) -> String {
    units.distance(km)
}

fn session_text(s: &Session, units: Units) -> String {
    s.describe(|km| distance(units, km))
}

/// A note or sentence of the plan with its kilometres in the runner's
/// unit ("30 km a week" -> "18.6 mi a week").
fn in_units(text: &str, units: Units) -> String {
    if units == Units::Km {
        return text.to_owned();
    }
    let mut out = String::new();
    let words: Vec<&str> = text.split(' ').collect();
    let mut i = 0;
    while i < words.len() {
        if i + 1 < words.len()
            && words[i + 1].trim_end_matches([',', '.', ';', ':']) == "km"
            && let Ok(n) = words[i].parse::<f64>()
        {
            let tail = &words[i + 1][2..];
            out.push_str(&format!("{}{tail}", distance(units, n)));
            i += 2;
        } else {
            out.push_str(words[i]);
            i += 1;
        }
        if i < words.len() {
            out.push(' ');
        }
    }
    out
}

/// The pain ceiling in a few words, for a table cell.
fn ceiling(plan: &Plan) -> String {
    match &plan.pain_rule {
        Some(r) if r.during_max == 0 => "no pain".into(),
        Some(r) => format!("≤ {}/10 during", r.during_max),
        None => String::new(),
    }
}

fn header(plan: &Plan) -> String {
    let mut out = format!(
        "Return-to-running plan from {} ({})\n",
        iso_date(plan.start),
        plan.start.format("%A")
    );
    out.push_str(&format!("Triage: {} — {}\n", plan.level, plan.level_action));
    if let Some(c) = &plan.cause {
        out.push_str(&format!(
            "Most likely: {} ({})\n",
            c.name,
            c.likelihood.as_str()
        ));
    }
    out
}

/// `plan --help`: every pain rule of the pack in plain words, and when it
/// applies.
pub fn pain_rules_help(pack: &crate::model::Pack) -> String {
    let mut out = String::from(
        "Pain rules (content/plan.toml): every session has one, the same as the report's Running line. Of the rules for a bone at risk and for children, the strictest that holds applies; else the one for the likely condition; else the joint and soft-tissue rule.",
    );
    for r in &pack.pain_rules {
        let name = if r.name.is_empty() { &r.id } else { &r.name };
        out.push_str(&format!("\n  {name}: {}.", r.short));
    }
    out
}

/// The plan as a table to read at the terminal.
pub fn human(plan: &Plan, width: usize, units: Units) -> String {
    let wrap = |text: &str, indent: usize| {
        crate::render::wrap(text, indent, width)
            .trim_end()
            .to_owned()
    };
    // The header's lines are prose too: a long level action wraps at a
    // word, not at the terminal's edge.
    let mut out: String = header(plan)
        .lines()
        .map(|line| wrap(line, 0) + "\n")
        .collect();
    if !plan.available {
        out.push_str("\nNo self-directed plan.\n");
        for r in &plan.no_plan {
            out.push_str(&format!(
                "{}\n",
                wrap(&format!("- {}: {}", r.because, r.text), 2)
            ));
        }
        if !plan.first.is_empty() {
            out.push_str("\nWhat to do first:\n");
            for f in &plan.first {
                out.push_str(&format!(
                    "{}\n",
                    wrap(&format!("- {}: {}", f.title, f.text), 2)
                ));
            }
        }
        for n in &plan.notes {
            out.push_str(&format!("\n{}\n", wrap(n, 0)));
        }
        return out;
    }
    if let Some(rule) = &plan.pain_rule {
        out.push_str(&format!(
            "\n{}\n",
            wrap(&format!("{}: {}", rule.name, rule.text), 0)
        ));
    }
    if let Some(p) = plan.entry_text.clone() {
        out.push_str(&format!("\n{}\n", wrap(&p, 0)));
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(u16::MAX as usize) as u16)
        .set_header(vec![
            "Week",
            "Date",
            "Day",
            "Session",
            "Minutes",
            "Pain rule",
        ]);
    let mut easy_note = None;
    for s in &plan.sessions {
        let mut text = session_text(s, units);
        if let Some(n) = &s.note {
            text.push_str(" *");
            easy_note = Some(n.clone());
        }
        table.add_row(vec![
            s.week.to_string(),
            iso_date(s.date),
            s.day.clone(),
            text,
            s.minutes.to_string(),
            ceiling(plan),
        ]);
    }
    out.push('\n');
    out.push_str(&table.to_string());
    out.push('\n');
    if let Some(n) = easy_note {
        out.push_str(&format!("{}\n", wrap(&format!("* {n}"), 2)));
    }
    for n in &plan.notes {
        out.push_str(&format!("\n{}\n", wrap(&in_units(n, units), 0)));
    }
    out
}

/// The plan as Markdown: a heading, the pain rule, the entry checks, a
/// table per week.
pub fn markdown(plan: &Plan, units: Units) -> String {
    use crate::render::markdown::escape;
    let mut out = format!("# Return-to-running plan from {}\n\n", iso_date(plan.start));
    out.push_str(&format!(
        "**Triage:** {} — {}\n\n",
        plan.level,
        escape(&plan.level_action)
    ));
    if let Some(c) = &plan.cause {
        out.push_str(&format!(
            "**Most likely:** {} ({})\n\n",
            escape(&c.name),
            c.likelihood.as_str()
        ));
    }
    if !plan.available {
        out.push_str("## No self-directed plan\n\n");
        for r in &plan.no_plan {
            out.push_str(&format!("- {}: {}\n", escape(&r.because), escape(&r.text)));
        }
        if !plan.first.is_empty() {
            out.push_str("\n## What to do first\n\n");
            for f in &plan.first {
                out.push_str(&format!(
                    "- **{}**: {}\n",
                    escape(&f.title),
                    escape(&f.text)
                ));
            }
        }
        for n in &plan.notes {
            out.push_str(&format!("\n{}\n", escape(n)));
        }
        out.push_str(&format!("\n---\n\n{}\n", escape(&plan.disclaimer)));
        return out;
    }
    if let Some(rule) = &plan.pain_rule {
        out.push_str(&format!(
            "## {}\n\n{}\n\n",
            escape(&rule.name),
            escape(&rule.text)
        ));
    }
    if !plan.entry_checks.is_empty() {
        out.push_str("## Before week 1\n\n");
        for c in &plan.entry_checks {
            let mark = if plan.entry_checks_failed.contains(c) {
                " (not yet)"
            } else {
                ""
            };
            out.push_str(&format!("- [ ] {}{mark}\n", escape(c)));
        }
        if let Some(t) = &plan.entry_text {
            out.push_str(&format!("\n{}\n", escape(t)));
        }
        out.push('\n');
    }
    let mut week = 0;
    for s in &plan.sessions {
        if s.week != week {
            week = s.week;
            out.push_str(&format!(
                "\n## Week {week}\n\n| Date | Day | Session | Minutes | Pain rule | Note |\n|---|---|---|---:|---|---|\n"
            ));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            iso_date(s.date),
            s.day,
            escape(&session_text(s, units)),
            s.minutes,
            escape(&s.pain_rule),
            escape(s.note.as_deref().unwrap_or(""))
        ));
    }
    for n in &plan.notes {
        out.push_str(&format!("\n{}\n", escape(&in_units(n, units))));
    }
    out.push_str(&format!("\n---\n\n{}\n", escape(&plan.disclaimer)));
    out
}

/// The plan as JSON; distances always in kilometres.
pub fn json(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}

/// One row per session; the header names the columns (the distance
/// column is named after the unit).
pub fn csv(plan: &Plan, units: Units) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "week",
        "date",
        "day",
        "level",
        "session",
        "minutes",
        units.label(),
        "pain_rule",
        "note",
    ]);
    for s in &plan.sessions {
        let _ = w.write_record([
            s.week.to_string(),
            iso_date(s.date),
            s.day.clone(),
            s.level.clone(),
            session_text(s, units),
            s.minutes.to_string(),
            s.km.map(|k| format_number((units.from_km(k) * 10.0).round() / 10.0))
                .unwrap_or_default(),
            s.pain_rule.clone(),
            s.note.clone().unwrap_or_default(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// One all-day event per session on its local date, the session and the
/// pain rule in its description, the entry checks in the first. Without
/// a plan: an empty calendar (the command prints the advice instead).
pub fn ics(plan: &Plan, units: Units) -> String {
    let mut cal = Calendar::new();
    cal.name("Return to running (knee-triage)");
    let rule_text = plan
        .pain_rule
        .as_ref()
        .map(|r| format!("{}: {}", r.name, r.text))
        .unwrap_or_default();
    for (i, s) in plan.sessions.iter().enumerate() {
        let mut description = format!("{}\nPain rule: {}", session_text(s, units), s.pain_rule);
        if let Some(n) = &s.note {
            description.push_str(&format!("\n{n}"));
        }
        if i == 0
            && let Some(p) = plan.entry_text.clone()
        {
            description.push_str(&format!("\n\n{p}"));
        }
        description.push_str(&format!(
            "\n\n{}\n\nWeek {}, session {} of the plan started {}.",
            rule_text,
            s.week,
            i + 1,
            iso_date(plan.start)
        ));
        let event = Event::new()
            .uid(&format!(
                "knee-triage-{}-{}@knee-triage",
                iso_date(plan.start),
                i + 1
            ))
            .summary(&format!("Knee: {}", session_text(s, units)))
            .description(&description)
            // All-day on the local date; DTEND is exclusive (RFC 5545).
            .starts(s.date)
            .ends(s.date + chrono::Duration::days(1))
            .done();
        cal.push(event);
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_say_their_distances_in_miles() {
        assert_eq!(
            in_units(
                "Back at your previous 30 km a week in week 5: fine.",
                Units::Mi
            ),
            "Back at your previous 18.6 mi a week in week 5: fine."
        );
        assert_eq!(in_units("at 12.5 km, then", Units::Mi), "at 7.8 mi, then");
        assert_eq!(in_units("30 km", Units::Km), "30 km");
        assert_eq!(in_units("30 km", Units::Mi), "18.6 mi");
    }
}
