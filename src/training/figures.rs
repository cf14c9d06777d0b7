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
//! A stale log (its latest run more than [`STALE_DAYS`] days before today,
//! or `--today`) still shows its weeks, but fills no answer except
//! `shoe_km`: last month's running says little about this week's.
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

/// A log whose latest run is more than this many days before today is
/// stale (contract v3).
pub const STALE_DAYS: i64 = 14;

/// Every figure, unrounded inputs kept for the words around them.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub first_day: NaiveDate,
    /// The day the figures describe: `--today`, else the latest run's day.
    pub last_day: NaiveDate,
    /// The day of the latest run.
    pub last_run_day: NaiveDate,
    /// Days from the latest run to today (or `--today`).
    pub days_since_last_run: i64,
    /// More than [`STALE_DAYS`] days: only `shoe_km` is an answer.
    pub stale: bool,
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
/// or `None` without a run. `strava`: gear names are known; `today`: the
/// `--today` given; `now`: the real date, for staleness without it.
pub fn compute(
    activities: &[Activity],
    strava: bool,
    today: Option<NaiveDate>,
    now: NaiveDate,
) -> Option<Figures> {
    let runs: Vec<&Activity> = activities
        .iter()
        .filter(|a| a.sport == Sport::Run)
        .collect();
    let first_day = runs.iter().map(|a| a.start.date()).min()?;
    let latest = runs.iter().max_by_key(|a| a.start)?;
    let last_run_day = latest.start.date();
    let last_day = today.unwrap_or(last_run_day);
    let days_since_last_run = (today.unwrap_or(now) - last_run_day).num_days();
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
        last_run_day,
        days_since_last_run,
        stale: days_since_last_run > STALE_DAYS,
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
    /// The contract's training answers, rounded as reported; of a stale
    /// log only `shoe_km`.
    pub fn answers(&self) -> Vec<(&'static str, f64)> {
        let all = [
            ("weekly_km", self.weekly_km.map(round1)),
            ("mileage_increase_pct", self.mileage_increase_pct),
            ("long_run_increase_pct", self.long_run_increase_pct),
            ("rest_days", self.rest_days),
            ("shoe_km", self.shoe.as_ref().map(|(_, km)| round1(*km))),
        ];
        all.into_iter()
            .filter(|(k, _)| !self.stale || *k == "shoe_km")
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }

    /// "your training log ends 698 days ago (2024-01-08)": what every
    /// report says of a stale log.
    pub fn stale_words(&self) -> Option<String> {
        self.stale.then(|| {
            format!(
                "your training log ends {} days ago ({}), so its figures are not taken as this week's; only the shoes' distance is used",
                self.days_since_last_run, self.last_run_day
            )
        })
    }

    /// A figure by the name a `[load]` flag uses; of a stale log only
    /// `shoe_km` (an old month raises no warning about this week).
    pub fn value(&self, name: &str) -> Option<f64> {
        if self.stale && name != "shoe_km" {
            return None;
        }
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
        if let Some(words) = self.stale_words() {
            out.push(format!("from your training log: {words}"));
        }
        if let Some(km) = self.weekly_km.filter(|_| !self.stale) {
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
        if let (Some(p), Some(before), false) = (
            self.long_run_increase_pct,
            self.prior_longest_km,
            self.stale,
        ) {
            out.push(format!(
                "from your training log: longest run of the last 7 days {} km, {} % longer than the longest of the 30 days before ({} km)",
                format_number(round1(self.longest_km)),
                format_number(p),
                format_number(round1(before))
            ));
        }
        if let Some(r) = self.rest_days.filter(|_| !self.stale) {
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

/// A whole number as a JSON integer, else as a float. Up to 2^53 every
/// whole number is exact in a float, so its integer is the same number;
/// beyond, a float stays a float.
pub fn json_number(v: f64) -> serde_json::Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if v.fract() == 0.0 && v.abs() <= EXACT {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Value::from(v)
    }
}

#[cfg(test)]
mod tests {
    //! Every figure against values worked out by hand, and every edge of
    //! every window, so that no change to the arithmetic goes unnoticed.
    use super::*;
    use crate::model::{LoadFlag, LoadRules};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    fn act(day: &str, km: f64, sport: Sport, gear: Option<&str>) -> Activity {
        Activity {
            start: d(day).and_hms_opt(7, 0, 0).expect("time"),
            km,
            moving_s: None,
            sport,
            gear: gear.map(str::to_owned),
        }
    }

    fn run(day: &str, km: f64) -> Activity {
        act(day, km, Sport::Run, Some("A"))
    }

    /// The last day 2024-03-31; the 7 days from 03-25; the 28 before them
    /// 02-26..03-24; the 30 before them 02-24..03-24.
    fn log() -> Vec<Activity> {
        vec![
            run("2024-02-24", 11.0),
            run("2024-02-26", 4.0),
            run("2024-03-03", 6.0),
            run("2024-03-10", 10.0),
            run("2024-03-17", 4.0),
            run("2024-03-24", 6.0),
            run("2024-03-25", 5.0),
            run("2024-03-27", 8.0),
            act("2024-03-30", 2.0, Sport::Other("Walk".into()), Some("A")),
            act("2024-03-30", 3.0, Sport::Other("Walk".into()), Some("B")),
            run("2024-03-31", 12.0),
        ]
    }

    fn figures(acts: &[Activity]) -> Figures {
        compute(acts, true, None, d("2024-04-01")).expect("runs")
    }

    #[test]
    fn every_figure_by_hand() {
        let f = figures(&log());
        assert_eq!(f.first_day, d("2024-02-24"));
        assert_eq!(f.last_day, d("2024-03-31"));
        assert_eq!(f.weekly_km, Some(25.0));
        assert_eq!(f.prior_weekly_mean_km, Some(7.5));
        // (25 - 7.5) / 7.5 = 233.3 %.
        assert_eq!(f.mileage_increase_pct, Some(233.0));
        // 25 / 7.5 = 3.333.
        assert_eq!(f.acute_chronic_ratio, Some(3.33));
        assert_eq!(f.longest_km, 12.0);
        // The 11 km of 02-24 is in the 30 days, not in the 28.
        assert_eq!(f.prior_longest_km, Some(11.0));
        assert_eq!(f.long_run_increase_pct, Some(9.0));
        // Run days in 03-04..03-31: 6, so 22 rest days in 4 weeks: 5.5,
        // rounded half up.
        assert_eq!(f.rest_days, Some(6.0));
        assert_eq!(f.previous_week_km, Some(6.0));
        // (25 - 6) / 6 = 316.7 %.
        assert_eq!(f.week_increase_pct, Some(317.0));
        // Runs and walks alike in the shoes of the latest run.
        assert_eq!(f.shoe, Some(("A".into(), 68.0)));
        assert!(!f.stale);
        assert_eq!(f.days_since_last_run, 1);
        assert_eq!(f.weeks.len(), 12);
        let last = &f.weeks[11];
        assert_eq!(
            (last.start.as_str(), last.km, last.runs, last.longest_km),
            ("2024-03-25", 25.0, 3, 12.0)
        );
        let before = &f.weeks[10];
        assert_eq!(
            (
                before.start.as_str(),
                before.km,
                before.runs,
                before.longest_km
            ),
            ("2024-03-18", 6.0, 1, 6.0)
        );
        assert_eq!(f.weeks[0].start, "2024-01-08");
        assert_eq!(
            f.answers(),
            vec![
                ("weekly_km", 25.0),
                ("mileage_increase_pct", 233.0),
                ("long_run_increase_pct", 9.0),
                ("rest_days", 6.0),
                ("shoe_km", 68.0),
            ]
        );
        for (name, want) in [
            ("weekly_km", Some(25.0)),
            ("mileage_increase_pct", Some(233.0)),
            ("long_run_increase_pct", Some(9.0)),
            ("rest_days", Some(6.0)),
            ("shoe_km", Some(68.0)),
            ("week_increase_pct", Some(317.0)),
            ("acute_chronic_ratio", Some(3.33)),
            ("no_such_figure", None),
        ] {
            assert_eq!(f.value(name), want, "{name}");
        }
    }

    #[test]
    fn rounding_happens_at_the_end() {
        let mut acts = log();
        acts.push(run("2024-03-26", 0.04));
        acts.push(run("2024-03-26", 0.03));
        let f = figures(&acts);
        assert!((f.weekly_km.expect("km") - 25.07).abs() < 1e-9);
        assert_eq!(f.value("weekly_km"), Some(25.1));
        assert_eq!(f.answers()[0], ("weekly_km", 25.1));
        // 25.07 / 7.5 = 3.3427: two decimals.
        assert_eq!(f.acute_chronic_ratio, Some(3.34));
        // One more run day: 21 rest days, 5.25 a week, rounds down.
        assert_eq!(f.rest_days, Some(5.0));
        // The week's chart sums before rounding too.
        assert_eq!(f.weeks[11].km, 25.1);
        assert_eq!(f.weeks[11].runs, 5);
    }

    #[test]
    fn each_window_starts_exactly_where_the_contract_says() {
        // First run on the first of the 7 days: weekly_km, nothing else.
        let f = figures(&[run("2024-03-25", 5.0), run("2024-03-31", 5.0)]);
        assert_eq!(f.weekly_km, Some(10.0));
        assert_eq!(f.previous_week_km, None);
        // One day later: no weekly_km.
        let f = figures(&[run("2024-03-26", 5.0), run("2024-03-31", 5.0)]);
        assert_eq!(f.weekly_km, None);
        // First run 21 days before the 7: the month's figures, which the
        // day after does not have.
        let f = figures(&[run("2024-03-04", 5.0), run("2024-03-31", 5.0)]);
        assert_eq!(f.prior_weekly_mean_km, Some(1.25));
        assert_eq!(f.mileage_increase_pct, Some(300.0));
        assert_eq!(f.acute_chronic_ratio, Some(4.0));
        assert_eq!(f.prior_longest_km, Some(5.0));
        assert_eq!(f.long_run_increase_pct, Some(0.0));
        assert_eq!(f.rest_days, Some(7.0));
        let f = figures(&[run("2024-03-05", 5.0), run("2024-03-31", 5.0)]);
        assert_eq!(f.prior_weekly_mean_km, None);
        assert_eq!(f.mileage_increase_pct, None);
        assert_eq!(f.acute_chronic_ratio, None);
        assert_eq!(f.prior_longest_km, None);
        assert_eq!(f.rest_days, None);
        // First run 7 days before the 7: the week before.
        let f = figures(&[run("2024-03-18", 4.0), run("2024-03-31", 5.0)]);
        assert_eq!(f.previous_week_km, Some(4.0));
        assert_eq!(f.week_increase_pct, Some(25.0));
        let f = figures(&[run("2024-03-19", 4.0), run("2024-03-31", 5.0)]);
        assert_eq!(f.previous_week_km, None);
        assert_eq!(f.week_increase_pct, None);
    }

    #[test]
    fn nothing_to_compare_with_gives_no_percentage() {
        // A month of log, but no running in the 28 days or the week before.
        let f = figures(&[run("2024-02-20", 5.0), run("2024-03-31", 5.0)]);
        assert_eq!(f.prior_weekly_mean_km, Some(0.0));
        assert_eq!(f.mileage_increase_pct, None);
        assert_eq!(f.acute_chronic_ratio, None);
        assert_eq!(f.prior_longest_km, Some(0.0));
        assert_eq!(f.long_run_increase_pct, None);
        assert_eq!(f.previous_week_km, Some(0.0));
        assert_eq!(f.week_increase_pct, None);
        // No cap: 10 km after a month of 0.4 km weeks is +2400 %.
        let f = figures(&[run("2024-03-01", 1.6), run("2024-03-31", 10.0)]);
        assert_eq!(f.mileage_increase_pct, Some(2400.0));
        assert_eq!(f.acute_chronic_ratio, Some(25.0));
        assert_eq!(f.long_run_increase_pct, Some(525.0));
    }

    #[test]
    fn shoes_need_strava_a_gear_and_a_day_not_after_the_last() {
        let acts = log();
        let f = compute(&acts, false, None, d("2024-04-01")).expect("runs");
        assert_eq!(f.shoe, None);
        let mut acts = log();
        acts.last_mut().expect("run").gear = Some("  ".into());
        assert_eq!(figures(&acts).shoe, None);
        // With --today before the walk of 03-30, that walk is left out of
        // the shoes (and the runs are the caller's to leave out).
        let acts: Vec<Activity> = log()
            .into_iter()
            .filter(|a| a.sport != Sport::Run || a.start.date() <= d("2024-03-27"))
            .collect();
        let f = compute(&acts, true, Some(d("2024-03-29")), d("2024-04-01")).expect("runs");
        assert_eq!(f.last_day, d("2024-03-29"));
        assert_eq!(f.shoe, Some(("A".into(), 54.0)));
        assert_eq!(f.days_since_last_run, 2);
        assert_eq!(compute(&[], true, None, d("2024-04-01")), None);
        let walks = [act("2024-03-30", 2.0, Sport::Other("Walk".into()), None)];
        assert_eq!(compute(&walks, true, None, d("2024-04-01")), None);
    }

    #[test]
    fn a_log_more_than_14_days_old_fills_only_shoe_km() {
        let f = compute(&log(), true, None, d("2024-04-14")).expect("runs");
        assert_eq!(f.days_since_last_run, 14);
        assert!(!f.stale);
        let f = compute(&log(), true, None, d("2024-04-15")).expect("runs");
        assert!(f.stale);
        assert_eq!(f.days_since_last_run, 15);
        assert_eq!(f.last_day, d("2024-03-31"));
        assert_eq!(f.answers(), vec![("shoe_km", 68.0)]);
        assert_eq!(f.value("weekly_km"), None);
        assert_eq!(f.value("acute_chronic_ratio"), None);
        assert_eq!(f.value("shoe_km"), Some(68.0));
        let lines = f.evidence_lines();
        assert!(
            lines[0].contains("ends 15 days ago (2024-03-31)"),
            "{lines:?}"
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].contains("68 km"), "{lines:?}");
        // --today counts as today.
        let f = compute(&log(), true, Some(d("2024-04-20")), d("2024-04-01")).expect("runs");
        assert!(f.stale);
        assert_eq!(f.days_since_last_run, 20);
    }

    #[test]
    fn evidence_says_up_or_down_and_by_how_much() {
        let lines = figures(&log()).evidence_lines();
        assert_eq!(
            lines,
            vec![
                "from your training log: 25 km in the last 7 days, up 233 % on the weekly mean of the 28 days before (7.5 km)",
                "from your training log: longest run of the last 7 days 12 km, 9 % longer than the longest of the 30 days before (11 km)",
                "from your training log: 6 rest days a week over the last 28 days",
                "from your training log: 68 km logged in \"A\", the shoes of your latest run",
            ]
        );
        let f = figures(&[run("2024-03-04", 50.0), run("2024-03-31", 5.0)]);
        // A shorter longest run is 0 %, not -90 %.
        assert_eq!(f.long_run_increase_pct, Some(0.0));
        assert!(
            f.evidence_lines()[0].contains("down 60 %"),
            "{:?}",
            f.evidence_lines()
        );
        // The same distance: "up 0 %".
        let f = figures(&[run("2024-03-04", 20.0), run("2024-03-31", 5.0)]);
        assert!(
            f.evidence_lines()[0].contains("up 0 %"),
            "{:?}",
            f.evidence_lines()
        );
    }

    #[test]
    fn a_flag_is_raised_above_its_threshold_only() {
        let f = figures(&log());
        let rule = |figure: &str, above: f64| LoadFlag {
            id: format!("{figure}-{above}"),
            figure: figure.into(),
            above,
            text: "value {value}".into(),
            source: "s".into(),
        };
        let rules = LoadRules {
            flags: vec![
                rule("weekly_km", 24.9),
                rule("weekly_km", 25.0),
                rule("acute_chronic_ratio", 1.5),
                rule("no_such_figure", 0.0),
            ],
            ratio: None,
        };
        let raised = flags(&f, &rules);
        assert_eq!(raised.len(), 2, "{raised:?}");
        assert_eq!(raised[0].id, "weekly_km-24.9");
        assert_eq!(raised[0].text, "value 25");
        assert_eq!(raised[0].source, "s");
        assert_eq!(raised[1].text, "value 3.3");
    }

    #[test]
    fn whole_numbers_are_json_integers() {
        assert_eq!(json_number(3.0).to_string(), "3");
        assert_eq!(json_number(-60.0).to_string(), "-60");
        assert_eq!(json_number(2.5).to_string(), "2.5");
        assert_eq!(json_number(1e16).to_string(), "1e+16");
        // The edge: 2^53 is still a whole, exact integer; 2^54 is a float.
        assert_eq!(
            json_number(9_007_199_254_740_992.0).to_string(),
            "9007199254740992"
        );
        assert_eq!(
            json_number(-9_007_199_254_740_992.0).to_string(),
            "-9007199254740992"
        );
        assert_eq!(
            json_number(18_014_398_509_481_984.0).to_string(),
            "1.8014398509481984e+16"
        );
    }
}
