//! From parsed files to a validated [`Pack`], collecting every problem.

mod advice;
mod causes;
mod load;
mod next_steps;
mod questions;
mod references;
mod triage;
mod when;

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::raw::{RawFile, RawPack, RawValue};
use super::{Problem, Source, did_you_mean, line_column};
use crate::model::{Care, Cond, LevelText, Pack, PackMeta, Question};

use advice::advice;
use causes::{causes, outside};
use load::load_rules;
use next_steps::{next_steps, pain_rules};
use questions::{attach_ask_if, opening, questions};
use references::references;
use triage::triage_rules;

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
    let pain_rules = pain_rules(&mut ck, &mut files, next_steps.as_ref(), &names, &questions);
    let opening = opening(&mut ck, &mut files, &names);
    let references = references(&mut ck, &mut files);

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
            opening,
            references,
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
    let Some((file, pack)) = found else {
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
    let mut p = pack.into_inner();
    let text = |t: super::raw::RawLevelText| LevelText {
        label: t.label,
        action: t.action,
    };
    let levels = [
        text(p.levels.self_care),
        text(p.levels.see_professional),
        text(p.levels.urgent),
        text(p.levels.emergency),
    ];
    // Each care in its words; one the pack leaves out says its level's action.
    let mut care: [String; 6] = Care::ALL.map(|c| levels[c.level().index()].action.clone());
    for (name, t) in p.care.take().map(Spanned::into_inner).unwrap_or_default() {
        match Care::from_name(name.get_ref()) {
            Some(c) => care[c.index()] = t.text,
            None => {
                let all = Care::ALL.map(Care::as_str);
                let hint = suggestion(name.get_ref(), all);
                ck.report(
                    file,
                    name.span(),
                    format!(
                        "unknown care \"{}\"{hint}; allowed: {}",
                        name.get_ref(),
                        all.join(", ")
                    ),
                );
            }
        }
    }
    Some(PackMeta {
        name: p.name,
        version: p.version,
        disclaimer: p.disclaimer,
        no_clear_pattern: p.no_clear_pattern,
        self_care_reason: p.self_care_reason,
        levels,
        care,
        unanswered_reason: p.unanswered_reason,
        hash: String::new(),
    })
}

/// Ids known to the whole pack, for resolving and suggesting names.
/// A condition from a file the pack loader does not read (`plan.toml`),
/// compiled against the pack: answers, `cause` and `triage` as in advice.
pub fn compile_condition(
    pack: &Pack,
    source: &Source,
    when: &Spanned<RawValue>,
) -> Result<Cond, Vec<Problem>> {
    let mut ck = Checker {
        sources: std::slice::from_ref(source),
        problems: Vec::new(),
        rule_ids: HashSet::new(),
        advice_ids: HashSet::new(),
    };
    let names = Names {
        questions: pack
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect(),
        causes: pack
            .causes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect(),
    };
    match when::compile_when(&mut ck, 0, &names, &pack.questions, Scope::Advice, when) {
        Some(c) if ck.problems.is_empty() => Ok(c),
        _ => Err(ck.problems),
    }
}

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
