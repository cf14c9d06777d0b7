//! The files a runner uploaded to Garmin Connect, as its account export
//! keeps them, opened only for a summary that lacks what the figures need
//! (a start time; a run's distance).
//!
//! They are in `DI_CONNECT/DI-Connect-Uploaded-Files/` (older exports:
//! `DI-Connect-Fitness-Uploaded-Files`), inside zips of their own
//! (`UploadedFiles_0-_Part1.zip`, ...; unpacked by some runners), named
//! `<login>_<number>.fit` or `<login>_<number>_<upload tag>.fit`. The number
//! is the activity's id in some exports and an upload's id in others, so a
//! summary's file is the one whose name holds its `activityId`, else the
//! one with a session starting within [`WINDOW_S`] of the summary's start.
//! Only FIT files are looked at; a zip inside a nested zip is not opened.
//!
//! Everything unpacked is paid from the run's budget (and the export zip's):
//! a nested zip is copied to an unnamed temporary file, never held in
//! memory, and a FIT file is read as a stream.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::super::{Activity, Limits, Skipped, Sport, fit, size_words, sports};
use super::Partial;

/// How far apart (seconds) a summary's start and a FIT session's may be
/// for the session to be the summary's activity: the same window as for
/// one activity read from two sources.
pub const WINDOW_S: i64 = 60;

/// Where the uploaded files are.
pub enum Source<'a> {
    /// The export unpacked to a folder.
    Folder(&'a Path),
    /// The export zip, and its name for messages.
    Zip(&'a mut ZipArchive<File>, &'a str),
}

/// The summaries completed from their files, those that could not be,
/// and the bytes of FIT read.
#[derive(Debug, Default)]
pub struct Completed {
    pub activities: Vec<Activity>,
    pub skipped: Vec<Skipped>,
    pub bytes: u64,
}

/// Where one uploaded FIT file is.
enum Place {
    Disk(PathBuf),
    /// An entry of the export zip.
    Outer(usize),
    /// An entry of a nested zip: (which nested zip, which entry).
    Nested(usize, usize),
}

struct Upload {
    label: String,
    /// The numbers in its file name (`runner_1234_5678.fit`: 1234, 5678).
    numbers: Vec<String>,
    place: Place,
}

impl Upload {
    fn new(label: String, path: &str, place: Place) -> Upload {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        // Whole `_`-separated parts only: the digits inside an upload tag
        // (`tap-sync-18690-...`) are no id.
        let numbers = stem
            .split('_')
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
        Upload {
            label,
            numbers,
            place,
        }
    }

    fn named(&self, id: &str) -> bool {
        self.numbers.iter().any(|n| n == id)
    }
}

/// The uploaded FIT files of one export, listed (not yet read).
struct Uploads<'a> {
    outer: Option<&'a mut ZipArchive<File>>,
    nested: Vec<ZipArchive<File>>,
    files: Vec<Upload>,
    /// Nested zips that could not be opened, and why.
    skipped: Vec<Skipped>,
    bytes: u64,
    /// Whether the folder walk stopped at the limit of files.
    full: bool,
}

fn is_fit(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".fit")
}

/// A zip of uploaded files (not any zip a runner left in the folder).
fn is_uploads_zip(path: &str) -> bool {
    let lower = path.to_ascii_lowercase().replace('\\', "/");
    lower.ends_with(".zip") && lower.contains("uploaded-files")
}

impl<'a> Uploads<'a> {
    fn find(source: Source<'a>, limits: &Limits) -> Uploads<'a> {
        let mut up = Uploads {
            outer: None,
            nested: Vec::new(),
            files: Vec::new(),
            skipped: Vec::new(),
            bytes: 0,
            full: false,
        };
        match source {
            Source::Folder(dir) => up.walk(dir, 0, limits),
            Source::Zip(archive, zip_label) => {
                for i in 0..archive.len() {
                    let Ok(entry) = archive.by_index_raw(i) else {
                        continue;
                    };
                    let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
                    if entry.is_dir() {
                        continue;
                    }
                    let label = format!("{zip_label}: {name}");
                    if is_fit(&name) {
                        up.files.push(Upload::new(label, &name, Place::Outer(i)));
                    } else if is_uploads_zip(&name) {
                        drop(entry);
                        match to_temp(archive, i, limits) {
                            Ok(file) => up.add_nested(file, &label, limits),
                            Err(reason) => up.skipped.push(Skipped {
                                item: label,
                                reason,
                            }),
                        }
                    }
                }
                up.outer = Some(archive);
            }
        }
        up
    }

    /// The export folder's FIT files and zips of uploads (a bounded walk:
    /// regular files only, no links followed).
    fn walk(&mut self, dir: &Path, depth: usize, limits: &Limits) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if self.files.len() >= limits.files {
                // Said once, by the folder where the walk stopped.
                if !self.full {
                    self.full = true;
                    self.skipped.push(Skipped {
                        item: dir.display().to_string(),
                        reason: format!(
                            "more than {} uploaded files; the rest are not looked at",
                            limits.files
                        ),
                    });
                }
                return;
            }
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let text = path.to_string_lossy().into_owned();
            if meta.is_dir() && depth < 6 {
                self.walk(&path, depth + 1, limits);
            } else if meta.is_file() && is_fit(&text) {
                self.files
                    .push(Upload::new(text.clone(), &text, Place::Disk(path)));
            } else if meta.is_file() && is_uploads_zip(&text) {
                match crate::files::open_regular(&path) {
                    Ok(file) => self.add_nested(file, &text, limits),
                    Err(e) => self.skipped.push(Skipped {
                        item: text,
                        reason: format!("cannot read: {e}"),
                    }),
                }
            }
        }
    }

    /// The FIT files listed in a nested zip (its directory only: nothing
    /// is unpacked yet).
    fn add_nested(&mut self, file: File, label: &str, limits: &Limits) {
        let mut archive = match ZipArchive::new(file) {
            Ok(a) => a,
            Err(e) => {
                self.skipped.push(Skipped {
                    item: label.to_owned(),
                    reason: format!("not a readable zip file: {e} (truncated or corrupt?)"),
                });
                return;
            }
        };
        if archive.len() > limits.files {
            self.skipped.push(Skipped {
                item: label.to_owned(),
                reason: format!(
                    "holds {} files, over the limit of {}; not read",
                    archive.len(),
                    limits.files
                ),
            });
            return;
        }
        let k = self.nested.len();
        for j in 0..archive.len() {
            let Ok(entry) = archive.by_index_raw(j) else {
                continue;
            };
            let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            if !entry.is_dir() && is_fit(&name) {
                self.files.push(Upload::new(
                    format!("{label}: {name}"),
                    &name,
                    Place::Nested(k, j),
                ));
            }
        }
        self.nested.push(archive);
    }

    /// The activities of one uploaded FIT file, read as a stream and paid
    /// from the budget.
    fn read(&mut self, i: usize, limits: &Limits) -> FitRead {
        let (acts, n) = match &self.files[i].place {
            Place::Disk(path) => {
                let file =
                    crate::files::open_regular(path).map_err(|e| format!("cannot read: {e}"))?;
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                read_fit(file, size, limits)
            }
            Place::Outer(j) => {
                let archive = self.outer.as_mut().ok_or("no export zip")?;
                let entry = archive
                    .by_index(*j)
                    .map_err(|e| format!("cannot read this zip entry: {e}"))?;
                let size = entry.size();
                read_fit(entry, size, limits)
            }
            Place::Nested(k, j) => {
                let entry = self.nested[*k]
                    .by_index(*j)
                    .map_err(|e| format!("cannot read this zip entry: {e}"))?;
                let size = entry.size();
                read_fit(entry, size, limits)
            }
        }?;
        self.bytes += n;
        acts
    }
}

/// A nested zip copied from the export zip to an unnamed temporary file
/// (removed when closed), up to what is left of the budget.
fn to_temp(archive: &mut ZipArchive<File>, i: usize, limits: &Limits) -> Result<File, String> {
    let entry = archive
        .by_index(i)
        .map_err(|e| format!("cannot read this zip entry: {e}"))?;
    let cap = limits.budget.left();
    if entry.size() > cap {
        return Err(limits.budget.over(limits.budget.tightest()));
    }
    let mut temp = tempfile::tempfile()
        .map_err(|e| format!("cannot make a temporary file to unpack it into: {e}"))?;
    let n = std::io::copy(&mut entry.take(cap + 1), &mut temp)
        .map_err(|e| format!("cannot unpack this zip entry: {e} (truncated or corrupt?)"))?;
    if n > cap {
        return Err(format!(
            "unpacks to more than {} (more than its header says); not read (a zip bomb?)",
            size_words(cap)
        ));
    }
    limits.budget.charge(n)?;
    temp.seek(SeekFrom::Start(0))
        .map_err(|e| format!("cannot read it back: {e}"))?;
    Ok(temp)
}

/// Counts what a reader gives, to pay for it.
struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// One FIT file's activities and the bytes read, refused before reading
/// when its size (as declared) is over the limit for one file or what is
/// left of the budget.
fn read_fit(reader: impl Read, size: u64, limits: &Limits) -> Result<(FitRead, u64), String> {
    if size > limits.file_bytes {
        return Err(format!(
            "the file is {}, over the {} limit for one file; not read",
            size_words(size),
            size_words(limits.file_bytes)
        ));
    }
    if size > limits.budget.left() {
        return Err(limits.budget.over(limits.budget.tightest()));
    }
    let mut counted = Counted {
        inner: reader.take(limits.file_bytes),
        n: 0,
    };
    let acts = fit::read_from(&mut counted);
    limits.budget.charge(counted.n)?;
    Ok((acts, counted.n))
}

/// Each partial summary completed from its uploaded FIT file, or skipped
/// with what was tried. With no partial summary nothing is opened, not
/// even the nested zips.
pub fn complete(
    partial: Vec<Partial>,
    ids: &HashSet<String>,
    source: Source<'_>,
    limits: &Limits,
) -> Completed {
    let mut out = Completed::default();
    if partial.is_empty() {
        return out;
    }
    let mut up = Uploads::find(source, limits);
    // The files named with each summary's id.
    let named: Vec<Vec<usize>> = partial
        .iter()
        .map(|p| match &p.id {
            Some(id) => (0..up.files.len())
                .filter(|&i| up.files[i].named(id))
                .collect(),
            None => Vec::new(),
        })
        .collect();
    // A summary with a start time and no file named with its id is looked
    // for by time, among the files named with no summary's id (a file
    // named with another activity's id is that activity's).
    let by_time = partial
        .iter()
        .zip(&named)
        .any(|(p, n)| p.start.is_some() && n.is_empty());
    let unnamed: Vec<usize> = if by_time {
        (0..up.files.len())
            .filter(|&i| !up.files[i].numbers.iter().any(|n| ids.contains(n)))
            .collect()
    } else {
        Vec::new()
    };
    let wanted: BTreeSet<usize> = named.iter().flatten().chain(&unnamed).copied().collect();
    let read: Reads = wanted
        .into_iter()
        .map(|i| (i, up.read(i, limits)))
        .collect();
    let mut claimed: HashSet<(usize, usize)> = HashSet::new();
    for (p, files) in partial.into_iter().zip(named) {
        let found = if files.is_empty() {
            by_start(&p, &unnamed, &read, &claimed).ok_or_else(|| not_found(&p))
        } else {
            by_name(&p, &files, &read, &up.files)
        };
        let done = found.and_then(|(i, k, session)| {
            let act = fill(&p, session).map_err(|e| {
                format!(
                    "{}, nor in its uploaded FIT file ({}: {e}); not counted",
                    p.lacks, up.files[i].label
                )
            })?;
            claimed.insert((i, k));
            Ok(act)
        });
        match done {
            Ok(act) => out.activities.push(act),
            Err(reason) => out.skipped.push(Skipped {
                item: p.item,
                reason,
            }),
        }
    }
    out.skipped.append(&mut up.skipped);
    out.bytes = up.bytes;
    out
}

/// One uploaded file's sessions, or why it could not be read.
type FitRead = Result<Vec<Activity>, String>;

/// The files read, by their index in the list of uploads.
type Reads = HashMap<usize, FitRead>;

/// The session of the first readable file named with the summary's id
/// (the one starting nearest the summary's start, or the only one of its
/// sport); the reason, naming what was tried, when there is none.
fn by_name<'r>(
    p: &Partial,
    files: &[usize],
    read: &'r Reads,
    uploads: &[Upload],
) -> Result<(usize, usize, &'r Activity), String> {
    let mut why = Vec::new();
    for &i in files {
        let label = &uploads[i].label;
        let acts = match read.get(&i) {
            Some(Ok(acts)) => acts,
            None => continue,
            Some(Err(e)) => {
                why.push(format!("{label}: {e}"));
                continue;
            }
        };
        let pick = match p.start {
            Some(start) => {
                (0..acts.len()).min_by_key(|&k| (acts[k].start - start).num_seconds().abs())
            }
            None => {
                let same: Vec<usize> = (0..acts.len())
                    .filter(|&k| acts[k].sport == p.sport)
                    .collect();
                match (same.as_slice(), acts.len()) {
                    ([k], _) => Some(*k),
                    (_, 1) => Some(0),
                    _ => {
                        why.push(format!(
                            "{label}: it holds {} sessions, and without a start time its summary cannot say which is this activity",
                            acts.len()
                        ));
                        continue;
                    }
                }
            }
        };
        if let Some(k) = pick {
            return Ok((i, k, &acts[k]));
        }
    }
    Err(format!(
        "{}, nor in its uploaded FIT file ({}); not counted",
        p.lacks,
        why.join("; ")
    ))
}

/// The unclaimed session starting nearest the summary's start, within
/// [`WINDOW_S`], one of the summary's sport first.
fn by_start<'r>(
    p: &Partial,
    files: &[usize],
    read: &'r Reads,
    claimed: &HashSet<(usize, usize)>,
) -> Option<(usize, usize, &'r Activity)> {
    let start = p.start?;
    files
        .iter()
        .filter_map(|&i| Some((i, read.get(&i)?.as_ref().ok()?)))
        .flat_map(|(i, acts)| acts.iter().enumerate().map(move |(k, a)| (i, k, a)))
        .filter(|(i, k, _)| !claimed.contains(&(*i, *k)))
        .map(|(i, k, a)| {
            (
                a.sport != p.sport,
                (a.start - start).num_seconds().abs(),
                i,
                k,
                a,
            )
        })
        .filter(|(_, dt, ..)| *dt <= WINDOW_S)
        .min_by_key(|(other, dt, i, k, _)| (*other, *dt, *i, *k))
        .map(|(_, _, i, k, a)| (i, k, a))
}

/// Why no file was found, saying how it was looked for (the id is in the
/// item, so that the same reason groups across summaries).
fn not_found(p: &Partial) -> String {
    let how = match (&p.id, p.start) {
        (Some(_), Some(_)) => format!(
            "no uploaded FIT file is named with its id or has a session starting within {WINDOW_S} s of it"
        ),
        (Some(_), None) => "no uploaded FIT file is named with its id".into(),
        (None, Some(_)) => {
            format!("no uploaded FIT file has a session starting within {WINDOW_S} s of it")
        }
        (None, None) => {
            "with neither an id nor a start time, its uploaded FIT file cannot be found".into()
        }
    };
    format!("{}, and {how}; not counted", p.lacks)
}

/// The summary with what it lacks taken from its FIT session; the sport
/// stays the summary's (the FIT's only when the summary names none).
fn fill(p: &Partial, session: &Activity) -> Result<Activity, String> {
    let km = match p.km {
        Some(km) => km,
        None if session.km > 0.0 || p.sport != Sport::Run => session.km,
        None => return Err("its session has no distance either".into()),
    };
    let sport = if p.sport == Sport::Other(sports::UNTYPED.into()) {
        session.sport.clone()
    } else {
        p.sport.clone()
    };
    Ok(Activity {
        start: p.start.unwrap_or(session.start),
        km,
        moving_s: p.moving_s.or(session.moving_s),
        sport,
        gear: None,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::super::{read_folder, read_zip};
    use super::*;
    use crate::training::Log;
    use crate::training::fit::tests::session_file;
    use crate::training::guard::Budget;

    /// A FIT time (2024-11-08 11:33:20 UTC), and the same in the Unix
    /// milliseconds of Garmin's summaries.
    const T: u32 = 1_100_000_000;
    const T_MS: i64 = (T as i64 + 631_065_600) * 1000;
    const DAY: u32 = 86_400;
    const NESTED: &str = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip";
    const SUMMARIES: &str = "DI_CONNECT/DI-Connect-Fitness/r_0_summarizedActivities.json";

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            zip.start_file(*name, options).expect("entry");
            zip.write_all(bytes).expect("write");
        }
        zip.finish().expect("finish").into_inner()
    }

    /// A summary: `id`, Garmin's type key, start (days after `T`), and the
    /// distance in centimetres; `None` leaves a field out.
    fn summary(
        id: Option<u64>,
        kind: Option<&str>,
        day: Option<i64>,
        cm: Option<f64>,
    ) -> serde_json::Value {
        let mut s = serde_json::Map::new();
        if let Some(id) = id {
            s.insert("activityId".into(), id.into());
        }
        if let Some(k) = kind {
            s.insert("activityType".into(), k.into());
        }
        if let Some(d) = day {
            s.insert("beginTimestamp".into(), (T_MS + d * 86_400_000).into());
        }
        if let Some(cm) = cm {
            s.insert("distance".into(), cm.into());
        }
        s.into()
    }

    /// The export zip, written in `dir`: the summaries, and `nested` as
    /// the zip of uploaded files.
    fn export_zip(dir: &Path, summaries: &[serde_json::Value], nested: &[u8]) -> (PathBuf, u64) {
        let json = serde_json::json!([{"summarizedActivitiesExport": summaries}]).to_string();
        let path = dir.join("export.zip");
        std::fs::write(
            &path,
            zip_of(&[(SUMMARIES, json.as_bytes()), (NESTED, nested)]),
        )
        .expect("write");
        (path, json.len() as u64)
    }

    fn read(path: &Path, limits: &Limits) -> Log {
        let file = File::open(path).expect("open");
        let mut archive = ZipArchive::new(file).expect("zip");
        read_zip(&mut archive, "export.zip", limits)
    }

    #[test]
    fn a_file_is_named_with_an_id_only_by_a_whole_part_of_its_name() {
        let up = |n: &str| Upload::new(n.into(), n, Place::Outer(0));
        assert!(up("a@b.com_11.fit").named("11"));
        assert!(!up("a@b.com_110.fit").named("11"));
        let real = "UploadedFiles_0-_Part1/john_doe@x.org_24715592701_tap-sync-18690-cc1dd.fit";
        assert!(up(real).named("24715592701"));
        assert!(!up(real).named("18690"));
        assert!(!up(real).named("0"));
    }

    #[test]
    fn only_the_files_summaries_need_are_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let run2 = session_file(4, T + DAY, 7_000, 1);
        let run3 = session_file(4, T + 2 * DAY + 30, 6_000, 1);
        let ride = session_file(4, T + 3 * DAY, 30_000, 2);
        let nested = zip_of(&[
            // Activity 1's summary is complete: its file is corrupt, and
            // never opened.
            ("r_1.fit", b"corrupt"),
            ("r_2.fit", &run2),
            // Named with an upload id: activity 3's by its start (30 s off).
            ("r_777_tap-sync-1-ab.fit", &run3),
            ("r_4.fit", &ride),
        ]);
        let summaries = [
            summary(Some(1), Some("running"), Some(0), Some(1_000_000.0)),
            summary(Some(2), Some("running"), Some(1), None),
            summary(Some(3), Some("trail_running"), Some(2), None),
            // No type and no start: both from its file.
            summary(Some(4), None, None, Some(3_000_000.0)),
        ];
        let (path, json) = export_zip(dir.path(), &summaries, &nested);
        let log = read(&path, &Limits::default());
        assert!(log.skipped.is_empty(), "{:?}", log.skipped);
        let mut acts = log.activities.clone();
        acts.sort_by_key(|a| a.start);
        let km: Vec<f64> = acts.iter().map(|a| a.km).collect();
        assert_eq!(km, [10.0, 7.0, 6.0, 30.0]);
        assert!(acts[..3].iter().all(|a| a.sport == Sport::Run));
        assert_eq!(acts[3].sport, Sport::Other("Ride".into()));
        // The summary's start is kept; the file's fills one that is missing.
        assert_eq!(acts[2].start.to_string(), "2024-11-10 11:33:20");
        assert_eq!(acts[3].start.to_string(), "2024-11-11 11:33:20");
        // Read: the summaries and the three files needed, not r_1.fit.
        let fits = (run2.len() + run3.len() + ride.len()) as u64;
        assert_eq!(log.bytes, json + fits);
        assert_eq!(log.sources["Garmin export"].runs, 3);
    }

    #[test]
    fn with_every_summary_complete_the_uploads_are_never_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let complete = [summary(Some(1), Some("running"), Some(0), Some(500_000.0))];
        let (path, json) = export_zip(dir.path(), &complete, b"not a zip");
        let log = read(&path, &Limits::default());
        assert!(log.skipped.is_empty(), "{:?}", log.skipped);
        assert_eq!(log.bytes, json);
        // With one summary to complete, the nested zip is opened.
        let partial = [summary(Some(2), Some("running"), Some(0), None)];
        let (path, _) = export_zip(dir.path(), &partial, b"not a zip");
        let log = read(&path, &Limits::default());
        let why: Vec<String> = log
            .skipped
            .iter()
            .map(|s| format!("{} | {}", s.item, s.reason))
            .collect();
        assert_eq!(why.len(), 2, "{why:?}");
        assert!(
            why.iter()
                .any(|w| w.starts_with(&format!("export.zip: {NESTED} | not a readable zip file"))),
            "{why:?}"
        );
        assert!(why.iter().any(|w| w.ends_with("activity 2 | a run with no distance in its summary, and no uploaded FIT file is named with its id or has a session starting within 60 s of it; not counted")), "{why:?}");
    }

    #[test]
    fn what_neither_gives_is_skipped_saying_both_were_tried() {
        let dir = tempfile::tempdir().expect("tempdir");
        let nested = zip_of(&[
            ("r_5.fit", &session_file(4, T, 0, 1)),
            ("r_6.fit", b"corrupt"),
        ]);
        let summaries = [
            summary(Some(5), Some("running"), Some(0), None),
            summary(Some(6), Some("running"), None, Some(500_000.0)),
            summary(None, Some("running"), None, Some(500_000.0)),
        ];
        let (path, _) = export_zip(dir.path(), &summaries, &nested);
        let log = read(&path, &Limits::default());
        assert!(log.activities.is_empty(), "{:?}", log.activities);
        let why: Vec<&str> = log.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(why, [
            format!("a run with no distance in its summary, nor in its uploaded FIT file (export.zip: {NESTED}: r_5.fit: its session has no distance either); not counted"),
            format!("no start time in its summary (beginTimestamp or startTimeGmt), nor in its uploaded FIT file (export.zip: {NESTED}: r_6.fit: not a FIT file: the header says it is 99 bytes long (12 or 14 expected)); not counted"),
            "no start time in its summary (beginTimestamp or startTimeGmt), and with neither an id nor a start time, its uploaded FIT file cannot be found; not counted".to_owned(),
        ]);
    }

    /// A few kilobytes that deflate cannot shrink.
    fn noise(n: usize) -> Vec<u8> {
        let mut x = 0x2545_f491_u32;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect()
    }

    #[test]
    fn reading_uploads_stays_within_the_limits() {
        let dir = tempfile::tempdir().expect("tempdir");
        let partial = [summary(Some(8), Some("running"), Some(0), None)];
        // A nested zip over what is left of the budget is not unpacked.
        let (path, _) = export_zip(
            dir.path(),
            &partial,
            &zip_of(&[("r_8.fit", &noise(20_000))]),
        );
        let limits = Limits {
            budget: Budget::new(10_000),
            ..Limits::default()
        };
        let log = read(&path, &limits);
        let nested = log
            .skipped
            .iter()
            .find(|s| s.item.ends_with(NESTED))
            .expect("refused");
        assert!(
            nested.reason.contains("over the unpacking budget"),
            "{nested:?}"
        );
        assert_eq!(limits.budget.left(), 10_000, "nothing paid");
        // A FIT file over the limit for one file is not read.
        let (path, _) = export_zip(
            dir.path(),
            &partial,
            &zip_of(&[("r_8.fit", &vec![0u8; 100_000])]),
        );
        let limits = Limits {
            file_bytes: 50_000,
            ..Limits::default()
        };
        let log = read(&path, &limits);
        assert!(
            log.skipped.iter().any(|s| s.reason.contains(
                "r_8.fit: the file is 98 kB, over the 49 kB limit for one file; not read"
            )),
            "{:?}",
            log.skipped
        );
    }

    #[test]
    fn an_unpacked_export_folder_is_read_the_same() {
        let dir = tempfile::tempdir().expect("tempdir");
        let json = serde_json::json!([{"summarizedActivitiesExport": [
            summary(Some(2), Some("running"), Some(1), None),
            summary(Some(3), Some("running"), Some(2), None),
        ]}]);
        let files: [(&str, Vec<u8>); 3] = [
            (SUMMARIES, json.to_string().into_bytes()),
            // Unpacked by the runner, and still zipped.
            (
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1/r_2.fit",
                session_file(4, T + DAY, 7_000, 1),
            ),
            (
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip",
                zip_of(&[("r_3.fit", &session_file(4, T + 2 * DAY, 6_000, 1))]),
            ),
        ];
        for (name, bytes) in &files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        let log = read_folder(dir.path(), &Limits::default());
        assert!(log.skipped.is_empty(), "{:?}", log.skipped);
        let mut km: Vec<f64> = log.activities.iter().map(|a| a.km).collect();
        km.sort_by(f64::total_cmp);
        assert_eq!(km, [6.0, 7.0]);
        // The walk stops at the limit of files, and says so once.
        let limits = Limits {
            files: 1,
            ..Limits::default()
        };
        let log = read_folder(dir.path(), &limits);
        assert_eq!(log.activities.len(), 1);
        let why: Vec<&str> = log.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            why.iter()
                .filter(|r| **r == "more than 1 uploaded files; the rest are not looked at")
                .count(),
            1,
            "{why:?}"
        );
        assert_eq!(why.len(), 2, "and activity 3, not found: {why:?}");
    }
}
