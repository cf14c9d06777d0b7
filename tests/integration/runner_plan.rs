//! The return-to-running plan a physiotherapist would sign (issue 20): per
//! cause the pain rule, the entry checks, the first session and the week-4
//! volume; every refusal; `cleared_to_run`; the runner's days; miles; the
//! calendar read back with the entry checks in its first event.

use serde_json::{Value, json};

use crate::{knee_triage, plan, plan_json};

/// Week 4 in one figure: the kilometres of its runs, or, in the walk-run
/// weeks, "N min" of running and walking.
fn week4(plan: &Value) -> String {
    let sessions: Vec<&Value> = plan["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| s["week"] == 4)
        .collect();
    if sessions.iter().any(|s| s["km"].is_number()) {
        let km: f64 = sessions.iter().filter_map(|s| s["km"].as_f64()).sum();
        format!("{:.1} km", km)
    } else {
        let min: u64 = sessions.iter().filter_map(|s| s["minutes"].as_u64()).sum();
        format!("{min} min")
    }
}

struct Row {
    name: &'static str,
    answers: Value,
    pain_rule: &'static str,
    during_max: u64,
    /// The first words of the first entry check; "" for none.
    entry: &'static str,
    first_session: &'static str,
    week4: &'static str,
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "runner's knee, keep running",
            answers: json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "tender_spot": "kneecap-edge", "pain_level": 3, "duration_days": 14, "age": 30, "weekly_km": 30}),
            pain_rule: "soreness",
            during_max: 2,
            entry: "",
            first_session: "Easy run 9.0 km",
            week4: "39.9 km",
        },
        Row {
            name: "IT band, run less after a rise",
            answers: json!({"location": "outer", "onset": "gradual", "worse_with": ["running-distance", "downhill"], "tender_spot": "outer-femur", "duration_days": 10, "pain_level": 3, "age": 34, "weekly_km": 45, "mileage_increase_pct": 50}),
            pain_rule: "soreness",
            during_max: 2,
            entry: "",
            first_session: "Easy run 9.0 km",
            week4: "39.9 km",
        },
        Row {
            name: "patellar tendinopathy",
            answers: json!({"location": "below-kneecap", "onset": "gradual", "worse_with": ["jumping", "stairs", "squatting", "morning-stiffness"], "stiffness_minutes": 10, "tender_spot": "patellar-tendon", "duration_days": 35, "pain_level": 4, "trend": "same", "age": 24, "weekly_km": 40}),
            pain_rule: "pain-monitoring",
            during_max: 5,
            entry: "",
            first_session: "Easy run 8.0 km",
            week4: "35.5 km",
        },
        Row {
            name: "Osgood-Schlatter, 13",
            answers: json!({"location": "below-kneecap", "onset": "gradual", "tender_spot": "tibial-tuberosity", "worse_with": ["jumping", "kneeling", "stairs"], "duration_days": 60, "pain_level": 4, "age": 13, "limp": false, "hip_or_thigh_pain": false, "night_pain": false, "swelling": "none", "weekly_km": 15}),
            pain_rule: "pain-monitoring",
            during_max: 5,
            entry: "",
            first_session: "Easy run 3.0 km",
            week4: "13.3 km",
        },
        Row {
            name: "13-year-old, front knee pain (Osgood-Schlatter not likely)",
            answers: json!({"location": "front", "onset": "gradual", "age": 13, "worse_with": ["stairs"], "duration_days": 10, "pain_level": 3, "weekly_km": 12}),
            pain_rule: "child",
            during_max: 2,
            entry: "",
            first_session: "Easy run 3.6 km",
            week4: "15.9 km",
        },
        Row {
            name: "osteoarthritis",
            answers: json!({"location": "inner", "onset": "gradual", "worse_with": ["stairs", "morning-stiffness"], "stiffness_minutes": 15, "clicking": "painless", "duration_days": 400, "pain_level": 4, "age": 61, "previous_injury": true, "swelling": "mild", "swelling_onset": "gradual", "warm": false, "fever": false, "weekly_km": 20}),
            pain_rule: "default",
            during_max: 3,
            entry: "",
            first_session: "Easy run 4.0 km",
            week4: "17.7 km",
        },
        Row {
            name: "MCL sprain, cleared",
            answers: json!({"location": "inner", "onset": "sudden", "mechanism": "blow-to-outer-knee", "tender_spot": "inner-ligament", "swelling": "mild", "swelling_onset": "delayed", "pain_level": 5, "duration_days": 3, "age": 30, "cannot_bear_weight": false, "giving_way": false, "heard_pop": false, "cannot_bend_90": false, "cleared_to_run": true, "weekly_km": 30}),
            pain_rule: "default",
            during_max: 3,
            entry: "straighten the knee fully",
            first_session: "Brisk walk 30 min, then the strength exercises of your report",
            week4: "94 min",
        },
        Row {
            name: "meniscus, cleared",
            answers: json!({"location": "inner", "onset": "sudden", "mechanism": "twist", "swelling": "mild", "swelling_onset": "delayed", "clicking": "painful", "tender_spot": "joint-line", "worse_with": ["twisting", "squatting"], "duration_days": 5, "age": 34, "cleared_to_run": true, "weekly_km": 30}),
            pain_rule: "default",
            during_max: 3,
            entry: "straighten the knee fully",
            first_session: "Brisk walk 30 min, then the strength exercises of your report",
            week4: "94 min",
        },
        Row {
            name: "healed stress fracture, cleared",
            answers: json!({"location": "inner", "onset": "gradual", "bone_stress_risk": true, "pain_hopping": false, "night_pain": false, "pain_level": 1, "duration_days": 120, "trend": "better", "previous_injury": true, "weekly_km": 40, "age": 27, "cleared_to_run": true}),
            pain_rule: "bone",
            during_max: 0,
            entry: "walk briskly for 30 minutes with no pain",
            first_session: "Brisk walk 30 min, then the strength exercises of your report",
            week4: "90 min",
        },
        Row {
            name: "pes anserine bursitis",
            answers: json!({"location": "inner", "onset": "gradual", "duration_days": 25, "worse_with": ["stairs"], "tender_spot": "below-joint-line-inner", "age": 51, "weekly_km": 25}),
            pain_rule: "default",
            during_max: 3,
            entry: "",
            first_session: "Easy run 5.0 km",
            week4: "22.1 km",
        },
    ]
}

/// Per cause: the pain rule, the entry checks, the first session and the
/// volume of week 4, as a physiotherapist reviewed them.
#[test]
fn each_cause_gets_its_pain_rule_entry_checks_start_and_week_4() {
    let mut seen = Vec::new();
    for row in rows() {
        let p = plan_json(&row.answers);
        let first = p["sessions"][0]["session"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let entry = p["entry_checks"][0].as_str().unwrap_or("").to_owned();
        seen.push(format!(
            "{}: rule={} max={} entry={:?} first={:?} week4={:?} cause={}",
            row.name,
            p["pain_rule"]["id"],
            p["pain_rule"]["during_max"],
            entry,
            first,
            week4(&p),
            p["cause"]["id"]
        ));
        if std::env::var_os("PRINT_PLAN_TABLE").is_some() {
            continue;
        }
        assert_eq!(p["available"], true, "{}: {p}", row.name);
        assert_eq!(p["pain_rule"]["id"], row.pain_rule, "{}", row.name);
        assert_eq!(p["pain_rule"]["during_max"], row.during_max, "{}", row.name);
        assert!(
            entry.starts_with(row.entry) && (row.entry.is_empty() == entry.is_empty()),
            "{}: {entry:?}",
            row.name
        );
        assert_eq!(first, row.first_session, "{}", row.name);
        assert_eq!(week4(&p), row.week4, "{}", row.name);
    }
    if std::env::var_os("PRINT_PLAN_TABLE").is_some() {
        panic!("{}", seen.join("\n"));
    }
}

/// Every refusal: exit 0, no sessions, the reason and what to do first.
#[test]
fn refusals_give_the_reason_and_what_to_do_first() {
    let limp = json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"], "pain_level": 3, "age": 30, "limp": true});
    let hip = json!({"location": "front", "onset": "gradual", "hip_or_thigh_pain": true, "limp": true, "mileage_increase_pct": 40, "bone_stress_risk": true, "age": 28, "duration_days": 10, "pain_level": 5});
    let hip_no_limp = json!({"location": "front", "onset": "gradual", "hip_or_thigh_pain": true, "mileage_increase_pct": 40, "age": 28, "duration_days": 10, "pain_level": 3});
    let bone =
        json!({"location": "below-kneecap", "onset": "gradual", "pain_hopping": true, "age": 24});
    let acl = json!({"location": "diffuse", "onset": "sudden", "mechanism": "twist", "heard_pop": true, "swelling": "mild", "swelling_onset": "rapid", "giving_way": false, "duration_days": 20, "pain_level": 2, "age": 24});
    let urgent = json!({"location": "front", "onset": "gradual", "locking": true, "fever": true});
    let emergency = json!({"location": "front", "onset": "sudden", "deformity": true});
    for (name, answers, because) in [
        ("limp", &limp, "limp"),
        ("hip pattern", &hip, "hip"),
        ("hip pattern without a limp", &hip_no_limp, "hip"),
        ("suspected bone stress", &bone, "Bone stress injury"),
        ("ACL not cleared", &acl, "ACL tear"),
        ("urgent", &urgent, "triage level urgent"),
        ("emergency", &emergency, "triage level emergency"),
    ] {
        let p = plan_json(answers);
        assert_eq!(p["available"], false, "{name}: {p}");
        assert_eq!(p["sessions"], json!([]), "{name}");
        assert!(!p["first"].as_array().unwrap().is_empty(), "{name}");
        let reasons: Vec<&str> = p["no_plan"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["because"].as_str().unwrap())
            .collect();
        assert!(
            reasons.iter().any(|r| r.starts_with(because)),
            "{name}: {reasons:?}"
        );
        let out = plan(answers, &[]);
        assert!(out.status.success(), "{name}: exit 0");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("No self-directed plan") && text.contains("What to do first"),
            "{name}: {text}"
        );
        // Where a clearance would give a plan, the refusal says how.
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words.contains("cleared_to_run = true"),
            !["urgent", "emergency"].contains(&name),
            "{name}: {text}"
        );
    }
    // A clearance lifts what an examination answers, never an emergency
    // or a fever.
    for (name, answers, lifted) in [
        ("limp", &limp, true),
        ("hip pattern", &hip, true),
        ("suspected bone stress", &bone, true),
        ("ACL", &acl, true),
        ("urgent with a fever", &urgent, false),
        ("emergency", &emergency, false),
    ] {
        let mut cleared = answers.clone();
        cleared["cleared_to_run"] = json!(true);
        let p = plan_json(&cleared);
        assert_eq!(p["available"], lifted, "{name} cleared: {p}");
        if lifted {
            assert_eq!(p["start_level"], "walk-30", "{name}: from walking");
            assert!(
                p["notes"][0]
                    .as_str()
                    .unwrap()
                    .contains("follow your clinician's plan where it differs"),
                "{name}: {}",
                p["notes"]
            );
        }
    }
}

/// Cleared, but limping: the entry check "walk without a limp" fails, so
/// the plan is the walking and strength weeks only, and says why.
#[test]
fn a_failed_entry_check_gives_the_walking_weeks_only() {
    let answers = json!({"location": "inner", "onset": "sudden", "mechanism": "blow-to-outer-knee", "tender_spot": "inner-ligament", "pain_level": 3, "age": 30, "limp": true, "cleared_to_run": true, "weekly_km": 30});
    let p = plan_json(&answers);
    assert_eq!(p["available"], true, "{p}");
    assert_eq!(p["entry_checks_failed"], json!(["walk without a limp"]));
    let sessions = p["sessions"].as_array().unwrap();
    assert!(!sessions.is_empty());
    assert!(
        sessions.iter().all(|s| s["level"] == "walk-30"),
        "{sessions:?}"
    );
    assert!(sessions.iter().all(|s| s["week"].as_u64().unwrap() <= 2));
    assert!(
        p["entry_text"]
            .as_str()
            .unwrap()
            .contains("walk without a limp"),
        "{p}"
    );
}

/// `--days`: runs on the named days only, the week's longest on its last
/// run day, and the easy note on every session until back at the
/// previous week.
#[test]
fn runs_fall_on_the_runners_days_with_the_longest_last() {
    let answers = json!({"location": "outer", "onset": "gradual", "worse_with": ["running-distance"], "tender_spot": "outer-femur", "pain_level": 3, "weekly_km": 40, "mileage_increase_pct": 60});
    let out = plan(&answers, &["--format", "json", "--days", "tue,thu,sun"]);
    assert!(out.status.success());
    let p: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["days"], json!(["Tue", "Thu", "Sun"]));
    let sessions = p["sessions"].as_array().unwrap();
    let last_week = sessions.last().unwrap()["week"].as_u64().unwrap();
    for week in 1..=last_week {
        let runs: Vec<&Value> = sessions.iter().filter(|s| s["week"] == week).collect();
        assert_eq!(
            runs.iter()
                .map(|s| s["day"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["Tue", "Thu", "Sun"],
            "week {week}"
        );
        let longest = runs
            .iter()
            .filter_map(|s| s["km"].as_f64())
            .fold(0.0, f64::max);
        assert_eq!(
            runs.last().unwrap()["km"].as_f64(),
            Some(longest),
            "week {week}"
        );
        let total: f64 = runs.iter().filter_map(|s| s["km"].as_f64()).sum();
        let note = runs[0]["note"].as_str();
        assert_eq!(
            note.is_some(),
            total + 0.05 < 40.0,
            "week {week}: {total} km, note {note:?}"
        );
    }
    assert_eq!(
        sessions[0]["note"],
        "flat ground, easy pace, no hills or speed work until back to your previous week"
    );
    let bad = plan(&answers, &["--days", "mon,funday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("\"funday\" is not a day of the week"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

/// `--units mi`: miles in the table, Markdown, CSV and calendar; JSON
/// stays in kilometres.
#[test]
fn miles_in_every_printed_format_and_kilometres_in_json() {
    let answers = json!({"location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"], "tender_spot": "kneecap-edge", "pain_level": 3, "duration_days": 14, "age": 30, "weekly_km": 30});
    let json_mi = plan(&answers, &["--units", "mi", "--format", "json"]);
    let p: Value = serde_json::from_slice(&json_mi.stdout).unwrap();
    assert_eq!(p["sessions"][0]["km"], 9.0, "JSON in km");
    for format in ["human", "markdown", "csv", "ics"] {
        let out = plan(&answers, &["--units", "mi", "--format", format]);
        assert!(out.status.success(), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Easy run 5.6 mi"), "{format}: {text}");
        assert!(!text.contains(" km"), "{format}: {text}");
    }
    let csv = plan(&answers, &["--units", "mi", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    assert_eq!(&reader.headers().unwrap()[6], "mi");
}

/// The calendar read back by a real parser: the entry checks are in the
/// first event, and only there.
#[test]
fn the_calendar_has_the_entry_checks_in_its_first_event() {
    let answers = json!({"location": "inner", "onset": "gradual", "bone_stress_risk": true, "pain_level": 1, "weekly_km": 20, "cleared_to_run": true});
    let out = plan(&answers, &["--format", "ics"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let descriptions: Vec<String> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|e| {
            e.properties
                .iter()
                .find(|p| p.name.as_str() == "DESCRIPTION")
                .expect("description")
                .val
                .as_str()
                .replace("\\,", ",")
                .replace("\\;", ";")
                .replace("\\n", "\n")
        })
        .collect();
    assert!(descriptions.len() > 10);
    for check in [
        "walk briskly for 30 minutes with no pain at all",
        "hop 10 times on the sore leg with no pain",
        "press along the bone where it hurt",
    ] {
        assert!(descriptions[0].contains(check), "{}", descriptions[0]);
        assert!(!descriptions[1].contains(check), "{}", descriptions[1]);
    }
    assert!(descriptions[0].contains("no pain at the bone (0/10)"));
}

/// `plan --help` explains every pain rule in plain words.
#[test]
fn plan_help_explains_each_pain_rule() {
    let out = knee_triage()
        .args(["plan", "--help"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "Bone rule (stress fracture, or a raised risk of one): no pain at the bone (0/10) during, after or the next morning",
        "Children's rule (under 16): pain at most 2/10 during, gone by the next morning, and no limp",
        "Soreness rule (runner's knee, IT band): pain at most 2/10 during",
        "Pain-monitoring model (tendon pain): pain at most 5/10 during, settled by the next morning, and not rising from week to week",
        "Joint and soft-tissue rule: pain at most 3/10 during",
        "--days",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
}

/// Without `--start` the plan starts today, which `KNEE_TRIAGE_TODAY`
/// sets for a repeatable run.
#[test]
fn without_a_start_the_plan_starts_today() {
    let out = knee_triage()
        .args(["plan", "--answers", "-", "--format", "json"])
        .env("KNEE_TRIAGE_TODAY", "2027-03-03")
        .write_stdin(
            json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"], "weekly_km": 20})
                .to_string(),
        )
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(plan["start"], "2027-03-03", "{plan}");
    assert_eq!(plan["sessions"][0]["date"], "2027-03-03", "{plan}");
}
