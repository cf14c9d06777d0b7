//! `ask` (and plain `knee-triage`): the questionnaire in the terminal, then
//! the same report as `assess`.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use crate::answers::Answers;
use crate::content::PackError;
use crate::error::Error;
use crate::model::Pack;

use super::assess::{ReportArgs, Sources, print_report_with};
use super::exit_codes::ExitCode;
use super::input::read_answers_file;
use super::{Cli, Format, pick_format, prompt_color};

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
    /// After the questions, take the trend of the pain from the knee diary if it was not answered.
    #[arg(long)]
    pub from_diary: bool,
    /// Fill the training questions from a training log (repeatable); see `knee-triage training`.
    #[arg(long, value_name = "PATH")]
    pub training: Vec<PathBuf>,
    /// Also make a return-to-running plan: asks whether a doctor or physiotherapist cleared you to run when that decides it, and prints the plan after the report (human or Markdown; for a calendar, `plan --answers FILE --format ics`).
    #[arg(long)]
    pub plan: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `args` is `None` for plain `knee-triage`.
pub fn run(
    cli: &Cli,
    args: Option<&AskArgs>,
    pack: Result<&Pack, PackError>,
) -> Result<ExitCode, Error> {
    // Options that cannot go together are said before anything is asked.
    let format = match args {
        Some(a) => pick_format(a.json, a.format, a.report.output.as_deref())?,
        None => Format::Human,
    };
    let want_plan = args.is_some_and(|a| a.plan);
    if want_plan && format == Format::Json {
        return Err(Error::Usage(
            "--plan prints the plan after a human or Markdown report; for JSON, save the answers (--save FILE) and run `knee-triage plan --answers FILE --json`".into(),
        ));
    }
    let no_input = args.is_some_and(|a| a.no_input);
    if no_input || !io::stdin().is_terminal() {
        return Err(Error::Usage(crate::questionnaire::NO_TERMINAL.into()));
    }
    let pack = pack?;
    let save = args.and_then(|a| a.save.as_deref());
    let plan_pack = match want_plan {
        true => Some(crate::plan::load(pack, cli.content.as_deref())?),
        false => None,
    };
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
        let note = crate::render::training::skip_note(pack, &known);
        eprintln!("{}", crate::render::wrap(&note, 0, 80).trim_end());
    }
    // With --plan: whether a clinician cleared the runner is asked when
    // it is what decides whether there is a plan (after an injury, the
    // hip pattern, a limp), and only then.
    let also = |answers: &Answers| -> Vec<usize> {
        let Some(plan) = &plan_pack else {
            return Vec::new();
        };
        let report = crate::report::Report::new(pack, answers);
        if crate::plan::refuse::clearance_would_lift(pack, plan, &report, answers) {
            pack.question_index(&plan.cleared.answer)
                .into_iter()
                .collect()
        } else {
            Vec::new()
        }
    };
    let mut answers = run_terminal(
        pack,
        prompt_color(cli.color),
        cli.width.map(usize::from),
        start,
        save,
        &also,
    )?;
    let from_diary =
        super::assess::take_from_diary(cli, pack, args.is_some_and(|a| a.from_diary), &mut answers);
    let filled: Vec<usize> = (0..pack.questions.len())
        .filter(|&q| known.is_answered(q) && answers.get(q) == known.get(q))
        .collect();
    let training = log.as_ref().map(|t| (t, filled.as_slice()));
    let report_args = args.map(|a| &a.report);
    let units = super::units(cli)?;
    let appendix = |format: Format, width: usize| -> String {
        let Some(plan_pack) = &plan_pack else {
            return String::new();
        };
        let opts = crate::plan::schedule::Options::from(crate::plan::schedule::today_local());
        let plan = crate::plan::schedule::build_with(pack, plan_pack, &answers, &opts);
        let text = match format {
            Format::Markdown => crate::render::plan::markdown(&plan, units),
            _ => crate::render::plan::human(&plan, width, units),
        };
        format!("\n{text}")
    };
    let sources = Sources {
        training,
        diary: &from_diary,
        appendix: plan_pack
            .as_ref()
            .map(|_| &appendix as &dyn Fn(Format, usize) -> String),
    };
    print_report_with(cli, pack, &answers, format, report_args, sources)
}

/// Asks the questions on the terminal (prompts on standard error), saves
/// the answers to `save` if given, and returns them for the report.
/// The caller has checked that standard input is a terminal.
pub fn run_terminal(
    pack: &Pack,
    color: bool,
    width: Option<usize>,
    start: Answers,
    save_to: Option<&Path>,
    also: crate::questionnaire::Also<'_>,
) -> Result<Answers, Error> {
    // The questions and notes are prose: at most PROSE columns.
    let width = super::terminal::stderr_width(width).min(crate::render::width::PROSE);
    exit_on_hangup();
    let asking = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    watch_terminal(asking.clone());
    let mut asker = super::terminal::TerminalAsker::new(color, width);
    let outcome = crate::questionnaire::run_also(pack, start, &mut asker, also);
    asking.store(false, std::sync::atomic::Ordering::SeqCst);
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(unfinished) => {
            let crate::questionnaire::Unfinished { error, answers } = *unfinished;
            // Escape or Ctrl-C with --save: keep what was said so far.
            if let (Some(path), Error::Interrupted) = (save_to, &error)
                && !answers.is_empty()
            {
                save(pack, &answers, path)?;
                let note = format!(
                    "Stopped. The answers so far are saved to {p}; `knee-triage ask --answers {p}` carries on from there.",
                    p = path.display()
                );
                say_note(&note, width);
            }
            return Err(error);
        }
    };
    let mut note = format!(
        "{} question{} asked.",
        outcome.asked,
        if outcome.asked == 1 { "" } else { "s" }
    );
    if outcome.stopped_early {
        note.push_str(" You stopped at the warning signs: the report covers those answers.");
    }
    if let Some(path) = save_to {
        save(pack, &outcome.answers, path)?;
        note.push_str(&format!(" Answers saved to {}", path.display()));
        if outcome.answers.check_required(pack).is_err() {
            note.push_str(" (add --location to assess them again)");
        }
        note.push('.');
    }
    say_note(&note, width);
    Ok(outcome.answers)
}

/// A line for the person on standard error, wrapped, set apart by blank lines.
fn say_note(note: &str, width: usize) {
    let note = format!("\n{}\n", crate::render::wrap(note.trim(), 0, width));
    let mut err = std::io::stderr().lock();
    let _ = std::io::Write::write_all(&mut err, note.as_bytes());
}

/// A terminal that closes mid-questionnaire ends it like Ctrl-C: exit 130.
/// (Ignoring the hangup instead would leave the prompt reading a dead
/// terminal forever.)
#[cfg(unix)]
fn exit_on_hangup() {
    extern "C" fn on_hangup(_: libc::c_int) {
        // SAFETY: `_exit` is async-signal-safe; nothing is left to flush to
        // a terminal that is gone.
        unsafe { libc::_exit(130) }
    }
    let handler: extern "C" fn(libc::c_int) = on_hangup;
    // SAFETY: installs a handler that only calls `_exit`.
    unsafe {
        libc::signal(libc::SIGHUP, handler as libc::sighandler_t);
    }
}

#[cfg(not(unix))]
fn exit_on_hangup() {}

/// A terminal can also die without a hangup signal reaching us (the
/// session leader ignored it); the prompt would then read nothing forever.
/// This watcher ends the run with 130 once standard input stops being a
/// terminal while the questions are on screen.
fn watch_terminal(asking: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    use std::io::IsTerminal;
    use std::sync::atomic::Ordering;
    std::thread::spawn(move || {
        while asking.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(250));
            if asking.load(Ordering::SeqCst) && !std::io::stdin().is_terminal() {
                std::process::exit(130);
            }
        }
    });
}

/// Writes the answers as TOML that `assess --answers FILE` reads back,
/// atomically (a temporary file, then a rename).
pub fn save(pack: &Pack, answers: &Answers, path: &Path) -> Result<(), Error> {
    crate::render::output::write_atomic(path, answers.to_toml(pack).as_bytes()).map_err(|source| {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}
