//! Advice items: category, wording, source and the condition that selects
//! them.

use super::when::compile_when;
use super::{Checker, Names, Scope, suggestion};
use crate::content::raw::RawFile;
use crate::model::{Advice, Care, Level, Question};

pub(super) fn advice(
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
            let mut contradicts_care: Vec<Care> = Vec::new();
            for name in &a.contradicts_care {
                match Care::from_name(name.get_ref()) {
                    Some(c) if !contradicts_care.contains(&c) => contradicts_care.push(c),
                    Some(c) => ck.report(
                        *file,
                        name.span(),
                        format!(
                            "advice \"{}\": care \"{c}\" is listed twice in `contradicts_care`",
                            a.id.get_ref()
                        ),
                    ),
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
                    }
                }
            }
            out.push(Advice {
                id: a.id.into_inner(),
                category: a.category,
                title: a.title,
                text: a.text,
                source: a.source,
                when,
                contradicts,
                contradicts_care,
                running: a.running,
            });
        }
    }
    out
}
