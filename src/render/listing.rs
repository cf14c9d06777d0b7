//! `content list`: what the pack in use holds, for a reviewer.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::answers::allowed;
use crate::model::Pack;

pub fn list(pack: &Pack, width: usize) -> String {
    let table = |header: Vec<&str>| {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width.clamp(40, 200) as u16)
            .set_header(header);
        t
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} (sha256 {})\n",
        pack.meta.name, pack.meta.version, pack.meta.hash
    );

    let mut causes = table(vec![
        "Cause",
        "Kind",
        "Name",
        "Rules",
        "Possible at",
        "Likely at",
    ]);
    for c in &pack.causes {
        causes.add_row(vec![
            c.id.clone(),
            c.kind.as_str().to_owned(),
            c.name.clone(),
            c.rules.len().to_string(),
            c.possible_at.to_string(),
            c.likely_at.to_string(),
        ]);
    }
    let _ = writeln!(out, "Causes ({})\n{causes}\n", pack.causes.len());

    let mut questions = table(vec!["Answer key", "Type", "Allowed", "Question"]);
    for q in &pack.questions {
        questions.add_row(vec![
            q.id.clone(),
            q.kind.as_str().to_owned(),
            allowed(q),
            q.prompt.clone(),
        ]);
    }
    let _ = writeln!(out, "Questions ({})\n{questions}\n", pack.questions.len());

    let mut triage = table(vec!["Triage rule", "Level", "Reason"]);
    for t in &pack.triage {
        triage.add_row(vec![
            t.id.clone(),
            t.level.as_str().to_owned(),
            t.reason.clone(),
        ]);
    }
    let _ = writeln!(out, "Triage rules ({})\n{triage}\n", pack.triage.len());

    let mut advice = table(vec!["Advice", "Category", "Title"]);
    for a in &pack.advice {
        advice.add_row(vec![
            a.id.clone(),
            a.category.as_str().to_owned(),
            a.title.clone(),
        ]);
    }
    let _ = writeln!(out, "Advice ({})\n{advice}", pack.advice.len());
    out
}
