//! The second clinical review's 92 presentations (`tests/fixtures/
//! review-cases-v3.jsonl`, a copy of the reviewers' file) through `batch`,
//! scored as the review scored them: no under-triage, at most two levels
//! above the reviewers', the reviewers' level in at least 97 %, their running
//! decision in at least 97 %, and one of their cares wherever they named
//! the care.

use serde_json::Value as Json;

use crate::knee_triage;

const LEVELS: [&str; 4] = ["self-care", "see-professional", "urgent", "emergency"];

fn rank(level: &str) -> usize {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .unwrap_or_else(|| panic!("unknown level {level}"))
}

fn strings(v: &Json) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn the_review_set_gets_the_reviewers_levels_running_and_care() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/review-cases-v3.jsonl");
    let text = std::fs::read_to_string(&path).expect("review cases");
    let cases: Vec<Json> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("case line"))
        .collect();
    assert_eq!(cases.len(), 92);
    let input: String = cases
        .iter()
        .map(|c| format!("{}\n", c["answers"]))
        .collect();
    let out = knee_triage()
        .arg("batch")
        .write_stdin(input)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<Json> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(reports.len(), cases.len());

    let (mut ok, mut over, mut run_n, mut run_ok) = (0, Vec::new(), 0, 0);
    let mut problems = Vec::new();
    for (c, r) in cases.iter().zip(&reports) {
        let id = c["id"].as_str().unwrap_or("?");
        let level = r["triage"]["level"].as_str().expect("level");
        let allowed = strings(&c["expect"]["triage_ok"]);
        let lowest = allowed.iter().map(|l| rank(l)).min().expect("levels");
        let highest = allowed.iter().map(|l| rank(l)).max().expect("levels");
        if rank(level) < lowest {
            problems.push(format!(
                "{id}: under-triaged as {level}, allowed {allowed:?}"
            ));
        }
        if rank(level) > highest {
            over.push(format!("{id}: {level}, allowed {allowed:?}"));
        }
        ok += usize::from(allowed.contains(&level));
        if let Some(want) = c["expect"]["running"].as_str() {
            run_n += 1;
            if r["next_steps"]["running"].as_str() == Some(want) {
                run_ok += 1;
            } else {
                problems.push(format!(
                    "{id}: running {}, the reviewers {want}",
                    r["next_steps"]["running"]
                ));
            }
        }
        let cares = strings(&c["expect"]["care_ok"]);
        let care = r["triage"]["care"].as_str().unwrap_or("none");
        if !cares.is_empty() && !cares.contains(&care) {
            problems.push(format!("{id}: care {care}, the reviewers {cares:?}"));
        }
    }
    let n = cases.len();
    assert!(over.len() <= 2, "more than two over-triaged: {over:#?}");
    assert!(
        ok as f64 / n as f64 >= 0.97,
        "triage_ok {ok}/{n}; over: {over:#?}; {problems:#?}"
    );
    assert!(
        run_ok as f64 / run_n as f64 >= 0.97,
        "running {run_ok}/{run_n}: {problems:#?}"
    );
    // No under-triage and every named care met: these are not allowances.
    let hard: Vec<&String> = problems
        .iter()
        .filter(|p| p.contains("under-triaged") || p.contains(": care "))
        .collect();
    assert!(hard.is_empty(), "{hard:#?}");
}
