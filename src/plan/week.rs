//! The runner's week: the days, the plan's calendar on them, and a week's
//! distance split into runs with the longest last.

use chrono::{Datelike, NaiveDate, Weekday};

use super::PlanPack;
use super::schedule::Options;

/// Tenths of a kilometre, so week totals add up exactly.
pub(super) type Tenths = u32;

pub(super) fn tenths(km: f64) -> Tenths {
    (km * 10.0 + 1e-6).floor().max(0.0) as Tenths
}

pub(super) fn km(t: Tenths) -> f64 {
    f64::from(t) / 10.0
}

/// A week of `n` runs adding up to at most `total`: the others equal, the
/// last the longest (`share` of the week, at least an equal part, at most
/// `long_cap`).
pub(super) fn split_week(total: Tenths, n: usize, share_pct: f64, long_cap: Tenths) -> Vec<Tenths> {
    if n == 0 {
        return Vec::new();
    }
    let equal = total.div_ceil(n as u32);
    let long = equal
        .max((f64::from(total) * share_pct / 100.0).round() as Tenths)
        .min(long_cap)
        .min(total);
    if n == 1 {
        return vec![long];
    }
    let rest = total - long;
    let others = (n - 1) as u32;
    let each = (rest / others).min(long);
    // The tenths left over go to the runs nearest the long one, so no run
    // of a week is shorter than the one before it.
    let extra = if each < long { rest - each * others } else { 0 };
    let mut out: Vec<Tenths> = (0..others)
        .map(|i| each + u32::from(others - i <= extra))
        .collect();
    out.push(long);
    out
}

/// The plan's dates: the runner's weekdays, week `n` being days
/// `7(n-1)..7n` from the start.
pub(super) struct Calendar {
    start: NaiveDate,
    days: Vec<Weekday>,
    every: i64,
    /// The next day to look at.
    next: NaiveDate,
    last: Option<NaiveDate>,
}

impl Calendar {
    pub(super) fn new(start: NaiveDate, days: &[Weekday], every: u32) -> Calendar {
        Calendar {
            start,
            days: days.to_vec(),
            every: i64::from(every.max(1)),
            next: start,
            last: None,
        }
    }

    fn week_of(&self, d: NaiveDate) -> u32 {
        ((d - self.start).num_days() / 7) as u32 + 1
    }

    pub(super) fn last_week(&self) -> u32 {
        self.last.map_or(1, |d| self.week_of(d))
    }

    /// The next runner's day at least `every` days after the last session.
    pub(super) fn peek_spaced(&self) -> (u32, NaiveDate) {
        let mut d = self.next;
        if let Some(last) = self.last {
            d = d.max(last + chrono::Duration::days(self.every));
        }
        // Seven days hold every weekday, so this ends.
        while !self.days.contains(&d.weekday()) {
            d += chrono::Duration::days(1);
        }
        (self.week_of(d), d)
    }

    pub(super) fn next_spaced(&mut self) -> (u32, NaiveDate) {
        let (w, d) = self.peek_spaced();
        self.last = Some(d);
        self.next = d + chrono::Duration::days(1);
        (w, d)
    }

    /// Every runner's day of week `week` (from the next day on).
    pub(super) fn week_days(&mut self, week: u32) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let end = self.start + chrono::Duration::days(7 * i64::from(week));
        let mut d = self.next.max(end - chrono::Duration::days(7));
        while d < end {
            if self.days.contains(&d.weekday()) {
                out.push(d);
                self.last = Some(d);
            }
            d += chrono::Duration::days(1);
        }
        self.next = end;
        out
    }
}

/// Parses `mon,wed,sat` (three letters or the whole name, any case).
pub fn parse_days(text: &str) -> Result<Vec<Weekday>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let day: Weekday = part
            .parse()
            .map_err(|_| format!("\"{part}\" is not a day of the week; use mon, tue, wed, thu, fri, sat or sun, separated by commas"))?;
        if out.contains(&day) {
            return Err(format!("{day} is given twice"));
        }
        out.push(day);
    }
    if out.is_empty() {
        return Err("no day given; for example --days mon,wed,sat".into());
    }
    Ok(out)
}

/// The runner's days: as given, or `days_per_week` evenly spaced from the
/// start's weekday. Sorted from the start's weekday on, no repeats.
pub fn run_days(plan: &PlanPack, opts: &Options) -> Vec<Weekday> {
    let first = opts.start.weekday().num_days_from_monday();
    let mut offsets: Vec<u32> = match &opts.days {
        Some(days) if !days.is_empty() => days
            .iter()
            .map(|d| (d.num_days_from_monday() + 7 - first) % 7)
            .collect(),
        _ => {
            let n = plan.days_per_week.clamp(1, 7);
            (0..n).map(|i| i * 7 / n).collect()
        }
    };
    offsets.sort_unstable();
    offsets.dedup();
    offsets
        .into_iter()
        .map(|o| {
            opts.start
                .checked_add_days(chrono::Days::new(u64::from(o)))
                .unwrap_or(opts.start)
                .weekday()
        })
        .collect()
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    /// Sessions on the runner's days are at least `every` days apart, and
    /// a week's days are those after the last session.
    #[test]
    fn spaced_sessions_and_the_rest_of_a_week() {
        let monday = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
        let day = |n: i64| monday + chrono::Duration::days(n);
        let mut cal = Calendar::new(monday, &[Weekday::Mon, Weekday::Tue, Weekday::Wed], 2);
        assert_eq!(cal.next_spaced(), (1, day(0)));
        // Tuesday is a runner's day, but one day after Monday.
        assert_eq!(cal.peek_spaced(), (1, day(2)));
        assert_eq!(cal.next_spaced(), (1, day(2)));
        assert_eq!(cal.next_spaced(), (2, day(7)));
        // The rest of week 2: from the day after the last session.
        assert_eq!(cal.week_days(2), vec![day(8), day(9)]);
        let mut cal = Calendar::new(monday, &[Weekday::Mon, Weekday::Wed, Weekday::Fri], 2);
        assert_eq!(cal.next_spaced(), (1, day(0)));
        assert_eq!(cal.week_days(1), vec![day(2), day(4)]);
    }
}
