//! The knee diary: `checkin`, `history`, and the answer `assess` and `ask`
//! take from it with `--from-diary` (the trend of the pain).

pub mod decide;
pub mod store;

use std::path::Path;

use crate::answers::Answers;
use crate::model::Pack;

/// What `--from-diary` took from the diary, and the note that says so.
#[derive(Debug, Default)]
pub struct FromDiary {
    /// The questions filled, so the report can say where they came from.
    pub filled: Vec<usize>,
    /// One line for the runner: what was taken, or why nothing was.
    pub note: Option<String>,
}

/// Fills `trend` from the diary when the runner did not answer it: the
/// trend of the pain as the pack defines it. Never `duration_days`: the
/// diary's first day is when the diary began, not when the pain did. Only
/// `assess --from-diary` and `ask --from-diary` call this, so a coach or a
/// parent assessing someone else never gets the machine's own diary mixed
/// in. A diary that cannot be read is named in the note and left out.
pub fn fill_answers(
    pack: &Pack,
    content: Option<&Path>,
    diary: Option<&Path>,
    answers: &mut Answers,
) -> FromDiary {
    let mut out = FromDiary::default();
    let Some(q) = pack.questions.iter().position(|q| q.id == "trend") else {
        return out;
    };
    if answers.is_answered(q) {
        out.note = Some(
            "note: --from-diary: the trend was answered, so nothing is taken from the knee diary"
                .into(),
        );
        return out;
    }
    let Some(path) = store::resolve(diary) else {
        out.note = Some("note: --from-diary: no place for a knee diary (no --diary, KNEE_TRIAGE_DIARY, XDG_DATA_HOME or HOME)".into());
        return out;
    };
    let days = match store::Diary::open_existing(&path).and_then(|d| match d {
        Some(d) => d.days(),
        None => Ok(Vec::new()),
    }) {
        Ok(days) => days,
        Err(e) => {
            out.note = Some(format!("note: --from-diary: {e}; assessing without it"));
            return out;
        }
    };
    let Some(last) = days.last() else {
        out.note = Some(format!(
            "note: --from-diary: the knee diary {} has no days yet; nothing taken from it",
            path.display()
        ));
        return out;
    };
    let trend = crate::plan::load(pack, content)
        .ok()
        .and_then(|plan| decide::trend(&plan, &days, last.date));
    match trend {
        Some(t) if answers.set_text(pack, q, t).is_ok() => {
            out.filled.push(q);
            out.note = Some(format!(
                "note: trend \"{t}\" from the knee diary {} (--trend overrides it)",
                path.display()
            ));
        }
        _ => {
            out.note = Some(format!(
                "note: --from-diary: the knee diary {} has too few days to tell a trend; nothing taken from it",
                path.display()
            ));
        }
    }
    out
}
