//! The interactive questionnaire (`knee-triage ask`).
//!
//! The questionnaire only produces [`Answers`]; the report is then made by
//! the same code as `assess`, so the two always agree for the same answers.
//! What is asked and in what words comes from the content pack; the order
//! comes from the engine (see [`impact`]). The conversation itself goes
//! through the [`Asker`] trait: the terminal implementation
//! (`cli::terminal::TerminalAsker`, a front end) draws prompts on standard error, and
//! [`ScriptedAsker`] replays answers for tests.
//!
//! # The order, and what is skipped
//!
//! 1. **Warning signs first**: one checklist of every question in the
//!    `red-flags` section. If any is ticked, the questions that could still
//!    raise the level come next (swelling after a fever), and only then the
//!    advice for the level the answers set, with the choice to stop there.
//!    The moment any answer makes the level an emergency, that advice comes
//!    at once; going on from an emergency only asks what could still change
//!    the level.
//! 2. Then, one at a time, the question that can most change the outcome:
//!    the level first, then the top three causes. A question that could
//!    raise the level is never skipped; the questions stop once no answer to
//!    any remaining one can change the level or the top three causes.
//! 3. The `training` section is one group, skippable as a whole: its first
//!    question, when due, says how many there are and offers to skip them
//!    all (one screen, not an extra "answer them?" question). Every question also allows "not
//!    sure", which leaves it unanswered: an unanswered question never counts
//!    for or against anything.
//! 4. A summary of the answers ("not sure" ones included), where any one can
//!    be changed, then the report.

mod asker;
pub mod impact;
mod scripted;
mod wording;

use crate::answers::{Answers, Value};
use crate::engine::{self, status};
use crate::error::Error;
use crate::model::{Level, Pack, QuestionKind, Section};
use crate::report::Report;

use impact::{Domains, Impact};

/// The result of a questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub answers: Answers,
    /// Screens of questions put to the person: a checklist counts as one.
    pub asked: usize,
    /// True when the person stopped at the warning-sign advice.
    pub stopped_early: bool,
}

/// A questionnaire that ended before the report (Escape, Ctrl-C), with the
/// answers given until then.
#[derive(Debug)]
pub struct Unfinished {
    pub error: Error,
    pub answers: Answers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    RedFlags,
    /// The warning-sign advice, shown at this level.
    Emergency(Level),
    /// The training group skipped from its first question's screen.
    Group,
    Question(usize),
    /// The yes/no questions in the mask, on one screen.
    Checklist(u64),
}

/// The section asked as one skippable group.
const GROUP_SECTION: Section = Section::Training;

/// Runs the questionnaire with `asker` and returns the answers.
pub fn run(pack: &Pack, asker: &mut dyn Asker) -> Result<Outcome, Error> {
    run_from(pack, Answers::new(pack), asker).map_err(|u| u.error)
}

/// Runs the questionnaire starting from `start` (saved answers): only what
/// is missing is asked. On an interrupt, returns the answers so far.
pub fn run_from(
    pack: &Pack,
    start: Answers,
    asker: &mut dyn Asker,
) -> Result<Outcome, Box<Unfinished>> {
    run_also(pack, start, asker, &|_| Vec::new())
}

/// The questions a caller wants besides the report's, given the answers
/// so far: `ask --plan` asks `cleared_to_run` when a clearance is what
/// decides whether there is a plan. The questionnaire knows nothing of
/// plans; it asks these last, before the summary, each at most once.
pub type Also<'a> = &'a dyn Fn(&Answers) -> Vec<usize>;

/// Like [`run_from`], then asks the questions `also` names (see [`Also`]).
pub fn run_also(
    pack: &Pack,
    start: Answers,
    asker: &mut dyn Asker,
    also: Also<'_>,
) -> Result<Outcome, Box<Unfinished>> {
    let mut flow = Flow::new(pack, start, also);
    match flow.run(asker) {
        Ok(outcome) => Ok(outcome),
        Err(error) => Err(Box::new(Unfinished {
            error,
            answers: flow.answers,
        })),
    }
}

/// Like [`run`], with some answers already known (from a training log):
/// those questions are not asked, and the answers are kept.
pub fn run_prefilled(
    pack: &Pack,
    asker: &mut dyn Asker,
    known: &Answers,
) -> Result<Outcome, Error> {
    run_from(pack, known.clone(), asker).map_err(|u| u.error)
}

struct Flow<'a> {
    pack: &'a Pack,
    domains: Domains,
    answers: Answers,
    /// Steps taken, in order; `Back` undoes the last one.
    history: Vec<Step>,
    /// Answers undone by `Back`, offered again as the starting choice.
    previous: Answers,
    /// Questions answered "not sure" (kept through `Back`, as `previous`).
    unsure: Vec<bool>,
    /// The group decision: `Some(true)` answer it, `Some(false)` skip it.
    group: Option<bool>,
    /// The step `Back` returned to, asked next.
    pending: Option<Step>,
    /// Every warning sign was answered before the questionnaire started.
    red_flags_given: bool,
    /// Who the answers are about (asked first, when the pack says how).
    who: Answering,
    /// The caller's questions, asked once the report's are done.
    also: Also<'a>,
}

impl<'a> Flow<'a> {
    fn new(pack: &'a Pack, start: Answers, also: Also<'a>) -> Flow<'a> {
        let red_flags_given = (0..pack.questions.len())
            .filter(|&q| pack.questions[q].section == Section::RedFlags)
            .all(|q| start.is_answered(q));
        Flow {
            pack,
            domains: Domains::new(pack),
            answers: start,
            history: Vec::new(),
            previous: Answers::new(pack),
            unsure: vec![false; pack.questions.len()],
            group: None,
            pending: None,
            red_flags_given,
            who: Answering::Myself,
            also,
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

    /// The highest level the warning-sign advice was shown at.
    fn shown_level(&self) -> Option<Level> {
        self.history
            .iter()
            .filter_map(|s| match s {
                Step::Emergency(l) => Some(*l),
                _ => None,
            })
            .max()
    }

    /// The questions the pack asks first for this person, in order.
    fn first(&self) -> &[usize] {
        match self.who {
            Answering::Myself => &self.pack.opening.first,
            Answering::Child => &self.pack.opening.child_first,
        }
    }

    /// The unasked question that can most change the outcome among those
    /// `wanted` accepts, as the step that asks it (the group offer first
    /// for a question of the group). The pack's `first` questions come
    /// before the rest, in its order.
    fn best(&self, wanted: impl Fn(usize, &Impact) -> bool) -> Option<Step> {
        let first = self.first();
        let open = |q: usize| {
            let question = &self.pack.questions[q];
            !(question.section == Section::RedFlags
                || self.answers.is_answered(q)
                || self.was_asked(q)
                || (question.section == GROUP_SECTION && self.group == Some(false)))
        };
        // A question that follows another is asked only once that one is
        // answered: the one it follows is worth asking as much as it is
        // (how it started, for what happened at that moment).
        let mut unlocks: Vec<Option<(u32, u32)>> = vec![None; self.pack.questions.len()];
        for (d, question) in self.pack.questions.iter().enumerate() {
            let Some(cond) = &question.ask_if else {
                continue;
            };
            if !open(d) || status(cond, &self.answers).is_some() {
                continue;
            }
            let imp = impact::impact(self.pack, &self.domains, d, &self.answers);
            if !wanted(d, &imp) {
                continue;
            }
            for (p, slot) in unlocks.iter_mut().enumerate() {
                if p != d && open(p) && impact::reads(cond, p) {
                    *slot = (*slot).max(Some(imp.rank()));
                }
            }
        }
        let mut best: Option<((usize, u32, u32), usize)> = None;
        let mut yes_no = Vec::new();
        for (q, question) in self.pack.questions.iter().enumerate() {
            if !open(q) || !due(self.pack, q, &self.answers) {
                continue;
            }
            let imp = impact::impact(self.pack, &self.domains, q, &self.answers);
            let rank = match unlocks[q] {
                Some(r) => r.max(imp.rank()),
                None if wanted(q, &imp) => imp.rank(),
                None => continue,
            };
            if question.kind == QuestionKind::Bool && q < 64 {
                yes_no.push((rank, q));
            }
            // Listed first beats not listed; ties go to the pack's order.
            let place = first
                .iter()
                .position(|&f| f == q)
                .map_or(0, |p| first.len() - p);
            let key = (place, rank.0, rank.1);
            if best.is_none_or(|(k, _)| key > k) {
                best = Some((key, q));
            }
        }
        let (_, q) = best?;
        // The most telling question is a yes/no one: the yes/no questions
        // still worth asking (of the group, or outside it) go on one
        // checklist, the most telling first, as many as fit on a screen.
        if self.pack.questions[q].kind == QuestionKind::Bool {
            let group = |x: usize| self.pack.questions[x].section == GROUP_SECTION;
            let mut others: Vec<((u32, u32), usize)> = yes_no
                .into_iter()
                .filter(|&(_, x)| x != q && group(x) == group(q))
                .collect();
            // Most telling first; ties in the pack's order.
            others.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let rows =
                |x: usize| checklist_rows(&checklist_line(&self.pack.questions[x], self.who));
            let mut used = rows(q);
            let mut mask = if q < 64 { 1u64 << q } else { 0 };
            for (_, x) in others {
                let r = rows(x);
                if used + r <= CHECKLIST_ROWS {
                    used += r;
                    mask |= 1 << x;
                }
            }
            if mask.count_ones() >= 2 {
                return Some(Step::Checklist(mask));
            }
        }
        Some(Step::Question(q))
    }

    /// Where the cursor starts on an enum question with no answer: the
    /// first option that keeps the level where it is without an answer
    /// and that no urgent or emergency rule asks for; failing that, the
    /// first that keeps the level. An option such a rule asks for is an
    /// alarming answer even where, with the answers so far, it does not
    /// fire: "within about two hours of an injury" after a gradual onset
    /// no longer raises the level (contract v3 reads `rapid` as an injury
    /// only with one), but it must not be what Enter picks (issue 21).
    fn calm(&self, q: usize) -> Option<usize> {
        let question = &self.pack.questions[q];
        if question.kind != QuestionKind::Enum {
            return None;
        }
        let alarming = |i: usize| {
            engine::prechecks(self.pack).warnings.iter().any(|probe| {
                probe.q == q
                    && probe
                        .values
                        .contains(&crate::model::ProbeValue::Choice(i as u8))
            })
        };
        let mut trial = self.answers.clone();
        trial.set(q, None);
        let base = engine::assess(self.pack, &trial).level;
        let keeps: Vec<usize> = (0..question.options.len())
            .filter(|&i| {
                trial.set(q, Some(Value::Choice(i as u8)));
                engine::assess(self.pack, &trial).level <= base
            })
            .collect();
        keeps
            .iter()
            .copied()
            .find(|&i| !alarming(i))
            .or_else(|| keeps.first().copied())
    }

    /// Whether question `q` was put to the person, alone or on a checklist.
    fn was_asked(&self, q: usize) -> bool {
        self.history.iter().any(|s| match s {
            Step::Question(x) => *x == q,
            Step::Checklist(mask) => q < 64 && mask & (1 << q) != 0,
            _ => false,
        })
    }

    /// Whether any remaining question could change the level.
    fn level_can_change(&self) -> bool {
        self.best(|_, imp| imp.for_level()).is_some()
    }

    /// The next thing to ask, or `None` when the summary is due.
    fn next_step(&self) -> Option<Step> {
        if let Some(step) = self.pending {
            return Some(step);
        }
        if !self.red_flags_given && !self.visited(Step::RedFlags) {
            return Some(Step::RedFlags);
        }
        let level = engine::assess(self.pack, &self.answers).level;
        // A warning sign, or any answer that makes it urgent or worse
        // (a child's limp, pain on hopping after a jump in distance),
        // gets the same screen: what to do now, and whether to go on.
        let warned = self.any_red_flag() || level >= Level::Urgent;
        if warned && self.shown_level().is_none_or(|shown| shown < level) {
            // The questions that could still raise the level come before
            // the offer to stop, which must not be at too low a level.
            if level < Level::Emergency
                && let Some(step) = self.best(|_, imp| imp.raise > 0)
            {
                return Some(step);
            }
            return Some(Step::Emergency(level));
        }
        if level == Level::Emergency {
            // Nothing but what could still change the level: no hopping,
            // pressing or training questions in an emergency.
            return self.best(|_, imp| imp.for_level());
        }
        self.best(|q, imp| self.pack.questions[q].required || imp.matters())
            .or_else(|| {
                (self.also)(&self.answers)
                    .into_iter()
                    .find(|&q| !self.answers.is_answered(q) && !self.was_asked(q))
                    .map(Step::Question)
            })
    }

    fn group_size(&self) -> usize {
        let level = engine::assess(self.pack, &self.answers).level;
        self.pack
            .questions
            .iter()
            .enumerate()
            .filter(|(q, question)| {
                question.section == GROUP_SECTION
                    && !self.answers.is_answered(*q)
                    && due(self.pack, *q, &self.answers)
                    && {
                        let imp = impact::impact(self.pack, &self.domains, *q, &self.answers);
                        if level == Level::Emergency {
                            imp.for_level()
                        } else {
                            imp.matters()
                        }
                    }
            })
            .count()
    }

    /// Undoes the last step, which is asked next; false when there is
    /// nothing to undo.
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
            Step::Emergency(_) => {}
            // Back to the screen the rest of the group was skipped from:
            // the group is being answered again if it was begun.
            Step::Group => {
                let begun = self.history.iter().any(|&s| self.in_group(s));
                self.group = begun.then_some(true);
            }
            Step::Question(q) => {
                self.previous.set(q, self.answers.get(q));
                self.answers.set(q, None);
            }
            Step::Checklist(mask) => {
                for q in bits(mask) {
                    self.previous.set(q, self.answers.get(q));
                    self.answers.set(q, None);
                }
            }
        }
        // Back to the group's first screen: it offers the skip again.
        if self.group == Some(true) && !self.history.iter().any(|&s| self.in_group(s)) {
            self.group = None;
        }
        // A skipped group has no screen of its own: its first question,
        // with the offer to skip, comes next.
        self.pending = (step != Step::Group).then_some(step);
        true
    }

    /// Whether a step asks questions of the skippable group.
    fn in_group(&self, step: Step) -> bool {
        let group = |q: usize| self.pack.questions[q].section == GROUP_SECTION;
        match step {
            Step::Question(q) => group(q),
            Step::Checklist(mask) => bits(mask).any(group),
            _ => false,
        }
    }

    /// What a step's screen offers: Back after the first screen, and the
    /// skip on the first screen of the group.
    fn offer(&self, step: Step) -> Offer {
        let in_group = self.in_group(step);
        Offer {
            back: !self.history.is_empty(),
            skip_group: (self.group.is_none() && in_group).then(|| self.group_size()),
            skip: in_group && self.group != Some(false),
            calm: match step {
                Step::Question(q) => self.calm(q),
                _ => None,
            },
        }
    }

    /// The group was skipped from the screen of `step`.
    fn skip_group(&mut self) {
        self.group = Some(false);
        self.history.push(Step::Group);
    }

    /// A step of the group was answered: the rest of the group follows.
    fn enter_group(&mut self, step: Step) {
        if self.in_group(step) {
            self.group = Some(true);
        }
    }

    fn current(&self, q: usize) -> Option<Reply> {
        match self.answers.get(q).or_else(|| self.previous.get(q)) {
            Some(v) => Some(Reply::Answer(v)),
            None if self.unsure[q] => Some(Reply::DontKnow),
            None => None,
        }
    }

    fn asked(&self) -> usize {
        self.history
            .iter()
            .filter(|s| !matches!(s, Step::Emergency(_)))
            .count()
    }

    /// The questions answered "not sure", for the summary.
    fn unsure_list(&self) -> Vec<usize> {
        (0..self.pack.questions.len())
            .filter(|&q| self.unsure[q] && !self.answers.is_answered(q) && self.was_asked(q))
            .collect()
    }

    fn outcome(&self, stopped_early: bool) -> Outcome {
        let mut answers = self.answers.clone();
        answers.set_for_child(self.who == Answering::Child);
        Outcome {
            asked: self.asked(),
            answers,
            stopped_early,
        }
    }

    fn run(&mut self, asker: &mut dyn Asker) -> Result<Outcome, Error> {
        if let Some(who) = &self.pack.opening.who {
            self.who = asker.who(self.pack, who)?;
        }
        loop {
            let Some(step) = self.next_step() else {
                let unsure = self.unsure_list();
                match asker.review(self.pack, &self.answers, &unsure, self.asked())? {
                    ReviewReply::Done => break,
                    ReviewReply::Change(q) => {
                        self.change(asker, q)?;
                        continue;
                    }
                    ReviewReply::RedFlags => {
                        self.red_flags_given = false;
                        self.history
                            .retain(|s| !matches!(s, Step::RedFlags | Step::Emergency(_)));
                        continue;
                    }
                }
            };
            self.pending = None;
            let offer = self.offer(step);
            match step {
                Step::RedFlags => {
                    let questions = self.red_flag_questions();
                    let ticked: Vec<usize> = questions
                        .iter()
                        .copied()
                        .filter(|&q| {
                            self.answers.get(q).or_else(|| self.previous.get(q))
                                == Some(Value::Flag(true))
                        })
                        .collect();
                    // "None of these" last time comes back ticked too.
                    let none = questions.iter().all(|&q| {
                        self.answers.get(q).or_else(|| self.previous.get(q))
                            == Some(Value::Flag(false))
                    });
                    let chosen = asker.red_flags(self.pack, &questions, &ticked, none)?;
                    for &q in &questions {
                        self.answers.set(q, Some(Value::Flag(chosen.contains(&q))));
                    }
                    self.history.push(Step::RedFlags);
                }
                Step::Emergency(level) => {
                    let report = Report::new(self.pack, &self.answers);
                    let can_continue = level < Level::Emergency || self.level_can_change();
                    match asker.emergency(self.pack, &report, can_continue)? {
                        EmergencyReply::Stop => {
                            self.history.push(Step::Emergency(level));
                            return Ok(self.outcome(true));
                        }
                        EmergencyReply::Continue if can_continue => {
                            self.history.push(Step::Emergency(level))
                        }
                        EmergencyReply::Continue => {
                            self.history.push(Step::Emergency(level));
                            return Ok(self.outcome(true));
                        }
                        EmergencyReply::Back => {
                            if !self.back() {
                                self.pending = Some(step);
                            }
                        }
                    }
                }
                // Never pending: a skipped group is undone, not asked again.
                Step::Group => {}
                Step::Checklist(mask) => {
                    let questions: Vec<usize> = bits(mask).collect();
                    let ticked: Vec<usize> = questions
                        .iter()
                        .copied()
                        .filter(|&q| self.current(q) == Some(Reply::Answer(Value::Flag(true))))
                        .collect();
                    let unsure = questions
                        .iter()
                        .all(|&q| self.current(q) == Some(Reply::DontKnow));
                    match asker.checklist(self.pack, &questions, &ticked, unsure, offer)? {
                        ChecklistReply::Ticked(yes) => {
                            for &q in &questions {
                                self.answers.set(q, Some(Value::Flag(yes.contains(&q))));
                                self.unsure[q] = false;
                            }
                            self.enter_group(step);
                            self.history.push(step);
                        }
                        ChecklistReply::DontKnow => {
                            for &q in &questions {
                                self.answers.set(q, None);
                                self.previous.set(q, None);
                                self.unsure[q] = true;
                            }
                            self.enter_group(step);
                            self.history.push(step);
                        }
                        ChecklistReply::SkipGroup => self.skip_group(),
                        ChecklistReply::Back => {
                            if !self.back() {
                                self.pending = Some(step);
                            }
                        }
                    }
                }
                Step::Question(q) => {
                    match asker.question(self.pack, q, self.current(q), offer, &self.answers)? {
                        Reply::Answer(v) => {
                            self.answers.set(q, Some(v));
                            self.unsure[q] = false;
                            self.enter_group(step);
                            self.history.push(Step::Question(q));
                        }
                        Reply::DontKnow => {
                            self.answers.set(q, None);
                            self.previous.set(q, None);
                            self.unsure[q] = true;
                            self.enter_group(step);
                            self.history.push(Step::Question(q));
                        }
                        Reply::SkipGroup => self.skip_group(),
                        Reply::Back => {
                            if !self.back() {
                                self.pending = Some(step);
                            }
                        }
                    }
                }
            }
        }
        Ok(self.outcome(false))
    }

    /// Changes one answer from the summary, then drops answers to questions
    /// that no longer apply (a mechanism once the onset is gradual), so the
    /// next round asks whatever the new answer opened up.
    fn change(&mut self, asker: &mut dyn Asker, q: usize) -> Result<(), Error> {
        let offer = Offer {
            back: true,
            calm: self.calm(q),
            ..Offer::default()
        };
        match asker.question(self.pack, q, self.current(q), offer, &self.answers)? {
            Reply::Answer(v) => {
                self.answers.set(q, Some(v));
                self.unsure[q] = false;
            }
            Reply::DontKnow => {
                self.answers.set(q, None);
                self.unsure[q] = true;
            }
            Reply::Back | Reply::SkipGroup => return Ok(()),
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
            self.history.retain(|s| !matches!(s, Step::Emergency(_)));
        }
        Ok(())
    }
}

/// Whether question `q` is due: its `ask_if` holds, or cannot be known
/// (a pop "when it happened" is still asked after "not sure" how it
/// started: it can make the case urgent). A question marked `ask_if_known`
/// comes only once its `ask_if` holds for certain ("when did the swelling
/// appear?" only after a swelling, never after "not sure").
fn due(pack: &Pack, q: usize, answers: &Answers) -> bool {
    let question = &pack.questions[q];
    question
        .ask_if
        .as_ref()
        .is_none_or(|c| match status(c, answers) {
            Some(holds) => holds,
            None => !question.ask_if_known,
        })
}

/// The question indices in a mask.
fn bits(mask: u64) -> impl Iterator<Item = usize> {
    (0..64).filter(move |b| mask & (1u64 << b) != 0)
}

/// Whether the answer to question `q` can still change the level or the
/// top three causes, given the other answers so far (see [`impact`]). A
/// question that could raise the level always can; so can a required one.
pub fn worth_asking(pack: &Pack, q: usize, answers: &Answers) -> bool {
    let mut others = answers.clone();
    others.set(q, None);
    if !engine::should_ask(pack, q, &others) {
        return false;
    }
    pack.questions[q].required || impact::impact(pack, &Domains::new(pack), q, &others).matters()
}

/// What `ask` says when there is no terminal to ask on.
pub const NO_TERMINAL: &str = "the questionnaire needs a terminal, and standard input is not one; \
     pass answers with `knee-triage assess --location ... ` flags or `--answers FILE` (`--answers -` reads JSON from stdin)";

pub use asker::{Asker, ChecklistReply, EmergencyReply, Offer, Reply, ReviewReply};
pub use scripted::ScriptedAsker;
pub use wording::{
    Answering, CHECKLIST_COLUMNS, CHECKLIST_ROWS, asked_as, checklist_line, checklist_rows,
    help_for, label_for, no_for, yes_for,
};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_opening;
