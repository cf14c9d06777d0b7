//! Training logs: defects 1, 19 and 20.

use std::io::Write;
use std::path::Path;

use super::{gpx, outcome};
use crate::knee_triage;

const HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Activity Gear,Filename,Moving Time,Distance";

/// `activities.csv` whose rows all name `file` (no distance of their own).
fn csv_naming(file: &str, rows: usize) -> String {
    let mut text = String::from(HEADER);
    text.push('\n');
    for i in 0..rows {
        text.push_str(&format!(
            "{},\"Mar {}, 2026, 7:00:00 AM\",a,Run,3000,,,{file},2900,\n",
            i + 1,
            i + 1
        ));
    }
    text
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

fn training_json(path: &Path) -> serde_json::Value {
    let out = knee_triage()
        .args(["training", "--json"])
        .arg(path)
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("json")
}

fn skipped_reasons(v: &serde_json::Value) -> String {
    v["skipped"].to_string()
}

/// Defect 1: every row of `activities.csv` naming the same file made it be
/// unpacked again (a 1 kB zip inflated 20 × 255 MB). A file is read once:
/// the first row takes it, the others are skipped saying why.
#[test]
fn a_file_named_by_many_rows_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = gz(gpx("running", 1).as_bytes());
    // The zip.
    let zip_path = dir.path().join("export.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("create"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("activities.csv", options).expect("start");
        zip.write_all(csv_naming("activities/1.gpx.gz", 12).as_bytes())
            .expect("csv");
        zip.start_file("activities/1.gpx.gz", options)
            .expect("start");
        zip.write_all(&body).expect("gz");
        zip.finish().expect("finish");
    }
    // The same export as a folder.
    let folder = dir.path().join("export");
    std::fs::create_dir_all(folder.join("activities")).expect("mkdir");
    std::fs::write(
        folder.join("activities.csv"),
        csv_naming("activities/1.gpx.gz", 12),
    )
    .expect("csv");
    std::fs::write(folder.join("activities/1.gpx.gz"), &body).expect("gz");
    for path in [&zip_path, &folder] {
        let v = training_json(path);
        assert_eq!(v["runs"], 1, "{}: {v}", path.display());
        let reasons = skipped_reasons(&v);
        assert!(reasons.contains("read once"), "{reasons}");
    }
}

/// Defect 19: a symbolic link that leaves the folder given is not
/// followed, in a plain folder or a Strava export.
#[test]
fn links_out_of_the_folder_are_not_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    std::fs::write(outside.join("s.gpx"), gpx("SECRET-FROM-OUTSIDE", 3)).expect("gpx");
    let log = dir.path().join("log");
    std::fs::create_dir(&log).expect("mkdir");
    std::fs::write(log.join("a.gpx"), gpx("running", 1)).expect("gpx");
    std::os::unix::fs::symlink(outside.join("s.gpx"), log.join("s.gpx")).expect("link");
    // A link that stays inside is fine.
    std::os::unix::fs::symlink(log.join("a.gpx"), log.join("same.gpx")).expect("link");
    let v = training_json(&log);
    let text = v.to_string();
    assert!(!text.contains("SECRET-FROM-OUTSIDE"), "{text}");
    assert!(skipped_reasons(&v).contains("outside"), "{text}");

    // A Strava export whose activities/ folder is a link elsewhere.
    let export = dir.path().join("export");
    std::fs::create_dir(&export).expect("mkdir");
    std::fs::write(outside.join("1.gpx"), gpx("running", 4)).expect("gpx");
    std::os::unix::fs::symlink(&outside, export.join("activities")).expect("link");
    std::fs::write(
        export.join("activities.csv"),
        csv_naming("activities/1.gpx", 1),
    )
    .expect("csv");
    let v = training_json_any(&export);
    assert_eq!(v.0, 2, "no run read through the link: {}", v.1);
    assert!(v.1.contains("outside"), "{}", v.1);
}

/// Exit code and all output, for a log that may have no runs.
fn training_json_any(path: &Path) -> (i32, String) {
    let out = knee_triage()
        .args(["training", "--json"])
        .arg(path)
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    (code, format!("{stdout}{stderr}"))
}

fn tcx(start: &str, metres: &str, seconds: u32) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>{start}Z</Id>
<Lap StartTime="{start}Z"><TotalTimeSeconds>{seconds}</TotalTimeSeconds><DistanceMeters>{metres}</DistanceMeters>
<Track><Trackpoint><Time>{start}Z</Time><DistanceMeters>0</DistanceMeters></Trackpoint></Track>
</Lap></Activity></Activities></TrainingCenterDatabase>
"#
    )
}

/// Defect 20: a run over 400 km, or faster than 30 km/h on average, is
/// skipped with its reason and never reaches the figures.
#[test]
fn runs_outside_physical_limits_are_skipped() {
    let top = tempfile::tempdir().expect("tempdir");
    let dir = top.path().join("tcx");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(
        dir.join("ok.tcx"),
        tcx("2026-03-02T07:00:00", "10000", 3000),
    )
    .expect("tcx");
    std::fs::write(
        dir.join("huge.tcx"),
        tcx("2026-03-03T07:00:00", "1e308", 3000),
    )
    .expect("tcx");
    std::fs::write(
        dir.join("fast.tcx"),
        tcx("2026-03-04T07:00:00", "20000", 1200),
    )
    .expect("tcx");
    // The same limits for a CSV row with its own distance.
    let csv = top.path().join("activities.csv");
    std::fs::write(
        &csv,
        format!("{HEADER}\n9,\"Mar 5, 2026, 7:00:00 AM\",a,Run,3000,900000,,,2900,900000000\n"),
    )
    .expect("csv");
    let v = training_json(&dir);
    assert_eq!(v["runs"], 1, "{v}");
    let reasons = skipped_reasons(&v);
    assert!(reasons.contains("400 km"), "{reasons}");
    assert!(reasons.contains("30 km/h"), "{reasons}");
    // No run left: exit 2, saying why.
    let (code, text) = training_json_any(&csv);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("400 km"), "{text}");
}
