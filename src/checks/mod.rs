//! `content check` on a pack that compiled: the static analyses, the golden
//! cases, and which triage rules the cases exercise.

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub mod analysis;
pub mod cases;

use self::analysis::{Severity, Subject};
use crate::content::raw::RawFile;
use crate::content::{Problem, Source, line_column};
use crate::model::Pack;

/// What `content check` prints and whether the pack passed.
#[derive(Debug)]
pub struct Checked {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// Golden cases run.
    pub cases: usize,
    /// Each triage rule (pack order) with the ids of the cases that fire it.
    pub coverage: Vec<(String, Vec<String>)>,
}

impl Checked {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The coverage table: one line per triage rule.
    pub fn coverage_text(&self) -> String {
        let width = self
            .coverage
            .iter()
            .map(|(r, _)| r.len())
            .max()
            .unwrap_or(0);
        let mut out = format!(
            "triage rules exercised by the {} golden cases:\n",
            self.cases
        );
        for (rule, cases) in &self.coverage {
            let shown: Vec<&str> = cases.iter().take(4).map(String::as_str).collect();
            let more = if cases.len() > 4 { ", …" } else { "" };
            let _ = writeln!(
                out,
                "  {rule:<width$}  {:>2} case{}{}{}{more}",
                cases.len(),
                if cases.len() == 1 { "" } else { "s" },
                if cases.is_empty() { "" } else { ": " },
                shown.join(", ")
            );
        }
        out
    }
}

/// Runs the analyses and the golden cases on a compiled pack.
pub fn check(pack: &Pack, sources: &[Source], case_sources: &[Source]) -> Checked {
    let spans = Spans::new(sources);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for finding in analysis::analyse(pack) {
        let (file, offset) = spans.locate(pack, finding.subject);
        let problem = spans.problem(sources, file, offset, &finding.message);
        match finding.severity {
            Severity::Error => errors.push(problem),
            Severity::Warning => warnings.push(Problem {
                message: format!("warning: {}", problem.message),
                ..problem
            }),
        }
    }

    let results = crate::checks::cases::run(pack, case_sources);
    let mut fired: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut outside_fired: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &results {
        errors.extend(r.failures.iter().cloned());
        for rule in &r.triage_rules {
            fired.entry(rule.as_str()).or_default().push(r.id.clone());
        }
        for rule in &r.outside_rules {
            *outside_fired.entry(rule.as_str()).or_default() += 1;
        }
    }
    for (oi, o) in pack.outside.iter().enumerate() {
        for (ri, rule) in o.rules.iter().enumerate() {
            if !outside_fired.contains_key(rule.id.as_str()) {
                let (file, offset) = spans.locate_id(pack, Subject::Outside(oi, ri));
                errors.push(spans.problem(
                    sources,
                    file,
                    offset,
                    &format!(
                        "rule \"{}\" of outside-the-knee condition \"{}\" is exercised by no golden case: add a case under cases/ that fires it",
                        rule.id, o.id
                    ),
                ));
            }
        }
    }
    let mut coverage = Vec::new();
    for (ti, rule) in pack.triage.iter().enumerate() {
        let cases = fired.remove(rule.id.as_str()).unwrap_or_default();
        if cases.is_empty() {
            let (file, offset) = spans.locate_id(pack, Subject::Triage(ti));
            errors.push(spans.problem(
                sources,
                file,
                offset,
                &format!(
                    "triage rule \"{}\" is exercised by no golden case: add a case under cases/ that fires it",
                    rule.id
                ),
            ));
        }
        coverage.push((rule.id.clone(), cases));
    }
    errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Checked {
        errors,
        warnings,
        cases: results.len(),
        coverage,
    }
}

/// Where each item of the pack was written: the files parsed again, which
/// is cheap, so the compiled pack carries no positions.
struct Spans {
    files: Vec<Option<RawFile>>,
}

impl Spans {
    fn new(sources: &[Source]) -> Spans {
        Spans {
            files: sources
                .iter()
                .map(|s| toml::from_str::<RawFile>(&s.text).ok())
                .collect(),
        }
    }

    fn problem(&self, sources: &[Source], file: usize, offset: usize, message: &str) -> Problem {
        let (line, column) = sources
            .get(file)
            .map_or((1, 1), |s| line_column(&s.text, offset));
        Problem {
            file: sources
                .get(file)
                .map_or_else(String::new, |s| s.path.clone()),
            line,
            column,
            message: message.to_owned(),
        }
    }

    /// The condition of a rule or advice item, the id of a question, the
    /// `likely_at` of a cause.
    fn locate(&self, pack: &Pack, subject: Subject) -> (usize, usize) {
        self.find(pack, subject, false)
    }

    /// The `id` of the item.
    fn locate_id(&self, pack: &Pack, subject: Subject) -> (usize, usize) {
        self.find(pack, subject, true)
    }

    fn find(&self, pack: &Pack, subject: Subject, id_only: bool) -> (usize, usize) {
        for (fi, file) in self.files.iter().enumerate() {
            let Some(file) = file else { continue };
            match subject {
                Subject::Triage(i) => {
                    if let Some(t) = file
                        .triage
                        .iter()
                        .find(|t| t.id.get_ref() == &pack.triage[i].id)
                    {
                        let span = if id_only { t.id.span() } else { t.when.span() };
                        return (fi, span.start);
                    }
                }
                Subject::Score(c, r) => {
                    let id = &pack.causes[c].rules[r].id;
                    for cause in &file.cause {
                        if let Some(rule) = cause.rule.iter().find(|x| x.id.get_ref() == id) {
                            let span = if id_only {
                                rule.id.span()
                            } else {
                                rule.when.span()
                            };
                            return (fi, span.start);
                        }
                    }
                }
                Subject::Advice(i) => {
                    if let Some(a) = file
                        .advice
                        .iter()
                        .find(|a| a.id.get_ref() == &pack.advice[i].id)
                    {
                        let span = match (&a.when, id_only) {
                            (Some(w), false) => w.span(),
                            _ => a.id.span(),
                        };
                        return (fi, span.start);
                    }
                }
                Subject::Question(i) => {
                    if let Some(q) = file
                        .question
                        .iter()
                        .find(|q| q.id.get_ref() == &pack.questions[i].id)
                    {
                        return (fi, q.id.span().start);
                    }
                }
                Subject::Outside(o, r) => {
                    let id = &pack.outside[o].rules[r].id;
                    for outside in &file.outside {
                        if let Some(rule) = outside.rule.iter().find(|x| x.id.get_ref() == id) {
                            let span = if id_only {
                                rule.id.span()
                            } else {
                                rule.when.span()
                            };
                            return (fi, span.start);
                        }
                    }
                }
                Subject::NextStep(i) => {
                    let id = pack.next_steps.as_ref().map(|s| s.rules[i].id.as_str());
                    if let Some(steps) = &file.next_steps
                        && let Some(rule) = steps
                            .get_ref()
                            .rule
                            .iter()
                            .find(|r| Some(r.id.get_ref().as_str()) == id)
                    {
                        let span = if id_only {
                            rule.id.span()
                        } else {
                            rule.when.span()
                        };
                        return (fi, span.start);
                    }
                }
                Subject::FirstStep(i) => {
                    if let Some(steps) = &file.next_steps
                        && let Some(first) = steps.get_ref().first.get(i)
                    {
                        let span = match (&first.when, id_only) {
                            (Some(w), false) => w.span(),
                            _ => first.advice.span(),
                        };
                        return (fi, span.start);
                    }
                }
                Subject::Cause(i) => {
                    if let Some(c) = file
                        .cause
                        .iter()
                        .find(|c| c.id.get_ref() == &pack.causes[i].id)
                    {
                        return (fi, c.id.span().start);
                    }
                }
                Subject::CauseLikely(i) => {
                    if let Some(c) = file
                        .cause
                        .iter()
                        .find(|c| c.id.get_ref() == &pack.causes[i].id)
                    {
                        let span = if id_only {
                            c.id.span()
                        } else {
                            c.likely_at.span()
                        };
                        return (fi, span.start);
                    }
                }
            }
        }
        (0, 0)
    }
}
