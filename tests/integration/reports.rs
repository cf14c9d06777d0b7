//! Reviewed snapshots of the human and JSON reports. A change to wording or
//! layout shows up here as a diff to read, not as a silent change.

use knee_triage::answers::Answers;
use knee_triage::content;
use knee_triage::render::{self, Style};
use knee_triage::report::Report;

fn report(json: &str) -> Report {
    let pack = content::load_from(None).expect("pack");
    let answers = Answers::from_json_str(&pack, json).expect("answers");
    let mut report = Report::new(&pack, &answers);
    // The hash changes with every edit to the pack; it has its own tests.
    assert_eq!(report.pack.hash.len(), 64);
    report.pack.hash = "[sha-256 of the pack's files]".into();
    report
}

fn human(json: &str) -> String {
    render::human(&report(json), Style::plain(100))
}

#[test]
fn runners_knee_self_care() {
    insta::assert_snapshot!(human(
        r#"{"location":"front","onset":"gradual","duration_days":12,"pain_level":3,"worse_with":["stairs","squatting"],"tender_spot":"kneecap-edge","strength_sessions":0,"surface":"road"}"#
    ));
}

#[test]
fn twisted_knee_see_professional() {
    insta::assert_snapshot!(human(
        r#"{"location":"inner","onset":"sudden","mechanism":"twist","swelling":"mild","swelling_onset":"delayed","clicking":"painful","tender_spot":"joint-line","duration_days":3,"age":37}"#
    ));
}

#[test]
fn locked_knee_urgent() {
    insta::assert_snapshot!(human(
        r#"{"location":"inner","onset":"sudden","mechanism":"twist","locking":true,"tender_spot":"joint-line"}"#
    ));
}

#[test]
fn swollen_calf_emergency() {
    insta::assert_snapshot!(human(
        r#"{"location":"back","calf_swelling":true,"pain_level":4}"#
    ));
}

#[test]
fn location_only_no_clear_pattern() {
    insta::assert_snapshot!(human(r#"{"location":"diffuse"}"#));
}

#[test]
fn itbs_json() {
    let r = report(
        r#"{"location":"outer","onset":"gradual","duration_days":10,"worse_with":["running-distance","downhill"],"tender_spot":"outer-femur","overstriding":true,"shoe_km":900}"#,
    );
    insta::assert_json_snapshot!(r);
}

#[test]
fn acl_json() {
    let r = report(
        r#"{"location":"diffuse","onset":"sudden","mechanism":"twist","heard_pop":true,"swelling":"marked","swelling_onset":"rapid","giving_way":true}"#,
    );
    insta::assert_json_snapshot!(r);
}
