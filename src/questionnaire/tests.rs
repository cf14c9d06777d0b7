//! The questionnaire's flow, driven by the scripted asker: no terminal.

use serde_json::{Value as Json, json};

use super::*;
use crate::content;
use crate::model::{Level, Likelihood};

fn pack() -> Pack {
    content::load_from(None).expect("embedded pack")
}

fn answers(pack: &Pack, json: Json) -> Answers {
    Answers::from_json(pack, &json).expect("valid answers")
}

fn q(pack: &Pack, id: &str) -> usize {
    pack.question_index(id).expect("question")
}

/// What must not change when the questionnaire skips a question: the level
/// and every cause with its likelihood.
fn outcome_of(pack: &Pack, answers: &Answers) -> (Level, Vec<(String, Likelihood)>) {
    let report = Report::new(pack, answers);
    let mut causes: Vec<_> = report
        .causes
        .iter()
        .map(|c| (c.id.clone(), c.likelihood))
        .collect();
    causes.sort();
    (report.triage.level, causes)
}

fn run_script(pack: &Pack, script: &Answers) -> (Outcome, ScriptedAsker) {
    let mut asker = ScriptedAsker::new(script.clone());
    let outcome = run(pack, &mut asker).expect("scripted run");
    (outcome, asker)
}

/// The story's answers plus an explicit "no" for every warning sign not
/// mentioned: that is what ticking "None of these" means.
fn with_red_flags_answered(pack: &Pack, script: &Answers) -> Answers {
    let mut full = script.clone();
    for (i, question) in pack.questions.iter().enumerate() {
        if question.section == Section::RedFlags && !full.is_answered(i) {
            full.set(i, Some(Value::Flag(false)));
        }
    }
    full
}

/// Every story (the public vignettes and the pack's golden cases) through
/// the scripted asker: the questionnaire's report must give the same level
/// and the same causes as `assess` on the story's full answers, while
/// asking fewer questions.
#[test]
fn stories_get_the_same_outcome_with_fewer_questions() {
    let pack = pack();
    let mut stories: Vec<(String, Answers)> = Vec::new();
    let vignettes = concat!(
        include_str!("../../tests/fixtures/vignettes-public.jsonl"),
        include_str!("../../tests/fixtures/vignettes-public-v2.jsonl")
    );
    for line in vignettes.lines().filter(|l| !l.trim().is_empty()) {
        let v: Json = serde_json::from_str(line).expect("vignette line");
        let id = v["id"].as_str().expect("id").to_owned();
        stories.push((id, answers(&pack, v["answers"].clone())));
    }
    for source in content::embedded_case_sources() {
        let table: toml::Table = toml::from_str(&source.text).expect("cases parse");
        for case in table["case"].as_array().expect("cases") {
            let json = serde_json::to_value(&case["answers"]).expect("answers");
            let id = case["id"].as_str().expect("id").to_owned();
            stories.push((id, answers(&pack, json)));
        }
    }
    assert!(stories.len() >= 16, "{}", stories.len());

    let mut counts = Vec::new();
    for (id, script) in &stories {
        let (outcome, asker) = run_script(&pack, script);
        let expected = outcome_of(&pack, &with_red_flags_answered(&pack, script));
        assert_eq!(
            outcome_of(&pack, &outcome.answers),
            expected,
            "{id}: asked {:?}",
            asker.log
        );
        // Everything the questionnaire recorded came from the story.
        for (i, _) in pack.questions.iter().enumerate() {
            if let Some(v) = outcome.answers.get(i) {
                let from_story = script.get(i).unwrap_or(Value::Flag(false));
                assert_eq!(v, from_story, "{id}: {}", pack.questions[i].id);
            }
        }
        assert!(!outcome.stopped_early, "{id}");
        assert!(
            outcome.asked < pack.questions.len(),
            "{id}: {}",
            outcome.asked
        );
        counts.push((outcome.asked, id.clone()));
    }
    counts.sort();
    let median = counts[counts.len() / 2].0;
    eprintln!(
        "questions asked over {} stories: min {} ({}), median {median}, max {} ({})",
        counts.len(),
        counts[0].0,
        counts[0].1,
        counts[counts.len() - 1].0,
        counts[counts.len() - 1].1
    );
}

/// The public vignettes alone, as the README quotes them.
#[test]
fn public_vignettes_question_counts() {
    let pack = pack();
    let vignettes = include_str!("../../tests/fixtures/vignettes-public.jsonl");
    let mut counts = Vec::new();
    for line in vignettes.lines().filter(|l| !l.trim().is_empty()) {
        let v: Json = serde_json::from_str(line).expect("vignette line");
        let script = answers(&pack, v["answers"].clone());
        let (outcome, _) = run_script(&pack, &script);
        let report = Report::new(&pack, &outcome.answers);
        let ok: Vec<&str> = v["expect"]["triage_ok"]
            .as_array()
            .expect("triage_ok")
            .iter()
            .filter_map(Json::as_str)
            .collect();
        assert!(
            ok.contains(&report.triage.level.as_str()),
            "{}: {} not in {ok:?}",
            v["id"],
            report.triage.level
        );
        counts.push(outcome.asked);
    }
    counts.sort_unstable();
    eprintln!(
        "public vignettes: {} stories, questions asked min {} median {} max {}: {counts:?}",
        counts.len(),
        counts[0],
        counts[counts.len() / 2],
        counts[counts.len() - 1]
    );
    // Asking everything would be the checklist, every other question and
    // the training offer.
    let red_flags = pack
        .questions
        .iter()
        .filter(|question| question.section == Section::RedFlags)
        .count();
    let everything = 1 + pack.questions.len() - red_flags + 1;
    assert!(
        counts[counts.len() - 1] < everything,
        "{counts:?} vs {everything}"
    );
    assert!(
        counts[counts.len() / 2] + 4 <= everything,
        "{counts:?} vs {everything}"
    );
}

#[test]
fn a_warning_sign_stops_at_once_with_the_emergency_advice() {
    let pack = pack();
    let script = answers(&pack, json!({"location": "back", "calf_swelling": true}));
    let mut asker = ScriptedAsker::new(script);
    asker.continue_after_emergency = false;
    let outcome = run(&pack, &mut asker).expect("runs");
    assert!(outcome.stopped_early);
    assert_eq!(asker.log, ["red-flags", "emergency"]);
    assert_eq!(outcome.asked, 1);
    let report = Report::new(&pack, &outcome.answers);
    assert_eq!(report.triage.level, Level::Emergency);
    assert!(report.advice.iter().any(|a| a.id == "suspected-blood-clot"));
}

#[test]
fn going_on_after_a_warning_sign_gives_the_full_report() {
    let pack = pack();
    let script = answers(
        &pack,
        json!({"location": "inner", "onset": "gradual", "cannot_bear_weight": true}),
    );
    let (outcome, asker) = run_script(&pack, &script);
    assert!(!outcome.stopped_early);
    assert_eq!(&asker.log[..2], ["red-flags", "emergency"]);
    assert!(asker.log.contains(&"location".to_owned()));
    // Gradual onset turns "cannot walk" from emergency into urgent.
    assert_eq!(
        Report::new(&pack, &outcome.answers).triage.level,
        Level::Urgent
    );
}

#[test]
fn mechanism_only_after_a_sudden_onset_and_swelling_timing_only_with_swelling() {
    let pack = pack();
    let gradual = answers(
        &pack,
        json!({"location": "front", "onset": "gradual", "swelling": "none"}),
    );
    let (_, asker) = run_script(&pack, &gradual);
    for id in ["mechanism", "heard_pop", "swelling_onset"] {
        assert!(!asker.log.contains(&id.to_owned()), "{id}: {:?}", asker.log);
    }
    let sudden = answers(
        &pack,
        json!({"location": "inner", "onset": "sudden", "swelling": "mild"}),
    );
    let (_, asker) = run_script(&pack, &sudden);
    for id in ["mechanism", "heard_pop", "swelling_onset"] {
        assert!(asker.log.contains(&id.to_owned()), "{id}: {:?}", asker.log);
    }
}

#[test]
fn training_is_one_group_that_can_be_skipped() {
    let pack = pack();
    let none = answers(&pack, json!({"location": "outer", "onset": "gradual"}));
    let (outcome, asker) = run_script(&pack, &none);
    assert!(asker.log.contains(&"group".to_owned()));
    for (i, question) in pack.questions.iter().enumerate() {
        if question.section == Section::Training {
            assert!(!asker.log.contains(&question.id), "{}", question.id);
            assert!(!outcome.answers.is_answered(i));
        }
    }
    let some = answers(
        &pack,
        json!({"location": "outer", "onset": "gradual", "weekly_km": 40}),
    );
    let (outcome, asker) = run_script(&pack, &some);
    assert!(asker.log.contains(&"weekly_km".to_owned()));
    assert!(outcome.answers.is_answered(q(&pack, "weekly_km")));
}

#[test]
fn back_returns_to_the_previous_question_with_its_answer() {
    let pack = pack();
    let script = answers(
        &pack,
        json!({"location": "outer", "onset": "gradual", "giving_way": false, "cannot_bend_90": false}),
    );
    let mut asker = ScriptedAsker::new(script.clone());
    asker
        .overrides
        .push_back((q(&pack, "location"), Reply::Back));
    let outcome = run(&pack, &mut asker).expect("runs");
    let i = asker
        .log
        .iter()
        .position(|s| s == "location")
        .expect("asked location");
    assert_eq!(
        &asker.log[i - 1..i + 3],
        ["cannot_bend_90", "location", "cannot_bend_90", "location"]
    );
    assert_eq!(
        outcome.answers.get(q(&pack, "location")),
        script.get(q(&pack, "location"))
    );
    // Back on the first question after the checklist shows the checklist again.
    let mut asker = ScriptedAsker::new(script);
    asker.overrides.push_back((q(&pack, "onset"), Reply::Back));
    run(&pack, &mut asker).expect("runs");
    assert_eq!(
        &asker.log[..4],
        ["red-flags", "onset", "red-flags", "onset"]
    );
}

#[test]
fn changing_an_answer_at_the_summary_asks_what_it_opens_and_drops_what_it_closes() {
    let pack = pack();
    let script = answers(&pack, json!({"location": "inner", "onset": "gradual"}));
    let mut asker = ScriptedAsker::new(script.clone());
    asker
        .changes
        .push_back((q(&pack, "onset"), Value::Choice(1))); // sudden
    let outcome = run(&pack, &mut asker).expect("runs");
    let review = asker
        .log
        .iter()
        .position(|s| s == "review")
        .expect("review");
    assert!(
        asker.log[review..].contains(&"mechanism".to_owned()),
        "{:?}",
        asker.log
    );
    assert_eq!(asker.log.last().map(String::as_str), Some("review"));
    assert_eq!(
        outcome.answers.get(q(&pack, "onset")),
        Some(Value::Choice(1))
    );

    // From sudden with a mechanism to gradual: the mechanism goes.
    let script = answers(
        &pack,
        json!({"location": "inner", "onset": "sudden", "mechanism": "twist"}),
    );
    let mut asker = ScriptedAsker::new(script);
    asker
        .changes
        .push_back((q(&pack, "onset"), Value::Choice(0))); // gradual
    let outcome = run(&pack, &mut asker).expect("runs");
    assert!(!outcome.answers.is_answered(q(&pack, "mechanism")));
}

#[test]
fn never_skips_a_question_that_could_raise_the_level() {
    let pack = pack();
    // Already see-professional from the duration: hopping pain and night
    // pain each keep it there, but together they make it urgent.
    let script = answers(
        &pack,
        json!({"location": "front", "onset": "gradual", "duration_days": 40,
               "pain_hopping": true, "night_pain": true}),
    );
    let (outcome, asker) = run_script(&pack, &script);
    assert!(asker.log.contains(&"pain_hopping".to_owned()));
    assert!(asker.log.contains(&"night_pain".to_owned()));
    assert_eq!(
        Report::new(&pack, &outcome.answers).triage.level,
        Level::Urgent
    );
}

#[test]
fn tender_spot_is_skipped_only_when_it_cannot_matter() {
    let pack = pack();
    let ts = q(&pack, "tender_spot");
    // Nothing known yet: it could raise the level (a bone point is urgent).
    assert!(worth_asking(&pack, ts, &Answers::new(&pack)));
    // Location at the back and the level already urgent (a locked knee):
    // no cause in play reads the tender spot, and it cannot raise the level.
    let urgent = answers(
        &pack,
        json!({"location": "back", "onset": "gradual", "locking": true}),
    );
    let report = Report::new(&pack, &urgent);
    assert_eq!(report.triage.level, Level::Urgent);
    let in_play = pack
        .causes
        .iter()
        .any(|c| in_play(c, &urgent) && c.rules.iter().any(|r| reads(&r.when, ts)));
    assert_eq!(worth_asking(&pack, ts, &urgent), in_play);
}

#[test]
fn saved_answers_round_trip_through_toml() {
    let pack = pack();
    let script = answers(
        &pack,
        json!({"location": "outer", "onset": "gradual", "worse_with": ["running-distance", "downhill"],
               "duration_days": 21, "weekly_km": 42.5, "tender_spot": "outer-femur"}),
    );
    let (outcome, _) = run_script(&pack, &script);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("answers.toml");
    save(&pack, &outcome.answers, &path).expect("saves");
    let text = std::fs::read_to_string(&path).expect("reads");
    let back = Answers::from_toml_str(&pack, &text).expect("parses");
    assert_eq!(back, outcome.answers);
    assert_eq!(
        Report::new(&pack, &back),
        Report::new(&pack, &outcome.answers)
    );
}

#[test]
fn an_interrupt_ends_the_questionnaire() {
    struct Quits;
    impl Asker for Quits {
        fn red_flags(&mut self, _: &Pack, _: &[usize], _: &[usize]) -> Result<Vec<usize>, Error> {
            Ok(Vec::new())
        }
        fn question(
            &mut self,
            _: &Pack,
            _: usize,
            _: Option<Value>,
            _: bool,
        ) -> Result<Reply, Error> {
            Err(Error::Interrupted)
        }
        fn group(&mut self, _: &Pack, _: Section, _: usize) -> Result<GroupReply, Error> {
            Ok(GroupReply::Skip)
        }
        fn emergency(&mut self, _: &Pack, _: &Report) -> Result<EmergencyReply, Error> {
            Ok(EmergencyReply::Stop)
        }
        fn review(&mut self, _: &Pack, _: &Answers, _: usize) -> Result<ReviewReply, Error> {
            Ok(ReviewReply::Done)
        }
    }
    let pack = pack();
    let err = run(&pack, &mut Quits).expect_err("interrupted");
    assert_eq!(err.exit_code(), crate::error::ExitCode::Interrupted);
}
