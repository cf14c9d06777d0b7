//! The runner's own training log: Strava bulk exports, GPX, TCX and FIT
//! files, read into activities; the load figures of the contract computed
//! from them in one place ([`figures`]).
//!
//! Each reader returns activities, never figures, so every format agrees.
//! Nothing a file holds can make the program panic or read without bound:
//! every file and every zip entry is read up to [`Limits`], and what cannot
//! be read becomes a line in `skipped` while the rest is still read.

pub mod figures;
pub mod fit;
pub mod gpx;
pub mod render;
pub mod strava;
pub mod tcx;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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
    /// Strava's and the watch makers' names for a run.
    pub fn from_name(name: &str) -> Sport {
        let n = name.trim();
        let lower = n.to_ascii_lowercase();
        let run = matches!(
            lower.as_str(),
            "run"
                | "running"
                | "trail run"
                | "trail running"
                | "virtual run"
                | "virtualrun"
                | "trailrun"
                | "treadmill"
                | "treadmill running"
                | "track running"
                | "9"
        );
        if run {
            Sport::Run
        } else if n.is_empty() {
            Sport::Other("unknown".into())
        } else {
            Sport::Other(n.to_owned())
        }
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
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// One activity file or `activities.csv`, unpacked.
    pub file_bytes: u64,
    /// Everything unpacked from one zip.
    pub zip_bytes: u64,
    /// Files looked at in one folder tree.
    pub files: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_bytes: 256 * MB,
            zip_bytes: 2048 * MB,
            files: 200_000,
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
}

impl Log {
    fn absorb(&mut self, other: Log) {
        self.activities.extend(other.activities);
        self.skipped.extend(other.skipped);
        self.strava |= other.strava;
        self.bytes += other.bytes;
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

/// Unpacks gzip (by its magic bytes, whatever the name), up to the limit.
pub fn gunzip_if_needed(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<u8>, String> {
    if bytes.len() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(&bytes[..]);
    decoder
        .take(limits.file_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot unpack gzip: {e} (truncated or corrupt?)"))?;
    if out.len() as u64 > limits.file_bytes {
        return Err(format!(
            "unpacks to more than {}, over the limit for one activity file",
            size_words(limits.file_bytes)
        ));
    }
    Ok(out)
}

/// Reads one activity file's bytes (already out of any zip): unpack,
/// recognise, parse. `name` is used for the format when the bytes do not
/// say, and in messages.
pub fn parse_activity_bytes(
    bytes: Vec<u8>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<Activity>, String> {
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
    let activities = match format {
        Format::Gpx => gpx::read(&bytes),
        Format::Tcx => tcx::read(&bytes),
        Format::Fit => fit::read(&bytes),
    }?;
    if activities.is_empty() {
        return Err("no activity with a start time and a distance in it".into());
    }
    Ok(activities)
}

/// Reads a file from disk, refusing one over the limit before reading it.
pub fn read_file_capped(path: &Path, limit: u64) -> Result<Vec<u8>, std::io::Error> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder",
        ));
    }
    if meta.len() > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "the file is {}, over the {} limit for one file; not read",
                size_words(meta.len()),
                size_words(limit)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("the file is over the {} limit; not read", size_words(limit)),
        ));
    }
    Ok(bytes)
}

/// How one path given on the command line is read.
#[derive(Debug)]
enum Input {
    StravaFolder(PathBuf),
    StravaZip(PathBuf),
    StravaCsv(PathBuf),
    Folder(PathBuf),
    File(PathBuf),
}

/// What the path is: exit 1 if it cannot be read, 2 if it is not a log.
fn classify(path: &Path) -> Result<Input, Error> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        // Probe the folder now, so a folder without permission is exit 1.
        std::fs::read_dir(path).map_err(|source| Error::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        if path.join("activities.csv").is_file() {
            return Ok(Input::StravaFolder(path.to_path_buf()));
        }
        return Ok(Input::Folder(path.to_path_buf()));
    }
    // Probe the file, so no permission is exit 1 with the path.
    std::fs::File::open(path).map_err(|source| Error::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".zip") {
        return Ok(Input::StravaZip(path.to_path_buf()));
    }
    if name.ends_with(".csv") {
        return Ok(Input::StravaCsv(path.to_path_buf()));
    }
    if format_of_name(&name).is_some() {
        return Ok(Input::File(path.to_path_buf()));
    }
    // An unknown name: look at the first bytes.
    let mut head = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(4096).read_to_end(&mut head);
    }
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Input::StravaZip(path.to_path_buf()));
    }
    if sniff(&head).is_some() || head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Input::File(path.to_path_buf()));
    }
    Err(Error::Usage(format!(
        "{}: not a training log; expected a Strava export (folder or .zip), activities.csv, or .gpx, .tcx or .fit files (each also .gz), or a folder of them",
        path.display()
    )))
}

/// Reads every path: the activities, what was skipped and why.
///
/// A path that cannot be read at all is an error (exit 1, with the path);
/// a path that is no training log is exit 2; a bad file or row inside is a
/// line in `skipped`.
pub fn read_paths(paths: &[PathBuf], limits: &Limits) -> Result<Log, Error> {
    let inputs: Vec<Input> = paths
        .iter()
        .map(|p| classify(p))
        .collect::<Result<_, _>>()?;
    let mut log = Log::default();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for input in inputs {
        match input {
            Input::StravaFolder(dir) => log.absorb(strava::read_folder(&dir, limits)?),
            Input::StravaCsv(path) => log.absorb(strava::read_csv_file(&path, limits)?),
            Input::StravaZip(path) => log.absorb(strava::read_zip(&path, limits)?),
            Input::Folder(dir) => {
                let mut found = Vec::new();
                walk(&dir, &dir, limits, &mut found, &mut log.skipped);
                if found.is_empty() && log.skipped.is_empty() {
                    return Err(Error::Usage(format!(
                        "{}: no .gpx, .tcx or .fit files (nor .gz of them) in this folder, and no activities.csv",
                        dir.display()
                    )));
                }
                files.extend(found.into_iter().map(|p| {
                    let label = p.display().to_string();
                    (p, label)
                }));
            }
            Input::File(path) => {
                let label = path.display().to_string();
                files.push((path, label));
            }
        }
    }
    log.absorb(read_files(&files, limits));
    log.normalize();
    Ok(log)
}

/// Every activity file below `dir`; anything else is listed as skipped.
/// Symbolic links to folders are not followed (no loops).
fn walk(
    root: &Path,
    dir: &Path,
    limits: &Limits,
    out: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            skipped.push(Skipped {
                item: dir.display().to_string(),
                reason: format!("cannot read this folder: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if out.len() >= limits.files {
            skipped.push(Skipped {
                item: root.display().to_string(),
                reason: format!("more than {} files; the rest are not read", limits.files),
            });
            return;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(root, &path, limits, out, skipped);
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if format_of_name(&name).is_some() {
            out.push(path);
        } else {
            skipped.push(Skipped {
                item: path.display().to_string(),
                reason: "not a .gpx, .tcx or .fit file (nor .gz of one); not read".into(),
            });
        }
    }
}

/// Reads activity files on all cores.
pub fn read_files(files: &[(PathBuf, String)], limits: &Limits) -> Log {
    let mut log = Log::default();
    let results = parallel_map(files, |(path, label)| {
        read_activity_file(path, label, limits)
    });
    for ((_, label), result) in files.iter().zip(results) {
        match result {
            Ok((acts, bytes)) => {
                log.activities.extend(acts);
                log.bytes += bytes;
            }
            Err(reason) => log.skipped.push(Skipped {
                item: label.clone(),
                reason,
            }),
        }
    }
    log
}

/// `f` over every item on all cores, results in the items' order; a
/// progress bar on a terminal once the work has taken more than a second.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let progress = Progress::new(items.len() as u64);
    let f = &f;
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            break;
                        };
                        out.push((i, f(item)));
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        progress.tick(n as u64);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    progress.finish();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

fn read_activity_file(
    path: &Path,
    label: &str,
    limits: &Limits,
) -> Result<(Vec<Activity>, u64), String> {
    let bytes = read_file_capped(path, limits.file_bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::FileTooLarge => e.to_string(),
        _ => format!("cannot read: {e}"),
    })?;
    let n = bytes.len() as u64;
    parse_activity_bytes(bytes, label, limits).map(|a| (a, n))
}

/// indicatif on standard error, shown only on a terminal and only after a
/// second of work, so quick runs and pipes stay quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "reading training log {bar:40} {pos}/{len} files ({eta} left)",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn tick(&self, done: u64) {
        let Some(bar) = &self.bar else { return };
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() > Duration::from_secs(1) {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.set_position(done);
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Today's date, UTC.
pub fn today() -> NaiveDate {
    let text = crate::markdown::today();
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap_or_default()
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
pub fn summarize_log(pack: &Pack, log: Log, today: Option<NaiveDate>, now: NaiveDate) -> Summary {
    let mut skipped = log.skipped;
    let mut kept: Vec<Activity> = Vec::new();
    for a in log.activities {
        let day = a.start.date();
        // The same run given twice (an export and its GPX file): counted once.
        if let Some(prev) = kept.last()
            && prev.sport == a.sport
            && (a.start - prev.start).num_seconds().abs() <= 60
            && (a.km - prev.km).abs() <= f64::max(0.1, 0.02 * a.km)
        {
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
    let figures = figures::compute(&kept, log.strava, today);
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
            "first_day": f.map(|f| f.first_day.to_string()),
            "last_day": f.map(|f| f.last_day.to_string()),
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
            answers.insert(pack.questions[q].id.clone(), figures::json_number(v));
        }
    }
    serde_json::json!({
        "runs": s.runs,
        "first_day": f.map(|f| f.first_day.to_string()),
        "last_day": f.map(|f| f.last_day.to_string()),
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
) -> String {
    let section = render::report_section(
        &log.evidence,
        &log.summary,
        width,
        "Your training log (last 12 weeks, km a week)",
    );
    let tail = format!("\n{}", crate::render::wrap(&report.disclaimer, 0, width));
    match text.strip_suffix(&tail) {
        Some(head) => format!("{head}{section}{tail}"),
        None => format!("{text}{section}"),
    }
}

/// The Markdown report with the training section before the disclaimer.
pub fn markdown_with_training(text: String, log: &TrainingAnswers) -> String {
    let section = render::markdown_section(&log.evidence, &log.summary);
    match text.rfind("---\n\n") {
        Some(i) => format!("{}{section}\n{}", &text[..i], &text[i..]),
        None => format!("{text}{section}"),
    }
}
