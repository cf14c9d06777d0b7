//! The questionnaire's opening and its screens (issue 21): who answers,
//! what comes first, no alarming default, the urgent screen, the skip and
//! Back. Driven by the scripted asker, as in `tests.rs`.

use serde_json::json;

use super::tests::{answers, is_training, pack, q, run_script, was_asked};
use super::*;
use crate::model::Level;

/// Issue 21, item 4: the swelling's timing only after a swelling, never
/// after "not sure"; and a choice never starts on an answer that raises
/// the level ("within two hours of an injury" for a gradual ache).
#[test]
fn swelling_timing_only_after_a_swelling_and_never_starting_on_an_alarm() {
    let pack = pack();
    let onset_q = q(&pack, "swelling_onset");
    let unsure = answers(&pack, json!({"location": "front", "onset": "gradual"}));
    let (_, asker) = run_script(&pack, &unsure);
    assert!(was_asked(&asker.log, "swelling"), "{:?}", asker.log);
    assert!(!was_asked(&asker.log, "swelling_onset"), "{:?}", asker.log);

    let puffy = answers(
        &pack,
        json!({"location": "front", "onset": "gradual", "swelling": "mild"}),
    );
    let mut asker = ScriptedAsker::new(puffy.clone());
    let outcome = run(&pack, &mut asker).expect("runs");
    let (_, offer) = asker
        .offers
        .iter()
        .find(|(x, _)| *x == onset_q)
        .expect("the timing is asked after a swelling");
    let rapid = pack.questions[onset_q]
        .option_index("rapid")
        .expect("rapid");
    assert_ne!(offer.calm, Some(rapid), "{offer:?}");
    // Where it starts keeps the level the answers give without it.
    let mut trial = outcome.answers.clone();
    trial.set(onset_q, None);
    let base = engine::assess(&pack, &trial).level;
    if let Some(i) = offer.calm {
        trial.set(onset_q, Some(Value::Choice(i as u8)));
        assert!(engine::assess(&pack, &trial).level <= base);
    }
}

/// Issue 21, item 6: where it hurts (with the drawing) and how it started
/// come first; in an injury, the onset comes before what happened, the
/// pop and what makes it worse; the pressing test after the location.
#[test]
fn the_pack_decides_what_comes_first() {
    let pack = pack();
    let questions_only = |log: &[String]| -> Vec<String> {
        log.iter()
            .filter(|e| !matches!(e.as_str(), "who" | "red-flags" | "emergency" | "review"))
            .cloned()
            .collect()
    };
    let ache = answers(
        &pack,
        json!({"location": "front", "onset": "gradual", "duration_days": 21, "pain_level": 3,
               "tender_spot": "kneecap-edge", "worse_with": ["stairs"]}),
    );
    let (_, asker) = run_script(&pack, &ache);
    assert_eq!(&asker.log[..2], ["who", "red-flags"], "{:?}", asker.log);
    let asked = questions_only(&asker.log);
    assert_eq!(&asked[..2], ["location", "onset"], "{asked:?}");
    assert!(pack.questions[q(&pack, "location")].drawing);
    assert!(pack.questions[q(&pack, "tender_spot")].drawing);

    let twist = answers(
        &pack,
        json!({"location": "inner", "onset": "sudden", "mechanism": "twist", "heard_pop": true,
               "swelling": "marked", "swelling_onset": "rapid", "worse_with": ["twisting"],
               "tender_spot": "joint-line"}),
    );
    let (_, asker) = run_script(&pack, &twist);
    let asked = questions_only(&asker.log);
    let at = |id: &str| {
        asked
            .iter()
            .position(|e| e == id || e.split(&[':', ','][..]).any(|x| x == id))
    };
    let onset = at("onset").expect("onset asked");
    for later in ["mechanism", "heard_pop", "worse_with", "tender_spot"] {
        if let Some(i) = at(later) {
            assert!(onset < i, "{later} before the onset: {asked:?}");
        }
    }
    assert!(at("location") < at("tender_spot"), "{asked:?}");
}

/// Issue 21, item 7: a parent answering for a child is asked the child's
/// age straight after where and how, in words about the child; and every
/// question put to "you" has words for a parent.
#[test]
fn a_parent_is_asked_about_the_child() {
    let pack = pack();
    let teen = answers(
        &pack,
        json!({"location": "front", "onset": "gradual", "age": 13, "limp": true}),
    );
    let mut asker = ScriptedAsker::new(teen.clone());
    asker.who = Answering::Child;
    let outcome = run(&pack, &mut asker).expect("runs");
    let asked: Vec<&String> = asker
        .log
        .iter()
        .filter(|e| !matches!(e.as_str(), "who" | "red-flags" | "emergency" | "review"))
        .collect();
    assert_eq!(asked[..3], ["location", "onset", "age"], "{:?}", asker.log);
    assert_eq!(
        Report::new(&pack, &outcome.answers).triage.level,
        Level::Urgent
    );
    for question in &pack.questions {
        let adult = asked_as(question, Answering::Myself).to_lowercase();
        let words: Vec<&str> = adult.split(|c: char| !c.is_alphanumeric()).collect();
        if words
            .iter()
            .any(|w| ["you", "your", "yourself"].contains(w))
        {
            let child = asked_as(question, Answering::Child).to_lowercase();
            assert!(
                child.contains("your child") || child.contains("their"),
                "{}: {child}",
                question.id
            );
        }
        // Nothing about periods, the pill, pregnancy or cancer for a child.
        let child = format!(
            "{} {} {}",
            asked_as(question, Answering::Child),
            help_for(question, Answering::Child),
            yes_for(question, Answering::Child)
        )
        .to_lowercase();
        for word in ["period", "pill", "pregnan", "cancer", "hrt"] {
            assert!(!child.contains(word), "{}: {child}", question.id);
        }
    }
}

/// Issue 21, item 9: an answer after the warning signs that makes the
/// case urgent (a child's limp) gets the same screen as a ticked sign,
/// before the summary.
#[test]
fn a_later_answer_that_makes_it_urgent_gets_the_urgent_screen() {
    let pack = pack();
    let teen = answers(
        &pack,
        json!({"location": "front", "onset": "gradual", "age": 13, "limp": true}),
    );
    let mut asker = ScriptedAsker::new(teen);
    asker.who = Answering::Child;
    run(&pack, &mut asker).expect("runs");
    let emergency = asker.log.iter().position(|e| e == "emergency");
    let review = asker.log.iter().position(|e| e == "review");
    assert!(emergency.is_some() && emergency < review, "{:?}", asker.log);
    // A plain ache never gets it.
    let ache = answers(&pack, json!({"location": "front", "onset": "gradual"}));
    let (_, asker) = run_script(&pack, &ache);
    assert!(
        !asker.log.iter().any(|e| e == "emergency"),
        "{:?}",
        asker.log
    );
}

/// Issue 21, item 10: every running question offers the skip, not only
/// the first; Back to the warning signs brings back "None of these".
#[test]
fn skip_on_every_running_question_and_back_keeps_none_of_these() {
    let pack = pack();
    let story = answers(
        &pack,
        json!({"location": "outer", "onset": "gradual", "duration_days": 5, "strength_sessions": 2,
               "shoe_km": 200, "mileage_increase_pct": 5, "rest_days": 2, "weekly_km": 30}),
    );
    let (_, asker) = run_script(&pack, &story);
    let running: Vec<&(usize, Offer)> = asker
        .offers
        .iter()
        .filter(|(x, _)| pack.questions[*x].section == Section::Training)
        .collect();
    assert!(running.len() >= 2, "{:?}", asker.log);
    assert!(running.iter().all(|(_, o)| o.skip), "{running:?}");
    assert!(running[0].1.skip_group.is_some());
    assert!(running[1..].iter().all(|(_, o)| o.skip_group.is_none()));

    // Skipping at the second running question: none after it is asked.
    let second = running[1].0;
    let mut asker = ScriptedAsker::new(story.clone());
    asker.overrides.push_back((second, Reply::SkipGroup));
    let outcome = run(&pack, &mut asker).expect("runs");
    let at = asker
        .log
        .iter()
        .position(|e| *e == pack.questions[second].id)
        .expect("asked");
    assert!(
        !asker.log[at + 1..].iter().any(|e| is_training(&pack, e)),
        "{:?}",
        asker.log
    );
    assert!(!outcome.answers.is_answered(second));

    // Back from the first question to the warning signs: "None of these"
    // comes back ticked.
    let first = q(&pack, "location");
    let mut asker = ScriptedAsker::new(story);
    asker.overrides.push_back((first, Reply::Back));
    run(&pack, &mut asker).expect("runs");
    assert_eq!(asker.none_ticked, [false, true], "{:?}", asker.log);
}

/// Words a label or a yes/no phrase says as the runner ("I twisted",
/// "my knee") or to them ("your other knee"): a parent answers about
/// someone else, so each such text needs its child form.
fn speaks_as_the_runner(text: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| {
            [
                "i", "i'm", "i've", "me", "my", "mine", "myself", "you", "you're", "your", "yours",
                "yourself",
            ]
            .contains(&w)
        })
}

/// Issue 21: the options and the yes/no phrases a parent sees are worded
/// for the child: every label in the first person or to "you" has a
/// `child_label`, every such `yes` or `no` a `child_yes` or `child_no`, and
/// none of the child forms speaks as the runner.
#[test]
fn every_label_a_parent_sees_is_worded_for_the_child() {
    let pack = pack();
    let mut missing = Vec::new();
    for question in &pack.questions {
        for choice in &question.options {
            if speaks_as_the_runner(&choice.label) && choice.child_label.is_none() {
                missing.push(format!(
                    "{} = {}: {}",
                    question.id, choice.value, choice.label
                ));
            }
            let child = label_for(choice, Answering::Child);
            assert!(!speaks_as_the_runner(child), "{}: {child}", question.id);
        }
        for (adult, child) in [
            (&question.yes, &question.child_yes),
            (&question.no, &question.child_no),
        ] {
            if speaks_as_the_runner(adult) && child.is_none() {
                missing.push(format!("{}: {adult}", question.id));
            }
        }
        for child in [
            yes_for(question, Answering::Child),
            no_for(question, Answering::Child),
        ] {
            assert!(!speaks_as_the_runner(child), "{}: {child}", question.id);
        }
    }
    assert!(missing.is_empty(), "no child form: {missing:#?}");
    let mechanism = &pack.questions[q(&pack, "mechanism")];
    let twist = &mechanism.options[mechanism.option_index("twist").expect("twist")];
    assert_eq!(
        label_for(twist, Answering::Myself),
        "I twisted with my foot planted"
    );
    assert_eq!(
        label_for(twist, Answering::Child),
        "They twisted with their foot planted"
    );
    let cancer = &pack.questions[q(&pack, "past_cancer")];
    assert_eq!(
        no_for(cancer, Answering::Child),
        "no tumour or leukaemia in the past"
    );
    assert_eq!(no_for(cancer, Answering::Myself), "no cancer in the past");
}

/// Issue 21: answers a parent gave about their child say so, and the
/// report's evidence then words the yes/no answers for the child
/// (`child_yes`, `child_no`); the runner's own answers keep the adult words.
#[test]
fn a_childs_answers_are_told_in_the_childs_words() {
    let pack = pack();
    let given = answers(
        &pack,
        json!({"location": "front", "onset": "gradual", "age": 13,
               "past_cancer": false, "infection_risk": true}),
    );
    let mut asker = ScriptedAsker::new(given.clone());
    asker.who = Answering::Child;
    let outcome = run(&pack, &mut asker).expect("runs");
    assert!(outcome.answers.for_child());
    let cancer = q(&pack, "past_cancer");
    let infection = q(&pack, "infection_risk");
    let child = &outcome.answers;
    assert_eq!(
        child.phrase(&pack.questions[cancer], cancer).as_deref(),
        Some("no tumour or leukaemia in the past")
    );
    assert_eq!(
        child
            .phrase(&pack.questions[infection], infection)
            .as_deref(),
        Some("a raised risk of infection (diabetes or a weak immune system)")
    );
    let mut asker = ScriptedAsker::new(given);
    let adult = run(&pack, &mut asker).expect("runs").answers;
    assert!(!adult.for_child());
    assert_eq!(
        adult.phrase(&pack.questions[cancer], cancer).as_deref(),
        Some("no cancer in the past")
    );
}
