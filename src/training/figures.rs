//! The contract's training figures, computed in this one place from the
//! activities every reader returns.
//!
//! Days are UTC dates. The last day is that of the latest run unless
//! `--today` says otherwise; "the last 7 days" are the last day and the six
//! before it, and "the 28 days before them" end the day before those 7.
//!
//! A figure the log cannot support is left out:
//! - `weekly_km` needs the log to reach back 7 days (a first run on or
//!   before the first of the 7 days);
//! - `mileage_increase_pct`, `long_run_increase_pct` and the
//!   acute:chronic ratio need 21 or more days of log before the 7 days, and
//!   some running in the window they compare against;
//! - `rest_days` needs the log to reach back 28 days;
//! - `week_increase_pct` needs 7 days of log before the 7 days and some
//!   running in them;
//! - `shoe_km` needs a Strava export whose latest run names its gear.
//!
//! Rounding, at the end only: distances to 0.1 km, percentages to whole
//! numbers, half away from zero; `rest_days` is the mean rest days a week,
//! rounded half up; the ratio to two decimals.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::{Activity, Sport};
use crate::answers::format_number;
use crate::model::LoadRules;

/// One of the last 12 weeks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// First day of the week, `YYYY-MM-DD`.
    pub start: String,
    pub km: f64,
    pub runs: usize,
    pub longest_km: f64,
}

/// A load warning raised by the pack's `[load]` rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub id: String,
    pub text: String,
    pub source: String,
}

/// Every figure, unrounded inputs kept for the words around them.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Oldest first, the last one ending on `last_day`.
    pub weeks: Vec<Week>,
    pub weekly_km: Option<f64>,
    /// The weekly mean of the 28 days before the last 7.
    pub prior_weekly_mean_km: Option<f64>,
    pub mileage_increase_pct: Option<f64>,
    /// Longest run of the last 7 days (0 without one).
    pub longest_km: f64,
    /// Longest run of the 30 days before the last 7.
    pub prior_longest_km: Option<f64>,
    pub long_run_increase_pct: Option<f64>,
    pub rest_days: Option<f64>,
    /// The gear of the latest run and the distance logged with it.
    pub shoe: Option<(String, f64)>,
    /// The 7 days before the last 7.
    pub previous_week_km: Option<f64>,
    pub week_increase_pct: Option<f64>,
    /// Descriptive only: the last 7 days over the prior weekly mean.
    pub acute_chronic_ratio: Option<f64>,
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn day(d: NaiveDate, back: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(back))
        .unwrap_or(NaiveDate::MIN)
}

/// Per day: distance, runs, longest run.
type Days_ = BTreeMap<NaiveDate, (f64, usize, f64)>;

fn span(days: &Days_, from: NaiveDate, to: NaiveDate) -> (f64, usize, f64) {
    days.range(from..=to)
        .fold((0.0, 0, 0.0), |(km, n, long), (_, (k, r, l))| {
            (km + k, n + r, f64::max(long, *l))
        })
}

fn pct(now: f64, before: f64) -> f64 {
    ((now - before) / before * 100.0).round()
}

/// The figures of the runs among `activities` (already in a fixed order),
/// or `None` without a run. `strava`: gear names are known.
pub fn compute(activities: &[Activity], strava: bool, today: Option<NaiveDate>) -> Option<Figures> {
    let runs: Vec<&Activity> = activities
        .iter()
        .filter(|a| a.sport == Sport::Run)
        .collect();
    let first_day = runs.iter().map(|a| a.start.date()).min()?;
    let latest = runs.iter().max_by_key(|a| a.start)?;
    let last_day = today.unwrap_or(latest.start.date());
    let mut days: Days_ = BTreeMap::new();
    for r in &runs {
        let e = days.entry(r.start.date()).or_insert((0.0, 0, 0.0));
        e.0 += r.km;
        e.1 += 1;
        e.2 = f64::max(e.2, r.km);
    }

    let weeks = (0..12u64)
        .map(|i| {
            let start = day(last_day, 6 + 7 * (11 - i));
            let (km, n, long) = span(&days, start, day(start, 0) + Days::new(6));
            Week {
                start: start.to_string(),
                km: round1(km),
                runs: n,
                longest_km: round1(long),
            }
        })
        .collect();

    let start7 = day(last_day, 6);
    let (km7, _, longest7) = span(&days, start7, last_day);
    let weekly_km = (first_day <= start7).then_some(km7);

    // 21 days of log before the 7 days.
    let month_ok = first_day <= day(start7, 21);
    let (km28, _, _) = span(&days, day(start7, 28), day(start7, 1));
    let prior_mean = km28 / 4.0;
    let prior_weekly_mean_km = month_ok.then_some(prior_mean);
    let mileage_increase_pct = (month_ok && prior_mean > 0.0).then(|| pct(km7, prior_mean));
    let acute_chronic_ratio =
        (month_ok && prior_mean > 0.0).then(|| (km7 / prior_mean * 100.0).round() / 100.0);

    let (_, _, longest30) = span(&days, day(start7, 30), day(start7, 1));
    let prior_longest_km = month_ok.then_some(longest30);
    let long_run_increase_pct =
        (month_ok && longest30 > 0.0).then(|| pct(longest7, longest30).max(0.0));

    let rest_days = (first_day <= day(last_day, 27)).then(|| {
        let run_days = days.range(day(last_day, 27)..=last_day).count();
        let rest = (28 - run_days) as f64 / 4.0;
        (rest + 0.5).floor()
    });

    let week_ok = first_day <= day(start7, 7);
    let (km_prev, _, _) = span(&days, day(start7, 7), day(start7, 1));
    let previous_week_km = week_ok.then_some(km_prev);
    let week_increase_pct = (week_ok && km_prev > 0.0).then(|| pct(km7, km_prev));

    let shoe = if strava {
        latest
            .gear
            .as_ref()
            .filter(|g| !g.trim().is_empty())
            .map(|gear| {
                let km: f64 = activities
                    .iter()
                    .filter(|a| a.gear.as_ref() == Some(gear) && a.start.date() <= last_day)
                    .map(|a| a.km)
                    .sum();
                (gear.clone(), km)
            })
    } else {
        None
    };

    Some(Figures {
        first_day,
        last_day,
        weeks,
        weekly_km,
        prior_weekly_mean_km,
        mileage_increase_pct,
        longest_km: longest7,
        prior_longest_km,
        long_run_increase_pct,
        rest_days,
        shoe,
        previous_week_km,
        week_increase_pct,
        acute_chronic_ratio,
    })
}

impl Figures {
    /// The contract's training answers, rounded as reported.
    pub fn answers(&self) -> Vec<(&'static str, f64)> {
        [
            ("weekly_km", self.weekly_km.map(round1)),
            ("mileage_increase_pct", self.mileage_increase_pct),
            ("long_run_increase_pct", self.long_run_increase_pct),
            ("rest_days", self.rest_days),
            ("shoe_km", self.shoe.as_ref().map(|(_, km)| round1(*km))),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }

    /// A figure by the name a `[load]` flag uses.
    pub fn value(&self, name: &str) -> Option<f64> {
        match name {
            "weekly_km" => self.weekly_km.map(round1),
            "mileage_increase_pct" => self.mileage_increase_pct,
            "long_run_increase_pct" => self.long_run_increase_pct,
            "rest_days" => self.rest_days,
            "shoe_km" => self.shoe.as_ref().map(|(_, km)| round1(*km)),
            "week_increase_pct" => self.week_increase_pct,
            "acute_chronic_ratio" => self.acute_chronic_ratio,
            _ => None,
        }
    }

    /// Where each figure came from, in words, for the report's evidence.
    pub fn evidence_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(km) = self.weekly_km {
            let change = match (self.mileage_increase_pct, self.prior_weekly_mean_km) {
                (Some(p), Some(mean)) => format!(
                    ", {} {} % on the weekly mean of the 28 days before ({} km)",
                    if p < 0.0 { "down" } else { "up" },
                    format_number(p.abs()),
                    format_number(round1(mean))
                ),
                _ => String::new(),
            };
            out.push(format!(
                "from your training log: {} km in the last 7 days{change}",
                format_number(round1(km))
            ));
        }
        if let (Some(p), Some(before)) = (self.long_run_increase_pct, self.prior_longest_km) {
            out.push(format!(
                "from your training log: longest run of the last 7 days {} km, {} % longer than the longest of the 30 days before ({} km)",
                format_number(round1(self.longest_km)),
                format_number(p),
                format_number(round1(before))
            ));
        }
        if let Some(r) = self.rest_days {
            out.push(format!(
                "from your training log: {} rest days a week over the last 28 days",
                format_number(r)
            ));
        }
        if let Some((gear, km)) = &self.shoe {
            out.push(format!(
                "from your training log: {} km logged in \"{gear}\", the shoes of your latest run",
                format_number(round1(*km))
            ));
        }
        out
    }
}

/// The pack's warnings whose figure is above its threshold.
pub fn flags(figures: &Figures, rules: &LoadRules) -> Vec<Flag> {
    rules
        .flags
        .iter()
        .filter_map(|rule| {
            let v = figures.value(&rule.figure)?;
            (v > rule.above).then(|| Flag {
                id: rule.id.clone(),
                text: rule.text.replace("{value}", &format_number(v)),
                source: rule.source.clone(),
            })
        })
        .collect()
}

/// A whole number as a JSON integer, else as a float.
pub fn json_number(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Value::from(v)
    }
}
