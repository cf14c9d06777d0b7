//! The knee diary: `checkin`, `history`, and the answers `assess` and `ask`
//! take from it (the trend, how long it has hurt).

pub mod decide;
pub mod store;

use std::path::Path;

use crate::answers::Answers;
use crate::model::Pack;

/// Fills `trend` and `duration_days` from the diary when the runner did
/// not answer them and a diary exists: the trend as the pack defines it,
/// the duration from the first day in the diary to today. Says so on
/// standard error. A diary that cannot be read is named there and left
/// out; the assessment goes on without it. Returns the questions filled,
/// so the report's evidence can say where those answers came from.
pub fn fill_answers(
    pack: &Pack,
    content: Option<&Path>,
    diary: Option<&Path>,
    answers: &mut Answers,
) -> Vec<usize> {
    let index = |id: &str| pack.questions.iter().position(|q| q.id == id);
    let trend_q = index("trend").filter(|&q| !answers.is_answered(q));
    let duration_q = index("duration_days").filter(|&q| !answers.is_answered(q));
    let mut filled = Vec::new();
    if trend_q.is_none() && duration_q.is_none() {
        return filled;
    }
    let Some(path) = store::resolve(diary) else {
        return filled;
    };
    if !path.exists() {
        return filled;
    }
    let days = match store::Diary::open_existing(&path).and_then(|d| match d {
        Some(d) => d.days(),
        None => Ok(Vec::new()),
    }) {
        Ok(days) => days,
        Err(e) => {
            eprintln!("note: {e}; assessing without it");
            return filled;
        }
    };
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return filled;
    };
    let mut used = Vec::new();
    if let Some(q) = duration_q {
        let today = crate::plan::schedule::today_local().max(last.date);
        let n = (today - first.date).num_days() + 1;
        if answers.set_text(pack, q, &n.to_string()).is_ok() {
            used.push(format!("duration_days {n}"));
            filled.push(q);
        }
    }
    if let Some(q) = trend_q
        && let Ok(plan) = crate::plan::load(pack, content)
        && let Some(t) = decide::trend(&plan, &days, last.date)
        && answers.set_text(pack, q, t).is_ok()
    {
        used.push(format!("trend \"{t}\""));
        filled.push(q);
    }
    if !used.is_empty() {
        eprintln!(
            "note: {} from the knee diary {} (answer them to override)",
            used.join(" and "),
            path.display()
        );
    }
    filled
}
