//! Finding and reading the files of a training log: what each path is
//! (a Strava export, a folder, a file), the size limits, and reading many
//! files on all cores.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::Error;

use super::*;

/// Reads a file from disk, refusing one over the limit before reading it,
/// and anything but a regular file (a FIFO would block).
pub fn read_file_capped(path: &Path, limit: u64) -> Result<Vec<u8>, std::io::Error> {
    let file = crate::files::open_regular(path)?;
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

/// [`read_file_capped`] for an activity file, paid from the run's budget;
/// the error is a reason for `skipped`.
pub fn read_counted(path: &Path, limits: &Limits) -> Result<Vec<u8>, String> {
    if let Ok(m) = std::fs::metadata(path)
        && m.is_file()
        && m.len() <= limits.file_bytes
        && m.len() > limits.budget.left()
    {
        return Err(limits.budget.over(limits.budget.tightest()));
    }
    let bytes = read_file_capped(path, limits.file_bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::FileTooLarge | std::io::ErrorKind::InvalidInput => e.to_string(),
        _ => format!("cannot read: {e}"),
    })?;
    limits.budget.charge(bytes.len() as u64)?;
    Ok(bytes)
}

/// How one path given on the command line is read.
#[derive(Debug)]
enum Input {
    StravaFolder(PathBuf),
    /// Any zip: a Strava, Garmin or Apple Health export, or activity files.
    StravaZip(PathBuf),
    GarminFolder(PathBuf),
    AppleXml(PathBuf),
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
        if garmin::is_export_folder(path) {
            return Ok(Input::GarminFolder(path.to_path_buf()));
        }
        if path.join("export.xml").is_file() {
            return Ok(Input::AppleXml(path.join("export.xml")));
        }
        return Ok(Input::Folder(path.to_path_buf()));
    }
    // Probe the file, so no permission is exit 1 with the path; a FIFO or
    // a device is not a log (exit 2), and is never waited on.
    crate::files::open_regular(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::InvalidInput {
            Error::Usage(format!("{}: {source}", path.display()))
        } else {
            Error::Unreadable {
                path: path.to_path_buf(),
                source,
            }
        }
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
    if name.ends_with(".xml") {
        return Ok(Input::AppleXml(path.to_path_buf()));
    }
    if format_of_name(&name).is_some() {
        return Ok(Input::File(path.to_path_buf()));
    }
    // An unknown name: look at the first bytes.
    let mut head = Vec::new();
    if let Ok(f) = crate::files::open_regular(path) {
        let _ = f.take(4096).read_to_end(&mut head);
    }
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Input::StravaZip(path.to_path_buf()));
    }
    if String::from_utf8_lossy(&head).contains("<HealthData") {
        return Ok(Input::AppleXml(path.to_path_buf()));
    }
    if sniff(&head).is_some() || head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Input::File(path.to_path_buf()));
    }
    Err(Error::Usage(format!(
        "{}: not a training log; expected a Strava, Garmin Connect or Apple Health export (folder or .zip), activities.csv, export.xml, or .gpx, .tcx or .fit files (each also .gz), or a folder of them",
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
            Input::GarminFolder(dir) => log.absorb(garmin::read_folder(&dir, limits)),
            Input::AppleXml(path) => log.absorb(apple::read_file(&path)),
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
/// Symbolic links to folders are not followed (no loops), nor links that
/// lead outside `root`; only regular files are kept.
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
        let target = if meta.file_type().is_symlink() {
            match guard::inside(root, &path)
                .and_then(|real| std::fs::metadata(&real).map_err(|e| format!("cannot read: {e}")))
            {
                Ok(m) if m.is_dir() => continue,
                Ok(m) => m,
                Err(reason) => {
                    skipped.push(Skipped {
                        item: path.display().to_string(),
                        reason,
                    });
                    continue;
                }
            }
        } else {
            meta
        };
        if !target.is_file() {
            skipped.push(Skipped {
                item: path.display().to_string(),
                reason: format!("{}; not read", crate::files::NOT_REGULAR),
            });
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
            Ok((parsed, bytes)) => {
                log.count(parsed.format.source(), &parsed.activities);
                log.activities.extend(parsed.activities);
                log.skipped.extend(
                    parsed
                        .skipped
                        .into_iter()
                        .map(|note| part_skipped(label, note)),
                );
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

fn read_activity_file(path: &Path, label: &str, limits: &Limits) -> Result<(Parsed, u64), String> {
    if let Some(read) = stream_fit(path, label, limits) {
        // What was streamed counts against the run's budget too.
        let (parsed, n) = read?;
        limits.budget.charge(n)?;
        return Ok((parsed, n));
    }
    let bytes = read_counted(path, limits)?;
    let n = bytes.len() as u64;
    parse_activity(bytes, label, limits).map(|a| (a, n))
}

/// A FIT file (gzipped or not) read straight from disk as a stream, so its
/// size never shows in memory; `None` when the file is not FIT.
fn stream_fit(path: &Path, label: &str, limits: &Limits) -> Option<Result<(Parsed, u64), String>> {
    // Only a regular file is opened here (a FIFO would block the open).
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let mut head = [0u8; 12];
    let n = read_head(&mut file, &mut head);
    let gz = n >= 2 && head[..2] == [0x1f, 0x8b];
    let fit = n == 12 && &head[8..12] == b".FIT";
    if !(fit || (gz && format_of_name(label) == Some(Format::Fit))) {
        return None;
    }
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let file = std::fs::File::open(path).ok()?;
    // Unpacked, a FIT file is read up to the same limit as any file.
    let acts = if gz {
        let reader = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file));
        fit::read_from(reader.take(limits.file_bytes))
    } else {
        fit::read_from(file.take(limits.file_bytes))
    };
    Some(
        acts.and_then(|a| finish_parsed(Format::Fit, a, Vec::new()))
            .map(|p| (p, size)),
    )
}

fn read_head(file: &mut std::fs::File, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
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
