//! Loading and validating a content pack.
//!
//! A pack is a set of TOML files. Loading parses every file, then checks the
//! whole pack at once, so `content check` can list every problem, each as
//! `file:line:column: message`.

mod compile;
pub use compile::compile_condition;
mod embedded;
#[cfg(prebuilt_pack)]
pub mod prebuilt;
pub mod raw;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::model::Pack;

pub use embedded::{CASES as EMBEDDED_CASES, FILES as EMBEDDED_FILES};

/// One file of a pack: where it came from and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// Shown in problems: `content/causes/acl.toml` or the path on disk.
    pub path: String,
    pub text: String,
}

/// One problem found in a pack, with its position (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Why a pack could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("cannot read content pack {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("content pack file {} is {:.1} MB, over the 1 MB limit for one pack file", path.display(), *size as f64 / (1024.0 * 1024.0))]
    TooLarge { path: PathBuf, size: u64 },
    #[error("content pack {dir} holds no .toml files")]
    Empty { dir: PathBuf },
    #[error("{}", format_problems(.0))]
    Invalid(Vec<Problem>),
}

fn format_problems(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    format!(
        "{}\ncontent pack has {} problem{}",
        lines.join("\n"),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )
}

/// The pack compiled into the binary from `content/`.
pub fn embedded_sources() -> Vec<Source> {
    EMBEDDED_FILES
        .iter()
        .map(|(path, text)| Source {
            path: format!("content/{path}"),
            text: (*text).to_owned(),
        })
        .collect()
}

/// The golden cases compiled into the binary from `content/cases/`.
pub fn embedded_case_sources() -> Vec<Source> {
    EMBEDDED_CASES
        .iter()
        .map(|(path, text)| Source {
            path: format!("content/{path}"),
            text: (*text).to_owned(),
        })
        .collect()
}

/// The embedded pack, validated once per process.
pub fn embedded() -> Result<&'static Pack, PackError> {
    static PACK: OnceLock<Result<Pack, Vec<Problem>>> = OnceLock::new();
    PACK.get_or_init(|| {
        load_embedded().map_err(|e| match e {
            PackError::Invalid(problems) => problems,
            other => vec![Problem {
                file: "content".into(),
                line: 1,
                column: 1,
                message: other.to_string(),
            }],
        })
    })
    .as_ref()
    .map_err(|problems| PackError::Invalid(problems.clone()))
}

/// The largest pack file read: the biggest shipped file is a few tens of
/// kilobytes, and a huge one is a mistake to report, not to parse.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads every `*.toml` below `dir` (but not `cases/`), in sorted order.
pub fn read_dir(dir: &Path) -> Result<Vec<Source>, PackError> {
    let mut paths = Vec::new();
    collect_toml(dir, dir, &mut paths)?;
    paths.sort();
    if paths.is_empty() {
        return Err(PackError::Empty {
            dir: dir.to_path_buf(),
        });
    }
    paths
        .into_iter()
        .map(|path| {
            if let Ok(meta) = std::fs::metadata(&path)
                && meta.len() > MAX_FILE_BYTES
            {
                return Err(PackError::TooLarge {
                    path: path.clone(),
                    size: meta.len(),
                });
            }
            let text = std::fs::read_to_string(&path).map_err(|source| PackError::Io {
                path: path.clone(),
                source,
            })?;
            Ok(Source {
                path: path.display().to_string(),
                text,
            })
        })
        .collect()
}

fn collect_toml(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), PackError> {
    let io = |source| PackError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            if dir == root && path.file_name().is_some_and(|n| n == "cases") {
                continue;
            }
            collect_toml(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses and validates a pack from its files. Its `meta.hash` is left
/// empty: only the caller knows the files' paths within the pack folder
/// (see [`pack_hash`]).
pub fn load(sources: &[Source]) -> Result<Pack, PackError> {
    compile::compile(sources).map_err(PackError::Invalid)
}

/// Loads the pack in `dir`, or the embedded one when `dir` is `None`.
pub fn load_from(dir: Option<&Path>) -> Result<Pack, PackError> {
    match dir {
        Some(dir) => {
            let sources = read_dir(dir)?;
            let mut pack = load(&sources)?;
            pack.meta.hash = pack_hash(sources.iter().map(|s| {
                let rel = Path::new(&s.path).strip_prefix(dir).map_or_else(
                    |_| s.path.clone(),
                    |p| {
                        p.components()
                            .map(|c| c.as_os_str().to_string_lossy())
                            .collect::<Vec<_>>()
                            .join("/")
                    },
                );
                (rel, s.text.as_str())
            }));
            Ok(pack)
        }
        None => load_embedded(),
    }
}

/// The embedded pack's [`pack_hash`].
pub fn embedded_hash() -> String {
    pack_hash(EMBEDDED_FILES.iter().map(|(p, t)| ((*p).to_owned(), *t)))
}

/// The pack's fingerprint, so reports from different machines can be
/// compared: the hex SHA-256 over its files (the `.toml` files outside
/// `cases/`) in the order of their paths relative to the pack folder
/// (`/`-separated), each fed as its path, a newline, its length in bytes
/// in decimal, a newline, then its bytes. The same files give the same
/// hash whether embedded or read with `--content`.
pub fn pack_hash(files: impl IntoIterator<Item = (String, impl AsRef<str>)>) -> String {
    use sha2::{Digest, Sha256};
    let mut files: Vec<(String, _)> = files.into_iter().collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    for (path, text) in &files {
        let text = text.as_ref();
        hasher.update(path.as_bytes());
        hasher.update(format!("\n{}\n", text.len()).as_bytes());
        hasher.update(text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The embedded pack: parsed and validated at build time (see `build.rs`),
/// so a run only decodes it; compiled from the sources when the build found
/// problems, so they are reported as for a pack on disk.
fn load_embedded() -> Result<Pack, PackError> {
    #[cfg(prebuilt_pack)]
    if let Some(pack) = prebuilt::pack() {
        return Ok(pack);
    }
    let mut pack = load(&embedded_sources())?;
    pack.meta.hash = embedded_hash();
    Ok(pack)
}

/// The problems without the follow-ons of another one: a cause, advice
/// item or question that a file declares but that could not be read (its
/// file did not parse, or the item itself had a problem) is then unknown
/// wherever it is named, and each such "unknown" would hide the one
/// mistake to fix. An unknown name that no file declares is kept: that is
/// the mistake itself.
pub fn root_problems(sources: &[Source], problems: Vec<Problem>) -> Vec<Problem> {
    if problems.len() < 2 {
        return problems;
    }
    let declared = declared_ids(sources);
    let follow_on = |p: &Problem| {
        let named = |prefix: &str| {
            let rest = p.message.split(prefix).nth(1)?;
            let end = rest.find('"')?;
            Some(rest[..end].to_owned())
        };
        [
            ("cause", "unknown cause \""),
            ("advice", "unknown advice id \""),
            ("question", "unknown answer key \""),
        ]
        .iter()
        .any(|(kind, prefix)| {
            named(prefix).is_some_and(|id| declared.contains(&((*kind).to_owned(), id)))
        })
    };
    let roots: Vec<Problem> = problems.iter().filter(|p| !follow_on(p)).cloned().collect();
    if roots.is_empty() { problems } else { roots }
}

/// `(section, id)` for every `id = "..."` under a `[[cause]]`, `[[advice]]`
/// or `[[question]]` header, read from the text alone so that a file that
/// does not parse still says what it meant to declare.
fn declared_ids(sources: &[Source]) -> std::collections::HashSet<(String, String)> {
    let mut out = std::collections::HashSet::new();
    for source in sources {
        let mut section = String::new();
        for line in source.text.lines() {
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("[[") {
                section = rest.split("]]").next().unwrap_or("").trim().to_owned();
                continue;
            }
            if t.starts_with('[') {
                section.clear();
                continue;
            }
            let Some(value) = t
                .strip_prefix("id")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
            else {
                continue;
            };
            let value = value.trim();
            if let Some(id) = value.strip_prefix('"').and_then(|v| v.split('"').next())
                && !section.is_empty()
            {
                out.insert((section.clone(), id.to_owned()));
            }
        }
    }
    out
}

/// A TOML reader's message in an editor's words: no Rust type names
/// (`i64`, `f64`), no "variant" or "field".
pub fn plain_words(message: &str) -> String {
    let list = |items: &str| -> String {
        items
            .replace("one of ", "")
            .replace(" or ", ", ")
            .replace('`', "")
    };
    // unknown variant `x`, expected one of `a`, `b`
    for (from, what) in [("unknown variant `", "value"), ("unknown field `", "key")] {
        if let Some(rest) = message.strip_prefix(from)
            && let Some((given, tail)) = rest.split_once('`')
        {
            let allowed = tail
                .trim_start_matches(',')
                .trim()
                .strip_prefix("expected ")
                .map(list);
            return match allowed {
                Some(a) if !a.is_empty() => {
                    let hint = did_you_mean(given, a.split(", "))
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                        .unwrap_or_default();
                    format!("unknown {what} \"{given}\"{hint}; allowed: {a}")
                }
                _ => format!("unknown {what} \"{given}\""),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((name, _)) = rest.split_once('`')
    {
        return format!("missing key \"{name}\"");
    }
    // invalid type: string "x", expected i64
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "expected {}, found {}",
            type_words(expected),
            found_words(found)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "expected {}, found {}",
            type_words(expected),
            found_words(found)
        );
    }
    message.to_owned()
}

fn type_words(expected: &str) -> String {
    match expected.trim() {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "a whole number".into()
        }
        "f32" | "f64" => "a number".into(),
        "a string" | "a borrowed string" => "text in quotes".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list [...]".into(),
        other if other.starts_with("struct ") || other.starts_with("a map") => "a table".into(),
        other => other.replace('`', "").replace(" variant", " value"),
    }
}

fn found_words(found: &str) -> String {
    let found = found.trim();
    for (from, to) in [
        ("string ", "the text "),
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
    ] {
        if let Some(v) = found.strip_prefix(from) {
            return format!("{to}{}", v.replace('`', ""));
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        other => other.replace('`', ""),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The closest candidate to a misspelt name, if one is close enough.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (given.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(given, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 9), (2, 3));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn serde_words_become_plain_words() {
        assert_eq!(
            plain_words("unknown variant `conditon`, expected `condition` or `factor`"),
            "unknown value \"conditon\" (did you mean \"condition\"?); allowed: condition, factor"
        );
        assert_eq!(
            plain_words("unknown variant `zzzz`, expected one of `aaa`, `bbb`, `ccc`"),
            "unknown value \"zzzz\"; allowed: aaa, bbb, ccc"
        );
        assert_eq!(
            plain_words("invalid type: string \"x\", expected i64"),
            "expected a whole number, found the text \"x\""
        );
        assert_eq!(
            plain_words("invalid type: integer `3`, expected a string"),
            "expected text in quotes, found the number 3"
        );
        assert_eq!(plain_words("missing field `name`"), "missing key \"name\"");
        assert_eq!(
            plain_words("unknown field `nme`, expected `name` or `id`"),
            "unknown key \"nme\" (did you mean \"name\"?); allowed: name, id"
        );
        assert_eq!(plain_words("unclosed table"), "unclosed table");
    }

    #[test]
    fn suggests_close_names_only() {
        let keys = ["swelling", "swelling_onset", "locking"];
        assert_eq!(did_you_mean("swellling", keys), Some("swelling"));
        assert_eq!(did_you_mean("lockin", keys), Some("locking"));
        assert_eq!(did_you_mean("banana", keys), None);
    }
}
