//! Golden cases shipped with a pack (`cases/*.toml`): answers with the level
//! and causes a reviewer expects. They pin the pack's behaviour, so a rule
//! edit that changes an outcome is seen at once.

use serde::Deserialize;

use crate::answers::Answers;
use crate::content::{Problem, Source};
use crate::engine;
use crate::model::{Care, CauseKind, Level, Pack, Running};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    case: Vec<RawCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: toml::Spanned<String>,
    note: String,
    answers: toml::Table,
    level: Level,
    /// (v3) Where and when; not checked when left out.
    care: Option<Care>,
    /// The answer to "may I run?"; not checked when left out.
    running: Option<Running>,
    /// The top condition, or "none" when no condition should be reported.
    top: Option<String>,
    /// Causes (conditions or factors) that must be reported.
    #[serde(default)]
    includes: Vec<String>,
    /// Causes that must not be reported.
    #[serde(default)]
    excludes: Vec<String>,
    /// Causes that must be reported as `likely`.
    #[serde(default)]
    likely: Vec<String>,
    /// Causes that must not be `likely` (`possible` or not reported).
    #[serde(default)]
    not_likely: Vec<String>,
    /// Advice ids that must be given.
    #[serde(default)]
    advice: Vec<String>,
    /// Advice ids that must not be given.
    #[serde(default)]
    no_advice: Vec<String>,
    /// Exactly the conditions outside the knee that must be reported
    /// (`[]`: none); not checked when left out.
    outside: Option<Vec<String>>,
}

/// One checked case and what went wrong with it, if anything.
#[derive(Debug)]
pub struct CaseResult {
    pub id: String,
    pub note: String,
    pub level: Level,
    pub triage_rules: Vec<String>,
    /// Ids of the outside-the-knee rules that fired.
    pub outside_rules: Vec<String>,
    pub failures: Vec<Problem>,
}

/// Reads `*.toml` under `dir/cases`, sorted. A missing folder is no cases.
pub fn read_dir(dir: &std::path::Path) -> Result<Vec<Source>, std::io::Error> {
    let cases = dir.join("cases");
    if !cases.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths: Vec<_> = std::fs::read_dir(&cases)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            Ok(Source {
                text: std::fs::read_to_string(&p)?,
                path: p.display().to_string(),
            })
        })
        .collect()
}

/// Runs every case against the pack. Unreadable case files are failures too.
pub fn run(pack: &Pack, sources: &[Source]) -> Vec<CaseResult> {
    let mut results = Vec::new();
    for source in sources {
        let at = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = crate::content::line_column(&source.text, span.start);
            Problem {
                file: source.path.clone(),
                line,
                column,
                message,
            }
        };
        let file: CaseFile = match toml::from_str(&source.text) {
            Ok(f) => f,
            Err(e) => {
                results.push(CaseResult {
                    id: source.path.clone(),
                    note: String::new(),
                    level: Level::SelfCare,
                    triage_rules: Vec::new(),
                    outside_rules: Vec::new(),
                    failures: vec![at(e.span().unwrap_or(0..0), e.message().trim().to_owned())],
                });
                continue;
            }
        };
        for case in file.case {
            let span = case.id.span();
            let id = case.id.get_ref().clone();
            let fail = |m: String| at(span.clone(), format!("case \"{id}\": {m}"));
            let mut failures = Vec::new();
            let json = match serde_json::to_value(&case.answers) {
                Ok(j) => j,
                Err(e) => {
                    failures.push(fail(e.to_string()));
                    serde_json::Value::Null
                }
            };
            let answers = Answers::from_json(pack, &json).and_then(|a| {
                a.check_required(pack)?;
                Ok(a)
            });
            let answers = match answers {
                Ok(a) => a,
                Err(e) => {
                    failures.push(fail(e.to_string()));
                    results.push(CaseResult {
                        id: id.clone(),
                        note: case.note,
                        level: Level::SelfCare,
                        triage_rules: Vec::new(),
                        outside_rules: Vec::new(),
                        failures,
                    });
                    continue;
                }
            };
            let a = engine::assess(pack, &answers);
            if a.level != case.level {
                failures.push(fail(format!(
                    "level is {}, expected {}",
                    a.level, case.level
                )));
            }
            if let Some(care) = case.care
                && a.care != care
            {
                failures.push(fail(format!("care is {}, expected {care}", a.care)));
            }
            if let Some(running) = case.running
                && a.steps.running != running
            {
                failures.push(fail(format!(
                    "running is {}, expected {}",
                    a.steps.running.as_str(),
                    running.as_str()
                )));
            }
            let reported: Vec<&str> = a
                .causes
                .iter()
                .map(|c| pack.causes[c.cause].id.as_str())
                .collect();
            let top = a
                .causes
                .iter()
                .find(|c| pack.causes[c.cause].kind == CauseKind::Condition)
                .map_or("none", |c| pack.causes[c.cause].id.as_str());
            if let Some(want) = &case.top
                && want != top
            {
                failures.push(fail(format!("top condition is {top}, expected {want}")));
            }
            for want in &case.includes {
                if !reported.contains(&want.as_str()) {
                    failures.push(fail(format!(
                        "cause {want} is not reported (reported: {})",
                        reported.join(", ")
                    )));
                }
            }
            for unwanted in &case.excludes {
                if reported.contains(&unwanted.as_str()) {
                    failures.push(fail(format!(
                        "cause {unwanted} is reported but should not be"
                    )));
                }
            }
            let likely: Vec<&str> = a
                .causes
                .iter()
                .filter(|c| c.likelihood == crate::model::Likelihood::Likely)
                .map(|c| pack.causes[c.cause].id.as_str())
                .collect();
            for want in &case.likely {
                if !likely.contains(&want.as_str()) {
                    failures.push(fail(format!(
                        "cause {want} is not likely (likely: {})",
                        likely.join(", ")
                    )));
                }
            }
            for unwanted in &case.not_likely {
                if likely.contains(&unwanted.as_str()) {
                    failures.push(fail(format!(
                        "cause {unwanted} is likely but should not be"
                    )));
                }
            }
            let given: Vec<&str> = a
                .advice
                .iter()
                .map(|&i| pack.advice[i].id.as_str())
                .collect();
            for want in &case.advice {
                if !given.contains(&want.as_str()) {
                    failures.push(fail(format!("advice {want} is not given")));
                }
            }
            for unwanted in &case.no_advice {
                if given.contains(&unwanted.as_str()) {
                    failures.push(fail(format!(
                        "advice {unwanted} is given but should not be"
                    )));
                }
            }
            let outside_rules: Vec<String> = pack
                .outside
                .iter()
                .flat_map(|o| &o.rules)
                .filter(|r| engine::holds(&r.when, &answers))
                .map(|r| r.id.clone())
                .collect();
            if let Some(want) = &case.outside {
                let got: Vec<String> = crate::report::outside_knee(pack, &answers)
                    .into_iter()
                    .map(|o| o.id)
                    .collect();
                let mut got_sorted = got.clone();
                got_sorted.sort();
                let mut want_sorted = want.clone();
                want_sorted.sort();
                if got_sorted != want_sorted {
                    failures.push(fail(format!(
                        "conditions outside the knee are [{}], expected [{}]",
                        got.join(", "),
                        want.join(", ")
                    )));
                }
            }
            results.push(CaseResult {
                outside_rules,
                id,
                note: case.note,
                level: a.level,
                triage_rules: a
                    .triage
                    .iter()
                    .map(|&i| pack.triage[i].id.clone())
                    .collect(),
                failures,
            });
        }
    }
    results
}

/// Every story the repository holds, for tests that replay them all: the
/// public vignettes' answers (v1 then v2) and the embedded golden cases,
/// each with its id.
#[cfg(test)]
pub fn all_stories(pack: &Pack) -> Vec<(String, Answers)> {
    let mut out = Vec::new();
    for text in [
        include_str!("../../tests/fixtures/vignettes-public.jsonl"),
        include_str!("../../tests/fixtures/vignettes-public-v2.jsonl"),
    ] {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("vignette line");
            let id = v["id"].as_str().expect("id").to_owned();
            out.push((
                id,
                Answers::from_json(pack, &v["answers"]).expect("answers"),
            ));
        }
    }
    for source in crate::content::embedded_case_sources() {
        let table: toml::Table = toml::from_str(&source.text).expect("cases parse");
        for case in table["case"].as_array().expect("cases") {
            let json = serde_json::to_value(&case["answers"]).expect("answers");
            let id = case["id"].as_str().expect("id").to_owned();
            out.push((id, Answers::from_json(pack, &json).expect("answers")));
        }
    }
    out
}
