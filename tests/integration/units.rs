//! `--units km|mi` (issue 21, item 16): a person reads miles everywhere a
//! distance is shown (reports, training, history, CSV) and the figures are
//! the same distances; JSON stays in km.

use std::path::Path;

use serde_json::Value;

use crate::knee_triage;

const KM_PER_MILE: f64 = 1.609_344;

fn ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Six weeks of 6.4 km runs every other day, ending today.
fn training_log(dir: &Path) {
    let today = chrono::Utc::now().date_naive();
    for ago in (0..42).step_by(2) {
        let start = (today - chrono::Duration::days(ago))
            .and_hms_opt(7, 0, 0)
            .expect("time");
        std::fs::write(
            dir.join(format!("run-{ago}.gpx")),
            crate::from_diary::gpx_run(start, 6.4),
        )
        .expect("write");
    }
}

/// The number before `unit` in the line holding `needle`.
fn number_before(text: &str, needle: &str, unit: &str) -> f64 {
    let line = text
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} in:\n{text}"));
    let at = line
        .find(&format!(" {unit}"))
        .unwrap_or_else(|| panic!("{unit} in {line}"));
    let head = &line[..at];
    let start = head
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(0, |i| i + 1);
    head[start..]
        .parse()
        .unwrap_or_else(|_| panic!("a number in {line}"))
}

#[test]
fn training_in_miles_gives_the_same_distances() {
    let dir = tempfile::tempdir().expect("tempdir");
    training_log(dir.path());
    let log = dir.path().to_str().expect("utf-8");
    let json: Value =
        serde_json::from_str(&ok(knee_triage().args(["training", log, "--json"]))).expect("json");
    let json_mi: Value = serde_json::from_str(&ok(
        knee_triage().args(["--units", "mi", "training", log, "--json"])
    ))
    .expect("json");
    assert_eq!(json, json_mi, "JSON stays in km");
    let weekly_km = json["answers"]["weekly_km"].as_f64().expect("weekly_km");
    let text = ok(knee_triage().args(["--units", "mi", "training", log]));
    assert!(text.contains("week from      mi"), "{text}");
    let weekly_mi = number_before(&text, "in the last 7 days", "mi");
    assert!(
        (weekly_mi - weekly_km / KM_PER_MILE).abs() < 0.06,
        "{weekly_mi} mi against {weekly_km} km:\n{text}"
    );
    assert!(!text.contains(" km in the last"), "{text}");
    // The chart's weeks too.
    let last_week = json["weeks"]
        .as_array()
        .and_then(|w| w.last())
        .expect("weeks");
    let row = format!("{:.1}", last_week["km"].as_f64().expect("km") / KM_PER_MILE);
    assert!(text.contains(&row), "{row} in:\n{text}");
}

#[test]
fn reports_in_miles_give_the_same_distances_and_the_same_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    training_log(dir.path());
    let log = dir.path().to_str().expect("utf-8");
    let args = [
        "assess",
        "--location",
        "outer",
        "--shoe-km",
        "800",
        "--training",
        log,
    ];
    let json = ok(knee_triage().args(args).arg("--json"));
    let json_mi = ok(knee_triage()
        .args(["--units", "mi"])
        .args(args)
        .arg("--json"));
    assert_eq!(json, json_mi, "JSON stays in km");
    let report: Value = serde_json::from_str(&json).expect("json");
    let weekly_km = report["answers"]["weekly_km"].as_f64().expect("weekly_km");

    let human = ok(knee_triage()
        .args(["--units", "mi", "--width", "100"])
        .args(args)
        .arg("--no-pager"));
    let weekly_mi = number_before(&human, "in the last 7 days", "mi");
    assert!(
        (weekly_mi - weekly_km / KM_PER_MILE).abs() < 0.06,
        "{human}"
    );
    assert!(human.contains("(last 12 weeks, mi a week)"), "{human}");

    let md = ok(knee_triage()
        .args(["--units", "mi"])
        .args(args)
        .args(["--format", "markdown"]));
    // 800 km on the shoes is 497 miles, in the runner's answers.
    assert!(md.contains("**497 mi**"), "{md}");
    let weekly_mi = number_before(&md, "in the last 7 days", "mi");
    assert!((weekly_mi - weekly_km / KM_PER_MILE).abs() < 0.06, "{md}");
    assert!(!md.contains("800 km"), "{md}");
    // The same report in km says km.
    let md_km = ok(knee_triage().args(args).args(["--format", "markdown"]));
    assert!(md_km.contains("**800 km**"), "{md_km}");
}

#[test]
fn history_in_miles_round_trips_to_the_recorded_km() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    let runs = [3.0, 5.25, 8.05, 12.4];
    for (i, km) in runs.iter().enumerate() {
        ok(knee_triage().arg("--diary").arg(&diary).args([
            "checkin",
            "--date",
            &format!("2026-01-0{}", i + 5),
            "--pain",
            "1",
            "--run-km",
            &km.to_string(),
        ]));
    }
    let json: Value = serde_json::from_str(&ok(knee_triage()
        .arg("--diary")
        .arg(&diary)
        .args(["--units", "mi", "history", "--json"])))
    .expect("json");
    let recorded: Vec<f64> = json["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| d["run_km"].as_f64().expect("run_km"))
        .collect();
    assert_eq!(recorded, runs, "JSON stays in km");

    let csv = ok(knee_triage()
        .arg("--diary")
        .arg(&diary)
        .args(["--units", "mi", "history", "--format", "csv"]));
    let mut rows = csv.lines();
    assert!(
        rows.next()
            .expect("header")
            .starts_with("date,pain,run_mi,"),
        "{csv}"
    );
    for (row, km) in rows.zip(runs) {
        let mi: f64 = row
            .split(',')
            .nth(2)
            .expect("run_mi")
            .parse()
            .expect("number");
        assert!(
            (mi * KM_PER_MILE - km).abs() < 0.01,
            "{row} against {km} km"
        );
    }

    let human = ok(knee_triage()
        .arg("--diary")
        .arg(&diary)
        .args(["--units", "mi", "history"]));
    assert!(
        human.contains("Run mi") && human.contains("Distance (mi)"),
        "{human}"
    );
    assert!(human.contains("7.7"), "12.4 km is 7.7 mi:\n{human}");
    let md = ok(knee_triage()
        .arg("--diary")
        .arg(&diary)
        .args(["--units", "mi", "history", "--format", "markdown"]));
    assert!(
        md.contains("| Run (mi) |") && md.contains("| 7.7 |"),
        "{md}"
    );
}
