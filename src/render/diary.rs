//! `history`: the days as a table, a chart of pain and distance that reads
//! without colour, and the trend; or JSON, or CSV.

use chrono::Datelike;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::answers::format_number;
use crate::diary::decide::Verdict;
use crate::diary::store::{Day, SavedPlan};
use crate::plan::schedule::iso_date;

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

pub fn csv(h: &History) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "date",
        "pain",
        "run_km",
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
            d.day.run_km.map(format_number).unwrap_or_default(),
            d.day.no_run.to_string(),
            d.day
                .next_morning
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            warnings.join(";"),
            d.decision.to_owned(),
            d.reason.to_owned(),
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

/// The table, the chart and the trend.
pub fn human(h: &History, width: usize) -> String {
    if h.days.is_empty() {
        return "The knee diary is empty: `knee-triage checkin --pain N` records a day.\n".into();
    }
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width.min(u16::MAX as usize) as u16)
        .set_header(vec!["Date", "Pain", "Run km", "Next morning", "Answer"]);
    for d in &h.days {
        let run = if d.day.no_run {
            "rest".to_owned()
        } else {
            d.day
                .run_km
                .map(format_number)
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
            answer,
        ]);
    }
    let mut out = table.to_string();
    out.push_str("\n\n");
    out.push_str(&chart(&h.days, width));
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
    out
}

/// Two bar charts over time, one column per day (or per group of days
/// when the diary is wider than the terminal): pain 0-10 in `#`, distance
/// in `=`. Days without a check-in are blank.
pub fn chart(days: &[DayOut], width: usize) -> String {
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
            "Distance (km), top row = {}\n",
            format_number((max_km * 10.0).round() / 10.0)
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
