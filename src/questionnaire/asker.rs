//! The questionnaire's side of the conversation: what each screen offers
//! and what the person can say back, and the [`Asker`] that puts the
//! screens (on a terminal, or scripted for tests).

use crate::answers::{Answers, Value};
use crate::error::Error;
use crate::model::{Pack, Who};
use crate::report::Report;

use super::Answering;

/// What the person said to one question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reply {
    Answer(Value),
    /// "Not sure": leave the question unanswered.
    DontKnow,
    /// Go back to the previous question.
    Back,
    /// Skip this question and the rest of its group.
    SkipGroup,
}

/// What a screen offers besides the answers to its question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offer {
    /// "← Back" to the previous screen.
    pub back: bool,
    /// The first question of a skippable group, with how many questions
    /// the group still has: the screen introduces the group.
    pub skip_group: Option<usize>,
    /// A question of the skippable group: the screen offers to skip the
    /// rest of it (every question of the group, not only the first).
    pub skip: bool,
    /// Where the cursor starts when the question has no answer yet: the
    /// first option that does not raise the level (`None`: on "not sure").
    /// An alarming answer is never one Enter away.
    pub calm: Option<usize>,
}

/// What the person said to a checklist of yes/no questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecklistReply {
    /// These are true; every other one on the list is not.
    Ticked(Vec<usize>),
    /// "Not sure": leave them all unanswered.
    DontKnow,
    Back,
    /// Skip these and the rest of their group.
    SkipGroup,
}

/// What the person chose after a warning sign stopped the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmergencyReply {
    /// End here; the report covers the answers so far.
    Stop,
    /// Go on to the remaining questions for the full report.
    Continue,
    /// Back to the previous question, to change an answer there.
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
    /// Who the answers are about, asked before anything else; every later
    /// screen is worded for that person.
    fn who(&mut self, pack: &Pack, who: &Who) -> Result<Answering, Error>;

    /// The warning-sign checklist: returns the questions ticked (a subset
    /// of `questions`). `ticked` are the ones ticked last time, if any;
    /// `none` is true when "None of these" was the answer last time.
    fn red_flags(
        &mut self,
        pack: &Pack,
        questions: &[usize],
        ticked: &[usize],
        none: bool,
    ) -> Result<Vec<usize>, Error>;

    /// One question; `current` is what was said to it last time, if
    /// anything (an answer, or "not sure" as [`Reply::DontKnow`]);
    /// `answers` are the answers so far (the drawing marks the place).
    fn question(
        &mut self,
        pack: &Pack,
        q: usize,
        current: Option<Reply>,
        offer: Offer,
        answers: &Answers,
    ) -> Result<Reply, Error>;

    /// Several yes/no questions on one screen: returns the ones ticked
    /// (true); the others are false. `ticked` were ticked last time;
    /// `unsure` is true when it was answered "not sure" last time.
    fn checklist(
        &mut self,
        pack: &Pack,
        questions: &[usize],
        ticked: &[usize],
        unsure: bool,
        offer: Offer,
    ) -> Result<ChecklistReply, Error>;

    /// A warning sign was ticked, or the answers make it an emergency: show
    /// what to do now, and ask whether to go on (`can_continue` is false
    /// when no remaining question could change the level).
    fn emergency(
        &mut self,
        pack: &Pack,
        report: &Report,
        can_continue: bool,
    ) -> Result<EmergencyReply, Error>;

    /// The summary of the answers, with `asked` questions asked so far;
    /// `unsure` are the questions answered "not sure".
    fn review(
        &mut self,
        pack: &Pack,
        answers: &Answers,
        unsure: &[usize],
        asked: usize,
    ) -> Result<ReviewReply, Error>;
}
