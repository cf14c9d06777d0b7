//! The training log: Strava exports (folder and zip), GPX, TCX and FIT
//! files, the contract's figures against hand-computed values, every kind
//! of bad input, `--training` on assess, and properties (order of files
//! and rows never matters).
//!
//! Every fixture is written by the tests (FIT with the small encoder
//! below), except `tests/fixtures/training/bomb.zip` (see its README).

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use crate::knee_triage;

/// The binary, with today's date set to the day after the test export's
/// last run, so the export is current (a log more than 14 days old fills
/// no answer but `shoe_km`).
fn kt() -> assert_cmd::Command {
    let mut c = knee_triage();
    c.env("KNEE_TRIAGE_TODAY", "2026-04-01");
    c
}

// ------------------------------------------------------------ fixture makers

/// Metres per degree of latitude on the haversine sphere the reader uses.
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// A GPX run due north from the equator: `km` long, one point every
/// `step_s` seconds at an even pace of 5 min/km.
fn gpx_run(start: &str, km: f64, step_s: u32) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    s.push_str(&gpx_track(start, km, step_s, "running"));
    s.push_str("</gpx>\n");
    s
}

fn gpx_track(start: &str, km: f64, step_s: u32, kind: &str) -> String {
    let t0 = chrono::NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M:%S").expect("time");
    let secs = (km * 300.0).round() as u32;
    let n = secs / step_s;
    let mut s = format!("<trk><name>Run</name><type>{kind}</type><trkseg>\n");
    for i in 0..=n {
        let frac = f64::from(i) / f64::from(n);
        let lat = km * 1000.0 * frac / M_PER_DEG;
        let t = t0 + chrono::Duration::seconds(i64::from(i * step_s));
        s.push_str(&format!(
            "<trkpt lat=\"{lat:.9}\" lon=\"10.0\"><ele>10</ele><time>{}Z</time></trkpt>\n",
            t.format("%Y-%m-%dT%H:%M:%S")
        ));
    }
    s.push_str("</trkseg></trk>\n");
    s
}

fn tcx_run(start: &str, metres: f64, sport: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="{sport}"><Id>{start}Z</Id>
<Lap StartTime="{start}Z"><TotalTimeSeconds>3000</TotalTimeSeconds><DistanceMeters>{metres}</DistanceMeters>
<Track><Trackpoint><Time>{start}Z</Time><DistanceMeters>0</DistanceMeters></Trackpoint></Track>
</Lap></Activity></Activities></TrainingCenterDatabase>
"#
    )
}

/// A FIT file around `data` (its records): the 14-byte header with its
/// CRC, then the records and the file's CRC.
fn fit_wrapped(data: &[u8]) -> Vec<u8> {
    let mut file = vec![14u8, 0x20, 0x54, 0x08];
    file.extend((data.len() as u32).to_le_bytes());
    file.extend(b".FIT");
    let crc = fit_crc(&file);
    file.extend(crc.to_le_bytes());
    file.extend(data);
    let crc = fit_crc(&file);
    file.extend(crc.to_le_bytes());
    file
}

/// The FIT CRC-16 (from the FIT protocol description).
fn fit_crc(data: &[u8]) -> u16 {
    const T: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    let mut crc = 0u16;
    for &b in data {
        let tmp = T[(crc & 0xF) as usize];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ T[(b & 0xF) as usize];
        let tmp = T[(crc & 0xF) as usize];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ T[((b >> 4) & 0xF) as usize];
    }
    crc
}

/// A minimal FIT activity file: file_id and one session with its start,
/// total distance, timer time and sport (1 running, 2 cycling).
fn fit_activity(start: &str, metres: f64, sport: u8) -> Vec<u8> {
    let t = chrono::NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M:%S")
        .expect("time")
        .and_utc()
        .timestamp();
    let fit_time = (t - 631_065_600) as u32;
    let mut data = Vec::new();
    // Definition, local 0: file_id (global 0): type (enum), time_created (uint32).
    data.extend([0x40, 0, 0, 0, 0, 2, 0, 1, 0x00, 4, 4, 0x86]);
    data.push(0x00);
    data.push(4); // activity
    data.extend(fit_time.to_le_bytes());
    // Definition, local 1: session (global 18).
    data.extend([0x41, 0, 0, 18, 0, 5]);
    data.extend([253, 4, 0x86, 2, 4, 0x86, 9, 4, 0x86, 8, 4, 0x86, 5, 1, 0x00]);
    data.push(0x01);
    data.extend((fit_time + 3000).to_le_bytes());
    data.extend(fit_time.to_le_bytes());
    data.extend(((metres * 100.0).round() as u32).to_le_bytes());
    data.extend(3_000_000u32.to_le_bytes());
    data.push(sport);
    fit_wrapped(&data)
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

const HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed";

/// One activities.csv row in Strava's layout: `km` in the runner's unit
/// (km here) and in metres, unless `file` names where the distance is.
fn row(id: u32, date: &str, kind: &str, km: Option<f64>, gear: &str, file: &str) -> String {
    let (unit, metres) = match km {
        Some(k) => (format!("{k:.2}"), format!("{:.1}", k * 1000.0)),
        None => (String::new(), String::new()),
    };
    format!(
        "{id},\"{date}\",Activity {id},{kind},,3000,{unit},,,false,,{gear},{file},,,3000.0,2900.0,{metres},"
    )
}

/// The main export, every figure hand-computed in [`hand_computed`]:
///
/// | days | runs (km) | shoes |
/// |---|---|---|
/// | Feb 1 | 5 | Old |
/// | Feb 23 | 16 (longest of the 30 days before the last 7) | Old |
/// | Feb 25, 27 | 8, 8 | Old |
/// | Mar 1 | 14 | Pegasus |
/// | Mar 4–22, weekly Wed/Fri/Sun | 8, 8, 14 | Pegasus |
/// | Mar 25 | 10 (FIT file) | Pegasus |
/// | Mar 27 | 10 (TCX file) | Pegasus |
/// | Mar 29 | 18.4 (GPX file) | Pegasus |
/// | Mar 31 | 9.4 | Pegasus |
///
/// plus rides and a walk (the walk in the Pegasus), and rows that must be
/// skipped: a future date, a bad date, a missing file, a path out of the
/// export, a truncated GPX, too many and too few fields, no distance.
fn export_files() -> Vec<(String, Vec<u8>)> {
    let mut rows = vec![HEADER.to_owned()];
    let mut id = 100;
    let mut add = |date: &str, kind: &str, km: Option<f64>, gear: &str, file: &str| {
        id += 1;
        rows.push(row(id, date, kind, km, gear, file));
    };
    add("Feb 1, 2026, 8:00:00 AM", "Run", Some(5.0), "Old", "");
    add("Feb 23, 2026, 8:00:00 AM", "Run", Some(16.0), "Old", "");
    add("Feb 25, 2026, 8:00:00 AM", "Run", Some(8.0), "Old", "");
    add("Feb 27, 2026, 8:00:00 AM", "Run", Some(8.0), "Old", "");
    add(
        "Mar 1, 2026, 8:00:00 AM",
        "Run",
        Some(14.0),
        "Pegasus 40",
        "",
    );
    for (w, kinds) in [
        (4, ["Run", "Run", "Run"]),
        (11, ["Run", "Virtual Run", "Run"]),
        (18, ["Run", "Trail Run", "Run"]),
    ] {
        for (i, km) in [8.0, 8.0, 14.0].into_iter().enumerate() {
            let date = format!("Mar {}, 2026, 6:30:00 PM", w + 2 * i);
            add(&date, kinds[i], Some(km), "Pegasus 40", "");
        }
    }
    add(
        "Mar 25, 2026, 7:00:00 AM",
        "Run",
        None,
        "Pegasus 40",
        "activities/125.fit.gz",
    );
    add(
        "Mar 27, 2026, 7:00:00 AM",
        "Run",
        None,
        "Pegasus 40",
        "activities/127.tcx.gz",
    );
    // Newer exports put a narrow no-break space before PM.
    add(
        "Mar 29, 2026, 5:00:00\u{202f}PM",
        "Run",
        None,
        "Pegasus 40",
        "activities/129.gpx.gz",
    );
    add(
        "Mar 31, 2026, 11:19:20 PM",
        "Run",
        Some(9.4),
        "Pegasus 40",
        "",
    );
    add(
        "Mar 30, 2026, 9:00:00 AM",
        "Walk",
        Some(5.0),
        "Pegasus 40",
        "",
    );
    add("Mar 2, 2026, 9:00:00 AM", "Ride", Some(40.0), "Bike", "");
    add(
        "Mar 9, 2026, 9:00:00 AM",
        "Ride",
        None,
        "Bike",
        "activities/ride.fit.gz",
    );
    add("Mar 16, 2026, 9:00:00 AM", "Swim", Some(2.0), "", "");
    // Rows that are skipped, each with a reason.
    add(
        "Jan 1, 2031, 8:00:00 AM",
        "Run",
        Some(50.0),
        "Pegasus 40",
        "",
    );
    add("yesterday", "Run", Some(7.0), "", "");
    add(
        "Mar 3, 2026, 8:00:00 AM",
        "Run",
        None,
        "",
        "activities/missing.gpx.gz",
    );
    add(
        "Mar 5, 2026, 8:00:00 AM",
        "Run",
        None,
        "",
        "../../outside.gpx",
    );
    add(
        "Mar 7, 2026, 8:00:00 AM",
        "Run",
        None,
        "",
        "activities/truncated.gpx",
    );
    add("Mar 10, 2026, 8:00:00 AM", "Run", None, "", "");
    rows.push("999,\"Mar 12, 2026, 8:00:00 AM\",Extra,Run,,3000,6.00,,,false,,,,,,3000.0,2900.0,6000.0,,surplus,fields".into());
    rows.push("998,\"Mar 14, 2026, 8:00:00 AM\",Short,Run,,3000,6.00".into());
    let csv = rows.join("\n") + "\n";

    let truncated = gpx_run("2026-03-07T08:00:00", 5.0, 10);
    let truncated = truncated.as_bytes()[..truncated.len() / 2].to_vec();
    vec![
        ("activities.csv".into(), csv.into_bytes()),
        (
            "activities/125.fit.gz".into(),
            gz(&fit_activity("2026-03-25T07:00:00", 10_000.0, 1)),
        ),
        (
            "activities/127.tcx.gz".into(),
            gz(tcx_run("2026-03-27T07:00:00", 10_000.0, "Running").as_bytes()),
        ),
        (
            "activities/129.gpx.gz".into(),
            gz(gpx_run("2026-03-29T17:00:00", 18.4, 5).as_bytes()),
        ),
        (
            "activities/ride.fit.gz".into(),
            gz(&fit_activity("2026-03-09T09:00:00", 42_000.0, 2)),
        ),
        ("activities/truncated.gpx".into(), truncated),
    ]
}

fn write_folder(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
}

fn write_zip(path: &Path, prefix: &str, files: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(format!("{prefix}{name}"), options)
            .expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

fn training_json(args: &[&str]) -> (Value, String) {
    let out = kt()
        .arg("training")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "training failed: {stderr}");
    (
        serde_json::from_slice(&out.stdout).expect("stdout is JSON"),
        stderr,
    )
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn reasons(v: &Value) -> Vec<String> {
    v["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            format!(
                "{} | {}",
                s["item"].as_str().unwrap_or(""),
                s["reason"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn has_skip(v: &Value, item: &str, reason: &str) {
    let all = reasons(v);
    assert!(
        all.iter().any(|l| l.contains(item) && l.contains(reason)),
        "no skipped line with {item:?} and {reason:?} in {all:#?}"
    );
}

// --------------------------------------------------------------- the figures

/// Every figure of the main export, by hand:
/// - last day Mar 31; the 7 days Mar 25–31: 10 + 10 + 18.4 + 9.4 = 47.8 km.
/// - the 28 days before, Feb 25–Mar 24: 8 + 8 + 14 (Mar 1) and three weeks
///   of 8 + 8 + 14 = 120 km, a weekly mean of 30: +59.33 % → 59.
/// - longest run of the 7 days 18.4; of the 30 days before (Feb 23–Mar 24)
///   16: +15 %.
/// - run days in the last 28 (Mar 4–31): 9 + 4 = 13, so 15 rest days,
///   3.75 a week → 4.
/// - the 7 days before (Mar 18–24): 30 km → +59.33 % → 59.
/// - shoes of the latest run, "Pegasus 40": 14 + 90 + 47.8 + the 5 km walk
///   = 156.8 km.
fn hand_computed(v: &Value) {
    assert_eq!(v["runs"], 18, "{:#?}", reasons(v));
    assert_eq!(v["first_day"], "2026-02-01");
    assert_eq!(v["last_day"], "2026-03-31");
    assert_eq!(
        v["other_activities"],
        json!({"Ride": 2, "Swim": 1, "Walk": 1})
    );
    let a = &v["answers"];
    assert_eq!(num(&a["weekly_km"]), 47.8);
    assert_eq!(a["mileage_increase_pct"], 59);
    assert_eq!(a["long_run_increase_pct"], 15);
    assert_eq!(a["rest_days"], 4);
    assert_eq!(num(&a["shoe_km"]), 156.8);
    let weeks = v["weeks"].as_array().expect("weeks");
    assert_eq!(weeks.len(), 12);
    let last = &weeks[11];
    assert_eq!(last["start"], "2026-03-25");
    assert_eq!(last["km"], 47.8);
    assert_eq!(last["runs"], 4);
    assert_eq!(last["longest_km"], 18.4);
    assert_eq!(
        weeks[10],
        json!({"start": "2026-03-18", "km": 30.0, "runs": 3, "longest_km": 14.0})
    );
    // Feb 25–Mar 3: 8 + 8 + 14.
    assert_eq!(weeks[7]["start"], "2026-02-25");
    assert_eq!(weeks[7]["km"], 30.0);
    // Feb 18–24: the 16 km run; Jan 28–Feb 3: the 5 km.
    assert_eq!(weeks[6]["km"], 16.0);
    assert_eq!(weeks[3]["km"], 5.0);
    assert_eq!(weeks[0]["km"], 0.0);
    let flags: Vec<&str> = v["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| f["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        flags,
        [
            "single-run-spike",
            "weekly-distance-jump",
            "monthly-distance-jump"
        ]
    );
    for f in v["flags"].as_array().expect("flags") {
        assert!(!f["source"].as_str().unwrap_or("").is_empty());
    }
    assert!(
        v["flags"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("15 %")
    );
    assert!(
        v["flags"][0]["source"]
            .as_str()
            .unwrap_or("")
            .contains("Br J Sports Med 2025")
    );
    assert!(
        v["flags"][1]["source"]
            .as_str()
            .unwrap_or("")
            .contains("Nielsen")
    );
}

fn bad_rows_skipped(v: &Value) {
    has_skip(v, "activity of 2031-01-01", "in the future");
    has_skip(v, "row 25", "is not a date");
    has_skip(v, "missing.gpx.gz", "");
    has_skip(v, "outside.gpx", "outside the export folder");
    has_skip(v, "truncated.gpx", "not valid GPX");
    has_skip(v, "row 29", "no distance, and no activity file");
    has_skip(v, "row 30", "21 fields where the header has 19");
    has_skip(v, "row 31", "7 fields where the header has 19");
    assert_eq!(reasons(v).len(), 8, "{:#?}", reasons(v));
}

#[test]
fn strava_export_folder_gives_the_hand_computed_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let (v, _) = training_json(&[dir.path().to_str().expect("utf8")]);
    hand_computed(&v);
    bad_rows_skipped(&v);
}

#[test]
fn strava_export_zip_gives_the_same_figures_as_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("export");
    std::fs::create_dir(&folder).expect("mkdir");
    write_folder(&folder, &export_files());
    let zip = dir.path().join("export_12345.zip");
    let mut files = export_files();
    files.push((
        "../../evil.gpx".into(),
        gpx_run("2026-03-30T07:00:00", 42.0, 60).into_bytes(),
    ));
    write_zip(&zip, "export_12345/", &files);
    let (from_zip, _) = training_json(&[zip.to_str().expect("utf8")]);
    hand_computed(&from_zip);
    has_skip(&from_zip, "evil.gpx", "outside the export folder");
    let (from_folder, _) = training_json(&[folder.to_str().expect("utf8")]);
    assert_eq!(from_zip["answers"], from_folder["answers"]);
    assert_eq!(from_zip["weeks"], from_folder["weeks"]);
}

#[test]
fn the_human_summary_shows_weeks_figures_flags_and_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let out = kt()
        .args(["training", dir.path().to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "Training log: 18 runs, 2026-02-01 to 2026-03-31",
        "2026-03-25    47.8     4     18.4  ████",
        "weekly_km",
        "47.8 km in the last 7 days",
        "+59 % against the weekly mean of the 28 days before (30 km)",
        "156.8 km in \"Pegasus 40\"",
        "descriptive only",
        "Source: Frandsen",
        "Skipped (8)",
        "1 Swim",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "no colour codes");
}

#[test]
fn today_moves_the_last_day_and_leaves_later_runs_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let (v, _) = training_json(&[dir.path().to_str().expect("utf8"), "--today", "2026-03-24"]);
    // Mar 18–24: 30 km; Feb 18–Mar 17 (the 28 before): 16+8+8+14+30+30 = 106.
    // The figures describe --today; the last run was two days before.
    assert_eq!(v["as_of"], "2026-03-24");
    assert_eq!(v["last_day"], "2026-03-22");
    assert_eq!(v["stale"], false);
    assert_eq!(num(&v["answers"]["weekly_km"]), 30.0);
    assert_eq!(v["answers"]["mileage_increase_pct"], 13);
    has_skip(&v, "activity of 2026-03-31", "after --today 2026-03-24");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let target = dir.path().join("summary.json");
    let out = kt()
        .args([
            "training",
            dir.path().to_str().expect("utf8"),
            "--json",
            "-o",
        ])
        .arg(&target)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_slice(&std::fs::read(&target).expect("written")).expect("JSON");
    hand_computed(&v);
}

#[test]
fn miles_exports_are_read_in_their_unit() {
    let dir = tempfile::tempdir().expect("tempdir");
    // First Distance in miles; the metres column on one row only.
    let csv = format!(
        "{HEADER}\n1,\"Mar 1, 2026, 8:00:00 AM\",A,Run,,3000,6.21,,,false,,,,,,3000.0,2900.0,10000.0,\n2,\"Mar 2, 2026, 8:00:00 AM\",B,Run,,3000,3.11,,,false,,,,,,3000.0,2900.0,,\n"
    );
    std::fs::write(dir.path().join("activities.csv"), csv).expect("write");
    let (v, _) = training_json(&[dir.path().to_str().expect("utf8")]);
    // 3.11 mi = 5.005 km.
    assert_eq!(v["weeks"][11]["km"], 15.0);
    assert_eq!(v["weeks"][11]["longest_km"], 10.0);
}

// ------------------------------------------------------------ single files

#[test]
fn gpx_tcx_and_fit_files_each_give_their_distance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<(String, Vec<u8>)> = vec![
        (
            "a.gpx".into(),
            gpx_run("2026-03-02T07:00:00", 12.0, 1).into_bytes(),
        ),
        (
            "b.tcx".into(),
            tcx_run("2026-03-03T07:00:00", 8000.0, "Running").into_bytes(),
        ),
        (
            "c.fit".into(),
            fit_activity("2026-03-04T07:00:00", 6500.0, 1),
        ),
        (
            "d.gpx.gz".into(),
            gz(gpx_run("2026-03-05T07:00:00", 5.0, 3).as_bytes()),
        ),
        (
            "e.tcx.gz".into(),
            gz(tcx_run("2026-03-06T07:00:00", 4000.0, "Biking").as_bytes()),
        ),
        (
            "f.fit.gz".into(),
            gz(&fit_activity("2026-03-07T07:00:00", 3000.0, 1)),
        ),
    ];
    write_folder(dir.path(), &files);
    let (v, _) = training_json(&[dir.path().to_str().expect("utf8")]);
    assert_eq!(v["runs"], 5);
    assert_eq!(v["other_activities"], json!({"Ride": 1}));
    // 12 + 8 + 6.5 + 5 + 3 in the week ending Mar 7.
    assert_eq!(v["weeks"][11]["km"], 34.5);
    assert_eq!(v["weeks"][11]["longest_km"], 12.0);
    assert_eq!(v["weeks"][11]["start"], "2026-03-01");
    // Files alone: no gear, and too short a log for the monthly figures.
    assert!(v["answers"].get("shoe_km").is_none());
    assert!(v["answers"].get("mileage_increase_pct").is_none());
    // Six days of log (Mar 2–7): not a week's distance.
    assert!(v["answers"].get("weekly_km").is_none());

    // Each file alone, by its path.
    for (name, km) in [
        ("a.gpx", 12.0),
        ("b.tcx", 8.0),
        ("c.fit", 6.5),
        ("f.fit.gz", 3.0),
    ] {
        let (v, _) = training_json(&[dir.path().join(name).to_str().expect("utf8")]);
        assert_eq!(v["weeks"][11]["km"], km, "{name}");
        assert_eq!(v["runs"], 1);
    }
}

#[test]
fn gps_jumps_and_points_without_fix_do_not_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut gpx = gpx_run("2026-03-02T07:00:00", 5.0, 10);
    // A point 50 km away 10 s later, and one without a fix.
    let jump = "<trkpt lat=\"0.45\" lon=\"10.0\"><time>2026-03-02T07:25:05Z</time></trkpt>\n<trkpt lat=\"0.3\" lon=\"10.0\"><time>2026-03-02T07:25:06Z</time><fix>none</fix></trkpt>\n";
    let at = gpx.find("</trkseg>").expect("segment");
    gpx.insert_str(at, jump);
    std::fs::write(dir.path().join("run.gpx"), gpx).expect("write");
    let (v, _) = training_json(&[dir.path().join("run.gpx").to_str().expect("utf8")]);
    assert_eq!(v["weeks"][11]["km"], 5.0);
}

// ------------------------------------------------------------- bad input

#[test]
fn a_folder_with_bad_files_reads_the_good_ones_and_lists_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = gpx_run("2026-03-02T07:00:00", 10.0, 10);
    let files: Vec<(String, Vec<u8>)> = vec![
        ("good.gpx".into(), good.clone().into_bytes()),
        // FIT bytes under a .gpx name: read by what they are.
        (
            "wrong-name.gpx".into(),
            fit_activity("2026-03-03T07:00:00", 5000.0, 1),
        ),
        ("notes.txt".into(), b"my runs".to_vec()),
        (
            "truncated.gpx".into(),
            good.as_bytes()[..good.len() / 3].to_vec(),
        ),
        ("corrupt.fit".into(), {
            let mut f = fit_activity("2026-03-04T07:00:00", 5000.0, 1);
            f.truncate(30);
            f
        }),
        ("garbage.tcx.gz".into(), b"\x1f\x8b\x08\x00garbage".to_vec()),
        ("empty.gpx".into(), Vec::new()),
        (
            "sub/deeper.tcx".into(),
            tcx_run("2026-03-05T07:00:00", 7000.0, "Running").into_bytes(),
        ),
    ];
    write_folder(dir.path(), &files);
    // A 2 GB file (sparse: nothing is written to disk).
    let big = std::fs::File::create(dir.path().join("huge.gpx")).expect("create");
    big.set_len(2 * 1024 * 1024 * 1024).expect("sparse file");
    let (v, _) = training_json(&[dir.path().to_str().expect("utf8")]);
    assert_eq!(v["runs"], 3, "{:#?}", reasons(&v));
    assert_eq!(v["weeks"][11]["km"], 22.0);
    has_skip(&v, "notes.txt", "not a .gpx, .tcx or .fit file");
    has_skip(&v, "truncated.gpx", "not valid GPX");
    has_skip(&v, "corrupt.fit", "FIT");
    has_skip(&v, "garbage.tcx.gz", "cannot unpack gzip");
    has_skip(&v, "empty.gpx", "empty");
    has_skip(&v, "huge.gpx", "2.0 GB, over the 256 MB limit");
    assert_eq!(reasons(&v).len(), 6, "{:#?}", reasons(&v));
}

#[test]
fn a_zip_bomb_is_not_unpacked() {
    let bomb = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/training/bomb.zip");
    let (v, _) = training_json(&[bomb.to_str().expect("utf8")]);
    assert_eq!(v["runs"], 1);
    has_skip(&v, "2.gpx", "zip bomb");
}

fn fails(args: &[&str], code: i32, want: &[&str]) {
    let out = kt().args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for w in want {
        assert!(stderr.contains(w), "{w:?} not in {stderr}");
    }
    assert!(!stderr.contains("panicked"));
}

#[test]
fn unreadable_and_unusable_paths_say_which() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |name: &str| dir.path().join(name).to_str().expect("utf8").to_owned();
    // Missing: exit 1 with the path.
    fails(
        &["training", &p("nowhere.zip")],
        1,
        &["cannot read", "nowhere.zip"],
    );
    fails(
        &["assess", "--location", "front", "--training", &p("nowhere")],
        1,
        &["nowhere"],
    );
    // Not a training log: exit 2.
    std::fs::write(p("README.md"), "# hello").expect("write");
    fails(
        &["training", &p("README.md")],
        2,
        &["README.md", "not a training log"],
    );
    std::fs::write(p("broken.zip"), "PK not really").expect("write");
    fails(
        &["training", &p("broken.zip")],
        2,
        &["broken.zip", "not a readable zip"],
    );
    // An empty export.
    std::fs::create_dir(p("empty")).expect("mkdir");
    std::fs::write(dir.path().join("empty/activities.csv"), "").expect("write");
    fails(&["training", &p("empty")], 2, &["no runs in", "empty"]);
    // Only rides and walks.
    std::fs::create_dir(p("rides")).expect("mkdir");
    let csv = format!(
        "{HEADER}\n{}\n{}\n",
        row(1, "Mar 1, 2026, 8:00:00 AM", "Ride", Some(30.0), "", ""),
        row(2, "Mar 2, 2026, 8:00:00 AM", "Walk", Some(3.0), "", "")
    );
    std::fs::write(dir.path().join("rides/activities.csv"), csv).expect("write");
    fails(
        &["training", &p("rides")],
        2,
        &["no runs in", "2 other activities"],
    );
    // A CSV without the columns it needs.
    std::fs::write(p("odd.csv"), "Date,Km\n2026-03-01,5\n").expect("write");
    fails(
        &["training", &p("odd.csv")],
        2,
        &[
            "no runs",
            "not a Strava activities.csv: no Activity Date, Activity Type, Distance column",
        ],
    );
    // A folder with nothing to read.
    std::fs::create_dir(p("nothing")).expect("mkdir");
    fails(
        &["training", &p("nothing")],
        2,
        &["no .gpx, .tcx or .fit files"],
    );
    // A bad --today.
    fails(
        &["training", &p("rides"), "--today", "2026-13-01"],
        2,
        &["YYYY-MM-DD"],
    );
}

// ------------------------------------------------------ --training on assess

fn assess(args: &[&str]) -> Value {
    let out = kt()
        .arg("assess")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The parts of a report that the answers decide, without the wording of
/// where each answer came from.
fn decisions(v: &Value) -> Value {
    let causes: Vec<Value> = v["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .map(|c| json!([c["id"], c["likelihood"], c["score"], c["points"]]))
        .collect();
    let advice: Vec<Value> = v["advice"]
        .as_array()
        .expect("advice")
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    json!({"level": v["triage"]["level"], "rules": v["triage"]["rules"], "causes": causes, "advice": advice, "answers": v["answers"]})
}

#[test]
fn assess_with_a_log_equals_assess_with_the_same_figures_by_hand() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let path = dir.path().to_str().expect("utf8");
    let from_log = assess(&["--location", "front", "--training", path]);
    let mut by_hand_args = vec![
        "--location",
        "front",
        "--weekly-km",
        "47.8",
        "--mileage-increase-pct",
        "59",
        "--rest-days",
        "4",
        "--shoe-km",
        "156.8",
    ];
    let pack = knee_triage::content::load_from(None).expect("pack");
    if pack.question_index("long_run_increase_pct").is_some() {
        by_hand_args.extend(["--long-run-increase-pct", "15"]);
    }
    let by_hand = assess(&by_hand_args);
    assert_eq!(decisions(&from_log), decisions(&by_hand));
    // Where the figures came from.
    let t = &from_log["training"];
    assert_eq!(t["runs"], 18);
    let evidence = t["evidence"].to_string();
    assert!(
        evidence.contains("from your training log: 47.8 km in the last 7 days, up 59 %"),
        "{evidence}"
    );
    assert_eq!(t["weeks"].as_array().map(Vec::len), Some(12));
    let marked = from_log["causes"].to_string();
    assert!(
        marked.contains("59% more distance than a month ago (from your training log)"),
        "{marked}"
    );
    assert!(by_hand.get("training").is_none());
}

#[test]
fn answers_given_win_over_the_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let path = dir.path().to_str().expect("utf8");
    let v = assess(&[
        "--location",
        "front",
        "--training",
        path,
        "--weekly-km",
        "20",
    ]);
    assert_eq!(num(&v["answers"]["weekly_km"]), 20.0);
    assert_eq!(num(&v["answers"]["mileage_increase_pct"]), 59.0);
    assert!(v["training"]["answers"].get("weekly_km").is_none());
    assert_eq!(v["training"]["answers"]["rest_days"], 4);
}

#[test]
fn the_human_and_markdown_reports_show_the_chart() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let path = dir.path().to_str().expect("utf8");
    for format in ["human", "markdown"] {
        let out = kt()
            .args([
                "assess",
                "--location",
                "front",
                "--training",
                path,
                "--format",
                format,
            ])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("2026-03-25    47.8     4     18.4  ████"),
            "{format}:\n{text}"
        );
        assert!(
            text.contains("from your training log: 47.8 km in the last 7 days"),
            "{format}"
        );
        assert!(text.contains("Nielsen RO"), "{format}");
        // The disclaimer still ends the report.
        let tail = text.trim_end().rsplit("\n\n").next().unwrap_or("");
        assert!(tail.contains("not a diagnosis"), "{format}: {tail}");
    }
}

// ------------------------------------------------------------- properties

use knee_triage::training::{self, Limits, Sport, strava};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    })
}

/// A seeded Fisher–Yates shuffle.
fn shuffle(items: &mut [usize], seed: u64) {
    let mut s = seed;
    for i in (1..items.len()).rev() {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        items.swap(i, (s >> 33) as usize % (i + 1));
    }
}

fn summary_of(log: training::Log) -> Value {
    let pack = knee_triage::content::load_from(None).expect("pack");
    let now = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
    training::summarize_log(&pack, log, None, now).to_json(&pack)
}

#[test]
fn shuffling_rows_never_changes_the_figures() {
    let csv = String::from_utf8(export_files().remove(0).1).expect("utf8");
    let mut lines: Vec<&str> = csv.lines().collect();
    let header = lines.remove(0);
    let base = {
        let read = strava::parse_csv(csv.as_bytes(), "activities.csv");
        let log = training::Log {
            activities: read.activities,
            strava: true,
            ..Default::default()
        };
        summary_of(log)
    };
    let n = lines.len();
    runner()
        .run(&any::<u64>(), |seed| {
            let mut order: Vec<usize> = (0..n).collect();
            shuffle(&mut order, seed);
            let shuffled: Vec<&str> = order.iter().map(|&i| lines[i]).collect();
            let text = format!("{header}\n{}\n", shuffled.join("\n"));
            let read = strava::parse_csv(text.as_bytes(), "activities.csv");
            let log = training::Log {
                activities: read.activities,
                strava: true,
                ..Default::default()
            };
            let v = summary_of(log);
            prop_assert_eq!(&v["answers"], &base["answers"]);
            prop_assert_eq!(&v["weeks"], &base["weeks"]);
            prop_assert_eq!(&v["flags"], &base["flags"]);
            Ok(())
        })
        .expect("order of rows does not matter");
}

#[test]
fn shuffling_or_splitting_gpx_files_never_changes_the_weeks() {
    // Runs: (day of March, km), random; one GPX with every track, or one
    // file per run, in any order.
    let strategy = proptest::collection::vec((1u32..=31, 1u32..=30), 1..8);
    runner()
        .run(&(strategy, any::<u64>()), |(runs, seed)| {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut all =
                String::from("<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\">\n");
            let mut files = Vec::new();
            for (i, (day, km)) in runs.iter().enumerate() {
                let start = format!("2026-03-{day:02}T{:02}:00:00", 6 + i);
                all.push_str(&gpx_track(&start, f64::from(*km) / 2.0, 60, "running"));
                let path = dir.path().join(format!("split-{i}.gpx"));
                std::fs::write(&path, gpx_run(&start, f64::from(*km) / 2.0, 60)).expect("write");
                files.push((path.clone(), path.display().to_string()));
            }
            all.push_str("</gpx>\n");
            let one = dir.path().join("all.gpx");
            std::fs::write(&one, all).expect("write");
            let limits = Limits::default();
            let whole = summary_of(training::read_paths(&[one], &limits).expect("reads"));
            // A seeded shuffle of the split files.
            let mut order: Vec<usize> = (0..files.len()).collect();
            shuffle(&mut order, seed);
            let shuffled: Vec<PathBuf> = order.iter().map(|&i| files[i].0.clone()).collect();
            let split = summary_of(training::read_paths(&shuffled, &limits).expect("reads"));
            prop_assert_eq!(&whole["weeks"], &split["weeks"]);
            prop_assert_eq!(&whole["answers"], &split["answers"]);
            prop_assert_eq!(&whole["runs"], &split["runs"]);
            Ok(())
        })
        .expect("splitting and order of files do not matter");
}

#[test]
fn sport_names_strava_uses_for_runs() {
    for run in ["Run", "Trail Run", "Virtual Run"] {
        assert_eq!(Sport::from_name(run), Sport::Run);
    }
    assert_eq!(Sport::from_name("Ride"), Sport::Other("Ride".into()));
}

#[test]
fn ask_with_a_log_skips_the_training_questions_it_answered() {
    use knee_triage::answers::Answers;
    use knee_triage::questionnaire::{ScriptedAsker, run_prefilled};
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let pack = knee_triage::content::load_from(None).expect("pack");
    // As of the last run's day (the export is old: without a date, stale).
    let last_run = chrono::NaiveDate::from_ymd_opt(2026, 3, 31);
    let log = training::answers_from_paths(&pack, &[dir.path().to_path_buf()], last_run)
        .expect("reads the log");
    let filled: Vec<&str> = (0..pack.questions.len())
        .filter(|&q| log.answers.is_answered(q))
        .map(|q| pack.questions[q].id.as_str())
        .collect();
    for key in ["weekly_km", "mileage_increase_pct", "rest_days", "shoe_km"] {
        assert!(filled.contains(&key), "{key} not filled: {filled:?}");
    }
    // The runner would answer every training question differently.
    let script = Answers::from_json(
        &pack,
        &json!({"location": "front", "onset": "gradual", "weekly_km": 5, "mileage_increase_pct": 0,
                "rest_days": 7, "shoe_km": 1, "surface": "road"}),
    )
    .expect("answers");
    let mut asker = ScriptedAsker::new(script);
    let outcome = run_prefilled(&pack, &mut asker, &log.answers).expect("runs");
    for key in &filled {
        assert!(
            !asker.log.iter().any(|l| l == key),
            "{key} was asked: {:?}",
            asker.log
        );
        let q = pack.question_index(key).expect("question");
        assert_eq!(outcome.answers.get(q), log.answers.get(q), "{key}");
    }
    // Training questions the log does not answer may still be asked.
    let others: Vec<&str> = pack
        .questions
        .iter()
        .filter(|q| q.section == knee_triage::model::Section::Training)
        .map(|q| q.id.as_str())
        .filter(|id| !filled.contains(id))
        .collect();
    assert!(
        asker.log.iter().any(|l| others.contains(&l.as_str())),
        "{others:?} vs {:?}",
        asker.log
    );
    let note = knee_triage::render::training::skip_note(&pack, &log.answers);
    assert!(
        note.starts_with("From your training log: weekly_km"),
        "{note}"
    );
    assert!(
        note.ends_with("so those questions are not asked."),
        "{note}"
    );
}

#[test]
fn content_check_validates_the_load_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("pack");
    crate::copy_pack(&pack);
    let load = pack.join("load.toml");
    let text = std::fs::read_to_string(&load).expect("load.toml");
    let broken = text
        .replacen(
            "figure = \"long_run_increase_pct\"",
            "figure = \"long_run_increase\"",
            1,
        )
        .replacen("above = 800", "above = nan", 1)
        .replacen("have {value} km on them", "have many km on them", 1)
        .replacen(
            "label = \"acute:chronic ratio, descriptive only:",
            "label = \"acute:chronic ratio:",
            1,
        );
    assert_ne!(text, broken);
    std::fs::write(&load, broken).expect("write");
    let out = kt()
        .args(["content", "check"])
        .arg(&pack)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for want in [
        "load.toml:",
        "unknown training figure \"long_run_increase\" (did you mean \"long_run_increase_pct\"?)",
        "threshold of load flag \"worn-shoes\" must be a finite number",
        "text of load flag \"worn-shoes\" must contain {value}",
        "[load.ratio] label must say the ratio is descriptive",
    ] {
        assert!(stdout.contains(want), "{want:?} not in:\n{stdout}");
    }
}

#[test]
fn the_same_run_given_twice_counts_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gpx = gpx_run("2026-03-02T07:00:00", 10.0, 10);
    std::fs::write(dir.path().join("run.gpx"), &gpx).expect("write");
    std::fs::write(dir.path().join("copy.gpx.gz"), gz(gpx.as_bytes())).expect("write");
    std::fs::write(
        dir.path().join("other.gpx"),
        gpx_run("2026-03-02T18:00:00", 10.0, 10),
    )
    .expect("write");
    let (v, _) = training_json(&[dir.path().to_str().expect("utf8")]);
    assert_eq!(v["runs"], 2);
    assert_eq!(v["weeks"][11]["km"], 20.0);
    has_skip(&v, "activity of 2026-03-02 07:00", "counted once");
}

/// A report with a training log fits the committed report schema,
/// `training` member and all.
#[test]
fn a_report_with_a_log_fits_the_report_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let path = dir.path().to_str().expect("utf8");
    let report = assess(&["--location", "front", "--training", path]);
    assert!(
        report["training"]["runs"].as_u64().unwrap_or(0) > 0,
        "{report}"
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/report.schema.json"),
        )
        .expect("committed schema"),
    )
    .expect("JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The member is described, not merely allowed.
    assert!(schema["properties"]["training"]["properties"]["weeks"].is_object());
}

// ------------------------------------------- v3: what real device folders hold

/// Seconds since the FIT epoch (1989-12-31 UTC).
fn fit_time(start: &str) -> u32 {
    let t = chrono::NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M:%S")
        .expect("time")
        .and_utc()
        .timestamp();
    (t - 631_065_600) as u32
}

/// A FIT file: file_id of `file_type`; one record at `record_time`; one
/// session with `start_time` (or none), total distance and `sport` (or
/// none).
fn fit_file(
    file_type: u8,
    start_time: Option<u32>,
    record_time: u32,
    metres: f64,
    sport: Option<u8>,
) -> Vec<u8> {
    let mut data = Vec::new();
    data.extend([0x40, 0, 0, 0, 0, 1, 0, 1, 0x00, 0x00, file_type]);
    // record (global 20): timestamp.
    data.extend([0x41, 0, 0, 20, 0, 1, 253, 4, 0x86, 0x01]);
    data.extend(record_time.to_le_bytes());
    // session (global 18): timestamp, [start_time], total_distance, [sport].
    let mut fields = vec![253u8, 4, 0x86];
    if start_time.is_some() {
        fields.extend([2, 4, 0x86]);
    }
    fields.extend([9, 4, 0x86]);
    if sport.is_some() {
        fields.extend([5, 1, 0x00]);
    }
    data.extend([0x42, 0, 0, 18, 0, (fields.len() / 3) as u8]);
    data.extend(fields);
    data.push(0x02);
    data.extend((record_time + 3000).to_le_bytes());
    if let Some(t) = start_time {
        data.extend(t.to_le_bytes());
    }
    data.extend(((metres * 100.0).round() as u32).to_le_bytes());
    if let Some(s) = sport {
        data.push(s);
    }
    fit_wrapped(&data)
}

/// A folder of `files` plus a plain 5 km run on 2026-03-01 (so the log has
/// a run), read as of 2026-03-31.
fn folder_json(files: &[(&str, Vec<u8>)]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut all: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.clone()))
        .collect();
    all.push((
        "base.gpx".into(),
        gpx_run("2026-03-01T07:00:00", 5.0, 10).into_bytes(),
    ));
    write_folder(dir.path(), &all);
    let (v, _) = training_json(&[dir.path().to_str().expect("utf8"), "--today", "2026-03-31"]);
    v
}

#[test]
fn a_fit_course_file_is_no_run() {
    // A planned 162 km route (file type 6, course) with a running session.
    let course = fit_file(
        6,
        Some(fit_time("2026-03-20T06:00:00")),
        fit_time("2026-03-20T06:00:00"),
        162_000.0,
        Some(1),
    );
    let v = folder_json(&[("route.fit", course)]);
    assert_eq!(v["runs"], 1, "{v}");
    has_skip(&v, "route.fit", "course");
    assert_eq!(v["weeks"][11]["km"], 0.0);
}

#[test]
fn a_gpx_track_without_times_is_not_dated_by_the_file() {
    // A route from a route planner: metadata/time is when it was exported.
    let route = "<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"planner\"><metadata><time>2026-03-30T12:00:00Z</time></metadata>\
        <trk><name>Loop</name><type>running</type><trkseg><trkpt lat=\"45.0\" lon=\"7.0\"/><trkpt lat=\"45.5\" lon=\"7.0\"/></trkseg></trk></gpx>";
    let v = folder_json(&[("route.gpx", route.as_bytes().to_vec())]);
    assert_eq!(v["runs"], 1, "{v}");
    has_skip(&v, "route.gpx", "no point has a time");
    // Also an untimed track beside a timed one in the same file.
    let mut two = gpx_run("2026-03-10T07:00:00", 6.0, 10);
    two = two.replace(
        "</gpx>",
        "<trk><name>Plan</name><trkseg><trkpt lat=\"1\" lon=\"1\"></trkpt><trkpt lat=\"1.1\" lon=\"1\"></trkpt></trkseg></trk></gpx>",
    );
    let v = folder_json(&[("two.gpx", two.into_bytes())]);
    assert_eq!(v["runs"], 2, "{v}");
    has_skip(&v, "two.gpx: track 2 (\"Plan\")", "no point has a time");
}

#[test]
fn a_fit_device_relative_time_is_not_a_date() {
    // 5000 s after the device was switched on: before 0x10000000.
    let relative = fit_file(4, Some(5000), 5000, 10_000.0, Some(1));
    let v = folder_json(&[("relative.fit", relative)]);
    assert_eq!(v["runs"], 1, "{v}");
    has_skip(&v, "relative.fit", "device-relative");
    // Not dated 1990: the one run's log has no week of log before it.
    assert_eq!(v["first_day"], "2026-03-01");
}

#[test]
fn a_fit_session_without_start_time_keeps_its_sport() {
    let t = fit_time("2026-03-15T09:00:00");
    let ride = fit_file(4, None, t, 3_600.0, Some(2));
    let v = folder_json(&[("ride.fit", ride)]);
    assert_eq!(v["runs"], 1, "{v}");
    assert_eq!(v["other_activities"]["Ride"], 1, "{v}");
    // And the time came from the record: a run without start time.
    let run = fit_file(4, None, t, 3_600.0, Some(1));
    let v = folder_json(&[("run.fit", run)]);
    assert_eq!(v["runs"], 2, "{v}");
    assert_eq!(v["weeks"][9]["start"], "2026-03-11");
    assert_eq!(v["weeks"][9]["km"], 3.6);
}

#[test]
fn a_gpx_link_type_is_not_the_sport() {
    let with_link = gpx_run("2026-03-10T07:00:00", 6.0, 10).replace(
        "<trk><name>Run</name><type>running</type>",
        "<trk><name>Run</name><link href=\"https://example.com/run\"><text>web</text><type>text/html</type></link><type>running</type>",
    );
    let v = folder_json(&[("linked.gpx", with_link.into_bytes())]);
    assert_eq!(v["runs"], 2, "{v}");
    assert!(
        v["other_activities"]
            .as_object()
            .expect("object")
            .is_empty()
    );
}

#[test]
fn untyped_tracks_are_runs_only_at_5_to_20_kmh() {
    // gpx_track runs at 5 min/km (12 km/h); a 15 km "run" in 7.5 minutes
    // (a point every 2 s over a twentieth of the time) is a car.
    let untyped = |start: &str, km: f64| gpx_run(start, km, 10).replace("<type>running</type>", "");
    // A car at 30 km/h (8.3 m/s, under the GPS-jump limit): 60 points 10 s
    // apart, no type.
    let mut car =
        String::from("<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"t\"><trk><trkseg>");
    for i in 0..60u32 {
        let lat = f64::from(i) * 83.3 / M_PER_DEG;
        car.push_str(&format!(
            "<trkpt lat=\"{lat:.9}\" lon=\"10.0\"><time>2026-03-12T07:{:02}:{:02}Z</time></trkpt>",
            i * 10 / 60,
            i * 10 % 60
        ));
    }
    car.push_str("</trkseg></trk></gpx>");
    let v = folder_json(&[
        (
            "walkrun.gpx",
            untyped("2026-03-10T07:00:00", 6.0).into_bytes(),
        ),
        ("car.gpx", car.into_bytes()),
    ]);
    assert_eq!(v["runs"], 2, "{v}");
    assert_eq!(v["other_activities"]["untyped"], 1, "{v}");
}

#[test]
fn sports_have_strava_names_and_the_same_swim_counts_once() {
    let t = "2026-03-15T09:00:00";
    // The swim as the watch's FIT (sport 5, swimming) and as Strava's GPX
    // (type 16), same start, same distance.
    let fit = fit_file(4, Some(fit_time(t)), fit_time(t), 1_500.0, Some(5));
    let gpx = gpx_run(t, 1.5, 10).replace("<type>running</type>", "<type>16</type>");
    let generic = fit_file(
        4,
        Some(fit_time("2026-03-16T09:00:00")),
        fit_time("2026-03-16T09:00:00"),
        0.0,
        Some(0),
    );
    let v = folder_json(&[
        ("swim.fit", fit),
        ("swim.gpx", gpx.into_bytes()),
        ("gym.fit", generic),
    ]);
    let others = v["other_activities"].as_object().expect("object");
    assert_eq!(others.get("Swim"), Some(&json!(1)), "{v}");
    assert_eq!(others.get("Workout"), Some(&json!(1)), "{v}");
    assert_eq!(others.len(), 2, "{v}");
    has_skip(&v, "activity of 2026-03-15 09:00", "counted once");
}

#[test]
fn percentages_are_not_capped() {
    // A month of 0.4 km weeks, then 24 km: +5900 %.
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "a.gpx",
            gpx_run("2026-03-01T07:00:00", 1.6, 10).into_bytes(),
        ),
        (
            "b.gpx",
            gpx_run("2026-03-30T07:00:00", 24.0, 10).into_bytes(),
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let owned: Vec<(String, Vec<u8>)> = files.into_iter().map(|(n, b)| (n.to_owned(), b)).collect();
    write_folder(dir.path(), &owned);
    let path = dir.path().to_str().expect("utf8");
    let (v, _) = training_json(&[path, "--today", "2026-03-31"]);
    let pct = num(&v["answers"]["mileage_increase_pct"]);
    assert!(pct > 1000.0, "{v}");
    let human = kt()
        .args(["training", path, "--today", "2026-03-31"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains(&format!("+{pct} %")), "{pct} not in {text}");
}

#[test]
fn a_stale_log_fills_only_shoe_km_and_says_how_old() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let path = dir.path().to_str().expect("utf8");
    let out = knee_triage()
        .env("KNEE_TRIAGE_TODAY", "2026-05-01")
        .args(["training", path, "--json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["stale"], true, "{v}");
    assert_eq!(v["as_of"], "2026-03-31");
    let answers = v["answers"].as_object().expect("answers");
    assert_eq!(answers.keys().collect::<Vec<_>>(), vec!["shoe_km"], "{v}");
    // --today counts as today: 15 days after the last run.
    let (v, _) = training_json(&[path, "--today", "2026-04-15"]);
    assert_eq!(v["stale"], true);
    let (v, _) = training_json(&[path, "--today", "2026-04-14"]);
    assert_eq!(v["stale"], false);
    // The report says so, and takes only shoe_km from it.
    let out = knee_triage()
        .env("KNEE_TRIAGE_TODAY", "2026-05-01")
        .args([
            "assess",
            "--location",
            "front",
            "--training",
            path,
            "--json",
        ])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let evidence = report["training"]["evidence"].to_string();
    assert!(
        evidence.contains("ends 31 days ago (2026-03-31)"),
        "{evidence}"
    );
    assert_eq!(report["answers"].get("weekly_km"), None, "{report}");
    assert!(report["answers"].get("shoe_km").is_some());
    let human = knee_triage()
        .env("KNEE_TRIAGE_TODAY", "2026-05-01")
        .args(["assess", "--location", "front", "--training", path])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&human.stdout).contains("ends 31 days ago"));
}

#[test]
fn the_summary_says_what_each_source_gave() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(dir.path(), &export_files());
    let extra = tempfile::tempdir().expect("tempdir");
    write_folder(
        extra.path(),
        &[(
            "x.fit".to_owned(),
            fit_activity("2026-03-02T07:00:00", 5000.0, 1),
        )],
    );
    let (a, b) = (
        dir.path().to_str().expect("utf8"),
        extra.path().to_str().expect("utf8"),
    );
    let (v, _) = training_json(&[a, b]);
    assert_eq!(
        v["sources"]["FIT files"],
        json!({"activities": 1, "runs": 1})
    );
    let strava = &v["sources"]["Strava export"];
    assert!(num(&strava["activities"]) > num(&strava["runs"]), "{v}");
    let out = kt().args(["training", a, b]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Read: FIT files: 1 run; Strava export: "),
        "{text}"
    );
}

#[test]
fn strava_rows_that_are_no_runs_open_no_file_and_failures_are_grouped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rows = vec![HEADER.to_owned()];
    rows.push(row(1, "Mar 1, 2026, 8:00:00 AM", "Run", Some(5.0), "", ""));
    for i in 0..3 {
        let date = format!("Mar {}, 2026, 8:00:00 AM", 2 + i);
        rows.push(row(
            10 + i,
            &date,
            "Weight Training",
            None,
            "",
            &format!("activities/{i}.fit"),
        ));
        rows.push(row(
            20 + i,
            &date,
            "Run",
            None,
            "",
            &format!("activities/r{i}.fit"),
        ));
    }
    std::fs::write(dir.path().join("activities.csv"), rows.join("\n")).expect("write");
    let csv = dir.path().join("activities.csv");
    let (v, _) = training_json(&[csv.to_str().expect("utf8"), "--today", "2026-03-31"]);
    assert_eq!(v["other_activities"]["WeightTraining"], 3, "{v}");
    let skipped = v["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 3, "only the runs' files: {v}");
    assert!(
        skipped.iter().all(|s| s["reason"].as_str().is_some_and(
            |r| r.contains("activity file not found; pass the export folder or the .zip")
        ))
    );
    let out = kt()
        .args([
            "training",
            csv.to_str().expect("utf8"),
            "--today",
            "2026-03-31",
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("3 rows: activity file not found; pass the export folder or the .zip"),
        "{text}"
    );
}

#[test]
fn a_garmin_connect_export_is_read_from_its_summaries() {
    let summaries = json!([{"summarizedActivitiesExport": [
        // 2026-03-10 07:00 UTC, 10.5 km in centimetres, an hour in ms.
        {"activityId": 1, "activityType": "running", "beginTimestamp": 1773126000000i64,
         "distance": 1050000.0, "duration": 3600000.0},
        {"activityId": 2, "activityType": "treadmill_running", "beginTimestamp": 1773212400000i64,
         "distance": 500000.0},
        {"activityId": 3, "activityType": "road_biking", "beginTimestamp": 1773298800000i64,
         "distance": 4000000.0},
        {"activityId": 4, "activityType": "strength_training", "beginTimestamp": 1773385200000i64}
    ]}]);
    let files = vec![(
        "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json".to_owned(),
        summaries.to_string().into_bytes(),
    )];
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(&dir.path().join("export"), &files);
    let zip = dir.path().join("garmin.zip");
    write_zip(&zip, "", &files);
    for path in [dir.path().join("export"), zip] {
        let (v, _) = training_json(&[path.to_str().expect("utf8"), "--today", "2026-03-31"]);
        assert_eq!(v["runs"], 2, "{v}");
        assert_eq!(v["other_activities"]["Ride"], 1);
        assert_eq!(v["other_activities"]["WeightTraining"], 1);
        assert_eq!(v["first_day"], "2026-03-10");
        let km: f64 = v["weeks"]
            .as_array()
            .expect("weeks")
            .iter()
            .map(|w| num(&w["km"]))
            .sum();
        assert!((km - 15.5).abs() < 1e-9, "{v}");
        assert_eq!(
            v["sources"]["Garmin export"],
            json!({"activities": 4, "runs": 2})
        );
    }
}

/// A zip held in memory (a zip to put inside another).
fn zip_in_memory(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// A Garmin export whose summaries lack what the figures need for three
/// activities, with the uploaded FIT files in a nested zip as Garmin
/// packs them: the export's files, for a folder or a zip.
fn garmin_export_with_uploads() -> Vec<(String, Vec<u8>)> {
    // 07:00 UTC on 10, 12, 14, 16 March 2026, in milliseconds.
    let day = |d: i64| 1_773_126_000_000i64 + (d - 10) * 86_400_000;
    let summaries = json!([{"summarizedActivitiesExport": [
        // No distance; its file is named with its id, and says "generic":
        // the summary's sport (a treadmill run) is kept.
        {"activityId": 11, "activityType": "treadmill_running", "beginTimestamp": day(10),
         "duration": 3600000.0},
        // No distance; its file is named with an upload id, so found by
        // its session's start (20 s after the summary's).
        {"activityId": 12, "activityType": "running", "beginTimestamp": day(12)},
        // Complete: its (corrupt) file is never opened.
        {"activityId": 13, "activityType": "running", "beginTimestamp": day(14),
         "distance": 500000.0},
        // No distance, and no file: skipped, saying both were tried.
        {"activityId": 14, "activityType": "running", "beginTimestamp": day(16)},
        // No start time: taken from its file.
        {"activityId": 15, "activityType": "lap_swimming", "distance": 150000.0}
    ]}]);
    let uploads = zip_in_memory(&[
        (
            "runner@example.com_11.fit",
            fit_activity("2026-03-10T07:00:00", 8_000.0, 0),
        ),
        (
            "runner@example.com_99999_tap-sync-1-ab12.fit",
            fit_activity("2026-03-12T07:00:20", 6_000.0, 1),
        ),
        (
            "runner@example.com_13.fit",
            b"not a FIT file at all".to_vec(),
        ),
        (
            "runner@example.com_15.fit",
            fit_activity("2026-03-18T07:00:00", 1_500.0, 5),
        ),
    ]);
    vec![
        (
            "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json".into(),
            summaries.to_string().into_bytes(),
        ),
        (
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip".into(),
            uploads,
        ),
    ]
}

#[test]
fn a_garmin_summary_lacking_a_distance_or_start_is_completed_from_its_uploaded_fit() {
    let files = garmin_export_with_uploads();
    let dir = tempfile::tempdir().expect("tempdir");
    write_folder(&dir.path().join("export"), &files);
    let zip = dir.path().join("garmin.zip");
    write_zip(&zip, "", &files);
    for path in [dir.path().join("export"), zip] {
        let path = path.to_str().expect("utf8");
        let (v, _) = training_json(&[path, "--today", "2026-03-31"]);
        // 11 (8 km from its file, still a run), 12 (6 km, found by time), 13.
        assert_eq!(v["runs"], 3, "{v}");
        assert_eq!(v["first_day"], "2026-03-10");
        let km: f64 = v["weeks"]
            .as_array()
            .expect("weeks")
            .iter()
            .map(|w| num(&w["km"]))
            .sum();
        assert!((km - 19.0).abs() < 1e-9, "{v}");
        assert_eq!(v["other_activities"]["Swim"], 1, "{v}");
        assert!(v["other_activities"].get("Workout").is_none(), "{v}");
        assert_eq!(
            v["sources"]["Garmin export"],
            json!({"activities": 4, "runs": 3})
        );
        let why = reasons(&v);
        assert_eq!(why.len(), 1, "{why:?}");
        assert!(
            why[0].contains("activity 14 | a run with no distance in its summary, and no uploaded FIT file is named with its id or has a session starting within 60 s of it; not counted"),
            "{why:?}"
        );
        // The complete summary's file was not needed, so never opened.
        assert!(!why.iter().any(|w| w.contains("_13.fit")), "{why:?}");
        let out = kt()
            .args(["training", path, "--today", "2026-03-31"])
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Read: Garmin export: 4 activities, 3 runs"),
            "{text}"
        );
    }
}

#[test]
fn a_garmin_activity_also_given_as_its_fit_file_counts_once() {
    let files = garmin_export_with_uploads();
    let dir = tempfile::tempdir().expect("tempdir");
    let zip = dir.path().join("garmin.zip");
    write_zip(&zip, "", &files);
    // Activity 12's file, also given on its own.
    let fit = dir.path().join("run.fit");
    std::fs::write(&fit, fit_activity("2026-03-12T07:00:20", 6_000.0, 1)).expect("write");
    let (v, _) = training_json(&[
        zip.to_str().expect("utf8"),
        fit.to_str().expect("utf8"),
        "--today",
        "2026-03-31",
    ]);
    assert_eq!(v["runs"], 3, "{v}");
    assert_eq!(
        v["sources"]["FIT files"],
        json!({"activities": 1, "runs": 1})
    );
    let km: f64 = v["weeks"]
        .as_array()
        .expect("weeks")
        .iter()
        .map(|w| num(&w["km"]))
        .sum();
    assert!((km - 19.0).abs() < 1e-9, "{v}");
    assert!(
        reasons(&v).iter().any(|r| r
            == "activity of 2026-03-12 07:00 | the same 6 km as another activity read (same start); counted once"),
        "the copy is listed: {v}"
    );
}

#[test]
fn an_apple_health_export_is_read_as_a_stream() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-03-31 10:00:00 +0100"/>
 <Record type="HKQuantityTypeIdentifierStepCount" unit="count" value="100" startDate="2026-03-01 07:00:00 +0100" endDate="2026-03-01 07:01:00 +0100"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" totalDistance="5" totalDistanceUnit="km" startDate="2026-03-10 00:30:00 +0200" endDate="2026-03-10 01:00:00 +0200"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="50" durationUnit="min" startDate="2026-03-12 07:00:00 +0000" endDate="2026-03-12 07:50:00 +0000">
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="2026-03-12 07:00:00 +0000" endDate="2026-03-12 07:50:00 +0000" sum="6.2" unit="mi"/>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="60" durationUnit="min" totalDistance="30" totalDistanceUnit="km" startDate="2026-03-13 07:00:00 +0000" endDate="2026-03-13 08:00:00 +0000"/>
</HealthData>
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let files = vec![(
        "apple_health_export/export.xml".to_owned(),
        xml.as_bytes().to_vec(),
    )];
    write_folder(dir.path(), &files);
    let zip = dir.path().join("export.zip");
    write_zip(&zip, "", &files);
    for path in [dir.path().join("apple_health_export/export.xml"), zip] {
        let (v, _) = training_json(&[path.to_str().expect("utf8"), "--today", "2026-03-31"]);
        assert_eq!(v["runs"], 2, "{v}");
        // 00:30 at +02:00 is the 9th in UTC.
        assert_eq!(v["first_day"], "2026-03-09", "{v}");
        assert_eq!(v["other_activities"]["Ride"], 1);
        let km: f64 = v["weeks"]
            .as_array()
            .expect("weeks")
            .iter()
            .map(|w| num(&w["km"]))
            .sum();
        assert!((km - (5.0 + 6.2 * 1.609_344)).abs() < 0.11, "{v}");
    }
}

#[test]
fn the_same_activities_in_any_format_order_or_packing_give_the_same_figures() {
    // Runs: (day of March, km). Each as GPX, TCX or FIT, gzipped or not,
    // some given twice in two formats, files in any order: the figures of
    // the plain GPX folder.
    let base_runs: Vec<(u32, f64)> = (1..=30)
        .filter(|d| d % 3 != 0)
        .map(|d| (d, 4.0 + f64::from(d % 5) * 1.5))
        .collect();
    let encode = |day: u32, km: f64, how: u64| -> (String, Vec<u8>) {
        let start = format!("2026-03-{day:02}T07:00:00");
        let (ext, bytes) = match how % 3 {
            0 => ("gpx", gpx_run(&start, km, 10).into_bytes()),
            1 => ("tcx", tcx_run(&start, km * 1000.0, "Running").into_bytes()),
            _ => ("fit", fit_activity(&start, km * 1000.0, 1)),
        };
        if how / 3 % 2 == 1 {
            (format!("{day:02}-{how}.{ext}.gz"), gz(&bytes))
        } else {
            (format!("{day:02}-{how}.{ext}"), bytes)
        }
    };
    let figures = |files: &[(String, Vec<u8>)]| {
        let dir = tempfile::tempdir().expect("tempdir");
        write_folder(dir.path(), files);
        let (v, _) = training_json(&[dir.path().to_str().expect("utf8"), "--today", "2026-03-31"]);
        json!([v["runs"], v["weeks"], v["answers"], v["flags"]])
    };
    // The reference: TCX distances (the file's own), as in every format.
    let reference: Vec<(String, Vec<u8>)> =
        base_runs.iter().map(|&(d, km)| encode(d, km, 1)).collect();
    let want = figures(&reference);
    runner()
        .run(&any::<u64>(), |seed| {
            let mut files: Vec<(String, Vec<u8>)> = Vec::new();
            for (i, &(d, km)) in base_runs.iter().enumerate() {
                let how = seed.rotate_left(i as u32 * 3) % 6;
                files.push(encode(d, km, how));
                if seed >> (i % 64) & 1 == 1 {
                    // The same run again, in another format.
                    files.push(encode(d, km, (how + 1) % 6 + 6));
                }
            }
            let mut order: Vec<usize> = (0..files.len()).collect();
            shuffle(&mut order, seed);
            let shuffled: Vec<(String, Vec<u8>)> =
                order.iter().map(|&i| files[i].clone()).collect();
            prop_assert_eq!(figures(&shuffled), want.clone());
            Ok(())
        })
        .expect("format, order, duplicates and gzip do not matter");
}

#[test]
fn real_device_files_follow_the_rules() {
    // See tests/fixtures/training/README.md for where each file came from.
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/training/real");
    let (v, _) = training_json(&[real.to_str().expect("utf8"), "--today", "2017-06-30"]);
    assert_eq!(v["runs"], 1, "{v}");
    assert_eq!(v["first_day"], "2017-06-11");
    assert_eq!(v["weeks"][9]["km"], 0.2, "157.56 m: {v}");
    assert_eq!(v["other_activities"]["Walk"], 1, "{v}");
    assert_eq!(v["other_activities"]["untyped"], 1, "{v}");
    has_skip(&v, "compressed-speed-distance.fit", "device-relative");
    let untimed = reasons(&v)
        .iter()
        .filter(|l| l.contains("cerknicko-without-times.gpx") && l.contains("no point has a time"))
        .count();
    assert_eq!(untimed, 6, "{v}");
}
