//! Questions: kinds, options, bounds and `ask_if`, checked first because
//! every condition in the pack refers to them.

use std::collections::HashSet;

use toml::Spanned;

use super::when::compile_when;
use super::{Checker, Names, Scope, suggestion, unique_ids};
use crate::content::raw::{RawFile, RawQuestion, RawValue};
use crate::model::{Choice, Cond, Opening, Question, QuestionKind, Who};

/// A question's `ask_if`, kept until every question is known.
pub(super) type RawAskIf = (usize, Option<Spanned<RawValue>>);

pub(super) fn questions(
    ck: &mut Checker,
    files: &mut [(usize, RawFile)],
) -> (Vec<Question>, Vec<RawAskIf>) {
    let mut out = Vec::new();
    let mut ask_ifs = Vec::new();
    let raw = unique_ids(
        ck,
        files,
        |f| std::mem::take(&mut f.question),
        |q| &q.id,
        "question",
    );
    for (file, q) in raw {
        let id = q.id.get_ref().clone();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            ck.report(
                file,
                q.id.span(),
                format!("question id \"{id}\" must be snake_case (a-z, 0-9, _)"),
            );
        }
        let ask_if = q.ask_if.clone();
        if let Some(question) = question(ck, file, q) {
            out.push(question);
            ask_ifs.push((file, ask_if));
        }
    }
    (out, ask_ifs)
}

pub(super) fn question(ck: &mut Checker, file: usize, q: RawQuestion) -> Option<Question> {
    let id = q.id.get_ref().clone();
    let kind = q.kind;
    let mut ok = true;
    let mut options = Vec::new();
    match (&q.options, kind.has_options()) {
        (Some(opts), true) => {
            if opts.get_ref().is_empty() {
                ck.report(
                    file,
                    opts.span(),
                    format!("question \"{id}\" has no options"),
                );
                ok = false;
            }
            if opts.get_ref().len() > 64 {
                ck.report(
                    file,
                    opts.span(),
                    format!("question \"{id}\" has more than 64 options"),
                );
                ok = false;
            }
            let mut seen = HashSet::new();
            for o in opts.get_ref() {
                let v = o.value.get_ref();
                if !seen.insert(v.clone()) {
                    ck.report(
                        file,
                        o.value.span(),
                        format!("duplicate option \"{v}\" in question \"{id}\""),
                    );
                    ok = false;
                }
                options.push(Choice {
                    value: v.clone(),
                    label: o.label.clone(),
                    child_label: o.child_label.clone(),
                    phrase: o.phrase.clone(),
                });
            }
        }
        (None, true) => {
            ck.report(
                file,
                q.id.span(),
                format!("{} question \"{id}\" needs `options`", kind.as_str()),
            );
            ok = false;
        }
        (Some(opts), false) => {
            ck.report(
                file,
                opts.span(),
                format!(
                    "`options` is only for enum and list questions, and \"{id}\" is {}",
                    kind.as_str()
                ),
            );
            ok = false;
        }
        (None, false) => {}
    }
    let (yes, no) = match (kind, q.yes, q.no) {
        (QuestionKind::Bool, Some(y), Some(n)) => (y.into_inner(), n.into_inner()),
        (QuestionKind::Bool, _, _) => {
            ck.report(
                file,
                q.id.span(),
                format!("bool question \"{id}\" needs both `yes` and `no` phrases"),
            );
            ok = false;
            (String::new(), String::new())
        }
        (_, y, n) => {
            for s in [y, n].into_iter().flatten() {
                ck.report(
                    file,
                    s.span(),
                    format!(
                        "`yes` and `no` are only for bool questions, and \"{id}\" is {}",
                        kind.as_str()
                    ),
                );
                ok = false;
            }
            (String::new(), String::new())
        }
    };
    let phrase = match (kind.is_numeric(), q.phrase) {
        (true, Some(p)) => {
            if !p.get_ref().contains("{value}") {
                ck.report(
                    file,
                    p.span(),
                    format!("phrase of \"{id}\" must contain {{value}}"),
                );
                ok = false;
            }
            p.into_inner()
        }
        (true, None) => {
            ck.report(
                file,
                q.id.span(),
                format!(
                    "{} question \"{id}\" needs a `phrase` such as \"{{value}} km a week\"",
                    kind.as_str()
                ),
            );
            ok = false;
            String::new()
        }
        (false, Some(p)) => {
            ck.report(file, p.span(), format!("`phrase` is only for numeric questions; \"{id}\" is {} (phrases go on its options or yes/no)", kind.as_str()));
            ok = false;
            String::new()
        }
        (false, None) => String::new(),
    };
    let phrase_one = match q.phrase_one {
        Some(p) if !kind.is_numeric() || !p.get_ref().contains("{value}") => {
            ck.report(
                file,
                p.span(),
                format!(
                    "`phrase_one` of \"{id}\" must be for a numeric question and contain {{value}}"
                ),
            );
            ok = false;
            None
        }
        p => p.map(Spanned::into_inner),
    };
    if q.ask_if_known && q.ask_if.is_none() {
        ck.report(
            file,
            q.id.span(),
            format!("`ask_if_known` needs an `ask_if` in \"{id}\""),
        );
        ok = false;
    }
    if let Some(n) = &q.child_no
        && kind != QuestionKind::Bool
    {
        ck.report(
            file,
            n.span(),
            format!(
                "`child_no` is only for bool questions, and \"{id}\" is {}",
                kind.as_str()
            ),
        );
        ok = false;
    }
    if let Some(p) = &q.child_positive
        && q.positive.is_none()
    {
        ck.report(
            file,
            p.span(),
            format!("`child_positive` needs a `positive` prompt in \"{id}\""),
        );
        ok = false;
    }
    if let Some(p) = &q.positive
        && kind != QuestionKind::Bool
    {
        ck.report(
            file,
            p.span(),
            format!(
                "`positive` is only for bool questions, and \"{id}\" is {}",
                kind.as_str()
            ),
        );
        ok = false;
    }
    if !kind.is_numeric() {
        for b in [&q.min, &q.max].into_iter().flatten() {
            ck.report(
                file,
                b.span(),
                format!(
                    "`min` and `max` are only for numeric questions, and \"{id}\" is {}",
                    kind.as_str()
                ),
            );
            ok = false;
        }
    }
    if let (Some(lo), Some(hi)) = (&q.min, &q.max)
        && lo.get_ref() > hi.get_ref()
    {
        ck.report(
            file,
            lo.span(),
            format!(
                "min {} is above max {} in \"{id}\"",
                lo.get_ref(),
                hi.get_ref()
            ),
        );
        ok = false;
    }
    ok.then(|| Question {
        id,
        kind,
        section: q.section,
        required: q.required,
        prompt: q.prompt,
        help: q.help,
        options,
        yes,
        no,
        min: q.min.map(Spanned::into_inner),
        max: q.max.map(Spanned::into_inner),
        unit: q.unit,
        phrase,
        phrase_one,
        ask_if: None,
        positive: q.positive.map(Spanned::into_inner),
        child_prompt: q.child_prompt,
        child_positive: q.child_positive.map(Spanned::into_inner),
        child_help: q.child_help,
        child_yes: q.child_yes,
        child_no: q.child_no.map(Spanned::into_inner),
        drawing: q.drawing,
        ask_if_known: q.ask_if_known,
    })
}

/// `[questionnaire]`: at most one, its `first` lists naming questions,
/// each once.
pub(super) fn opening(ck: &mut Checker, files: &mut [(usize, RawFile)], names: &Names) -> Opening {
    let mut out = Opening::default();
    let mut seen_file = None;
    for (file, raw) in files.iter_mut() {
        let Some(o) = raw.questionnaire.take() else {
            continue;
        };
        if seen_file.replace(*file).is_some() {
            ck.report(
                *file,
                o.span(),
                "a second [questionnaire] table: the questionnaire opens one way",
            );
            continue;
        }
        let o = o.into_inner();
        let mut list = |ids: &[Spanned<String>]| -> Vec<usize> {
            let mut qs = Vec::new();
            for id in ids {
                match names.questions.get(id.get_ref()) {
                    Some(&q) if qs.contains(&q) => ck.report(
                        *file,
                        id.span(),
                        format!("question \"{}\" is listed twice", id.get_ref()),
                    ),
                    Some(&q) => qs.push(q),
                    None => ck.report(
                        *file,
                        id.span(),
                        format!(
                            "unknown question \"{}\"{}",
                            id.get_ref(),
                            suggestion(id.get_ref(), names.questions.keys().map(String::as_str))
                        ),
                    ),
                }
            }
            qs
        };
        out.first = list(&o.first);
        out.child_first = list(&o.child_first);
        out.who = Some(Who {
            prompt: o.who_prompt,
            help: o.who_help,
            myself: o.who_self,
            child: o.who_child,
        });
    }
    out
}

pub(super) fn attach_ask_if(
    ck: &mut Checker,
    mut questions: Vec<Question>,
    raw: Vec<RawAskIf>,
    names: &Names,
) -> Vec<Question> {
    let compiled: Vec<Option<Cond>> = raw
        .into_iter()
        .map(|(file, when)| {
            when.and_then(|w| compile_when(ck, file, names, &questions, Scope::Answers, &w))
        })
        .collect();
    for (q, c) in questions.iter_mut().zip(compiled) {
        q.ask_if = c;
    }
    questions
}
