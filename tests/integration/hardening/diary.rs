//! The diary: defects 5, 9, 10, 13, 14, 17 and 18.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::{days_in, diary_with_days, has_setpriv, is_root, mkfifo, outcome, quick};
use crate::knee_triage;

fn diary_cmd(diary: &Path) -> assert_cmd::Command {
    let mut cmd = knee_triage();
    cmd.arg("--diary").arg(diary);
    cmd
}

fn tables(path: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

fn journal_mode(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode")
}

/// Defect 5: another program's SQLite database is refused untouched: no
/// table added, journal mode unchanged.
#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = dir.path().join("places.sqlite3");
    {
        let conn = rusqlite::Connection::open(&plain).expect("create");
        conn.execute_batch("CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT);")
            .expect("table");
    }
    // One with a version and a table named like the diary's.
    let lookalike = dir.path().join("other.sqlite3");
    {
        let conn = rusqlite::Connection::open(&lookalike).expect("create");
        conn.execute_batch("CREATE TABLE day(x); PRAGMA user_version = 1;")
            .expect("table");
    }
    for (db, before) in [(&plain, vec!["moz_places"]), (&lookalike, vec!["day"])] {
        for args in [
            &["checkin", "--pain", "1"][..],
            &[
                "plan",
                "--location",
                "front",
                "--onset",
                "gradual",
                "--save",
            ][..],
        ] {
            let out = diary_cmd(db).args(args).output().expect("runs");
            let (code, _, stderr) = outcome(&out);
            assert_eq!(code, 1, "{args:?}: {stderr}");
            assert!(stderr.contains("not a knee-triage diary"), "{stderr}");
            assert!(stderr.contains(&db.display().to_string()), "{stderr}");
        }
        assert_eq!(tables(db), before);
        assert_eq!(journal_mode(db), "delete");
    }
}

/// Defect 9: a FIFO as the diary never blocks; `assess --from-diary` goes
/// on without it and `history` names it.
#[test]
fn a_fifo_as_the_diary_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo.sqlite3");
    mkfifo(&fifo);
    let out = quick()
        .env("KNEE_TRIAGE_DIARY", &fifo)
        .args(["assess", "--from-diary", "--location", "front", "--quiet"])
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    for args in [&["history"][..], &["checkin", "--pain", "1"][..]] {
        let out = quick()
            .arg("--diary")
            .arg(&fifo)
            .args(args)
            .output()
            .expect("runs");
        let (code, _, stderr) = outcome(&out);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{stderr}");
        assert!(stderr.contains(&fifo.display().to_string()), "{stderr}");
    }
}

/// Defect 10: a diary in a folder the runner cannot write is still read
/// by `history`.
#[test]
fn a_diary_in_a_read_only_folder_can_be_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    let diary = ro.join("diary.sqlite3");
    let run = |args: &[&str]| -> std::process::Output {
        let mut cmd = if is_root() {
            super::as_nobody()
        } else {
            knee_triage()
        };
        cmd.arg("--diary")
            .arg(&diary)
            .args(args)
            .output()
            .expect("runs")
    };
    if is_root() {
        if !has_setpriv() {
            eprintln!("skipped: root without setpriv cannot test a read-only folder");
            return;
        }
        std::os::unix::fs::chown(&ro, Some(super::NOBODY), Some(super::NOBODY)).expect("chown");
    }
    let out = run(&["checkin", "--pain", "2", "--date", "2027-01-01"]);
    assert!(out.status.success(), "{out:?}");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let out = run(&["history", "--json"]);
    let (code, stdout, stderr) = outcome(&out);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2027-01-01"), "{stdout}");
}

/// Defect 14: a check-in killed while it switched a new diary's journal
/// leaves a hot rollback journal; `history` still reads the diary.
#[test]
fn a_hot_journal_left_by_a_kill_does_not_block_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("source.sqlite3");
    let diary = dir.path().join("diary.sqlite3");
    diary_with_days(&source);
    {
        // Freeze a write in the middle: the rollback journal holds the old
        // pages, some new pages are already in the file.
        let conn = rusqlite::Connection::open(&source).expect("open");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("mode");
        conn.pragma_update(None, "cache_size", 1).expect("cache");
        conn.execute_batch("BEGIN IMMEDIATE; UPDATE day SET pain = 9;")
            .expect("begin");
        for _ in 0..200 {
            conn.execute(
                "INSERT INTO plan (start, answers, saved_at) VALUES ('2027-01-01', ?1, 'x')",
                [&"x".repeat(3000)],
            )
            .expect("insert");
        }
        std::fs::copy(&source, &diary).expect("copy");
        let mut journal = source.clone().into_os_string();
        journal.push("-journal");
        let mut to = diary.clone().into_os_string();
        to.push("-journal");
        std::fs::copy(&journal, &to).expect("copy journal");
        conn.execute_batch("ROLLBACK").expect("rollback");
    }
    let out = diary_cmd(&diary)
        .args(["history", "--json"])
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let pains: Vec<i64> = v["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| d["pain"].as_i64().expect("pain"))
        .collect();
    assert_eq!(pains, [1, 1, 1], "the interrupted write was rolled back");
}

/// Defect 17: `plan --save` refuses a damaged diary, as `checkin` does.
#[test]
fn plan_save_refuses_a_damaged_diary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    diary_with_days(&diary);
    let mut bytes = std::fs::read(&diary).expect("read");
    assert!(bytes.len() >= 8192);
    bytes[4096..8192].fill(0);
    std::fs::write(&diary, &bytes).expect("damage");
    let out = diary_cmd(&diary)
        .args([
            "plan",
            "--location",
            "front",
            "--onset",
            "gradual",
            "--save",
        ])
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("damaged"), "{stderr}");
    assert_eq!(std::fs::read(&diary).expect("read"), bytes, "left as it is");
}

/// Defect 18: one bad row does not lock the diary: `history` shows the
/// good days and names the bad one; `checkin` reports success once stored.
#[test]
fn one_bad_row_is_named_and_the_rest_still_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    diary_with_days(&diary);
    {
        let conn = rusqlite::Connection::open(&diary).expect("open");
        conn.execute(
            "INSERT INTO day VALUES ('not-a-date', 1, NULL, 0, NULL, '{}', 'x')",
            [],
        )
        .expect("bad row");
    }
    let out = diary_cmd(&diary)
        .args(["checkin", "--pain", "4", "--date", "2027-01-05"])
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("not-a-date"), "{stderr}");
    let out = diary_cmd(&diary)
        .args(["history", "--json"])
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("not-a-date"), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["days"].as_array().map(Vec::len), Some(4));
}

fn import(diary: &Path, json: &serde_json::Value, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("import.json");
    std::fs::write(&file, json.to_string()).expect("write");
    let out = diary_cmd(diary)
        .args(["checkin", "--import"])
        .arg(&file)
        .args(extra)
        .output()
        .expect("runs");
    outcome(&out)
}

/// Defect 13: an import is checked like answers (unknown keys, numbers out
/// of range, plan answers), and never replaces a day already in the diary
/// without `--replace`.
#[test]
fn imports_are_checked_and_keep_newer_days() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    let bad = [
        (
            serde_json::json!({"days": [{"date": "2027-01-01", "pain": 1, "answers": {"=HYPERLINK(\"x\")": true}}]}),
            "HYPERLINK",
        ),
        (
            serde_json::json!({"days": [{"date": "2027-01-01", "pain": 1, "run_km": 1e308}]}),
            "run_km",
        ),
        (
            serde_json::json!({"days": [], "plan": {"start": "2027-01-01", "answers": {"location": "moon"}}}),
            "moon",
        ),
    ];
    for (json, named) in bad {
        let (code, _, stderr) = import(&diary, &json, &[]);
        assert_eq!(code, 2, "{json}: {stderr}");
        assert!(stderr.contains(named), "{stderr}");
    }
    assert!(!diary.exists() || days_in(&diary) == 0);

    // A newer day is kept; --replace takes the file's.
    diary_cmd(&diary)
        .args(["checkin", "--pain", "6", "--date", "2027-01-01"])
        .assert()
        .success();
    let old = serde_json::json!({"days": [
        {"date": "2027-01-01", "pain": 1},
        {"date": "2026-12-31", "pain": 2}
    ]});
    let (code, stdout, stderr) = import(&diary, &old, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("2027-01-01"),
        "{stdout}{stderr}"
    );
    let pain_on = |date: &str| -> i64 {
        let out = diary_cmd(&diary)
            .args(["history", "--json"])
            .output()
            .expect("runs");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["days"]
            .as_array()
            .expect("days")
            .iter()
            .find(|d| d["date"] == date)
            .and_then(|d| d["pain"].as_i64())
            .expect("day")
    };
    assert_eq!(pain_on("2027-01-01"), 6, "kept");
    assert_eq!(pain_on("2026-12-31"), 2, "added");
    let (code, _, stderr) = import(&diary, &old, &["--replace"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(pain_on("2027-01-01"), 1, "replaced on request");
}

/// Defect 13: a CSV cell that would start a spreadsheet formula is
/// neutralised, whatever put it in the diary.
#[test]
fn history_csv_neutralises_formula_cells() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    diary_with_days(&diary);
    {
        let conn = rusqlite::Connection::open(&diary).expect("open");
        conn.execute(
            "UPDATE day SET answers = '{\"=cmd|calc\": true}' WHERE date = '2027-01-02'",
            [],
        )
        .expect("update");
    }
    let out = diary_cmd(&diary)
        .args(["history", "--format", "csv"])
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    for cell in stdout.lines().flat_map(|l| l.split(',')) {
        let cell = cell.trim_start_matches('"');
        assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {stdout}");
    }
}
