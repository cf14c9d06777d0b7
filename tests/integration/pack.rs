//! The shipped content pack: embedded exactly as on disk, true to the
//! contract, and passing its own golden cases.

use std::collections::BTreeSet;
use std::path::Path;

use knee_triage::content::{self, EMBEDDED_CASES, EMBEDDED_FILES};
use knee_triage::model::{Category, CauseKind, Level, QuestionKind};

fn toml_files_under(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read content dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            toml_files_under(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path.strip_prefix(root).expect("under root");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn embedded_table_lists_exactly_the_files_in_content() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut on_disk = Vec::new();
    toml_files_under(&root, &root, &mut on_disk);
    on_disk.sort();
    let mut embedded: Vec<String> = EMBEDDED_FILES
        .iter()
        .chain(EMBEDDED_CASES)
        .map(|(p, _)| (*p).to_owned())
        .collect();
    embedded.sort();
    assert_eq!(
        embedded, on_disk,
        "src/content/embedded.rs must list every .toml under content/"
    );
    for (path, text) in EMBEDDED_FILES.iter().chain(EMBEDDED_CASES) {
        let disk = std::fs::read_to_string(root.join(path)).expect("read");
        assert_eq!(*text, disk, "{path} differs from the embedded copy");
    }
    let pack_files: Vec<&str> = EMBEDDED_FILES.iter().map(|(p, _)| *p).collect();
    let mut sorted = pack_files.clone();
    sorted.sort();
    assert_eq!(
        pack_files, sorted,
        "embedded files are in sorted order, like a pack read from disk"
    );
    assert!(pack_files.iter().all(|p| !p.starts_with("cases/")));
}

/// The contract's answer keys, types and values, exactly.
#[test]
fn questions_match_the_contract() {
    let pack = content::load_from(None).expect("pack");
    let enums: &[(&str, &[&str])] = &[
        (
            "location",
            &[
                "inner",
                "front",
                "below-kneecap",
                "outer",
                "back",
                "diffuse",
            ],
        ),
        ("onset", &["gradual", "sudden"]),
        (
            "mechanism",
            &[
                "twist",
                "blow-to-outer-knee",
                "fall-onto-knee",
                "hyperextension",
                "none",
            ],
        ),
        ("swelling", &["none", "mild", "marked"]),
        (
            "swelling_onset",
            &["rapid", "delayed", "gradual", "spontaneous"],
        ),
        ("clicking", &["none", "painless", "painful"]),
        ("trend", &["better", "same", "worse"]),
        (
            "tender_spot",
            &[
                "joint-line",
                "below-joint-line-inner",
                "inner-ligament",
                "kneecap-edge",
                "patellar-tendon",
                "outer-femur",
                "fibula-head",
                "bone-point",
                "tibial-tuberosity",
                "unknown",
            ],
        ),
        ("surface", &["road", "track", "trail", "treadmill", "mixed"]),
    ];
    let lists: &[(&str, &[&str])] = &[(
        "worse_with",
        &[
            "stairs",
            "squatting",
            "prolonged-sitting",
            "downhill",
            "running-distance",
            "twisting",
            "kneeling",
            "jumping",
            "morning-stiffness",
        ],
    )];
    let bools = [
        "heard_pop",
        "locking",
        "giving_way",
        "cannot_bear_weight",
        "cannot_bend_90",
        "pain_hopping",
        "night_pain",
        "fever",
        "red_hot",
        "numbness",
        "deformity",
        "calf_swelling",
        "previous_injury",
        "bone_stress_risk",
        "feet_roll_in",
        "overstriding",
        "tight_muscles",
        // v2
        "limp",
        "cleared_to_run",
        "hip_or_thigh_pain",
        "back_pain",
        "cannot_straight_leg_raise",
        "kneecap_slipped",
        "warm",
        "infection_risk",
        "recent_infection",
        "clot_risk",
        "weight_loss_or_lump",
        "exertional_calf_symptoms",
        "other_joints",
        // v3
        "cold_or_pale_foot",
        "foot_weakness",
        "saddle_numbness_or_bladder",
        "knee_wound_or_procedure",
        "past_cancer",
    ];
    let ints = [
        "pain_level",
        "age",
        "rest_days",
        "strength_sessions",
        "stiffness_minutes",
    ];
    let numbers = [
        "weekly_km",
        "mileage_increase_pct",
        "shoe_km",
        "long_run_increase_pct",
    ];

    let mut expected = BTreeSet::new();
    for (key, values) in enums.iter().chain(lists) {
        expected.insert(*key);
        let q = &pack.questions[pack
            .question_index(key)
            .unwrap_or_else(|| panic!("{key} missing"))];
        let kind = if lists.iter().any(|(k, _)| k == key) {
            QuestionKind::List
        } else {
            QuestionKind::Enum
        };
        assert_eq!(q.kind, kind, "{key}");
        let got: BTreeSet<&str> = q.option_values().into_iter().collect();
        let want: BTreeSet<&str> = values.iter().copied().collect();
        assert_eq!(got, want, "values of {key}");
    }
    for (keys, kind) in [
        (&bools[..], QuestionKind::Bool),
        (&ints[..], QuestionKind::Int),
        (&numbers[..], QuestionKind::Number),
        (&["duration_days"][..], QuestionKind::Days),
    ] {
        for key in keys {
            expected.insert(key);
            let q = &pack.questions[pack
                .question_index(key)
                .unwrap_or_else(|| panic!("{key} missing"))];
            assert_eq!(q.kind, kind, "{key}");
        }
    }
    let got: BTreeSet<&str> = pack.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(got, expected, "the pack asks exactly the contract's keys");
    let pain = &pack.questions[pack.question_index("pain_level").expect("pain")];
    assert_eq!((pain.min, pain.max), (Some(0.0), Some(10.0)));
    let rest = &pack.questions[pack.question_index("rest_days").expect("rest")];
    assert_eq!((rest.min, rest.max), (Some(0.0), Some(7.0)));
    let required: Vec<&str> = pack
        .questions
        .iter()
        .filter(|q| q.required)
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(required, ["location"]);
}

#[test]
fn causes_match_the_contract() {
    let pack = content::load_from(None).expect("pack");
    let (conditions, factors) = (crate::CONDITIONS, crate::FACTORS);
    let got: BTreeSet<(&str, CauseKind)> = pack
        .causes
        .iter()
        .map(|c| (c.id.as_str(), c.kind))
        .collect();
    let want: BTreeSet<(&str, CauseKind)> = conditions
        .iter()
        .map(|c| (*c, CauseKind::Condition))
        .chain(factors.iter().map(|f| (*f, CauseKind::Factor)))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn every_level_and_advice_category_is_used() {
    let pack = content::load_from(None).expect("pack");
    for level in [Level::Emergency, Level::Urgent, Level::SeeProfessional] {
        assert!(
            pack.triage.iter().any(|t| t.level == level),
            "no triage rule sets {level}"
        );
    }
    for category in Category::ALL {
        assert!(
            pack.advice.iter().any(|a| a.category == category),
            "no advice in {}",
            category.as_str()
        );
    }
}

#[test]
fn golden_cases_pass_and_cover_every_cause_and_triage_rule() {
    let pack = content::load_from(None).expect("pack");
    let results = knee_triage::checks::cases::run(&pack, &content::embedded_case_sources());
    let failures: Vec<String> = results
        .iter()
        .flat_map(|r| r.failures.iter().map(|f| f.to_string()))
        .collect();
    assert!(
        failures.is_empty(),
        "golden cases fail:\n{}",
        failures.join("\n")
    );
    assert!(results.len() >= 40, "only {} golden cases", results.len());

    let exercised: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| r.triage_rules.iter().map(String::as_str))
        .collect();
    for rule in &pack.triage {
        assert!(
            exercised.contains(rule.id.as_str()),
            "no golden case fires triage rule {}",
            rule.id
        );
    }
    let case_text: String = EMBEDDED_CASES.iter().map(|(_, t)| *t).collect();
    for cause in &pack.causes {
        let named = case_text.contains(&format!("top = \"{}\"", cause.id))
            || case_text.contains(&format!("\"{}\"", cause.id));
        assert!(named, "no golden case expects cause {}", cause.id);
    }
}
