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
use knee_triage::model::{Care, Category, Cond, Level, Pack, QuestionKind};
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
    fn num(&self, key: &str) -> Option<f64> {
        match self.0.get(q(key)) {
            Some(Value::Num(n)) => Some(n),
            _ => None,
        }
    }
    fn swollen(&self) -> bool {
        self.is("swelling", "mild") || self.is("swelling", "marked")
    }
    /// After an injury: a sudden onset, an injury mechanism, or an onset
    /// not given (not knowing must not hide a fracture or a rupture).
    fn maybe_injured(&self) -> bool {
        self.is("onset", "sudden")
            || self.unanswered("onset")
            || INJURY_MECHANISMS.iter().any(|m| self.is("mechanism", m))
    }
    /// An injury in the stricter sense of v3 (a twinge that came on during
    /// a run with nothing named is not one): an injury mechanism, or a
    /// sudden onset with an unknown mechanism, a pop, swelling or giving
    /// way, or an onset not given.
    fn injured(&self) -> bool {
        INJURY_MECHANISMS.iter().any(|m| self.is("mechanism", m))
            || self.unanswered("onset")
            || (self.is("onset", "sudden")
                && (self.unanswered("mechanism")
                    || self.yes("heard_pop")
                    || self.yes("giving_way")
                    || self.swollen()))
    }
    /// An injury as [`View::injured`], but only from what was answered
    /// (the Ottawa tenderness criteria need a known injury).
    fn injured_known(&self) -> bool {
        self.injured() && !self.unanswered("onset")
            || INJURY_MECHANISMS.iter().any(|m| self.is("mechanism", m))
    }
    /// Within the Ottawa rule's 7 days, or not known.
    fn fresh(&self) -> bool {
        self.num("duration_days").is_none_or(|d| d <= 7.0)
    }
    /// Under 18: the age the SUFE pathways use.
    fn under_18(&self) -> bool {
        self.num("age").is_some_and(|a| a < 18.0)
    }
    /// Without an injury: a gradual onset, none named, swelling that came
    /// by itself, or an onset not given (not knowing must not hide an
    /// infection or a tumour).
    fn maybe_uninjured(&self) -> bool {
        self.is("onset", "gradual") || self.unanswered("onset") || self.is("mechanism", "none")
    }
    /// Under 16: the age the children's limp pathways use.
    fn child(&self) -> bool {
        self.num("age").is_some_and(|a| a < 16.0)
    }
    fn warm_or_red(&self) -> bool {
        self.yes("warm") || self.yes("red_hot")
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
const EMERGENCY_SIGNS: [Sign; 19] = [
    ("cannot bear weight after an injury", |a| {
        a.yes("cannot_bear_weight")
            && (a.is("onset", "sudden")
                || a.unanswered("onset")
                || INJURY_MECHANISMS.iter().any(|m| a.is("mechanism", m)))
    }),
    ("deformity", |a| a.yes("deformity")),
    ("fever with a hot or swollen knee", |a| {
        a.yes("fever") && (a.warm_or_red() || a.swollen())
    }),
    ("calf swelling", |a| a.yes("calf_swelling")),
    // v3: a cold foot; numbness only after an injury (at rest with back
    // pain and no injury it is nerve-root pain: CKS sciatica).
    ("a cold, pale or blue foot", |a| a.yes("cold_or_pale_foot")),
    ("numbness after an injury", |a| {
        a.yes("numbness") && a.injured()
    }),
    ("foot drop after an injury", |a| {
        a.yes("foot_weakness") && INJURY_MECHANISMS.iter().any(|m| a.is("mechanism", m))
    }),
    ("saddle numbness or a bladder change with back pain", |a| {
        a.yes("saddle_numbness_or_bladder") && a.yes("back_pain")
    }),
    ("a possible knee dislocation", |a| {
        a.is("mechanism", "hyperextension")
            && a.yes("giving_way")
            && a.is("swelling", "marked")
            && (a.yes("heard_pop") || a.is("swelling_onset", "rapid"))
    }),
    ("a limp with hip or thigh pain under 18 (SUFE)", |a| {
        a.under_18() && a.yes("limp") && a.yes("hip_or_thigh_pain")
    }),
    // v2: an infected joint or bone (BSR/BOA hot swollen joint), v3:
    // when acute (14 days or less, or not known), red-hot, spontaneous, or
    // with a leg that cannot be used.
    ("an acutely warm, swollen knee without an injury", |a| {
        a.warm_or_red()
            && a.swollen()
            && (a.maybe_uninjured() || a.is("swelling_onset", "spontaneous"))
            && (a.yes("red_hot")
                || a.is("swelling_onset", "spontaneous")
                || a.num("duration_days").is_none_or(|d| d <= 14.0)
                || a.yes("cannot_bear_weight")
                || a.yes("cannot_bend_90"))
    }),
    ("a warm, swollen knee with an infection risk", |a| {
        (a.yes("infection_risk") || a.yes("knee_wound_or_procedure"))
            && a.warm_or_red()
            && a.swollen()
    }),
    ("fever with an infection risk", |a| {
        a.yes("fever") && a.yes("infection_risk")
    }),
    ("fever with a leg that cannot be used", |a| {
        a.yes("fever")
            && (a.yes("cannot_bear_weight")
                || a.yes("limp")
                || a.yes("cannot_bend_90")
                || a.yes("cannot_straight_leg_raise"))
    }),
    // v2: children (NICE CKS limp in children).
    ("a child with fever", |a| a.child() && a.yes("fever")),
    ("a runner under 18 who cannot bear weight", |a| {
        a.under_18() && a.yes("cannot_bear_weight")
    }),
    // v2: the extensor mechanism and the kneecap.
    ("cannot straight-leg raise after an injury", |a| {
        a.yes("cannot_straight_leg_raise") && a.maybe_injured()
    }),
    (
        "a kneecap that slipped, after an injury or with swelling",
        |a| {
            a.yes("kneecap_slipped")
                && (a.is("onset", "sudden")
                    || a.unanswered("onset")
                    || a.swollen()
                    || a.yes("cannot_bear_weight"))
        },
    ),
    ("a swollen calf with a clot risk", |a| {
        a.yes("calf_swelling") && a.yes("clot_risk")
    }),
];

/// INV-URGENT: each of these gives at least `urgent`. "Rapid swelling after
/// an injury" is `swelling_onset = rapid` (the option means within about
/// two hours of an injury).
const URGENT_SIGNS: [Sign; 32] = [
    ("locking", |a| a.yes("locking")),
    ("rapid swelling after an injury", |a| {
        a.is("swelling_onset", "rapid") && a.maybe_injured()
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
    // v2
    ("cannot bear weight", |a| a.yes("cannot_bear_weight")),
    ("fever", |a| a.yes("fever")),
    ("a red, hot knee", |a| a.yes("red_hot")),
    ("a warm, swollen knee", |a| a.yes("warm") && a.swollen()),
    ("swelling that came by itself", |a| {
        a.is("swelling_onset", "spontaneous")
    }),
    ("a kneecap that slipped", |a| a.yes("kneecap_slipped")),
    ("cannot straight-leg raise", |a| {
        a.yes("cannot_straight_leg_raise")
    }),
    (
        "cannot bend to a right angle in the week after an injury",
        |a| a.yes("cannot_bend_90") && a.injured() && a.fresh(),
    ),
    (
        "an infection risk with warmth, redness, fever or swelling by itself",
        |a| {
            a.yes("infection_risk")
                && (a.warm_or_red() || a.yes("fever") || a.is("swelling_onset", "spontaneous"))
        },
    ),
    (
        "a warm, red or swollen knee after a wound or procedure",
        |a| a.yes("knee_wound_or_procedure") && (a.warm_or_red() || a.swollen()),
    ),
    ("foot drop", |a| a.yes("foot_weakness")),
    ("saddle numbness or a bladder change", |a| {
        a.yes("saddle_numbness_or_bladder")
    }),
    ("past cancer with night pain, weight loss or a lump", |a| {
        a.yes("past_cancer") && (a.yes("night_pain") || a.yes("weight_loss_or_lump"))
    }),
    (
        "hip, groin or thigh pain with a bone-stress sign (femoral neck)",
        |a| {
            a.yes("hip_or_thigh_pain")
                && (a.yes("limp")
                    || a.yes("bone_stress_risk")
                    || a.yes("night_pain")
                    || a.yes("pain_hopping")
                    || a.num("mileage_increase_pct").is_some_and(|n| n >= 30.0)
                    || a.num("long_run_increase_pct").is_some_and(|n| n >= 30.0))
        },
    ),
    ("an Ottawa criterion in the week after an injury", |a| {
        a.fresh()
            && ((a.injured_known()
                && (a.is("tender_spot", "kneecap-edge") || a.is("tender_spot", "fibula-head")))
                || (a.num("age").is_some_and(|n| n >= 55.0)
                    && (a.is("onset", "sudden")
                        || INJURY_MECHANISMS.iter().any(|m| a.is("mechanism", m)))))
    }),
    ("a swollen knee with other joints", |a| {
        a.yes("other_joints") && a.swollen()
    }),
    ("a swollen knee after an infection", |a| {
        a.yes("recent_infection") && (a.swollen() || a.warm_or_red())
    }),
    ("a swollen knee with long morning stiffness", |a| {
        a.num("stiffness_minutes").is_some_and(|m| m > 30.0) && a.swollen()
    }),
    ("under 18 with a limp", |a| a.under_18() && a.yes("limp")),
    ("under 18 with hip or thigh pain", |a| {
        a.under_18() && a.yes("hip_or_thigh_pain")
    }),
    ("a child with a swollen knee without an injury", |a| {
        a.child() && a.swollen() && a.maybe_uninjured()
    }),
    (
        "night pain without an injury under 25 or age unknown (NG12)",
        |a| a.yes("night_pain") && a.num("age").is_none_or(|n| n < 25.0) && a.maybe_uninjured(),
    ),
    ("weight loss or a lump on a bone", |a| {
        a.yes("weight_loss_or_lump")
    }),
    ("hopping pain after a load spike", |a| {
        a.yes("pain_hopping")
            && (a.num("mileage_increase_pct").is_some_and(|n| n >= 30.0)
                || a.num("long_run_increase_pct").is_some_and(|n| n >= 30.0))
    }),
    ("bone-stress risk with hopping or night pain", |a| {
        a.yes("bone_stress_risk") && (a.yes("pain_hopping") || a.yes("night_pain"))
    }),
    ("pain behind the knee at rest, with a clot risk", |a| {
        a.yes("clot_risk") && a.is("location", "back") && a.yes("night_pain")
    }),
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
        // v3
        "cold_or_pale_foot",
        "foot_weakness",
        "saddle_numbness_or_bladder",
        "locking",
        "heard_pop",
        "giving_way",
        "cannot_bend_90",
        "pain_hopping",
        "night_pain",
        "bone_stress_risk",
        // v2
        "limp",
        "hip_or_thigh_pain",
        "back_pain",
        "cannot_straight_leg_raise",
        "kneecap_slipped",
        "warm",
        "other_joints",
        "recent_infection",
        "weight_loss_or_lump",
        "exertional_calf_symptoms",
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
    ]);
    for pain in 7..=10 {
        out.push(("pain_level", Value::Num(pain as f64)));
    }
    for days in [21.0, 22.0, 60.0, 365.0] {
        out.push(("duration_days", Value::Num(days)));
    }
    for minutes in [31.0, 45.0, 120.0] {
        out.push(("stiffness_minutes", Value::Num(minutes)));
    }
    out
}

/// Risks rather than signs: alone they may leave a runner at self-care,
/// but adding one must never lower the level (INV-MONOTONIC).
fn risk_answers() -> Vec<(&'static str, Value)> {
    [
        "infection_risk",
        "clot_risk",
        "past_cancer",
        "knee_wound_or_procedure",
    ]
    .into_iter()
    .map(|k| (k, Value::Flag(true)))
    .collect()
}

/// How alarming an answer is, for "adding" a warning: unanswered and the
/// harmless values rank 0, warning values above them.
///
/// The onset is not ranked: an injury and its absence each point to their
/// own dangers (after an injury a fracture, by the Ottawa rule; without one
/// an infection, a tumour or an inflammatory arthritis), so neither answer
/// is "more alarming" than the other. INV-EMERGENCY and INV-URGENT pin the
/// signs on both sides of it.
///
/// The duration is not ranked either (v3): a fresh injury points to a
/// fracture (the Ottawa rule counts within 7 days) and an acutely hot
/// swollen knee to an infection, while a long one points to a professional
/// for pain that has not settled.
fn alarm(key: &str, v: Option<Value>) -> f64 {
    if key == "onset" || key == "duration_days" {
        return 0.0;
    }
    let Some(v) = v else { return -1.0 };
    match (key, v) {
        (_, Value::Flag(b)) => f64::from(u8::from(b)),
        ("pain_level", Value::Num(n)) | ("stiffness_minutes", Value::Num(n)) => n,
        ("swelling", c) if c == opt("swelling", "marked") => 2.0,
        ("swelling", c) if c == opt("swelling", "mild") => 1.0,
        (_, c)
            if warning_answers()
                .iter()
                .chain(&risk_answers())
                .any(|(k, w)| *k == key && *w == c) =>
        {
            1.0
        }
        _ => 0.0,
    }
}

/// The warning answers present. v3 context: three weeks or more counts
/// unless the pain is mild (3/10 or less) and getting better; swelling
/// that came up fast counts only after a possible injury; an injury counts
/// in the stricter sense (a twinge during a run with nothing named is not
/// one).
fn present_warnings(a: &Answers) -> Vec<String> {
    let view = View(a);
    let settling = view.is("trend", "better") && view.num("pain_level").is_some_and(|p| p <= 3.0);
    let mut out: Vec<String> = warning_answers()
        .into_iter()
        .filter(|(k, w)| match (a.get(q(k)), w) {
            (Some(Value::Num(n)), Value::Num(_)) => {
                (*k == "pain_level" && n >= 7.0)
                    || (*k == "duration_days" && n >= 21.0 && !settling)
                    || (*k == "stiffness_minutes" && n > 30.0)
            }
            (Some(v), w) if *k == "swelling_onset" && *w == opt("swelling_onset", "rapid") => {
                v == *w && view.maybe_injured()
            }
            (Some(v), w) => v == *w,
            (None, _) => false,
        })
        .map(|(k, w)| format!("{k}={w:?}"))
        .collect();
    if view.injured() && !view.unanswered("onset")
        || INJURY_MECHANISMS.iter().any(|m| view.is("mechanism", m))
    {
        out.push("an injury".into());
    }
    out
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
    if report.triage.reasons.is_empty() {
        return Err("INV-TOTAL: no reason for the level".into());
    }
    let advice: Vec<(Category, &str)> = report
        .advice
        .iter()
        .map(|i| (i.category, i.id.as_str()))
        .collect();
    if advice.is_empty() {
        return Err("INV-TOTAL: no advice".into());
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
        && let Some((category, id)) = advice.iter().find(|(c, _)| {
            matches!(
                c,
                Category::Exercise | Category::Stretch | Category::ReturnToRunning
            )
        })
    {
        return Err(format!(
            "INV-REST-FIRST: {level} with {} advice {id}",
            category.as_str()
        ));
    }
    one_voice(pack, a, &report)?;
    care(&view, &report)?;
    // INV-SELF-CARE: only with no warning sign, and always with the advice
    // that says when to get help.
    if level == Level::SelfCare {
        let present = present_warnings(a);
        if !present.is_empty() {
            return Err(format!("INV-SELF-CARE: self-care with {present:?}"));
        }
        if !advice.iter().any(|(_, id)| *id == "when-to-get-help") {
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

/// The line every report for a runner under 18 carries on its first
/// screen (RCH SUFE guideline; the contract's v3 children's rule).
pub const HIP_LINE: &str = "If you limp, or your hip, groin or thigh hurts, be seen today.";

/// INV-CARE: the care belongs to the level; a report that sends the runner
/// today (same day, emergency department, ambulance) never says "a day or
/// two" anywhere; a runner under 18 always gets the hip line.
fn care(view: &View, report: &Report) -> Result<(), String> {
    let t = &report.triage;
    if t.care.level() != t.level {
        return Err(format!(
            "INV-CARE: care {} at level {}",
            t.care.as_str(),
            t.level
        ));
    }
    if t.care >= Care::SameDay {
        let steps = &report.next_steps;
        let texts = [
            &t.action,
            &t.care_text,
            &steps.running_text,
            &steps.get_help,
        ]
        .into_iter()
        .chain(&t.reasons)
        .chain(&steps.notes)
        .chain(report.advice.iter().flat_map(|i| [&i.title, &i.text]));
        for text in texts {
            if text.contains("a day or two") {
                return Err(format!(
                    "INV-CARE: a {} report says \"a day or two\": {text}",
                    t.care.as_str()
                ));
            }
        }
    }
    if view.under_18() && !report.next_steps.notes.iter().any(|n| n == HIP_LINE) {
        return Err("INV-CARE: a runner under 18 without the hip line".into());
    }
    Ok(())
}

/// A risk factor and the signs it counts with (Infermedica's triage
/// tuples; BSR/BOA, NICE NG158, NICE NG12).
type Tuple = (&'static str, fn(&View) -> bool);

const TUPLES: [Tuple; 4] = [
    ("infection_risk", |a| {
        a.warm_or_red() || a.yes("fever") || a.is("swelling_onset", "spontaneous")
    }),
    ("knee_wound_or_procedure", |a| {
        a.warm_or_red() || a.yes("fever") || a.swollen()
    }),
    ("clot_risk", |a| {
        a.yes("calf_swelling") || a.yes("night_pain")
    }),
    ("past_cancer", |a| {
        a.yes("night_pain") || a.yes("weight_loss_or_lump")
    }),
];

/// INV-TUPLE: a risk answer without one of its signs never takes the level
/// above see-professional (nor above where the other answers put it).
fn tuple(a: &Answers, level: Level) -> Result<(), String> {
    tuple_in(pack(), a, level)
}

fn tuple_in(pack: &Pack, a: &Answers, level: Level) -> Result<(), String> {
    for (risk, signs) in TUPLES {
        let qi = q(risk);
        if a.get(qi) == Some(Value::Flag(true)) || signs(&View(a)) {
            continue;
        }
        let mut more = a.clone();
        more.set(qi, Some(Value::Flag(true)));
        let after = engine::assess(pack, &more).level;
        if after > level.max(Level::SeeProfessional) {
            return Err(format!(
                "INV-TUPLE: {risk} alone raised {level} to {after}\nanswers: {:?}",
                a.to_json(pack)
            ));
        }
    }
    Ok(())
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
    for (key, w) in warning_answers().into_iter().chain(risk_answers()) {
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
        let level = check_all(&a).map_err(TestCaseError::fail)?;
        tuple(&a, level).map_err(TestCaseError::fail)?;
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
        (
            "numbness after a twist",
            vec![
                ("numbness", Value::Flag(true)),
                ("mechanism", opt("mechanism", "twist")),
            ],
        ),
        ("cold foot", vec![("cold_or_pale_foot", Value::Flag(true))]),
        ("foot drop", vec![("foot_weakness", Value::Flag(true))]),
        (
            "saddle numbness",
            vec![("saddle_numbness_or_bladder", Value::Flag(true))],
        ),
        (
            "under 18, limp and thigh pain",
            vec![
                ("limp", Value::Flag(true)),
                ("hip_or_thigh_pain", Value::Flag(true)),
                ("age", Value::Num(16.0)),
            ],
        ),
        (
            "hip pain after a spike",
            vec![
                ("hip_or_thigh_pain", Value::Flag(true)),
                ("mileage_increase_pct", Value::Num(40.0)),
            ],
        ),
        (
            "warm after an injection",
            vec![
                ("knee_wound_or_procedure", Value::Flag(true)),
                ("warm", Value::Flag(true)),
            ],
        ),
        ("locking", vec![("locking", Value::Flag(true))]),
        (
            "rapid swelling after a sudden onset",
            vec![
                ("swelling_onset", opt("swelling_onset", "rapid")),
                ("onset", opt("onset", "sudden")),
            ],
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
        (
            "warm, swollen, no injury",
            vec![
                ("warm", Value::Flag(true)),
                ("swelling", opt("swelling", "mild")),
                ("onset", opt("onset", "gradual")),
            ],
        ),
        (
            "fever, limp",
            vec![("fever", Value::Flag(true)), ("limp", Value::Flag(true))],
        ),
        (
            "child, fever",
            vec![("fever", Value::Flag(true)), ("age", Value::Num(11.0))],
        ),
        (
            "child, cannot bear weight",
            vec![
                ("cannot_bear_weight", Value::Flag(true)),
                ("age", Value::Num(13.0)),
            ],
        ),
        (
            "straight-leg raise, sudden",
            vec![
                ("cannot_straight_leg_raise", Value::Flag(true)),
                ("onset", opt("onset", "sudden")),
            ],
        ),
        (
            "kneecap slipped",
            vec![("kneecap_slipped", Value::Flag(true))],
        ),
        (
            "child, limp",
            vec![("limp", Value::Flag(true)), ("age", Value::Num(12.0))],
        ),
        (
            "teen, night pain, gradual",
            vec![
                ("night_pain", Value::Flag(true)),
                ("age", Value::Num(15.0)),
                ("onset", opt("onset", "gradual")),
            ],
        ),
        ("lump", vec![("weight_loss_or_lump", Value::Flag(true))]),
        (
            "hop after a spike",
            vec![
                ("pain_hopping", Value::Flag(true)),
                ("mileage_increase_pct", Value::Num(50.0)),
            ],
        ),
        (
            "swelling with other joints",
            vec![
                ("other_joints", Value::Flag(true)),
                ("swelling", opt("swelling", "mild")),
            ],
        ),
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

fn num_dim(key: &'static str, values: &[f64]) -> Dim {
    let mut v = vec![None];
    v.extend(values.iter().map(|&n| Some(Value::Num(n))));
    Dim { key, values: v }
}

/// Answer sets drawn from the v2 grid, and as many neighbours.
const V2_SAMPLES: usize = 40_000;

/// The v2 warning answers (children, infection, clots, the extensor
/// mechanism, the kneecap, bone stress, referred pain, inflammatory
/// arthritis) with the v1 red flags they combine with, every location,
/// onset and mechanism, ages either side of 16, 25 and 55, and the load
/// figures either side of 30%. The full product has about 4·10¹¹ answer
/// sets, far too many, so a fixed pseudo-random sample of them is checked
/// against every invariant, and for each a neighbour with one answer made
/// more alarming is checked for INV-MONOTONIC. The sample is the same on
/// every run.
#[test]
fn sampled_v2_warning_signs_grid() {
    let dims = vec![
        bool_dim("fever"),
        bool_dim("warm"),
        bool_dim("red_hot"),
        enum_dim("swelling"),
        enum_dim("swelling_onset"),
        bool_dim("infection_risk"),
        bool_dim("recent_infection"),
        bool_dim("other_joints"),
        num_dim("stiffness_minutes", &[0.0, 30.0, 31.0, 90.0]),
        bool_dim("limp"),
        bool_dim("cannot_bear_weight"),
        bool_dim("cannot_bend_90"),
        bool_dim("cannot_straight_leg_raise"),
        bool_dim("kneecap_slipped"),
        bool_dim("night_pain"),
        bool_dim("weight_loss_or_lump"),
        bool_dim("hip_or_thigh_pain"),
        bool_dim("back_pain"),
        bool_dim("calf_swelling"),
        bool_dim("clot_risk"),
        bool_dim("exertional_calf_symptoms"),
        bool_dim("pain_hopping"),
        bool_dim("bone_stress_risk"),
        num_dim("mileage_increase_pct", &[0.0, 29.0, 30.0, 80.0]),
        num_dim("long_run_increase_pct", &[0.0, 29.0, 30.0]),
        num_dim("age", &[9.0, 15.0, 16.0, 24.0, 25.0, 54.0, 55.0, 70.0]),
        Dim {
            key: "mechanism",
            values: vec![
                None,
                Some(opt("mechanism", "twist")),
                Some(opt("mechanism", "fall-onto-knee")),
                Some(opt("mechanism", "none")),
            ],
        },
        every_location(),
        enum_dim("onset"),
    ];
    let pack = pack();
    let qs: Vec<usize> = dims.iter().map(|d| q(d.key)).collect();
    // A fixed 64-bit LCG (Knuth's MMIX constants): the same sample each run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    let mut raised = 0;
    for _ in 0..V2_SAMPLES {
        let picks: Vec<usize> = dims.iter().map(|d| next(d.values.len())).collect();
        let mut a = Answers::new(pack);
        for (d, dim) in dims.iter().enumerate() {
            a.set(qs[d], dim.values[picks[d]]);
        }
        let level = match check(&a, false) {
            Ok(l) => l,
            Err(e) => panic!("{e}\nanswers: {:?}", a.to_json(pack)),
        };
        // One neighbour: one answer made more alarming.
        if raise_one(&dims, &qs, &picks, &a, level, &mut next) {
            raised += 1;
        }
    }
    assert!(raised > V2_SAMPLES / 4, "{raised}");
    eprintln!("sampled v2 warning signs: {V2_SAMPLES} answer sets, {raised} raised neighbours");
}

/// INV-MONOTONIC on one neighbour of the sampled answers `a` (answered
/// `picks` of `dims`, at `level`): one dimension drawn with `next`, its
/// answer made more alarming, never lowers the level. False when that
/// dimension has no more alarming answer.
fn raise_one(
    dims: &[Dim],
    qs: &[usize],
    picks: &[usize],
    a: &Answers,
    level: Level,
    next: &mut impl FnMut(usize) -> usize,
) -> bool {
    let pack = pack();
    let d = next(dims.len());
    let dim = &dims[d];
    let from = alarm(dim.key, dim.values[picks[d]]);
    let more: Vec<usize> = (0..dim.values.len())
        .filter(|&i| {
            let to = alarm(dim.key, dim.values[i]);
            to > from && to >= 1.0
        })
        .collect();
    if more.is_empty() {
        return false;
    }
    let to = more[next(more.len())];
    let mut b = a.clone();
    b.set(qs[d], dim.values[to]);
    let after = match check(&b, false) {
        Ok(l) => l,
        Err(e) => panic!("{e}\nanswers: {:?}", b.to_json(pack)),
    };
    assert!(
        after >= level,
        "INV-MONOTONIC: {} from {:?} to {:?} lowered {level} to {after}\nanswers: {:?}",
        dim.key,
        dim.values[picks[d]],
        dim.values[to],
        a.to_json(pack)
    );
    true
}

/// Answer sets drawn from the v3 grid.
const V3_SAMPLES: usize = 30_000;

/// The v3 answers (a cold foot, foot drop, saddle numbness, a wound or
/// procedure at the knee, past cancer, the narrowed numbness and infection
/// risk) with what gives them their context: the injury (mechanism, pop,
/// giving way, swelling and its onset), the duration either side of 7, 14
/// and 21 days, the trend and the pain, ages either side of 18, 25 and 55,
/// the hip answers and the load figures. A fixed pseudo-random sample is
/// checked against every invariant, INV-CARE and INV-TUPLE, and for each a
/// neighbour with one answer made more alarming for INV-MONOTONIC.
#[test]
fn sampled_v3_care_and_context_grid() {
    let dims = vec![
        bool_dim("cold_or_pale_foot"),
        bool_dim("numbness"),
        bool_dim("foot_weakness"),
        bool_dim("saddle_numbness_or_bladder"),
        bool_dim("back_pain"),
        bool_dim("knee_wound_or_procedure"),
        bool_dim("infection_risk"),
        bool_dim("past_cancer"),
        bool_dim("weight_loss_or_lump"),
        bool_dim("clot_risk"),
        bool_dim("calf_swelling"),
        bool_dim("night_pain"),
        bool_dim("warm"),
        bool_dim("red_hot"),
        bool_dim("fever"),
        enum_dim("swelling"),
        enum_dim("swelling_onset"),
        bool_dim("heard_pop"),
        bool_dim("giving_way"),
        bool_dim("cannot_bear_weight"),
        bool_dim("cannot_bend_90"),
        bool_dim("limp"),
        bool_dim("hip_or_thigh_pain"),
        bool_dim("bone_stress_risk"),
        bool_dim("pain_hopping"),
        num_dim("mileage_increase_pct", &[0.0, 29.0, 30.0]),
        Dim {
            key: "tender_spot",
            values: vec![
                None,
                Some(opt("tender_spot", "kneecap-edge")),
                Some(opt("tender_spot", "fibula-head")),
                Some(opt("tender_spot", "joint-line")),
            ],
        },
        num_dim(
            "duration_days",
            &[0.0, 7.0, 8.0, 14.0, 15.0, 21.0, 45.0, 400.0],
        ),
        enum_dim("trend"),
        num_dim("pain_level", &[2.0, 3.0, 4.0, 5.0, 7.0, 8.0]),
        num_dim("age", &[12.0, 17.0, 18.0, 24.0, 25.0, 40.0, 55.0, 72.0]),
        enum_dim("mechanism"),
        every_location(),
        enum_dim("onset"),
    ];
    let pack = pack();
    let qs: Vec<usize> = dims.iter().map(|d| q(d.key)).collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    let (mut raised, mut today) = (0, 0);
    for n in 0..V3_SAMPLES {
        // Most warning answers are rare in real reports: keep each one
        // answered "yes" in about one set in six, so their combinations
        // with the context answers are what the sample explores.
        let picks: Vec<usize> = dims
            .iter()
            .map(|d| {
                let i = next(d.values.len());
                if d.values.len() == 3 && d.values[i] == Some(Value::Flag(true)) && next(2) == 0 {
                    0
                } else {
                    i
                }
            })
            .collect();
        let mut a = Answers::new(pack);
        for (d, dim) in dims.iter().enumerate() {
            a.set(qs[d], dim.values[picks[d]]);
        }
        let level = match check(&a, false) {
            Ok(l) => l,
            Err(e) => panic!("{e}\nanswers: {:?}", a.to_json(pack)),
        };
        if engine::assess(pack, &a).care >= Care::SameDay {
            today += 1;
        }
        if n % 4 == 0
            && let Err(e) = tuple(&a, level)
        {
            panic!("{e}");
        }
        // One neighbour: one answer made more alarming.
        if raise_one(&dims, &qs, &picks, &a, level, &mut next) {
            raised += 1;
        }
    }
    assert!(raised > V3_SAMPLES / 4, "{raised}");
    assert!(today > V3_SAMPLES / 10, "too few same-day reports: {today}");
    eprintln!("sampled v3 grid: {V3_SAMPLES} answer sets, {raised} raised neighbours");
}

/// INV-TUPLE on each risk answer alone: with only a location, a risk factor
/// never takes the report above see-professional; and the invariant is not
/// vacuous: the v2 rule that read a background infection risk with any
/// swelling as urgent breaks it.
#[test]
fn a_risk_alone_is_at_most_see_professional() {
    for location in pack().questions[q("location")].option_values() {
        let mut a = Answers::new(pack());
        a.set(q("location"), Some(opt("location", location)));
        let level = check_all(&a).expect("invariants");
        tuple(&a, level).expect("INV-TUPLE");
    }
    let mut a = Answers::new(pack());
    a.set(q("location"), Some(opt("location", "front")));
    a.set(q("swelling"), Some(opt("swelling", "mild")));
    a.set(q("onset"), Some(opt("onset", "gradual")));
    let mut v2 = pack().clone();
    for rule in &mut v2.triage {
        if rule.id == "infection-risk-with-signs" {
            rule.when = Cond::Flag {
                q: q("infection_risk"),
                value: true,
            };
        }
    }
    v2.prechecks = Default::default();
    let level = engine::assess(&v2, &a).level;
    let err = tuple_in(&v2, &a, level).expect_err("the v2 rule breaks INV-TUPLE");
    assert!(err.contains("infection_risk"), "{err}");
    assert_eq!(tuple(&a, engine::assess(pack(), &a).level), Ok(()));
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
