//! From parsed files to a validated [`Pack`], collecting every problem.

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::raw::{RawCause, RawFile, RawPack, RawQuestion, RawValue};
use super::{Problem, Source, did_you_mean, line_column};
use crate::model::{
    Advice, Cause, Choice, Cond, FirstCandidate, LOAD_FIGURES, Level, LevelSteps, LevelText,
    Likelihood, LoadFlag, LoadRatio, LoadRules, NumRange, Outside, OutsideRule, PAIN_RULE, Pack,
    PackMeta, Question, QuestionKind, RunningPainRule, ScoreRule, StepRule, StepsRules, TriageRule,
};

/// What a condition may refer to besides answers.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    /// Scoring, triage and `ask_if`: answers only.
    Answers,
    /// Advice may also read the triage level and cause likelihoods.
    Advice,
}

struct Checker<'a> {
    sources: &'a [Source],
    problems: Vec<Problem>,
    /// Scoring and triage rule ids share one namespace, so a rule id in a
    /// report names one rule; advice ids have their own.
    rule_ids: HashSet<String>,
    advice_ids: HashSet<String>,
}

impl Checker<'_> {
    fn claim_rule_id(&mut self, file: usize, id: &Spanned<String>) {
        if !self.rule_ids.insert(id.get_ref().clone()) {
            self.report(
                file,
                id.span(),
                format!("duplicate rule id \"{}\"", id.get_ref()),
            );
        }
    }

    fn claim_advice_id(&mut self, file: usize, id: &Spanned<String>) {
        if !self.advice_ids.insert(id.get_ref().clone()) {
            self.report(
                file,
                id.span(),
                format!("duplicate advice id \"{}\"", id.get_ref()),
            );
        }
    }

    fn report(&mut self, file: usize, span: std::ops::Range<usize>, message: impl Into<String>) {
        let source = &self.sources[file];
        let (line, column) = line_column(&source.text, span.start);
        self.problems.push(Problem {
            file: source.path.clone(),
            line,
            column,
            message: message.into(),
        });
    }
}

pub fn compile(sources: &[Source]) -> Result<Pack, Vec<Problem>> {
    let mut ck = Checker {
        sources,
        problems: Vec::new(),
        rule_ids: HashSet::new(),
        advice_ids: HashSet::new(),
    };

    let mut files: Vec<(usize, RawFile)> = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        match toml::from_str::<RawFile>(&source.text) {
            Ok(file) => files.push((i, file)),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = super::plain_words(&e.message().trim().replace('\n', " "));
                ck.report(i, span, message);
            }
        }
    }

    let meta = pack_meta(&mut ck, &mut files);
    let (questions, raw_questions) = questions(&mut ck, &mut files);
    let names = Names::new(&questions, &files);
    let causes = causes(&mut ck, &mut files, &names, &questions);
    let triage = triage_rules(&mut ck, &mut files, &names, &questions);
    let advice = advice(&mut ck, &mut files, &names, &questions);
    let outside = outside(&mut ck, &mut files, &names, &questions);
    let next_steps = next_steps(&mut ck, &mut files, &names, &questions, &advice);
    let questions = attach_ask_if(&mut ck, questions, raw_questions, &names);
    let load = load_rules(&mut ck, &mut files);
    let pain_rules = pain_rules(&mut ck, &mut files, next_steps.as_ref());

    if !questions.iter().any(|q| q.required) && !questions.is_empty() {
        ck.report(
            0,
            0..0,
            "no question is `required`: the answers would have no anchor",
        );
    }

    match meta {
        Some(meta) if ck.problems.is_empty() => Ok(Pack {
            meta,
            questions,
            causes,
            triage,
            advice,
            load,
            next_steps,
            outside,
            pain_rules,
            prechecks: Default::default(),
        }),
        _ => Err(super::root_problems(sources, ck.problems)),
    }
}

fn pack_meta(ck: &mut Checker, files: &mut [(usize, RawFile)]) -> Option<PackMeta> {
    let mut found: Option<(usize, Spanned<RawPack>)> = None;
    for (file, raw) in files.iter_mut() {
        if let Some(pack) = raw.pack.take() {
            if found.is_some() {
                ck.report(
                    *file,
                    pack.span(),
                    "a second [pack] table: the pack is described once",
                );
            } else {
                found = Some((*file, pack));
            }
        }
    }
    let Some((_, pack)) = found else {
        // A file that failed to parse may well hold the [pack] table.
        if !ck.sources.is_empty() && ck.problems.is_empty() {
            ck.report(
                0,
                0..0,
                "no [pack] table in any file (name, version, disclaimer, levels)",
            );
        }
        return None;
    };
    let p = pack.into_inner();
    let text = |t: super::raw::RawLevelText| LevelText {
        label: t.label,
        action: t.action,
    };
    Some(PackMeta {
        name: p.name,
        version: p.version,
        disclaimer: p.disclaimer,
        no_clear_pattern: p.no_clear_pattern,
        self_care_reason: p.self_care_reason,
        levels: [
            text(p.levels.self_care),
            text(p.levels.see_professional),
            text(p.levels.urgent),
            text(p.levels.emergency),
        ],
        hash: String::new(),
    })
}

/// Ids known to the whole pack, for resolving and suggesting names.
struct Names {
    questions: HashMap<String, usize>,
    causes: HashMap<String, usize>,
}

impl Names {
    fn new(questions: &[Question], files: &[(usize, RawFile)]) -> Names {
        let mut causes = HashMap::new();
        for (_, raw) in files {
            for c in &raw.cause {
                let n = causes.len();
                causes.entry(c.id.get_ref().clone()).or_insert(n);
            }
        }
        Names {
            questions: questions
                .iter()
                .enumerate()
                .map(|(i, q)| (q.id.clone(), i))
                .collect(),
            causes,
        }
    }
}

fn suggestion<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match did_you_mean(given, candidates) {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => String::new(),
    }
}

/// A question's `ask_if`, kept until every question is known.
type RawAskIf = (usize, Option<Spanned<RawValue>>);

fn questions(ck: &mut Checker, files: &mut [(usize, RawFile)]) -> (Vec<Question>, Vec<RawAskIf>) {
    let mut out = Vec::new();
    let mut ask_ifs = Vec::new();
    let raw = unique_ids(
        ck,
        files,
        |f| std::mem::take(&mut f.question),
        |q| &q.id,
        "question",
    );
    for (file, q) in raw {
        let id = q.id.get_ref().clone();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            ck.report(
                file,
                q.id.span(),
                format!("question id \"{id}\" must be snake_case (a-z, 0-9, _)"),
            );
        }
        let ask_if = q.ask_if.clone();
        if let Some(question) = question(ck, file, q) {
            out.push(question);
            ask_ifs.push((file, ask_if));
        }
    }
    (out, ask_ifs)
}

fn question(ck: &mut Checker, file: usize, q: RawQuestion) -> Option<Question> {
    let id = q.id.get_ref().clone();
    let kind = q.kind;
    let mut ok = true;
    let mut options = Vec::new();
    match (&q.options, kind.has_options()) {
        (Some(opts), true) => {
            if opts.get_ref().is_empty() {
                ck.report(
                    file,
                    opts.span(),
                    format!("question \"{id}\" has no options"),
                );
                ok = false;
            }
            if opts.get_ref().len() > 64 {
                ck.report(
                    file,
                    opts.span(),
                    format!("question \"{id}\" has more than 64 options"),
                );
                ok = false;
            }
            let mut seen = HashSet::new();
            for o in opts.get_ref() {
                let v = o.value.get_ref();
                if !seen.insert(v.clone()) {
                    ck.report(
                        file,
                        o.value.span(),
                        format!("duplicate option \"{v}\" in question \"{id}\""),
                    );
                    ok = false;
                }
                options.push(Choice {
                    value: v.clone(),
                    label: o.label.clone(),
                    phrase: o.phrase.clone(),
                });
            }
        }
        (None, true) => {
            ck.report(
                file,
                q.id.span(),
                format!("{} question \"{id}\" needs `options`", kind.as_str()),
            );
            ok = false;
        }
        (Some(opts), false) => {
            ck.report(
                file,
                opts.span(),
                format!(
                    "`options` is only for enum and list questions, and \"{id}\" is {}",
                    kind.as_str()
                ),
            );
            ok = false;
        }
        (None, false) => {}
    }
    let (yes, no) = match (kind, q.yes, q.no) {
        (QuestionKind::Bool, Some(y), Some(n)) => (y.into_inner(), n.into_inner()),
        (QuestionKind::Bool, _, _) => {
            ck.report(
                file,
                q.id.span(),
                format!("bool question \"{id}\" needs both `yes` and `no` phrases"),
            );
            ok = false;
            (String::new(), String::new())
        }
        (_, y, n) => {
            for s in [y, n].into_iter().flatten() {
                ck.report(
                    file,
                    s.span(),
                    format!(
                        "`yes` and `no` are only for bool questions, and \"{id}\" is {}",
                        kind.as_str()
                    ),
                );
                ok = false;
            }
            (String::new(), String::new())
        }
    };
    let phrase = match (kind.is_numeric(), q.phrase) {
        (true, Some(p)) => {
            if !p.get_ref().contains("{value}") {
                ck.report(
                    file,
                    p.span(),
                    format!("phrase of \"{id}\" must contain {{value}}"),
                );
                ok = false;
            }
            p.into_inner()
        }
        (true, None) => {
            ck.report(
                file,
                q.id.span(),
                format!(
                    "{} question \"{id}\" needs a `phrase` such as \"{{value}} km a week\"",
                    kind.as_str()
                ),
            );
            ok = false;
            String::new()
        }
        (false, Some(p)) => {
            ck.report(file, p.span(), format!("`phrase` is only for numeric questions; \"{id}\" is {} (phrases go on its options or yes/no)", kind.as_str()));
            ok = false;
            String::new()
        }
        (false, None) => String::new(),
    };
    if let Some(p) = &q.positive
        && kind != QuestionKind::Bool
    {
        ck.report(
            file,
            p.span(),
            format!(
                "`positive` is only for bool questions, and \"{id}\" is {}",
                kind.as_str()
            ),
        );
        ok = false;
    }
    if !kind.is_numeric() {
        for b in [&q.min, &q.max].into_iter().flatten() {
            ck.report(
                file,
                b.span(),
                format!(
                    "`min` and `max` are only for numeric questions, and \"{id}\" is {}",
                    kind.as_str()
                ),
            );
            ok = false;
        }
    }
    if let (Some(lo), Some(hi)) = (&q.min, &q.max)
        && lo.get_ref() > hi.get_ref()
    {
        ck.report(
            file,
            lo.span(),
            format!(
                "min {} is above max {} in \"{id}\"",
                lo.get_ref(),
                hi.get_ref()
            ),
        );
        ok = false;
    }
    ok.then(|| Question {
        id,
        kind,
        section: q.section,
        required: q.required,
        prompt: q.prompt,
        help: q.help,
        options,
        yes,
        no,
        min: q.min.map(Spanned::into_inner),
        max: q.max.map(Spanned::into_inner),
        unit: q.unit,
        phrase,
        ask_if: None,
        positive: q.positive.map(Spanned::into_inner),
    })
}

fn attach_ask_if(
    ck: &mut Checker,
    mut questions: Vec<Question>,
    raw: Vec<RawAskIf>,
    names: &Names,
) -> Vec<Question> {
    let compiled: Vec<Option<Cond>> = raw
        .into_iter()
        .map(|(file, when)| {
            when.and_then(|w| compile_when(ck, file, names, &questions, Scope::Answers, &w))
        })
        .collect();
    for (q, c) in questions.iter_mut().zip(compiled) {
        q.ask_if = c;
    }
    questions
}

fn causes(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
) -> Vec<Cause> {
    unique_ids(
        ck,
        files,
        |f| std::mem::take(&mut f.cause),
        |c| &c.id,
        "cause",
    )
    .into_iter()
    .filter_map(|(file, c)| cause(ck, file, c, names, questions))
    .collect()
}

fn cause(
    ck: &mut Checker,
    file: usize,
    c: RawCause,
    names: &Names,
    questions: &[Question],
) -> Option<Cause> {
    let id = c.id.get_ref().clone();
    let possible_at = *c.possible_at.get_ref();
    let likely_at = *c.likely_at.get_ref();
    let mut ok = true;
    if possible_at < 1 {
        ck.report(
            file,
            c.possible_at.span(),
            format!("possible_at of \"{id}\" must be at least 1, found {possible_at}"),
        );
        ok = false;
    }
    if likely_at < possible_at {
        ck.report(
            file,
            c.likely_at.span(),
            format!("likely_at ({likely_at}) of \"{id}\" is below possible_at ({possible_at})"),
        );
        ok = false;
    }
    let mut groups: Vec<String> = Vec::new();
    let mut rules = Vec::new();
    for r in &c.rule {
        ck.claim_rule_id(file, &r.id);
        let points = *r.points.get_ref();
        if points == 0 || points.abs() > 100 {
            ck.report(file, r.points.span(), format!("points of rule \"{}\" must be a non-zero whole number from -100 to 100, found {points}", r.id.get_ref()));
            ok = false;
        }
        let when = compile_when(ck, file, names, questions, Scope::Answers, &r.when);
        let group = r.group.as_ref().map(|g| {
            groups.iter().position(|x| x == g).unwrap_or_else(|| {
                groups.push(g.clone());
                groups.len() - 1
            })
        });
        match when {
            Some(when) => rules.push(ScoreRule {
                id: r.id.get_ref().clone(),
                when,
                points: points.clamp(-100, 100) as i32,
                because: r.because.clone(),
                group,
            }),
            None => ok = false,
        }
    }
    if ok {
        let best = max_points(&rules);
        if best < likely_at {
            ck.report(file, c.likely_at.span(), format!("cause \"{id}\" can never be likely: its rules add up to at most {best} points, below likely_at = {likely_at}"));
            ok = false;
        }
    }
    ok.then_some(Cause {
        id,
        kind: c.kind,
        name: c.name,
        about: c.about,
        possible_at: possible_at as i32,
        likely_at: likely_at as i32,
        rules,
    })
}

/// The most points a cause can collect: every positive rule, one per group.
pub fn max_points(rules: &[ScoreRule]) -> i64 {
    let mut best_in_group: HashMap<usize, i64> = HashMap::new();
    let mut total = 0i64;
    for r in rules.iter().filter(|r| r.points > 0) {
        match r.group {
            Some(g) => {
                let e = best_in_group.entry(g).or_insert(0);
                *e = (*e).max(r.points as i64);
            }
            None => total += r.points as i64,
        }
    }
    total + best_in_group.values().sum::<i64>()
}

/// `[[outside]]`: conditions outside the knee, each with the rules that
/// point to it.
fn outside(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
) -> Vec<Outside> {
    let mut out = Vec::new();
    let raw = unique_ids(
        ck,
        files,
        |f| std::mem::take(&mut f.outside),
        |o| &o.id,
        "outside-the-knee condition",
    );
    for (file, o) in raw {
        let id = o.id.get_ref().clone();
        let kebab = !id.is_empty()
            && !id.starts_with('-')
            && !id.ends_with('-')
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !kebab {
            ck.report(
                file,
                o.id.span(),
                format!(
                    "outside-the-knee condition id \"{id}\" must be lower-case words joined by hyphens, like \"blood-clot\""
                ),
            );
            continue;
        }
        if o.rule.is_empty() {
            ck.report(
                file,
                o.id.span(),
                format!(
                    "outside-the-knee condition \"{id}\" has no [[outside.rule]]: nothing can ever point to it"
                ),
            );
            continue;
        }
        let mut rules = Vec::new();
        for r in o.rule {
            ck.claim_rule_id(file, &r.id);
            if r.because.trim().is_empty() {
                ck.report(
                    file,
                    r.id.span(),
                    format!(
                        "rule \"{}\" of \"{id}\" needs a `because`: the answers that point there, in words",
                        r.id.get_ref()
                    ),
                );
            }
            let when = compile_when(ck, file, names, questions, Scope::Answers, &r.when);
            if let Some(when) = when {
                rules.push(OutsideRule {
                    id: r.id.into_inner(),
                    when,
                    because: r.because,
                });
            }
        }
        out.push(Outside {
            id,
            name: o.name,
            about: o.about,
            source: o.source,
            rules,
        });
    }
    out
}

fn triage_rules(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
) -> Vec<TriageRule> {
    let mut out = Vec::new();
    for (file, raw) in files.iter_mut() {
        for t in std::mem::take(&mut raw.triage) {
            ck.claim_rule_id(*file, &t.id);
            let level = *t.level.get_ref();
            if level == Level::SelfCare {
                ck.report(
                    *file,
                    t.level.span(),
                    "a triage rule cannot set self-care: it is the level when no rule fires",
                );
                continue;
            }
            let when = compile_when(ck, *file, names, questions, Scope::Answers, &t.when);
            if let Some(when) = when {
                out.push(TriageRule {
                    id: t.id.into_inner(),
                    level,
                    when,
                    reason: t.reason,
                    source: t.source,
                });
            }
        }
    }
    out
}

fn advice(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
) -> Vec<Advice> {
    let mut out = Vec::new();
    for (file, raw) in files.iter_mut() {
        for a in std::mem::take(&mut raw.advice) {
            ck.claim_advice_id(*file, &a.id);
            let when = match &a.when {
                Some(w) => match compile_when(ck, *file, names, questions, Scope::Advice, w) {
                    Some(c) => Some(c),
                    None => continue,
                },
                None => None,
            };
            let mut contradicts: Vec<Level> = Vec::new();
            let listed = a.contradicts.as_ref();
            for level in listed.map_or(&[][..], |l| l.get_ref()) {
                if contradicts.contains(level) {
                    ck.report(
                        *file,
                        listed.map_or(0..0, |l| l.span()),
                        format!(
                            "advice \"{}\": level \"{level}\" is listed twice in `contradicts`",
                            a.id.get_ref()
                        ),
                    );
                } else {
                    contradicts.push(*level);
                }
            }
            contradicts.sort();
            out.push(Advice {
                id: a.id.into_inner(),
                category: a.category,
                title: a.title,
                text: a.text,
                source: a.source,
                when,
                contradicts,
                running: a.running,
            });
        }
    }
    out
}

/// The one `[next_steps]` table, if any: levels, rules and candidates to
/// do first, with every advice id and number checked.
fn next_steps(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    names: &Names,
    questions: &[Question],
    advice: &[Advice],
) -> Option<StepsRules> {
    let mut found = None;
    for (file, raw) in files.iter_mut() {
        if let Some(steps) = raw.next_steps.take() {
            if found.is_some() {
                ck.report(
                    *file,
                    steps.span(),
                    "a second [next_steps] table: next steps are described once",
                );
            } else {
                found = Some((*file, steps.into_inner()));
            }
        }
    }
    let (file, raw) = found?;
    let mut ok = true;
    /// A number of days, 1 to 365; a problem (and `ok` cleared) otherwise.
    fn days(ck: &mut Checker, file: usize, ok: &mut bool, v: Option<Spanned<i64>>) -> Option<u32> {
        let v = v?;
        match u32::try_from(*v.get_ref()) {
            Ok(d) if (1..=365).contains(&d) => Some(d),
            _ => {
                ck.report(
                    file,
                    v.span(),
                    format!(
                        "recheck_days must be a whole number of days from 1 to 365, found {}",
                        v.get_ref()
                    ),
                );
                *ok = false;
                None
            }
        }
    }
    let mut level = |l: super::raw::RawStepLevel| LevelSteps {
        running: l.running,
        running_text: l.running_text,
        recheck_days: days(ck, file, &mut ok, l.recheck_days),
        get_help: l.get_help,
    };
    let levels = [
        level(raw.levels.self_care),
        level(raw.levels.see_professional),
        level(raw.levels.urgent),
        level(raw.levels.emergency),
    ];
    let compile = |ck: &mut Checker, when: &Spanned<RawValue>| {
        compile_when(ck, file, names, questions, Scope::Advice, when)
    };
    let mut rules = Vec::new();
    for r in raw.rule {
        ck.claim_rule_id(file, &r.id);
        let when = compile(ck, &r.when);
        let asked_days = r.recheck_days.is_some();
        let recheck_days = days(ck, file, &mut ok, r.recheck_days);
        if r.running.is_some() != r.running_text.is_some() {
            ck.report(
                file,
                r.id.span(),
                format!(
                    "next_steps rule \"{}\": `running` and `running_text` go together",
                    r.id.get_ref()
                ),
            );
            ok = false;
        }
        if r.running.is_none() && !asked_days {
            ck.report(
                file,
                r.id.span(),
                format!(
                    "next_steps rule \"{}\" sets neither `running` nor `recheck_days`",
                    r.id.get_ref()
                ),
            );
            ok = false;
        }
        match when {
            Some(when) => rules.push(StepRule {
                id: r.id.into_inner(),
                when,
                running: r.running,
                running_text: r.running_text.map(Spanned::into_inner),
                recheck_days,
            }),
            None => ok = false,
        }
    }
    let mut first = Vec::new();
    for c in raw.first {
        let id = c.advice.get_ref();
        let Some(index) = advice.iter().position(|a| &a.id == id) else {
            let hint = did_you_mean(id, advice.iter().map(|a| a.id.as_str()))
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            ck.report(
                file,
                c.advice.span(),
                format!("next_steps.first: unknown advice id \"{id}\"{hint}"),
            );
            ok = false;
            continue;
        };
        let when = match &c.when {
            Some(w) => match compile(ck, w) {
                Some(cond) => Some(cond),
                None => {
                    ok = false;
                    continue;
                }
            },
            None => None,
        };
        let Ok(weight) = i32::try_from(*c.weight.get_ref()) else {
            ck.report(file, c.weight.span(), "weight is out of range");
            ok = false;
            continue;
        };
        first.push(FirstCandidate {
            advice: index,
            when,
            weight,
        });
    }
    let max_first = match raw.max_first {
        None => 3,
        Some(n) => match usize::try_from(*n.get_ref()) {
            Ok(m) if (1..=3).contains(&m) => m,
            _ => {
                ck.report(
                    file,
                    n.span(),
                    format!("max_first must be 1, 2 or 3, found {}", n.get_ref()),
                );
                ok = false;
                3
            }
        },
    };
    ok.then_some(StepsRules {
        levels,
        rules,
        first,
        max_first,
    })
}

/// Compiles a `when` of `file`, reading answers (and, for advice, the
/// level and the causes) as `scope` allows.
fn compile_when(
    ck: &mut Checker,
    file: usize,
    names: &Names,
    questions: &[Question],
    scope: Scope,
    when: &Node,
) -> Option<Cond> {
    CondCompiler {
        ck,
        file,
        names,
        questions,
        scope,
    }
    .compile(when)
}

/// Every file's items of one kind (questions, causes, outside-the-knee
/// conditions) with their file; an id already used is reported as a
/// duplicate `what` id and the item left out.
fn unique_ids<T>(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    take: impl Fn(&mut RawFile) -> Vec<T>,
    id: impl Fn(&T) -> &Spanned<String>,
    what: &str,
) -> Vec<(usize, T)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (file, raw) in files.iter_mut() {
        for item in take(raw) {
            let name = id(&item);
            if seen.insert(name.get_ref().clone()) {
                out.push((*file, item));
            } else {
                ck.report(
                    *file,
                    name.span(),
                    format!("duplicate {what} id \"{}\"", name.get_ref()),
                );
            }
        }
    }
    out
}

struct CondCompiler<'a, 'b> {
    ck: &'a mut Checker<'b>,
    file: usize,
    names: &'a Names,
    questions: &'a [Question],
    scope: Scope,
}

type Node = Spanned<RawValue>;

impl CondCompiler<'_, '_> {
    fn err<T>(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) -> Option<T> {
        self.ck.report(self.file, span, message);
        None
    }

    /// A table: every entry must hold.
    fn compile(&mut self, node: &Node) -> Option<Cond> {
        let RawValue::Table(entries) = node.get_ref() else {
            return self.err(
                node.span(),
                format!(
                    "a condition must be a table such as {{ locking = true }}, found {}",
                    node.get_ref().type_name()
                ),
            );
        };
        if entries.is_empty() {
            return self.err(
                node.span(),
                "an empty condition; leave `when` out to mean always",
            );
        }
        let mut parts = Vec::new();
        let mut ok = true;
        for (key, value) in entries {
            match self.entry(key, value) {
                Some(c) => parts.push(c),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(if parts.len() == 1 {
            parts.pop().unwrap_or(Cond::All(Vec::new()))
        } else {
            Cond::All(parts)
        })
    }

    fn entry(&mut self, key: &Spanned<String>, value: &Node) -> Option<Cond> {
        let name = key.get_ref().as_str();
        match name {
            "any" | "all" => {
                let RawValue::Array(items) = value.get_ref() else {
                    return self.err(
                        value.span(),
                        format!(
                            "`{name}` takes an array of conditions, found {}",
                            value.get_ref().type_name()
                        ),
                    );
                };
                if items.is_empty() {
                    return self.err(value.span(), format!("`{name}` has no conditions"));
                }
                let parts: Vec<Option<Cond>> = items.iter().map(|i| self.compile(i)).collect();
                let parts: Option<Vec<Cond>> = parts.into_iter().collect();
                parts.map(|p| {
                    if name == "any" {
                        Cond::Any(p)
                    } else {
                        Cond::All(p)
                    }
                })
            }
            "not" => self.compile(value).map(|c| Cond::Not(Box::new(c))),
            "triage" if self.scope == Scope::Advice => self.triage(value),
            "cause" if self.scope == Scope::Advice => self.cause(value),
            "triage" | "cause" => self.err(
                key.span(),
                format!("`{name}` can only be used in advice conditions"),
            ),
            _ => self.answer(key, value),
        }
    }

    fn strings(&mut self, value: &Node, what: &str) -> Option<Vec<Spanned<String>>> {
        match value.get_ref() {
            RawValue::Str(s) => Some(vec![Spanned::new(value.span(), s.clone())]),
            RawValue::Array(items) if !items.is_empty() => {
                let mut out = Vec::new();
                for i in items {
                    match i.get_ref() {
                        RawValue::Str(s) => out.push(Spanned::new(i.span(), s.clone())),
                        other => {
                            return self.err(
                                i.span(),
                                format!("{what}: expected a string, found {}", other.type_name()),
                            );
                        }
                    }
                }
                Some(out)
            }
            other => self.err(
                value.span(),
                format!(
                    "{what}: expected a string or a non-empty array of strings, found {}",
                    other.type_name()
                ),
            ),
        }
    }

    fn triage(&mut self, value: &Node) -> Option<Cond> {
        let names = self.strings(value, "triage")?;
        let mut mask = 0u8;
        for n in names {
            match Level::from_name(n.get_ref()) {
                Some(l) => mask |= 1 << l.index(),
                None => {
                    let all = Level::ALL.map(Level::as_str);
                    let hint = suggestion(n.get_ref(), all);
                    return self.err(
                        n.span(),
                        format!(
                            "unknown triage level \"{}\"{hint}; allowed: {}",
                            n.get_ref(),
                            all.join(", ")
                        ),
                    );
                }
            }
        }
        Some(Cond::Triage { mask })
    }

    fn cause(&mut self, value: &Node) -> Option<Cond> {
        let RawValue::Table(entries) = value.get_ref() else {
            return self.err(
                value.span(),
                format!(
                    "`cause` takes a table such as {{ pfps = \"likely\" }}, found {}",
                    value.get_ref().type_name()
                ),
            );
        };
        let mut parts = Vec::new();
        for (id, lik) in entries {
            let Some(&cause) = self.names.causes.get(id.get_ref()) else {
                let hint = suggestion(id.get_ref(), self.names.causes.keys().map(String::as_str));
                return self.err(
                    id.span(),
                    format!("unknown cause \"{}\"{hint}", id.get_ref()),
                );
            };
            let mut mask = 0u8;
            for l in self.strings(lik, "cause likelihood")? {
                let bit = match l.get_ref().as_str() {
                    "unlikely" => Likelihood::Unlikely,
                    "possible" => Likelihood::Possible,
                    "likely" => Likelihood::Likely,
                    other => {
                        let hint = suggestion(other, ["unlikely", "possible", "likely"]);
                        return self.err(l.span(), format!("unknown likelihood \"{other}\"{hint}; allowed: unlikely, possible, likely"));
                    }
                };
                mask |= 1 << (bit as u8);
            }
            parts.push(Cond::CauseIs { cause, mask });
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::All(parts)
        })
    }

    fn answer(&mut self, key: &Spanned<String>, value: &Node) -> Option<Cond> {
        let name = key.get_ref();
        let Some(&q) = self.names.questions.get(name) else {
            let mut candidates: Vec<&str> =
                self.names.questions.keys().map(String::as_str).collect();
            candidates.extend(["any", "all", "not"]);
            if self.scope == Scope::Advice {
                candidates.extend(["triage", "cause"]);
            }
            let hint = suggestion(name, candidates);
            return self.err(key.span(), format!("unknown answer key \"{name}\"{hint}"));
        };
        let question = &self.questions[q];
        // `{ answered = true/false }` works for every type.
        if let RawValue::Table(entries) = value.get_ref()
            && let [(k, v)] = entries.as_slice()
            && k.get_ref() == "answered"
        {
            return match v.get_ref() {
                RawValue::Bool(b) => Some(Cond::Answered { q, answered: *b }),
                other => self.err(
                    v.span(),
                    format!(
                        "`answered` takes true or false, found {}",
                        other.type_name()
                    ),
                ),
            };
        }
        match question.kind {
            QuestionKind::Enum => {
                let mask = self.options(q, value)?;
                Some(Cond::OneOf { q, mask })
            }
            QuestionKind::Bool => match value.get_ref() {
                RawValue::Bool(b) => Some(Cond::Flag { q, value: *b }),
                other => self.err(
                    value.span(),
                    format!(
                        "\"{name}\" is a yes/no question: expected true or false, found {}",
                        other.type_name()
                    ),
                ),
            },
            QuestionKind::List => {
                if let RawValue::Table(entries) = value.get_ref() {
                    let [(op, items)] = entries.as_slice() else {
                        return self.err(value.span(), format!("\"{name}\" list test takes one of {{ any = [...] }}, {{ all = [...] }} or {{ none = [...] }}"));
                    };
                    let mask = self.options(q, items)?;
                    return match op.get_ref().as_str() {
                        "any" => Some(Cond::HasAny { q, mask }),
                        "all" => Some(Cond::HasAll { q, mask }),
                        "none" => Some(Cond::HasNone { q, mask }),
                        other => {
                            let hint = suggestion(other, ["any", "all", "none", "answered"]);
                            self.err(op.span(), format!("unknown list test \"{other}\"{hint}; allowed: any, all, none, answered"))
                        }
                    };
                }
                let mask = self.options(q, value)?;
                Some(Cond::HasAny { q, mask })
            }
            QuestionKind::Int | QuestionKind::Number | QuestionKind::Days => self.range(q, value),
        }
    }

    fn options(&mut self, q: usize, value: &Node) -> Option<u64> {
        let question = &self.questions[q];
        let what = format!(
            "\"{}\" is a choice question ({})",
            question.id,
            question.option_values().join(", ")
        );
        let values = self.strings(value, &what)?;
        let question = &self.questions[q];
        let mut mask = 0u64;
        for v in values {
            match question.option_index(v.get_ref()) {
                Some(i) => mask |= 1 << i,
                None => {
                    let allowed = question.option_values();
                    let hint = suggestion(v.get_ref(), allowed.iter().copied());
                    let msg = format!(
                        "unknown value \"{}\" for \"{}\"{hint}; allowed: {}",
                        v.get_ref(),
                        question.id,
                        allowed.join(", ")
                    );
                    return self.err(v.span(), msg);
                }
            }
        }
        Some(mask)
    }

    fn range(&mut self, q: usize, value: &Node) -> Option<Cond> {
        let name = self.questions[q].id.clone();
        let number = |v: &RawValue| match v {
            RawValue::Int(i) => Some(*i as f64),
            RawValue::Float(f) if f.is_finite() => Some(*f),
            _ => None,
        };
        let mut range = NumRange::default();
        match value.get_ref() {
            RawValue::Table(entries) => {
                for (op, bound) in entries {
                    let Some(b) = number(bound.get_ref()) else {
                        return self.err(
                            bound.span(),
                            format!(
                                "bound of \"{name}\" must be a number, found {}",
                                bound.get_ref().type_name()
                            ),
                        );
                    };
                    match op.get_ref().as_str() {
                        "gt" => range.gt = Some(b),
                        "gte" => range.gte = Some(b),
                        "lt" => range.lt = Some(b),
                        "lte" => range.lte = Some(b),
                        "eq" => {
                            range.gte = Some(b);
                            range.lte = Some(b);
                        }
                        other => {
                            let hint =
                                suggestion(other, ["gt", "gte", "lt", "lte", "eq", "answered"]);
                            return self.err(op.span(), format!("unknown comparison \"{other}\" for \"{name}\"{hint}; allowed: gt, gte, lt, lte, eq, answered"));
                        }
                    }
                }
                if entries.is_empty() {
                    return self.err(value.span(), format!("empty range for \"{name}\""));
                }
            }
            v => match number(v) {
                Some(b) => {
                    range.gte = Some(b);
                    range.lte = Some(b);
                }
                None => {
                    return self.err(value.span(), format!("\"{name}\" is a number question: expected a number or a range such as {{ gte = 20 }}, found {}", v.type_name()));
                }
            },
        }
        let lo = range
            .gt
            .into_iter()
            .chain(range.gte)
            .fold(f64::NEG_INFINITY, f64::max);
        let hi = range
            .lt
            .into_iter()
            .chain(range.lte)
            .fold(f64::INFINITY, f64::min);
        if lo > hi || (lo == hi && (range.gt.is_some() || range.lt.is_some())) {
            return self.err(value.span(), format!("range for \"{name}\" can never hold: no number is both above {lo} and below {hi}"));
        }
        Some(Cond::Range { q, range })
    }
}

/// `[load]`: the training-load warnings. One table in the whole pack; each
/// flag names a figure the training log computes, a finite threshold, a
/// wording with `{value}` and a source.
/// The pain rules of `plan.toml`, for the report's running texts. A
/// running text that quotes `{pain_rule}` needs a default rule to quote.
fn pain_rules(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
    steps: Option<&StepsRules>,
) -> Vec<RunningPainRule> {
    let rules: Vec<RunningPainRule> = files
        .iter_mut()
        .filter_map(|(_, raw)| raw.plan.take())
        .flat_map(|plan| plan.pain_rule)
        .filter_map(|(id, r)| {
            Some(RunningPainRule {
                id,
                causes: r.causes,
                default: r.default,
                short: r.short?,
            })
        })
        .collect();
    let quoted = steps.is_some_and(|s| {
        s.levels
            .iter()
            .map(|l| l.running_text.as_str())
            .chain(s.rules.iter().filter_map(|r| r.running_text.as_deref()))
            .any(|t| t.contains(PAIN_RULE))
    });
    if quoted && !rules.iter().any(|r| r.default) {
        ck.report(
            0,
            0..0,
            format!(
                "a next-steps running text quotes {PAIN_RULE}, but plan.toml has no pain rule with `default = true`"
            ),
        );
    }
    rules
}

fn load_rules(ck: &mut Checker, files: &mut [(usize, RawFile)]) -> LoadRules {
    let mut out = LoadRules::default();
    let mut seen_table = false;
    let mut ids = HashSet::new();
    for (file, raw) in files.iter_mut() {
        let Some(load) = raw.load.take() else {
            continue;
        };
        if seen_table {
            ck.report(
                *file,
                load.span(),
                "a second [load] table: the training-load warnings are described once",
            );
            continue;
        }
        seen_table = true;
        let load = load.into_inner();
        if let Some(r) = load.ratio {
            for s in [&r.label, &r.source] {
                if s.get_ref().trim().is_empty() {
                    ck.report(
                        *file,
                        s.span(),
                        "[load.ratio] label and source must not be empty",
                    );
                }
            }
            if !r.label.get_ref().contains("descriptive") {
                ck.report(
                    *file,
                    r.label.span(),
                    "[load.ratio] label must say the ratio is descriptive (it does not predict injury)",
                );
            }
            out.ratio = Some(LoadRatio {
                label: r.label.into_inner(),
                source: r.source.into_inner(),
            });
        }
        for f in load.flag {
            let id = f.id.get_ref().clone();
            let mut ok = true;
            if !ids.insert(id.clone()) {
                ck.report(
                    *file,
                    f.id.span(),
                    format!("duplicate load flag id \"{id}\""),
                );
                ok = false;
            }
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                ck.report(
                    *file,
                    f.id.span(),
                    format!("load flag id \"{id}\" must be kebab-case (a-z, 0-9, -)"),
                );
                ok = false;
            }
            let figure = f.figure.get_ref();
            if !LOAD_FIGURES.contains(&figure.as_str()) {
                let hint = suggestion(figure, LOAD_FIGURES);
                ck.report(
                    *file,
                    f.figure.span(),
                    format!(
                        "unknown training figure \"{figure}\"{hint}; allowed: {}",
                        LOAD_FIGURES.join(", ")
                    ),
                );
                ok = false;
            }
            let above = *f.above.get_ref();
            if !above.is_finite() {
                ck.report(
                    *file,
                    f.above.span(),
                    format!("threshold of load flag \"{id}\" must be a finite number"),
                );
                ok = false;
            }
            if !f.text.get_ref().contains("{value}") {
                ck.report(
                    *file,
                    f.text.span(),
                    format!("text of load flag \"{id}\" must contain {{value}}"),
                );
                ok = false;
            }
            if f.source.get_ref().trim().is_empty() {
                ck.report(
                    *file,
                    f.source.span(),
                    format!("load flag \"{id}\" needs a source"),
                );
                ok = false;
            }
            if ok {
                out.flags.push(LoadFlag {
                    id,
                    figure: f.figure.into_inner(),
                    above,
                    text: f.text.into_inner(),
                    source: f.source.into_inner(),
                });
            }
        }
    }
    out
}
