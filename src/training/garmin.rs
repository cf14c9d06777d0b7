//! Garmin Connect's account export (the zip Garmin sends on request, or
//! the folder it unpacks to): the activity summaries in
//! `DI_CONNECT/DI-Connect-Fitness/*summarizedActivities*.json`.
//!
//! Each summary is one activity: `beginTimestamp` (else `startTimeGmt`),
//! milliseconds since 1970 UTC; `distance` in centimetres; `duration` and
//! `movingDuration` in milliseconds; `activityType`, Garmin's type key
//! (`running`, `treadmill_running`, `lap_swimming`, ...; a string, or an
//! object with `typeKey` in some exports). The units were checked against
//! the public parser garmin-babel (michael-simons/garmin-babel,
//! `Activity.java`: distance in centimetres, durations in milliseconds,
//! times in epoch milliseconds); see docs/training.md. A multisport
//! activity's parent (`parent: true` with `childIds`) is left out: its legs
//! are in the export as activities of their own.
//!
//! A summary that lacks what the figures need (a start time; a run's
//! distance) is completed from the activity's uploaded FIT file
//! ([`uploads`]); the uploaded files are opened for nothing else.

mod uploads;

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime};
use serde_json::Value;

use super::{Activity, Limits, Log, Skipped, Sport, read_file_capped, size_words, sports};

/// This reader's name in `training`'s summary.
pub const SOURCE: &str = "Garmin export";

/// Whether a folder is a Garmin export (it holds `DI_CONNECT`).
pub fn is_export_folder(dir: &Path) -> bool {
    dir.join("DI_CONNECT").is_dir()
}

/// Every summaries file below `dir`, sorted (a bounded walk: the export's
/// tree is shallow).
fn summary_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() && depth < 6 {
            summary_files(&path, depth + 1, out);
        } else if meta.is_file() && is_summary_file(&path.to_string_lossy()) {
            out.push(path);
        }
    }
}

/// A summary that lacks what the figures need: what it does say, so the
/// activity's uploaded FIT file can complete it.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    /// The summary, for `skipped`.
    pub item: String,
    /// `activityId`, when it is a number.
    pub id: Option<String>,
    pub start: Option<NaiveDateTime>,
    pub km: Option<f64>,
    pub moving_s: Option<f64>,
    pub sport: Sport,
    /// What it lacks, in words ("a run with no distance in its summary").
    pub lacks: String,
}

/// What summaries files hold.
#[derive(Debug, Default)]
pub struct Summaries {
    pub activities: Vec<Activity>,
    /// Summaries to complete from their uploaded FIT files.
    pub partial: Vec<Partial>,
    pub skipped: Vec<Skipped>,
    /// Every `activityId` in them: an uploaded file named with one is
    /// that activity's, so never needed to find another's by its time.
    pub ids: HashSet<String>,
}

impl Summaries {
    fn extend(&mut self, other: Summaries) {
        self.activities.extend(other.activities);
        self.partial.extend(other.partial);
        self.skipped.extend(other.skipped);
        self.ids.extend(other.ids);
    }
}

/// The summaries read, those that lacked something completed from their
/// uploaded FIT files, as this source's log.
fn finish(mut read: Summaries, source: uploads::Source<'_>, limits: &Limits, bytes: u64) -> Log {
    let partial = std::mem::take(&mut read.partial);
    let done = uploads::complete(partial, &read.ids, source, limits);
    read.activities.extend(done.activities);
    read.skipped.extend(done.skipped);
    let (acts, skipped) = (read.activities, read.skipped);
    let mut log = Log {
        skipped,
        bytes: bytes + done.bytes,
        ..Log::default()
    };
    log.count(SOURCE, &acts);
    log.activities = acts;
    log
}

/// A Garmin export folder: its summaries files.
pub fn read_folder(dir: &Path, limits: &Limits) -> Log {
    let mut files = Vec::new();
    summary_files(dir, 0, &mut files);
    let (mut read, mut bytes) = (Summaries::default(), 0);
    if files.is_empty() {
        read.skipped.push(Skipped {
            item: dir.display().to_string(),
            reason: "a Garmin export without activity summaries (no *summarizedActivities.json under DI_CONNECT)".into(),
        });
    }
    for path in files {
        let label = path.display().to_string();
        match read_file_capped(&path, limits.file_bytes) {
            Ok(b) => {
                bytes += b.len() as u64;
                read.extend(parse_summaries(&b, &label));
            }
            Err(e) => read.skipped.push(Skipped {
                item: label,
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    finish(read, uploads::Source::Folder(dir), limits, bytes)
}

/// A Garmin export zip: the summaries entries, each read into memory up
/// to the per-file limit.
pub fn read_zip(archive: &mut zip::ZipArchive<File>, zip_label: &str, limits: &Limits) -> Log {
    let (mut read, mut bytes) = (Summaries::default(), 0);
    let mut parsed = Vec::new();
    let skipped = &mut read.skipped;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index(i) else {
            continue;
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.is_dir() || !is_summary_file(&name) {
            continue;
        }
        let label = format!("{zip_label}: {name}");
        if entry.size() > limits.file_bytes {
            skipped.push(Skipped {
                item: label,
                reason: format!(
                    "unpacks to {}, over the {} limit for one file; not read",
                    size_words(entry.size()),
                    size_words(limits.file_bytes)
                ),
            });
            continue;
        }
        let mut b = Vec::new();
        match entry.take(limits.file_bytes + 1).read_to_end(&mut b) {
            Ok(_) if b.len() as u64 <= limits.file_bytes => {
                bytes += b.len() as u64;
                parsed.push(parse_summaries(&b, &label));
            }
            Ok(_) => skipped.push(Skipped {
                item: label,
                reason: "unpacks to more than its header says; not read".into(),
            }),
            Err(e) => skipped.push(Skipped {
                item: label,
                reason: format!("cannot unpack this zip entry: {e} (truncated or corrupt?)"),
            }),
        }
    }
    for p in parsed {
        read.extend(p);
    }
    finish(
        read,
        uploads::Source::Zip(archive, zip_label),
        limits,
        bytes,
    )
}

/// Whether a path inside the export is a file of activity summaries.
pub fn is_summary_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.ends_with("summarizedActivities.json") && !name.starts_with('.')
}

/// The activities of one summaries file; `label` names it in messages.
pub fn parse_summaries(bytes: &[u8], label: &str) -> Summaries {
    let mut out = Summaries::default();
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            out.skipped.push(Skipped {
                item: label.to_owned(),
                reason: format!("not valid JSON: {e} (truncated or corrupt?)"),
            });
            return out;
        }
    };
    let mut list: Vec<&Value> = Vec::new();
    collect(&value, &mut list);
    if list.is_empty() && !matches!(&value, Value::Array(a) if a.is_empty()) {
        out.skipped.push(Skipped {
            item: label.to_owned(),
            reason: "no summarizedActivitiesExport list in it; not a Garmin activities file".into(),
        });
    }
    for (i, a) in list.into_iter().enumerate() {
        let id = a
            .get("activityId")
            .map(|v| v.to_string())
            .unwrap_or_else(|| format!("#{}", i + 1));
        let item = format!("{label}: activity {id}");
        let number = activity_id(a);
        if let Some(n) = &number {
            out.ids.insert(n.clone());
        }
        match activity(a) {
            Summary::Parent => {}
            Summary::Complete(act) => out.activities.push(act),
            Summary::Partial(p) => out.partial.push(Partial {
                item,
                id: number,
                ..p
            }),
        }
    }
    out
}

/// `activityId` as digits, when it is a whole number (as Garmin writes
/// it), to find the activity's uploaded file by its name.
fn activity_id(a: &Value) -> Option<String> {
    let id = match a.get("activityId")? {
        Value::Number(n) => n.as_u64().map(|n| n.to_string())?,
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

/// One summary read.
enum Summary {
    /// A multisport parent: its legs are activities of their own.
    Parent,
    Complete(Activity),
    /// Lacking a start time, or a run's distance.
    Partial(Partial),
}

/// The summaries, wherever the file's shape puts them:
/// `[{"summarizedActivitiesExport": [...]}]`, that object alone, or a
/// plain list.
fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => {
            for item in items {
                if item.get("summarizedActivitiesExport").is_some() {
                    collect(item, out);
                } else if item.is_object() {
                    out.push(item);
                }
            }
        }
        Value::Object(map) => {
            if let Some(list) = map.get("summarizedActivitiesExport") {
                if let Value::Array(items) = list {
                    out.extend(items.iter().filter(|i| i.is_object()));
                }
            } else if map.contains_key("activityId") {
                out.push(v);
            }
        }
        _ => {}
    }
}

fn num(a: &Value, key: &str) -> Option<f64> {
    let v = a.get(key)?;
    let n = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// One summary as an activity, or what it says when it lacks what the
/// figures need.
fn activity(a: &Value) -> Summary {
    let has_children = a
        .get("childIds")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty());
    if a.get("parent").and_then(Value::as_bool) == Some(true) && has_children {
        return Summary::Parent;
    }
    let kind = match a.get("activityType") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o
            .get("typeKey")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    };
    let sport = match kind.trim() {
        "" => match a.get("sportType").and_then(Value::as_str) {
            Some(s) => sports::from_name(s),
            None => Sport::Other(sports::UNTYPED.into()),
        },
        k => sports::from_name(k),
    };
    let ms = num(a, "beginTimestamp").or_else(|| num(a, "startTimeGmt"));
    let start = ms.and_then(|ms| DateTime::from_timestamp_millis(ms as i64).map(|d| d.naive_utc()));
    let km = num(a, "distance")
        .filter(|d| *d >= 0.0)
        .map(|cm| cm / 100_000.0);
    let moving_s = num(a, "movingDuration")
        .or_else(|| num(a, "duration"))
        .map(|ms| ms / 1000.0)
        .filter(|s| *s > 0.0);
    let lacks = match (ms, start, km, &sport) {
        (None, ..) => "no start time in its summary (beginTimestamp or startTimeGmt)".to_owned(),
        (Some(ms), None, ..) => format!("its summary's start time {ms} is not a date"),
        (_, _, None, Sport::Run) => "a run with no distance in its summary".to_owned(),
        // A strength session or the like: counted, with no distance.
        (_, Some(start), km, _) => {
            return Summary::Complete(Activity {
                start,
                km: km.unwrap_or(0.0),
                moving_s,
                sport,
                gear: None,
            });
        }
    };
    Summary::Partial(Partial {
        item: String::new(),
        id: None,
        start,
        km,
        moving_s,
        sport,
        lacks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_in_centimetres_and_milliseconds() {
        let json = r#"[{"summarizedActivitiesExport": [
            {"activityId": 1, "activityType": "running", "sportType": "RUNNING",
             "beginTimestamp": 1700000000000, "startTimeGmt": 1700000000000.0,
             "distance": 1012345.0, "duration": 3000000.0, "movingDuration": 2950000.0},
            {"activityId": 2, "activityType": {"typeKey": "lap_swimming"},
             "startTimeGmt": 1700100000000, "distance": 150000.0},
            {"activityId": 3, "activityType": "strength_training", "beginTimestamp": 1700200000000},
            {"activityId": 4, "activityType": "multi_sport", "parent": true, "childIds": [5],
             "beginTimestamp": 1700300000000, "distance": 5000000.0},
            {"activityId": 5, "activityType": "treadmill_running", "beginTimestamp": 1700300000000},
            {"activityId": 6, "activityType": "running", "distance": 100.0}
        ]}]"#;
        let read = parse_summaries(json.as_bytes(), "x.json");
        let acts = &read.activities;
        assert_eq!(acts.len(), 3, "{acts:?}");
        assert_eq!(acts[0].sport, Sport::Run);
        assert!((acts[0].km - 10.12345).abs() < 1e-9);
        assert_eq!(acts[0].moving_s, Some(2950.0));
        assert_eq!(acts[0].start.to_string(), "2023-11-14 22:13:20");
        assert_eq!(acts[1].sport, Sport::Other("Swim".into()));
        assert!((acts[1].km - 1.5).abs() < 1e-9);
        assert_eq!(acts[2].sport, Sport::Other("WeightTraining".into()));
        assert_eq!(acts[2].km, 0.0);
        // Activities 5 and 6 lack what the figures need: kept, with what
        // their summaries say, for their uploaded FIT files.
        let partial = &read.partial;
        assert_eq!(partial.len(), 2, "{partial:?}");
        assert_eq!(partial[0].id.as_deref(), Some("5"));
        assert_eq!(partial[0].lacks, "a run with no distance in its summary");
        assert_eq!(
            partial[0].start.map(|s| s.to_string()).as_deref(),
            Some("2023-11-18 09:33:20")
        );
        assert_eq!(partial[1].km, Some(0.001));
        assert!(partial[1].lacks.contains("no start time"), "{partial:?}");
        assert!(read.skipped.is_empty());
        assert_eq!(read.ids.len(), 6);
        assert!(is_summary_file(
            "DI_CONNECT/DI-Connect-Fitness/me@example.com_0_summarizedActivities.json"
        ));
        let read = parse_summaries(b"{not json", "y.json");
        assert!(read.skipped[0].reason.contains("not valid JSON"));
    }
}
