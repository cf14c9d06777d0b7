//! `checkin` and `history`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use clap::{ArgMatches, ValueEnum};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::Globals;
use super::exit_codes::ExitCode;
use super::plan::{no_diary_place, parse_date_arg};
use crate::diary::decide::{self, Context, Decision, Verdict};
use crate::diary::store::{Day, Diary, Morning, SavedPlan};
use crate::error::Error;
use crate::model::Pack;

#[derive(Debug, clap::Args)]
pub struct CheckinArgs {
    /// Worst pain today, during the run or the day, 0-10.
    #[arg(long, visible_alias = "pain-level", value_name = "N", value_parser = clap::value_parser!(u8).range(0..=10), required_unless_present = "import")]
    pub pain: Option<u8>,
    /// Distance run today, in km (or in miles as 5mi).
    #[arg(long, value_name = "KM", value_parser = parse_km, conflicts_with = "no_run")]
    pub run_km: Option<f64>,
    /// No run (or walk session) today: a rest day.
    #[arg(long)]
    pub no_run: bool,
    /// How the knee was this morning, after the last session.
    #[arg(long, value_enum, value_name = "HOW")]
    pub next_morning: Option<Morning>,
    /// The day to record, YYYY-MM-DD [default: today, local date].
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub date: Option<NaiveDate>,
    /// Instead of one day, import the days (and plan) of a `history --json` file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["pain", "run_km", "no_run", "next_morning", "date"])]
    pub import: Option<PathBuf>,
    /// With --import: the file's days replace the diary's on the same
    /// dates, and its plan becomes the current one (without it, what the
    /// diary holds is kept).
    #[arg(long, requires = "import")]
    pub replace: bool,
    /// Print the answer as JSON.
    #[arg(long)]
    pub json: bool,
}

/// A distance in km; `5mi` (or `5 mi`) is read in miles, as the answer
/// flags read them.
fn parse_km(text: &str) -> Result<f64, String> {
    let t = text.trim().to_ascii_lowercase();
    let (number, per) = match t.strip_suffix("mi") {
        Some(n) => (n.trim(), crate::render::units::KM_PER_MILE),
        None => (t.strip_suffix("km").unwrap_or(&t).trim(), 1.0),
    };
    match number.parse::<f64>().map(|v| v * per) {
        Ok(v) if v.is_finite() && (0.0..=1000.0).contains(&v) => Ok(v),
        _ => Err("expected a distance in km from 0 to 1000, or in miles as 5mi".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// A table, a chart and the trend.
    Human,
    /// {"days": [...], "trend": ...}.
    Json,
    /// One row per day.
    Csv,
    /// The diary for a physiotherapist: figures, trend, the plan in force, every day.
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Output format [default: human; with -o, chosen by the file's extension: .json, .csv, .md].
    #[arg(long, value_enum)]
    pub format: Option<HistoryFormat>,
    /// Write to FILE (replaced whole, never half-written) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The answer flags `checkin` takes: every one of `assess`, except
/// `--pain-level`, which is `checkin`'s own `--pain`.
pub fn is_checkin_flag(pack: &Pack, id: &str) -> bool {
    id != super::PAIN_LEVEL && pack.questions.iter().any(|q| q.id == id)
}

/// Test hook: hold the write transaction open this long (kill tests).
fn hold() -> Option<Duration> {
    std::env::var("KNEE_TRIAGE_TEST_HOLD_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
}

#[derive(Serialize)]
struct CheckinOut<'a> {
    date: String,
    #[serde(flatten)]
    verdict: &'a Verdict,
    next_session: Option<String>,
    trend: Option<&'static str>,
}

pub fn checkin(
    pack: &Pack,
    g: &Globals,
    args: &CheckinArgs,
    matches: Option<&ArgMatches>,
) -> Result<ExitCode, Error> {
    let plan = crate::plan::load(pack, g.content)?;
    let path = crate::diary::store::resolve(g.diary).ok_or_else(no_diary_place)?;

    if let Some(file) = &args.import {
        return import(pack, &path, file, args.replace);
    }

    let today = crate::plan::schedule::today_local();
    let date = args.date.unwrap_or(today);
    let answers = day_answers(pack, matches)?;
    let day = Day {
        date,
        pain: args.pain.unwrap_or(0),
        run_km: args.run_km,
        no_run: args.no_run,
        next_morning: args.next_morning,
        answers,
    };
    let mut diary = Diary::open_for_writing(&path)?;
    diary.put_day(&day, hold())?;
    let days = diary.days()?;
    note_bad_rows(&diary);
    let saved = diary.plan()?;
    let ctx = Context::new(pack, &plan, saved.as_ref());
    let Some(i) = days.iter().position(|d| d.date == date) else {
        return Err(Error::Diary {
            path,
            message: "the day just written could not be read back".into(),
        });
    };
    let (verdicts, state) = decide::replay(&ctx, &days, decide::Words::Day(i));
    let verdict = &verdicts[i];
    // The state after the latest day is the one the next session follows.
    let next = (verdict.decision != Decision::GetHelp)
        .then(|| decide::next_session(&ctx, &state, today.max(date)));
    let trend = decide::trend(&plan, &days, days.last().map_or(date, |d| d.date));
    if args.json {
        let out = CheckinOut {
            date: crate::plan::schedule::iso_date(date),
            verdict,
            next_session: next,
            trend,
        };
        return crate::cli::emit(&(serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"));
    }
    let mut text = format!("{}: {}\n", verdict.decision.as_str(), verdict.reason);
    if let Some(level) = verdict.level {
        text.push_str(&format!(
            "Level: {level} — {}\n",
            verdict.action.as_deref().unwrap_or_default()
        ));
    }
    for a in &verdict.advice {
        text.push_str(&crate::render::width::wrap(a, g.width, "  - ", "    "));
    }
    match next {
        Some(n) => text.push_str(&format!("Next session: {n}\n")),
        None => text.push_str("Next session: none until you have been seen.\n"),
    }
    crate::cli::emit(&text)
}

/// The answers given on the day, as `assess` reads them from its flags.
fn day_answers(pack: &Pack, matches: Option<&ArgMatches>) -> Result<Map<String, Json>, Error> {
    let mut answers = crate::answers::Answers::new(pack);
    if let Some(m) = matches {
        for (qi, q) in pack.questions.iter().enumerate() {
            if !is_checkin_flag(pack, &q.id) {
                continue;
            }
            let Some(values) = m.get_many::<String>(&q.id) else {
                continue;
            };
            let values: Vec<&str> = values.map(String::as_str).collect();
            answers.set_text(pack, qi, &values.join(","))?;
        }
    }
    Ok(answers.to_json(pack))
}

pub fn history(pack: &Pack, g: &Globals, args: &HistoryArgs) -> Result<ExitCode, Error> {
    let plan = crate::plan::load(pack, g.content)?;
    let path = crate::diary::store::resolve(g.diary).ok_or_else(no_diary_place)?;
    let (days, saved) = match Diary::open_existing(&path)? {
        Some(diary) => {
            let days = diary.days()?;
            note_bad_rows(&diary);
            (days, diary.plan()?)
        }
        None => (Vec::new(), None),
    };
    let ctx = Context::new(pack, &plan, saved.as_ref());
    let (verdicts, state) = decide::replay(&ctx, &days, decide::Words::Every);
    let trend = days
        .last()
        .and_then(|d| decide::trend(&plan, &days, d.date));
    let h = crate::render::diary::history(&days, &verdicts, trend, saved.as_ref());
    let by_extension = || {
        let ext = args
            .output
            .as_deref()?
            .extension()?
            .to_string_lossy()
            .to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(HistoryFormat::Json),
            "csv" => Some(HistoryFormat::Csv),
            "md" | "markdown" => Some(HistoryFormat::Markdown),
            _ => None,
        }
    };
    let format = match (args.json, args.format) {
        (true, None | Some(HistoryFormat::Json)) => HistoryFormat::Json,
        (true, Some(_)) => {
            return Err(Error::Usage(
                "--json and --format ask for two different formats; give one of them (--json is the same as --format json)".into(),
            ));
        }
        (false, Some(f)) => f,
        (false, None) => by_extension().unwrap_or(HistoryFormat::Human),
    };
    let text = match format {
        HistoryFormat::Json => crate::render::diary::json(&h),
        HistoryFormat::Csv => crate::render::diary::csv(&h, g.units),
        HistoryFormat::Human => crate::render::diary::human(
            &h,
            if args.output.is_some() { 100 } else { g.width },
            g.units,
        ),
        HistoryFormat::Markdown => {
            let in_force = saved.as_ref().map(|s| crate::render::diary::PlanInForce {
                start: s.start,
                level: pack.level_text(ctx.level).label.clone(),
                step: plan
                    .levels
                    .get(state.ladder)
                    .map_or("rebuilding distance".to_owned(), |l| {
                        format!("\"{}\" ({})", l.name, l.session())
                    }),
                rule: ctx.rule.short.clone(),
                next: (verdicts.last().map(|v| v.decision) != Some(Decision::GetHelp)).then(|| {
                    decide::next_session(&ctx, &state, crate::plan::schedule::today_local())
                }),
            });
            crate::render::diary::markdown(
                &h,
                in_force.as_ref(),
                g.units,
                plan.trend.window_days,
                &crate::render::markdown::today(),
            )
        }
    };
    match &args.output {
        Some(out) => crate::render::output::write_atomic(out, text.as_bytes())
            .map(|()| ExitCode::Success)
            .map_err(|source| Error::Write {
                path: out.clone(),
                source,
            }),
        None => crate::cli::emit(&text),
    }
}

/// Rows of the diary that could not be read: named on standard error, so
/// the rest is still shown and the runner can mend or delete the row.
fn note_bad_rows(diary: &Diary) {
    for row in diary.bad_rows() {
        eprintln!(
            "note: diary {}: {}; left out (mend or delete that row with an SQLite tool)",
            crate::render::text::visible(&diary.path().display().to_string()),
            crate::render::text::visible(&row)
        );
    }
}

/// A `history --json` file is a few MB for ten years of days: more than
/// this is refused before it is parsed.
const MAX_IMPORT_BYTES: u64 = 100 * 1024 * 1024;

/// `checkin --import FILE`: the file is checked as answers are (keys,
/// values, the plan's answers) before anything is written, and days the
/// diary already holds are kept unless `replace`.
fn import(pack: &Pack, path: &Path, file: &Path, replace: bool) -> Result<ExitCode, Error> {
    use std::io::Read;
    let read_error = |source| Error::Read {
        path: file.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    crate::files::open_regular(file)
        .map_err(read_error)?
        .take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    let bad = |what: String| Error::Usage(format!("{}: {what}", file.display()));
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(bad(
            "over the 100 MB limit for an import (ten years of days are a few MB)".into(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
    #[derive(serde::Deserialize)]
    struct Import {
        days: Vec<Day>,
        #[serde(default)]
        plan: Option<SavedPlan>,
    }
    let import: Import = crate::answers::parse_json_strict(text.trim_start_matches('\u{feff}'))
        .and_then(serde_json::from_value)
        .map_err(|e| bad(format!("not a `history --json` file: {e}")))?;
    check_import(pack, &import.days, import.plan.as_ref()).map_err(bad)?;
    let mut diary = Diary::open_for_writing(path)?;
    let done = diary.import(&import.days, import.plan.as_ref(), replace)?;
    let mut text = format!(
        "imported {} days{} into {}\n",
        done.added,
        if done.plan { " and the plan" } else { "" },
        path.display()
    );
    if !done.kept.is_empty() {
        let dates: Vec<String> = done.kept.iter().take(10).map(|d| d.to_string()).collect();
        text.push_str(&format!(
            "kept {} day{} the diary already holds, as {}: {}{} (--replace takes the file's)\n",
            done.kept.len(),
            if done.kept.len() == 1 { "" } else { "s" },
            if done.kept.len() == 1 {
                "it was"
            } else {
                "they were"
            },
            dates.join(", "),
            if done.kept.len() > 10 { ", …" } else { "" }
        ));
    }
    if import.plan.is_some() && !done.plan {
        text.push_str("kept the diary's current plan (--replace takes the file's)\n");
    }
    crate::cli::emit(&text)
}

/// What a day may hold is what `checkin` takes: pain 0-10, a distance of
/// 0-1000 km, and answers to the pack's questions (each checked as in an
/// answers file); a plan's answers are answers.
fn check_import(pack: &Pack, days: &[Day], plan: Option<&SavedPlan>) -> Result<(), String> {
    for d in days {
        if d.pain > 10 {
            return Err(format!("pain {} on {} is over 10", d.pain, d.date));
        }
        if let Some(km) = d.run_km
            && !(km.is_finite() && (0.0..=1000.0).contains(&km))
        {
            return Err(format!(
                "run_km {km} on {}; allowed: a distance in km, from 0 to 1000",
                d.date
            ));
        }
        for (key, value) in &d.answers {
            let shown = crate::render::text::visible(key);
            if !is_checkin_flag(pack, key) {
                let keys: Vec<&str> = pack
                    .questions
                    .iter()
                    .map(|q| q.id.as_str())
                    .filter(|id| is_checkin_flag(pack, id))
                    .collect();
                return Err(format!(
                    "unknown answer key \"{shown}\" on {}; a day holds only the answers checkin takes: {}",
                    d.date,
                    keys.join(", ")
                ));
            }
            // Each answer is checked as the same answer in a file would be.
            let mut one = Map::new();
            one.insert(key.clone(), value.clone());
            crate::answers::Answers::from_json(pack, &Json::Object(one))
                .map_err(|e| format!("{shown} on {}: {e}", d.date))?;
        }
    }
    if let Some(p) = plan {
        crate::answers::Answers::from_json(pack, &Json::Object(p.answers.clone()))
            .map_err(|e| format!("the plan's answers: {e}"))?;
    }
    Ok(())
}
