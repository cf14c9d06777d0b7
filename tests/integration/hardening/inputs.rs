//! Answers, batch lines and what reaches the terminal: defects 4, 8, 9,
//! 11, 12 and 21.

use super::{gpx, mkfifo, outcome, quick};
use crate::knee_triage;

const ESC: char = '\u{1b}';

/// Defect 8: a key given twice is refused, naming it, in a file, on
/// standard input and in a batch line (TOML already refused it).
#[test]
fn a_json_key_given_twice_is_refused() {
    let text = r#"{"location":"front","onset":"sudden","cannot_bear_weight":true,"cannot_bear_weight":false}"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("dup.json");
    std::fs::write(&file, text).expect("write");
    let out = knee_triage()
        .args(["assess", "--json", "--answers"])
        .arg(&file)
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot_bear_weight") && stderr.contains("twice"),
        "{stderr}"
    );

    let out = knee_triage()
        .args(["assess", "--json", "--answers", "-"])
        .write_stdin(text)
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot_bear_weight") && stderr.contains("twice"),
        "{stderr}"
    );

    let out = knee_triage()
        .arg("batch")
        .write_stdin(format!("{text}\n{{\"location\":\"front\"}}\n"))
        .output()
        .expect("runs");
    let (code, stdout, _) = outcome(&out);
    assert_eq!(code, 2);
    let first: serde_json::Value =
        serde_json::from_str(stdout.lines().next().expect("a line")).expect("json");
    let message = first["error"]["message"].as_str().expect("an error line");
    assert!(
        message.contains("cannot_bear_weight") && message.contains("twice"),
        "{message}"
    );
    assert_eq!(stdout.lines().count(), 2, "the next line is still assessed");
}

/// Defect 9: answers and training files that are FIFOs are refused at
/// once, naming the path.
#[test]
fn fifo_inputs_are_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = dir.path().join("answers.json");
    mkfifo(&answers);
    let out = quick()
        .args(["assess", "--answers"])
        .arg(&answers)
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("not a regular file") && stderr.contains("answers.json"),
        "{stderr}"
    );

    let folder = dir.path().join("log");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(folder.join("a.gpx"), gpx("running", 1)).expect("gpx");
    mkfifo(&folder.join("run.gpx"));
    let out = quick()
        .args(["training", "--json"])
        .arg(&folder)
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["runs"], 1);
    assert!(stdout.contains("not a regular file"), "{stdout}");

    let out = quick()
        .arg("training")
        .arg(folder.join("run.gpx"))
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");

    let out = quick()
        .args(["assess", "--location", "front", "--answers", "/dev/zero"])
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_ne!(code, 0);
    assert!(!stderr.contains("0.0 MB"), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

/// Defect 4: a batch line over 1 MB becomes one error line naming the
/// limit, and the next line is assessed.
#[test]
fn a_batch_line_over_the_cap_is_an_error_line() {
    let mut input = "x".repeat(3 << 20);
    input.push('\n');
    input.push_str("{\"location\":\"front\"}\n");
    let out = knee_triage()
        .arg("batch")
        .write_stdin(input)
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 2, "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    let message = lines[0]["error"]["message"].as_str().expect("error");
    assert!(message.contains("1 MB"), "{message}");
    assert_eq!(lines[0]["error"]["line"], 1);
    assert!(lines[1]["triage"].is_object(), "{}", lines[1]);
}

/// Defect 11: TOML `nan` and `inf` are refused naming the answer, as in
/// JSON and flags.
#[test]
fn toml_nan_and_inf_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (line, key) in [
        ("age = nan", "age"),
        ("weekly_km = inf", "weekly_km"),
        ("age = -inf", "age"),
    ] {
        let file = dir.path().join("a.toml");
        std::fs::write(&file, format!("location = \"front\"\n{line}\n")).expect("write");
        let out = knee_triage()
            .args(["assess", "--quiet", "--answers"])
            .arg(&file)
            .output()
            .expect("runs");
        let (code, _, stderr) = outcome(&out);
        assert_eq!(code, 2, "{line}: {stderr}");
        assert!(stderr.contains(key), "{stderr}");
        assert!(stderr.contains("a.toml:2"), "{stderr}");
    }
}

/// Defect 12: control characters from files and flags never reach the
/// terminal raw.
#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A GPX <type>, and a file name in a training folder.
    let log = dir.path().join("log");
    std::fs::create_dir(&log).expect("mkdir");
    std::fs::write(log.join("a.gpx"), gpx("running", 1)).expect("gpx");
    std::fs::write(log.join("b.gpx"), gpx("x\u{1b}[2Jy", 2)).expect("gpx");
    std::fs::write(log.join("c\u{1b}]0;pwned\u{7}.txt"), "x").expect("odd name");
    let out = knee_triage()
        .arg("training")
        .arg(&log)
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains(ESC) && !stderr.contains(ESC), "{stdout:?}");
    assert!(!stdout.contains('\u{7}'), "{stdout:?}");

    // Batch ids in --list-ids and --by id-field.
    let line = "{\"id\":\"a\\u001b[2J\\u001b]0;pwned\\u0007-b\",\"location\":\"front\"}\n";
    for extra in [&["--list-ids"][..], &["--by", "id-field:1"][..]] {
        let out = knee_triage()
            .args(["batch", "--summary"])
            .args(extra)
            .write_stdin(line)
            .output()
            .expect("runs");
        let (code, stdout, stderr) = outcome(&out);
        assert_eq!(code, 0, "{extra:?}: {stderr}");
        assert!(
            !stdout.contains(ESC) && !stdout.contains('\u{7}'),
            "{extra:?}: {stdout:?}"
        );
    }

    // A diary key, however it got there.
    let diary = dir.path().join("d.sqlite3");
    super::diary_with_days(&diary);
    {
        let conn = rusqlite::Connection::open(&diary).expect("open");
        conn.execute(
            "UPDATE day SET answers = '{\"x\\u001b[2J\": true}' WHERE date = '2027-01-02'",
            [],
        )
        .expect("update");
    }
    let out = knee_triage()
        .arg("--diary")
        .arg(&diary)
        .arg("history")
        .output()
        .expect("runs");
    let (_, stdout, _) = outcome(&out);
    assert!(!stdout.contains(ESC), "{stdout:?}");

    // An unknown key in an answers file, and a --location value.
    let file = dir.path().join("a.json");
    std::fs::write(&file, "{\"location\":\"front\",\"x\\u001b[2J\":1}").expect("write");
    let out = knee_triage()
        .args(["assess", "--answers"])
        .arg(&file)
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 2);
    assert!(!stderr.contains(ESC), "{stderr:?}");
    let out = knee_triage()
        .args(["assess", "--location", "fr\u{1b}[2Jont"])
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_eq!(code, 2);
    assert!(!stderr.contains(ESC), "{stderr:?}");
}

/// Defect 21: a byte-order mark is not "TOML"; NaN in a batch line gets no
/// hint about quotes.
#[test]
fn byte_order_marks_and_nan_get_the_right_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("b.json");
    std::fs::write(&file, "\u{feff}{\"location\":\"front\"}").expect("write");
    knee_triage()
        .args(["assess", "--quiet", "--answers"])
        .arg(&file)
        .assert()
        .success();
    knee_triage()
        .args(["assess", "--quiet", "--answers", "-"])
        .write_stdin("\u{feff}{\"location\":\"front\"}")
        .assert()
        .success();

    let out = knee_triage()
        .arg("batch")
        .write_stdin("\u{feff}{\"location\":\"front\"}\n{\"location\":\"front\",\"age\":NaN}\n")
        .output()
        .expect("runs");
    let (code, stdout, _) = outcome(&out);
    assert_eq!(code, 2, "{stdout}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert!(
        lines[0]["triage"].is_object(),
        "a BOM line is read: {}",
        lines[0]
    );
    let message = lines[1]["error"]["message"].as_str().expect("error");
    assert!(!message.contains("double quotes"), "{message}");
    assert!(message.contains("NaN"), "{message}");
}
