//! `assess`: answers from flags and files in, one report out; and the
//! report printing that `ask` shares.

use std::path::PathBuf;

use clap::ArgMatches;

use crate::answers::Answers;
use crate::error::Error;
use crate::model::Pack;
use crate::render::{self, Style};
use crate::report::{AnswerSource, Report};

use super::exit_codes::ExitCode;
use super::{Cli, ColorChoice, Command, Detail, Format, emit, pick_format, use_color};

/// How and where a report is written; shared by `ask` and `assess`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Write the report to FILE (replaced whole, never half-written) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print only the triage line (human format).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Show every advice item, not only the first eight (same as --detail full).
    #[arg(long)]
    pub all: bool,
    /// Never page a report taller than the terminal (assess and ask page it with $PAGER, else less -FRX).
    #[arg(long)]
    pub no_pager: bool,
    /// How much advice the human report shows: short (what to do first, then at most 8 more) or full.
    #[arg(long, value_enum, default_value_t = Detail::Short, value_name = "LEVEL")]
    pub detail: Detail,
    /// Date printed on the Markdown report, YYYY-MM-DD [default: today, UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub date: Option<String>,
}

fn parse_date_arg(text: &str) -> Result<String, String> {
    crate::render::markdown::parse_date(text)
        .ok_or_else(|| "expected a date as YYYY-MM-DD".to_owned())
}

#[derive(Debug, clap::Args)]
pub struct AssessArgs {
    /// Read answers from FILE: TOML if it ends in .toml, else JSON; `-` reads JSON from stdin.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Fill the training answers not given from a training log (repeatable): a Strava export, activities.csv, .gpx/.tcx/.fit files or a folder; see `knee-triage training`.
    #[arg(long, value_name = "PATH")]
    pub training: Vec<PathBuf>,
    /// Take the trend of the pain from the knee diary when it is not answered (never how long it has hurt).
    #[arg(long)]
    pub from_diary: bool,
    /// Name the runner or the row: echoed as the report's `id` (overrides an `id` in the file).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Print the report as JSON (same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Report format [default: human].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(
    cli: &Cli,
    matches: &ArgMatches,
    pack: &Pack,
    args: &AssessArgs,
) -> Result<ExitCode, Error> {
    let sub = matches.subcommand_matches("assess");
    let mut answers = gather_answers(pack, args, sub)?;
    let format = pick_format(args.json, args.format, args.report.output.as_deref())?;
    let from_diary = take_from_diary(cli, pack, args.from_diary, &mut answers);
    let log = if args.training.is_empty() {
        None
    } else {
        Some(crate::training::answers_from_paths(
            pack,
            &args.training,
            None,
        )?)
    };
    let filled = log
        .as_ref()
        .map(|l| l.fill(pack, &mut answers))
        .unwrap_or_default();
    let sources = Sources {
        training: log.as_ref().map(|l| (l, filled.as_slice())),
        diary: &from_diary,
        appendix: None,
    };
    print_report_with(cli, pack, &answers, format, Some(&args.report), sources)
}

/// `--from-diary`: the trend from the knee diary, with a note on standard
/// error; without the flag the diary is not even opened.
pub(super) fn take_from_diary(
    cli: &Cli,
    pack: &Pack,
    wanted: bool,
    answers: &mut Answers,
) -> Vec<usize> {
    if !wanted {
        return Vec::new();
    }
    let taken =
        crate::diary::fill_answers(pack, cli.content.as_deref(), cli.diary.as_deref(), answers);
    if let Some(note) = taken.note {
        eprintln!("{note}");
    }
    taken.filled
}

fn gather_answers(
    pack: &Pack,
    args: &AssessArgs,
    matches: Option<&ArgMatches>,
) -> Result<Answers, Error> {
    let mut answers = super::input::gather(pack, args.answers.as_deref(), matches)?;
    if let Some(id) = &args.id {
        answers.set_id(Some(crate::answers::RunnerId::Text(id.clone())));
    }
    answers.check_required(pack)?;
    Ok(answers)
}

/// Where answers the runner did not give came from, so the report says so.
#[derive(Default, Clone, Copy)]
pub(super) struct Sources<'a> {
    /// A training log, and the questions it filled.
    pub(super) training: Option<(&'a crate::training::TrainingAnswers, &'a [usize])>,
    /// The questions the knee diary filled (`trend`, with `--from-diary`).
    pub(super) diary: &'a [usize],
    /// Printed after the report in the same page (the plan of `ask
    /// --plan`), given the format and the report's width.
    pub(super) appendix: Option<&'a dyn Fn(Format, usize) -> String>,
}

pub(super) fn print_report_with(
    cli: &Cli,
    pack: &Pack,
    answers: &Answers,
    format: Format,
    args: Option<&ReportArgs>,
    sources: Sources<'_>,
) -> Result<ExitCode, Error> {
    let training = sources.training;
    let output = args.and_then(|a| a.output.as_deref());
    let quiet = args.is_some_and(|a| a.quiet);
    if quiet && format != Format::Human {
        return Err(Error::Usage(
            "--quiet prints only the triage line of the human report; leave it out with --json or --format json|markdown".into(),
        ));
    }
    let mut report = Report::new(pack, answers);
    if let Some((_, filled)) = training {
        report.mark_answers_from(pack, answers, filled, AnswerSource::TrainingLog);
    }
    report.mark_answers_from(pack, answers, sources.diary, AnswerSource::Diary);
    let units = super::units(cli)?;
    // A file is never a terminal: colour only if forced.
    let width = cli.width.map(usize::from);
    let full = args.is_some_and(|a| a.all || a.detail == Detail::Full);
    let style = match output {
        Some(_) => Style {
            color: cli.color == ColorChoice::Always,
            width: crate::render::width::for_file(width),
        },
        None => Style {
            color: use_color(cli.color),
            width: crate::render::width::for_stream(crate::render::width::Stream::Stdout, width),
        },
    };
    let mut text = match format {
        Format::Json => report.to_json() + "\n",
        Format::Human if quiet => render::triage_line(&report, style) + "\n",
        Format::Human => render::human_detail(
            &crate::render::units::report_in(&report, units),
            style,
            full,
        ),
        Format::Markdown => {
            let date = args
                .and_then(|a| a.date.clone())
                .unwrap_or_else(crate::render::markdown::today);
            let page = crate::render::markdown::Page { date: &date, units };
            crate::render::markdown::markdown(&report, pack, page)
        }
    };
    if let Some((log, filled)) = training {
        text = match format {
            Format::Json => crate::render::training::json_with_training(&report, pack, log, filled),
            Format::Human if quiet => text,
            Format::Human => crate::render::training::human_with_training(
                text,
                &report,
                log,
                style.width.clamp(40, 200),
                units,
            ),
            Format::Markdown => crate::render::training::markdown_with_training(text, log, units),
        };
    }
    if let Some(appendix) = sources.appendix
        && !quiet
    {
        text.push_str(&appendix(format, style.width));
    }
    match output {
        Some(path) => crate::render::output::write_atomic(path, text.as_bytes())
            .map(|()| ExitCode::Success)
            .map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            }),
        None => {
            // `assess`, `ask` and plain `knee-triage` (the questionnaire
            // without a subcommand) on a terminal: a tall human report
            // opens in a pager, so its first screen is what the runner sees.
            let page = format == Format::Human
                && !quiet
                && matches!(
                    cli.command,
                    None | Some(Command::Assess(_) | Command::Ask(_))
                )
                && args.is_none_or(|a| !a.no_pager);
            match page
                .then(|| crate::render::pager::show(&text, cli.pager.as_deref()))
                .flatten()
            {
                Some(Ok(())) => Ok(ExitCode::Success),
                Some(Err(source)) => Err(Error::Write {
                    path: "the pager".into(),
                    source,
                }),
                None => emit(&text),
            }
        }
    }
}
