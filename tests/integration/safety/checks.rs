//! `content check` catches each kind of mistake on a fixture made for it,
//! at the file, line and column of the mistake.

use crate::knee_triage;

fn check(fixture: &str) -> (i32, String) {
    let out = knee_triage()
        .args(["content", "check"])
        .arg(format!("tests/fixtures/packs/{fixture}"))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn each_analysis_reports_its_fixture_at_file_line_column() {
    // (fixture, exit code, the line expected after the pack folder)
    let cases = [
        (
            "never-fires-triage",
            2,
            "pack.toml:101:8: triage rule \"severe-and-mild-pain\" can never fire: no set of answers meets its condition",
        ),
        (
            "never-fires-score",
            2,
            "pack.toml:86:8: scoring rule \"meniscus-inner-and-front\" of cause \"meniscus\" can never fire: no set of answers meets its condition",
        ),
        (
            "shadowed-triage",
            0,
            "pack.toml:101:8: warning: triage rule \"swollen-locked-knee\" (see-professional) is shadowed: whenever it fires, \"locked-knee\" (urgent) fires too, so it can never set the level",
        ),
        (
            "never-counts",
            0,
            "pack.toml:87:8: warning: scoring rule \"meniscus-locking-inner\" of cause \"meniscus\" never counts: whenever it fires, a stronger rule of its group fires too",
        ),
        (
            "unselectable-advice",
            2,
            "pack.toml:104:8: advice \"locked-rest-at-home\" can never be given: no set of answers meets its condition together with the triage level and cause likelihoods those answers give",
        ),
        (
            "unread-question",
            0,
            "pack.toml:99:6: warning: question \"previous_injury\" is read by no triage, scoring, advice or next-steps rule: its answer changes nothing",
        ),
        (
            "cause-never-likely",
            2,
            "pack.toml:104:13: cause \"bursitis\" can never be likely: no set of answers reaches likely_at = 5 (its strongest rules exclude each other)",
        ),
        (
            "never-fires-next-step",
            2,
            "pack.toml:123:8: next-steps rule \"steps-locked-self-care\" can never fire: no set of answers meets its condition at the level those answers give",
        ),
        (
            "factor-one-answer",
            2,
            "pack.toml:117:13: factor \"weak-muscles\" can be likely on the answer \"strength_sessions\" alone (rules wm-none, wm-none-inner): a factor resting on one answer is at most possible, so raise likely_at or lower their points",
        ),
        (
            "time-course",
            2,
            "pack.toml:71:11: `settles` of \"meniscus\" must name a time (a number, or days, weeks, months or years), found \"It settles with rehabilitation.\"",
        ),
        (
            "time-course",
            2,
            "pack.toml:115:11: factor \"footwear\" has a time course (`settles`, `settles_source`): only a condition settles; leave them out",
        ),
        (
            "never-counts",
            0,
            "pack.toml:67:6: warning: condition \"meniscus\" has no time course: add `settles` (how long it usually takes to settle) and `settles_source`, which the report shows with it",
        ),
        (
            "untested-triage-rule",
            2,
            "pack.toml:99:6: triage rule \"swollen\" is exercised by no golden case: add a case under cases/ that fires it",
        ),
    ];
    for (fixture, code, expected) in cases {
        let (got, out) = check(fixture);
        let want = format!("tests/fixtures/packs/{fixture}/{expected}");
        assert!(
            out.lines().any(|l| l == want),
            "{fixture}: expected the line\n{want}\ngot:\n{out}"
        );
        assert_eq!(got, code, "{fixture}: exit code\n{out}");
    }
}

#[test]
fn the_minimal_pack_with_its_case_is_clean_of_each_finding() {
    // The fixtures differ from the minimal pack by the one mistake, so the
    // minimal pack with the same golden case has none of the findings.
    let dir = tempfile::tempdir().expect("tempdir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs");
    std::fs::copy(root.join("minimal/pack.toml"), dir.path().join("pack.toml")).expect("copy");
    std::fs::create_dir(dir.path().join("cases")).expect("mkdir");
    std::fs::copy(
        root.join("never-counts/cases/cases.toml"),
        dir.path().join("cases/cases.toml"),
    )
    .expect("copy");
    let out = knee_triage()
        .args(["content", "check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for phrase in ["can never", "shadowed", "never counts", "exercised by no"] {
        assert!(!text.contains(phrase), "{phrase}: {text}");
    }
}

#[test]
fn content_check_lists_the_triage_rules_each_case_exercises() {
    let out = knee_triage()
        .args(["content", "check"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("triage rules exercised by the"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("locked-knee") && l.contains("locked-knee")),
        "{text}"
    );
    assert!(
        !text.contains("warning:"),
        "the shipped pack has no warnings:\n{text}"
    );
}
