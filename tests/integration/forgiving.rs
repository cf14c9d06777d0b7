//! Forgiving input (issue 11): the same answer written the ways people
//! write it, in flags, answers files and batch lines; and the clear
//! message when a form cannot be read.

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    crate::run_with(args, stdin)
}

/// The answers of `assess --json` with these extra arguments.
fn answers(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["assess", "--location", "inner", "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args, None);
    assert_eq!(code, 0, "{extra:?}: {err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    report["answers"].clone()
}

#[test]
fn booleans_as_a_bare_flag_a_word_or_with_equals() {
    for (args, want) in [
        (vec!["--locking"], true),
        (vec!["--locking", "yes"], true),
        (vec!["--locking", "true"], true),
        (vec!["--locking", "no"], false),
        (vec!["--locking", "false"], false),
        (vec!["--locking=yes"], true),
        (vec!["--locking=no"], false),
        (vec!["--locking=false"], false),
        // A bare flag before another flag still means yes.
        (vec!["--locking", "--giving-way", "no"], true),
    ] {
        assert_eq!(answers(&args)["locking"], want, "{args:?}");
    }
    assert_eq!(
        answers(&["--locking", "--giving-way", "no"])["giving_way"],
        false
    );
}

#[test]
fn durations_in_days_weeks_and_months_everywhere() {
    let forms = [
        ("10", 10),
        ("10d", 10),
        ("10 days", 10),
        ("1 day", 1),
        ("3w", 21),
        ("3 weeks", 21),
        ("2m", 60),
        ("2 months", 60),
        ("2 Months", 60),
    ];
    for (given, days) in forms {
        assert_eq!(
            answers(&["--duration-days", given])["duration_days"],
            days,
            "flag {given:?}"
        );
        let json = format!(r#"{{"location": "front", "duration_days": "{given}"}}"#);
        let (code, out, err) = run(&["assess", "--answers", "-", "--json"], Some(&json));
        assert_eq!(code, 0, "{err}");
        let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(report["answers"]["duration_days"], days, "JSON {given:?}");
    }
}

#[test]
fn distances_in_km_by_default_and_in_miles_with_a_suffix() {
    for (given, km) in [
        ("25", 25.0),
        ("25km", 25.0),
        ("25 km", 25.0),
        ("12.5", 12.5),
        ("25mi", 40.2),
        ("25 mi", 40.2),
        ("10 miles", 16.1),
    ] {
        let a = answers(&["--weekly-km", given, "--shoe-km", given]);
        assert_eq!(a["weekly_km"].as_f64(), Some(km), "weekly {given:?}");
        assert_eq!(a["shoe_km"].as_f64(), Some(km), "shoe {given:?}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("answers.toml");
    std::fs::write(
        &path,
        "location = \"front\"\nweekly_km = \"30 mi\"\nshoe_km = 800\n",
    )
    .expect("write");
    let (code, out, err) = run(
        &[
            "assess",
            "--answers",
            path.to_str().expect("utf-8"),
            "--json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["answers"]["weekly_km"].as_f64(), Some(48.3));
    assert_eq!(report["answers"]["shoe_km"], 800);
}

#[test]
fn batch_lines_take_the_same_forms() {
    let input = concat!(
        r#"{"location": "front", "duration_days": "3 weeks", "weekly_km": "20 mi", "locking": "no"}"#,
        "\n",
        r#"{"location": "front", "duration_days": "3 fortnights"}"#,
        "\n"
    );
    let (code, out, _) = run(&["batch"], Some(input));
    assert_eq!(code, 2);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines[0]["answers"]["duration_days"], 21);
    assert_eq!(lines[0]["answers"]["weekly_km"].as_f64(), Some(32.2));
    assert_eq!(lines[0]["answers"]["locking"], false);
    let message = lines[1]["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("duration_days")
            && message.contains("\"3 fortnights\"")
            && message.contains("\"3 weeks\""),
        "{message}"
    );
}

#[test]
fn an_unquoted_duration_says_to_quote_it() {
    let (code, out, err) = run(
        &[
            "assess",
            "--location",
            "front",
            "--duration-days",
            "3",
            "weeks",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err.trim_end(),
        "error: invalid value for duration_days (--duration-days): 3 weeks are two arguments; a value with a space must be quoted: --duration-days \"3 weeks\" (or --duration-days 3w); allowed: a whole number of days from 0 to 36500, or a duration such as 10d, 3w, 2m, \"3 weeks\" or \"2 months\""
    );
}

#[test]
fn a_word_from_the_labels_suggests_the_value() {
    for (given, suggested) in [
        (
            "kneecap",
            "\"front\" [around or behind the kneecap] or \"below-kneecap\" [just below the kneecap, on the tendon]",
        ),
        ("medial", "\"inner\" [inner side]?"),
        ("lateral", "\"outer\" [outer side]?"),
        ("Lateral", "\"outer\" [outer side]?"),
    ] {
        let (code, out, err) = run(&["assess", "--location", given], None);
        assert_eq!(code, 2, "{given}");
        assert_eq!(out, "");
        assert!(
            err.contains(&format!(
                "invalid value for location (--location): \"{given}\""
            )) && err.contains(&format!("did you mean {suggested}"))
                && err.contains("allowed: inner, front, below-kneecap, outer, back, diffuse"),
            "{given}: {err}"
        );
        // The same in a file.
        let json = format!(r#"{{"location": "{given}"}}"#);
        let (code, _, err) = run(&["assess", "--answers", "-"], Some(&json));
        assert_eq!(code, 2);
        assert!(err.contains(&format!("did you mean {suggested}")), "{err}");
    }
}

#[test]
fn conflicting_formats_are_an_error() {
    let (code, out, err) = run(
        &[
            "assess",
            "--location",
            "front",
            "--json",
            "--format",
            "markdown",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("--json and --format markdown ask for two different formats"),
        "{err}"
    );
    // Saying the same thing twice is fine.
    let (code, out, _) = run(
        &[
            "assess",
            "--location",
            "front",
            "--json",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.starts_with('{'));
}

#[test]
fn a_file_that_cannot_be_read_is_exit_1_with_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-answers.toml");
    let (code, out, err) = run(
        &["assess", "--answers", missing.to_str().expect("utf-8")],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(err.contains(&missing.display().to_string()), "{err}");
    let (code, _, err) = run(
        &["assess", "--answers", dir.path().to_str().expect("utf-8")],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains(&dir.path().display().to_string()), "{err}");
}
