//! Strava bulk exports: the folder or its `.zip`, read through
//! `activities.csv`, and the activity files it names for rows without a
//! distance.
//!
//! The CSV repeats column names (two `Distance`: the first in the runner's
//! unit, the second in metres; two `Elapsed Time`), so columns are found by
//! position from the header. `Activity Date` is UTC, written like
//! `Oct 6, 2022, 11:19:20 PM`. Nothing is ever unpacked to disk: zip
//! entries are read into memory up to [`Limits`], and an entry whose path
//! would lead outside the export folder is listed as skipped, not read.
//! A file named by several rows is read once, for the first of them (one
//! small `.gz` named by thousands of rows was a zip bomb), and in a folder
//! a link that leads out of it is not followed.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDateTime;

use super::{
    Activity, Limits, Log, Skipped, Sport, format_of_name, guard, parallel_map,
    parse_activity_bytes, read_counted, read_file_capped, size_words,
};
use crate::error::Error;

/// Where the columns are (by position: names repeat).
#[derive(Debug, Default)]
struct Columns {
    id: Option<usize>,
    date: usize,
    kind: usize,
    gear: Option<usize>,
    filename: Option<usize>,
    /// The first `Distance`: the runner's unit.
    distance_unit: Option<usize>,
    /// The second `Distance`: metres.
    distance_m: Option<usize>,
    moving: Option<usize>,
    elapsed: Option<usize>,
    width: usize,
}

fn columns(header: &csv::StringRecord, label: &str) -> Result<Columns, String> {
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let all = |name: &str| -> Vec<usize> {
        names
            .iter()
            .enumerate()
            .filter(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(i, _)| i)
            .collect()
    };
    let one = |name: &str| all(name).first().copied();
    let distances = all("Distance");
    let mut missing = Vec::new();
    let date = one("Activity Date");
    let kind = one("Activity Type");
    if date.is_none() {
        missing.push("Activity Date");
    }
    if kind.is_none() {
        missing.push("Activity Type");
    }
    if distances.is_empty() && one("Filename").is_none() {
        missing.push("Distance");
    }
    if let (Some(date), Some(kind), true) = (date, kind, missing.is_empty()) {
        // Two Distance columns: unit, then metres; one: the runner's unit.
        let (distance_unit, distance_m) = match distances.as_slice() {
            [] => (None, None),
            [one] => (Some(*one), None),
            [a, b, ..] => (Some(*a), Some(*b)),
        };
        return Ok(Columns {
            id: one("Activity ID"),
            date,
            kind,
            gear: one("Activity Gear"),
            filename: one("Filename"),
            distance_unit,
            distance_m,
            moving: one("Moving Time"),
            elapsed: one("Elapsed Time"),
            width: names.len(),
        });
    }
    let found: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
    Err(format!(
        "{label} is not a Strava activities.csv: no {} column; columns found: {}{}",
        missing.join(", "),
        found.join(", "),
        if names.len() > 12 { ", …" } else { "" }
    ))
}

/// A number as Strava writes it: `10.52`, `1,234.5`, `10520.0`.
fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let cleaned = if t.contains('.') {
        t.replace(',', "")
    } else if let Some((a, b)) = t.split_once(',') {
        if b.len() == 3 && !b.contains(',') && !a.is_empty() {
            format!("{a}{b}")
        } else {
            t.replacen(',', ".", 1)
        }
    } else {
        t.to_owned()
    };
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `Activity Date`: UTC. Strava writes `Oct 6, 2022, 11:19:20 PM` (with a
/// narrow no-break space before PM in newer exports); other forms seen in
/// the wild are accepted too.
pub fn parse_date(text: &str) -> Option<NaiveDateTime> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    const FORMATS: [&str; 8] = [
        "%b %d, %Y, %I:%M:%S %p",
        "%b %d, %Y %I:%M:%S %p",
        "%d %b %Y, %H:%M:%S",
        "%d %b %Y %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%SZ",
        "%Y-%m-%dT%H:%M:%S",
        "%b %d, %Y, %H:%M:%S",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
}

/// A row that names an activity file instead of a distance.
#[derive(Debug, Clone)]
pub struct Pending {
    pub row: String,
    pub file: String,
    pub start: NaiveDateTime,
    pub sport: Sport,
    pub gear: Option<String>,
    pub moving_s: Option<f64>,
}

/// What `activities.csv` gave.
#[derive(Debug, Default)]
pub struct CsvRead {
    pub activities: Vec<Activity>,
    pub skipped: Vec<Skipped>,
    pub pending: Vec<Pending>,
}

/// Reads `activities.csv`. `label` names it in messages.
pub fn parse_csv(bytes: &[u8], label: &str) -> CsvRead {
    let mut out = CsvRead::default();
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.skipped.push(Skipped {
                item: label.to_owned(),
                reason: format!("cannot read the header: {e}"),
            });
            return out;
        }
    };
    if header.is_empty() || header.iter().all(|h| h.trim().is_empty()) {
        out.skipped.push(Skipped {
            item: label.to_owned(),
            reason: "the file is empty (no header, no rows)".into(),
        });
        return out;
    }
    let cols = match columns(&header, label) {
        Ok(c) => c,
        Err(reason) => {
            out.skipped.push(Skipped {
                item: label.to_owned(),
                reason,
            });
            return out;
        }
    };

    // Rows first, distances resolved once the unit is known.
    struct Row {
        label: String,
        start: NaiveDateTime,
        sport: Sport,
        gear: Option<String>,
        unit_value: Option<f64>,
        metres: Option<f64>,
        file: Option<String>,
        moving_s: Option<f64>,
    }
    let mut rows = Vec::new();
    let mut ratios = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.skipped.push(Skipped {
                    item: format!("{label} row {line}"),
                    reason: format!("cannot read this row: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let id = cols
            .id
            .and_then(|c| record.get(c))
            .filter(|s| !s.trim().is_empty());
        let row_label = match id {
            Some(id) => format!("{label} row {line} (activity {})", id.trim()),
            None => format!("{label} row {line}"),
        };
        if record.len() != cols.width {
            out.skipped.push(Skipped {
                item: row_label,
                reason: format!(
                    "{} fields where the header has {}; the columns cannot be trusted, so the row is not read",
                    record.len(),
                    cols.width
                ),
            });
            continue;
        }
        let field = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim);
        let date_text = field(Some(cols.date)).unwrap_or("");
        let Some(start) = parse_date(date_text) else {
            out.skipped.push(Skipped {
                item: row_label,
                reason: format!(
                    "Activity Date \"{date_text}\" is not a date (expected like \"Oct 6, 2022, 11:19:20 PM\")"
                ),
            });
            continue;
        };
        let kind = field(Some(cols.kind)).unwrap_or("");
        if kind.is_empty() {
            out.skipped.push(Skipped {
                item: row_label,
                reason: "no Activity Type".into(),
            });
            continue;
        }
        let unit_value = field(cols.distance_unit)
            .and_then(number)
            .filter(|v| *v > 0.0);
        let metres = field(cols.distance_m).and_then(number).filter(|v| *v > 0.0);
        if let (Some(u), Some(m)) = (unit_value, metres) {
            ratios.push(u * 1000.0 / m);
        }
        rows.push(Row {
            label: row_label,
            start,
            sport: Sport::from_name(kind),
            gear: field(cols.gear)
                .filter(|g| !g.is_empty())
                .map(str::to_owned),
            unit_value,
            metres,
            file: field(cols.filename)
                .filter(|f| !f.is_empty())
                .map(str::to_owned),
            moving_s: field(cols.moving)
                .or(field(cols.elapsed))
                .and_then(number)
                .filter(|v| *v > 0.0),
        });
    }

    // The runner's unit: km per unit, from the rows that give both
    // columns (miles show as 0.621 of the metres); km without them.
    ratios.sort_by(f64::total_cmp);
    let km_per_unit = match ratios.get(ratios.len() / 2) {
        Some(r) if (0.55..0.7).contains(r) => 1.609_344,
        _ => 1.0,
    };

    for row in rows {
        let km = row
            .metres
            .map(|m| m / 1000.0)
            .or(row.unit_value.map(|v| v * km_per_unit));
        match (km, row.file) {
            (Some(km), _) => out.activities.push(Activity {
                start: row.start,
                km,
                moving_s: row.moving_s,
                sport: row.sport,
                gear: row.gear,
            }),
            // Not a run: counted among other activities from the row
            // alone, its file never opened (Weight Training, Workout, Yoga
            // rows name files that the export often leaves out).
            (None, _) if row.sport != Sport::Run => out.activities.push(Activity {
                start: row.start,
                km: 0.0,
                moving_s: row.moving_s,
                sport: row.sport,
                gear: row.gear,
            }),
            (None, Some(file)) => out.pending.push(Pending {
                row: row.label,
                file,
                start: row.start,
                sport: row.sport,
                gear: row.gear,
                moving_s: row.moving_s,
            }),
            (None, None) => out.skipped.push(Skipped {
                item: row.label,
                reason: "no distance, and no activity file named to read it from".into(),
            }),
        }
    }
    out
}

/// A file name from the CSV as a path inside the export, refusing one
/// that is absolute or climbs out with `..`.
fn relative_path(name: &str) -> Option<PathBuf> {
    let normalized = name.replace('\\', "/");
    let path = Path::new(&normalized);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// The row's activity, its distance from the file the row names.
fn resolve(
    p: &Pending,
    file_result: Result<Vec<u8>, String>,
    limits: &Limits,
) -> Result<Activity, Skipped> {
    let skip = |reason: String| Skipped {
        item: format!("{} → {}", p.row, p.file),
        reason,
    };
    let bytes = file_result.map_err(skip)?;
    let acts = parse_activity_bytes(bytes, &p.file, limits).map_err(skip)?;
    let km: f64 = acts.iter().map(|a| a.km).sum();
    Ok(Activity {
        start: p.start,
        km,
        moving_s: p
            .moving_s
            .or_else(|| acts.iter().filter_map(|a| a.moving_s).reduce(|a, b| a + b)),
        sport: p.sport.clone(),
        gear: p.gear.clone(),
    })
}

/// Keeps the first row naming each file; the others are skipped, so a
/// file is unpacked and counted once however many rows name it.
fn read_once(pending: Vec<Pending>, skipped: &mut Vec<Skipped>) -> Vec<Pending> {
    let mut first: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::with_capacity(pending.len());
    for p in pending {
        let key = relative_path(&p.file)
            .map(|r| r.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_else(|| p.file.clone());
        match first.get(&key) {
            Some(row) => skipped.push(Skipped {
                item: format!("{} → {}", p.row, p.file),
                reason: format!(
                    "the same file as {row}; a file is read once, for the first row naming it"
                ),
            }),
            None => {
                first.insert(key, p.row.clone());
                kept.push(p);
            }
        }
    }
    kept
}

fn finish_csv(csv: CsvRead, resolved: Vec<Result<Activity, Skipped>>) -> Log {
    let mut log = Log {
        activities: csv.activities,
        skipped: csv.skipped,
        strava: true,
        ..Log::default()
    };
    for r in resolved {
        match r {
            Ok(a) => log.activities.push(a),
            Err(s) => log.skipped.push(s),
        }
    }
    let acts = std::mem::take(&mut log.activities);
    log.count(SOURCE, &acts);
    log.activities = acts;
    log
}

/// This reader's name in `training`'s summary.
pub const SOURCE: &str = "Strava export";

/// An export folder: `activities.csv` and the files it names.
pub fn read_folder(dir: &Path, limits: &Limits) -> Result<Log, Error> {
    read_csv_at(&dir.join("activities.csv"), dir, limits)
}

/// `activities.csv` alone; files it names are looked for beside it.
pub fn read_csv_file(path: &Path, limits: &Limits) -> Result<Log, Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    read_csv_at(path, dir, limits)
}

fn read_csv_at(csv_path: &Path, root: &Path, limits: &Limits) -> Result<Log, Error> {
    let bytes = match read_file_capped(csv_path, limits.file_bytes) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            return Ok(Log {
                skipped: vec![Skipped {
                    item: csv_path.display().to_string(),
                    reason: e.to_string(),
                }],
                strava: true,
                ..Log::default()
            });
        }
        Err(source) => {
            return Err(Error::Unreadable {
                path: csv_path.to_path_buf(),
                source,
            });
        }
    };
    let label = csv_path.display().to_string();
    let mut csv = parse_csv(&bytes, &label);
    let pending = std::mem::take(&mut csv.pending);
    let pending = read_once(pending, &mut csv.skipped);
    let resolved = parallel_map(&pending, |p| {
        let bytes = match relative_path(&p.file) {
            None => Err("the file named leads outside the export folder; not read".to_owned()),
            Some(rel) => guard::inside(root, &root.join(rel))
                .and_then(|real| read_counted(&real, limits))
                .map_err(|e| {
                    if e.contains("(os error 2)") {
                        "activity file not found; pass the export folder or the .zip".to_owned()
                    } else if e.starts_with("cannot read:") {
                        e.replacen("cannot read:", "cannot read the activity file:", 1)
                    } else {
                        e
                    }
                }),
        };
        resolve(p, bytes, limits)
    });
    Ok(finish_csv(csv, resolved))
}

/// Reads one zip entry into memory, up to the per-file limit and what is
/// left of the budget (the zip's and the run's). The declared size is
/// checked first; the actual bytes are counted too, since a header can lie.
fn read_entry(
    archive: &mut zip::ZipArchive<File>,
    index: usize,
    limits: &Limits,
) -> Result<Vec<u8>, String> {
    let entry = archive
        .by_index(index)
        .map_err(|e| format!("cannot read this zip entry: {e}"))?;
    let cap = limits.file_bytes.min(limits.budget.left());
    if entry.size() > cap {
        return Err(format!(
            "unpacks to {}, over the {} limit{}; not read (a zip bomb?)",
            size_words(entry.size()),
            size_words(cap),
            if cap < limits.file_bytes {
                " left for this zip"
            } else {
                " for one file"
            }
        ));
    }
    let mut bytes = Vec::with_capacity(entry.size().min(cap) as usize);
    entry
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot unpack this zip entry: {e} (truncated or corrupt?)"))?;
    if bytes.len() as u64 > cap {
        return Err(format!(
            "unpacks to more than {} (more than its header says); not read (a zip bomb?)",
            size_words(cap)
        ));
    }
    limits.budget.charge(bytes.len() as u64)?;
    Ok(bytes)
}

/// A Strava export zip (or any zip of activity files).
pub fn read_zip(path: &Path, limits: &Limits) -> Result<Log, Error> {
    let file = crate::files::open_regular(path).map_err(|source| Error::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    // Everything unpacked from this zip, a `.gz` inside it too, is paid
    // from the zip's budget and the run's.
    let zip_limits = Limits {
        budget: limits.budget.nested(limits.zip_bytes, "this zip"),
        ..limits.clone()
    };
    let limits = &zip_limits;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        Error::Usage(format!(
            "{}: not a readable zip file: {e} (truncated or corrupt?)",
            path.display()
        ))
    })?;
    let zip_label = path.display().to_string();
    // Garmin's and Apple's exports are zips too.
    let names: Vec<String> = (0..archive.len())
        .filter_map(|i| {
            archive
                .by_index_raw(i)
                .ok()?
                .name()
                .ok()
                .map(|n| n.into_owned())
        })
        .collect();
    if names.iter().any(|n| super::garmin::is_summary_file(n)) {
        return Ok(super::garmin::read_zip(&mut archive, &zip_label, limits));
    }
    if !names
        .iter()
        .any(|n| n.rsplit('/').next() == Some("activities.csv"))
        && names.iter().any(|n| super::apple::is_export_entry(n))
    {
        return Ok(super::apple::read_zip(&mut archive, &zip_label));
    }
    drop(names);
    let mut skipped = Vec::new();
    // Safe names → entry index.
    let mut entries: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            skipped.push(Skipped {
                item: format!("{zip_label}: entry {i}"),
                reason: "cannot read this zip entry's header".into(),
            });
            continue;
        };
        let raw_name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.is_dir() {
            continue;
        }
        match entry.enclosed_name() {
            Some(safe) => {
                let name = safe.to_string_lossy().replace('\\', "/");
                entries.insert(name.clone(), i);
                names.push(name);
            }
            None => skipped.push(Skipped {
                item: format!("{zip_label}: {raw_name}"),
                reason: "its path leads outside the export folder; not read".into(),
            }),
        }
    }
    names.sort();
    let csv_name = names
        .iter()
        .filter(|n| n.rsplit('/').next() == Some("activities.csv"))
        .min_by_key(|n| n.len())
        .cloned();

    let Some(csv_name) = csv_name else {
        // A zip of activity files: read each.
        let mut log = Log {
            skipped,
            ..Log::default()
        };
        let mut batch: Vec<(String, Vec<u8>)> = Vec::new();
        let mut batch_bytes = 0u64;
        let flush = |batch: &mut Vec<(String, Vec<u8>)>, log: &mut Log| {
            let results = parallel_map(batch, |(name, bytes)| {
                super::parse_activity(bytes.clone(), name, limits)
            });
            for ((name, bytes), r) in batch.drain(..).zip(results) {
                match r {
                    Ok(parsed) => {
                        log.bytes += bytes.len() as u64;
                        log.count(parsed.format.source(), &parsed.activities);
                        log.activities.extend(parsed.activities);
                        log.skipped.extend(parsed.skipped.into_iter().map(|note| {
                            super::part_skipped(&format!("{zip_label}: {name}"), note)
                        }));
                    }
                    Err(reason) => log.skipped.push(Skipped {
                        item: format!("{zip_label}: {name}"),
                        reason,
                    }),
                }
            }
        };
        let mut any = false;
        for name in &names {
            if format_of_name(name).is_none() {
                continue;
            }
            any = true;
            match read_entry(&mut archive, entries[name], limits) {
                Ok(bytes) => {
                    batch_bytes += bytes.len() as u64;
                    batch.push((name.clone(), bytes));
                    if batch_bytes > 64 * 1024 * 1024 {
                        flush(&mut batch, &mut log);
                        batch_bytes = 0;
                    }
                }
                Err(reason) => log.skipped.push(Skipped {
                    item: format!("{zip_label}: {name}"),
                    reason,
                }),
            }
        }
        flush(&mut batch, &mut log);
        if !any && log.skipped.is_empty() {
            return Err(Error::Usage(format!(
                "{zip_label}: no activities.csv and no .gpx, .tcx or .fit files in this zip; not a training log"
            )));
        }
        return Ok(log);
    };

    let prefix = csv_name
        .strip_suffix("activities.csv")
        .unwrap_or("")
        .to_owned();
    let csv_label = format!("{zip_label}: {csv_name}");
    let mut csv = match read_entry(&mut archive, entries[&csv_name], limits) {
        Ok(bytes) => parse_csv(&bytes, &csv_label),
        Err(reason) => CsvRead {
            skipped: vec![Skipped {
                item: csv_label,
                reason,
            }],
            ..CsvRead::default()
        },
    };
    csv.skipped.extend(skipped);
    let pending = std::mem::take(&mut csv.pending);
    let pending = read_once(pending, &mut csv.skipped);
    // Entries are read a batch at a time (64 MB), so memory stays bounded
    // however many rows there are.
    let mut resolved = Vec::with_capacity(pending.len());
    let mut rest = &pending[..];
    while !rest.is_empty() {
        let mut inputs: Vec<(&Pending, Result<Vec<u8>, String>)> = Vec::new();
        let mut held = 0u64;
        while let Some((p, tail)) = rest.split_first() {
            if held > 64 * 1024 * 1024 {
                break;
            }
            rest = tail;
            let result = match relative_path(&p.file) {
                None => Err("the file named leads outside the export folder; not read".to_owned()),
                Some(rel) => {
                    let name = format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/"));
                    match entries.get(&name) {
                        Some(&i) => read_entry(&mut archive, i, limits),
                        None => {
                            Err("activity file not in the zip (the export left it out)".to_owned())
                        }
                    }
                }
            };
            if let Ok(b) = &result {
                held += b.len() as u64;
            }
            inputs.push((p, result));
        }
        resolved.extend(parallel_map(&inputs, |(p, bytes)| {
            resolve(p, bytes.clone(), limits)
        }));
    }
    Ok(finish_csv(csv, resolved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_strava_writes_them() {
        let d = parse_date("Oct 6, 2022, 11:19:20 PM").expect("parses");
        assert_eq!(d.to_string(), "2022-10-06 23:19:20");
        let d = parse_date("Jan 1, 2023, 12:05:00\u{202f}AM").expect("parses");
        assert_eq!(d.to_string(), "2023-01-01 00:05:00");
        assert!(parse_date("yesterday").is_none());
    }

    #[test]
    fn numbers_with_separators() {
        assert_eq!(number("10.52"), Some(10.52));
        assert_eq!(number("1,234.5"), Some(1234.5));
        assert_eq!(number("10520.0"), Some(10520.0));
        assert_eq!(number("1,234"), Some(1234.0));
        assert_eq!(number("10,5"), Some(10.5));
        assert_eq!(number(""), None);
        assert_eq!(number("NaN"), None);
    }

    #[test]
    fn paths_may_not_leave_the_export() {
        assert!(relative_path("activities/1.gpx.gz").is_some());
        assert!(relative_path("../../etc/passwd").is_none());
        assert!(relative_path("/etc/passwd").is_none());
        assert!(relative_path("activities/../../x.gpx").is_none());
    }

    #[test]
    fn what_a_gz_inside_a_zip_unpacks_to_is_paid_from_the_zip_budget() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("gz.zip");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b' '; 200_000]).expect("gzip");
        let gz = gz.finish().expect("gzip");
        let mut zip = zip::ZipWriter::new(File::create(&path).expect("create"));
        let options = zip::write::SimpleFileOptions::default();
        for name in ["a.gpx.gz", "b.gpx.gz", "c.gpx.gz"] {
            zip.start_file(name, options).expect("start");
            zip.write_all(&gz).expect("write");
        }
        zip.finish().expect("finish");
        let limits = Limits {
            zip_bytes: 300_000,
            ..Limits::default()
        };
        let log = read_zip(&path, &limits).expect("reads the zip");
        let over = log
            .skipped
            .iter()
            .filter(|s| s.reason.contains("unpacking budget for this zip"))
            .count();
        assert_eq!(over, 2, "{:?}", log.skipped);
        assert!(limits.budget.left() < Limits::RUN_BYTES, "the run paid too");
    }

    #[test]
    fn a_lying_zip_header_is_capped() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bomb.zip");
        let mut zip = zip::ZipWriter::new(File::create(&path).expect("create"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("rides/a.gpx", options).expect("start");
        zip.write_all(&vec![b' '; 200_000]).expect("write");
        zip.finish().expect("finish");
        let limits = Limits {
            file_bytes: 50_000,
            ..Limits::default()
        };
        let log = read_zip(&path, &limits).expect("reads the zip");
        assert!(log.activities.is_empty());
        assert!(
            log.skipped[0].reason.contains("zip bomb"),
            "{:?}",
            log.skipped
        );
    }
}
