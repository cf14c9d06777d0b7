//! The plan as a terminal table, Markdown, JSON, CSV and iCalendar.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::answers::format_number;
use crate::plan::schedule::{Plan, iso_date};

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

/// The plan as a table to read at the terminal.
pub fn human(plan: &Plan, width: usize) -> String {
    let mut out = header(plan);
    if !plan.available {
        out.push_str("\nNo self-directed plan.\n");
        for r in &plan.no_plan {
            out.push_str(&format!(
                "{}\n",
                crate::render::wrap(&format!("- {}: {}", r.because, r.text), 2, width).trim_end()
            ));
        }
        if !plan.first.is_empty() {
            out.push_str("\nWhat to do first:\n");
            for f in &plan.first {
                out.push_str(&format!(
                    "{}\n",
                    crate::render::wrap(&format!("- {}: {}", f.title, f.text), 2, width).trim_end()
                ));
            }
        }
        return out;
    }
    if let Some(rule) = &plan.pain_rule {
        out.push_str(&format!(
            "\n{}\n",
            crate::render::wrap(&format!("{}: {}", rule.name, rule.text), 0, width).trim_end()
        ));
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
    for s in &plan.sessions {
        table.add_row(vec![
            s.week.to_string(),
            iso_date(s.date),
            s.day.clone(),
            s.session.clone(),
            s.minutes.to_string(),
            plan.pain_rule
                .as_ref()
                .map_or_else(String::new, |r| format!("≤ {}/10 during", r.during_max)),
        ]);
    }
    out.push('\n');
    out.push_str(&table.to_string());
    out.push('\n');
    for n in &plan.notes {
        out.push_str(&format!(
            "\n{}\n",
            crate::render::wrap(n, 0, width).trim_end()
        ));
    }
    out
}

/// The plan as Markdown: a heading, the pain rule, a table per week.
pub fn markdown(plan: &Plan) -> String {
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
    let mut week = 0;
    for s in &plan.sessions {
        if s.week != week {
            week = s.week;
            out.push_str(&format!(
                "\n## Week {week}\n\n| Date | Day | Session | Minutes | Pain rule |\n|---|---|---|---:|---|\n"
            ));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            iso_date(s.date),
            s.day,
            escape(&s.session),
            s.minutes,
            escape(&s.pain_rule)
        ));
    }
    for n in &plan.notes {
        out.push_str(&format!("\n{}\n", escape(n)));
    }
    out.push_str(&format!("\n---\n\n{}\n", escape(&plan.disclaimer)));
    out
}

pub fn json(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}

/// One row per session; the header names the columns.
pub fn csv(plan: &Plan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "week",
        "date",
        "day",
        "level",
        "session",
        "minutes",
        "km",
        "pain_rule",
    ]);
    for s in &plan.sessions {
        let _ = w.write_record([
            s.week.to_string(),
            iso_date(s.date),
            s.day.clone(),
            s.level.clone(),
            s.session.clone(),
            s.minutes.to_string(),
            s.km.map(format_number).unwrap_or_default(),
            s.pain_rule.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// One all-day event per session on its local date, the session and the
/// pain rule in its description. Without a plan: an empty calendar (the
/// advice is printed on standard error by the command).
pub fn ics(plan: &Plan) -> String {
    let mut cal = Calendar::new();
    cal.name("Return to running (knee-triage)");
    let rule_text = plan
        .pain_rule
        .as_ref()
        .map(|r| format!("{}: {}", r.name, r.text))
        .unwrap_or_default();
    for (i, s) in plan.sessions.iter().enumerate() {
        let description = format!(
            "{}\nPain rule: {}\n\n{}\n\nWeek {}, session {} of the plan started {}.",
            s.session,
            s.pain_rule,
            rule_text,
            s.week,
            i + 1,
            iso_date(plan.start)
        );
        let event = Event::new()
            .uid(&format!(
                "knee-triage-{}-{}@knee-triage",
                iso_date(plan.start),
                i + 1
            ))
            .summary(&format!("Knee: {}", s.session))
            .description(&description)
            // All-day on the local date; DTEND is exclusive (RFC 5545).
            .starts(s.date)
            .ends(s.date + chrono::Duration::days(1))
            .done();
        cal.push(event);
    }
    cal.done().to_string()
}
