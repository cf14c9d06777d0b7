//! `knee-triage batch`: JSON Lines in, one report per line out, in order.
//!
//! Input is read in bounded chunks of lines; each chunk is assessed on the
//! available cores (each core takes one contiguous slice of the chunk and
//! writes into its own buffer), and the buffers are written in input order
//! before the next chunk is read. Memory therefore depends on the chunk
//! size, never on the length of the input.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::answers::{Answers, RunnerId, Value};
use crate::engine;
use crate::error::Error;

use super::exit_codes::ExitCode;
use crate::model::{Level, Likelihood, Pack};
use crate::render::output::AtomicFile;
use crate::render::text::visible;
use crate::report::LineWriter;

/// Lines per chunk: large enough that starting threads costs nothing next
/// to the work, small enough that memory stays a few megabytes.
const CHUNK_LINES: usize = 2048;
/// A chunk also ends after this many bytes of input, so very long lines
/// cannot make a chunk large.
const CHUNK_BYTES: usize = 4 << 20;

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

/// Runs `batch` with the options given on the command line.
pub fn run_command(pack: &Pack, args: &BatchArgs) -> Result<ExitCode, Error> {
    let opts = Options {
        input: args.input.clone(),
        output: args.output.clone(),
        summary: args.summary,
        json: args.json,
        threads: args.threads.map(usize::from),
        progress: want_progress(args.output.as_deref()),
        list_ids: args.list_ids,
        by: args.by.clone(),
    };
    run(pack, &opts)
}

/// What `batch` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read from this file instead of standard input.
    pub input: Option<PathBuf>,
    /// Write to this file (atomically) instead of standard output.
    pub output: Option<PathBuf>,
    /// Count levels and causes instead of printing reports.
    pub summary: bool,
    /// With `summary`: print it as JSON.
    pub json: bool,
    /// Worker threads; `None` uses the available cores.
    pub threads: Option<usize>,
    /// Draw a progress bar on standard error (only sensible when it is a
    /// terminal and the output goes to a file).
    pub progress: bool,
    /// With `summary`: list who fell in each level (the `id`, else `line N`).
    pub list_ids: bool,
    /// With `summary`: count levels per value of this answer key (or
    /// `age-band`).
    pub by: Option<String>,
}

/// The pseudo-key of `--by` that groups ages in bands of ten years.
pub const AGE_BAND: &str = "age-band";

/// The pseudo-key of `--by` that groups on a field of the runner's `id`:
/// `id-field:N`, the N-th (from 1) of the parts the id splits into at
/// `/`, `:`, `-`, `_`, `.` or a space (`club-a/ann` → `club`, `a`, `ann`).
pub const ID_FIELD: &str = "id-field";

/// What separates the fields of an `id` for `--by id-field:N`.
const ID_SEPARATORS: &[char] = &['/', ':', '-', '_', '.', ' '];

/// What `--by` groups on: a question, the ages in bands, or a field of
/// the id.
#[derive(Debug, Clone, Copy, PartialEq)]
enum GroupBy {
    Question(usize),
    AgeBand(usize),
    /// The field's index, from 0.
    IdField(usize),
}

/// Checks `--by KEY` against the pack: a question's key or `age-band`.
fn group_by(pack: &Pack, key: &str) -> Result<GroupBy, Error> {
    if let Some(q) = pack.question_index(key) {
        return Ok(GroupBy::Question(q));
    }
    if key == AGE_BAND
        && let Some(q) = pack.question_index("age")
    {
        return Ok(GroupBy::AgeBand(q));
    }
    if let Some(rest) = key.strip_prefix(ID_FIELD) {
        let n = match rest.strip_prefix(':') {
            None if rest.is_empty() => Some(1),
            Some(n) => n.parse::<usize>().ok().filter(|&n| n >= 1),
            None => None,
        };
        return n.map(|n| GroupBy::IdField(n - 1)).ok_or_else(|| {
            Error::Usage(format!(
                "invalid value for --by: \"{key}\"; a field of the id is {ID_FIELD}:N with N from 1 (the id split at / : - _ . or a space)"
            ))
        });
    }
    let keys: Vec<&str> = pack.questions.iter().map(|q| q.id.as_str()).collect();
    let hint = crate::content::did_you_mean(key, keys.iter().copied().chain([AGE_BAND]))
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    Err(Error::Usage(format!(
        "invalid value for --by: \"{key}\"{hint}; allowed: an answer key ({}), {AGE_BAND} or {ID_FIELD}:N",
        keys.join(", ")
    )))
}

/// The groups one runner falls in: the answer's value (each item of a
/// list), or `(not answered)`.
fn groups_of(pack: &Pack, by: GroupBy, answers: &Answers) -> Vec<String> {
    const NONE: &str = "(not answered)";
    let q = match by {
        GroupBy::Question(q) | GroupBy::AgeBand(q) => q,
        GroupBy::IdField(n) => {
            let id = answers.id().map(|id| id.to_string()).unwrap_or_default();
            let field = id
                .split(ID_SEPARATORS)
                .filter(|f| !f.is_empty())
                .nth(n)
                .unwrap_or(if id.is_empty() {
                    "(no id)"
                } else {
                    "(no such field)"
                });
            return vec![field.to_owned()];
        }
    };
    let question = &pack.questions[q];
    let Some(value) = answers.get(q) else {
        return vec![NONE.into()];
    };
    match (by, value) {
        (GroupBy::AgeBand(_), Value::Num(n)) => {
            let low = (n / 10.0).floor() * 10.0;
            vec![format!("{}-{}", low as i64, low as i64 + 9)]
        }
        (_, Value::Items(bits)) => {
            let items: Vec<String> = question
                .options
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < 64 && bits & (1 << i) != 0)
                .map(|(_, o)| o.value.clone())
                .collect();
            if items.is_empty() {
                vec!["(none)".into()]
            } else {
                items
            }
        }
        (_, Value::Choice(i)) => vec![
            question
                .options
                .get(i as usize)
                .map_or_else(String::new, |o| o.value.clone()),
        ],
        (_, Value::Flag(b)) => vec![if b { "yes" } else { "no" }.into()],
        (_, Value::Num(n)) => vec![crate::answers::format_number(n)],
    }
}

/// Counts over the whole input, for the stderr line and `--summary`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub assessed: u64,
    pub failed: u64,
    /// Indexed by [`Level::index`].
    pub levels: [u64; 4],
    /// Per cause (pack order): how often it was possible and how often likely.
    pub causes: Vec<[u64; 2]>,
    /// With `--list-ids`, per level: who fell in it, in input order.
    pub ids: [Vec<String>; 4],
    /// With `--by`: per group value, the count per level.
    pub groups: std::collections::BTreeMap<String, [u64; 4]>,
}

impl Summary {
    fn new(pack: &Pack) -> Summary {
        Summary {
            causes: vec![[0, 0]; pack.causes.len()],
            ..Summary::default()
        }
    }

    fn add(&mut self, other: &Summary) {
        self.assessed += other.assessed;
        self.failed += other.failed;
        for (a, b) in self.levels.iter_mut().zip(other.levels) {
            *a += b;
        }
        for (a, b) in self.causes.iter_mut().zip(&other.causes) {
            a[0] += b[0];
            a[1] += b[1];
        }
        for (a, b) in self.ids.iter_mut().zip(&other.ids) {
            a.extend(b.iter().cloned());
        }
        for (value, counts) in &other.groups {
            let mine = self.groups.entry(value.clone()).or_default();
            for (a, b) in mine.iter_mut().zip(counts) {
                *a += b;
            }
        }
    }

    /// Causes that came up at least once, most frequent first.
    fn ranked(&self, pack: &Pack) -> Vec<(usize, u64, u64)> {
        let mut rows: Vec<(usize, u64, u64)> = self
            .causes
            .iter()
            .enumerate()
            .filter(|(_, c)| c[0] + c[1] > 0)
            .map(|(i, c)| (i, c[0], c[1]))
            .collect();
        rows.sort_by(|a, b| {
            (b.1 + b.2)
                .cmp(&(a.1 + a.2))
                .then(b.2.cmp(&a.2))
                .then(pack.causes[a.0].id.cmp(&pack.causes[b.0].id))
        });
        rows
    }

    /// The summary as one JSON document.
    pub fn to_json(&self, pack: &Pack, opts: &Options) -> String {
        let levels: serde_json::Map<String, serde_json::Value> = Level::ALL
            .iter()
            .rev()
            .map(|l| (l.as_str().to_owned(), json!(self.levels[l.index()])))
            .collect();
        let causes: Vec<serde_json::Value> = self
            .ranked(pack)
            .into_iter()
            .map(|(i, possible, likely)| {
                let c = &pack.causes[i];
                json!({
                    "id": c.id,
                    "kind": c.kind.as_str(),
                    "name": c.name,
                    "runners": possible + likely,
                    "likely": likely,
                    "possible": possible,
                })
            })
            .collect();
        let mut doc = json!({
            "assessed": self.assessed,
            "failed": self.failed,
            "levels": levels,
            "causes": causes,
        });
        if opts.list_ids {
            let ids: serde_json::Map<String, serde_json::Value> = Level::ALL
                .iter()
                .rev()
                .map(|l| (l.as_str().to_owned(), json!(self.ids[l.index()])))
                .collect();
            doc["ids"] = json!(ids);
        }
        if let Some(key) = &opts.by {
            let groups: Vec<serde_json::Value> = self
                .groups
                .iter()
                .map(|(value, counts)| {
                    let levels: serde_json::Map<String, serde_json::Value> = Level::ALL
                        .iter()
                        .rev()
                        .map(|l| (l.as_str().to_owned(), json!(counts[l.index()])))
                        .collect();
                    json!({"value": value, "runners": counts.iter().sum::<u64>(), "levels": levels})
                })
                .collect();
            doc["by"] = json!({"key": key, "groups": groups});
        }
        serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
    }

    /// The summary as tables: triage levels (with who, for `--list-ids`),
    /// the levels per group (`--by`), then causes.
    pub fn to_table(&self, pack: &Pack, opts: &Options) -> String {
        let share = |n: u64| {
            if self.assessed == 0 {
                "-".to_owned()
            } else {
                format!("{:.1}%", n as f64 * 100.0 / self.assessed as f64)
            }
        };
        let mut levels = comfy_table::Table::new();
        levels.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        if opts.list_ids {
            levels.set_header(["triage level", "runners", "share", "who"]);
        } else {
            levels.set_header(["triage level", "runners", "share"]);
        }
        for l in Level::ALL.iter().rev() {
            let n = self.levels[l.index()];
            let mut row = vec![l.as_str().to_owned(), n.to_string(), share(n)];
            if opts.list_ids {
                row.push(visible(&self.ids[l.index()].join(", ")).into_owned());
            }
            levels.add_row(row);
        }
        let mut causes = comfy_table::Table::new();
        causes.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        causes.set_header(["cause", "kind", "runners", "likely", "possible", "share"]);
        for (i, possible, likely) in self.ranked(pack) {
            let c = &pack.causes[i];
            causes.add_row([
                format!("{} ({})", c.name, c.id),
                c.kind.as_str().to_owned(),
                (possible + likely).to_string(),
                likely.to_string(),
                possible.to_string(),
                share(possible + likely),
            ]);
        }
        let mut out = format!(
            "assessed {} runner{}, failed {} line{}\n\n{levels}\n",
            self.assessed,
            if self.assessed == 1 { "" } else { "s" },
            self.failed,
            if self.failed == 1 { "" } else { "s" },
        );
        if let Some(key) = &opts.by {
            let mut groups = comfy_table::Table::new();
            groups.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            let mut header = vec![visible(key).into_owned(), "runners".into()];
            header.extend(Level::ALL.iter().rev().map(|l| l.as_str().to_owned()));
            groups.set_header(header);
            for (value, counts) in &self.groups {
                let mut row = vec![
                    visible(value).into_owned(),
                    counts.iter().sum::<u64>().to_string(),
                ];
                row.extend(
                    Level::ALL
                        .iter()
                        .rev()
                        .map(|l| counts[l.index()].to_string()),
                );
                groups.add_row(row);
            }
            let _ = write!(out, "\n{groups}\n");
        }
        if self.ranked(pack).is_empty() {
            out.push_str("\nno cause reached `possible` for any runner\n");
        } else {
            let _ = write!(out, "\n{causes}\n");
        }
        out
    }
}

/// One line of input to assess: its 1-based physical line number and text.
struct Line {
    number: u64,
    bytes: Vec<u8>,
    /// The whole line's length when it was over [`super::input::MAX_LINE_BYTES`]: only
    /// the start is kept, and the line becomes an error line.
    too_long: Option<u64>,
}

/// Reads chunks of non-blank lines, stripping `\n` and `\r\n`.
struct Chunker<R> {
    reader: R,
    number: u64,
    done: bool,
    spare: Vec<Line>,
}

impl<R: BufRead> Chunker<R> {
    fn new(reader: R) -> Self {
        Chunker {
            reader,
            number: 0,
            done: false,
            spare: Vec::new(),
        }
    }

    /// Fills `chunk` with the next lines; returns the bytes read.
    fn next_chunk(&mut self, chunk: &mut Vec<Line>) -> io::Result<usize> {
        let mut bytes_read = 0;
        while !self.done && chunk.len() < CHUNK_LINES && bytes_read < CHUNK_BYTES {
            let mut line = self.spare.pop().unwrap_or(Line {
                number: 0,
                bytes: Vec::new(),
                too_long: None,
            });
            line.bytes.clear();
            let cap = super::input::MAX_LINE_BYTES + 2;
            let n = super::input::read_line_capped(&mut self.reader, &mut line.bytes, cap)?;
            line.too_long = (n > cap).then_some(n as u64);
            if n == 0 {
                self.done = true;
                self.spare.push(line);
                break;
            }
            bytes_read += n;
            self.number += 1;
            if line.too_long.is_none() && line.bytes.last() == Some(&b'\n') {
                line.bytes.pop();
                if line.bytes.last() == Some(&b'\r') {
                    line.bytes.pop();
                }
            }
            if line.bytes.len() > super::input::MAX_LINE_BYTES {
                line.too_long = Some(line.too_long.unwrap_or(line.bytes.len() as u64));
            }
            if line.too_long.is_none() && line.bytes.iter().all(u8::is_ascii_whitespace) {
                self.spare.push(line);
                continue;
            }
            line.number = self.number;
            chunk.push(line);
        }
        Ok(bytes_read)
    }

    /// Takes back a chunk's line buffers for reuse.
    fn recycle(&mut self, chunk: &mut Vec<Line>) {
        self.spare.append(chunk);
    }
}

/// Assesses one line: its output line (without the newline) goes to `out`.
fn assess_line(
    writer: &LineWriter,
    line: &Line,
    summary: &mut Summary,
    out: Option<&mut Vec<u8>>,
    wants: &Wants,
) {
    let pack = writer.pack();
    let parsed = match line.too_long {
        Some(n) => Err(format!(
            "the line is {:.1} MB, over the 1 MB limit for one line (one runner's answers are under 2 kB); not read",
            n as f64 / (1024.0 * 1024.0)
        )),
        None => Ok(&line.bytes[..]),
    };
    let parsed = parsed
        .and_then(|bytes| {
            std::str::from_utf8(bytes).map_err(|e| {
                format!(
                    "the line is not UTF-8 text (invalid byte at byte {})",
                    e.valid_up_to() + 1
                )
            })
        })
        .and_then(|text| {
            let answers = Answers::from_json_str(pack, text).map_err(|e| e.to_string())?;
            answers.check_required(pack).map_err(|e| e.to_string())?;
            Ok(answers)
        });
    match parsed {
        Ok(answers) => {
            summary.assessed += 1;
            let assessment = engine::assess(pack, &answers);
            summary.levels[assessment.level.index()] += 1;
            if wants.ids {
                summary.ids[assessment.level.index()].push(match answers.id() {
                    Some(id) => id.to_string(),
                    None => format!("line {}", line.number),
                });
            }
            if let Some(by) = wants.by {
                for group in groups_of(pack, by, &answers) {
                    summary.groups.entry(group).or_default()[assessment.level.index()] += 1;
                }
            }
            for c in &assessment.causes {
                let slot = if c.likelihood == Likelihood::Likely {
                    1
                } else {
                    0
                };
                summary.causes[c.cause][slot] += 1;
            }
            if let Some(out) = out {
                writer.write(&answers, &assessment, out);
                out.push(b'\n');
            }
        }
        Err(message) => {
            summary.failed += 1;
            let mut error = json!({"line": line.number, "message": message});
            if line.too_long.is_none()
                && let Some(id) = readable_id(&line.bytes)
            {
                error["id"] = json!(id);
            }
            let error = json!({ "error": error }).to_string();
            match out {
                Some(out) => {
                    out.extend_from_slice(error.as_bytes());
                    out.push(b'\n');
                }
                // With --summary the reports are not printed, but a bad line
                // must still be told.
                None => {
                    let _ = writeln!(io::stderr(), "{error}");
                }
            }
        }
    }
}

/// What the summary collects besides counts.
#[derive(Debug, Clone, Copy, Default)]
struct Wants {
    ids: bool,
    by: Option<GroupBy>,
}

/// The `id` of a line that could not be assessed, when the line is a JSON
/// object with a readable `id`.
fn readable_id(bytes: &[u8]) -> Option<RunnerId> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    RunnerId::from_json(value.get(crate::answers::ID_KEY)?).ok()
}

/// Where the reports go.
enum Sink {
    Stdout(io::StdoutLock<'static>),
    File(AtomicFile, PathBuf),
}

impl Sink {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let result = match self {
            Sink::Stdout(out) => out.write_all(bytes),
            Sink::File(file, _) => file.write_all(bytes),
        };
        result.map_err(|source| Error::Write {
            path: self.path(),
            source,
        })
    }

    fn path(&self) -> PathBuf {
        match self {
            Sink::Stdout(_) => "standard output".into(),
            Sink::File(_, path) => path.clone(),
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Sink::Stdout(mut out) => out.flush().map_err(|source| Error::Write {
                path: "standard output".into(),
                source,
            }),
            Sink::File(file, path) => file
                .commit()
                .map_err(|source| Error::Write { path, source }),
        }
    }
}

/// Runs a batch: exit code 2 when any line failed, 0 otherwise (also when
/// the reader of standard output went away early).
pub fn run(pack: &Pack, opts: &Options) -> Result<ExitCode, Error> {
    if !opts.summary && (opts.list_ids || opts.by.is_some()) {
        return Err(Error::Usage(
            "--list-ids and --by shape the summary; add --summary".into(),
        ));
    }
    let wants = Wants {
        ids: opts.list_ids,
        by: opts.by.as_deref().map(|k| group_by(pack, k)).transpose()?,
    };
    let (reader, input_len): (Box<dyn Read>, Option<u64>) = match &opts.input {
        Some(path) if path != Path::new("-") => {
            let file = std::fs::File::open(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let len = file.metadata().ok().map(|m| m.len());
            (Box::new(file), len)
        }
        _ => (Box::new(io::stdin().lock()), None),
    };
    let input_name = opts
        .input
        .clone()
        .unwrap_or_else(|| "standard input".into());
    let mut chunker = Chunker::new(BufReader::with_capacity(1 << 16, reader));

    let mut sink = match &opts.output {
        Some(path) => Sink::File(
            AtomicFile::create(path).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?,
            path.clone(),
        ),
        None => Sink::Stdout(io::stdout().lock()),
    };

    let progress = opts.progress.then(|| progress_bar(input_len));
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let writer = LineWriter::new(pack);
    let mut total = Summary::new(pack);
    let mut chunk: Vec<Line> = Vec::with_capacity(CHUNK_LINES);
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); threads];
    loop {
        let read = chunker
            .next_chunk(&mut chunk)
            .map_err(|source| Error::Read {
                path: input_name.clone(),
                source,
            })?;
        if chunk.is_empty() {
            break;
        }
        let parts = assess_chunk(&writer, &chunk, &mut buffers, !opts.summary, &wants);
        for (part, buffer) in parts.iter().zip(&buffers) {
            total.add(part);
            if !opts.summary {
                match sink.write_all(buffer) {
                    Ok(()) => {}
                    Err(Error::Write { source, .. })
                        if source.kind() == io::ErrorKind::BrokenPipe =>
                    {
                        // The reader went away (`| head`): stop quietly.
                        return Ok(ExitCode::Success);
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        if let Some(bar) = &progress {
            match input_len {
                Some(_) => bar.inc(read as u64),
                None => bar.inc(chunk.len() as u64),
            }
        }
        chunker.recycle(&mut chunk);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }

    if opts.summary {
        let text = if opts.json {
            total.to_json(pack, opts)
        } else {
            total.to_table(pack, opts)
        };
        match sink.write_all(text.as_bytes()) {
            Err(Error::Write { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
                return Ok(ExitCode::Success);
            }
            other => other?,
        }
    }
    match sink.finish() {
        Err(Error::Write { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::Success);
        }
        other => other?,
    }
    let _ = writeln!(
        io::stderr(),
        "assessed {}, failed {}",
        total.assessed,
        total.failed
    );
    Ok(if total.failed > 0 {
        ExitCode::Usage
    } else {
        ExitCode::Success
    })
}

/// Splits the chunk into one contiguous slice per buffer and assesses the
/// slices in parallel; buffer `i` holds slice `i`'s output lines in order.
fn assess_chunk(
    writer: &LineWriter,
    chunk: &[Line],
    buffers: &mut [Vec<u8>],
    write_reports: bool,
    wants: &Wants,
) -> Vec<Summary> {
    for b in buffers.iter_mut() {
        b.clear();
    }
    let pack = writer.pack();
    let slots = buffers.len();
    let per = chunk.len().div_ceil(slots).max(1);
    let run_slice = |lines: &[Line], buffer: &mut Vec<u8>| {
        let mut summary = Summary::new(pack);
        for line in lines {
            let out = write_reports.then_some(&mut *buffer);
            assess_line(writer, line, &mut summary, out, wants);
        }
        summary
    };
    if buffers.len() == 1 || chunk.len() < 64 {
        let mut summaries = vec![run_slice(chunk, &mut buffers[0])];
        summaries.resize_with(buffers.len(), || Summary::new(pack));
        return summaries;
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunk
            .chunks(per)
            .zip(buffers.iter_mut())
            .map(|(lines, buffer)| scope.spawn(move || run_slice(lines, buffer)))
            .collect();
        let mut summaries: Vec<Summary> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Summary::new(pack)))
            .collect();
        summaries.resize_with(slots, || Summary::new(pack));
        summaries
    })
}

fn progress_bar(input_len: Option<u64>) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    match input_len {
        Some(len) => ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
            .with_style(
                ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {pos} lines {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    }
}

/// Whether a progress bar belongs on stderr: only when the reports go to a
/// file and a person is watching stderr.
pub fn want_progress(output: Option<&Path>) -> bool {
    output.is_some() && io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str) -> Vec<(u64, String)> {
        let mut chunker = Chunker::new(io::Cursor::new(input.as_bytes().to_vec()));
        let mut all = Vec::new();
        loop {
            let mut chunk = Vec::new();
            chunker.next_chunk(&mut chunk).expect("reads");
            if chunk.is_empty() {
                break;
            }
            all.extend(
                chunk
                    .into_iter()
                    .map(|l| (l.number, String::from_utf8_lossy(&l.bytes).into_owned())),
            );
        }
        all
    }

    #[test]
    fn chunker_numbers_physical_lines_and_skips_blank_ones() {
        assert_eq!(
            lines("a\r\n\n  \r\nb\nc"),
            vec![(1, "a".into()), (4, "b".into()), (5, "c".into())]
        );
        assert_eq!(lines(""), vec![]);
        assert_eq!(lines("\n\n"), vec![]);
    }

    #[test]
    fn chunks_are_bounded() {
        let input = "x\n".repeat(CHUNK_LINES * 2 + 5);
        let mut chunker = Chunker::new(io::Cursor::new(input.into_bytes()));
        let mut sizes = Vec::new();
        loop {
            let mut chunk = Vec::new();
            chunker.next_chunk(&mut chunk).expect("reads");
            if chunk.is_empty() {
                break;
            }
            sizes.push(chunk.len());
            assert_eq!(
                chunk[0].number as usize,
                sizes.iter().sum::<usize>() - chunk.len() + 1
            );
        }
        assert_eq!(sizes, vec![CHUNK_LINES, CHUNK_LINES, 5]);
    }

    #[test]
    fn parallel_slices_keep_input_order() {
        let pack = crate::content::load_from(None).expect("pack");
        let locations = ["front", "inner", "outer", "back", "diffuse"];
        let chunk: Vec<Line> = (0..500)
            .map(|i| Line {
                too_long: None,
                number: i + 1,
                bytes: if i % 7 == 3 {
                    b"{\"location\": \"knee\"}".to_vec()
                } else {
                    format!("{{\"location\": \"{}\"}}", locations[i as usize % 5]).into_bytes()
                },
            })
            .collect();
        let mut serial = vec![Vec::new()];
        let writer = LineWriter::new(&pack);
        let wants = Wants {
            ids: true,
            by: Some(GroupBy::Question(
                pack.question_index("location").expect("location"),
            )),
        };
        let one = assess_chunk(&writer, &chunk, &mut serial, true, &wants);
        let mut parallel = vec![Vec::new(); 3];
        let three = assess_chunk(&writer, &chunk, &mut parallel, true, &wants);
        assert_eq!(serial[0], parallel.concat());
        let mut a = Summary::new(&pack);
        one.iter().for_each(|s| a.add(s));
        let mut b = Summary::new(&pack);
        three.iter().for_each(|s| b.add(s));
        assert_eq!(a, b);
        assert_eq!(a.ids.iter().map(Vec::len).sum::<usize>(), 429);
        assert_eq!(a.groups.values().flatten().sum::<u64>(), 429);
        assert_eq!(a.failed, 71);
        assert_eq!(a.assessed, 429);
    }
}
