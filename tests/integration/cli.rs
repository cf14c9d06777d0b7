//! The command line as a runner or a script uses it: flags, files, stdin,
//! exit codes and the messages a bad input gets.

use serde_json::json;

use crate::{assess_json, knee_triage};

fn stderr_of(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    crate::run_with(args, stdin)
}

#[test]
fn flags_give_a_human_report_with_level_first_and_disclaimer_last() {
    let (code, out, err) = stderr_of(
        &[
            "assess",
            "--location",
            "front",
            "--onset",
            "gradual",
            "--worse-with",
            "stairs,squatting",
            "--duration-days",
            "10d",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap_or_default();
    assert!(first.starts_with("SELF-CARE: "), "first line: {first}");
    assert!(out.contains("Patellofemoral pain"), "{out}");
    assert!(out.contains("When to get your knee checked"), "{out}");
    let disclaimer = out.rfind("This is not a diagnosis").expect("disclaimer");
    assert!(
        disclaimer
            > out
                .find("When to get your knee checked")
                .unwrap_or(usize::MAX),
        "disclaimer comes last"
    );
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn json_report_has_the_contract_members() {
    let report = assess_json(
        &json!({"location": "inner", "onset": "sudden", "mechanism": "twist", "locking": true}),
    );
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["triage"]["level"], "urgent");
    let reasons = report["triage"]["reasons"].as_array().expect("reasons");
    assert!(
        reasons.iter().any(|r| r
            .as_str()
            .unwrap_or("")
            .contains("the knee locks or catches")),
        "{reasons:?}"
    );
    let top = &report["causes"][0];
    assert_eq!(top["id"], "meniscus");
    assert_eq!(top["kind"], "condition");
    assert!(["possible", "likely"].contains(&top["likelihood"].as_str().unwrap_or("")));
    let score = top["score"].as_f64().expect("score");
    assert!((0.0..=1.0).contains(&score));
    assert!(!top["evidence"].as_array().expect("evidence").is_empty());
    for item in report["advice"].as_array().expect("advice") {
        for member in ["id", "category", "title", "text"] {
            assert!(item[member].is_string(), "advice lacks {member}: {item}");
        }
    }
    assert!(
        report["disclaimer"]
            .as_str()
            .unwrap_or("")
            .starts_with("This is not a diagnosis")
    );
}

#[test]
fn format_json_is_the_same_as_json_flag() {
    let a = knee_triage()
        .args(["assess", "--location", "outer", "--json"])
        .output()
        .expect("runs");
    let b = knee_triage()
        .args(["assess", "--location", "outer", "--format", "json"])
        .output()
        .expect("runs");
    assert!(a.status.success() && b.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn json_never_carries_colour() {
    let out = knee_triage()
        .args([
            "--color",
            "always",
            "assess",
            "--location",
            "front",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn colour_always_colours_and_no_color_wins_over_auto() {
    let out = knee_triage()
        .args(["--color", "always", "assess", "--location", "front"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
    let out = knee_triage()
        .env("NO_COLOR", "1")
        .args(["assess", "--location", "front"])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn toml_and_json_answers_files_give_the_same_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml_path = dir.path().join("a.toml");
    let json_path = dir.path().join("a.json");
    std::fs::write(&toml_path, "location = \"outer\"\nonset = \"gradual\"\nduration_days = \"3w\"\nworse_with = [\"running-distance\"]\n").expect("write");
    std::fs::write(&json_path, r#"{"location":"outer","onset":"gradual","duration_days":21,"worse_with":["running-distance"]}"#).expect("write");
    let run = |p: &std::path::Path| {
        knee_triage()
            .args(["assess", "--json", "--answers"])
            .arg(p)
            .output()
            .expect("runs")
    };
    let (a, b) = (run(&toml_path), run(&json_path));
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let report: serde_json::Value = serde_json::from_slice(&a.stdout).expect("json");
    assert_eq!(report["answers"]["duration_days"], 21);
    assert_eq!(report["triage"]["level"], "see-professional");
}

#[test]
fn flags_override_the_answers_file() {
    let out = knee_triage()
        .args([
            "assess",
            "--answers",
            "examples/runners-knee.toml",
            "--location",
            "outer",
            "--duration-days",
            "4w",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["answers"]["location"], "outer");
    assert_eq!(report["answers"]["duration_days"], 28);
    assert_eq!(
        report["answers"]["onset"], "gradual",
        "the file's other answers stay"
    );
}

#[test]
fn bool_flags_are_bare_or_explicit() {
    let report = |args: &[&str]| -> serde_json::Value {
        let out = knee_triage()
            .args(["assess", "--location", "inner", "--json"])
            .args(args)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json")
    };
    assert_eq!(report(&["--locking"])["answers"]["locking"], true);
    assert_eq!(report(&["--locking=false"])["answers"]["locking"], false);
    assert_eq!(report(&["--locking"])["triage"]["level"], "urgent");
}

#[test]
fn durations_accept_days_weeks_and_months() {
    for (given, days) in [("10", 10), ("10d", 10), ("3w", 21), ("2m", 60)] {
        let out = knee_triage()
            .args([
                "assess",
                "--location",
                "front",
                "--json",
                "--duration-days",
                given,
            ])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(report["answers"]["duration_days"], days, "{given}");
    }
}

#[test]
fn missing_location_names_the_field_and_the_allowed_values() {
    let (code, out, err) = stderr_of(&["assess", "--onset", "gradual"], None);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("location is required"), "{err}");
    assert!(
        err.contains("inner, front, below-kneecap, outer, back, diffuse"),
        "{err}"
    );
}

#[test]
fn bad_flag_value_is_one_line_with_field_value_and_allowed() {
    let (code, _, err) = stderr_of(&["assess", "--location", "knee"], None);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("location"), "{err}");
    assert!(err.contains("\"knee\""), "{err}");
    assert!(
        err.contains("allowed: inner, front, below-kneecap, outer, back, diffuse"),
        "{err}"
    );
}

#[test]
fn bad_list_item_and_misspelling_get_a_suggestion() {
    let (code, _, err) = stderr_of(
        &[
            "assess",
            "--location",
            "front",
            "--worse-with",
            "stairs,squating",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("worse_with")
            && err.contains("\"squating\"")
            && err.contains("did you mean \"squatting\"?"),
        "{err}"
    );
}

#[test]
fn out_of_range_numbers_are_refused() {
    for (flag, value, field) in [
        ("--pain-level", "11", "pain_level"),
        ("--rest-days", "8", "rest_days"),
        ("--duration-days", "-3", "duration_days"),
        ("--age", "forty", "age"),
    ] {
        let (code, _, err) = stderr_of(&["assess", "--location", "front", flag, value], None);
        assert_eq!(code, 2, "{flag} {value}");
        assert!(err.contains(field) && err.contains(value), "{err}");
        assert!(err.contains("allowed:"), "{err}");
    }
}

#[test]
fn bad_answers_in_a_file_name_the_file_field_and_value() {
    let (code, _, err) = stderr_of(
        &["assess", "--answers", "-"],
        Some(r#"{"location": "front", "pain_level": 11}"#),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("pain_level") && err.contains("11") && err.contains("from 0 to 10"),
        "{err}"
    );

    let (code, _, err) = stderr_of(
        &["assess", "--answers", "-"],
        Some(r#"{"location": "front", "swellling": "mild"}"#),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown answer key \"swellling\" (did you mean \"swelling\"?)"),
        "{err}"
    );

    let (code, _, err) = stderr_of(
        &["assess", "--answers", "-"],
        Some(r#"{"location": "front", "locking": "sometimes"}"#),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("locking") && err.contains("sometimes") && err.contains("true or false"),
        "{err}"
    );
}

#[test]
fn unreadable_input_is_a_clear_error_not_a_panic() {
    for input in ["", "   \n", "[1, 2]", "location = front", "{\"location\": "] {
        let (code, out, err) = stderr_of(&["assess", "--answers", "-"], Some(input));
        assert_eq!(code, 2, "{input:?}: {err}");
        assert!(out.is_empty());
        assert!(err.starts_with("error: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A file that cannot be read is exit 1, with its path.
    let (code, _, err) = stderr_of(&["assess", "--answers", "no/such/file.json"], None);
    assert_eq!(code, 1);
    assert!(err.contains("no/such/file.json"), "{err}");
}

#[test]
fn ask_without_a_terminal_never_prompts() {
    for args in [vec!["ask"], vec![], vec!["ask", "--no-input"]] {
        let (code, out, err) = stderr_of(&args, Some(""));
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert!(
            err.contains("needs a terminal") && err.contains("--answers"),
            "{err}"
        );
    }
}

#[test]
fn content_check_passes_on_the_shipped_pack() {
    let (code, out, _) = stderr_of(&["content", "check"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("content pack OK"), "{out}");
    let (code, out, _) = stderr_of(&["content", "check", "content"], None);
    assert_eq!(code, 0);
    assert!(out.contains("golden cases pass"), "{out}");
}

#[test]
fn content_list_shows_every_cause() {
    let (code, out, _) = stderr_of(&["content", "list"], None);
    assert_eq!(code, 0);
    for id in crate::CONDITIONS.iter().chain(&crate::FACTORS) {
        assert!(out.contains(id), "{id} missing from content list");
    }
}

#[test]
fn a_pack_from_disk_replaces_the_embedded_one() {
    let out = knee_triage()
        .args([
            "--content",
            "tests/fixtures/packs/minimal",
            "assess",
            "--location",
            "inner",
            "--locking",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["disclaimer"], "Not a diagnosis.");
    assert_eq!(report["causes"][0]["id"], "meniscus");
    assert_eq!(report["triage"]["level"], "urgent");
    // The minimal pack has no `onset` question, so its flag does not exist.
    let (code, _, err) = stderr_of(
        &[
            "--content",
            "tests/fixtures/packs/minimal",
            "assess",
            "--location",
            "inner",
            "--onset",
            "gradual",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("--onset"), "{err}");
}

#[test]
fn a_broken_pack_from_disk_stops_assess_with_its_problems() {
    let (code, out, err) = stderr_of(
        &[
            "--content",
            "tests/fixtures/packs/unknown-key",
            "assess",
            "--location",
            "inner",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("pack.toml:76:10: unknown answer key \"lockng\""),
        "{err}"
    );
}

/// Each broken fixture fails with the position of its mistake.
#[test]
fn broken_packs_report_file_line_column() {
    let cases = [
        ("syntax-error", "pack.toml:3:17: invalid basic string"),
        (
            "unknown-field",
            "pack.toml:77:1: unknown key \"pionts\" (did you mean \"points\"?); allowed: id, when, points, because, group",
        ),
        (
            "duplicate-question",
            "pack.toml:48:6: duplicate question id \"swelling\"",
        ),
        (
            "unknown-key",
            "pack.toml:76:10: unknown answer key \"lockng\" (did you mean \"locking\"?)",
        ),
        (
            "unknown-value",
            "pack.toml:81:21: unknown value \"innr\" for \"location\" (did you mean \"inner\"?); allowed: inner, front",
        ),
        (
            "type-mismatch",
            "pack.toml:81:21: \"location\" is a choice question",
        ),
        (
            "bool-mismatch",
            "pack.toml:76:20: \"locking\" is a yes/no question: expected true or false, found a string",
        ),
        (
            "unknown-category",
            "pack.toml:92:12: unknown value \"resting\"; allowed: urgent-care, professional, rest-recovery",
        ),
        (
            "unknown-level",
            "pack.toml:86:9: unknown value \"critical\"; allowed: self-care, see-professional, urgent, emergency",
        ),
        (
            "never-likely",
            "pack.toml:72:13: cause \"meniscus\" can never be likely: its rules add up to at most 4 points, below likely_at = 9",
        ),
        (
            "unknown-cause",
            "pack.toml:96:20: unknown cause \"menicus\" (did you mean \"meniscus\"?)",
        ),
        (
            "duplicate-rule-id",
            "pack.toml:80:6: duplicate rule id \"meniscus-locking\"",
        ),
        (
            "triage-reads-cause",
            "pack.toml:87:10: `cause` can only be used in advice conditions",
        ),
        (
            "impossible-range",
            "pack.toml:81:23: range for \"pain_level\" can never hold",
        ),
    ];
    for (fixture, expected) in cases {
        let dir = format!("tests/fixtures/packs/{fixture}");
        let (code, out, _) = stderr_of(&["content", "check", &dir], None);
        assert_eq!(code, 2, "{fixture} should fail");
        let want = format!("{dir}/{expected}");
        assert!(
            out.lines().any(|l| l.starts_with(&want)),
            "{fixture}: expected a line starting {want:?}, got:\n{out}"
        );
    }
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let (code, out, _) = stderr_of(
        &["content", "check", "tests/fixtures/packs/many-problems"],
        None,
    );
    assert_eq!(code, 2);
    assert!(out.contains("unknown value \"resting\""), "{out}");
    let (code, out, _) = stderr_of(
        &[
            "content",
            "check",
            "tests/fixtures/packs/duplicate-question",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(out.contains("content pack has 3 problems"), "{out}");
}

#[test]
fn help_lists_answer_flags_from_the_pack() {
    let (code, out, _) = stderr_of(&["assess", "--help"], None);
    assert_eq!(code, 0);
    for flag in [
        "--location",
        "--worse-with",
        "--duration-days",
        "--cannot-bear-weight",
        "--tight-muscles",
    ] {
        assert!(out.contains(flag), "{flag} missing from help");
    }
}

#[test]
fn units_are_checked_from_the_flag_and_the_environment() {
    let out = knee_triage()
        .args(["--units", "furlongs", "plan", "--location", "front"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("furlongs"));
    let out = knee_triage()
        .env("KNEE_TRIAGE_UNITS", "furlongs")
        .args(["plan", "--location", "front", "--onset", "gradual"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("invalid value for KNEE_TRIAGE_UNITS: \"furlongs\"; allowed: km, mi"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = knee_triage()
        .env("KNEE_TRIAGE_UNITS", "mi")
        .args(["plan", "--location", "front", "--onset", "gradual"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
}
