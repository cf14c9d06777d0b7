//! Advice that could harm the runner it is given to (the second clinical
//! review, issue 18): each removal checked on the human report a runner
//! reads (every advice item, `--all`), with the case where the same advice
//! is still right, so that each test can fail.

use crate::knee_triage;

/// The whole human report, every advice item, at 100 columns.
fn report(answers: &serde_json::Value) -> String {
    let out = knee_triage()
        .args([
            "assess",
            "--answers",
            "-",
            "--all",
            "--no-pager",
            "--color",
            "never",
            "--width",
            "100",
        ])
        .write_stdin(answers.to_string())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "assess failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One line per paragraph, so a phrase is found across a wrap.
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every advice item of the report in full (`--json`): the human report
/// shows the items to do first by their first sentence only, so what it
/// must never say is checked here too.
fn advice(answers: &serde_json::Value) -> String {
    crate::assess_json(answers)["advice"]
        .as_array()
        .expect("advice")
        .iter()
        .map(|a| format!("{} {}", a["title"], a["text"]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Neither the human report nor any advice item says it.
fn never_says(answers: &serde_json::Value, phrase: &str) {
    let (text, items) = (report(answers), advice(answers));
    assert!(!text.contains(phrase), "{phrase}: {text}");
    assert!(!items.contains(phrase), "{phrase}: {items}");
}

/// The part a runner sees before "More advice" (or the "About" that
/// follows an urgent first screen).
fn first_screen(answers: &serde_json::Value) -> String {
    let text = report(answers);
    let end = ["About: ", "More advice"]
        .iter()
        .filter_map(|m| text.find(m))
        .min()
        .unwrap_or(text.len());
    text[..end].to_owned()
}

fn mcl_sprain(days: u32) -> serde_json::Value {
    serde_json::json!({
        "location": "inner", "onset": "sudden", "mechanism": "blow-to-outer-knee",
        "tender_spot": "inner-ligament", "swelling": "mild", "swelling_onset": "delayed",
        "tight_muscles": true, "pain_level": 4, "duration_days": days, "age": 30
    })
}

const BUTTERFLY: &str = "Sit with the soles of your feet together and let your knees drop outward";

#[test]
fn no_butterfly_stretch_for_a_likely_mcl_sprain_ten_days_old() {
    let text = report(&mcl_sprain(10));
    assert!(text.contains("MCL sprain"), "{text}");
    never_says(&mcl_sprain(10), BUTTERFLY);
    never_says(&mcl_sprain(10), "Inner-thigh (adductor) stretch");
    // Six weeks on, the stretch is back: the gate is time, not the word.
    let later = report(&mcl_sprain(50));
    assert!(later.contains(BUTTERFLY), "{later}");
}

fn twisted(days: u32, pain: u32) -> serde_json::Value {
    serde_json::json!({
        "location": "inner", "onset": "sudden", "mechanism": "twist", "pain_level": pain,
        "duration_days": days, "age": 30, "swelling": "mild", "swelling_onset": "delayed"
    })
}

#[test]
fn no_anti_inflammatories_in_the_first_three_days_after_an_injury() {
    let text = report(&twisted(1, 8));
    assert!(text.contains("take paracetamol"), "{text}");
    assert!(
        text.contains("Leave anti-inflammatory tablets and gels"),
        "{text}"
    );
    assert!(
        !text.contains("Anti-inflammatory tablets such as ibuprofen or naproxen can ease pain"),
        "{text}"
    );
    never_says(
        &twisted(1, 8),
        "Anti-inflammatory tablets such as ibuprofen or naproxen can ease pain",
    );
    never_says(&twisted(1, 8), "anti-inflammatories only after checking");
    // Ten days on, the check-first item is back, led by paracetamol.
    let later = report(&twisted(10, 7));
    assert!(
        later.contains("Paracetamol, at the dose on the pack, is the first painkiller to try"),
        "{later}"
    );
}

#[test]
fn ice_is_optional_and_only_in_the_first_days_after_an_injury() {
    let text = report(&twisted(1, 5));
    assert!(text.contains("Ice is optional"), "{text}");
    assert!(text.contains("10 to 15 minutes"), "{text}");
    for rice in [
        "every two to three hours",
        "48 to 72 hours",
        "15 to 20 minutes",
    ] {
        never_says(&twisted(1, 5), rice);
    }
    // No ice for an overuse ache, nor weeks after the injury.
    let ache = report(&serde_json::json!({
        "location": "front", "onset": "gradual", "duration_days": 5, "pain_level": 2,
        "trend": "better", "age": 30, "worse_with": ["stairs"]
    }));
    assert!(!ache.contains("ice pack"), "{ache}");
    never_says(&twisted(45, 3), "ice pack");
}

#[test]
fn a_torn_tendon_is_kept_straight_without_a_contradiction() {
    let torn = serde_json::json!({
        "location": "front", "onset": "sudden", "mechanism": "none",
        "cannot_straight_leg_raise": true, "age": 62, "heard_pop": true, "swelling": "mild"
    });
    let text = report(&torn);
    assert!(text.starts_with("EMERGENCY"), "{text}");
    assert!(
        text.contains("Keep your weight off the leg and the knee straight"),
        "{text}"
    );
    never_says(&torn, "whatever position hurts least");
    never_says(&torn, "never try to force it straight");
    // A fall without the torn tendon still gets the position advice.
    let fall = advice(&serde_json::json!({
        "location": "front", "onset": "sudden", "mechanism": "fall-onto-knee",
        "cannot_bear_weight": true
    }));
    assert!(fall.contains("whatever position hurts least"), "{fall}");
}

#[test]
fn urgent_advice_fits_its_reason() {
    // A limping teenager with thigh pain: no weight on the leg, no ice.
    let child = serde_json::json!({
        "location": "front", "onset": "gradual", "limp": true, "hip_or_thigh_pain": true,
        "age": 14, "duration_days": 21
    });
    let hip = report(&child);
    assert!(
        hip.starts_with("URGENT") || hip.starts_with("EMERGENCY"),
        "{hip}"
    );
    assert!(hip.contains("Put no weight on that leg"), "{hip}");
    assert!(hip.contains("use crutches"), "{hip}");
    never_says(&child, "Ice the knee");
    never_says(&child, "ice pack");
    // A likely bone stress injury: no running, no ice, and eat enough.
    let stress = serde_json::json!({
        "location": "inner", "onset": "gradual", "pain_hopping": true,
        "mileage_increase_pct": 50, "tender_spot": "below-joint-line-inner",
        "bone_stress_risk": true, "age": 17, "rest_days": 0, "duration_days": 10, "pain_level": 5
    });
    let bone = report(&stress);
    assert!(bone.starts_with("URGENT"), "{bone}");
    assert!(bone.contains("Eat enough for your training"), "{bone}");
    let items = advice(&stress);
    assert!(items.contains("Stop running and jumping now"), "{items}");
    assert!(items.contains("Ice is not needed"), "{items}");
    never_says(&stress, "Ice the knee");
}

#[test]
fn heel_slides_after_a_ligament_or_cartilage_injury_not_a_probable_acl_tear() {
    let text = report(&mcl_sprain(3));
    assert!(
        text.contains("Slide your heel toward your bottom and back"),
        "{text}"
    );
    let pivot = serde_json::json!({
        "location": "diffuse", "onset": "sudden", "mechanism": "twist", "heard_pop": true,
        "duration_days": 1, "age": 25
    });
    assert!(report(&pivot).contains("ACL tear"));
    never_says(&pivot, "Slide your heel toward your bottom");
}

fn jumper(age: u32) -> serde_json::Value {
    serde_json::json!({
        "location": "below-kneecap", "onset": "gradual", "tender_spot": "patellar-tendon",
        "worse_with": ["jumping", "kneeling"], "age": age, "duration_days": 30, "pain_level": 4
    })
}

#[test]
fn children_get_no_adult_tendon_programme_and_no_osgood_schlatter_without_its_bump() {
    let child = report(&jumper(15));
    assert!(child.contains("Patellar tendinopathy"), "{child}");
    never_says(&jumper(15), "heavy, slow");
    let adult = report(&jumper(24));
    assert!(adult.contains("heavy, slow"), "{adult}");

    let no_bump = report(&serde_json::json!({
        "location": "front", "onset": "gradual", "age": 13, "worse_with": ["stairs"],
        "duration_days": 10, "pain_level": 3
    }));
    assert!(!no_bump.contains("Osgood-Schlatter"), "{no_bump}");
    let bump = report(&serde_json::json!({
        "location": "below-kneecap", "onset": "gradual", "age": 13,
        "tender_spot": "tibial-tuberosity", "worse_with": ["jumping", "kneeling"],
        "duration_days": 60, "pain_level": 4
    }));
    assert!(bump.contains("Osgood-Schlatter"), "{bump}");
}

#[test]
fn the_first_screen_says_what_the_top_condition_is_and_how_long_it_takes() {
    let runners_knee = first_screen(&serde_json::json!({
        "location": "front", "onset": "gradual", "worse_with": ["stairs", "squatting"],
        "tender_spot": "kneecap-edge", "age": 29, "duration_days": 14
    }));
    assert!(
        runners_knee.contains("The kneecap glides in a groove"),
        "{runners_knee}"
    );
    assert!(
        runners_knee.contains("How long: Most runners improve over 6 to 12 weeks"),
        "{runners_knee}"
    );
    let osgood = first_screen(&serde_json::json!({
        "location": "below-kneecap", "onset": "gradual", "age": 12,
        "tender_spot": "tibial-tuberosity", "worse_with": ["jumping", "squatting"],
        "duration_days": 30
    }));
    assert!(osgood.contains("How long:"), "{osgood}");
    assert!(osgood.contains("1 to 2 years"), "{osgood}");
    // Urgent: getting seen fills the first screen; the explanation follows.
    let acl = report(&serde_json::json!({
        "location": "diffuse", "onset": "sudden", "mechanism": "twist", "heard_pop": true,
        "swelling": "marked", "swelling_onset": "rapid", "giving_way": true,
        "duration_days": 1, "age": 27
    }));
    let about = acl.find("About: ACL tear").expect("an About section");
    assert!(
        about < acl.find("More advice").expect("more advice"),
        "{acl}"
    );
    assert!(acl[about..].contains("How long: Running returns"), "{acl}");
}

#[test]
fn the_markdown_report_says_how_long_too() {
    let out = knee_triage()
        .args([
            "assess",
            "--location",
            "outer",
            "--onset",
            "gradual",
            "--worse-with",
            "running-distance,downhill",
            "--tender-spot",
            "outer-femur",
            "--format",
            "markdown",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("**How long:** It usually settles over 4 to 8 weeks"),
        "{text}"
    );
}
