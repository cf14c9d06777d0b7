//! The config file: `knee-triage/config.toml` under `$XDG_CONFIG_HOME`
//! (else `~/.config`). It sets defaults for `units`, `diary`, `content`,
//! `color` and `pager`; a flag beats the environment, which beats the
//! file. Read once, before the command line is built, because `content`
//! decides which answer flags exist. `knee-triage config` shows the file
//! and the values in force with where each came from.

use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;

use super::{Cli, ColorChoice};
use crate::error::Error;
use crate::render::units::Units;

use serde::Deserialize;
use toml::Spanned;

/// What the file may set: each value as written, already checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileValues {
    pub units: Option<String>,
    pub diary: Option<PathBuf>,
    pub content: Option<PathBuf>,
    pub color: Option<String>,
    /// A pager command; `Some("")` turns paging off (`pager = false`).
    pub pager: Option<String>,
}

/// The file and what it holds (nothing when there is none).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where the file is looked for; `None` with no `$XDG_CONFIG_HOME` or `$HOME`.
    pub path: Option<PathBuf>,
    /// Whether a file was there and read.
    pub found: bool,
    pub values: FileValues,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is there but says something wrong (exit 2).
    #[error("config file {path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file is there but cannot be read (exit 1).
    #[error("cannot read config file {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub const KEYS: [&str; 5] = ["units", "diary", "content", "color", "pager"];

/// `knee-triage/config.toml` under `$XDG_CONFIG_HOME`, else `~/.config`.
pub fn path() -> Option<PathBuf> {
    let base = crate::files::xdg_dir("XDG_CONFIG_HOME", ".config")?;
    Some(base.join("knee-triage").join("config.toml"))
}

/// Reads the config file, if there is one.
pub fn load() -> Result<Config, ConfigError> {
    let Some(path) = path() else {
        return Ok(Config::default());
    };
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config {
                path: Some(path),
                found: false,
                values: FileValues::default(),
            });
        }
        Err(source) => return Err(ConfigError::Unreadable { path, source }),
    };
    let text = String::from_utf8(text).map_err(|_| ConfigError::Invalid {
        path: path.display().to_string(),
        line: 1,
        column: 1,
        message: "not UTF-8 text".into(),
    })?;
    let values = parse(&path, &text)?;
    Ok(Config {
        path: Some(path),
        found: true,
        values,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    units: Option<Spanned<String>>,
    diary: Option<Spanned<String>>,
    content: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    pager: Option<Spanned<toml::Value>>,
}

/// Checks the file's text; `path` names it in messages and anchors the
/// relative paths it holds.
pub fn parse(path: &Path, text: &str) -> Result<FileValues, ConfigError> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        ConfigError::Invalid {
            path: path.display().to_string(),
            line,
            column,
            message,
        }
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let mut message = e.message().trim().to_owned();
        if !message.starts_with("unknown field")
            && let Some(key) = key_at(text, offset)
        {
            message = format!("{key}: {message}");
        }
        at(offset, message)
    })?;
    let choice = |key: &str, v: &Spanned<String>, allowed: &[&str]| {
        let value = v.get_ref().trim();
        if allowed.contains(&value) {
            Ok(value.to_owned())
        } else {
            Err(at(
                v.span().start,
                format!(
                    "{key} = \"{value}\" is not allowed; allowed: {}",
                    allowed.join(", ")
                ),
            ))
        }
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    let file_path = |key: &str, v: &Spanned<String>| {
        let value = v.get_ref().trim();
        if value.is_empty() {
            return Err(at(v.span().start, format!("{key} is empty; give a path")));
        }
        Ok(resolve_path(folder, value))
    };
    let pager = match &raw.pager {
        None => None,
        Some(v) => match v.get_ref() {
            toml::Value::String(s) => Some(s.trim().to_owned()),
            toml::Value::Boolean(false) => Some(String::new()),
            _ => {
                return Err(at(
                    v.span().start,
                    "pager must be a command in quotes (pager = \"less -R\") or false".into(),
                ));
            }
        },
    };
    Ok(FileValues {
        units: raw
            .units
            .as_ref()
            .map(|v| choice("units", v, &["km", "mi"]))
            .transpose()?,
        color: raw
            .color
            .as_ref()
            .map(|v| choice("color", v, &["auto", "always", "never"]))
            .transpose()?,
        diary: raw
            .diary
            .as_ref()
            .map(|v| file_path("diary", v))
            .transpose()?,
        content: raw
            .content
            .as_ref()
            .map(|v| file_path("content", v))
            .transpose()?,
        pager,
    })
}

/// `~/x` is under `$HOME`; a relative path is read from the config file's
/// folder, so the file means the same wherever the program is started.
fn resolve_path(folder: &Path, value: &str) -> PathBuf {
    if let Some(rest) = value.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
    {
        return PathBuf::from(home).join(rest);
    }
    let p = PathBuf::from(value);
    if p.is_absolute() { p } else { folder.join(p) }
}

/// The key of the `key = value` line holding `offset`, if it is one.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('#')).then(|| key.to_owned())
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Error {
        match e {
            ConfigError::Invalid { .. } => Error::Usage(e.to_string()),
            ConfigError::Unreadable { path, source } => Error::Unreadable { path, source },
        }
    }
}

/// One setting in force: its value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub value: String,
    pub from: String,
}

/// The environment variable that sets `--content` (the others have theirs).
pub const CONTENT_ENV: &str = "KNEE_TRIAGE_CONTENT";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `--content`, else `$KNEE_TRIAGE_CONTENT`, else the file's `content`,
/// before the command line is parsed (the pack decides the answer flags).
pub fn content_dir(flag: Option<PathBuf>, config: &Config) -> Option<PathBuf> {
    flag.or_else(|| env(CONTENT_ENV).map(PathBuf::from))
        .or_else(|| config.values.content.clone())
}

fn given(matches: &ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
}

/// Fills in what the command line left open from the environment and then
/// the config file, so the commands read one place (`cli`), and returns
/// every setting with where it came from.
pub fn apply(cli: &mut Cli, matches: &ArgMatches, config: &Config) -> Result<Vec<Setting>, Error> {
    let file = || match &config.path {
        Some(p) => format!("config file {}", p.display()),
        None => "config file".to_owned(),
    };
    let mut settings = Vec::new();
    let mut note = |key: &'static str, value: String, from: String| {
        settings.push(Setting { key, value, from });
    };

    // units: --units, KNEE_TRIAGE_UNITS, the file, km.
    if cli.units.is_some() {
        note(
            "units",
            cli.units.clone().unwrap_or_default(),
            "--units".into(),
        );
    } else if let Some(v) = env("KNEE_TRIAGE_UNITS") {
        let units = Units::from_name(&v).ok_or_else(|| {
            Error::Usage(format!(
                "invalid value for KNEE_TRIAGE_UNITS: \"{v}\"; allowed: {}",
                Units::NAMES.join(", ")
            ))
        })?;
        note("units", units.label().into(), "KNEE_TRIAGE_UNITS".into());
    } else if let Some(v) = &config.values.units {
        cli.units = Some(v.clone());
        note("units", v.clone(), file());
    } else {
        note("units", "km".into(), "default".into());
    }

    // diary: --diary, KNEE_TRIAGE_DIARY, the file, the data folder.
    if let Some(d) = &cli.diary {
        note("diary", d.display().to_string(), "--diary".into());
    } else if let Some(v) = env("KNEE_TRIAGE_DIARY") {
        note("diary", v, "KNEE_TRIAGE_DIARY".into());
    } else if let Some(d) = &config.values.diary {
        cli.diary = Some(d.clone());
        note("diary", d.display().to_string(), file());
    } else {
        let place = crate::diary::store::resolve(None)
            .map_or("none (no XDG_DATA_HOME or HOME)".to_owned(), |p| {
                p.display().to_string()
            });
        note("diary", place, "default: the data folder".into());
    }

    // content: as read before parsing (see `content_dir`).
    if let Some(c) = &cli.content {
        note("content", c.display().to_string(), "--content".into());
    } else if let Some(v) = env(CONTENT_ENV) {
        cli.content = Some(PathBuf::from(&v));
        note("content", v, CONTENT_ENV.into());
    } else if let Some(c) = &config.values.content {
        cli.content = Some(c.clone());
        note("content", c.display().to_string(), file());
    } else {
        note(
            "content",
            "the pack built into the binary".into(),
            "default".into(),
        );
    }

    // color: --color, NO_COLOR, the file, auto.
    let color_name = |c: ColorChoice| match c {
        ColorChoice::Auto => "auto",
        ColorChoice::Always => "always",
        ColorChoice::Never => "never",
    };
    if given(matches, "color") {
        note("color", color_name(cli.color).into(), "--color".into());
    } else if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        note("color", "never".into(), "NO_COLOR".into());
    } else if let Some(v) = &config.values.color {
        cli.color = match v.as_str() {
            "always" => ColorChoice::Always,
            "never" => ColorChoice::Never,
            _ => ColorChoice::Auto,
        };
        note("color", v.clone(), file());
    } else {
        note("color", "auto".into(), "default".into());
    }

    // pager: --no-pager (per command), PAGER, the file, less -FRX.
    if let Some(v) = std::env::var_os("PAGER") {
        note("pager", pager_words(&v.to_string_lossy()), "PAGER".into());
    } else if let Some(v) = &config.values.pager {
        cli.pager = Some(v.clone());
        note("pager", pager_words(v), file());
    } else {
        note("pager", "less -FRX".into(), "default".into());
    }
    Ok(settings)
}

fn pager_words(command: &str) -> String {
    match command.trim() {
        "" | "cat" => "off".to_owned(),
        c => c.to_owned(),
    }
}

/// `knee-triage config`: the file's path and the values in force.
pub fn show(config: &Config, settings: &[Setting]) -> String {
    let mut out = match (&config.path, config.found) {
        (Some(p), true) => format!("Config file: {}\n", p.display()),
        (Some(p), false) => format!(
            "Config file: {} (none there; the keys it may set are {})\n",
            p.display(),
            KEYS.join(", ")
        ),
        (None, _) => "Config file: none (no XDG_CONFIG_HOME or HOME)\n".to_owned(),
    };
    out.push('\n');
    let wide = settings
        .iter()
        .map(|s| s.value.chars().count())
        .max()
        .unwrap_or(0);
    for s in settings {
        out.push_str(&format!("{:<8} {:<wide$}  ({})\n", s.key, s.value, s.from));
    }
    out.push_str("\nA flag beats the environment, which beats the config file.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(text: &str) -> String {
        parse(Path::new("/c/config.toml"), text)
            .expect_err("invalid")
            .to_string()
    }

    #[test]
    fn values_are_read_and_paths_anchored() {
        let v = parse(
            Path::new("/c/knee-triage/config.toml"),
            "units = \"mi\"\ndiary = \"d.sqlite3\"\ncontent = \"/packs/mine\"\ncolor = \"never\"\npager = false\n",
        )
        .expect("valid");
        assert_eq!(v.units.as_deref(), Some("mi"));
        assert_eq!(v.diary, Some(PathBuf::from("/c/knee-triage/d.sqlite3")));
        assert_eq!(v.content, Some(PathBuf::from("/packs/mine")));
        assert_eq!(v.color.as_deref(), Some("never"));
        assert_eq!(v.pager.as_deref(), Some(""));
    }

    #[test]
    fn mistakes_name_the_place_and_the_key() {
        let e = bad("units = \"mi\"\nunit = \"km\"\n");
        assert!(e.starts_with("config file /c/config.toml:2:1: "), "{e}");
        assert!(e.contains("unit") && e.contains("`units`, `diary`"), "{e}");
        let e = bad("\nunits = \"miles\"\n");
        assert!(e.starts_with("config file /c/config.toml:2:9: "), "{e}");
        assert!(
            e.contains("units = \"miles\"") && e.contains("km, mi"),
            "{e}"
        );
        let e = bad("color = 3\n");
        assert!(e.contains(":1:9:") && e.contains("color"), "{e}");
        let e = bad("pager = 1\n");
        assert!(e.contains("pager"), "{e}");
    }
}
