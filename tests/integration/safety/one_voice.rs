//! One voice per report: the advice and causes of the rows of issue 9's
//! table, as a runner sees them from the command line. The level each row
//! must give is tested with the triage rules; here, whatever the level, the
//! report must not contradict it: no running advice next to "stop running",
//! first aid that fits the emergency, and no reassuring knee cause on top
//! of a warning sign.

use crate::knee_triage;

fn assess(args: &[&str]) -> serde_json::Value {
    let out = knee_triage()
        .arg("assess")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "assess failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn advice_ids(report: &serde_json::Value) -> Vec<String> {
    report["advice"]
        .as_array()
        .expect("advice")
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_owned())
        .collect()
}

fn advice_text(report: &serde_json::Value) -> String {
    report["advice"]
        .as_array()
        .expect("advice")
        .iter()
        .map(|a| format!("{} {}", a["title"], a["text"]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// (id, likelihood) of the conditions reported, most likely first.
fn conditions(report: &serde_json::Value) -> Vec<(String, String)> {
    report["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .filter(|c| c["kind"] == "condition")
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_owned(),
                c["likelihood"].as_str().expect("likelihood").to_owned(),
            )
        })
        .collect()
}

/// Overuse conditions that tell a runner "nothing serious": never `likely`
/// or on top when a warning sign points elsewhere.
const REASSURING: [&str; 5] = [
    "pfps",
    "itbs",
    "patellar-tendinopathy",
    "pes-anserine-bursitis",
    "osgood-schlatter",
];

#[test]
fn suspected_stress_fracture_says_stop_and_nothing_else() {
    let report = assess(&[
        "--location",
        "inner",
        "--onset",
        "gradual",
        "--pain-hopping",
        "--mileage-increase-pct",
        "50",
        "--tender-spot",
        "below-joint-line-inner",
        "--age",
        "17",
        "--rest-days",
        "0",
    ]);
    let ids = advice_ids(&report);
    assert!(ids.contains(&"suspected-bone-stress".to_owned()), "{ids:?}");
    for running in [
        "pain-rule",
        "relative-rest",
        "walk-run-progression",
        "listen-to-your-body",
        "gradual-increase",
        "cross-training",
        "squats",
        "foam-rolling",
    ] {
        assert!(!ids.contains(&running.to_owned()), "{running} in {ids:?}");
    }
    let text = advice_text(&report).to_lowercase();
    assert!(text.contains("stop running"), "{text}");
    assert!(!text.contains("pain rule"), "{text}");
    assert!(!text.contains("cut back your running"), "{text}");
    let conds = conditions(&report);
    assert_eq!(conds.first().map(|c| c.0.as_str()), Some("stress-fracture"));
    for (id, likelihood) in &conds[1..] {
        assert_ne!(
            likelihood, "likely",
            "{id} is likely next to a stress fracture"
        );
    }
}

#[test]
fn calf_emergency_gets_clot_advice_not_fracture_first_aid() {
    let report = assess(&[
        "--location",
        "front",
        "--onset",
        "gradual",
        "--calf-swelling",
        "--pain-level",
        "3",
    ]);
    assert_eq!(report["triage"]["level"], "emergency");
    let ids = advice_ids(&report);
    assert!(ids.contains(&"suspected-blood-clot".to_owned()), "{ids:?}");
    assert!(
        !ids.contains(&"emergency-while-waiting".to_owned()),
        "{ids:?}"
    );
    let text = advice_text(&report).to_lowercase();
    assert!(text.contains("clot"), "{text}");
    assert!(!text.contains("eating and drinking"), "{text}");
    assert!(!text.contains("day or two"), "{text}");
    assert!(
        !ids.contains(&"compression-elevation".to_owned()),
        "{ids:?}"
    );
}

#[test]
fn teenager_who_cannot_walk_gets_no_reassuring_knee_cause() {
    let report = assess(&[
        "--location",
        "front",
        "--onset",
        "gradual",
        "--age",
        "13",
        "--cannot-bear-weight",
    ]);
    let conds = conditions(&report);
    if let Some((top, _)) = conds.first() {
        assert!(
            !REASSURING.contains(&top.as_str()),
            "{top} on top: {conds:?}"
        );
    }
    for (id, likelihood) in &conds {
        assert!(
            !(REASSURING.contains(&id.as_str()) && likelihood == "likely"),
            "{id} likely: {conds:?}"
        );
    }
    let text = advice_text(&report).to_lowercase();
    assert!(!text.contains("pain rule"), "{text}");
    assert!(!text.contains("cut back your running"), "{text}");
}
