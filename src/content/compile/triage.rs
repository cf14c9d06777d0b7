//! Triage rules: the level each firing rule sets, with its id and source.

use super::when::compile_when;
use super::{Checker, Names, Scope, suggestion};
use crate::content::raw::RawFile;
use crate::model::{Care, Level, Question, TriageRule};

pub(super) fn triage_rules(
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
            let care = match &t.care {
                None => Care::default_for(level),
                Some(name) => match Care::from_name(name.get_ref()) {
                    Some(care) if care.level() == level => care,
                    Some(care) => {
                        let fits: Vec<&str> = Care::of_level(level)
                            .into_iter()
                            .map(Care::as_str)
                            .collect();
                        ck.report(
                            *file,
                            name.span(),
                            format!(
                                "care \"{care}\" belongs to level \"{}\", not \"{level}\"; allowed at {level}: {}",
                                care.level(),
                                fits.join(", ")
                            ),
                        );
                        continue;
                    }
                    None => {
                        let all = Care::ALL.map(Care::as_str);
                        let hint = suggestion(name.get_ref(), all);
                        ck.report(
                            *file,
                            name.span(),
                            format!(
                                "unknown care \"{}\"{hint}; allowed: {}",
                                name.get_ref(),
                                all.join(", ")
                            ),
                        );
                        continue;
                    }
                },
            };
            let when = compile_when(ck, *file, names, questions, Scope::Answers, &t.when);
            if let Some(when) = when {
                out.push(TriageRule {
                    id: t.id.into_inner(),
                    level,
                    care,
                    when,
                    reason: t.reason,
                    source: t.source,
                });
            }
        }
    }
    out
}
