//! Where answers come from: the knee diary speaks in `assess` and `ask`
//! only with `--from-diary`, never with its duration (issue 21, item 1);
//! the report's `answers_from` and its evidence lines say which answers
//! came from the diary or the training log.

use std::path::Path;

use serde_json::Value;

use crate::knee_triage;

/// A diary of 14 days ending today: pain 1 for a week, then 4 (worse).
/// Its first day is recent, so a duration taken from it would be 14 days.
fn diary_getting_worse(diary: &Path) {
    let today = chrono::Local::now().date_naive();
    for ago in (0..14).rev() {
        let d = (today - chrono::Duration::days(ago))
            .format("%Y-%m-%d")
            .to_string();
        let pain = if ago >= 7 { "1" } else { "4" };
        let out = knee_triage()
            .arg("--diary")
            .arg(diary)
            .args(["checkin", "--date", &d, "--pain", pain, "--no-run"])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn run(diary: Option<&Path>, args: &[&str]) -> (String, String) {
    let mut cmd = knee_triage();
    if let Some(d) = diary {
        cmd.arg("--diary").arg(d);
    }
    let out = cmd.args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A runner with four weeks of worsening pain is told to see a
/// professional; a diary begun a fortnight ago must not make that
/// self-care, nor change anything else in the report.
#[test]
fn assess_is_unchanged_by_a_recent_diary_without_from_diary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    diary_getting_worse(&diary);
    let file = dir.path().join("someone-else.toml");
    std::fs::write(
        &file,
        "location = \"front\"\nonset = \"gradual\"\nworse_with = [\"stairs\"]\n",
    )
    .expect("write");
    let file = file.to_str().expect("utf-8");
    for args in [
        &[
            "assess",
            "--location",
            "front",
            "--onset",
            "gradual",
            "--worse-with",
            "stairs",
        ][..],
        &["assess", "--answers", file],
        &[
            "assess",
            "--location",
            "inner",
            "--duration-days",
            "4w",
            "--trend",
            "worse",
        ],
    ] {
        for format in [
            &["--json"][..],
            &["--no-pager"],
            &["--format", "markdown", "--date", "2026-01-05"],
        ] {
            let args = [args, format].concat();
            let (without, _) = run(None, &args);
            let (with, stderr) = run(Some(&diary), &args);
            assert_eq!(with, without, "{args:?}: the diary changed the report");
            assert!(!stderr.contains("diary"), "{args:?}: {stderr}");
        }
    }
    // The four-week worsening knee stays with a professional.
    let (json, _) = run(
        Some(&diary),
        &[
            "assess",
            "--location",
            "inner",
            "--duration-days",
            "4w",
            "--trend",
            "worse",
            "--json",
        ],
    );
    let report: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["triage"]["level"], "see-professional", "{report}");
}

#[test]
fn from_diary_fills_the_trend_never_the_duration_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    diary_getting_worse(&diary);
    let (json, stderr) = run(
        Some(&diary),
        &["assess", "--from-diary", "--location", "front", "--json"],
    );
    let report: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["answers"]["trend"], "worse", "{report}");
    assert!(
        report["answers"].get("duration_days").is_none(),
        "the diary's first day is not when the pain began: {report}"
    );
    assert_eq!(
        report["answers_from"],
        serde_json::json!([{"key": "trend", "from": "diary"}])
    );
    assert!(
        stderr.contains("trend \"worse\" from the knee diary"),
        "{stderr}"
    );
    // The human report says it beside the answer.
    let (text, _) = run(
        Some(&diary),
        &[
            "assess",
            "--from-diary",
            "--location",
            "front",
            "--no-pager",
            "--width",
            "100",
        ],
    );
    assert!(text.contains("(from your knee diary)"), "{text}");
    // So does the Markdown report, in the runner's answers.
    let (md, _) = run(
        Some(&diary),
        &[
            "assess",
            "--from-diary",
            "--location",
            "front",
            "--format",
            "markdown",
        ],
    );
    assert!(md.contains("from your knee diary"), "{md}");
    // An answer given wins over the diary, and is then the runner's own.
    let (json, _) = run(
        Some(&diary),
        &[
            "assess",
            "--from-diary",
            "--location",
            "front",
            "--trend",
            "better",
            "--json",
        ],
    );
    let report: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["answers"]["trend"], "better");
    assert!(
        report
            .get("answers_from")
            .is_none_or(|a| a == &serde_json::json!([])),
        "{report}"
    );
}

#[test]
fn batch_never_reads_the_diary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    diary_getting_worse(&diary);
    let out = knee_triage()
        .env("KNEE_TRIAGE_DIARY", &diary)
        .arg("batch")
        .write_stdin("{\"location\": \"front\"}\n")
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(report["answers"].get("trend").is_none(), "{report}");
}

/// A GPX run `km` long starting at `start` (`YYYY-MM-DDTHH:MM:SS`), at
/// 5 min/km, one point a minute.
pub fn gpx_run(start: chrono::NaiveDateTime, km: f64) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n<trk><type>running</type><trkseg>\n",
    );
    let minutes = (km * 5.0).round() as i64;
    for i in 0..=minutes {
        // 1 degree of latitude is about 111.2 km.
        let lat = km * (i as f64 / minutes as f64) / 111.195;
        let t = start + chrono::Duration::minutes(i);
        s.push_str(&format!(
            "<trkpt lat=\"{lat:.7}\" lon=\"10\"><time>{}Z</time></trkpt>\n",
            t.format("%Y-%m-%dT%H:%M:%S")
        ));
    }
    s.push_str("</trkseg></trk></gpx>\n");
    s
}

#[test]
fn answers_from_names_the_training_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let today = chrono::Utc::now().date_naive();
    for ago in (0..42).step_by(2) {
        let day = today - chrono::Duration::days(ago);
        let start = day.and_hms_opt(7, 0, 0).expect("time");
        std::fs::write(
            dir.path().join(format!("run-{ago}.gpx")),
            gpx_run(start, 6.0),
        )
        .expect("write");
    }
    let log = dir.path().to_str().expect("utf-8");
    let (json, _) = run(
        None,
        &["assess", "--location", "front", "--training", log, "--json"],
    );
    let report: Value = serde_json::from_str(&json).expect("json");
    let from = report["answers_from"].as_array().expect("answers_from");
    assert!(!from.is_empty(), "{report}");
    for f in from {
        assert_eq!(f["from"], "training-log", "{f}");
        let key = f["key"].as_str().expect("key");
        assert!(report["answers"].get(key).is_some(), "{key}");
    }
    assert!(from.iter().any(|f| f["key"] == "weekly_km"), "{from:?}");
    // A given answer is not from the log.
    let (json, _) = run(
        None,
        &[
            "assess",
            "--location",
            "front",
            "--weekly-km",
            "20",
            "--training",
            log,
            "--json",
        ],
    );
    let report: Value = serde_json::from_str(&json).expect("json");
    let from = report["answers_from"].as_array().expect("answers_from");
    assert!(!from.iter().any(|f| f["key"] == "weekly_km"), "{from:?}");
    assert_eq!(report["answers"]["weekly_km"], 20);
}
