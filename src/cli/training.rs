//! `training`: read a training log and print its figures.

use std::path::PathBuf;

use crate::error::Error;
use crate::model::Pack;

use super::exit_codes::ExitCode;
use super::{Cli, emit};

#[derive(Debug, clap::Args)]
pub struct TrainingArgs {
    /// The training log: a Strava, Garmin Connect or Apple Health export (folder or .zip), activities.csv, export.xml, .gpx/.tcx/.fit files (also .gz), or folders of them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    /// The last day of the log, YYYY-MM-DD (default: the day of the latest run); activities after it are left out.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<chrono::NaiveDate>,
    /// Write to FILE (replaced whole, never half-written) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::render::markdown::parse_date(text)
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .ok_or_else(|| "expected a date as YYYY-MM-DD".to_owned())
}

pub fn run(cli: &Cli, pack: &Pack, args: &TrainingArgs) -> Result<ExitCode, Error> {
    let summary = crate::training::summarize(
        pack,
        &args.paths,
        args.today,
        &crate::training::Limits::default(),
    )?;
    if summary.runs == 0 {
        return Err(crate::training::no_runs_error(&args.paths, &summary));
    }
    let text = if args.json {
        let json = summary.to_json(pack);
        serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
    } else {
        let flag = cli.width.map(usize::from);
        let width = if args.output.is_some() {
            crate::render::width::for_file(flag)
        } else {
            crate::render::width::for_stream(crate::render::width::Stream::Stdout, flag)
        };
        crate::render::training::summary(&summary, pack, width, super::units(cli)?)
    };
    match &args.output {
        Some(path) => crate::render::output::write_atomic(path, text.as_bytes())
            .map(|()| ExitCode::Success)
            .map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            }),
        None => emit(&text),
    }
}
