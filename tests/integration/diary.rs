//! The knee diary: the check-in decisions, history, and that nothing is
//! lost (concurrent writers, a killed writer, newer, corrupt and
//! unwritable files, export and import).

use std::path::Path;

use serde_json::{Value, json};

use crate::{checkin, diary_cmd, history, knee_triage};

fn save_plan(diary: &Path, answers: &Value, start: &str) {
    diary_cmd(diary)
        .args([
            "plan",
            "--answers",
            "-",
            "--save",
            "--format",
            "json",
            "--start",
            start,
        ])
        .write_stdin(answers.to_string())
        .assert()
        .success();
}

fn date(day: u32) -> String {
    (chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        + chrono::Duration::days(i64::from(day) - 1))
    .format("%Y-%m-%d")
    .to_string()
}

/// One step of a sequence: the check-in's flags and the decision (and
/// level, for get-help) expected.
struct Step {
    day: u32,
    args: &'static [&'static str],
    decision: &'static str,
    level: Option<&'static str>,
}

const fn step(day: u32, args: &'static [&'static str], decision: &'static str) -> Step {
    Step {
        day,
        args,
        decision,
        level: None,
    }
}

const fn help(day: u32, args: &'static [&'static str], level: &'static str) -> Step {
    Step {
        day,
        args,
        decision: "get-help",
        level: Some(level),
    }
}

#[test]
fn checkin_decisions_table() {
    let runners_knee = json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "pain_level": 5, "weekly_km": 30});
    let within: &[&str] = &["--pain", "1", "--run-km", "2"];
    let sequences: Vec<(&str, Option<&Value>, Vec<Step>)> = vec![
        (
            "pain within the rule twice: progress",
            Some(&runners_knee),
            vec![
                step(1, within, "hold"),
                step(3, &["--pain", "2"], "progress"),
            ],
        ),
        (
            "next morning worse: step back",
            Some(&runners_knee),
            vec![
                step(1, within, "hold"),
                step(3, within, "progress"),
                step(5, &["--pain", "1", "--next-morning", "worse"], "step-back"),
            ],
        ),
        (
            "pain over the rule during: step back",
            Some(&runners_knee),
            vec![step(1, &["--pain", "4", "--run-km", "2"], "step-back")],
        ),
        (
            "a rest day: hold",
            Some(&runners_knee),
            vec![step(1, &["--pain", "1", "--no-run"], "hold")],
        ),
        (
            "a locked knee on day 9: get help, urgent",
            Some(&runners_knee),
            (1..=8)
                .map(|d| step(d, &["--pain", "1", "--no-run"], "hold"))
                .chain([help(9, &["--pain", "3", "--locking"], "urgent")])
                .collect(),
        ),
        (
            "14 days of self-care, pain the same: see a professional",
            Some(&runners_knee),
            (1..=13)
                .map(|d| step(d, &["--pain", "2", "--no-run"], "hold"))
                .chain([help(14, &["--pain", "2", "--no-run"], "see-professional")])
                .collect(),
        ),
        (
            "three step-backs in a row: see a professional",
            Some(&runners_knee),
            vec![
                step(1, &["--pain", "3"], "step-back"),
                step(3, &["--pain", "3"], "step-back"),
                help(5, &["--pain", "3"], "see-professional"),
            ],
        ),
        (
            "no saved plan: the pack's default rule (3/10)",
            None,
            vec![
                step(1, &["--pain", "3"], "hold"),
                step(3, &["--pain", "4"], "step-back"),
            ],
        ),
    ];
    for (name, plan, steps) in sequences {
        let dir = tempfile::tempdir().expect("tempdir");
        let diary = dir.path().join("diary.sqlite3");
        if let Some(answers) = plan {
            save_plan(&diary, answers, &date(1));
        }
        let mut said = Vec::new();
        for s in &steps {
            let d = date(s.day);
            let mut args = vec!["--date", d.as_str()];
            args.extend_from_slice(s.args);
            let out = checkin(&diary, &args);
            assert_eq!(out["decision"], s.decision, "{name}, day {}: {out}", s.day);
            if let Some(level) = s.level {
                assert_eq!(out["level"], level, "{name}, day {}: {out}", s.day);
            }
            said.push(out);
        }
        // history recomputes the same answer, in the same words, for
        // every day (checkin words only its own day).
        let h = history(&diary);
        let days = h["days"].as_array().expect("days");
        assert_eq!(days.len(), steps.len(), "{name}");
        for (day, out) in days.iter().zip(&said) {
            assert_eq!(day["decision"], out["decision"], "{name}: {day} / {out}");
            assert_eq!(day["reason"], out["reason"], "{name}: {day} / {out}");
            assert!(
                !day["reason"].as_str().unwrap_or_default().is_empty(),
                "{name}: {day}"
            );
        }
    }
}

#[test]
fn checkin_prints_the_decision_and_next_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    save_plan(
        &diary,
        &json!({"location": "outer", "onset": "gradual", "worse_with": ["running-distance"]}),
        "2027-01-01",
    );
    let out = diary_cmd(&diary)
        .args(["checkin", "--date", "2027-01-01", "--pain", "1"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.starts_with("hold: pain 1/10 is within the pain rule"),
        "{text}"
    );
    assert!(text.contains("Next session: "), "{text}");
    // IT band pain, run less, no distance known: run/walk, not walking
    // only (issue 20).
    assert!(text.contains("Run 4 min / walk 1 min × 6"), "{text}");
}

#[test]
fn history_table_chart_trend_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    // A week at 4, then a week at 1: better.
    for day in 1..=14u32 {
        let pain = if day <= 7 { "4" } else { "1" };
        let d = date(day);
        checkin(&diary, &["--date", &d, "--pain", pain, "--run-km", "3"]);
    }
    let h = history(&diary);
    assert_eq!(h["trend"], "better");
    assert_eq!(h["days"].as_array().unwrap().len(), 14);
    let out = diary_cmd(&diary).arg("history").output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("Pain (0-10)"), "{text}");
    assert!(text.contains("Distance (km)"), "{text}");
    assert!(text.contains("Trend: better"), "{text}");
    assert!(!text.contains('\u{1b}'), "readable without colour");
    // The chart: a column a day, 4/10 for a week then 1/10.
    let row4 = text
        .lines()
        .find(|l| l.starts_with("  4 |"))
        .expect("row 4");
    assert_eq!(row4, "  4 |#######");

    let out = diary_cmd(&diary)
        .args(["history", "--format", "csv"])
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 14);
    assert_eq!(&rows[0][0], "2027-01-01");
    assert_eq!(&rows[0][1], "4");
    assert_eq!(&rows[13][2], "3");
}

#[test]
fn export_then_import_into_an_empty_diary_gives_the_same_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("first.sqlite3");
    save_plan(
        &first,
        &json!({"location": "front", "onset": "gradual"}),
        &date(1),
    );
    for (day, args) in [
        (1, vec!["--pain", "1"]),
        (3, vec!["--pain", "2", "--run-km", "2.5"]),
        (
            4,
            vec!["--pain", "0", "--no-run", "--next-morning", "worse"],
        ),
        (6, vec!["--pain", "3", "--giving-way"]),
    ] {
        let d = date(day);
        let mut a = vec!["--date", d.as_str()];
        a.extend(args);
        checkin(&first, &a);
    }
    let exported = dir.path().join("history.json");
    diary_cmd(&first)
        .args(["history", "--json", "-o"])
        .arg(&exported)
        .assert()
        .success();
    let second = dir.path().join("second.sqlite3");
    diary_cmd(&second)
        .args(["checkin", "--import"])
        .arg(&exported)
        .assert()
        .success();
    assert_eq!(history(&first), history(&second));
}

#[test]
fn two_processes_checking_in_at_once_lose_no_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("busy.sqlite3");
    let per = 200u32;
    let workers: Vec<_> = (0..2u32)
        .map(|w| {
            let diary = diary.clone();
            std::thread::spawn(move || {
                for i in 0..per {
                    let d = date(1 + w * per + i);
                    let out = diary_cmd(&diary)
                        .args(["checkin", "--pain", "1", "--no-run", "--date", &d])
                        .output()
                        .expect("runs");
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    let h = history(&diary);
    assert_eq!(h["days"].as_array().unwrap().len(), 2 * per as usize);
}

#[test]
fn a_checkin_killed_midway_leaves_every_earlier_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    for day in 1..=5 {
        checkin(
            &diary,
            &["--date", &date(day), "--pain", "2", "--run-km", "3"],
        );
    }
    let bin = assert_cmd::cargo::cargo_bin("knee-triage");
    let mut child = std::process::Command::new(bin)
        .arg("--diary")
        .arg(&diary)
        .args(["checkin", "--pain", "9", "--date", &date(6)])
        .env("KNEE_TRIAGE_TEST_HOLD_MS", "20000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until it is inside its write transaction (the test hook says
    // so on stderr), then kill it without a chance to clean up.
    let mut line = String::new();
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    std::io::BufRead::read_line(&mut stderr, &mut line).expect("read");
    assert!(line.contains("holding"), "{line}");
    child.kill().expect("kill -9");
    child.wait().expect("reaped");

    let h = history(&diary);
    let days = h["days"].as_array().unwrap();
    assert_eq!(days.len(), 5, "the killed check-in never happened: {h}");
    assert!(days.iter().all(|d| d["pain"] == 2));
    // And the diary takes the next check-in.
    checkin(&diary, &["--date", &date(6), "--pain", "1"]);
    assert_eq!(history(&diary)["days"].as_array().unwrap().len(), 6);
}

#[cfg(unix)]
#[test]
fn a_new_diary_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("new-folder").join("diary.sqlite3");
    checkin(&diary, &["--pain", "1"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&diary), 0o600);
    assert_eq!(mode(diary.parent().unwrap()), 0o700);
    // The default place: $XDG_DATA_HOME/knee-triage/diary.sqlite3.
    let data = dir.path().join("data");
    knee_triage()
        .env("XDG_DATA_HOME", &data)
        .args(["checkin", "--pain", "1"])
        .assert()
        .success();
    let default = data.join("knee-triage/diary.sqlite3");
    assert_eq!(mode(&default), 0o600);
    assert_eq!(mode(default.parent().unwrap()), 0o700);
    // $KNEE_TRIAGE_DIARY comes before it.
    let env_diary = dir.path().join("env.sqlite3");
    knee_triage()
        .env("XDG_DATA_HOME", &data)
        .env("KNEE_TRIAGE_DIARY", &env_diary)
        .args(["checkin", "--pain", "2", "--date", "2027-01-01"])
        .assert()
        .success();
    assert_eq!(history(&env_diary)["days"][0]["pain"], 2);
}

fn fails_with_path(cmd: &mut assert_cmd::Command, path: &Path) -> String {
    let out = cmd.output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    stderr
}

#[test]
fn a_diary_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    checkin(&diary, &["--pain", "1", "--date", "2027-01-01"]);
    {
        let conn = rusqlite::Connection::open(&diary).expect("open");
        conn.pragma_update(None, "user_version", 99).expect("set");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("no wal");
    }
    let before = std::fs::read(&diary).expect("read");
    for args in [&["checkin", "--pain", "2"][..], &["history"][..]] {
        let stderr = fails_with_path(diary_cmd(&diary).args(args), &diary);
        assert!(stderr.contains("newer knee-triage"), "{stderr}");
    }
    assert_eq!(
        std::fs::read(&diary).expect("read"),
        before,
        "never written"
    );
}

#[test]
fn a_corrupt_or_unwritable_diary_is_exit_1_with_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("notes.sqlite3");
    let garbage = b"these are my running notes, not a database\n".repeat(200);
    std::fs::write(&diary, &garbage).expect("write");
    for args in [&["checkin", "--pain", "2"][..], &["history"][..]] {
        let stderr = fails_with_path(diary_cmd(&diary).args(args), &diary);
        assert!(stderr.contains("not a knee-triage diary"), "{stderr}");
    }
    assert_eq!(
        std::fs::read(&diary).expect("read"),
        garbage,
        "never overwritten"
    );

    // A place that cannot hold a file.
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").expect("write");
    let inside = file.join("diary.sqlite3");
    fails_with_path(diary_cmd(&inside).args(["checkin", "--pain", "2"]), &inside);

    // A read-only diary. Permissions do not bind root (CI runs as root),
    // so there the check-in runs as `nobody`, owning a diary it may read
    // but not write.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("ro.sqlite3");
        checkin(&ro, &["--pain", "1"]);
        let before = history(&ro);
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o400)).expect("chmod");
        let setpriv = std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        let stderr = if std::fs::OpenOptions::new().write(true).open(&ro).is_err() {
            fails_with_path(diary_cmd(&ro).args(["checkin", "--pain", "2"]), &ro)
        } else if !setpriv {
            eprintln!("root without setpriv (util-linux): the read-only case is not checked");
            "diary".into()
        } else {
            // Root: hand the diary and its folder to `nobody`.
            const NOBODY: u32 = 65534;
            std::os::unix::fs::chown(&ro, Some(NOBODY), Some(NOBODY)).expect("chown");
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
            let mut cmd = assert_cmd::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_knee-triage"))
                .arg("--diary")
                .arg(&ro)
                .args(["checkin", "--pain", "2"])
                .env("HOME", dir.path());
            fails_with_path(&mut cmd, &ro)
        };
        assert!(stderr.contains("diary"), "{stderr}");
        // Nothing was written: the diary reads as before.
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(history(&ro)["days"], before["days"]);
    }
}

/// With `--from-diary`, assess takes the trend from the diary (never the
/// duration: the diary began after the pain did); see from_diary.rs for
/// the report without it.
#[test]
fn assess_from_diary_takes_the_trend_unless_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    let today = chrono::Local::now().date_naive();
    for ago in (0..14).rev() {
        let d = (today - chrono::Duration::days(ago))
            .format("%Y-%m-%d")
            .to_string();
        let pain = if ago >= 7 { "1" } else { "4" };
        checkin(&diary, &["--date", &d, "--pain", pain, "--no-run"]);
    }
    let out = diary_cmd(&diary)
        .args(["assess", "--from-diary", "--location", "front", "--json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["answers"]["trend"], "worse", "{report}");
    assert!(report["answers"].get("duration_days").is_none(), "{report}");
    let out = diary_cmd(&diary)
        .args(["assess", "--from-diary", "--location", "front"])
        .args(["--duration-days", "3w", "--json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(String::from_utf8_lossy(&out.stderr).contains("from the knee diary"));
    // The reasons that rest on those answers say where they came from.
    let reasons = report["triage"]["reasons"].to_string();
    assert!(
        reasons.contains("getting worse (from your knee diary)"),
        "{reasons}"
    );
    let out = diary_cmd(&diary)
        .args([
            "assess",
            "--from-diary",
            "--location",
            "front",
            "--trend",
            "better",
            "--json",
        ])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["answers"]["trend"], "better", "a given answer wins");
}

/// Between check-ins the diary is one complete file: a copy of the
/// `.sqlite3` file alone has every day, and no WAL with rows in it is left
/// beside it (docs/performance.md: why the WAL is not kept).
#[test]
fn between_check_ins_the_diary_file_alone_holds_every_day() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("diary.sqlite3");
    for day in 1..=5 {
        checkin(
            &diary,
            &["--date", &date(day), "--pain", "1", "--run-km", "3"],
        );
    }
    let wal = dir.path().join("diary.sqlite3-wal");
    if wal.exists() {
        assert_eq!(std::fs::metadata(&wal).expect("wal").len(), 0);
    }
    let copy = dir.path().join("copy").join("diary.sqlite3");
    std::fs::create_dir(copy.parent().expect("folder")).expect("mkdir");
    std::fs::copy(&diary, &copy).expect("copy");
    let days = history(&copy)["days"].as_array().expect("days").len();
    assert_eq!(days, 5);
    assert_eq!(history(&copy)["days"], history(&diary)["days"]);
}

/// The bone rule's "2 days off" (issue 20): pain at the bone steps back
/// and rests two days; a run on those days does not count, and the next
/// session is after them.
#[test]
fn pain_at_the_bone_gives_two_days_off_before_the_level_below() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    save_plan(
        &diary,
        &json!({"location": "inner", "onset": "gradual", "bone_stress_risk": true, "pain_level": 1, "cleared_to_run": true}),
        "2027-01-01",
    );
    let day1 = checkin(&diary, &["--date", &date(1), "--pain", "0"]);
    assert_eq!(day1["decision"], "hold", "{day1}");
    let day3 = checkin(&diary, &["--date", &date(3), "--pain", "1"]);
    assert_eq!(day3["decision"], "step-back", "{day3}");
    let reason = day3["reason"].as_str().expect("reason");
    assert!(
        reason.contains("take 2 days off (no session until 2027-01-05 is over)"),
        "{reason}"
    );
    let next = day3["next_session"].as_str().expect("next session");
    assert!(next.contains("2027-01-06"), "{next}");
    // A run on a day off: held, and not counted towards the level.
    let day4 = checkin(&diary, &["--date", &date(4), "--pain", "0"]);
    assert_eq!(day4["decision"], "hold", "{day4}");
    let reason = day4["reason"].as_str().expect("reason");
    assert!(reason.contains("within the 2 days off"), "{reason}");
    let next = day4["next_session"].as_str().expect("next session");
    assert!(next.contains("2027-01-06"), "{next}");
    // Without the bone rule, pain over the rule steps back with no days off.
    let other = dir.path().join("e.sqlite3");
    save_plan(
        &other,
        &json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "pain_level": 3, "weekly_km": 30}),
        "2027-01-01",
    );
    let over = checkin(
        &other,
        &["--date", &date(1), "--pain", "6", "--run-km", "3"],
    );
    assert_eq!(over["decision"], "step-back", "{over}");
    assert!(
        !over["reason"].as_str().unwrap_or("").contains("days off"),
        "{over}"
    );
}
