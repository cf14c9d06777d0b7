//! `[[reference]]`: the documents the pack cites, each with the address of
//! its page, so the Markdown report can link a cited title.

use std::collections::HashSet;

use super::Checker;
use crate::content::raw::RawFile;
use crate::model::{Reference, citations};

/// Every `[[reference]]` of the pack, checked: a title (and each other
/// spelling) used once in the whole table, an `https://` address, and each
/// title cited by at least one `source` text of the pack, so the table holds
/// no address a report can never show.
pub(super) fn references(ck: &mut Checker, files: &mut [(usize, RawFile)]) -> Vec<Reference> {
    let cited = cited_titles(ck);
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for (file, raw) in files.iter_mut() {
        for r in std::mem::take(&mut raw.reference) {
            let mut ok = true;
            for name in std::iter::once(&r.title).chain(&r.also) {
                let text = name.get_ref();
                if text.trim().is_empty() || text.trim() != text {
                    ck.report(
                        *file,
                        name.span(),
                        format!(
                            "reference title \"{text}\" must be the title as the sources write it, without spaces around it"
                        ),
                    );
                    ok = false;
                } else if !seen.insert(text.clone()) {
                    ck.report(
                        *file,
                        name.span(),
                        format!(
                            "duplicate reference title \"{text}\": a title names one reference; allowed: each title once in the pack"
                        ),
                    );
                    ok = false;
                } else if !cited.contains(text.as_str()) {
                    ck.report(
                        *file,
                        name.span(),
                        format!(
                            "reference \"{text}\" is cited by nothing; allowed: a title a `source` in the pack cites (the text before any \" (\" note), e.g. \"NICE CKS Knee pain - assessment (locked knee)\" cites \"NICE CKS Knee pain - assessment\""
                        ),
                    );
                    ok = false;
                }
            }
            let url = r.url.get_ref();
            if !is_https(url) {
                ck.report(
                    *file,
                    r.url.span(),
                    format!(
                        "reference \"{}\": url \"{url}\" is not an https:// address; allowed: https://host/path, without spaces",
                        r.title.get_ref()
                    ),
                );
                ok = false;
            }
            if ok {
                out.push(Reference {
                    title: r.title.into_inner(),
                    url: r.url.into_inner(),
                    also: r.also.into_iter().map(|a| a.into_inner()).collect(),
                });
            }
        }
    }
    out
}

/// `https://` followed by a host, and nothing a link could not hold.
fn is_https(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
            && host.contains('.')
            && !url
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
    })
}

/// The titles cited by every `source` text of the pack: any string under a
/// key named `source` or ending in `_source`, in any file (the plan's steps
/// too, which this loader does not otherwise read).
fn cited_titles(ck: &Checker) -> HashSet<String> {
    fn walk(value: &toml::Value, key: Option<&str>, out: &mut HashSet<String>) {
        match value {
            toml::Value::String(s)
                if key.is_some_and(|k| k == "source" || k.ends_with("_source")) =>
            {
                out.extend(citations(s).into_iter().map(|c| c.title.to_owned()));
            }
            toml::Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            toml::Value::Table(table) => table.iter().for_each(|(k, v)| walk(v, Some(k), out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    for source in ck.sources {
        if let Ok(value) = source.text.parse::<toml::Table>() {
            walk(&toml::Value::Table(value), None, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_addresses_with_a_host() {
        assert!(is_https("https://www.nice.org.uk/guidance/ng226"));
        assert!(!is_https("http://www.nice.org.uk/guidance/ng226"));
        assert!(!is_https("https://"));
        assert!(!is_https("https:///path"));
        assert!(!is_https("https://example .org/x"));
        assert!(!is_https("www.nice.org.uk"));
    }
}
