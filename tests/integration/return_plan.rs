//! `plan` (the return-to-running plan, issue 13): one reviewed plan per condition, the calendar and CSV files read
//! back by real parsers, and no plan at urgent or emergency.

use serde_json::{Value, json};

use crate::{knee_triage, plan, plan_json};

/// The first golden case of each condition in the shipped pack, with a
/// previous weekly distance so the plan runs to its end.
fn one_case_per_condition() -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cases/conditions.toml"),
    )
    .expect("golden cases");
    let table: toml::Table = toml::from_str(&text).expect("toml");
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for case in table["case"].as_array().expect("cases") {
        let Some(top) = case.get("top").and_then(|t| t.as_str()).map(str::to_owned) else {
            continue;
        };
        if seen.contains(&top) {
            continue;
        }
        seen.push(top.clone());
        let mut answers = serde_json::to_value(&case["answers"]).expect("json");
        answers["weekly_km"] = json!(20);
        out.push((top, answers));
    }
    out
}

#[test]
fn one_reviewed_plan_per_condition() {
    let cases = one_case_per_condition();
    assert!(cases.len() >= 8, "{cases:?}");
    for (cause, answers) in cases {
        let out = plan(&answers, &["--format", "markdown"]);
        assert!(out.status.success(), "{cause}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        insta::assert_snapshot!(format!("plan_{cause}"), text);
    }
}

#[test]
fn sessions_follow_the_pack_rules() {
    let answers =
        json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"], "weekly_km": 40});
    let plan = plan_json(&answers);
    assert_eq!(plan["available"], true);
    assert_eq!(plan["pain_rule"]["during_max"], 2, "runner's knee: 2/10");
    let sessions = plan["sessions"].as_array().expect("sessions");
    // Three days a week, evenly spaced from a Monday start: Monday,
    // Wednesday, Friday, never two days running.
    let dates: Vec<chrono::NaiveDate> = sessions
        .iter()
        .map(|s| s["date"].as_str().expect("date").parse().expect("iso"))
        .collect();
    assert_eq!(dates[0].to_string(), "2027-01-04");
    assert!(dates.windows(2).all(|w| (w[1] - w[0]).num_days() >= 2));
    assert!(
        sessions
            .iter()
            .all(|s| ["Mon", "Wed", "Fri"].contains(&s["day"].as_str().unwrap())),
        "{sessions:?}"
    );
    // Rebuilding: weeks grow by at most 10 %, the week's longest run by at
    // most 10 % over the week before's (once a week, not run by run), and
    // it ends at 40 km a week.
    let km = |s: &Value| s["km"].as_f64();
    let mut weeks: std::collections::BTreeMap<u64, f64> = Default::default();
    for s in sessions.iter().filter(|s| s["level"] == "rebuild") {
        *weeks.entry(s["week"].as_u64().expect("week")).or_default() += km(s).expect("km");
    }
    let totals: Vec<f64> = weeks.values().copied().collect();
    assert!(totals.len() > 3, "{totals:?}");
    assert!(
        totals.windows(2).all(|w| w[1] <= w[0] * 1.1 + 1e-9),
        "{totals:?}"
    );
    assert!(*totals.last().expect("last") >= 39.0, "{totals:?}");
    let mut longest: std::collections::BTreeMap<u64, f64> = Default::default();
    for s in sessions.iter().filter(|s| s["level"] == "rebuild") {
        let l = longest
            .entry(s["week"].as_u64().expect("week"))
            .or_default();
        *l = l.max(km(s).expect("km"));
    }
    let longest: Vec<f64> = longest.values().copied().collect();
    assert!(
        longest.windows(2).all(|w| w[1] <= w[0] * 1.1 + 1e-9),
        "{longest:?}"
    );
    // Tendon pain: the pain-monitoring model.
    let tendon = plan_json(
        &json!({"location": "below-kneecap", "onset": "gradual", "tender_spot": "patellar-tendon", "worse_with": ["jumping"]}),
    );
    assert_eq!(tendon["pain_rule"]["during_max"], 5, "{tendon}");
}

#[test]
fn the_calendar_file_reads_back_with_every_session_on_its_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.ics");
    let answers = json!({"location": "outer", "onset": "gradual", "worse_with": ["running-distance"], "weekly_km": 25});
    let out = plan(&answers, &["--format", "ics", "-o", path.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "the calendar went to the file");
    let sessions = plan_json(&answers)["sessions"]
        .as_array()
        .cloned()
        .expect("sessions");

    let text = std::fs::read_to_string(&path).expect("written");
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), sessions.len());
    let mut uids = std::collections::HashSet::new();
    for (event, session) in events.iter().zip(&sessions) {
        let prop = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name.as_str() == name)
                .unwrap_or_else(|| panic!("{name} in {event:?}"))
        };
        let date = session["date"].as_str().unwrap().replace('-', "");
        let start = prop("DTSTART");
        assert_eq!(start.val.as_str(), date, "all-day on the local date");
        assert!(start.params.iter().any(
            |p| p.key.as_str() == "VALUE" && p.val.as_ref().map(|v| v.as_str()) == Some("DATE")
        ));
        let description = prop("DESCRIPTION")
            .val
            .as_str()
            .replace("\\,", ",")
            .replace("\\n", "\n");
        assert!(
            description.contains(session["session"].as_str().unwrap()),
            "{description}"
        );
        assert!(
            description.contains(session["pain_rule"].as_str().unwrap()),
            "{description}"
        );
        assert!(
            uids.insert(prop("UID").val.as_str().to_owned()),
            "unique UIDs"
        );
    }
}

#[test]
fn the_csv_file_reads_back() {
    let answers = json!({"location": "front", "onset": "gradual", "weekly_km": 30});
    let out = plan(&answers, &["--format", "csv"]);
    assert!(out.status.success());
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "week",
            "date",
            "day",
            "level",
            "session",
            "minutes",
            "km",
            "pain_rule",
            "note"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let sessions = plan_json(&answers)["sessions"]
        .as_array()
        .cloned()
        .expect("sessions");
    assert_eq!(rows.len(), sessions.len());
    for (row, s) in rows.iter().zip(&sessions) {
        assert_eq!(&row[1], s["date"].as_str().unwrap());
        assert_eq!(&row[4], s["session"].as_str().unwrap());
        assert_eq!(
            row[5].parse::<u64>().unwrap(),
            s["minutes"].as_u64().unwrap()
        );
    }
}

#[test]
fn no_plan_at_urgent_or_emergency_only_what_to_do_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (answers, level) in [
        (json!({"location": "inner", "locking": true}), "urgent"),
        (
            json!({"location": "front", "onset": "sudden", "mechanism": "fall-onto-knee", "cannot_bear_weight": true}),
            "emergency",
        ),
    ] {
        let p = plan_json(&answers);
        assert_eq!(p["level"], level, "{p}");
        assert_eq!(p["available"], false);
        assert_eq!(p["sessions"], json!([]));
        assert!(!p["first"].as_array().unwrap().is_empty());
        let human = plan_human(&answers);
        assert!(human.contains("No self-directed plan"), "{human}");
        assert!(human.contains("What to do first"), "{human}");
        let path = dir.path().join(format!("{level}.ics"));
        let out = plan(&answers, &["--format", "ics", "-o", path.to_str().unwrap()]);
        assert!(out.status.success());
        assert!(!path.exists(), "no calendar of no sessions");
    }
    // A probable ACL tear at the see-professional level: still no plan.
    let acl = plan_json(
        &json!({"location": "diffuse", "onset": "sudden", "mechanism": "twist", "heard_pop": true, "swelling": "marked", "swelling_onset": "rapid", "giving_way": true}),
    );
    assert_eq!(acl["available"], false, "{acl}");
}

fn plan_human(answers: &Value) -> String {
    let out = plan(answers, &[]);
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn content_check_names_a_plan_problem_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_pack(dir.path());
    let plan = dir.path().join("plan.toml");
    let text = std::fs::read_to_string(&plan).expect("plan.toml");
    std::fs::write(
        &plan,
        text.replace("causes = [\"pfps\", \"itbs\"]", "causes = [\"pfps\"]"),
    )
    .expect("write");
    let out = knee_triage()
        .args(["content", "check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("plan.toml:") && text.contains("condition \"itbs\" is neither covered"),
        "{text}"
    );
}

#[test]
fn a_training_log_sets_the_distance_to_rebuild_to_and_a_flag_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("activities.csv");
    let mut text = String::from(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed\n",
    );
    // Five weeks of three 7-km runs, ending this week (an older log would
    // be stale and set nothing but shoe_km).
    let first = chrono::Utc::now().date_naive() - chrono::Duration::days(37);
    for (i, day) in (1..=35).step_by(2).enumerate().take(18) {
        let date = first + chrono::Duration::days(day);
        text.push_str(&format!(
            "{},\"{}, 8:00:00 AM\",Run,Run,,2400,7.00,,,false,,Shoes,,,,2400.0,2300.0,7000.0,\n",
            100 + i,
            date.format("%b %-d, %Y")
        ));
    }
    std::fs::write(&csv, text).expect("write");
    let expected = {
        let out = knee_triage()
            .args(["training", "--json"])
            .arg(&csv)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        v["answers"]["weekly_km"]
            .as_f64()
            .expect("weekly_km from the log")
    };
    let answers = json!({"location": "front", "onset": "gradual"});
    let out = plan(
        &answers,
        &["--format", "json", "--training", csv.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(p["target_weekly_km"].as_f64(), Some(expected), "{p}");
    let out = plan(
        &answers,
        &[
            "--format",
            "json",
            "--training",
            csv.to_str().unwrap(),
            "--weekly-km",
            "12",
        ],
    );
    let p: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(p["target_weekly_km"], 12.0, "the flag wins over the log");
}

/// One answer to "may I run?": over every golden case, a plan exists only
/// where the report's next steps allow it, and then agrees with them.
#[test]
fn the_plan_agrees_with_the_reports_next_steps() {
    use knee_triage::answers::Answers;
    use knee_triage::model::{Level, Running};
    let pack = knee_triage::content::embedded().expect("pack");
    let plan_pack = knee_triage::plan::load(pack, None).expect("plan.toml");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cases");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("cases") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        let table: toml::Table = toml::from_str(&text).expect("toml");
        for case in table["case"].as_array().expect("cases") {
            let json = serde_json::to_value(&case["answers"]).expect("json");
            let answers = Answers::from_json(pack, &json).expect("answers");
            let report = knee_triage::report::Report::new(pack, &answers);
            let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
            let plan = knee_triage::plan::schedule::build(pack, &plan_pack, &answers, start);
            let id = case["id"].as_str().unwrap_or("?");
            if matches!(report.triage.level, Level::Urgent | Level::Emergency) {
                assert!(!plan.available, "{id}: no plan at {}", report.triage.level);
            }
            if !plan.available {
                assert!(plan.sessions.is_empty() && !plan.first.is_empty(), "{id}");
                continue;
            }
            match report.next_steps.running {
                // Stopped only for a reason the entry level answers: it
                // starts with walking.
                Running::Stop => assert_eq!(
                    plan.sessions[0].level, plan_pack.levels[0].id,
                    "{id}: the report says stop, the plan starts with running"
                ),
                Running::Continue => assert!(
                    plan_pack
                        .levels
                        .iter()
                        .find(|l| l.id == plan.sessions[0].level)
                        .is_some_and(|l| l.running_minutes() > 0),
                    "{id}: the report says keep running, the plan starts with walking"
                ),
                Running::Reduce => {}
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} plans checked");
}
