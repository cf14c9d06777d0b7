//! `checkin` takes every answer flag of `assess` (issue 21, item 2), and
//! `--pain` and `--pain-level` are the same flag in both (item 15).

use std::path::Path;

use serde_json::{Value, json};

use crate::{checkin, diary_cmd, history, knee_triage};

fn assess_level(answers: &Value) -> Value {
    crate::assess_json(answers)["triage"]["level"].clone()
}

fn save_plan(diary: &Path, answers: &Value) {
    let out = diary_cmd(diary)
        .args(["plan", "--answers", "-", "--start", "2026-01-05", "--save"])
        .write_stdin(answers.to_string())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A swollen knee is recorded, and gets help at the level assess gives
/// for the plan's answers with that swelling.
#[test]
fn checkin_swelling_marked_gets_help_at_the_level_assess_gives() {
    let plan_answers = json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"]});
    for swelling in ["marked", "mild"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let diary = dir.path().join("d.sqlite3");
        save_plan(&diary, &plan_answers);
        let out = checkin(
            &diary,
            &[
                "--date",
                "2026-01-05",
                "--pain",
                "2",
                "--swelling",
                swelling,
            ],
        );
        let mut with = plan_answers.clone();
        with["swelling"] = json!(swelling);
        let level = assess_level(&with);
        if level == assess_level(&plan_answers) {
            // Mild swelling does not change the level: no alarm, recorded.
            assert_ne!(out["decision"], "get-help", "{swelling}: {out}");
        } else {
            assert_eq!(out["decision"], "get-help", "{swelling}: {out}");
            assert_eq!(out["level"], level, "{swelling}: {out}");
        }
        // The day keeps the answer.
        let h = history(&diary);
        assert_eq!(h["days"][0]["answers"]["swelling"], swelling, "{h}");
    }
    // Marked swelling is urgent for these answers: the case the review met.
    let mut marked = plan_answers.clone();
    marked["swelling"] = json!("marked");
    assert_ne!(assess_level(&marked), "self-care");
}

#[test]
fn checkin_takes_every_answer_flag_of_assess() {
    let help = |cmd: &str| {
        let out = knee_triage().args([cmd, "--help"]).output().expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let flags = |text: &str| -> Vec<String> {
        text.split_whitespace()
            .filter(|w| w.starts_with("--"))
            .map(|w| {
                w.trim_end_matches([',', '.', ']'])
                    .split(['=', '['])
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect()
    };
    let checkin = flags(&help("checkin"));
    let schema = knee_triage()
        .args(["schema", "answers"])
        .output()
        .expect("runs");
    let schema: Value = serde_json::from_slice(&schema.stdout).expect("json");
    for key in schema["properties"].as_object().expect("properties").keys() {
        if key == "id" {
            continue;
        }
        let flag = format!("--{}", key.replace('_', "-"));
        assert!(checkin.contains(&flag), "checkin has no {flag}");
    }
    // Honest headings: each answer flag under its section of the
    // questionnaire, so a training answer is not a warning sign.
    let text = help("checkin");
    let heading_of = |flag: &str| -> String {
        let at = text
            .find(&format!("  {flag} "))
            .unwrap_or_else(|| panic!("{flag}:\n{text}"));
        text[..at]
            .lines()
            .rev()
            .find(|l| !l.starts_with(' ') && l.ends_with(':'))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(heading_of("--overstriding"), "Answers: training:");
    assert_eq!(heading_of("--calf-swelling"), "Answers: warning signs:");
    assert_eq!(heading_of("--swelling"), "Answers: the pain and the knee:");
    // The swelling flag is offered, not the clot sign, for a typo.
    let out = knee_triage()
        .args(["checkin", "--pain", "1", "--sweling", "mild"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("--swelling"), "{stderr}");
}

#[test]
fn pain_and_pain_level_are_the_same_flag_in_checkin_and_assess() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    let a = checkin(
        &diary,
        &["--date", "2026-01-05", "--pain-level", "3", "--no-run"],
    );
    assert_eq!(a["date"], "2026-01-05");
    let h = history(&diary);
    assert_eq!(h["days"][0]["pain"], 3);
    let out = knee_triage()
        .args(["assess", "--location", "front", "--pain", "6", "--json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["answers"]["pain_level"], 6);
}

/// A list typed with spaces is told to use commas, with the list as it
/// should be typed (issue 21, item 15).
#[test]
fn a_space_separated_list_is_told_to_use_commas() {
    for cmd in [
        &["assess", "--location", "front"][..],
        &["checkin", "--pain", "2"],
    ] {
        let out = knee_triage()
            .args(cmd)
            .args(["--worse-with", "stairs", "squatting", "kneeling"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("comma-separated")
                && stderr.contains("--worse-with stairs,squatting,kneeling"),
            "{cmd:?}: {stderr}"
        );
    }
}

/// `--run-km 5mi` records 5 miles in km, and `ask --from-diary` is a flag
/// `ask` knows (it then needs a terminal, as always).
#[test]
fn a_run_in_miles_and_ask_from_diary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    checkin(
        &diary,
        &["--date", "2026-01-05", "--pain", "1", "--run-km", "5mi"],
    );
    let h = history(&diary);
    let km = h["days"][0]["run_km"].as_f64().expect("run_km");
    assert!((km - 8.04672).abs() < 1e-9, "{km}");
    let out = knee_triage()
        .args(["ask", "--from-diary", "--no-input"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("terminal") && !stderr.contains("unexpected argument"),
        "{stderr}"
    );
}
