//! The v2 warning signs as a user meets them (issue 9): the presentations
//! the first pack under-triaged, the public vignettes, and the conditions
//! outside the knee in the JSON, human and Markdown reports.

use serde_json::{Value as Json, json};

use crate::{assess_json, knee_triage};

/// The contract's ids of the conditions outside the knee.
const OUTSIDE: [&str; 7] = [
    "hip",
    "back",
    "blood-clot",
    "artery-or-compartment",
    "infection",
    "inflammatory-arthritis",
    "bone-tumour",
];

fn level_of(args: &[&str]) -> String {
    let mut all = vec!["assess", "--json"];
    all.extend_from_slice(args);
    let out = knee_triage().args(&all).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Json = serde_json::from_slice(&out.stdout).expect("JSON");
    report["triage"]["level"]
        .as_str()
        .expect("level")
        .to_owned()
}

/// Each row of the table in issue 9, as a command and the level it must
/// give.
#[test]
fn the_under_triaged_presentations_get_their_level() {
    let rows: &[(&str, &str)] = &[
        (
            "--location diffuse --onset gradual --red-hot --swelling marked",
            "emergency",
        ),
        (
            "--location diffuse --onset gradual --fever --cannot-bear-weight",
            "emergency",
        ),
        (
            "--location diffuse --onset gradual --fever --night-pain --age 11",
            "emergency",
        ),
        (
            "--location front --onset gradual --age 13 --cannot-bear-weight",
            "emergency",
        ),
        (
            "--location diffuse --onset gradual --age 15 --night-pain",
            "urgent",
        ),
        (
            "--location inner --onset gradual --pain-hopping --mileage-increase-pct 50 \
             --tender-spot below-joint-line-inner --age 17 --rest-days 0",
            "urgent",
        ),
        (
            "--location diffuse --onset gradual --cannot-bend-90 --age 68 --duration-days 400",
            "see-professional",
        ),
        (
            "--location front --onset gradual --calf-swelling --pain-level 3",
            "emergency",
        ),
    ];
    for (args, want) in rows {
        let args: Vec<&str> = args.split_whitespace().collect();
        assert_eq!(level_of(&args), *want, "{args:?}");
    }
}

/// The Ottawa criteria count after an injury (or when the onset is not
/// known), not for a knee that stiffened gradually.
#[test]
fn ottawa_criteria_count_only_after_an_injury() {
    let cases: &[(&str, &str)] = &[
        (
            "--location diffuse --onset gradual --cannot-bend-90",
            "see-professional",
        ),
        (
            "--location diffuse --onset sudden --cannot-bend-90",
            "urgent",
        ),
        ("--location diffuse --cannot-bend-90", "urgent"),
        ("--location front --onset gradual --age 70", "self-care"),
        (
            "--location front --onset sudden --mechanism twist --age 70",
            "urgent",
        ),
    ];
    for (args, want) in cases {
        let args: Vec<&str> = args.split_whitespace().collect();
        assert_eq!(level_of(&args), *want, "{args:?}");
    }
}

fn level_rank(level: &str) -> usize {
    ["self-care", "see-professional", "urgent", "emergency"]
        .iter()
        .position(|l| *l == level)
        .unwrap_or_else(|| panic!("unknown level {level}"))
}

/// Both public vignette sets through `batch`: every level is one the
/// vignette allows, and none is below the lowest it allows.
#[test]
fn public_vignettes_v1_and_v2_get_an_allowed_level() {
    for file in [
        "tests/fixtures/vignettes-public.jsonl",
        "tests/fixtures/vignettes-public-v2.jsonl",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read_to_string(&path).expect("vignettes");
        let vignettes: Vec<Json> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("vignette line"))
            .collect();
        assert!(vignettes.len() >= 14, "{file}");
        let input: String = vignettes
            .iter()
            .map(|v| format!("{}\n", v["answers"]))
            .collect();
        let out = knee_triage()
            .arg("batch")
            .write_stdin(input)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{file}");
        let reports: Vec<Json> = String::from_utf8(out.stdout)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        assert_eq!(reports.len(), vignettes.len(), "{file}");
        for (v, report) in vignettes.iter().zip(&reports) {
            let level = report["triage"]["level"].as_str().expect("level");
            let ok: Vec<&str> = v["expect"]["triage_ok"]
                .as_array()
                .expect("triage_ok")
                .iter()
                .filter_map(Json::as_str)
                .collect();
            let lowest = ok.iter().map(|l| level_rank(l)).min().expect("a level");
            assert!(
                level_rank(level) >= lowest,
                "{file} {}: under-triaged as {level}, allowed {ok:?}",
                v["id"]
            );
            assert!(
                ok.contains(&level),
                "{file} {}: {level} not in {ok:?}",
                v["id"]
            );
        }
    }
}

fn outside_ids(report: &Json) -> Vec<String> {
    report
        .get("conditions_outside_knee")
        .map(|list| {
            list.as_array()
                .expect("a list")
                .iter()
                .map(|o| o["id"].as_str().expect("id").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `conditions_outside_knee` is present exactly when the answers point
/// away from the knee, with the contract's ids, a name and a reason.
#[test]
fn conditions_outside_the_knee_in_the_json_report() {
    let cases: Vec<(Json, Vec<&str>)> = vec![
        (
            json!({"location": "front", "onset": "gradual", "worse_with": ["stairs"], "age": 30,
                   "hip_or_thigh_pain": false, "back_pain": false, "warm": false}),
            vec![],
        ),
        (
            json!({"location": "back", "onset": "gradual", "back_pain": true,
                   "hip_or_thigh_pain": true, "age": 46}),
            vec!["hip", "back"],
        ),
        (
            json!({"location": "back", "calf_swelling": true, "clot_risk": true}),
            vec!["blood-clot"],
        ),
        (
            json!({"location": "back", "onset": "gradual", "exertional_calf_symptoms": true}),
            vec!["artery-or-compartment"],
        ),
        (
            json!({"location": "diffuse", "swelling": "marked", "swelling_onset": "spontaneous",
                   "warm": true}),
            vec!["infection"],
        ),
        (
            json!({"location": "diffuse", "onset": "gradual", "swelling": "mild",
                   "stiffness_minutes": 90, "other_joints": true}),
            vec!["inflammatory-arthritis"],
        ),
        (
            json!({"location": "diffuse", "onset": "gradual", "night_pain": true, "age": 15}),
            vec!["bone-tumour"],
        ),
        (
            json!({"location": "front", "onset": "gradual", "limp": true, "age": 12}),
            vec!["hip"],
        ),
    ];
    for (answers, want) in cases {
        let report = assess_json(&answers);
        let got = outside_ids(&report);
        assert_eq!(got, want, "{answers}");
        if want.is_empty() {
            assert!(
                report.get("conditions_outside_knee").is_none(),
                "absent when none: {answers}"
            );
        }
        for o in report["conditions_outside_knee"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert!(OUTSIDE.contains(&o["id"].as_str().expect("id")));
            assert!(!o["name"].as_str().expect("name").is_empty());
            assert!(!o["because"].as_str().expect("because").is_empty());
        }
    }
}

/// The pack can point to every one of the contract's ids, and to no other.
#[test]
fn the_pack_knows_exactly_the_contracts_outside_ids() {
    let pack = knee_triage::content::load_from(None).expect("pack");
    let ids: Vec<&str> = pack.outside.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, OUTSIDE);
}

/// The human and Markdown reports say it before the knee causes.
#[test]
fn the_reports_say_first_that_the_answers_point_away_from_the_knee() {
    let args = [
        "assess",
        "--location",
        "front",
        "--onset",
        "gradual",
        "--worse-with",
        "stairs,squatting",
        "--hip-or-thigh-pain",
        "--age",
        "12",
        "--color",
        "never",
    ];
    let out = knee_triage().args(args).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let away = text
        .find("point away from a knee overuse problem")
        .expect("says the answers point away from the knee");
    let hip = text
        .find("A hip problem felt in the knee")
        .expect("names it");
    let causes = text.find("What may be going on").expect("causes heading");
    assert!(away < hip && hip < causes, "{text}");

    let mut md_args = args.to_vec();
    md_args.extend(["--format", "markdown"]);
    md_args.retain(|a| *a != "--color" && *a != "never");
    let out = knee_triage().args(&md_args).output().expect("runs");
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).expect("utf-8");
    let section = md.find("## Beyond the knee").expect("a section");
    let causes = md.find("## What may be going on").expect("causes");
    assert!(section < causes, "{md}");
    assert!(md.contains("A hip problem felt in the knee"), "{md}");

    // Without such answers neither report has the section.
    let out = knee_triage()
        .args([
            "assess",
            "--location",
            "front",
            "--onset",
            "gradual",
            "--color",
            "never",
        ])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains("Beyond the knee"), "{text}");
}
