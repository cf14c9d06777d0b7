//! Command-line interface: parse, dispatch, print, exit.
//!
//! The fixed parts of the command line are clap derive; the answer flags of
//! `assess` are added at start-up from the content pack's questions, so a
//! question added to the pack is a flag at once. One file per command; this
//! one holds what they share (the global options, formats, colour, stdout).
//! Only this folder knows argv, which stream gets what, and exit codes.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{
    Arg, ArgAction, ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};

use crate::answers::allowed;
use crate::content::PackError;
use crate::error::Error;
use crate::model::{Pack, QuestionKind};
use crate::render::schema::SchemaKind;
use crate::render::units::Units;

pub mod ask;
pub mod assess;
pub mod batch;
pub mod completions;
pub mod config;
pub mod content;
pub mod diary;
pub mod exit_codes;
pub mod input;
pub mod manpage;
pub mod plan;
mod prompt_text;
pub mod terminal;
mod ticklist;
pub mod training;

pub use exit_codes::ExitCode;

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
    /// Distances for people in km or mi [default: $KNEE_TRIAGE_UNITS, else km]; JSON is always km.
    #[arg(long, global = true, value_name = "UNITS", value_parser = PossibleValuesParser::new(Units::NAMES))]
    pub units: Option<String>,

    /// The config file's `pager`, when `$PAGER` is not set.
    #[arg(skip)]
    pub pager: Option<String>,
    /// Every setting in force and where it came from (`knee-triage config`).
    #[arg(skip)]
    pub settings: Vec<config::Setting>,

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
        after_help = "Examples:\n  knee-triage ask\n  knee-triage ask --save my-knee.toml\n  knee-triage ask --plan --save my-knee.toml\n  knee-triage ask --format markdown --output knee-report.md"
    )]
    Ask(ask::AskArgs),
    /// Assess answers given as flags and/or a file, in one go.
    #[command(
        after_help = "Answers come from --answers FILE and from the answer flags below; a flag overrides the same key in the file.\nA yes/no answer is a bare flag (--locking) or takes yes/no/true/false (--locking no, --locking=false); a list is comma-separated (--worse-with stairs,squatting); a duration is 10, 10d, 3w, 2m or, quoted, \"3 weeks\"; a distance is in km, or miles as 25mi.\n\nExamples:\n  knee-triage assess --location front --onset gradual --worse-with stairs,squatting --duration-days 3w\n  knee-triage assess --answers examples/runners-knee.toml\n  echo '{\"location\":\"inner\",\"locking\":true}' | knee-triage assess --answers - --json"
    )]
    Assess(assess::AssessArgs),
    /// Assess many runners: JSON Lines in (one answers object a line), one report a line out, in order.
    #[command(
        after_help = "Blank lines are skipped. A line that cannot be read or is not valid answers gives {\"error\": {\"line\": N, \"message\": \"...\"}} on its own output line, and the rest go on; the exit code is then 2. A summary line (assessed N, failed M) goes to stderr.\n\nExamples:\n  knee-triage batch < survey.jsonl > reports.jsonl\n  knee-triage batch --input survey.jsonl --output reports.jsonl\n  knee-triage batch --input survey.jsonl --summary\n  knee-triage batch --input survey.jsonl --summary --list-ids --by surface"
    )]
    Batch(batch::BatchArgs),
    /// A return-to-running plan, week by week, from the same answers as assess.
    #[command(
        after_help = "Answers come from --answers FILE and the answer flags, as for assess. --weekly-km sets the weekly distance the plan rebuilds to.\nAt the urgent and emergency levels there is no plan, only what to do first.\n\nExamples:\n  knee-triage plan --answers my-knee.toml\n  knee-triage plan --answers my-knee.toml --format ics -o plan.ics\n  knee-triage plan --location front --onset gradual --weekly-km 30 --start 2026-01-05 --save"
    )]
    Plan(plan::PlanArgs),
    /// Record one day in the knee diary: progress, hold, step back or get help.
    #[command(
        after_help = "--next-morning says how the knee was this morning, after the last session. A warning sign (--locking and the other yes/no answers) that the saved plan's answers did not have gives get-help at the level assess gives.\n\nExamples:\n  knee-triage checkin --pain 2 --run-km 3.5\n  knee-triage checkin --pain 1 --no-run --next-morning same\n  knee-triage checkin --pain 4 --locking\n  knee-triage history --json > diary.json && knee-triage --diary new.sqlite3 checkin --import diary.json"
    )]
    Checkin(diary::CheckinArgs),
    /// The knee diary: each day, a chart of pain and distance, the trend.
    #[command(
        after_help = "Examples:\n  knee-triage history\n  knee-triage history --json | jq .trend\n  knee-triage history --format csv -o diary.csv"
    )]
    History(diary::HistoryArgs),
    /// Read a training log (Strava export, GPX, TCX, FIT): weekly distance, load figures, warnings.
    #[command(
        after_help = "PATH may be a Strava bulk export (the folder or its .zip), its activities.csv alone, Garmin Connect's account export (zip or folder), Apple Health's export.zip or export.xml, .gpx, .tcx or .fit files (each also .gz), or a folder of them. Runs count; rides, walks and the rest are counted apart. A log whose latest run is more than 14 days old fills no answer but shoe_km. Files that cannot be read are listed with the reason, and the rest are still read.\n\nExamples:\n  knee-triage training ~/Downloads/export_12345678.zip\n  knee-triage training ~/watch/*.fit --today 2026-03-01\n  knee-triage training export/ --json | jq .answers\n  knee-triage assess --location front --training export/"
    )]
    Training(training::TrainingArgs),
    /// Check or list a content pack.
    #[command(
        after_help = "Examples:\n  knee-triage content check content/\n  knee-triage content list"
    )]
    Content {
        #[command(subcommand)]
        action: content::ContentCommand,
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
    /// Show the config file's path and the settings in force, with where each came from.
    #[command(
        after_help = "The config file is knee-triage/config.toml under $XDG_CONFIG_HOME, else ~/.config. It may set:\n  units = \"mi\"                       # or \"km\"; also --units, KNEE_TRIAGE_UNITS\n  diary = \"~/knee/diary.sqlite3\"     # also --diary, KNEE_TRIAGE_DIARY\n  content = \"~/my-pack\"              # also --content, KNEE_TRIAGE_CONTENT\n  color = \"never\"                    # auto, always or never; also --color, NO_COLOR\n  pager = \"less -R\"                  # or false; also PAGER, --no-pager\nA flag beats the environment, which beats the config file. A relative path is read from the config file's folder.\n\nExample:\n  knee-triage config"
    )]
    Config,
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
    let config = match config::load() {
        Ok(c) => c,
        Err(e) => {
            let error = Error::from(e);
            eprintln!("error: {error}");
            return exit_codes::of(&error);
        }
    };
    let content_dir = config::content_dir(prescan_content(&args), &config);
    let pack = crate::content::load_from(content_dir.as_deref());
    let command = build_command(pack.as_ref().ok());
    let matches = match command.try_get_matches_from(&args) {
        Ok(m) => m,
        // Without a pack there are no answer flags: its problems are the
        // real error, not the flags clap could not place.
        Err(e) if e.use_stderr() && pack.is_err() => {
            let error = Error::from(pack.expect_err("checked is_err"));
            eprintln!("error: {error}");
            return exit_codes::of(&error);
        }
        Err(e) => return clap_error(e, pack.as_ref().ok(), &args),
    };
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_error(e, pack.as_ref().ok(), &args),
    };
    match config::apply(&mut cli, &matches, &config) {
        Ok(settings) => cli.settings = settings,
        Err(error) => {
            eprintln!("error: {error}");
            return exit_codes::of(&error);
        }
    }
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
            let code = exit_codes::of(&e);
            if code != ExitCode::Interrupted {
                // A path or a key from a file may hold escape sequences.
                eprintln!("error: {}", crate::render::text::visible(&e.to_string()));
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
            .mut_subcommand("plan", |c| {
                let help = format!(
                    "{}\n\n{}",
                    crate::render::plan::pain_rules_help(pack),
                    c.get_after_help()
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                );
                c.args(answer_args(pack)).after_help(help)
            })
            .mut_subcommand("checkin", |c| {
                c.args(
                    answer_args(pack)
                        .into_iter()
                        .filter(|a| crate::cli::diary::is_checkin_flag(pack, a.get_id().as_str())),
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
            let mut arg = Arg::new(q.id.clone())
                .long(q.flag())
                .help(help)
                .help_heading(section_heading(q.section));
            // `--pain` is `checkin`'s name for the same 0-10 scale; both
            // names work everywhere.
            if q.id == PAIN_LEVEL {
                arg = arg.visible_alias("pain");
            }
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

/// The answer key `--pain` also names (see [`answer_args`]).
pub const PAIN_LEVEL: &str = "pain_level";

/// The help heading of an answer flag: the section of the questionnaire
/// its question sits in, so a training answer is never listed among the
/// warning signs.
fn section_heading(section: crate::model::Section) -> &'static str {
    use crate::model::Section;
    match section {
        Section::RedFlags => "Answers: warning signs",
        Section::Injury => "Answers: how it started",
        Section::Symptoms => "Answers: the pain and the knee",
        Section::Training => "Answers: training",
        Section::Plan => "Answers: return to running",
    }
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
                "error: invalid value for {} (--{}): \"{}\"{hint}; allowed: {}",
                q.id,
                q.flag(),
                crate::render::text::visible(value),
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
        if q.kind == QuestionKind::List && !w[2].starts_with('-') {
            // `--worse-with stairs squatting`: the rest of the list went
            // to the shell as further arguments.
            let rest: Vec<&str> = args
                .iter()
                .skip_while(|a| *a != &w[2])
                .take_while(|a| !a.starts_with('-'))
                .map(String::as_str)
                .filter(|v| q.option_index(v).is_some())
                .collect();
            if rest.is_empty() {
                return None;
            }
            let list = format!("{},{}", w[1], rest.join(","));
            return Some(format!(
                "invalid value for {} (--{flag}): a list is comma-separated, without spaces: --{flag} {list}; allowed: {}",
                q.id,
                allowed(q)
            ));
        }
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

/// One function per command.
fn dispatch(
    cli: &Cli,
    matches: &ArgMatches,
    pack: Result<&Pack, PackError>,
) -> Result<ExitCode, Error> {
    refuse_output_onto_diary(cli)?;
    match &cli.command {
        None => ask::run(cli, None, pack),
        Some(Command::Ask(args)) => ask::run(cli, Some(args), pack),
        Some(Command::Assess(args)) => assess::run(cli, matches, pack?, args),
        Some(Command::Training(args)) => training::run(cli, pack?, args),
        Some(Command::Completions { shell }) => completions::run(pack?, *shell),
        Some(Command::Man) => manpage::run(pack?),
        Some(Command::Config) => {
            let config = config::load()?;
            emit(&config::show(&config, &cli.settings))
        }
        Some(Command::Schema { which }) => emit(&crate::render::schema::to_text(*which, pack?)),
        Some(Command::Batch(args)) => batch::run_command(pack?, args),
        Some(Command::Plan(args)) => plan::run(
            pack?,
            &globals(cli)?,
            args,
            matches.subcommand_matches("plan"),
        ),
        Some(Command::Checkin(args)) => diary::checkin(
            pack?,
            &globals(cli)?,
            args,
            matches.subcommand_matches("checkin"),
        ),
        Some(Command::History(args)) => diary::history(pack?, &globals(cli)?, args),
        Some(Command::Content { action }) => content::run(cli, pack, action),
    }
}

/// `-o` (or `ask --save`) naming the knee diary, under any name, would
/// replace the diary with a report: refused (exit 2) before anything is
/// written, `plan --save` included.
fn refuse_output_onto_diary(cli: &Cli) -> Result<(), Error> {
    let outputs: Vec<&Path> = match &cli.command {
        Some(Command::Ask(a)) => [a.save.as_deref(), a.report.output.as_deref()]
            .into_iter()
            .flatten()
            .collect(),
        Some(Command::Assess(a)) => a.report.output.as_deref().into_iter().collect(),
        Some(Command::Batch(a)) => a.output.as_deref().into_iter().collect(),
        Some(Command::Plan(a)) => a.output.as_deref().into_iter().collect(),
        Some(Command::History(a)) => a.output.as_deref().into_iter().collect(),
        Some(Command::Training(a)) => a.output.as_deref().into_iter().collect(),
        _ => Vec::new(),
    };
    let Some(diary) = crate::diary::store::resolve(cli.diary.as_deref()) else {
        return Ok(());
    };
    for output in outputs {
        if crate::render::output::is_same_file(output, &diary) {
            return Err(Error::Usage(format!(
                "{}: this is the knee diary ({}); writing there would destroy it: give another file name",
                output.display(),
                diary.display()
            )));
        }
    }
    Ok(())
}

/// What the commands need from the global options.
pub struct Globals<'a> {
    pub content: Option<&'a Path>,
    pub diary: Option<&'a Path>,
    pub width: usize,
    /// The unit people read distances in (`--units`).
    pub units: Units,
}

fn globals(cli: &Cli) -> Result<Globals<'_>, Error> {
    Ok(Globals {
        content: cli.content.as_deref(),
        diary: cli.diary.as_deref(),
        width: crate::render::width::for_stream(
            crate::render::width::Stream::Stdout,
            cli.width.map(usize::from),
        ),
        units: units(cli)?,
    })
}

/// `--units`, else `KNEE_TRIAGE_UNITS`, else kilometres.
pub fn units(cli: &Cli) -> Result<Units, Error> {
    if let Some(name) = &cli.units {
        return Ok(Units::from_name(name).unwrap_or_default());
    }
    match std::env::var("KNEE_TRIAGE_UNITS") {
        Ok(name) if !name.trim().is_empty() => Units::from_name(&name).ok_or_else(|| {
            Error::Usage(format!(
                "invalid value for KNEE_TRIAGE_UNITS: \"{name}\"; allowed: {}",
                Units::NAMES.join(", ")
            ))
        }),
        _ => Ok(Units::default()),
    }
}
/// `--json` is `--format json`; with another `--format` it is a mistake to
/// tell, not to settle silently. With neither, `-o FILE` chooses by the
/// file's extension: `.json` is JSON, `.md` or `.markdown` is Markdown.
pub fn pick_format(
    json: bool,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<Format, Error> {
    if !json
        && format.is_none()
        && let Some(ext) = output.and_then(Path::extension)
    {
        match ext.to_string_lossy().to_ascii_lowercase().as_str() {
            "json" => return Ok(Format::Json),
            "md" | "markdown" => return Ok(Format::Markdown),
            _ => {}
        }
    }
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
/// (see [`crate::render::width`]).
pub fn terminal_width() -> usize {
    crate::render::width::for_stream(crate::render::width::Stream::Stdout, None)
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
        let pack = crate::content::load_from(None).expect("embedded pack");
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
