//! A scripted [`Asker`]: replays answers for tests and for measuring the
//! questionnaire without a terminal.

use std::collections::VecDeque;

use crate::answers::{Answers, Value};
use crate::error::Error;
use crate::model::{Pack, QuestionKind, Who};

use super::*;

/// Replays answers, for tests and for measuring the questionnaire: each
/// question gets its answer from the script; when the script has none, a
/// yes/no question gets "no" (as on a checklist) and any other "not sure". `overrides` are replies given first, in order, to the named
/// questions (to test going back); `changes` are made at the summary.
#[derive(Debug, Clone)]
pub struct ScriptedAsker {
    pub answers: Answers,
    /// Go on after the warning-sign advice (else stop there).
    pub continue_after_emergency: bool,
    pub overrides: VecDeque<(usize, Reply)>,
    pub changes: VecDeque<(usize, Value)>,
    /// The ids of the questions asked, in order (`red-flags`, `emergency`
    /// and `review` for the other screens; `skip-group` after the question
    /// whose screen skipped the group).
    pub log: Vec<String>,
    /// What each question was offered as its starting choice, in order.
    pub offered: Vec<(usize, Option<Reply>)>,
    /// Who the answers are about, said on the first screen.
    pub who: Answering,
    /// What each screen offered, in order (questions only).
    pub offers: Vec<(usize, Offer)>,
    /// For each warning-sign screen, whether "None of these" came ticked.
    pub none_ticked: Vec<bool>,
}

impl ScriptedAsker {
    /// A story with no answer in the group of question `q` skips it.
    fn skips_group(&self, pack: &Pack, q: usize) -> bool {
        let section = pack.questions[q].section;
        !pack
            .questions
            .iter()
            .enumerate()
            .any(|(x, question)| question.section == section && self.answers.is_answered(x))
    }

    pub fn new(answers: Answers) -> ScriptedAsker {
        ScriptedAsker {
            answers,
            continue_after_emergency: true,
            overrides: VecDeque::new(),
            changes: VecDeque::new(),
            log: Vec::new(),
            offered: Vec::new(),
            who: Answering::Myself,
            offers: Vec::new(),
            none_ticked: Vec::new(),
        }
    }
}

impl Asker for ScriptedAsker {
    fn who(&mut self, _pack: &Pack, _who: &Who) -> Result<Answering, Error> {
        self.log.push("who".into());
        Ok(self.who)
    }

    fn red_flags(
        &mut self,
        _pack: &Pack,
        questions: &[usize],
        _ticked: &[usize],
        none: bool,
    ) -> Result<Vec<usize>, Error> {
        self.log.push("red-flags".into());
        self.none_ticked.push(none);
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
        current: Option<Reply>,
        offer: Offer,
        _answers: &Answers,
    ) -> Result<Reply, Error> {
        self.log.push(pack.questions[q].id.clone());
        self.offered.push((q, current));
        self.offers.push((q, offer));
        if self.overrides.front().is_some_and(|(oq, _)| *oq == q)
            && let Some((_, reply)) = self.overrides.pop_front()
        {
            if reply == Reply::SkipGroup {
                self.log.push("skip-group".into());
            }
            return Ok(reply);
        }
        if offer.skip_group.is_some() && self.skips_group(pack, q) {
            self.log.push("skip-group".into());
            return Ok(Reply::SkipGroup);
        }
        // A story silent on a yes/no question means "no", as on a checklist.
        Ok(match self.answers.get(q) {
            Some(v) => Reply::Answer(v),
            None if pack.questions[q].kind == QuestionKind::Bool => {
                Reply::Answer(Value::Flag(false))
            }
            None => Reply::DontKnow,
        })
    }

    fn checklist(
        &mut self,
        pack: &Pack,
        questions: &[usize],
        _ticked: &[usize],
        _unsure: bool,
        offer: Offer,
    ) -> Result<ChecklistReply, Error> {
        let ids: Vec<&str> = questions
            .iter()
            .map(|&q| pack.questions[q].id.as_str())
            .collect();
        self.log.push(format!("checklist:{}", ids.join(",")));
        if let Some(&q) = questions.first()
            && self.overrides.front().is_some_and(|(oq, _)| *oq == q)
            && let Some((_, reply)) = self.overrides.pop_front()
        {
            return Ok(match reply {
                Reply::Back => ChecklistReply::Back,
                Reply::DontKnow => ChecklistReply::DontKnow,
                Reply::SkipGroup => ChecklistReply::SkipGroup,
                Reply::Answer(_) => ChecklistReply::Ticked(Vec::new()),
            });
        }
        if let Some(&q) = questions.first()
            && offer.skip_group.is_some()
            && self.skips_group(pack, q)
        {
            self.log.push("skip-group".into());
            return Ok(ChecklistReply::SkipGroup);
        }
        Ok(ChecklistReply::Ticked(
            questions
                .iter()
                .copied()
                .filter(|&q| self.answers.get(q) == Some(Value::Flag(true)))
                .collect(),
        ))
    }

    fn emergency(
        &mut self,
        _pack: &Pack,
        _report: &Report,
        can_continue: bool,
    ) -> Result<EmergencyReply, Error> {
        self.log.push("emergency".into());
        Ok(if self.continue_after_emergency && can_continue {
            EmergencyReply::Continue
        } else {
            EmergencyReply::Stop
        })
    }

    fn review(
        &mut self,
        _pack: &Pack,
        _answers: &Answers,
        _unsure: &[usize],
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
