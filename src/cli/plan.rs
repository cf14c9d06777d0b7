//! The `plan` command: answers in (as `assess` takes them), a dated plan
//! out in the format asked for, optionally saved in the knee diary.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgMatches, ValueEnum};

use super::exit_codes::ExitCode;
use crate::error::Error;
use crate::model::Pack;

use super::Globals;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A table to read at the terminal.
    Human,
    /// One JSON document.
    Json,
    /// Markdown, a table per week.
    Markdown,
    /// One row per session.
    Csv,
    /// iCalendar: one all-day event per session, for a calendar app.
    Ics,
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// Read answers from FILE: TOML if it ends in .toml, else JSON; `-` reads JSON from stdin.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Write to FILE (replaced whole, never half-written) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// First day of the plan, YYYY-MM-DD [default: today, local date].
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub start: Option<NaiveDate>,
    /// Your running days, e.g. mon,wed,sat [default: three days a week, evenly spaced from --start]. Runs fall on these days; the longest run of each week on its last.
    #[arg(long, value_name = "DAYS", value_parser = parse_days_arg)]
    pub days: Option<Days>,
    /// Also save the plan in the knee diary, for `checkin`.
    #[arg(long)]
    pub save: bool,
    /// Fill the training answers not given (weekly_km and the rest) from a training log (repeatable): a Strava export, activities.csv, .gpx/.tcx/.fit files or a folder; see `knee-triage training`.
    #[arg(long, value_name = "PATH")]
    pub training: Vec<PathBuf>,
}

/// The weekdays of `--days` (one value, so clap keeps it whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Days(pub Vec<chrono::Weekday>);

fn parse_days_arg(text: &str) -> Result<Days, String> {
    crate::plan::schedule::parse_days(text).map(Days)
}

pub fn parse_date_arg(text: &str) -> Result<NaiveDate, String> {
    crate::plan::schedule::parse_date(text)
        .ok_or_else(|| "expected a date as YYYY-MM-DD".to_owned())
}

pub fn run(
    pack: &Pack,
    g: &Globals,
    args: &PlanArgs,
    matches: Option<&ArgMatches>,
) -> Result<ExitCode, Error> {
    let plan_pack = crate::plan::load(pack, g.content)?;
    let mut answers = super::input::gather(pack, args.answers.as_deref(), matches)?;
    // A training log fills the training answers (weekly_km: the distance
    // to rebuild to) that the file and the flags left out.
    let mut prior_weekly_km = None;
    if !args.training.is_empty() {
        let log = crate::training::answers_from_paths(pack, &args.training, None)?;
        log.fill(pack, &mut answers);
        // The week before a rise: the log's mean of the 28 days before its
        // last week (for a report that says go back to it).
        prior_weekly_km = log
            .summary
            .figures
            .as_ref()
            .and_then(|f| f.prior_weekly_mean_km);
    }
    answers.check_required(pack)?;
    let start = args
        .start
        .unwrap_or_else(crate::plan::schedule::today_local);
    let opts = crate::plan::schedule::Options {
        start,
        days: args.days.clone().map(|d| d.0),
        prior_weekly_km,
    };
    let plan = crate::plan::schedule::build_with(pack, &plan_pack, &answers, &opts);
    let units = g.units;
    let format = if args.json {
        PlanFormat::Json
    } else {
        args.format
    };

    if args.save {
        if plan.available {
            let path = crate::diary::store::resolve(g.diary).ok_or_else(no_diary_place)?;
            let mut diary = crate::diary::store::Diary::open_for_writing(&path)?;
            diary.save_plan(&crate::diary::store::SavedPlan {
                start,
                answers: answers.to_json(pack),
            })?;
            eprintln!("plan saved in the knee diary {}", path.display());
        } else {
            eprintln!("no plan to save: {}", plan.level_action);
        }
    }

    let text = match format {
        // A calendar or a spreadsheet of no sessions helps no one: say
        // what to do first instead, and write no file.
        PlanFormat::Csv | PlanFormat::Ics if !plan.available => {
            if let Some(path) = &args.output {
                eprintln!("no plan, so {} was not written", path.display());
            }
            return crate::cli::emit(&crate::render::plan::human(&plan, g.width, units));
        }
        PlanFormat::Human => crate::render::plan::human(
            &plan,
            if args.output.is_some() { 100 } else { g.width },
            units,
        ),
        PlanFormat::Json => crate::render::plan::json(&plan),
        PlanFormat::Markdown => crate::render::plan::markdown(&plan, units),
        PlanFormat::Csv => crate::render::plan::csv(&plan, units),
        PlanFormat::Ics => crate::render::plan::ics(&plan, units),
    };
    match &args.output {
        Some(path) => crate::render::output::write_atomic(path, text.as_bytes())
            .map(|()| ExitCode::Success)
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            }),
        None => crate::cli::emit(&text),
    }
}

pub fn no_diary_place() -> Error {
    Error::Usage(
        "no place for the knee diary: give --diary FILE, or set KNEE_TRIAGE_DIARY, XDG_DATA_HOME or HOME".into(),
    )
}
