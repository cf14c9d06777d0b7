//! The runner's own training log: Strava bulk exports, GPX, TCX and FIT
//! files, read into activities; the load figures of the contract computed
//! from them in one place ([`figures`]).
//!
//! Each reader returns activities, never figures, so every format agrees.
//! Nothing a file holds can make the program panic or read without bound:
//! every file and every zip entry is read up to [`Limits`], and what cannot
//! be read becomes a line in `skipped` while the rest is still read.

pub mod apple;
pub mod figures;
pub mod fit;
pub mod garmin;
pub mod gpx;
pub mod guard;
mod read;
pub mod sports;
pub mod strava;
pub mod tcx;

pub use read::*;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::answers::{Answers, Value, format_number};
use crate::error::Error;
use crate::model::Pack;

pub use figures::{Figures, Flag, Week};

/// One activity as a reader found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// Start, UTC.
    pub start: NaiveDateTime,
    /// Distance in kilometres.
    pub km: f64,
    /// Moving time in seconds, when the file says or the points show it.
    pub moving_s: Option<f64>,
    pub sport: Sport,
    /// The shoes (Strava's `Activity Gear`), when known.
    pub gear: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sport {
    Run,
    /// Anything else, by the name the file gives it ("Ride", "Walk").
    Other(String),
}

impl Sport {
    /// A sport by any name a source gives it, as Strava's activity type
    /// (see [`sports::from_name`]).
    pub fn from_name(name: &str) -> Sport {
        sports::from_name(name)
    }
}

/// A file or row that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    pub item: String,
    pub reason: String,
}

/// How much is read at most: a one-hour GPX is about half a megabyte, so
/// these leave room for any real activity and stop a runaway file.
/// `Limits::default()` starts a new run's budget.
#[derive(Debug, Clone)]
pub struct Limits {
    /// One activity file or `activities.csv`, unpacked.
    pub file_bytes: u64,
    /// Everything unpacked from one zip.
    pub zip_bytes: u64,
    /// Files looked at in one folder tree.
    pub files: usize,
    /// What is left to unpack in this run (and, inside a zip, the zip).
    pub budget: guard::Budget,
}

impl Limits {
    /// Everything unpacked (or read) in one run: a ten-year log of daily
    /// one-hour GPX runs is under 2 GB.
    pub const RUN_BYTES: u64 = 4096 * MB;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_bytes: 256 * MB,
            zip_bytes: 2048 * MB,
            files: 200_000,
            budget: guard::Budget::new(Limits::RUN_BYTES),
        }
    }
}

const MB: u64 = 1024 * 1024;

/// Sizes in words: "2.0 GB", "300 MB", "12 kB".
pub fn size_words(bytes: u64) -> String {
    if bytes >= 1024 * MB {
        format!("{:.1} GB", bytes as f64 / (1024.0 * MB as f64))
    } else if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

/// Everything read from the paths given.
#[derive(Debug, Clone, Default)]
pub struct Log {
    pub activities: Vec<Activity>,
    pub skipped: Vec<Skipped>,
    /// Whether a Strava export (so gear) was among the paths.
    pub strava: bool,
    /// Bytes of activity files read (unpacked), for the benchmark.
    pub bytes: u64,
    /// What each source gave ("Strava export", "FIT files", ...).
    pub sources: BTreeMap<String, SourceCount>,
}

/// What one source gave: activities read and the runs among them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    pub activities: usize,
    pub runs: usize,
}

impl Log {
    fn absorb(&mut self, other: Log) {
        self.activities.extend(other.activities);
        self.skipped.extend(other.skipped);
        self.strava |= other.strava;
        self.bytes += other.bytes;
        for (name, c) in other.sources {
            let e = self.sources.entry(name).or_default();
            e.activities += c.activities;
            e.runs += c.runs;
        }
    }

    /// Counts `acts` as read from `source`.
    pub fn count(&mut self, source: &str, acts: &[Activity]) {
        let e = self.sources.entry(source.to_owned()).or_default();
        e.activities += acts.len();
        e.runs += acts.iter().filter(|a| a.sport == Sport::Run).count();
    }

    /// A fixed order whatever order the files were read in, so sums (and
    /// so every figure) are the same bit for bit.
    fn normalize(&mut self) {
        self.activities.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(a.km.total_cmp(&b.km))
                .then(a.sport.cmp(&b.sport))
                .then(a.gear.cmp(&b.gear))
                .then(
                    a.moving_s
                        .unwrap_or(-1.0)
                        .total_cmp(&b.moving_s.unwrap_or(-1.0)),
                )
        });
        self.skipped.sort();
    }
}

/// The file formats an activity file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Gpx,
    Tcx,
    Fit,
}

impl Format {
    /// The source's name in `training`'s summary.
    pub fn source(self) -> &'static str {
        match self {
            Format::Gpx => "GPX files",
            Format::Tcx => "TCX files",
            Format::Fit => "FIT files",
        }
    }
}

/// The format named by a file name (`run.gpx`, `run.fit.gz`), if any.
pub fn format_of_name(name: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix(".gz").unwrap_or(&lower);
    if base.ends_with(".gpx") {
        Some(Format::Gpx)
    } else if base.ends_with(".tcx") {
        Some(Format::Tcx)
    } else if base.ends_with(".fit") {
        Some(Format::Fit)
    } else {
        None
    }
}

/// The format the bytes hold (after unpacking), whatever the name says.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.len() >= 12 && &bytes[8..12] == b".FIT" {
        return Some(Format::Fit);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    if text.contains("<gpx") {
        Some(Format::Gpx)
    } else if text.contains("<TrainingCenterDatabase") {
        Some(Format::Tcx)
    } else {
        None
    }
}

/// Unpacks gzip (by its magic bytes, whatever the name), up to the limit
/// for one file and what is left of the budget, which pays for it.
pub fn gunzip_if_needed(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<u8>, String> {
    if bytes.len() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Ok(bytes);
    }
    let left = limits.budget.left();
    let cap = limits.file_bytes.min(left);
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(&bytes[..]);
    decoder
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot unpack gzip: {e} (truncated or corrupt?)"))?;
    if out.len() as u64 > limits.file_bytes {
        return Err(format!(
            "unpacks to more than {}, over the limit for one activity file",
            size_words(limits.file_bytes)
        ));
    }
    if out.len() as u64 > cap {
        return Err(limits.budget.over(limits.budget.tightest()));
    }
    limits.budget.charge(out.len() as u64)?;
    Ok(out)
}

/// One activity file read: its format, its activities, and why any part
/// of it was left out (an untimed track in a GPX file with timed ones).
#[derive(Debug)]
pub struct Parsed {
    pub format: Format,
    pub activities: Vec<Activity>,
    pub skipped: Vec<String>,
}

/// Reads one activity file's bytes (already out of any zip): unpack,
/// recognise, parse. `name` is used for the format when the bytes do not
/// say, and in messages.
pub fn parse_activity_bytes(
    bytes: Vec<u8>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<Activity>, String> {
    parse_activity(bytes, name, limits).map(|p| p.activities)
}

/// [`parse_activity_bytes`], with the format and the parts left out.
pub fn parse_activity(bytes: Vec<u8>, name: &str, limits: &Limits) -> Result<Parsed, String> {
    let bytes = gunzip_if_needed(bytes, limits)?;
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    let format = match (sniff(&bytes), format_of_name(name)) {
        (Some(f), _) => f,
        (None, Some(f)) => f,
        (None, None) => {
            return Err("not a GPX, TCX or FIT activity file (by its name or its contents)".into());
        }
    };
    let (activities, skipped) = match format {
        Format::Gpx => {
            let r = gpx::read_all(&bytes)?;
            (r.activities, r.skipped)
        }
        Format::Tcx => (tcx::read(&bytes)?, Vec::new()),
        Format::Fit => (fit::read(&bytes)?, Vec::new()),
    };
    finish_parsed(format, activities, skipped)
}

/// A part of a file left out ("track 2 (\"Plan\"): no point has a time"),
/// as a skipped line whose item names the file and the part, so that the
/// same reason groups across tracks and files.
pub fn part_skipped(label: &str, note: String) -> Skipped {
    match note.split_once(": ") {
        Some((part, reason)) => Skipped {
            item: format!("{label}: {part}"),
            reason: reason.to_owned(),
        },
        None => Skipped {
            item: label.to_owned(),
            reason: note,
        },
    }
}

/// No activity in a file is an error with the first reason there is.
pub(crate) fn finish_parsed(
    format: Format,
    activities: Vec<Activity>,
    mut skipped: Vec<String>,
) -> Result<Parsed, String> {
    if activities.is_empty() {
        return Err(if skipped.is_empty() {
            "no activity with a start time and a distance in it".into()
        } else {
            skipped.remove(0)
        });
    }
    Ok(Parsed {
        format,
        activities,
        skipped,
    })
}

/// Today's date, UTC; `KNEE_TRIAGE_TODAY=YYYY-MM-DD` sets it, so a run on
/// an old log can be repeated with the same result (whether the log is
/// stale, which activities are in the future).
pub fn today() -> NaiveDate {
    std::env::var("KNEE_TRIAGE_TODAY")
        .ok()
        .and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// The log read and summed up: what `training` prints and `--training` uses.
#[derive(Debug, Clone)]
pub struct Summary {
    pub runs: usize,
    pub other_activities: BTreeMap<String, usize>,
    pub skipped: Vec<Skipped>,
    pub figures: Option<Figures>,
    pub flags: Vec<Flag>,
    pub bytes: u64,
    /// What each source gave, before same activities were merged.
    pub sources: BTreeMap<String, SourceCount>,
}

/// Reads the paths and computes the figures as of `today` (default: the
/// day of the latest run). Activities dated after today's real date are
/// skipped as in the future; with `--today`, those after it are left out.
pub fn summarize(
    pack: &Pack,
    paths: &[PathBuf],
    today: Option<NaiveDate>,
    limits: &Limits,
) -> Result<Summary, Error> {
    let log = read_paths(paths, limits)?;
    Ok(summarize_log(pack, log, today, self::today()))
}

/// [`summarize`] on a log already read; `now` is the real date.
pub fn summarize_log(
    pack: &Pack,
    mut log: Log,
    today: Option<NaiveDate>,
    now: NaiveDate,
) -> Summary {
    // In start order, whatever order the log came in.
    log.normalize();
    let mut skipped = log.skipped;
    let mut kept: Vec<Activity> = Vec::new();
    for a in log.activities {
        let day = a.start.date();
        // The same activity given twice (an export and its GPX file, a swim
        // as FIT and as GPX): counted once. Activities are in start order,
        // so only those of the last minute can be the same.
        let same = kept
            .iter()
            .rev()
            .take_while(|prev| (a.start - prev.start).num_seconds() <= 60)
            .any(|prev| {
                prev.sport == a.sport && (a.km - prev.km).abs() <= f64::max(0.1, 0.02 * a.km)
            });
        if same {
            skipped.push(Skipped {
                item: format!("activity of {}", a.start.format("%Y-%m-%d %H:%M")),
                reason: format!(
                    "the same {} km as another activity read (same start); counted once",
                    format_number((a.km * 10.0).round() / 10.0)
                ),
            });
            continue;
        }
        if day > now {
            skipped.push(Skipped {
                item: format!("activity of {}", a.start.format("%Y-%m-%d %H:%M")),
                reason: format!("dated {day}, in the future (today is {now}); left out"),
            });
        } else if let Some(t) = today
            && day > t
        {
            skipped.push(Skipped {
                item: format!("activity of {}", a.start.format("%Y-%m-%d %H:%M")),
                reason: format!("after --today {t}; left out"),
            });
        } else if let Some(reason) = guard::impossible(&a) {
            skipped.push(Skipped {
                item: format!("activity of {}", a.start.format("%Y-%m-%d %H:%M")),
                reason,
            });
        } else {
            kept.push(a);
        }
    }
    let mut other_activities = BTreeMap::new();
    let mut runs = 0;
    for a in &kept {
        match &a.sport {
            Sport::Run => runs += 1,
            Sport::Other(name) => *other_activities.entry(name.clone()).or_insert(0) += 1,
        }
    }
    let figures = figures::compute(&kept, log.strava, today, now);
    let flags = figures
        .as_ref()
        .map(|f| figures::flags(f, &pack.load))
        .unwrap_or_default();
    skipped.sort();
    Summary {
        runs,
        other_activities,
        skipped,
        figures,
        flags,
        bytes: log.bytes,
        sources: log.sources,
    }
}

impl Summary {
    /// The contract's JSON object for `training --json`.
    pub fn to_json(&self, pack: &Pack) -> serde_json::Value {
        let f = self.figures.as_ref();
        serde_json::json!({
            "runs": self.runs,
            "other_activities": self.other_activities,
            "skipped": self.skipped,
            "sources": self.sources,
            "first_day": f.map(|f| f.first_day.to_string()),
            "last_day": f.map(|f| f.last_run_day.to_string()),
            "as_of": f.map(|f| f.last_day.to_string()),
            "stale": f.map(|f| f.stale),
            "weeks": f.map(|f| f.weeks.clone()).unwrap_or_default(),
            "answers": self.answers_json(pack),
            "flags": self.flags,
        })
    }

    /// The training answers the log implies, for the keys the pack has.
    pub fn answer_values(&self, pack: &Pack) -> Vec<(usize, f64)> {
        let Some(f) = &self.figures else {
            return Vec::new();
        };
        f.answers()
            .into_iter()
            .filter_map(|(key, v)| {
                let q = pack.question_index(key)?;
                let question = &pack.questions[q];
                let lo = question.min.unwrap_or(f64::NEG_INFINITY);
                let hi = question.max.unwrap_or(f64::INFINITY);
                Some((q, v.clamp(lo, hi)))
            })
            .collect()
    }

    /// Every training answer the log implies, by the contract's keys
    /// (clamped to the pack's range where the pack has the question).
    fn answers_json(&self, pack: &Pack) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        let Some(f) = &self.figures else {
            return map;
        };
        for (key, v) in f.answers() {
            let v = match pack.question_index(key) {
                Some(q) => {
                    let question = &pack.questions[q];
                    v.clamp(
                        question.min.unwrap_or(f64::NEG_INFINITY),
                        question.max.unwrap_or(f64::INFINITY),
                    )
                }
                None => v,
            };
            map.insert(key.to_owned(), figures::json_number(v));
        }
        map
    }
}

/// The training log as a source of answers, for `assess`, `ask` and `plan`.
#[derive(Debug, Clone)]
pub struct TrainingAnswers {
    pub summary: Summary,
    /// The answers the log implies (only the training figures).
    pub answers: Answers,
    /// Where the figures came from, one line each, for the report.
    pub evidence: Vec<String>,
}

impl TrainingAnswers {
    /// Fills the answers not already given; returns the questions filled.
    pub fn fill(&self, pack: &Pack, answers: &mut Answers) -> Vec<usize> {
        let mut filled = Vec::new();
        for q in 0..pack.questions.len() {
            if let Some(v) = self.answers.get(q)
                && !answers.is_answered(q)
            {
                answers.set(q, Some(v));
                filled.push(q);
            }
        }
        filled
    }
}

/// Reads `--training PATH...` and turns the log into answers and evidence.
/// `plan`, `assess` and `ask` call this; the caller decides which answers
/// win (a flag or `--answers` value always does, see [`TrainingAnswers::fill`]).
pub fn answers_from_paths(
    pack: &Pack,
    paths: &[PathBuf],
    today: Option<NaiveDate>,
) -> Result<TrainingAnswers, Error> {
    let summary = summarize(pack, paths, today, &Limits::default())?;
    if summary.runs == 0 {
        return Err(no_runs_error(paths, &summary));
    }
    let mut answers = Answers::new(pack);
    for (q, v) in summary.answer_values(pack) {
        answers.set(q, Some(Value::Num(v)));
    }
    let evidence = summary
        .figures
        .as_ref()
        .map(|f| f.evidence_lines())
        .unwrap_or_default();
    Ok(TrainingAnswers {
        summary,
        answers,
        evidence,
    })
}

/// A log with no runs in it: exit 2, saying what was found instead.
pub fn no_runs_error(paths: &[PathBuf], summary: &Summary) -> Error {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let others: usize = summary.other_activities.values().sum();
    let mut text = format!(
        "no runs in {}: {} other activit{}, {} item{} skipped",
        names.join(", "),
        others,
        if others == 1 { "y" } else { "ies" },
        summary.skipped.len(),
        if summary.skipped.len() == 1 { "" } else { "s" },
    );
    for s in summary.skipped.iter().take(5) {
        text.push_str(&format!("\n  {}: {}", s.item, s.reason));
    }
    if summary.skipped.len() > 5 {
        text.push_str(&format!("\n  … and {} more", summary.skipped.len() - 5));
    }
    Error::Usage(text)
}

/// A figure in words, as the report's evidence shows it.
pub fn figure_words(v: f64) -> String {
    format_number(v)
}
