//! The `[load]` table: the training-load warnings the training log
//! computes.

use std::collections::HashSet;

use super::{Checker, suggestion};
use crate::content::raw::RawFile;
use crate::model::{LOAD_FIGURES, LoadFlag, LoadRatio, LoadRules};

/// `[load]`: the training-load warnings. One table in the whole pack; each
/// flag names a figure the training log computes, a finite threshold, a
/// wording with `{value}` and a source.
pub(super) fn load_rules(ck: &mut Checker, files: &mut [(usize, RawFile)]) -> LoadRules {
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
