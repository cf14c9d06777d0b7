//! The triage invariants, written from the safety rules (not from the
//! pack's rules), checked two ways:
//!
//! - with proptest over the whole answer space: every key answered or not,
//!   every option, every subset of a list, numbers at, just below and just
//!   above every threshold the pack uses, at the bounds and anywhere between;
//! - exhaustively over two grids: every combination of the red-flag
//!   questions, and of the questions behind the urgent signs, each crossed
//!   with every location and onset.
//!
//! Each invariant has a name (`INV-…`) used here and in the README.

use std::collections::BTreeSet;

use knee_triage::answers::{Answers, Value};
use knee_triage::content;
use knee_triage::engine;
use knee_triage::model::{Category, Cond, Level, Pack, QuestionKind};
use knee_triage::report::Report;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn pack() -> &'static Pack {
    content::embedded().expect("the embedded pack loads")
}

fn q(key: &str) -> usize {
    pack()
        .question_index(key)
        .unwrap_or_else(|| panic!("no question {key}"))
}

fn opt(key: &str, value: &str) -> Value {
    let question = &pack().questions[q(key)];
    let i = question
        .option_index(value)
        .unwrap_or_else(|| panic!("no option {value} for {key}"));
    Value::Choice(i as u8)
}

/// Reading answers by the contract's names.
struct View<'a>(&'a Answers);

impl View<'_> {
    fn yes(&self, key: &str) -> bool {
        self.0.get(q(key)) == Some(Value::Flag(true))
    }
    fn is(&self, key: &str, value: &str) -> bool {
        self.0.get(q(key)) == Some(opt(key, value))
    }
    fn unanswered(&self, key: &str) -> bool {
        self.0.get(q(key)).is_none()
    }
}

/// A warning sign: a name and when it is present.
type Sign = (&'static str, fn(&View) -> bool);

const INJURY_MECHANISMS: [&str; 4] = [
    "twist",
    "blow-to-outer-knee",
    "fall-onto-knee",
    "hyperextension",
];

/// INV-EMERGENCY: each of these gives `emergency`, whatever else is answered.
/// "After an injury" is a sudden onset, an unanswered onset (not knowing
/// must not hide the danger) or an injury mechanism.
const EMERGENCY_SIGNS: [Sign; 5] = [
    ("cannot bear weight after an injury", |a| {
        a.yes("cannot_bear_weight")
            && (a.is("onset", "sudden")
                || a.unanswered("onset")
                || INJURY_MECHANISMS.iter().any(|m| a.is("mechanism", m)))
    }),
    ("deformity", |a| a.yes("deformity")),
    ("fever with a hot or swollen knee", |a| {
        a.yes("fever")
            && (a.yes("red_hot") || a.is("swelling", "mild") || a.is("swelling", "marked"))
    }),
    ("calf swelling", |a| a.yes("calf_swelling")),
    ("numbness or a cold foot", |a| a.yes("numbness")),
];

/// INV-URGENT: each of these gives at least `urgent`. "Rapid swelling after
/// an injury" is `swelling_onset = rapid` (the option means within about
/// two hours of an injury).
const URGENT_SIGNS: [Sign; 6] = [
    ("locking", |a| a.yes("locking")),
    ("rapid swelling after an injury", |a| {
        a.is("swelling_onset", "rapid")
    }),
    ("a pop with giving way", |a| {
        a.yes("heard_pop") && a.yes("giving_way")
    }),
    ("bone-point tenderness", |a| {
        a.is("tender_spot", "bone-point")
    }),
    ("pain hopping with night pain", |a| {
        a.yes("pain_hopping") && a.yes("night_pain")
    }),
    ("marked swelling", |a| a.is("swelling", "marked")),
];

/// Every answer that is a warning sign on its own: the emergency and urgent
/// signs' parts and everything that needs a professional's view. Used by
/// INV-SELF-CARE and INV-MONOTONIC.
fn warning_answers() -> Vec<(&'static str, Value)> {
    let mut out: Vec<(&'static str, Value)> = [
        "cannot_bear_weight",
        "deformity",
        "fever",
        "red_hot",
        "calf_swelling",
        "numbness",
        "locking",
        "heard_pop",
        "giving_way",
        "cannot_bend_90",
        "pain_hopping",
        "night_pain",
        "bone_stress_risk",
    ]
    .into_iter()
    .map(|k| (k, Value::Flag(true)))
    .collect();
    out.extend([
        ("swelling", opt("swelling", "mild")),
        ("swelling", opt("swelling", "marked")),
        ("swelling_onset", opt("swelling_onset", "rapid")),
        ("swelling_onset", opt("swelling_onset", "spontaneous")),
        ("clicking", opt("clicking", "painful")),
        ("tender_spot", opt("tender_spot", "bone-point")),
        ("onset", opt("onset", "sudden")),
    ]);
    for pain in 7..=10 {
        out.push(("pain_level", Value::Num(pain as f64)));
    }
    for days in [21.0, 22.0, 60.0, 365.0] {
        out.push(("duration_days", Value::Num(days)));
    }
    out
}

/// How alarming an answer is, for "adding" a warning: unanswered and the
/// harmless values rank 0, warning values above them.
///
/// The onset is not ranked: an injury and its absence each point to their
/// own dangers (after an injury a fracture, by the Ottawa rule; without one
/// an infection, a tumour or an inflammatory arthritis), so neither answer
/// is "more alarming" than the other. INV-EMERGENCY and INV-URGENT pin the
/// signs on both sides of it.
fn alarm(key: &str, v: Option<Value>) -> f64 {
    if key == "onset" {
        return 0.0;
    }
    let Some(v) = v else { return -1.0 };
    match (key, v) {
        (_, Value::Flag(b)) => f64::from(u8::from(b)),
        ("pain_level", Value::Num(n)) | ("duration_days", Value::Num(n)) => n,
        ("swelling", c) if c == opt("swelling", "marked") => 2.0,
        ("swelling", c) if c == opt("swelling", "mild") => 1.0,
        (_, c) if warning_answers().iter().any(|(k, w)| *k == key && *w == c) => 1.0,
        _ => 0.0,
    }
}

fn present_warnings(a: &Answers) -> Vec<String> {
    warning_answers()
        .into_iter()
        .filter(|(k, w)| match (a.get(q(k)), w) {
            (Some(Value::Num(n)), Value::Num(_)) => {
                (*k == "pain_level" && n >= 7.0) || (*k == "duration_days" && n >= 21.0)
            }
            (Some(v), w) => v == *w,
            (None, _) => false,
        })
        .map(|(k, w)| format!("{k}={w:?}"))
        .collect()
}

/// All invariants on one answer set; `Err` names the one broken.
fn check_all(a: &Answers) -> Result<Level, String> {
    check(a, true)
}

/// The invariants; `twice` also runs the assessment a second time to see
/// that it gives the same report (the property tests do, the grids do not).
fn check(a: &Answers, twice: bool) -> Result<Level, String> {
    let pack = pack();
    let view = View(a);
    let first = engine::assess(pack, a);
    let level = first.level;
    // INV-TOTAL: a report, the same every time, with a cause or an explicit
    // "no clear pattern", and at least one advice item.
    if twice
        && (engine::assess(pack, a) != first
            || Report::from_assessment(pack, a, &first) != Report::new(pack, a))
    {
        return Err("INV-TOTAL: two runs on the same answers differ".into());
    }
    let report = Report::from_assessment(pack, a, &first);
    if report.causes.is_empty() && report.no_clear_pattern.is_none() {
        return Err("INV-TOTAL: no cause and no \"no clear pattern\"".into());
    }
    if report.advice.is_empty() {
        return Err("INV-TOTAL: no advice".into());
    }
    if report.triage.reasons.is_empty() {
        return Err("INV-TOTAL: no reason for the level".into());
    }
    for (name, holds) in EMERGENCY_SIGNS {
        if holds(&view) && level != Level::Emergency {
            return Err(format!("INV-EMERGENCY: {name} gave {level}"));
        }
    }
    for (name, holds) in URGENT_SIGNS {
        if holds(&view) && level < Level::Urgent {
            return Err(format!("INV-URGENT: {name} gave {level}"));
        }
    }
    // INV-REST-FIRST: a knee that needs a doctor soon is not given
    // exercises, stretches or a plan to run again before it is examined.
    if level >= Level::Urgent
        && let Some(item) = report.advice.iter().find(|i| {
            matches!(
                i.category,
                Category::Exercise | Category::Stretch | Category::ReturnToRunning
            )
        })
    {
        return Err(format!(
            "INV-REST-FIRST: {level} with {} advice {}",
            item.category.as_str(),
            item.id
        ));
    }
    one_voice(pack, a, &report)?;
    // INV-SELF-CARE: only with no warning sign, and always with the advice
    // that says when to get help.
    if level == Level::SelfCare {
        let present = present_warnings(a);
        if !present.is_empty() {
            return Err(format!("INV-SELF-CARE: self-care with {present:?}"));
        }
        if !report.advice.iter().any(|i| i.id == "when-to-get-help") {
            return Err("INV-SELF-CARE: self-care without when-to-get-help".into());
        }
    }
    // INV-ONE-RUNNING: one answer to "may I run?" (next_steps.running fits
    // the level and no advice item says otherwise).
    if let Err(e) = crate::plan::one_answer_to_running(&report) {
        return Err(format!("INV-ONE-RUNNING: {e}"));
    }
    Ok(level)
}

/// INV-ONE-VOICE: no advice item in a report is one the pack marks (its
/// `contradicts` list) as contradicting the report's level.
fn one_voice(pack: &Pack, a: &Answers, report: &Report) -> Result<(), String> {
    let level = report.triage.level;
    for item in &report.advice {
        let marked = pack
            .advice
            .iter()
            .find(|m| m.id == item.id)
            .ok_or_else(|| format!("INV-ONE-VOICE: advice {} is not in the pack", item.id))?;
        if marked.contradicts.contains(&level) {
            return Err(format!(
                "INV-ONE-VOICE: {level} report with advice {}, which the pack marks as contradicting {level}\nanswers: {:?}",
                item.id,
                a.to_json(pack)
            ));
        }
    }
    Ok(())
}

/// INV-MONOTONIC: adding a warning answer (to an unanswered question, or in
/// place of a less alarming answer) never lowers the level.
fn check_monotonic(a: &Answers, level: Level) -> Result<usize, String> {
    let mut checked = 0;
    for (key, w) in warning_answers() {
        let qi = q(key);
        if alarm(key, Some(w)) <= alarm(key, a.get(qi)) {
            continue;
        }
        let mut more = a.clone();
        more.set(qi, Some(w));
        let after = engine::assess(pack(), &more).level;
        checked += 1;
        if after < level {
            return Err(format!(
                "INV-MONOTONIC: adding {key}={w:?} lowered {level} to {after}"
            ));
        }
    }
    Ok(checked)
}

/// Every threshold the pack's conditions use, per question.
fn thresholds(pack: &Pack) -> Vec<BTreeSet<i64>> {
    fn walk(c: &Cond, out: &mut [BTreeSet<i64>]) {
        match c {
            Cond::All(p) | Cond::Any(p) => p.iter().for_each(|c| walk(c, out)),
            Cond::Not(c) => walk(c, out),
            Cond::Range { q, range } => {
                for t in [range.gt, range.gte, range.lt, range.lte]
                    .into_iter()
                    .flatten()
                {
                    // Kept in tenths, so a threshold of 7.5 is kept exactly.
                    out[*q].insert((t * 10.0).round() as i64);
                }
            }
            _ => {}
        }
    }
    let mut out = vec![BTreeSet::new(); pack.questions.len()];
    for c in pack.conditions() {
        walk(c, &mut out);
    }
    out
}

/// Any answer to one question, or none: numbers favour the thresholds.
fn answer_strategy(pack: &Pack, qi: usize, near: &BTreeSet<i64>) -> BoxedStrategy<Option<Value>> {
    let question = &pack.questions[qi];
    let value: BoxedStrategy<Value> = match question.kind {
        QuestionKind::Enum => (0..question.options.len() as u8)
            .prop_map(Value::Choice)
            .boxed(),
        QuestionKind::Bool => any::<bool>().prop_map(Value::Flag).boxed(),
        QuestionKind::List => (0u64..(1u64 << question.options.len()))
            .prop_map(Value::Items)
            .boxed(),
        QuestionKind::Int | QuestionKind::Number | QuestionKind::Days => {
            let lo = question.min.unwrap_or(0.0);
            let hi = question.max.unwrap_or(1000.0);
            let integer = question.kind != QuestionKind::Number;
            let mut special: Vec<f64> = vec![lo, hi];
            for &t in near {
                let t = t as f64 / 10.0;
                for d in [-1.0, -0.5, -0.01, 0.0, 0.01, 0.5, 1.0] {
                    special.push(t + d);
                }
            }
            special.retain(|v| *v >= lo && *v <= hi && (!integer || v.fract() == 0.0));
            let anywhere = if integer {
                (lo as i64..=hi as i64).prop_map(|v| v as f64).boxed()
            } else {
                (lo..=hi).boxed()
            };
            prop_oneof![
                3 => proptest::sample::select(special).boxed(),
                1 => anywhere,
            ]
            .prop_map(Value::Num)
            .boxed()
        }
    };
    prop_oneof![1 => Just(None), 2 => value.prop_map(Some)].boxed()
}

fn answers_strategy() -> impl Strategy<Value = Answers> {
    let pack = self::pack();
    let near = thresholds(pack);
    let parts: Vec<BoxedStrategy<Option<Value>>> = (0..pack.questions.len())
        .map(|qi| answer_strategy(pack, qi, &near[qi]))
        .collect();
    parts.prop_map(|values| {
        let mut a = Answers::new(self::pack());
        for (qi, v) in values.into_iter().enumerate() {
            a.set(qi, v);
        }
        a
    })
}

/// Answer sets each property test draws.
const CASES: u32 = 3000;

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn property_every_invariant_holds_on_random_answers() {
    let mut runner = runner();
    let result = runner.run(&answers_strategy(), |a| {
        check_all(&a).map_err(TestCaseError::fail)?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Answers with one emergency (or urgent) sign forced in, so every sign is
/// tried against thousands of random backgrounds.
#[test]
fn property_each_sign_wins_over_any_background() {
    let forced: Vec<(&str, Vec<(&str, Value)>)> = vec![
        (
            "cannot bear weight, sudden",
            vec![
                ("cannot_bear_weight", Value::Flag(true)),
                ("onset", opt("onset", "sudden")),
            ],
        ),
        (
            "cannot bear weight, twist",
            vec![
                ("cannot_bear_weight", Value::Flag(true)),
                ("mechanism", opt("mechanism", "twist")),
            ],
        ),
        ("deformity", vec![("deformity", Value::Flag(true))]),
        (
            "fever, red hot",
            vec![("fever", Value::Flag(true)), ("red_hot", Value::Flag(true))],
        ),
        (
            "fever, marked swelling",
            vec![
                ("fever", Value::Flag(true)),
                ("swelling", opt("swelling", "marked")),
            ],
        ),
        ("calf", vec![("calf_swelling", Value::Flag(true))]),
        ("numbness", vec![("numbness", Value::Flag(true))]),
        ("locking", vec![("locking", Value::Flag(true))]),
        (
            "rapid swelling",
            vec![("swelling_onset", opt("swelling_onset", "rapid"))],
        ),
        (
            "pop and giving way",
            vec![
                ("heard_pop", Value::Flag(true)),
                ("giving_way", Value::Flag(true)),
            ],
        ),
        (
            "bone point",
            vec![("tender_spot", opt("tender_spot", "bone-point"))],
        ),
        (
            "hop and night",
            vec![
                ("pain_hopping", Value::Flag(true)),
                ("night_pain", Value::Flag(true)),
            ],
        ),
        ("marked", vec![("swelling", opt("swelling", "marked"))]),
    ];
    let strategy = (answers_strategy(), 0..forced.len());
    let mut runner = runner();
    let result = runner.run(&strategy, |(mut a, which)| {
        for (key, v) in &forced[which].1 {
            a.set(q(key), Some(*v));
        }
        let level = check_all(&a).map_err(TestCaseError::fail)?;
        let emergency = EMERGENCY_SIGNS.iter().any(|(_, h)| h(&View(&a)));
        prop_assert!(level >= Level::Urgent, "{}: {level}", forced[which].0);
        prop_assert!(!emergency || level == Level::Emergency);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn property_adding_a_warning_never_lowers_the_level() {
    let mut runner = runner();
    let result = runner.run(&answers_strategy(), |a| {
        let level = engine::assess(pack(), &a).level;
        check_monotonic(&a, level).map_err(TestCaseError::fail)?;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// One dimension of an exhaustive grid: a question and the answers tried,
/// with the pairs (from, to) of indices into them that add a warning.
struct Dim {
    key: &'static str,
    values: Vec<Option<Value>>,
}

fn bool_dim(key: &'static str) -> Dim {
    Dim {
        key,
        values: vec![None, Some(Value::Flag(false)), Some(Value::Flag(true))],
    }
}

fn enum_dim(key: &'static str) -> Dim {
    let n = pack().questions[q(key)].options.len();
    let mut values = vec![None];
    values.extend((0..n).map(|i| Some(Value::Choice(i as u8))));
    Dim { key, values }
}

/// Location is the one required answer: each of its values, never missing.
fn every_location() -> Dim {
    let mut d = enum_dim("location");
    d.values.remove(0);
    d
}

/// Runs every combination of the dimensions through every invariant, then
/// checks INV-MONOTONIC between neighbours of the grid. Returns the count.
fn exhaustive(dims: &[Dim]) -> usize {
    let pack = pack();
    let total: usize = dims.iter().map(|d| d.values.len()).product();
    let qs: Vec<usize> = dims.iter().map(|d| q(d.key)).collect();
    let mut levels = vec![Level::SelfCare; total];
    let mut digits = vec![0usize; dims.len()];
    for (index, level) in levels.iter_mut().enumerate() {
        let mut rest = index;
        for (d, dim) in dims.iter().enumerate().rev() {
            digits[d] = rest % dim.values.len();
            rest /= dim.values.len();
        }
        let mut a = Answers::new(pack);
        for (d, dim) in dims.iter().enumerate() {
            a.set(qs[d], dim.values[digits[d]]);
        }
        match check(&a, false) {
            Ok(l) => *level = l,
            Err(e) => panic!("{e}\nanswers: {:?}", a.to_json(pack)),
        }
    }
    // Neighbours differing in one dimension, from a less to a more
    // alarming answer: the level must not drop.
    let mut stride = 1;
    let mut pairs = 0usize;
    for dim in dims.iter().rev() {
        let n = dim.values.len();
        for from in 0..n {
            for to in 0..n {
                let (af, at) = (
                    alarm(dim.key, dim.values[from]),
                    alarm(dim.key, dim.values[to]),
                );
                if at <= af || at < 1.0 {
                    continue;
                }
                for index in 0..total {
                    if (index / stride) % n != from {
                        continue;
                    }
                    let other = index - from * stride + to * stride;
                    pairs += 1;
                    assert!(
                        levels[other] >= levels[index],
                        "INV-MONOTONIC: {} from {:?} to {:?} lowered {} to {}",
                        dim.key,
                        dim.values[from],
                        dim.values[to],
                        levels[index],
                        levels[other]
                    );
                }
            }
        }
        stride *= n;
    }
    assert!(pairs > 0);
    total
}

/// Every combination of the red-flag questions (each unanswered, no or
/// yes), crossed with every location, onset and injury mechanism.
#[test]
fn exhaustive_red_flags_by_location_and_onset() {
    let dims = vec![
        bool_dim("cannot_bear_weight"),
        bool_dim("deformity"),
        bool_dim("fever"),
        bool_dim("red_hot"),
        bool_dim("calf_swelling"),
        bool_dim("numbness"),
        bool_dim("locking"),
        enum_dim("swelling"),
        Dim {
            key: "mechanism",
            values: vec![
                None,
                Some(opt("mechanism", "twist")),
                Some(opt("mechanism", "none")),
            ],
        },
        every_location(),
        enum_dim("onset"),
    ];
    let n = exhaustive(&dims);
    assert_eq!(n, 3usize.pow(7) * 4 * 3 * 6 * 3);
    eprintln!("exhaustive red flags: {n} answer sets");
}

/// Every combination of the answers behind the urgent signs, crossed with
/// every location and onset.
#[test]
fn exhaustive_urgent_signs_by_location_and_onset() {
    let tender = Dim {
        key: "tender_spot",
        values: vec![
            None,
            Some(opt("tender_spot", "bone-point")),
            Some(opt("tender_spot", "joint-line")),
            Some(opt("tender_spot", "fibula-head")),
        ],
    };
    let dims = vec![
        enum_dim("swelling"),
        enum_dim("swelling_onset"),
        bool_dim("heard_pop"),
        bool_dim("giving_way"),
        tender,
        bool_dim("pain_hopping"),
        bool_dim("night_pain"),
        every_location(),
        enum_dim("onset"),
    ];
    let n = exhaustive(&dims);
    assert_eq!(n, 4 * 5 * 3 * 3 * 4 * 3 * 3 * 6 * 3);
    eprintln!("exhaustive urgent signs: {n} answer sets");
}

/// INV-ONE-VOICE is not vacuous: the pack marks items for every level, and
/// a planted edit (the self-care item "when to get help", given whatever
/// the level) breaks it on an
/// urgent report, while the real pack holds on the same answers.
#[test]
fn the_one_voice_invariant_catches_a_contradicting_pack() {
    for level in Level::ALL {
        assert!(
            pack().advice.iter().any(|m| m.contradicts.contains(&level)),
            "no advice item is marked as contradicting {level}"
        );
    }
    let mut planted = pack().clone();
    for item in &mut planted.advice {
        if item.id == "when-to-get-help" {
            item.when = None;
        }
    }
    // The clone carries the real pack's compiled rules: compile afresh.
    planted.prechecks = Default::default();
    let mut a = Answers::new(&planted);
    a.set(q("location"), Some(opt("location", "inner")));
    a.set(q("locking"), Some(Value::Flag(true)));
    let report = Report::new(&planted, &a);
    assert_eq!(report.triage.level, Level::Urgent);
    let err = one_voice(&planted, &a, &report)
        .expect_err("the planted pack gives self-care advice at urgent");
    assert!(err.contains("when-to-get-help"), "{err}");
    assert_eq!(check_all(&a), Ok(Level::Urgent), "the real pack holds");
}

/// The invariants are not vacuous: a pack with a weakened rule breaks them.
#[test]
fn the_invariants_catch_an_under_triaging_pack() {
    let mut weak = pack().clone();
    for rule in &mut weak.triage {
        if rule.id == "swollen-painful-calf" {
            rule.level = Level::SeeProfessional;
        }
    }
    let mut a = Answers::new(&weak);
    a.set(q("location"), Some(opt("location", "back")));
    a.set(q("calf_swelling"), Some(Value::Flag(true)));
    let level = engine::assess(&weak, &a).level;
    let view = View(&a);
    let broken = EMERGENCY_SIGNS
        .iter()
        .any(|(_, holds)| holds(&view) && level != Level::Emergency);
    assert!(broken, "the weakened pack should break INV-EMERGENCY");
    assert_eq!(check_all(&a), Ok(Level::Emergency), "the real pack holds");
}
