//! `content check` and `content list`: the content pack for its reviewers.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::content::{self, PackError};
use crate::error::Error;
use crate::model::Pack;

use super::exit_codes::ExitCode;
use super::{Cli, emit};

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Validate a content pack and print every problem as file:line:column: message.
    #[command(
        after_help = "With no DIR, checks the pack given by --content, or else the built-in pack.\n\nExample:\n  knee-triage content check content/"
    )]
    Check {
        /// The pack folder (the one holding pack.toml).
        dir: Option<PathBuf>,
    },
    /// List the causes, questions and advice in the pack in use (or in DIR).
    #[command(
        after_help = "With no DIR, lists the pack given by --content, or else the built-in pack.\n\nExamples:\n  knee-triage content list\n  knee-triage content list my-pack/\n  knee-triage --content my-pack/ content list"
    )]
    List {
        /// The pack folder (the one holding pack.toml).
        dir: Option<PathBuf>,
    },
}

pub fn run(
    cli: &Cli,
    pack: Result<&Pack, PackError>,
    action: &ContentCommand,
) -> Result<ExitCode, Error> {
    match action {
        ContentCommand::Check { dir } => content_check(dir.as_deref().or(cli.content.as_deref())),
        ContentCommand::List { dir } => {
            let from_dir;
            let pack = match dir {
                Some(d) => {
                    from_dir = content::load_from(Some(d))?;
                    &from_dir
                }
                None => pack?,
            };
            let width = cli.width.map(usize::from);
            emit(&crate::render::listing::list(
                pack,
                crate::render::width::for_stream(crate::render::width::Stream::Stdout, width),
            ))
        }
    }
}

fn content_check(dir: Option<&Path>) -> Result<ExitCode, Error> {
    let (sources, case_sources) = match dir {
        Some(d) => {
            let cases = crate::checks::cases::read_dir(d).map_err(|source| Error::Read {
                path: d.join("cases"),
                source,
            })?;
            (content::read_dir(d)?, cases)
        }
        None => (
            content::embedded_sources(),
            content::embedded_case_sources(),
        ),
    };
    let mut extra = String::new();
    let problems = match content::load(&sources) {
        Ok(pack) => {
            let mut checked = crate::checks::check(&pack, &sources, &case_sources);
            // The return-to-running plan (plan.toml), checked against the pack.
            if let Err(problems) = crate::plan::pack::load(&pack, &sources) {
                checked.errors.extend(problems);
            }
            let warnings: String = checked.warnings.iter().map(|p| format!("{p}\n")).collect();
            if checked.ok() {
                let rules: usize = pack.causes.iter().map(|c| c.rules.len()).sum();
                return emit(&format!(
                    "content pack OK: {} {} ({} files): {} questions, {} causes with {} scoring rules, {} triage rules, {} advice items; {} golden cases pass{}\n{warnings}{}",
                    pack.meta.name,
                    pack.meta.version,
                    sources.len(),
                    pack.questions.len(),
                    pack.causes.len(),
                    rules,
                    pack.triage.len(),
                    pack.advice.len(),
                    checked.cases,
                    match checked.warnings.len() {
                        0 => String::new(),
                        n => format!("; {n} warning{}", if n == 1 { "" } else { "s" }),
                    },
                    checked.coverage_text(),
                ));
            }
            extra = format!("{warnings}{}", checked.coverage_text());
            checked.errors
        }
        Err(PackError::Invalid(problems)) => problems,
        Err(e) => return Err(e.into()),
    };
    let mut text: String = problems.iter().map(|p| format!("{p}\n")).collect();
    text.push_str(&extra);
    text.push_str(&format!(
        "content pack has {} problem{}\n",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ));
    emit(&text)?;
    Ok(ExitCode::Usage)
}
