//! A list to tick on the terminal, drawn on standard error: arrow keys
//! move, Space ticks, Enter is done. Unlike a plain multi-select, Enter on
//! a choice that goes alone ("None of these", "Not sure / skip", the skip,
//! "← Back") chooses it without ticking it first: Back is one key, as on
//! every other screen.

use std::io::{self, IsTerminal, Write};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{QueueableCommand, cursor, terminal};

use inquire::MultiSelect;
use inquire::list_option::ListOption;
use inquire::ui::RenderConfig;
use inquire::validator::Validation;

use super::prompt_text::{echo_many, echo_start, echo_wrapped, interrupted};
use crate::error::Error;

/// One list to tick. Every text is already wrapped to the width (a line
/// never runs past it), so the rows drawn are the lines counted.
pub struct TickList<'a> {
    /// The question, wrapped.
    pub prompt: &'a str,
    /// The help under the list, wrapped, without its brackets.
    pub help: &'a str,
    /// The lines to tick, each wrapped with its continuation lines indented.
    pub items: &'a [String],
    /// Items from this index on go alone (None of these, Not sure, Back).
    pub alone: usize,
    /// The item that says nothing is true ("None of these"), if any: Enter
    /// on it with a line ticked is refused rather than losing the ticks.
    pub none: Option<usize>,
    /// Ticked when the list opens.
    pub ticked: &'a [usize],
    /// Said when Enter is pressed on a line with nothing ticked.
    pub empty: &'a str,
    /// Said when a choice that goes alone is ticked with another.
    pub mixed: &'a str,
    pub color: bool,
}

/// Leaves raw mode and shows the cursor however the list ends.
struct Raw;

impl Raw {
    fn on() -> io::Result<Raw> {
        terminal::enable_raw_mode()?;
        Ok(Raw)
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let mut err = io::stderr();
        let _ = err.queue(cursor::Show);
        let _ = err.flush();
        let _ = terminal::disable_raw_mode();
    }
}

impl TickList<'_> {
    /// Asks, and returns the indices chosen (a lone choice is returned
    /// alone); `echo` words the answer shown after the question once done.
    pub fn ask(&self, echo: &dyn Fn(&[usize]) -> String) -> Result<Vec<usize>, Error> {
        if !io::stdin().is_terminal() {
            return Err(Error::Usage(crate::questionnaire::NO_TERMINAL.into()));
        }
        let raw = Raw::on().map_err(|_| Error::Usage(crate::questionnaire::NO_TERMINAL.into()))?;
        let mut err = io::stderr();
        let mut ticked: Vec<usize> = self.ticked.to_vec();
        let mut at = 0usize;
        let mut problem: Option<&str> = None;
        let mut rows = 0usize;
        loop {
            rows = self.redraw(&mut err, rows, at, &ticked, problem)?;
            let key = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => key,
                Ok(_) => continue,
                Err(_) => return Err(Error::Interrupted),
            };
            problem = None;
            match key {
                KeyEvent {
                    code: KeyCode::Char('c' | 'd'),
                    modifiers: KeyModifiers::CONTROL,
                    ..
                }
                | KeyEvent {
                    code: KeyCode::Esc, ..
                } => {
                    self.clear(&mut err, rows)?;
                    let _ = write!(err, "{}\r\n", self.line("<canceled>"));
                    drop(raw);
                    return Err(Error::Interrupted);
                }
                KeyEvent {
                    code: KeyCode::Up | KeyCode::Char('k'),
                    ..
                } => at = (at + self.items.len() - 1) % self.items.len(),
                KeyEvent {
                    code: KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab,
                    ..
                } => at = (at + 1) % self.items.len(),
                KeyEvent {
                    code: KeyCode::Char(' '),
                    ..
                } => match ticked.iter().position(|&t| t == at) {
                    Some(i) => {
                        ticked.remove(i);
                    }
                    None => {
                        ticked.push(at);
                        ticked.sort_unstable();
                    }
                },
                KeyEvent {
                    code: KeyCode::Enter,
                    ..
                } => match self.choose(at, &ticked) {
                    Ok(chosen) => {
                        self.clear(&mut err, rows)?;
                        let _ = write!(err, "{}\r\n", self.line(&echo(&chosen)));
                        let _ = err.flush();
                        drop(raw);
                        return Ok(chosen);
                    }
                    Err(why) => problem = Some(why),
                },
                _ => {}
            }
        }
    }

    /// What Enter on item `at` means with `ticked` ticked.
    fn choose(&self, at: usize, ticked: &[usize]) -> Result<Vec<usize>, &str> {
        let lines = ticked.iter().filter(|&&t| t < self.alone).count();
        if at >= self.alone {
            // Enter on a lone choice chooses it; "None of these" cannot
            // throw away lines that are ticked.
            return if Some(at) == self.none && lines > 0 {
                Err(self.mixed)
            } else {
                Ok(vec![at])
            };
        }
        if ticked.is_empty() {
            Err(self.empty)
        } else if ticked.len() > lines && ticked.len() > 1 {
            Err(self.mixed)
        } else {
            Ok(ticked.to_vec())
        }
    }

    /// The question with `answer` after it, as it stays in the scrollback
    /// (marked as `inquire` marks its answered prompts: ">" in colour).
    fn line(&self, answer: &str) -> String {
        let mark = if self.color {
            self.paint("32", ">")
        } else {
            "?".into()
        };
        format!("{mark} {} {answer}", self.prompt).replace('\n', "\r\n")
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Moves back over the `rows` drawn last time and clears them.
    fn clear(&self, err: &mut io::Stderr, rows: usize) -> Result<(), Error> {
        let io = |e: io::Error| Error::Write {
            path: "the terminal".into(),
            source: e,
        };
        err.queue(cursor::MoveToColumn(0)).map_err(io)?;
        if rows > 1 {
            err.queue(cursor::MoveUp((rows - 1).min(u16::MAX as usize) as u16))
                .map_err(io)?;
        }
        err.queue(terminal::Clear(terminal::ClearType::FromCursorDown))
            .map_err(io)?;
        Ok(())
    }

    /// Draws the list over the last drawing; returns the rows drawn.
    fn redraw(
        &self,
        err: &mut io::Stderr,
        rows: usize,
        at: usize,
        ticked: &[usize],
        problem: Option<&str>,
    ) -> Result<usize, Error> {
        self.clear(err, rows)?;
        let mut text = format!("{} {}", self.paint("32", "?"), self.prompt);
        if let Some(p) = problem {
            text.push('\n');
            text.push_str(&self.paint("31", &format!("# {p}")));
        }
        for (i, item) in self.items.iter().enumerate() {
            let pointer = if i == at {
                self.paint("36", ">")
            } else {
                " ".into()
            };
            let tick = if ticked.contains(&i) { "[x]" } else { "[ ]" };
            text.push_str(&format!("\n{pointer} {tick} {item}"));
        }
        text.push('\n');
        text.push_str(&self.paint("36", &format!("[{}]", self.help)));
        let drawn = text.lines().count();
        let _ = err.queue(cursor::Hide);
        let _ = write!(err, "{}", text.replace('\n', "\r\n"));
        err.flush().map_err(|e| Error::Write {
            path: "the terminal".into(),
            source: e,
        })?;
        Ok(drawn)
    }
}

impl TickList<'_> {
    /// The plain multi-select, for a list taller than the screen: it
    /// scrolls, and a choice that goes alone needs Space, then Enter.
    pub fn ask_scrolling(
        &self,
        page: usize,
        config: RenderConfig<'static>,
        width: usize,
    ) -> Result<Vec<usize>, Error> {
        let size = self.items.len();
        let alone = self.alone;
        let (empty, mixed) = (self.empty.to_owned(), self.mixed.to_owned());
        let after = echo_start(self.prompt);
        let echo = move |o: &[ListOption<&String>]| echo_wrapped(&echo_many(o), after, width);
        let chosen = MultiSelect::new(self.prompt, self.items.to_vec())
            .with_formatter(&echo)
            .with_help_message(self.help)
            .with_default(self.ticked)
            .with_page_size(size.min(page).max(1))
            .without_filtering()
            .with_validator(move |sel: &[ListOption<&String>]| {
                let special = sel.iter().filter(|o| o.index >= alone).count();
                Ok(if sel.is_empty() {
                    Validation::Invalid(empty.clone().into())
                } else if special > 0 && sel.len() > 1 {
                    Validation::Invalid(mixed.clone().into())
                } else {
                    Validation::Valid
                })
            })
            .with_render_config(config)
            .raw_prompt()
            .map_err(interrupted)?;
        Ok(chosen.iter().map(|o| o.index).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list<'a>(items: &'a [String], ticked: &'a [usize]) -> TickList<'a> {
        TickList {
            prompt: "Is any of these true?",
            help: "help",
            items,
            alone: 2,
            none: Some(2),
            ticked,
            empty: "empty",
            mixed: "mixed",
            color: false,
        }
    }

    #[test]
    fn enter_on_a_lone_choice_chooses_it_without_a_tick() {
        let items: Vec<String> = ["a", "b", "None", "Not sure", "Back"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let l = list(&items, &[]);
        assert_eq!(l.choose(4, &[]), Ok(vec![4]));
        assert_eq!(l.choose(3, &[0]), Ok(vec![3]));
        assert_eq!(l.choose(2, &[]), Ok(vec![2]));
        assert_eq!(l.choose(2, &[0]), Err("mixed"));
        assert_eq!(l.choose(0, &[]), Err("empty"));
        assert_eq!(l.choose(0, &[0, 1]), Ok(vec![0, 1]));
        assert_eq!(l.choose(1, &[0, 3]), Err("mixed"));
        assert_eq!(l.choose(1, &[4]), Ok(vec![4]));
    }
}
