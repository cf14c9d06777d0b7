//! The pack's references: a cited title with the address of its page, so
//! a report can link what it cites (`content/references.toml`).

use serde::{Deserialize, Serialize};

/// One document the pack cites: its title as the `source` texts write it,
/// other spellings of the same title, and the `https://` address of its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub title: String,
    pub url: String,
    /// Other spellings of the title in the pack's sources.
    #[serde(default)]
    pub also: Vec<String>,
}

impl Reference {
    /// Whether a citation's title names this reference.
    pub fn names(&self, title: &str) -> bool {
        self.title == title || self.also.iter().any(|a| a == title)
    }
}

/// One citation of a `source` text: the cited title and what follows it
/// (a note in brackets, a colon and a comment), as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Citation<'a> {
    pub title: &'a str,
    pub rest: &'a str,
}

/// A `source` text cut into its citations: they are separated by `;` (one
/// inside brackets belongs to the note), and a citation's title is the text
/// before its first ` (`.
pub fn citations(source: &str) -> Vec<Citation<'_>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in source.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                out.push(citation(&source[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(citation(&source[start..]));
    out.retain(|c| !c.title.is_empty());
    out
}

fn citation(text: &str) -> Citation<'_> {
    let text = text.trim();
    match text.find(" (") {
        Some(i) => Citation {
            title: text[..i].trim_end(),
            rest: &text[i..],
        },
        None => Citation {
            title: text,
            rest: "",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_cut_into_titles_and_notes() {
        let cut = citations(
            "NICE CKS Knee pain - assessment (neurovascular injury); Gloucestershire knee red flags",
        );
        assert_eq!(
            cut,
            vec![
                Citation {
                    title: "NICE CKS Knee pain - assessment",
                    rest: " (neurovascular injury)"
                },
                Citation {
                    title: "Gloucestershire knee red flags",
                    rest: ""
                },
            ]
        );
    }

    #[test]
    fn a_semicolon_inside_a_note_does_not_cut() {
        let cut = citations(
            "Ottawa knee rule (Stiell et al., JAMA 1996; acute injuries within 7 days); NHS Knee pain",
        );
        assert_eq!(cut.len(), 2);
        assert_eq!(cut[0].title, "Ottawa knee rule");
        assert_eq!(
            cut[0].rest,
            " (Stiell et al., JAMA 1996; acute injuries within 7 days)"
        );
        assert_eq!(cut[1].title, "NHS Knee pain");
        assert_eq!(
            citations("Warden et al. 2014 (JOSPT): graded walk-run")[0].rest,
            " (JOSPT): graded walk-run"
        );
        assert!(citations(" ; ").is_empty());
    }
}
