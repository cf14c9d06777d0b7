//! `history`: the days as a table, a chart of pain and distance that reads
//! without colour, and the trend; or JSON, or CSV.

use chrono::Datelike;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::answers::format_number;
use crate::diary::decide::Verdict;
use crate::diary::store::{Day, SavedPlan};
use crate::plan::schedule::iso_date;
use crate::render::text::csv_cell;
use crate::render::units::{self, Units};

/// A day with the answer it gets today (recomputed, never stored).
#[derive(Debug, Clone, Serialize)]
pub struct DayOut<'a> {
    #[serde(flatten)]
    pub day: &'a Day,
    pub decision: &'static str,
    pub reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<crate::model::Level>,
}

/// `history --json`.
#[derive(Debug, Serialize)]
pub struct History<'a> {
    pub days: Vec<DayOut<'a>>,
    pub trend: Option<&'static str>,
    /// The saved plan (its start and answers), so `checkin --import`
    /// restores the same history.
    pub plan: Option<&'a SavedPlan>,
}

pub fn history<'a>(
    days: &'a [Day],
    verdicts: &'a [Verdict],
    trend: Option<&'static str>,
    plan: Option<&'a SavedPlan>,
) -> History<'a> {
    History {
        days: days
            .iter()
            .zip(verdicts)
            .map(|(day, v)| DayOut {
                day,
                decision: v.decision.as_str(),
                reason: &v.reason,
                level: v.level,
            })
            .collect(),
        trend,
        plan,
    }
}

pub fn json(h: &History) -> String {
    serde_json::to_string_pretty(h).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}

/// One row a day; the distance in `units` (`run_km` or `run_mi`).
pub fn csv(h: &History, units: Units) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let run = format!("run_{}", units.label());
    let _ = w.write_record([
        "date",
        "pain",
        run.as_str(),
        "no_run",
        "next_morning",
        "warnings",
        "decision",
        "reason",
    ]);
    for d in &h.days {
        let warnings = answer_words(d.day, "=", "_");
        let _ = w.write_record([
            iso_date(d.day.date),
            d.day.pain.to_string(),
            d.day
                .run_km
                .map(|km| distance_number(km, units))
                .unwrap_or_default(),
            d.day.no_run.to_string(),
            d.day
                .next_morning
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            // A cell a spreadsheet would run as a formula is shown as text.
            csv_cell(&warnings.join(";")).into_owned(),
            csv_cell(d.decision).into_owned(),
            csv_cell(d.reason).into_owned(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The answers given on a day, each in a word or two: a yes as its key
/// ("locking"), any other value after it ("swelling marked"); a no is
/// left out. `between` joins key and value; `space` stands for `_`.
pub fn answer_words(day: &Day, between: &str, space: &str) -> Vec<String> {
    day.answers
        .iter()
        .filter_map(|(k, v)| {
            let key = k.replace('_', space);
            match v {
                serde_json::Value::Bool(true) => Some(key),
                serde_json::Value::Bool(false) | serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(format!("{key}{between}{s}")),
                serde_json::Value::Array(items) => {
                    let items: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
                    Some(format!("{key}{between}{}", items.join(",")))
                }
                other => Some(format!("{key}{between}{other}")),
            }
        })
        .collect()
}

/// A day's distance as a number in the unit, to two decimals without
/// trailing zeros, so a table program reads back what was recorded (to
/// 10 m, or 0.01 mi).
fn distance_number(km: f64, units: Units) -> String {
    let s = format!("{:.2}", units.from_km(km));
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The table, the chart and the trend, distances in `units`.
pub fn human(h: &History, width: usize, units: Units) -> String {
    if h.days.is_empty() {
        return "The knee diary is empty: `knee-triage checkin --pain N` records a day.\n".into();
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(u16::MAX as usize) as u16)
        .set_header(vec![
            "Date".to_owned(),
            "Pain".to_owned(),
            format!("Run {}", units.label()),
            "Next morning".to_owned(),
            "Answer".to_owned(),
        ]);
    for d in &h.days {
        let run = if d.day.no_run {
            "rest".to_owned()
        } else {
            d.day
                .run_km
                .map(|km| units::amount(km, units))
                .unwrap_or_else(|| "-".into())
        };
        let warnings = answer_words(d.day, " ", " ");
        let mut answer = d.decision.to_owned();
        if !warnings.is_empty() {
            answer.push_str(&format!(" ({})", warnings.join(", ")));
        }
        table.add_row(vec![
            format!("{} {}", d.day.date.weekday(), iso_date(d.day.date)),
            format!("{}/10", d.day.pain),
            run,
            d.day
                .next_morning
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            crate::render::text::visible(&answer).into_owned(),
        ]);
    }
    let mut out = table.to_string();
    out.push_str("\n\n");
    out.push_str(&chart(&h.days, width, units));
    out.push_str(&format!(
        "\nTrend: {}\n",
        match h.trend {
            Some(t) => t.to_owned(),
            None => "not enough days yet to tell".to_owned(),
        }
    ));
    if let Some(last) = h.days.last() {
        out.push_str(&format!(
            "Latest answer: {} — {}\n",
            last.decision, last.reason
        ));
    }
    crate::render::text::visible(&out).into_owned()
}

/// The plan the diary follows, for the Markdown diary.
#[derive(Debug, Clone)]
pub struct PlanInForce {
    pub start: chrono::NaiveDate,
    /// The level of the plan's answers ("Self-care").
    pub level: String,
    /// Where the runner is on the plan now ("\"Run 1 min / walk 1 min\"").
    pub step: String,
    /// The pain rule, in one line.
    pub rule: String,
    /// The next session, unless the last check-in said to get help.
    pub next: Option<String>,
}

/// `history --format markdown`: the diary for a physiotherapist. What it
/// covers, the pain and distance in figures, the trend and the plan in
/// force first, then every day in a table and the chart as text.
/// `window_days`: the trend's window; `date`: the day it is written.
pub fn markdown(
    h: &History,
    plan: Option<&PlanInForce>,
    units: Units,
    window_days: u32,
    date: &str,
) -> String {
    use std::fmt::Write as _;

    use crate::render::markdown::escape;
    let mut out = String::from("---\n");
    let _ = writeln!(out, "pagetitle: \"Knee diary, {date}\"");
    out.push_str("lang: en-GB\n---\n\n# Knee diary\n\n");
    let _ = writeln!(out, "- **Written:** {date}");
    let (Some(first), Some(last)) = (h.days.first(), h.days.last()) else {
        out.push_str("\nThe knee diary is empty: `knee-triage checkin --pain N` records a day.\n");
        return out;
    };
    let (first_day, last_day) = (first.day.date, last.day.date);
    let _ = writeln!(
        out,
        "- **Days:** {} check-in{} from {} to {}",
        h.days.len(),
        if h.days.len() == 1 { "" } else { "s" },
        iso_date(first_day),
        iso_date(last_day)
    );
    let recent: Vec<&DayOut> = h
        .days
        .iter()
        .filter(|d| (last_day - d.day.date).num_days() < i64::from(window_days))
        .collect();
    let mean = recent.iter().map(|d| f64::from(d.day.pain)).sum::<f64>() / recent.len() as f64;
    let worst = h
        .days
        .iter()
        .max_by_key(|d| d.day.pain)
        .map_or(first, |d| d);
    let _ = writeln!(
        out,
        "- **Pain:** {}/10 on average over the last {window_days} days; the worst was {}/10, on {}",
        format_number((mean * 10.0).round() / 10.0),
        worst.day.pain,
        iso_date(worst.day.date)
    );
    let runs: Vec<f64> = h.days.iter().filter_map(|d| d.day.run_km).collect();
    let recent_km: f64 = recent.iter().filter_map(|d| d.day.run_km).sum();
    let _ = writeln!(
        out,
        "- **Distance:** {} run{}, {} {} in all; {} {} in the last {window_days} days",
        runs.len(),
        if runs.len() == 1 { "" } else { "s" },
        units::amount(runs.iter().sum(), units),
        units.label(),
        units::amount(recent_km, units),
        units.label()
    );
    let _ = writeln!(
        out,
        "- **Trend:** {}",
        match h.trend {
            Some(t) => format!(
                "{t} (the mean pain of the last {window_days} days against the {window_days} before)"
            ),
            None => "not enough days yet to tell".to_owned(),
        }
    );
    let _ = writeln!(
        out,
        "- **Latest check-in:** {}: {}\n",
        last.decision,
        escape(last.reason)
    );

    out.push_str("## The plan in force\n\n");
    match plan {
        Some(p) => {
            let _ = writeln!(
                out,
                "- **Started:** {}, from answers at the level {}",
                iso_date(p.start),
                escape(&p.level)
            );
            let _ = writeln!(out, "- **Now at:** {}", escape(&p.step));
            let _ = writeln!(out, "- **Pain rule:** {}", escape(&p.rule));
            let _ = writeln!(
                out,
                "- **Next session:** {}\n",
                p.next
                    .as_deref()
                    .map_or("none until the knee has been seen".to_owned(), escape)
            );
        }
        None => out.push_str("No plan saved (`knee-triage plan --save` saves one).\n\n"),
    }

    out.push_str("## Day by day\n\n");
    let _ = writeln!(
        out,
        "| Date | Pain | Run ({}) | Next morning | Answers given | Check-in |",
        units.label()
    );
    out.push_str("|---|---:|---:|---|---|---|\n");
    for d in &h.days {
        let run = if d.day.no_run {
            "rest".to_owned()
        } else {
            d.day
                .run_km
                .map_or("-".to_owned(), |km| units::amount(km, units))
        };
        let _ = writeln!(
            out,
            "| {} {} | {}/10 | {run} | {} | {} | {}: {} |",
            d.day.date.weekday(),
            iso_date(d.day.date),
            d.day.pain,
            d.day.next_morning.map_or("", |m| m.as_str()),
            escape(&answer_words(d.day, " ", " ").join(", ")),
            d.decision,
            escape(d.reason)
        );
    }
    out.push_str("\n## Pain and distance over time\n\n```text\n");
    out.push_str(chart(&h.days, 100, units).trim_end());
    out.push_str("\n```\n\n## Notes\n\n```text\n");
    out.push_str(&"\n".repeat(8));
    out.push_str("```\n");
    out
}

/// Two bar charts over time, one column per day (or per group of days
/// when the diary is wider than the terminal): pain 0-10 in `#`, distance
/// in `=`. Days without a check-in are blank.
pub fn chart(days: &[DayOut], width: usize, units: Units) -> String {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return String::new();
    };
    let span = (last.day.date - first.day.date).num_days() as usize + 1;
    let columns = width.saturating_sub(8).max(10);
    let per = span.div_ceil(columns).max(1);
    let n = span.div_ceil(per);
    let mut pain: Vec<Option<f64>> = vec![None; n];
    let mut km = vec![0.0f64; n];
    let mut counts = vec![0usize; n];
    for d in days {
        let c = (d.day.date - first.day.date).num_days() as usize / per;
        let p = pain[c].get_or_insert(0.0);
        *p += f64::from(d.day.pain);
        counts[c] += 1;
        km[c] += d.day.run_km.unwrap_or(0.0);
    }
    for (p, c) in pain.iter_mut().zip(&counts) {
        if let Some(v) = p {
            *v /= *c as f64;
        }
    }
    let unit = if per == 1 {
        "one column a day".to_owned()
    } else {
        format!("one column = {per} days (mean pain, total distance)")
    };
    let mut out = format!(
        "Pain (0-10), {} to {}, {unit}\n",
        iso_date(first.day.date),
        iso_date(last.day.date)
    );
    for row in (1..=10).rev() {
        let label = if row % 2 == 0 {
            format!("{row:>3} |")
        } else {
            "    |".to_owned()
        };
        let line: String = pain
            .iter()
            .map(|p| match p {
                Some(v) if v.round() as i32 >= row => '#',
                _ => ' ',
            })
            .collect();
        out.push_str(&format!("{label}{}\n", line.trim_end()));
    }
    let zero: String = pain
        .iter()
        .map(|p| if p.is_some() { '.' } else { ' ' })
        .collect();
    out.push_str(&format!("  0 +{}\n", zero.trim_end()));
    let max_km = km.iter().copied().fold(0.0, f64::max);
    if max_km > 0.0 {
        let rows = 5;
        out.push_str(&format!(
            "Distance ({}), top row = {}\n",
            units.label(),
            units::amount(max_km, units)
        ));
        for row in (1..=rows).rev() {
            let line: String = km
                .iter()
                .map(|k| {
                    if *k > 0.0 && (k / max_km * rows as f64).ceil() as usize >= row {
                        '='
                    } else {
                        ' '
                    }
                })
                .collect();
            out.push_str(&format!("    |{}\n", line.trim_end()));
        }
        out.push_str(&format!("  0 +{}\n", "-".repeat(n)));
    }
    out
}
