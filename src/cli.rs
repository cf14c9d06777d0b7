//! Command-line interface: parse, dispatch, print, exit.
//!
//! The fixed parts of the command line are clap derive; the answer flags of
//! `assess` are added at start-up from the content pack's questions, so a
//! question added to the pack is a flag at once.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{
    Arg, ArgAction, ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};

use crate::answers::{Answers, allowed};
use crate::content::{self, PackError};
use crate::error::{Error, ExitCode};
use crate::model::{Pack, QuestionKind};
use crate::render::{self, Style};
use crate::report::Report;
use crate::schema::SchemaKind;

/// Triage knee pain in runners: likely causes, how urgent, what to do.
///
/// Not a diagnosis: it says when to get help, and why.
#[derive(Debug, Parser)]
#[command(name = "knee-triage", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  knee-triage                          start the questionnaire\n  knee-triage assess --location outer --onset gradual --worse-with running-distance\n  knee-triage assess --answers examples/runners-knee.toml --json | jq .triage.level\n  knee-triage content check content/"
)]
pub struct Cli {
    /// Use the content pack in DIR instead of the one built into the binary.
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,

    /// When to colour the report: auto colours only a terminal, and never with NO_COLOR set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// The knee diary file (checkin, history, plan --save) [default: $KNEE_TRIAGE_DIARY, else knee-triage/diary.sqlite3 under $XDG_DATA_HOME or ~/.local/share].
    #[arg(long, global = true, value_name = "FILE")]
    pub diary: Option<PathBuf>,
    /// Wrap text to N columns [default: the terminal's width; else $COLUMNS; else 100].
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A report to read at the terminal.
    Human,
    /// One JSON document (see the README for its members).
    Json,
    /// A Markdown report to print or send to a physiotherapist.
    Markdown,
}

/// How much of the advice the human report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Detail {
    /// What to do first, then at most eight more items, ranked.
    Short,
    /// Every advice item.
    Full,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer the questions one at a time in the terminal, then see the report.
    #[command(
        after_help = "Examples:\n  knee-triage ask\n  knee-triage ask --save my-knee.toml\n  knee-triage ask --format markdown --output knee-report.md"
    )]
    Ask(AskArgs),
    /// Assess answers given as flags and/or a file, in one go.
    #[command(
        after_help = "Answers come from --answers FILE and from the answer flags below; a flag overrides the same key in the file.\nA yes/no answer is a bare flag (--locking) or takes yes/no/true/false (--locking no, --locking=false); a list is comma-separated (--worse-with stairs,squatting); a duration is 10, 10d, 3w, 2m or, quoted, \"3 weeks\"; a distance is in km, or miles as 25mi.\n\nExamples:\n  knee-triage assess --location front --onset gradual --worse-with stairs,squatting --duration-days 3w\n  knee-triage assess --answers examples/runners-knee.toml\n  echo '{\"location\":\"inner\",\"locking\":true}' | knee-triage assess --answers - --json"
    )]
    Assess(AssessArgs),
    /// Assess many runners: JSON Lines in (one answers object a line), one report a line out, in order.
    #[command(
        after_help = "Blank lines are skipped. A line that cannot be read or is not valid answers gives {\"error\": {\"line\": N, \"message\": \"...\"}} on its own output line, and the rest go on; the exit code is then 2. A summary line (assessed N, failed M) goes to stderr.\n\nExamples:\n  knee-triage batch < survey.jsonl > reports.jsonl\n  knee-triage batch --input survey.jsonl --output reports.jsonl\n  knee-triage batch --input survey.jsonl --summary\n  knee-triage batch --input survey.jsonl --summary --list-ids --by surface"
    )]
    Batch(BatchArgs),
    /// A return-to-running plan, week by week, from the same answers as assess.
    #[command(
        after_help = "Answers come from --answers FILE and the answer flags, as for assess. --weekly-km sets the weekly distance the plan rebuilds to.\nAt the urgent and emergency levels there is no plan, only what to do first.\n\nExamples:\n  knee-triage plan --answers my-knee.toml\n  knee-triage plan --answers my-knee.toml --format ics -o plan.ics\n  knee-triage plan --location front --onset gradual --weekly-km 30 --start 2026-01-05 --save"
    )]
    Plan(crate::plan::cli::PlanArgs),
    /// Record one day in the knee diary: progress, hold, step back or get help.
    #[command(
        after_help = "--next-morning says how the knee was this morning, after the last session. A warning sign (--locking and the other yes/no answers) that the saved plan's answers did not have gives get-help at the level assess gives.\n\nExamples:\n  knee-triage checkin --pain 2 --run-km 3.5\n  knee-triage checkin --pain 1 --no-run --next-morning same\n  knee-triage checkin --pain 4 --locking\n  knee-triage history --json > diary.json && knee-triage --diary new.sqlite3 checkin --import diary.json"
    )]
    Checkin(crate::diary::cli::CheckinArgs),
    /// The knee diary: each day, a chart of pain and distance, the trend.
    #[command(
        after_help = "Examples:\n  knee-triage history\n  knee-triage history --json | jq .trend\n  knee-triage history --format csv -o diary.csv"
    )]
    History(crate::diary::cli::HistoryArgs),
    /// Read a training log (Strava export, GPX, TCX, FIT): weekly distance, load figures, warnings.
    #[command(
        after_help = "PATH may be a Strava bulk export (the folder or its .zip), its activities.csv alone, .gpx, .tcx or .fit files (each also .gz), or a folder of them. Runs count; rides, walks and the rest are counted apart. Files that cannot be read are listed with the reason, and the rest are still read.\n\nExamples:\n  knee-triage training ~/Downloads/export_12345678.zip\n  knee-triage training ~/watch/*.fit --today 2026-03-01\n  knee-triage training export/ --json | jq .answers\n  knee-triage assess --location front --training export/"
    )]
    Training(TrainingArgs),
    /// Check or list a content pack.
    #[command(
        after_help = "Examples:\n  knee-triage content check content/\n  knee-triage content list"
    )]
    Content {
        #[command(subcommand)]
        action: ContentCommand,
    },
    /// Print a shell completion script, answer flags and their values included.
    #[command(
        after_help = "Examples:\n  source <(knee-triage completions bash)                                  # bash, this shell only\n  knee-triage completions bash > ~/.local/share/bash-completion/completions/knee-triage\n  knee-triage completions zsh > ~/.zfunc/_knee-triage                     # with fpath+=~/.zfunc\n  knee-triage completions fish > ~/.config/fish/completions/knee-triage.fish"
    )]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of every command.
    #[command(
        after_help = "Examples:\n  knee-triage man | man -l -\n  mkdir -p ~/.local/share/man/man1 && knee-triage man > ~/.local/share/man/man1/knee-triage.1"
    )]
    Man,
    /// Print the JSON Schema (draft 2020-12) of the report or of an answers file.
    #[command(
        after_help = "Examples:\n  knee-triage schema report > docs/schema/report.schema.json\n  knee-triage schema answers > docs/schema/answers.schema.json"
    )]
    Schema {
        /// Which document to describe.
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

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
    crate::markdown::parse_date(text).ok_or_else(|| "expected a date as YYYY-MM-DD".to_owned())
}

#[derive(Debug, clap::Args)]
pub struct AskArgs {
    /// Print the report as JSON (same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Report format [default: human].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Never prompt: fail at once, as when no terminal is attached.
    #[arg(long)]
    pub no_input: bool,
    /// Also write the answers to FILE as TOML, for `assess --answers FILE`
    /// (on Escape or Ctrl-C, the answers given so far).
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Start from the answers in FILE (as `--save` writes them) and ask only what is missing.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Fill the training questions from a training log (repeatable); see `knee-triage training`.
    #[arg(long, value_name = "PATH")]
    pub training: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, clap::Args)]
pub struct AssessArgs {
    /// Read answers from FILE: TOML if it ends in .toml, else JSON; `-` reads JSON from stdin.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Fill the training answers not given from a training log (repeatable): a Strava export, activities.csv, .gpx/.tcx/.fit files or a folder; see `knee-triage training`.
    #[arg(long, value_name = "PATH")]
    pub training: Vec<PathBuf>,
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

#[derive(Debug, clap::Args)]
pub struct TrainingArgs {
    /// The training log: a Strava export (folder or .zip), activities.csv, .gpx/.tcx/.fit files (also .gz), or folders of them.
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
    crate::markdown::parse_date(text)
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .ok_or_else(|| "expected a date as YYYY-MM-DD".to_owned())
}

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Read JSON Lines from FILE instead of standard input (`-` is standard input).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Write to FILE instead of standard output; written under a temporary name and renamed when complete.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Instead of reports, count triage levels and causes over the whole input.
    #[arg(long)]
    pub summary: bool,
    /// With --summary, print the summary as JSON (the reports are always JSON).
    #[arg(long)]
    pub json: bool,
    /// With --summary, list who fell in each triage level: each line's `id`, else `line N`.
    #[arg(long, requires = "summary")]
    pub list_ids: bool,
    /// With --summary, also count the triage levels per value of answer KEY (or `age-band`: ages in tens; or `id-field:N`: the N-th part of the id split at / : - _ . or a space).
    #[arg(long, value_name = "KEY", requires = "summary")]
    pub by: Option<String>,
    /// Worker threads (default: the number of cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

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

/// Runs the program on these arguments and returns the exit code.
pub fn main() -> std::process::ExitCode {
    run_with(std::env::args_os().collect(), true).into()
}

pub fn run(args: Vec<OsString>) -> ExitCode {
    run_with(args, false)
}

/// `exiting`: the process ends right after, so the pack is left to the
/// operating system instead of being freed allocation by allocation (about
/// 8 % of the instructions of one `assess`).
fn run_with(args: Vec<OsString>, exiting: bool) -> ExitCode {
    let content_dir = prescan_content(&args);
    let pack = content::load_from(content_dir.as_deref());
    let command = build_command(pack.as_ref().ok());
    let matches = match command.try_get_matches_from(&args) {
        Ok(m) => m,
        // Without a pack there are no answer flags: its problems are the
        // real error, not the flags clap could not place.
        Err(e) if e.use_stderr() && pack.is_err() => {
            let error = Error::from(pack.expect_err("checked is_err"));
            eprintln!("error: {error}");
            return error.exit_code();
        }
        Err(e) => return clap_error(e, pack.as_ref().ok(), &args),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_error(e, pack.as_ref().ok(), &args),
    };
    let (pack, result) = match pack {
        Ok(pack) => {
            let result = dispatch(&cli, &matches, Ok(&pack));
            (Some(pack), result)
        }
        Err(e) => (None, dispatch(&cli, &matches, Err(e))),
    };
    if exiting {
        std::mem::forget(pack);
    }
    match result {
        Ok(code) => code,
        Err(e) => {
            let code = e.exit_code();
            if code != ExitCode::Interrupted {
                eprintln!("error: {e}");
            }
            code
        }
    }
}

/// The command with one flag per question of the pack.
pub fn build_command(pack: Option<&Pack>) -> clap::Command {
    let command = Cli::command();
    match pack {
        Some(pack) => command
            .mut_subcommand("assess", |c| c.args(answer_args(pack)))
            .mut_subcommand("plan", |c| c.args(answer_args(pack)))
            .mut_subcommand("checkin", |c| {
                c.args(
                    answer_args(pack)
                        .into_iter()
                        .filter(|a| crate::diary::cli::is_checkin_flag(pack, a.get_id().as_str()))
                        .map(|a| a.help_heading("Warning signs")),
                )
            }),
        None => command,
    }
}

fn answer_args(pack: &Pack) -> Vec<Arg> {
    pack.questions
        .iter()
        .map(|q| {
            let help = format!("{} [{}]", q.prompt, allowed(q));
            let arg = Arg::new(q.id.clone())
                .long(q.flag())
                .help(help)
                .help_heading("Answers");
            match q.kind {
                // `--locking`, `--locking yes`, `--locking=false`.
                QuestionKind::Bool => arg
                    .num_args(0..=1)
                    .default_missing_value("true")
                    .value_name("BOOL"),
                QuestionKind::Enum => arg
                    .value_name(q.id.to_uppercase())
                    .value_parser(PossibleValuesParser::new(owned_values(q)))
                    .hide_possible_values(true),
                QuestionKind::List => arg
                    .value_name("LIST")
                    .value_delimiter(',')
                    .action(ArgAction::Append)
                    .value_parser(PossibleValuesParser::new(owned_values(q)))
                    .hide_possible_values(true),
                QuestionKind::Days => arg.value_name("DAYS").allow_hyphen_values(true),
                QuestionKind::Int | QuestionKind::Number => {
                    arg.value_name("N").allow_hyphen_values(true)
                }
            }
        })
        .collect()
}

fn owned_values(q: &crate::model::Question) -> Vec<clap::builder::PossibleValue> {
    q.options
        .iter()
        .map(|o| clap::builder::PossibleValue::new(o.value.clone()).help(o.label.clone()))
        .collect()
}

/// `--content DIR` must be known before the command is built, because the
/// pack decides which answer flags exist.
fn prescan_content(args: &[OsString]) -> Option<PathBuf> {
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        let s = arg.to_string_lossy();
        if s == "--" {
            break;
        }
        if s == "--content" {
            return iter.next().map(PathBuf::from);
        }
        if let Some(v) = s.strip_prefix("--content=") {
            return Some(PathBuf::from(v));
        }
    }
    None
}

/// Clap's errors, with a bad answer value told in the same one line as a bad
/// value in a file.
fn clap_error(e: clap::Error, pack: Option<&Pack>, args: &[OsString]) -> ExitCode {
    if e.kind() == ErrorKind::UnknownArgument
        && let Some(pack) = pack
        && let Some(message) = unquoted_value(pack, args)
    {
        eprintln!("error: {message}");
        return ExitCode::Usage;
    }
    if e.kind() == ErrorKind::InvalidValue
        && let (Some(pack), Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
            pack,
            e.get(ContextKind::InvalidArg),
            e.get(ContextKind::InvalidValue),
        )
    {
        let flag = arg
            .trim_start_matches("--")
            .split([' ', '='])
            .next()
            .unwrap_or("");
        if let Some(q) = pack.questions.iter().find(|q| q.flag() == flag) {
            let hint = crate::answers::value_hint(q, value);
            eprintln!(
                "error: invalid value for {} (--{}): \"{value}\"{hint}; allowed: {}",
                q.id,
                q.flag(),
                allowed(q)
            );
            return ExitCode::Usage;
        }
    }
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::Usage
    } else {
        ExitCode::Success
    }
}

/// `--duration-days 3 weeks`: the shell splits a value with a space into
/// two arguments, and clap sees a stray `weeks`. Say to quote it.
fn unquoted_value(pack: &Pack, args: &[OsString]) -> Option<String> {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    args.windows(3).find_map(|w| {
        let flag = w[0].strip_prefix("--")?;
        let q = pack.questions.iter().find(|q| q.flag() == flag)?;
        if !matches!(q.kind, QuestionKind::Days | QuestionKind::Number) || w[2].starts_with('-') {
            return None;
        }
        let joined = format!("{} {}", w[1], w[2]);
        crate::answers::parse_text(q, &joined).ok()?;
        Some(format!(
            "invalid value for {} (--{flag}): {} {} are two arguments; a value with a space must be quoted: --{flag} \"{joined}\" (or --{flag} {}); allowed: {}",
            q.id,
            w[1],
            w[2],
            compact(&joined),
            allowed(q)
        ))
    })
}

/// `3 weeks` as `3w`, `25 miles` as `25mi`: the same value without a space.
fn compact(value: &str) -> String {
    let (number, unit) = value.split_once(' ').unwrap_or((value, ""));
    let unit = match unit.trim().trim_end_matches('s') {
        "day" => "d",
        "week" | "wk" => "w",
        "month" | "mo" => "m",
        "mile" => "mi",
        "kilometre" | "kilometer" => "km",
        other => other,
    };
    format!("{number}{unit}")
}

fn dispatch(
    cli: &Cli,
    matches: &ArgMatches,
    pack: Result<&Pack, PackError>,
) -> Result<ExitCode, Error> {
    match &cli.command {
        None | Some(Command::Ask(_)) => {
            let args = match &cli.command {
                Some(Command::Ask(a)) => Some(a),
                _ => None,
            };
            let no_input = args.is_some_and(|a| a.no_input);
            if no_input || !io::stdin().is_terminal() {
                return Err(Error::Usage(crate::questionnaire::NO_TERMINAL.into()));
            }
            let pack = pack?;
            let format = match args {
                Some(a) => pick_format(a.json, a.format)?,
                None => Format::Human,
            };
            let save = args.and_then(|a| a.save.as_deref());
            let mut start = match args.and_then(|a| a.answers.as_deref()) {
                Some(path) => read_answers_file(pack, path)?,
                None => Answers::new(pack),
            };
            let log = match args.map(|a| a.training.as_slice()) {
                Some(paths) if !paths.is_empty() => {
                    Some(crate::training::answers_from_paths(pack, paths, None)?)
                }
                _ => None,
            };
            // The log fills only what --answers left open; the questionnaire
            // then skips those questions.
            let mut known = Answers::new(pack);
            if let Some(t) = &log {
                for q in t.fill(pack, &mut start) {
                    known.set(q, t.answers.get(q));
                }
                let note = crate::training::skip_note(pack, &known);
                eprintln!("{}", crate::render::wrap(&note, 0, 80).trim_end());
            }
            let mut answers = crate::questionnaire::run_terminal(
                pack,
                prompt_color(cli.color),
                cli.width.map(usize::from),
                start,
                save,
            )?;
            let from_diary = crate::diary::fill_answers(
                pack,
                cli.content.as_deref(),
                cli.diary.as_deref(),
                &mut answers,
            );
            let filled: Vec<usize> = (0..pack.questions.len())
                .filter(|&q| known.is_answered(q) && answers.get(q) == known.get(q))
                .collect();
            let training = log.as_ref().map(|t| (t, filled.as_slice()));
            let report_args = args.map(|a| &a.report);
            let sources = Sources {
                training,
                diary: &from_diary,
            };
            print_report_with(cli, pack, &answers, format, report_args, sources)
        }
        Some(Command::Assess(args)) => {
            let pack = pack?;
            let sub = matches.subcommand_matches("assess");
            let mut answers = gather_answers(pack, args, sub)?;
            let from_diary = crate::diary::fill_answers(
                pack,
                cli.content.as_deref(),
                cli.diary.as_deref(),
                &mut answers,
            );
            let format = pick_format(args.json, args.format)?;
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
            };
            print_report_with(cli, pack, &answers, format, Some(&args.report), sources)
        }
        Some(Command::Training(args)) => {
            let pack = pack?;
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
                    crate::width::for_file(flag)
                } else {
                    crate::width::for_stream(crate::width::Stream::Stdout, flag)
                };
                crate::training::render::summary(&summary, pack, width)
            };
            match &args.output {
                Some(path) => crate::output::write_atomic(path, text.as_bytes())
                    .map(|()| ExitCode::Success)
                    .map_err(|source| Error::Write {
                        path: path.to_path_buf(),
                        source,
                    }),
                None => emit(&text),
            }
        }
        Some(Command::Completions { shell }) => {
            let command = build_command(Some(pack?));
            emit(&crate::completions::script(*shell, command))
        }
        Some(Command::Man) => emit(&crate::manpage::render(build_command(Some(pack?)))),
        Some(Command::Schema { which }) => emit(&crate::schema::to_text(*which, pack?)),
        Some(Command::Batch(args)) => {
            let pack = pack?;
            let opts = crate::batch::Options {
                input: args.input.clone(),
                output: args.output.clone(),
                summary: args.summary,
                json: args.json,
                threads: args.threads.map(usize::from),
                progress: crate::batch::want_progress(args.output.as_deref()),
                list_ids: args.list_ids,
                by: args.by.clone(),
            };
            crate::batch::run(pack, &opts)
        }
        Some(Command::Plan(args)) => crate::plan::cli::run(
            pack?,
            &globals(cli),
            args,
            matches.subcommand_matches("plan"),
        ),
        Some(Command::Checkin(args)) => crate::diary::cli::checkin(
            pack?,
            &globals(cli),
            args,
            matches.subcommand_matches("checkin"),
        ),
        Some(Command::History(args)) => crate::diary::cli::history(pack?, &globals(cli), args),
        Some(Command::Content { action }) => match action {
            ContentCommand::Check { dir } => {
                content_check(dir.as_deref().or(cli.content.as_deref()))
            }
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
                emit(&crate::listing::list(
                    pack,
                    crate::width::for_stream(crate::width::Stream::Stdout, width),
                ))
            }
        },
    }
}

fn globals(cli: &Cli) -> crate::plan::cli::Globals<'_> {
    crate::plan::cli::Globals {
        content: cli.content.as_deref(),
        diary: cli.diary.as_deref(),
        width: crate::width::for_stream(crate::width::Stream::Stdout, cli.width.map(usize::from)),
    }
}

/// `--json` is `--format json`; with another `--format` it is a mistake to
/// tell, not to settle silently.
pub fn pick_format(json: bool, format: Option<Format>) -> Result<Format, Error> {
    match (json, format) {
        (true, None | Some(Format::Json)) => Ok(Format::Json),
        (true, Some(other)) => Err(Error::Usage(format!(
            "--json and --format {} ask for two different formats; give one of them (--json is the same as --format json)",
            other
                .to_possible_value()
                .map_or("?".into(), |v| v.get_name().to_owned())
        ))),
        (false, f) => Ok(f.unwrap_or(Format::Human)),
    }
}

fn gather_answers(
    pack: &Pack,
    args: &AssessArgs,
    matches: Option<&ArgMatches>,
) -> Result<Answers, Error> {
    let mut answers = match &args.answers {
        Some(path) => read_answers_file(pack, path)?,
        None => Answers::new(pack),
    };
    if let Some(m) = matches {
        let mut flags = Answers::new(pack);
        for (qi, q) in pack.questions.iter().enumerate() {
            let Some(values) = m.get_many::<String>(&q.id) else {
                continue;
            };
            let values: Vec<&str> = values.map(String::as_str).collect();
            flags.set_text(pack, qi, &values.join(","))?;
        }
        answers.overlay(&flags);
    }
    if let Some(id) = &args.id {
        answers.set_id(Some(crate::answers::RunnerId::Text(id.clone())));
    }
    answers.check_required(pack)?;
    Ok(answers)
}

pub(crate) fn read_answers_file(pack: &Pack, path: &Path) -> Result<Answers, Error> {
    if path == Path::new("-") {
        let bytes = read_limited(io::stdin().lock(), "answers on standard input", None).map_err(
            |e| match e {
                Limited::Io(source) => Error::Read {
                    path: "standard input".into(),
                    source,
                },
                Limited::TooLarge(message) => Error::Usage(message),
            },
        )?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::Usage("answers on standard input are not UTF-8 text".into()))?;
        return Ok(crate::answers::read_answers_text(
            pack,
            "standard input",
            &text,
            Some(crate::answers::Format::Json),
        )?);
    }
    let what = format!("answers file {}", path.display());
    let bytes = std::fs::File::open(path)
        .map_err(Limited::Io)
        .and_then(|f| {
            let size = f.metadata().ok().map(|m| m.len());
            read_limited(f, &what, size)
        })
        .map_err(|e| match e {
            Limited::Io(source) => Error::Read {
                path: path.to_path_buf(),
                source,
            },
            Limited::TooLarge(message) => Error::Usage(message),
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("answers file {} is not UTF-8 text", path.display())))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let expected = match ext.as_deref() {
        Some("toml") => Some(crate::answers::Format::Toml),
        Some("json") => Some(crate::answers::Format::Json),
        _ => None,
    };
    Ok(crate::answers::read_answers_text(
        pack,
        &path.display().to_string(),
        &text,
        expected,
    )?)
}

/// Answers are a few hundred bytes; anything over this is refused before
/// it is parsed, so a huge file gets a clear message at once.
pub const MAX_ANSWERS_BYTES: u64 = 1024 * 1024;

enum Limited {
    Io(io::Error),
    TooLarge(String),
}

/// Reads at most [`MAX_ANSWERS_BYTES`]; more is an error naming the size
/// (`size` when known, as for a file) and the limit.
fn read_limited(reader: impl Read, what: &str, size: Option<u64>) -> Result<Vec<u8>, Limited> {
    let mut bytes = Vec::new();
    match reader.take(MAX_ANSWERS_BYTES + 1).read_to_end(&mut bytes) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => {
            return Err(Limited::Io(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a directory, not a file",
            )));
        }
        Err(e) => return Err(Limited::Io(e)),
    }
    if bytes.len() as u64 > MAX_ANSWERS_BYTES {
        let size = match size {
            Some(n) => format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)),
            None => "more than 1 MB".into(),
        };
        return Err(Limited::TooLarge(format!(
            "{what} is {size}, over the 1 MB limit for answers (a full set of answers is under 2 kB)"
        )));
    }
    Ok(bytes)
}

/// Where answers the runner did not give came from, so the report says so.
#[derive(Default, Clone, Copy)]
struct Sources<'a> {
    /// A training log, and the questions it filled.
    training: Option<(&'a crate::training::TrainingAnswers, &'a [usize])>,
    /// The questions the knee diary filled (`trend`, `duration_days`).
    diary: &'a [usize],
}

fn print_report_with(
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
        report.mark_answers_from(pack, answers, filled, "from your training log");
    }
    report.mark_answers_from(pack, answers, sources.diary, "from your knee diary");
    // A file is never a terminal: colour only if forced.
    let width = cli.width.map(usize::from);
    let full = args.is_some_and(|a| a.all || a.detail == Detail::Full);
    let style = match output {
        Some(_) => Style {
            color: cli.color == ColorChoice::Always,
            width: crate::width::for_file(width),
        },
        None => Style {
            color: use_color(cli.color),
            width: crate::width::for_stream(crate::width::Stream::Stdout, width),
        },
    };
    let mut text = match format {
        Format::Json => report.to_json() + "\n",
        Format::Human if quiet => render::triage_line(&report, style) + "\n",
        Format::Human => render::human_detail(&report, style, full),
        Format::Markdown => {
            let date = args
                .and_then(|a| a.date.clone())
                .unwrap_or_else(crate::markdown::today);
            let page = crate::markdown::Page { date: &date };
            crate::markdown::markdown(&report, pack, page)
        }
    };
    if let Some((log, filled)) = training {
        text = match format {
            Format::Json => crate::training::json_with_training(&report, pack, log, filled),
            Format::Human if quiet => text,
            Format::Human => {
                crate::training::human_with_training(text, &report, log, style.width.clamp(40, 200))
            }
            Format::Markdown => crate::training::markdown_with_training(text, log),
        };
    }
    match output {
        Some(path) => crate::output::write_atomic(path, text.as_bytes())
            .map(|()| ExitCode::Success)
            .map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            }),
        None => {
            // `assess` and `ask` on a terminal: a tall human report opens
            // in a pager, so its first screen is what the runner sees.
            let page = format == Format::Human
                && !quiet
                && matches!(cli.command, Some(Command::Assess(_) | Command::Ask(_)))
                && args.is_some_and(|a| !a.no_pager);
            match page.then(|| crate::pager::show(&text)).flatten() {
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

fn content_check(dir: Option<&Path>) -> Result<ExitCode, Error> {
    let (sources, case_sources) = match dir {
        Some(d) => {
            let cases = crate::cases::read_dir(d).map_err(|source| Error::Read {
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

/// Colour is decided here and nowhere else: the flag, then NO_COLOR, then
/// whether stdout is a terminal.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

/// Colour for the prompts, which are drawn on standard error.
fn prompt_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stderr().is_terminal()
        }
    }
}

/// The width of standard output: the terminal's, else `COLUMNS`, else 100
/// (see [`crate::width`]).
pub fn terminal_width() -> usize {
    crate::width::for_stream(crate::width::Stream::Stdout, None)
}

/// Writes to stdout; a reader that went away (`| head`) ends the run quietly.
pub(crate) fn emit(text: &str) -> Result<ExitCode, Error> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::Success),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::Success),
        Err(source) => Err(Error::Write {
            path: "standard output".into(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
        let pack = content::load_from(None).expect("embedded pack");
        build_command(Some(&pack)).debug_assert();
    }

    #[test]
    fn prescan_finds_content_dir() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            prescan_content(&args(&["kt", "--content", "x", "assess"])),
            Some("x".into())
        );
        assert_eq!(
            prescan_content(&args(&["kt", "assess", "--content=y"])),
            Some("y".into())
        );
        assert_eq!(prescan_content(&args(&["kt", "assess"])), None);
    }
}
