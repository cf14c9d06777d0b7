//! The interactive questionnaire (`knee-triage ask`).
//!
//! The questionnaire only produces [`Answers`]; the report is then made by
//! the same code as `assess`, so the two always agree for the same answers.
//! What is asked, in what words and in what order comes from the content
//! pack. The conversation itself goes through the [`Asker`] trait: the
//! terminal implementation ([`terminal::TerminalAsker`]) draws prompts on
//! standard error, and [`ScriptedAsker`] replays answers for tests.
//!
//! # The order, and what is skipped
//!
//! 1. **Warning signs first**: one checklist of every question in the
//!    `red-flags` section. If any is ticked, the questionnaire stops at once
//!    and shows the advice for the level those answers set, with the choice
//!    to stop there (the report is given for the answers so far) or go on.
//! 2. Then every other question in pack order, each asked only if
//!    [`worth_asking`] says its answer can still change the report.
//! 3. The `training` section is one group, announced first and skippable as
//!    a whole. Every question also allows "not sure", which leaves it
//!    unanswered: an unanswered question never counts for or against
//!    anything.
//! 4. A summary of the answers, where any one can be changed, then the
//!    report.

pub mod terminal;

use std::collections::VecDeque;
use std::path::Path;

use crate::answers::{Answers, Value};
use crate::engine::{self, status};
use crate::error::Error;
use crate::model::{Cond, Pack, Section};
use crate::report::Report;

/// What the person said to one question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reply {
    Answer(Value),
    /// "Not sure": leave the question unanswered.
    DontKnow,
    /// Go back to the previous question.
    Back,
}

/// What the person chose at the start of a skippable group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupReply {
    Answer,
    Skip,
    Back,
}

/// What the person chose after a warning sign stopped the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmergencyReply {
    /// End here; the report covers the answers so far.
    Stop,
    /// Go on to the remaining questions for the full report.
    Continue,
    /// Back to the warning signs, to change an answer there.
    Back,
}

/// What the person chose at the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewReply {
    Done,
    /// Change the answer to this question.
    Change(usize),
    /// Go through the warning-sign checklist again.
    RedFlags,
}

/// One side of the conversation. Every method may return
/// [`Error::Interrupted`] (Ctrl-C, Escape, a closed terminal).
pub trait Asker {
    /// The warning-sign checklist: returns the questions ticked (a subset
    /// of `questions`). `ticked` are the ones ticked last time, if any.
    fn red_flags(
        &mut self,
        pack: &Pack,
        questions: &[usize],
        ticked: &[usize],
    ) -> Result<Vec<usize>, Error>;

    /// One question; `current` is its answer so far, if any.
    fn question(
        &mut self,
        pack: &Pack,
        q: usize,
        current: Option<Value>,
        can_go_back: bool,
    ) -> Result<Reply, Error>;

    /// Whether to answer the group of `count` questions in `section`.
    fn group(&mut self, pack: &Pack, section: Section, count: usize) -> Result<GroupReply, Error>;

    /// A warning sign was ticked: show what to do now, and ask whether to go on.
    fn emergency(&mut self, pack: &Pack, report: &Report) -> Result<EmergencyReply, Error>;

    /// The summary of the answers, with `asked` questions asked so far.
    fn review(
        &mut self,
        pack: &Pack,
        answers: &Answers,
        asked: usize,
    ) -> Result<ReviewReply, Error>;
}

/// The result of a questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub answers: Answers,
    /// Questions put to the person: the warning-sign checklist counts as
    /// one, as does the offer of the training group.
    pub asked: usize,
    /// True when the person stopped at the warning-sign advice.
    pub stopped_early: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    RedFlags,
    Emergency,
    Group,
    Question(usize),
}

/// The section asked as one skippable group.
const GROUP_SECTION: Section = Section::Training;

/// Runs the questionnaire with `asker` and returns the answers.
pub fn run(pack: &Pack, asker: &mut dyn Asker) -> Result<Outcome, Error> {
    Flow::new(pack).run(asker)
}

/// Like [`run`], with some answers already known (from a training log):
/// those questions are not asked, and the answers are kept.
pub fn run_prefilled(
    pack: &Pack,
    asker: &mut dyn Asker,
    known: &Answers,
) -> Result<Outcome, Error> {
    let mut flow = Flow::new(pack);
    flow.answers.overlay(known);
    flow.known = (0..pack.questions.len())
        .filter(|&q| known.is_answered(q))
        .collect();
    flow.run(asker)
}

struct Flow<'a> {
    pack: &'a Pack,
    answers: Answers,
    /// Steps taken, in order; `Back` undoes the last one.
    history: Vec<Step>,
    /// Answers undone by `Back`, offered again as the starting choice.
    previous: Answers,
    /// The group decision: `Some(true)` answer it, `Some(false)` skip it.
    group: Option<bool>,
    /// Questions answered before the questionnaire (a training log): never asked.
    known: Vec<usize>,
}

impl<'a> Flow<'a> {
    fn new(pack: &'a Pack) -> Flow<'a> {
        Flow {
            pack,
            answers: Answers::new(pack),
            history: Vec::new(),
            previous: Answers::new(pack),
            group: None,
            known: Vec::new(),
        }
    }

    fn red_flag_questions(&self) -> Vec<usize> {
        (0..self.pack.questions.len())
            .filter(|&q| self.pack.questions[q].section == Section::RedFlags)
            .collect()
    }

    fn visited(&self, step: Step) -> bool {
        self.history.contains(&step)
    }

    fn any_red_flag(&self) -> bool {
        self.red_flag_questions()
            .into_iter()
            .any(|q| self.answers.get(q) == Some(Value::Flag(true)))
    }

    /// The next thing to ask, or `None` when the summary is due.
    fn next_step(&self) -> Option<Step> {
        if !self.visited(Step::RedFlags) {
            return Some(Step::RedFlags);
        }
        if self.any_red_flag() && !self.visited(Step::Emergency) {
            return Some(Step::Emergency);
        }
        for (q, question) in self.pack.questions.iter().enumerate() {
            if question.section == Section::RedFlags
                || self.visited(Step::Question(q))
                || self.known.contains(&q)
            {
                continue;
            }
            if question.section == GROUP_SECTION && self.group == Some(false) {
                continue;
            }
            if !worth_asking(self.pack, q, &self.answers) {
                continue;
            }
            if question.section == GROUP_SECTION && self.group.is_none() {
                return Some(Step::Group);
            }
            return Some(Step::Question(q));
        }
        None
    }

    fn group_size(&self) -> usize {
        self.pack
            .questions
            .iter()
            .enumerate()
            .filter(|(q, question)| {
                question.section == GROUP_SECTION
                    && !self.known.contains(q)
                    && worth_asking(self.pack, *q, &self.answers)
            })
            .count()
    }

    /// Undoes the last step; false when there is nothing to undo.
    fn back(&mut self) -> bool {
        let Some(step) = self.history.pop() else {
            return false;
        };
        match step {
            Step::RedFlags => {
                for q in self.red_flag_questions() {
                    self.previous.set(q, self.answers.get(q));
                    self.answers.set(q, None);
                }
            }
            Step::Emergency => {}
            Step::Group => self.group = None,
            Step::Question(q) => {
                self.previous.set(q, self.answers.get(q));
                self.answers.set(q, None);
            }
        }
        true
    }

    fn current(&self, q: usize) -> Option<Value> {
        self.answers.get(q).or_else(|| self.previous.get(q))
    }

    fn asked(&self) -> usize {
        self.history
            .iter()
            .filter(|s| !matches!(s, Step::Emergency))
            .count()
    }

    fn run(mut self, asker: &mut dyn Asker) -> Result<Outcome, Error> {
        loop {
            let Some(step) = self.next_step() else {
                match asker.review(self.pack, &self.answers, self.asked())? {
                    ReviewReply::Done => break,
                    ReviewReply::Change(q) => {
                        self.change(asker, q)?;
                        continue;
                    }
                    ReviewReply::RedFlags => {
                        self.history
                            .retain(|s| !matches!(s, Step::RedFlags | Step::Emergency));
                        continue;
                    }
                }
            };
            let can_go_back = !self.history.is_empty();
            match step {
                Step::RedFlags => {
                    let questions = self.red_flag_questions();
                    let ticked: Vec<usize> = questions
                        .iter()
                        .copied()
                        .filter(|&q| self.current(q) == Some(Value::Flag(true)))
                        .collect();
                    let chosen = asker.red_flags(self.pack, &questions, &ticked)?;
                    for &q in &questions {
                        self.answers.set(q, Some(Value::Flag(chosen.contains(&q))));
                    }
                    self.history.push(Step::RedFlags);
                }
                Step::Emergency => {
                    let report = Report::new(self.pack, &self.answers);
                    match asker.emergency(self.pack, &report)? {
                        EmergencyReply::Stop => {
                            self.history.push(Step::Emergency);
                            return Ok(Outcome {
                                asked: self.asked(),
                                answers: self.answers,
                                stopped_early: true,
                            });
                        }
                        EmergencyReply::Continue => self.history.push(Step::Emergency),
                        EmergencyReply::Back => {
                            self.back();
                        }
                    }
                }
                Step::Group => {
                    let count = self.group_size();
                    match asker.group(self.pack, GROUP_SECTION, count)? {
                        GroupReply::Answer => {
                            self.group = Some(true);
                            self.history.push(Step::Group);
                        }
                        GroupReply::Skip => {
                            self.group = Some(false);
                            self.history.push(Step::Group);
                        }
                        GroupReply::Back => {
                            self.back();
                        }
                    }
                }
                Step::Question(q) => {
                    match asker.question(self.pack, q, self.current(q), can_go_back)? {
                        Reply::Answer(v) => {
                            self.answers.set(q, Some(v));
                            self.history.push(Step::Question(q));
                        }
                        Reply::DontKnow => {
                            self.answers.set(q, None);
                            self.previous.set(q, None);
                            self.history.push(Step::Question(q));
                        }
                        Reply::Back => {
                            self.back();
                        }
                    }
                }
            }
        }
        Ok(Outcome {
            asked: self.asked(),
            answers: self.answers,
            stopped_early: false,
        })
    }

    /// Changes one answer from the summary, then drops answers to questions
    /// that no longer apply (a mechanism once the onset is gradual), so the
    /// next round asks whatever the new answer opened up.
    fn change(&mut self, asker: &mut dyn Asker, q: usize) -> Result<(), Error> {
        match asker.question(self.pack, q, self.answers.get(q), true)? {
            Reply::Answer(v) => self.answers.set(q, Some(v)),
            Reply::DontKnow => self.answers.set(q, None),
            Reply::Back => return Ok(()),
        }
        if let Some(pos) = self.history.iter().position(|s| *s == Step::Question(q)) {
            self.history.remove(pos);
        }
        self.history.push(Step::Question(q));
        let mut changed = true;
        while changed {
            changed = false;
            for (other, question) in self.pack.questions.iter().enumerate() {
                let dead = question
                    .ask_if
                    .as_ref()
                    .is_some_and(|c| status(c, &self.answers) == Some(false));
                if dead && self.answers.is_answered(other) {
                    self.answers.set(other, None);
                    self.history.retain(|s| *s != Step::Question(other));
                    changed = true;
                }
            }
        }
        // A newly ticked warning sign gets its advice screen again.
        if self.pack.questions[q].section == Section::RedFlags {
            self.history.retain(|s| *s != Step::Emergency);
        }
        Ok(())
    }
}

/// Whether the answer to question `q` can still change the report, given
/// the other answers so far. The rule, which never skips a question that
/// could raise the triage level:
///
/// - its `ask_if` must hold or be unknown, and a required question is
///   always asked;
/// - it is asked if a triage rule more urgent than the current level reads
///   it and has not yet been ruled out;
/// - or a scoring rule that reads it, and is not ruled out, belongs to a
///   cause still in play: one whose rules not yet ruled out could still add
///   up to `possible`;
/// - or an advice item that reads it is not ruled out.
///
/// So the tender-spot question is asked while it separates causes still in
/// play or could raise the level (a bone-point tenderness is urgent), and
/// skipped once the location rules out every cause it speaks to and the
/// level is already urgent.
pub fn worth_asking(pack: &Pack, q: usize, answers: &Answers) -> bool {
    let mut others = answers.clone();
    others.set(q, None);
    if !engine::should_ask(pack, q, &others) {
        return false;
    }
    if pack.questions[q].required {
        return true;
    }
    let open = |cond: &Cond| reads(cond, q) && status(cond, &others) != Some(false);
    let level = engine::assess(pack, &others).level;
    if pack.triage.iter().any(|r| r.level > level && open(&r.when)) {
        return true;
    }
    for cause in &pack.causes {
        if cause.rules.iter().any(|r| open(&r.when)) && in_play(cause, &others) {
            return true;
        }
    }
    pack.advice
        .iter()
        .any(|a| a.when.as_ref().is_some_and(&open))
}

/// Whether a cause can still reach `possible`: the best points its rules
/// not yet ruled out could add up to (one per group).
fn in_play(cause: &crate::model::Cause, answers: &Answers) -> bool {
    let mut best_in_group: Vec<(usize, i32)> = Vec::new();
    let mut total = 0;
    for rule in &cause.rules {
        if rule.points <= 0 || status(&rule.when, answers) == Some(false) {
            continue;
        }
        match rule.group {
            Some(g) => match best_in_group.iter_mut().find(|(group, _)| *group == g) {
                Some((_, best)) => *best = (*best).max(rule.points),
                None => best_in_group.push((g, rule.points)),
            },
            None => total += rule.points,
        }
    }
    total += best_in_group.iter().map(|(_, p)| p).sum::<i32>();
    total >= cause.possible_at
}

/// Whether a condition reads question `q`.
fn reads(cond: &Cond, q: usize) -> bool {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().any(|p| reads(p, q)),
        Cond::Not(inner) => reads(inner, q),
        Cond::OneOf { q: x, .. }
        | Cond::Flag { q: x, .. }
        | Cond::Range { q: x, .. }
        | Cond::HasAny { q: x, .. }
        | Cond::HasAll { q: x, .. }
        | Cond::HasNone { q: x, .. }
        | Cond::Answered { q: x, .. } => *x == q,
        Cond::Triage { .. } | Cond::CauseIs { .. } => false,
    }
}

/// What `ask` says when there is no terminal to ask on.
pub const NO_TERMINAL: &str = "the questionnaire needs a terminal, and standard input is not one; \
     pass answers with `knee-triage assess --location ... ` flags or `--answers FILE` (`--answers -` reads JSON from stdin)";

/// Asks the questions on the terminal (prompts on standard error), saves
/// the answers to `save` if given, and returns them for the report.
/// The caller has checked that standard input is a terminal.
pub fn run_terminal(pack: &Pack, color: bool, save_to: Option<&Path>) -> Result<Answers, Error> {
    run_terminal_prefilled(pack, color, save_to, &Answers::new(pack))
}

/// [`run_terminal`] with answers already known (`ask --training`): their
/// questions are skipped, and the answers are in the result.
pub fn run_terminal_prefilled(
    pack: &Pack,
    color: bool,
    save_to: Option<&Path>,
    known: &Answers,
) -> Result<Answers, Error> {
    exit_on_hangup();
    let asking = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    watch_terminal(asking.clone());
    let mut asker = terminal::TerminalAsker::new(color);
    let outcome = run_prefilled(pack, &mut asker, known);
    asking.store(false, std::sync::atomic::Ordering::SeqCst);
    let outcome = outcome?;
    let mut note = format!(
        "\n{} question{} asked.",
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
    let note = format!("\n{}\n", crate::render::wrap(note.trim(), 0, 80));
    let mut err = std::io::stderr().lock();
    let _ = std::io::Write::write_all(&mut err, note.as_bytes());
    Ok(outcome.answers)
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
    crate::output::write_atomic(path, answers.to_toml(pack).as_bytes()).map_err(|source| {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Replays answers, for tests and for measuring the questionnaire: each
/// question gets its answer from the script, or "not sure" when the script
/// has none. `overrides` are replies given first, in order, to the named
/// questions (to test going back); `changes` are made at the summary.
#[derive(Debug, Clone)]
pub struct ScriptedAsker {
    pub answers: Answers,
    /// Go on after the warning-sign advice (else stop there).
    pub continue_after_emergency: bool,
    pub overrides: VecDeque<(usize, Reply)>,
    pub changes: VecDeque<(usize, Value)>,
    /// The ids of the questions asked, in order (`red-flags`, `group`,
    /// `emergency` and `review` for the other screens).
    pub log: Vec<String>,
}

impl ScriptedAsker {
    pub fn new(answers: Answers) -> ScriptedAsker {
        ScriptedAsker {
            answers,
            continue_after_emergency: true,
            overrides: VecDeque::new(),
            changes: VecDeque::new(),
            log: Vec::new(),
        }
    }
}

impl Asker for ScriptedAsker {
    fn red_flags(
        &mut self,
        _pack: &Pack,
        questions: &[usize],
        _ticked: &[usize],
    ) -> Result<Vec<usize>, Error> {
        self.log.push("red-flags".into());
        Ok(questions
            .iter()
            .copied()
            .filter(|&q| self.answers.get(q) == Some(Value::Flag(true)))
            .collect())
    }

    fn question(
        &mut self,
        pack: &Pack,
        q: usize,
        _current: Option<Value>,
        _can_go_back: bool,
    ) -> Result<Reply, Error> {
        self.log.push(pack.questions[q].id.clone());
        if self.overrides.front().is_some_and(|(oq, _)| *oq == q)
            && let Some((_, reply)) = self.overrides.pop_front()
        {
            return Ok(reply);
        }
        Ok(match self.answers.get(q) {
            Some(v) => Reply::Answer(v),
            None => Reply::DontKnow,
        })
    }

    fn group(&mut self, pack: &Pack, section: Section, _count: usize) -> Result<GroupReply, Error> {
        self.log.push("group".into());
        let any = pack
            .questions
            .iter()
            .enumerate()
            .any(|(q, question)| question.section == section && self.answers.is_answered(q));
        Ok(if any {
            GroupReply::Answer
        } else {
            GroupReply::Skip
        })
    }

    fn emergency(&mut self, _pack: &Pack, _report: &Report) -> Result<EmergencyReply, Error> {
        self.log.push("emergency".into());
        Ok(if self.continue_after_emergency {
            EmergencyReply::Continue
        } else {
            EmergencyReply::Stop
        })
    }

    fn review(
        &mut self,
        _pack: &Pack,
        _answers: &Answers,
        _asked: usize,
    ) -> Result<ReviewReply, Error> {
        self.log.push("review".into());
        Ok(match self.changes.pop_front() {
            Some((q, v)) => {
                self.overrides.push_front((q, Reply::Answer(v)));
                ReviewReply::Change(q)
            }
            None => ReviewReply::Done,
        })
    }
}

#[cfg(test)]
mod tests;
