//! The questionnaire on a terminal, with `inquire`: arrow keys to choose,
//! space to tick, typed numbers checked as you go. Everything is drawn on
//! standard error, so standard output carries only the report.

use inquire::list_option::ListOption;
use inquire::ui::RenderConfig;
use inquire::validator::Validation;
use inquire::{MultiSelect, Select, Text};

pub use super::prompt_text::{answer_label, stderr_width};
use super::prompt_text::{
    echo_many, echo_start, echo_wrapped, interrupted, level_sentence, one_line, say, terminal_rows,
};
use super::ticklist::TickList;
use crate::answers::{Answers, Value, format_number, parse_text};
use crate::error::Error;
use crate::model::{Category, Level, Pack, QuestionKind, Section, Who};
use crate::questionnaire::{
    Answering, Asker, ChecklistReply, EmergencyReply, Offer, Reply, ReviewReply, asked_as,
    checklist_line, help_for, label_for, yes_for,
};
use crate::render::{self, Style};
use crate::report::Report;

const NOT_SURE: &str = "Not sure / skip";
const BACK: &str = "← Back";
const NONE_OF_THESE: &str = "None of these";
const SKIP_GROUP: &str = "Skip the running questions";
/// What to type at a number to skip the group.
const SKIP_WORD: &str = "skip";
/// Columns kept free after a question for the answer echoed there.
const ECHO_ROOM: usize = 8;
/// How a "not sure" answer shows in the summary.
const NOT_SURE_SUMMARY: &str = "Not sure";

/// What was chosen on a list to tick: the lines ticked (their indices), or
/// one of the choices that go alone.
enum Ticks {
    Lines(Vec<usize>),
    NoneOfThese,
    NotSure,
    SkipGroup,
    Back,
}

/// Draws the questionnaire on standard error.
pub struct TerminalAsker {
    color: bool,
    width: usize,
    section: Option<Section>,
    who: Answering,
}

impl TerminalAsker {
    /// Prompts are prose: at most [`crate::render::width::PROSE`] columns, however
    /// wide the terminal.
    pub fn new(color: bool, width: usize) -> TerminalAsker {
        TerminalAsker {
            color,
            width: width.min(crate::render::width::PROSE),
            section: None,
            who: Answering::Myself,
        }
    }

    /// "you" or "your child", for the words around the questions.
    fn person(&self) -> &'static str {
        match self.who {
            Answering::Myself => "you",
            Answering::Child => "your child",
        }
    }

    fn config(&self) -> RenderConfig<'static> {
        if self.color {
            RenderConfig::default_colored()
        } else {
            RenderConfig::empty()
        }
    }

    fn style(&self) -> Style {
        Style {
            color: self.color,
            width: self.width,
        }
    }

    /// Prints a heading the first time a part is reached. The questions
    /// about the knee come in the order that tells most, so the injury and
    /// the symptoms share one heading.
    fn heading(&mut self, section: Section) {
        let part = match section {
            Section::Injury => Section::Symptoms,
            other => other,
        };
        if self.section == Some(part) {
            return;
        }
        self.section = Some(part);
        let title = match part {
            Section::RedFlags => "Warning signs first",
            Section::Injury | Section::Symptoms => "Your knee",
            Section::Training => "Your running",
            Section::Plan => "Your return to running",
        };
        say(&format!(
            "\n{}\n",
            self.paint("1", &format!("── {title} ──"))
        ));
    }

    /// Before the first question of the training group: how many there
    /// are, and how to skip them all (`typed` for a number question).
    fn group_intro(&self, offer: Offer, typed: bool) {
        let Some(count) = offer.skip_group else {
            return;
        };
        let whose = match self.who {
            Answering::Myself => "your",
            Answering::Child => "your child's",
        };
        let how = if typed {
            format!("type {SKIP_WORD}")
        } else {
            format!("choose \"{SKIP_GROUP}\"")
        };
        say(&render::wrap(
            &format!(
                "{} about {whose} running show what may be adding to the pain, such as distance, shoes or strength (later answers can make some unnecessary). Skipping them is fine: {how}, here or at any of them.",
                if count == 1 {
                    "One question".to_owned()
                } else {
                    format!("Up to {count} questions")
                }
            ),
            0,
            self.width,
        ));
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// A bulleted paragraph, wrapped with its continuation lines indented.
    fn bullet(&self, text: &str) -> String {
        let body = render::wrap(text, 4, self.width);
        format!("  • {}", body.get(4..).unwrap_or_default())
    }

    /// Help text wrapped at word boundaries to fit inside inquire's brackets.
    fn wrap_help(&self, text: &str) -> String {
        render::wrap(text, 0, self.width.saturating_sub(3))
            .trim_end()
            .replace('\n', "\n ")
    }

    /// An option wrapped at word boundaries to the room beside the cursor
    /// and tick box, its continuation lines indented: never cut off.
    fn fit(&self, text: &str) -> String {
        let room = self.width.saturating_sub(6).max(crate::render::width::MIN);
        crate::render::width::wrap(text, room, "", "")
            .trim_end()
            .replace('\n', "\n      ")
    }

    /// A question wrapped at word boundaries, leaving room on its last line
    /// for the answer echoed after it.
    fn wrap_prompt(&self, text: &str) -> String {
        let room = self
            .width
            .saturating_sub(2 + ECHO_ROOM)
            .max(crate::render::width::MIN);
        crate::render::width::wrap(text, room, "", "")
            .trim_end()
            .to_owned()
    }

    /// A list to tick, with the choices that go alone after its lines:
    /// "None of these", "Not sure / skip", the group's skip when offered,
    /// and Back. `start` is what is ticked when it opens; `page` the most
    /// lines shown at once when the list is taller than the terminal.
    fn tick_list(
        &self,
        prompt: &str,
        help: &str,
        lines: Vec<String>,
        start: Ticks,
        offer: Offer,
        page: usize,
    ) -> Result<Ticks, Error> {
        let answers = lines.len();
        let mut items = lines;
        items.push(NONE_OF_THESE.into());
        items.push(NOT_SURE.into());
        if offer.skip {
            items.push(SKIP_GROUP.into());
        }
        if offer.back {
            items.push(BACK.into());
        }
        let special: Vec<String> = items[answers..].to_vec();
        let defaults = match start {
            Ticks::Lines(lines) => lines,
            Ticks::NoneOfThese => vec![answers],
            Ticks::NotSure => vec![answers + 1],
            Ticks::SkipGroup | Ticks::Back => Vec::new(),
        };
        let help = self.wrap_help(help);
        let fitted: Vec<String> = items.iter().map(|i| self.fit(i)).collect();
        let prompt = self.wrap_prompt(prompt);
        let (after, width) = (echo_start(&prompt), self.width);
        let echo = |chosen: &[usize]| {
            let words: Vec<String> = chosen.iter().map(|&i| one_line(&items[i])).collect();
            echo_wrapped(&words.join("; "), after, width)
        };
        let chosen = TickList {
            prompt: &prompt,
            help: &help,
            items: &fitted,
            alone: answers,
            none: Some(answers),
            ticked: &defaults,
            empty: "Tick each line that is true (\"None of these\" if none is)",
            mixed: "\"None of these\", \"Not sure\" and \"Back\" go alone",
            color: self.color,
        };
        // The questionnaire keeps a list within one screen; one taller than
        // the terminal scrolls in the plain multi-select instead.
        let rows = prompt.lines().count()
            + fitted.iter().map(|i| i.lines().count()).sum::<usize>()
            + help.lines().count()
            + 1;
        let chosen = if rows < terminal_rows() {
            chosen.ask(&echo)?
        } else {
            chosen.ask_scrolling(page, self.config(), self.width)?
        };
        Ok(match chosen.first() {
            Some(&i) if i >= answers => match special[i - answers].as_str() {
                NONE_OF_THESE => Ticks::NoneOfThese,
                NOT_SURE => Ticks::NotSure,
                SKIP_GROUP => Ticks::SkipGroup,
                _ => Ticks::Back,
            },
            _ => Ticks::Lines(chosen.into_iter().filter(|&i| i < answers).collect()),
        })
    }

    fn select(
        &self,
        prompt: &str,
        help: &str,
        items: Vec<String>,
        start: usize,
    ) -> Result<usize, Error> {
        self.select_paged(prompt, help, items, start, 12)
    }

    fn select_paged(
        &self,
        prompt: &str,
        help: &str,
        items: Vec<String>,
        start: usize,
        page: usize,
    ) -> Result<usize, Error> {
        let size = items.len();
        let help = self.wrap_help(help);
        let items: Vec<String> = items.iter().map(|i| self.fit(i)).collect();
        let prompt = self.wrap_prompt(prompt);
        let (after, width) = (echo_start(&prompt), self.width);
        let echo = move |o: ListOption<&String>| echo_wrapped(o.value, after, width);
        let chosen = Select::new(&prompt, items)
            .with_formatter(&echo)
            .with_help_message(&help)
            .with_page_size(size.clamp(1, page.max(1)))
            .with_starting_cursor(start.min(size.saturating_sub(1)))
            .without_filtering()
            .with_render_config(self.config())
            .raw_prompt()
            .map_err(interrupted)?;
        Ok(chosen.index)
    }
}

impl Asker for TerminalAsker {
    fn who(&mut self, _pack: &Pack, who: &Who) -> Result<Answering, Error> {
        let help = format!("{} (↑↓ and Enter; Esc quits)", who.help);
        let i = self.select(
            &who.prompt,
            &help,
            vec![who.myself.clone(), who.child.clone()],
            0,
        )?;
        self.who = if i == 1 {
            Answering::Child
        } else {
            Answering::Myself
        };
        Ok(self.who)
    }

    fn red_flags(
        &mut self,
        pack: &Pack,
        questions: &[usize],
        ticked: &[usize],
        none_before: bool,
    ) -> Result<Vec<usize>, Error> {
        self.heading(Section::RedFlags);
        say(&render::wrap(
            &format!(
                "Before anything else: is any of these true for {} right now? Tick each one that is, or tick \"None of these\".",
                self.person()
            ),
            0,
            self.width,
        ));
        let mut items: Vec<String> = questions
            .iter()
            .map(|&q| checklist_line(&pack.questions[q], self.who))
            .collect();
        items.push(NONE_OF_THESE.into());
        let none = items.len() - 1;
        let mut defaults: Vec<usize> = questions
            .iter()
            .enumerate()
            .filter(|(_, q)| ticked.contains(q))
            .map(|(i, _)| i)
            .collect();
        if defaults.is_empty() && none_before {
            defaults.push(none);
        }
        let size = items.len();
        let items: Vec<String> = items.iter().map(|i| self.fit(i)).collect();
        let (after, width) = (echo_start("Warning signs:"), self.width);
        let help = "Space ticks or unticks, Enter when done, Esc quits";
        let empty = "Tick each sign that is true, or \"None of these\"";
        let mixed = "\"None of these\" cannot go with a ticked sign: untick one";
        let rows = items.iter().map(|i| i.lines().count()).sum::<usize>() + 3;
        if rows < terminal_rows() {
            let echo = |chosen: &[usize]| {
                let words: Vec<String> = chosen.iter().map(|&i| one_line(&items[i])).collect();
                echo_wrapped(&words.join("; "), after, width)
            };
            let chosen = TickList {
                prompt: "Warning signs:",
                help,
                items: &items,
                alone: none,
                none: Some(none),
                ticked: &defaults,
                empty,
                mixed,
                color: self.color,
            }
            .ask(&echo)?;
            return Ok(chosen
                .into_iter()
                .filter(|&i| i != none)
                .map(|i| questions[i])
                .collect());
        }
        let echo = move |o: &[ListOption<&String>]| echo_wrapped(&echo_many(o), after, width);
        let chosen = MultiSelect::new("Warning signs:", items)
            .with_formatter(&echo)
            .with_help_message(help)
            .with_default(&defaults)
            .with_page_size(size)
            .without_filtering()
            .with_validator(move |sel: &[ListOption<&String>]| {
                let has_none = sel.iter().any(|o| o.index == none);
                Ok(if sel.is_empty() {
                    Validation::Invalid(empty.into())
                } else if has_none && sel.len() > 1 {
                    Validation::Invalid(mixed.into())
                } else {
                    Validation::Valid
                })
            })
            .with_render_config(self.config())
            .raw_prompt()
            .map_err(interrupted)?;
        Ok(chosen
            .iter()
            .filter(|o| o.index != none)
            .map(|o| questions[o.index])
            .collect())
    }

    fn checklist(
        &mut self,
        pack: &Pack,
        questions: &[usize],
        ticked: &[usize],
        unsure: bool,
        offer: Offer,
    ) -> Result<ChecklistReply, Error> {
        if let Some(&first) = questions.first() {
            self.heading(pack.questions[first].section);
        }
        self.group_intro(offer, false);
        let lines: Vec<String> = questions
            .iter()
            .map(|&q| checklist_line(&pack.questions[q], self.who))
            .collect();
        let start = if unsure {
            Ticks::NotSure
        } else {
            Ticks::Lines(
                questions
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| ticked.contains(q))
                    .map(|(i, _)| i)
                    .collect(),
            )
        };
        let help = format!(
            "Tick each one that is true for {}, or \"None of these\". (Space ticks, Enter when done; Esc quits)",
            self.person()
        );
        let chosen = self.tick_list("Is any of these true?", &help, lines, start, offer, 16)?;
        Ok(match chosen {
            Ticks::Lines(lines) => {
                ChecklistReply::Ticked(lines.into_iter().map(|i| questions[i]).collect())
            }
            Ticks::NoneOfThese => ChecklistReply::Ticked(Vec::new()),
            Ticks::NotSure => ChecklistReply::DontKnow,
            Ticks::SkipGroup => ChecklistReply::SkipGroup,
            Ticks::Back => ChecklistReply::Back,
        })
    }

    fn question(
        &mut self,
        pack: &Pack,
        q: usize,
        current: Option<Reply>,
        offer: Offer,
        answers: &Answers,
    ) -> Result<Reply, Error> {
        let can_go_back = offer.back;
        let unsure = current == Some(Reply::DontKnow);
        let current = match current {
            Some(Reply::Answer(v)) => Some(v),
            _ => None,
        };
        let question = &pack.questions[q];
        self.heading(question.section);
        let typed = matches!(
            question.kind,
            QuestionKind::Int | QuestionKind::Number | QuestionKind::Days
        );
        self.group_intro(offer, typed);
        if question.drawing {
            // The place already chosen (where it hurts) is marked, so the
            // pressing test starts from it.
            let marked = pack
                .questions
                .iter()
                .enumerate()
                .filter(|(x, other)| *x != q && other.drawing)
                .find_map(|(x, other)| match answers.get(x) {
                    Some(Value::Choice(i)) => other.options.get(i as usize),
                    _ => None,
                })
                .map(|o| o.value.as_str());
            say(&format!(
                "\n{}",
                crate::render::diagram::knee(marked, self.width, self.color)
            ));
        }
        match question.kind {
            QuestionKind::Enum | QuestionKind::Bool => {
                let mut items: Vec<String> = match question.kind {
                    QuestionKind::Bool => vec!["Yes".into(), "No".into()],
                    _ => question
                        .options
                        .iter()
                        .map(|o| label_for(o, self.who).to_owned())
                        .collect(),
                };
                let answers = items.len();
                // A question with its own "unknown" option needs no second one.
                if !question.required && question.option_index("unknown").is_none() {
                    items.push(NOT_SURE.into());
                }
                if offer.skip {
                    items.push(SKIP_GROUP.into());
                }
                if can_go_back {
                    items.push(BACK.into());
                }
                let not_sure = items.iter().position(|i| i == NOT_SURE);
                // A yes/no question starts on no choice ("not sure"), never
                // on "Yes"; a choice starts on the first answer that does not
                // raise the level (else "not sure"); what was said before
                // comes back after Back. Asked the positive way round, "Yes"
                // (0) is the answer false.
                let flipped = question.positive.is_some();
                let start = match current {
                    Some(Value::Choice(i)) => i as usize,
                    Some(Value::Flag(b)) => usize::from(b == flipped),
                    _ if unsure => not_sure.unwrap_or(0),
                    _ if question.kind == QuestionKind::Bool => not_sure.unwrap_or(1),
                    _ => offer.calm.or(not_sure).unwrap_or(0),
                };
                let help = format!("{} (↑↓ and Enter; Esc quits)", help_for(question, self.who));
                let i = self.select(asked_as(question, self.who), &help, items.clone(), start)?;
                Ok(if i < answers {
                    Reply::Answer(match question.kind {
                        QuestionKind::Bool => Value::Flag((i == 0) != flipped),
                        _ => Value::Choice(i as u8),
                    })
                } else if items[i] == NOT_SURE {
                    Reply::DontKnow
                } else if items[i] == SKIP_GROUP {
                    Reply::SkipGroup
                } else {
                    Reply::Back
                })
            }
            QuestionKind::List => {
                let lines: Vec<String> = question
                    .options
                    .iter()
                    .map(|o| label_for(o, self.who).to_owned())
                    .collect();
                let start = match current {
                    _ if unsure => Ticks::NotSure,
                    Some(Value::Items(0)) => Ticks::NoneOfThese,
                    Some(Value::Items(bits)) => {
                        Ticks::Lines((0..lines.len()).filter(|i| bits & (1 << i) != 0).collect())
                    }
                    _ => Ticks::Lines(Vec::new()),
                };
                let help = format!(
                    "{} (Space ticks, Enter when done; Esc quits)",
                    help_for(question, self.who)
                );
                let prompt = asked_as(question, self.who);
                let chosen = self.tick_list(prompt, &help, lines, start, offer, 14)?;
                Ok(match chosen {
                    Ticks::Lines(lines) => Reply::Answer(Value::Items(
                        lines.into_iter().fold(0u64, |b, i| b | 1 << i),
                    )),
                    Ticks::NoneOfThese => Reply::Answer(Value::Items(0)),
                    Ticks::NotSure => Reply::DontKnow,
                    Ticks::SkipGroup => Reply::SkipGroup,
                    Ticks::Back => Reply::Back,
                })
            }
            QuestionKind::Int | QuestionKind::Number | QuestionKind::Days => {
                let unit = question
                    .unit
                    .as_deref()
                    .map(|u| format!(", in {u}"))
                    .unwrap_or_default();
                let example = if question.kind == QuestionKind::Days {
                    " (or a duration such as 10 days, 3 weeks or 2 months)"
                } else if crate::answers::is_distance(question) {
                    " (or miles, such as 25 mi)"
                } else {
                    ""
                };
                let back = if can_go_back { "; b goes back" } else { "" };
                let skip = offer.skip;
                let skip_help = if skip {
                    format!("; {SKIP_WORD} skips the running questions")
                } else {
                    String::new()
                };
                let help = format!(
                    "{} Type a number{unit}{example}. Enter alone if not sure{back}{skip_help}; Esc quits.",
                    help_for(question, self.who)
                );
                let initial = match current {
                    Some(Value::Num(n)) => format_number(n),
                    _ => String::new(),
                };
                let checked = question.clone();
                let help = self.wrap_help(&help);
                let prompt = self.wrap_prompt(asked_as(question, self.who));
                let text = Text::new(&prompt)
                    .with_help_message(&help)
                    .with_initial_value(&initial)
                    .with_validator(move |s: &str| {
                        let t = s.trim();
                        if t.is_empty()
                            || (can_go_back && (t == "b" || t == "back"))
                            || (skip && t.eq_ignore_ascii_case(SKIP_WORD))
                        {
                            return Ok(Validation::Valid);
                        }
                        Ok(match parse_text(&checked, t) {
                            Ok(_) => Validation::Valid,
                            Err(_) => Validation::Invalid(
                                format!("Please type {}", crate::answers::allowed(&checked)).into(),
                            ),
                        })
                    })
                    .with_render_config(self.config())
                    .prompt()
                    .map_err(interrupted)?;
                let t = text.trim();
                if t.is_empty() {
                    return Ok(Reply::DontKnow);
                }
                if t == "b" || t == "back" {
                    return Ok(Reply::Back);
                }
                if skip && t.eq_ignore_ascii_case(SKIP_WORD) {
                    return Ok(Reply::SkipGroup);
                }
                parse_text(question, t)
                    .map(Reply::Answer)
                    .map_err(|e| Error::Usage(e.to_string()))
            }
        }
    }

    fn emergency(
        &mut self,
        _pack: &Pack,
        report: &Report,
        can_continue: bool,
    ) -> Result<EmergencyReply, Error> {
        let style = self.style();
        let level = report.triage.level;
        let mut text = format!(
            "\n{}",
            render::wrap(&render::triage_line(report, style), 0, self.width)
        );
        text.push_str("Why:\n");
        for reason in &report.triage.reasons {
            text.push_str(&self.bullet(reason));
        }
        for item in report
            .advice
            .iter()
            .filter(|a| a.category == Category::UrgentCare)
        {
            text.push('\n');
            text.push_str(&self.paint("1", &item.title));
            text.push('\n');
            text.push_str(&render::wrap(&item.text, 2, self.width));
        }
        text.push('\n');
        say(&text);
        let mut items = vec![(
            "Stop here: this advice is my report".to_owned(),
            EmergencyReply::Stop,
        )];
        if can_continue {
            let more = if level == Level::Emergency {
                "Answer the questions that could still change this (the advice above stands)"
            } else {
                "Go on to the other questions for the full report (the advice above stands)"
            };
            items.push((more.to_owned(), EmergencyReply::Continue));
        }
        items.push((BACK.to_owned(), EmergencyReply::Back));
        let prompt = format!("{} What now?", level_sentence(level));
        let i = self.select(
            &prompt,
            "(↑↓ and Enter; Esc quits)",
            items.iter().map(|(t, _)| t.clone()).collect(),
            0,
        )?;
        Ok(items.get(i).map_or(EmergencyReply::Stop, |(_, r)| *r))
    }

    fn review(
        &mut self,
        pack: &Pack,
        answers: &Answers,
        unsure: &[usize],
        asked: usize,
    ) -> Result<ReviewReply, Error> {
        let mut text = format!(
            "\n{}\n",
            self.paint(
                "1",
                &format!(
                    "── Your answers ({asked} question{} asked) ──",
                    if asked == 1 { "" } else { "s" }
                )
            )
        );
        let mut items = vec!["That's right: show my report".to_owned()];
        let mut which = vec![None];
        let bullet = |text: &str| {
            let body = render::wrap(text, 4, self.width);
            format!("  • {}", body.get(4..).unwrap_or_default())
        };
        let signs: Vec<&str> = pack
            .questions
            .iter()
            .enumerate()
            .filter(|(q, question)| {
                question.section == Section::RedFlags && answers.get(*q) == Some(Value::Flag(true))
            })
            .map(|(_, question)| question.yes.as_str())
            .collect();
        let signs = if signs.is_empty() {
            "none".to_owned()
        } else {
            crate::answers::join_words(&signs)
        };
        text.push_str(&bullet(&format!(
            "Warning signs: {}",
            self.paint("1", &signs)
        )));
        items.push(format!("Change: the warning signs ({signs})"));
        which.push(Some(ReviewReply::RedFlags));
        // What was answered "yes" or with a value, one line each; the
        // "no"s and the "not sure"s one line each, so that the summary and
        // its count fit on one screen.
        let mut noes: Vec<&str> = Vec::new();
        let mut not_sure: Vec<&str> = Vec::new();
        for (q, question) in pack.questions.iter().enumerate() {
            if question.section == Section::RedFlags {
                continue;
            }
            let prompt = asked_as(question, self.who);
            let label = match answers.get(q) {
                Some(Value::Flag(false)) => {
                    noes.push(yes_for(question, self.who));
                    answer_label(question, Value::Flag(false), self.who)
                }
                Some(v) => {
                    let label = answer_label(question, v, self.who);
                    text.push_str(&bullet(&format!("{prompt}  {}", self.paint("1", &label))));
                    label
                }
                None if unsure.contains(&q) => {
                    not_sure.push(prompt);
                    NOT_SURE_SUMMARY.to_owned()
                }
                None => continue,
            };
            items.push(format!("Change: {prompt} ({label})"));
            which.push(Some(ReviewReply::Change(q)));
        }
        if !noes.is_empty() {
            text.push_str(&bullet(&format!("No: {}", noes.join("; "))));
        }
        if !not_sure.is_empty() {
            text.push_str(&bullet(&format!(
                "{NOT_SURE_SUMMARY}: {}",
                not_sure.join(" ")
            )));
        }
        say(&text);
        let i = self.select_paged(
            "Is this right?",
            "(↑↓ and Enter; choose a line to change that answer; Esc quits)",
            items,
            0,
            8,
        )?;
        Ok(which.get(i).copied().flatten().unwrap_or(ReviewReply::Done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_echoed_in_plain_words() {
        let pack = crate::content::load_from(None).expect("embedded pack");
        let q = |id: &str| pack.question_index(id).expect("question");
        let bend = &pack.questions[q("cannot_bend_90")];
        assert_eq!(
            answer_label(bend, Value::Flag(true), Answering::Myself),
            "No"
        );
        assert_eq!(
            answer_label(bend, Value::Flag(false), Answering::Myself),
            "Yes"
        );
        let duration = &pack.questions[q("duration_days")];
        assert_eq!(
            answer_label(duration, Value::Num(1.0), Answering::Myself),
            "1 day"
        );
        assert_eq!(
            answer_label(duration, Value::Num(21.0), Answering::Myself),
            "21 days"
        );
        let pct = &pack.questions[q("mileage_increase_pct")];
        assert_eq!(
            answer_label(pct, Value::Num(100.0), Answering::Myself),
            "100%"
        );
    }
}
