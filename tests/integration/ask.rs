//! `knee-triage` in a real pseudo-terminal: keystrokes in, screen out.
//! Each step waits for its prompt before typing, with generous timeouts,
//! so a slow machine makes the test slower, not flaky.

use std::process::Command;

use rexpect::reader::Options;
use rexpect::session::PtySession;

use crate::knee_triage;

const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const ENTER: &str = "\r";
const ESCAPE: &str = "\x1b";

/// Starts `knee-triage ARGS` on an 80-column pseudo-terminal.
fn start(args: &[&str]) -> PtySession {
    start_at(80, args)
}

/// Starts `knee-triage ARGS` on a pseudo-terminal `cols` columns wide
/// (60 rows; the report is not paged).
fn start_at(cols: usize, args: &[&str]) -> PtySession {
    start_with(cols, 60, "cat", args)
}

/// Starts `knee-triage ARGS` on a `cols`×`rows` pseudo-terminal with
/// `$PAGER` set to `pager`.
fn start_with(cols: usize, rows: usize, pager: &str, args: &[&str]) -> PtySession {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            r#"stty cols {cols} rows {rows} 2>/dev/null; exec "$0" "$@""#
        ))
        .arg(env!("CARGO_BIN_EXE_knee-triage"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("PAGER", pager)
        .env_remove("COLUMNS");
    let options = Options::new()
        .timeout_ms(Some(30_000))
        .strip_ansi_escape_codes(true);
    rexpect::spawn_with_options(cmd, options).expect("starts in a pty")
}

/// rexpect reads the screen a byte at a time, each byte as one `char`.
fn as_read(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// Writes answers (TOML) to `name` in `dir`, for `ask --answers`.
fn answers_file(dir: &std::path::Path, name: &str, toml: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, toml).expect("writes");
    path
}

/// Waits for `prompt`, then types `keys`.
fn answer(p: &mut PtySession, prompt: &str, keys: &[&str]) {
    if let Err(e) = p.exp_string(&as_read(prompt)) {
        panic!("waiting for {prompt:?}: {e}");
    }
    for k in keys {
        p.send(k).expect("types");
    }
    p.flush().expect("flushes");
}

fn expect(p: &mut PtySession, text: &str) -> String {
    match p.exp_string(&as_read(text)) {
        Ok(before) => before,
        Err(e) => panic!("waiting for {text:?}: {e}"),
    }
}

/// Answers the first screen, "Who are you answering for?": `Myself`.
fn for_myself(p: &mut PtySession) {
    pick_who(p, &[ENTER]);
}

/// Waits for the whole of the first screen, then types `keys` at it.
fn pick_who(p: &mut PtySession, keys: &[&str]) {
    expect(p, "Who are you answering for?");
    next_screen(p);
    for k in keys {
        p.send(k).expect("types");
    }
    p.flush().expect("flushes");
}

/// Waits for the end and returns the exit code (a death by signal fails).
fn exit_code(p: &mut PtySession) -> i32 {
    let rest = p.exp_eof().unwrap_or_default();
    assert!(!rest.contains("panicked"), "{rest}");
    // `Exited(Pid(123), 0)`; rexpect does not re-export nix's WaitStatus.
    let status = format!("{:?}", p.process_mut().wait().expect("waits"));
    status
        .strip_prefix("Exited(")
        .and_then(|s| s.rsplit(", ").next())
        .and_then(|s| s.trim_end_matches(')').parse().ok())
        .unwrap_or_else(|| panic!("ended by {status}"))
}

/// The next screen, up to its help line; the questions come in the order
/// the engine finds most useful, so tests read what is asked.
fn next_screen(p: &mut PtySession) -> String {
    match p.exp_regex(r"(Esc\s+quits[.)]*\]|Is this right\?)") {
        Ok((before, matched)) => format!("{before}{matched}"),
        Err(e) => panic!("waiting for the next question: {e}"),
    }
}

/// The last prompt on a screen and what follows it. A list redrawn in
/// place (after an arrow key) starts again at its "? ", with no new line
/// before it.
fn current(screen: &str) -> &str {
    let starts = screen
        .match_indices("? ")
        .filter(|&(i, _)| i == 0 || matches!(screen.as_bytes()[i - 1], b'\n' | b'\r'));
    match starts.last() {
        Some((i, _)) => &screen[i + 2..],
        None => screen,
    }
}

/// The question on a screen: its last prompt, up to the question mark
/// (or up to its choices), however it wrapped.
fn prompt_of(screen: &str) -> String {
    let seg = current(screen);
    let end = ["\r\n>", "\r\n[", "\r\n "]
        .iter()
        .filter_map(|m| seg.find(m))
        .min()
        .unwrap_or(seg.len());
    let head = &seg[..end];
    match head.find('?') {
        Some(i) => head[..=i].to_owned(),
        None => head.to_owned(),
    }
}

/// Answers the screen without choosing anything: a select keeps its
/// starting choice, a yes/no question or a number is "not sure", a
/// checklist is "not sure"; but the duration is "3 weeks", in words.
/// Returns false at the summary.
fn answer_plainly(p: &mut PtySession, screen: &str) -> bool {
    if screen.ends_with("Is this right?") {
        return false;
    }
    // Only the last prompt counts, not the answers echoed above it.
    let screen = current(screen);
    let keys: &[&str] = if screen.starts_with("Warning signs:") {
        &[UP, " ", ENTER] // None of these
    } else if screen.contains("What now?") {
        &[DOWN, ENTER] // go on to the other questions
    } else if screen.starts_with("How long have you had this pain?") {
        &["3 weeks", ENTER]
    } else if screen.contains("Space ticks, Enter") {
        &[UP, UP, " ", ENTER] // from the top round to "Not sure / skip"
    } else {
        &[ENTER]
    };
    for k in keys {
        p.send(k).expect("types");
    }
    p.flush().expect("flushes");
    true
}

/// Goes through the questionnaire screen by screen, up to the summary:
/// `on_screen` gets each new question (typing and ticking redraw the same
/// one) with its prompt, and answers it, returning false at the summary.
/// Fails after 40 screens.
fn each_screen(p: &mut PtySession, mut on_screen: impl FnMut(&mut PtySession, &str, &str) -> bool) {
    let mut last = String::new();
    for _ in 0..40 {
        let screen = next_screen(p);
        let prompt = prompt_of(&screen);
        if prompt == last {
            continue;
        }
        last = prompt.clone();
        if !on_screen(p, &screen, &prompt) {
            return;
        }
    }
    panic!("more than 40 screens");
}

#[test]
fn a_runner_answers_plainly_and_gets_the_report_assess_agrees_with() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("answers.toml");
    let saved_arg = saved.to_str().expect("utf-8 path");
    let mut p = start(&["ask", "--save", saved_arg]);
    each_screen(&mut p, |p, screen, _| {
        assert!(!screen.contains("What now?"), "{screen}");
        answer_plainly(p, screen)
    });
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "questions asked");
    let report = expect(&mut p, "not a diagnosis");
    assert_eq!(exit_code(&mut p), 0);

    // The saved answers give `assess` the same level.
    let text = std::fs::read_to_string(&saved).expect("answers saved");
    assert!(text.contains("location = "), "{text}");
    assert!(text.contains("duration_days = 21"), "{text}");
    let out = knee_triage()
        .args(["assess", "--json", "--answers", saved_arg])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let label = json["triage"]["label"]
        .as_str()
        .expect("label")
        .to_uppercase();
    assert!(report.contains(&format!("{label}: ")), "{label}: {report}");
}

#[test]
fn fever_then_swelling_reaches_emergency_before_any_stop_is_offered() {
    let mut p = start(&["ask"]);
    for_myself(&mut p);
    answer(&mut p, "Warning signs:", &[DOWN, DOWN, " ", ENTER]); // feverish
    // The swelling question comes before any offer to stop; where it hurts
    // and how it started come first (the pack's `first`), as they can
    // still change where to go (contract v3's care).
    let mut before = expect(&mut p, "Where does it hurt most?");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    before.push_str(&expect(&mut p, "How did the pain start?"));
    p.send(ENTER).expect("types"); // gradually
    p.flush().expect("flushes");
    before.push_str(&expect(&mut p, "Is the knee swollen?"));
    assert!(!before.contains("Stop here"), "{before}");
    assert!(!before.contains("What now?"), "{before}");
    answer(&mut p, "Not sure / skip", &[DOWN, ENTER]); // a little puffy
    let shown = expect(&mut p, "This is an emergency. What now?");
    assert!(shown.contains("EMERGENCY"), "{shown}");
    expect(&mut p, "Stop here");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "EMERGENCY: ");
    assert_eq!(exit_code(&mut p), 0);
}

#[test]
fn escape_with_save_writes_the_answers_so_far_and_ask_answers_carries_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("partial.toml");
    let saved_arg = saved.to_str().expect("utf-8 path");
    let mut p = start(&["ask", "--save", saved_arg]);
    for_myself(&mut p);
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]); // None of these
    answer(&mut p, "Where does it hurt most?", &[DOWN, ENTER]); // the kneecap
    answer(&mut p, "How did the pain start?", &[ENTER]); // gradually
    let screen = next_screen(&mut p);
    assert!(!screen.contains("How did the pain start?"), "{screen}");
    p.send(ESCAPE).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "saved to");
    assert_eq!(exit_code(&mut p), 130);
    let text = std::fs::read_to_string(&saved).expect("answers saved on Escape");
    assert!(text.contains("onset = \"gradual\""), "{text}");
    assert!(text.contains("fever = false"), "{text}");

    // Carrying on: neither the warning signs nor the onset are asked again.
    let mut p = start(&["ask", "--answers", saved_arg]);
    for_myself(&mut p);
    let screen = next_screen(&mut p);
    assert!(!screen.contains("Warning signs:"), "{screen}");
    assert!(!screen.contains("How did the pain start?"), "{screen}");
    p.send(ESCAPE).expect("types");
    p.flush().expect("flushes");
    assert_eq!(exit_code(&mut p), 130);
}

#[test]
fn back_restores_a_select_answer() {
    let mut p = start(&["ask"]);
    for_myself(&mut p);
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]); // None of these
    answer(&mut p, "Where does it hurt most?", &[ENTER]); // the inner side
    answer(&mut p, "How did the pain start?", &[DOWN, ENTER]); // suddenly
    // Whatever comes next, go back: Back is the last line of a select.
    let screen = next_screen(&mut p);
    let key = if screen.contains("> Not sure / skip") {
        DOWN
    } else if screen.contains("Type a number") {
        "b"
    } else {
        UP
    };
    p.send(key).expect("types");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    let screen = next_screen(&mut p);
    assert!(screen.contains("How did the pain start?"), "{screen}");
    assert!(screen.contains("> Suddenly, at one moment"), "{screen}");
    p.send(ESCAPE).expect("types");
    p.flush().expect("flushes");
    assert_eq!(exit_code(&mut p), 130);
}

#[test]
fn a_warning_sign_stops_the_questions_with_the_emergency_advice() {
    let mut p = start(&["ask"]);
    for_myself(&mut p);
    answer(
        &mut p,
        "Warning signs:",
        &[DOWN, DOWN, DOWN, DOWN, " ", ENTER],
    ); // calf
    expect(&mut p, "EMERGENCY");
    expect(&mut p, "blood clot");
    answer(&mut p, "This is an emergency. What now?", &[ENTER]); // stop here
    expect(&mut p, "You stopped at the warning signs");
    expect(&mut p, "EMERGENCY: ");
    expect(&mut p, "Get emergency care now");
    assert_eq!(exit_code(&mut p), 0);
}

#[test]
fn no_arguments_start_the_questionnaire_and_escape_ends_it_with_130() {
    let mut p = start(&[]);
    for_myself(&mut p);
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]);
    answer(&mut p, "Where does it hurt most?", &[ESCAPE]);
    assert_eq!(exit_code(&mut p), 130);
}

#[test]
fn in_a_narrow_terminal_choices_wrap_at_words_rather_than_being_cut() {
    let mut p = start_at(60, &["ask"]);
    for_myself(&mut p);
    let screen = next_screen(&mut p);
    assert!(screen.contains("Warning signs:"), "{screen}");
    assert!(!screen.contains(&as_read("…")), "{screen}");
    // The longest warning sign ends on a line of its own, whole words.
    let words: Vec<&str> = screen.split_whitespace().collect();
    assert!(words.windows(2).any(|w| w == ["at", "rest?"]), "{screen}");
    // Every line of the choices fits (they are plain ASCII).
    for line in screen
        .lines()
        .filter(|l| l.contains("[ ]") || l.starts_with("      "))
    {
        let line = line.trim_end_matches('\r');
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    p.send(ESCAPE).expect("types");
    p.flush().expect("flushes");
    assert_eq!(exit_code(&mut p), 130);
}

/// The training group has no screen of its own: its first question says
/// how many there are and `skip` at a number skips them all; nothing about
/// running is asked after that, and none of it is saved.
#[test]
fn skip_at_the_first_running_question_skips_them_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Bone-point tenderness on the outer side: how much the distance went
    // up can matter (a stress fracture), so the running questions come.
    let start_file = answers_file(
        dir.path(),
        "start.toml",
        "location = \"outer\"\nonset = \"gradual\"\ntender_spot = \"bone-point\"\nswelling = \"none\"\n",
    );
    let saved = dir.path().join("saved.toml");
    let saved_arg = saved.to_str().expect("utf-8 path");
    let mut p = start(&[
        "ask",
        "--answers",
        start_file.to_str().expect("utf-8 path"),
        "--save",
        saved_arg,
    ]);
    // The running questions' prompts, from the pack.
    let pack: toml::Table = toml::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/questions.toml"),
        )
        .expect("reads the pack"),
    )
    .expect("parses");
    let running: Vec<String> = pack["question"]
        .as_array()
        .expect("questions")
        .iter()
        .filter(|q| q["section"].as_str() == Some("training"))
        .map(|q| q["prompt"].as_str().expect("prompt").to_owned())
        .collect();
    let is_running = |prompt: &str| {
        let words: String = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
        running
            .iter()
            .any(|r| words.starts_with(&r[..r.len().min(30)]))
    };
    let mut skipped = false;
    each_screen(&mut p, |p, screen, prompt| {
        let current = current(screen);
        assert!(
            !(skipped && is_running(prompt)),
            "asked after the skip: {screen}"
        );
        if !skipped && screen.contains("Skipping them is fine") {
            assert!(is_running(prompt), "{prompt}: {screen}");
            let keys: &[&str] = if current.contains("Type a number") {
                &["skip", ENTER]
            } else {
                // "Skip the running questions" is the line before Back.
                &[UP, UP, ENTER]
            };
            for k in keys {
                p.send(k).expect("types");
            }
            p.flush().expect("flushes");
            skipped = true;
            return true;
        }
        assert!(!current.contains("Skip the running questions"), "{screen}");
        answer_plainly(p, screen)
    });
    assert!(skipped, "the running questions were never offered");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "not a diagnosis");
    assert_eq!(exit_code(&mut p), 0);
    let text = std::fs::read_to_string(&saved).expect("answers saved");
    for key in ["mileage_increase_pct", "weekly_km", "shoe_km", "rest_days"] {
        assert!(!text.contains(key), "{key}: {text}");
    }
}

/// A report taller than the terminal opens in the pager after the
/// questions, as it does for `assess`; `--no-pager` prints it.
#[test]
fn a_tall_report_after_the_questions_opens_in_the_pager() {
    let pager = "echo PAGED-BY-THE-PAGER; cat >/dev/null";
    for (extra, paged) in [(None, true), (Some("--no-pager"), false)] {
        let mut args = vec!["ask"];
        args.extend(extra);
        let mut p = start_with(80, 20, pager, &args);
        each_screen(&mut p, |p, screen, _| answer_plainly(p, screen));
        p.send(ENTER).expect("types");
        p.flush().expect("flushes");
        let rest = p.exp_eof().unwrap_or_default();
        assert_eq!(
            rest.contains("PAGED-BY-THE-PAGER"),
            paged,
            "{extra:?}: {rest}"
        );
        assert_eq!(
            rest.contains("not a diagnosis"),
            !paged,
            "{extra:?}: {rest}"
        );
    }
}

/// The screen's rows: from its heading (or its question) down to its help
/// line, as drawn (every line is wrapped to the width before it is drawn).
fn rows_from(screen: &str, start: &str) -> usize {
    let from = screen.rfind(&as_read(start)).unwrap_or(0);
    screen[from..].lines().count()
}

/// Everything typed at the questionnaire so far, as one string to search.
fn transcript(screens: &[String]) -> String {
    screens.join("\n")
}

/// Ticks the checklist line containing `text` (and nothing else).
fn tick_line(p: &mut PtySession, screen: &str, text: &str) {
    let current = current(screen);
    let lines: Vec<&str> = current
        .lines()
        .filter(|l| l.starts_with("> [") || l.starts_with("  ["))
        .collect();
    let at = lines
        .iter()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?}: {screen}"));
    for _ in 0..at {
        p.send(DOWN).expect("types");
    }
    p.send(" ").expect("types");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
}

/// A runner at 100×40: the questions start with where it hurts (with the
/// drawing) and how it started; the checklist and the summary each fit
/// the 40 rows; nothing urgent comes up for a plain ache.
#[test]
fn a_runner_at_100_by_40_starts_with_where_and_how_and_every_screen_fits() {
    let mut p = start_with(100, 40, "cat", &["ask", "--no-pager"]);
    let mut prompts = Vec::new();
    let mut screens = Vec::new();
    let mut summary = String::new();
    each_screen(&mut p, |p, screen, prompt| {
        prompts.push(prompt.to_owned());
        screens.push(screen.to_owned());
        summary = screen.to_owned();
        assert!(!screen.contains("What now?"), "{screen}");
        if screen.contains("Space ticks, Enter") {
            let rows = rows_from(screen, "\n? ") + 3;
            assert!(rows <= 40, "{rows} rows: {screen}");
        }
        answer_plainly(p, screen)
    });
    assert_eq!(prompts[0], "Who are you answering for?", "{prompts:?}");
    assert_eq!(prompts[1], "Warning signs:", "{prompts:?}");
    assert_eq!(prompts[2], "Where does it hurt most?", "{prompts:?}");
    assert!(screens[2].contains("FRONT"), "the drawing: {}", screens[2]);
    assert_eq!(prompts[3], "How did the pain start?", "{prompts:?}");
    // The summary: its header and count stay on the screen.
    let menu = expect(&mut p, "choose a line to change that answer; Esc quits)]");
    let rows = rows_from(&summary, "── Your answers") + menu.lines().count();
    assert!(rows <= 40, "{rows} rows: {summary}{menu}");
    assert!(summary.contains("questions asked"), "{summary}");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "not a diagnosis");
    assert_eq!(exit_code(&mut p), 0);
}

/// Issue 21, item 4: a gradual ache with a puffy knee is asked when the
/// swelling came up, and the cursor does not start on "within two hours
/// of an injury" (one Enter from URGENT); after "not sure" on the swelling
/// its timing is not asked at all.
#[test]
fn the_swelling_timing_never_starts_on_an_alarming_answer() {
    for (swelling_keys, timing_asked) in [(&[DOWN, ENTER][..], true), (&[UP, UP, ENTER][..], false)]
    {
        let mut p = start_with(100, 40, "cat", &["ask", "--no-pager"]);
        let mut asked_timing = false;
        each_screen(&mut p, |p, screen, prompt| {
            if prompt.starts_with("Is the knee swollen?") {
                for k in swelling_keys {
                    p.send(k).expect("types");
                }
                p.flush().expect("flushes");
                return true;
            }
            if prompt.starts_with("How did the pain start?") {
                p.send(ENTER).expect("types"); // gradually
                p.flush().expect("flushes");
                return true;
            }
            if prompt.starts_with("When did the swelling appear?") {
                asked_timing = true;
                let current = current(screen);
                assert!(!current.contains("> Within about two hours"), "{screen}");
            }
            answer_plainly(p, screen)
        });
        assert_eq!(asked_timing, timing_asked, "{swelling_keys:?}");
        p.send(ESCAPE).expect("types");
        p.flush().expect("flushes");
        assert_eq!(exit_code(&mut p), 130);
    }
}

/// An injured runner: the knee locked; where it hurts, then how it
/// started, before what happened, the pop and what makes it worse (when
/// asked). With
/// contract v3 a locked knee can still turn out an emergency (a knee that
/// bent backwards, gave way and filled up fast), so the questions that
/// could show it come before the urgent screen, which then says "go on".
#[test]
fn an_injured_runner_is_asked_how_it_started_before_what_happened() {
    let mut p = start_with(100, 40, "cat", &["ask", "--no-pager"]);
    for_myself(&mut p);
    let screen = next_screen(&mut p);
    tick_line(&mut p, &screen, "Does the knee lock");
    // Where it hurts comes straight after the warning signs.
    expect(&mut p, "Where does it hurt most?");
    next_screen(&mut p);
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    let mut prompts: Vec<String> = vec!["Where does it hurt most?".to_owned()];
    let mut urgent = false;
    each_screen(&mut p, |p, screen, prompt| {
        if current(screen).contains("What now?") {
            urgent |= screen.contains("URGENT");
            return answer_plainly(p, screen); // go on
        }
        prompts.push(prompt.to_owned());
        if prompt.starts_with("How did the pain start?") {
            p.send(DOWN).expect("types");
            p.send(ENTER).expect("types"); // suddenly
            p.flush().expect("flushes");
            return true;
        }
        answer_plainly(p, screen)
    });
    prompts.retain(|x| !x.trim().is_empty());
    assert_eq!(prompts[0], "Where does it hurt most?", "{prompts:?}");
    assert_eq!(prompts[1], "How did the pain start?", "{prompts:?}");
    let at = |start: &str| prompts.iter().position(|x| x.starts_with(start));
    for later in [
        "What happened at that moment?",
        "Did you hear or feel a pop",
        "What makes it worse?",
        "Where does pressing hurt the most?",
    ] {
        if let Some(i) = at(later) {
            assert!(i > 1, "{later}: {prompts:?}");
        }
    }
    // What makes it worse is asked only where it can still change the
    // outcome (not after a twist with a locked knee); what happened is.
    assert!(at("What happened at that moment?").is_some(), "{prompts:?}");
    assert!(urgent, "the urgent screen: {prompts:?}");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "URGENT: ");
    assert_eq!(exit_code(&mut p), 0);
}

/// A parent answering for a 13-year-old at 100×40: the questions are
/// about the child, the age comes early, nothing about periods, the pill,
/// pregnancy or cancer is asked; the limp makes it urgent at once (the
/// same screen as a warning sign), and the checklist and the summary fit.
#[test]
fn a_parent_answers_for_a_13_year_old() {
    let mut p = start_with(100, 40, "cat", &["ask", "--no-pager"]);
    pick_who(&mut p, &[DOWN, ENTER]);
    let mut screens: Vec<String> = Vec::new();
    let mut urgent_before_summary = false;
    let mut for_the_child = false;
    let mut summary = String::new();
    each_screen(&mut p, |p, screen, prompt| {
        for_the_child |= screen.contains("for your child right now");
        summary = screen.to_owned();
        if screen.contains("This is urgent") {
            urgent_before_summary = true;
        } else {
            // The questions (the urgent advice may name what to rule out).
            screens.push(current(screen).to_owned());
        }
        if prompt.starts_with("How old is your child?") {
            p.send("13").expect("types");
            p.send(ENTER).expect("types");
            p.flush().expect("flushes");
            return true;
        }
        if screen.contains("Space ticks, Enter") && current(screen).contains("limping") {
            let rows = rows_from(screen, "\n? ");
            assert!(rows <= 40, "{rows} rows: {screen}");
            tick_line(p, screen, "Is your child limping?");
            return true;
        }
        if prompt.starts_with("This is urgent") {
            p.send(DOWN).expect("types");
            p.send(ENTER).expect("types"); // go on
            p.flush().expect("flushes");
            return true;
        }
        answer_plainly(p, screen)
    });
    let all = transcript(&screens).to_lowercase();
    assert!(for_the_child, "{all}");
    assert!(all.contains("how old is your child?"), "{all}");
    assert!(all.contains("is your child limping?"), "{all}");
    for word in ["period", "the pill", "pregnan", "cancer"] {
        let at = all
            .find(word)
            .map(|i| &all[i.saturating_sub(300)..(i + 100).min(all.len())]);
        assert!(at.is_none(), "{word}: {at:?}");
    }
    assert!(urgent_before_summary, "{all}");
    let menu = expect(&mut p, "choose a line to change that answer; Esc quits)]");
    let rows = rows_from(&summary, "── Your answers") + menu.lines().count();
    assert!(rows <= 40, "{rows} rows: {summary}{menu}");
    assert!(!summary.to_lowercase().contains("cancer"), "{summary}");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "URGENT: ");
    assert_eq!(exit_code(&mut p), 0);
}

/// A parent whose child hurt the knee in one moment picks what happened
/// from options worded for the child, sees them so in the summary, and the
/// Markdown report gives the answers in the same words.
#[test]
fn a_parent_picks_what_happened_in_the_childs_words() {
    let mut p = start_with(
        100,
        40,
        "cat",
        &["ask", "--no-pager", "--format", "markdown"],
    );
    pick_who(&mut p, &[DOWN, ENTER]);
    let mut what_happened = String::new();
    let mut summary = String::new();
    each_screen(&mut p, |p, screen, prompt| {
        summary = screen.to_owned();
        if prompt.starts_with("How did the pain start?") {
            p.send(DOWN).expect("types");
            p.send(ENTER).expect("types"); // suddenly
            p.flush().expect("flushes");
            return true;
        }
        if prompt.starts_with("What happened at that moment?") {
            what_happened = current(screen).to_owned();
            p.send(ENTER).expect("types"); // the first: a twist
            p.flush().expect("flushes");
            return true;
        }
        if prompt.starts_with("How old is your child?") {
            p.send("13").expect("types");
            p.send(ENTER).expect("types");
            p.flush().expect("flushes");
            return true;
        }
        if screen.contains("Space ticks, Enter") && current(screen).contains("diabetes") {
            tick_line(p, screen, "None of these");
            return true;
        }
        answer_plainly(p, screen)
    });
    for label in [
        "They twisted with their foot planted",
        "Something hit the outside of their knee and pushed it inward",
        "They fell onto their knee",
        "Their knee was bent backwards too far",
    ] {
        assert!(what_happened.contains(label), "{label}: {what_happened}");
    }
    assert!(!what_happened.contains("my knee"), "{what_happened}");
    let summary = &summary[summary
        .find("Your answers (")
        .unwrap_or_else(|| panic!("summary: {summary}"))..];
    assert!(
        summary.contains("They twisted with their foot planted"),
        "{summary}"
    );
    assert!(!summary.contains("I twisted"), "{summary}");
    // The "no"s in the child's words: no replaced joint for a 13-year-old.
    let no = summary.split_whitespace().collect::<Vec<_>>().join(" ");
    let no = &no[no.find("No: ").unwrap_or_else(|| panic!("{summary}"))..];
    assert!(
        no.contains("a raised risk of infection (diabetes or a weak immune system)"),
        "{summary}"
    );
    assert!(!summary.contains("replaced joint"), "{summary}");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    let report = expect(&mut p, "## What may be going on");
    assert!(
        report.contains("What happened at that moment? **They twisted with their foot planted**"),
        "{report}"
    );
    assert!(report.contains("How old is your child? **13"), "{report}");
    assert_eq!(exit_code(&mut p), 0);
}

/// `skip` works at every running question, not only the first: skipping
/// at the second one ends the running questions there.
#[test]
fn skip_at_a_later_running_question_skips_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let start_file = answers_file(
        dir.path(),
        "start.toml",
        "location = \"outer\"\nonset = \"gradual\"\nduration_days = 5\n",
    );
    let mut p = start(&[
        "ask",
        "--no-pager",
        "--answers",
        start_file.to_str().expect("utf-8 path"),
    ]);
    let mut running = 0;
    let mut skipped = false;
    each_screen(&mut p, |p, screen, _| {
        let current = current(screen);
        let offers_skip = current.contains("skips the running questions")
            || current.contains("Skip the running questions");
        assert!(!(skipped && offers_skip), "asked after the skip: {screen}");
        if offers_skip {
            running += 1;
            if running == 2 {
                let keys: &[&str] = if current.contains("Type a number") {
                    &["skip", ENTER]
                } else {
                    &[UP, UP, ENTER]
                };
                for k in keys {
                    p.send(k).expect("types");
                }
                p.flush().expect("flushes");
                skipped = true;
                return true;
            }
            // The first: answer it (a number: 5).
            if current.contains("Type a number") {
                p.send("5").expect("types");
                p.send(ENTER).expect("types");
                p.flush().expect("flushes");
                return true;
            }
        }
        answer_plainly(p, screen)
    });
    assert!(skipped, "fewer than two running questions were offered");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "not a diagnosis");
    assert_eq!(exit_code(&mut p), 0);
}

/// Back from the first question to the warning signs keeps "None of
/// these" ticked.
#[test]
fn back_to_the_warning_signs_keeps_their_ticks() {
    let mut p = start(&["ask"]);
    for_myself(&mut p);
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]); // None of these
    answer(&mut p, "Where does it hurt most?", &[UP, ENTER]); // ← Back
    expect(&mut p, "Warning signs:");
    let screen = next_screen(&mut p);
    assert!(screen.contains("[x] None of these"), "{screen}");
    p.send(ESCAPE).expect("types");
    p.flush().expect("flushes");
    assert_eq!(exit_code(&mut p), 130);
}

/// Plain `knee-triage`, the first thing a runner types, pages its report
/// as `ask` does.
#[test]
fn bare_knee_triage_pages_its_report() {
    let pager = "echo PAGED-BY-THE-PAGER; cat >/dev/null";
    let mut p = start_with(80, 20, pager, &[]);
    each_screen(&mut p, |p, screen, _| answer_plainly(p, screen));
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    let rest = p.exp_eof().unwrap_or_default();
    assert!(rest.contains("PAGED-BY-THE-PAGER"), "{rest}");
    assert!(!rest.contains("not a diagnosis"), "{rest}");
}

/// Enter on "← Back" in a checklist goes back, as on every other screen
/// (no Space first).
#[test]
fn enter_on_back_in_a_checklist_goes_back() {
    let mut p = start(&["ask"]);
    let mut went_back = false;
    let mut before_checklist = String::new();
    each_screen(&mut p, |p, screen, prompt| {
        if went_back {
            // The screen before the checklist is asked again.
            assert_eq!(prompt, before_checklist, "{screen}");
            return false;
        }
        if screen.contains("Space ticks, Enter") && prompt == "Is any of these true?" {
            p.send(UP).expect("types"); // round to "← Back"
            p.send(ENTER).expect("types");
            p.flush().expect("flushes");
            went_back = true;
            return true;
        }
        before_checklist = prompt.to_owned();
        answer_plainly(p, screen)
    });
    assert!(went_back, "no checklist came");
    p.send(ESCAPE).expect("types");
    p.flush().expect("flushes");
    assert_eq!(exit_code(&mut p), 130);
}

const CLEARED: &str =
    "Has a doctor or physiotherapist examined this knee and cleared you to start running again?";

/// `ask --plan` (issue 20): a clearance is asked only where it decides
/// whether there is a plan (an MCL sprain, days old), and the plan follows
/// the report; for a runner's knee it is not asked, and the plan follows.
#[test]
fn ask_plan_asks_for_a_clearance_only_where_it_decides_the_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mcl = answers_file(
        dir.path(),
        "mcl.toml",
        "location = \"inner\"\nonset = \"sudden\"\nmechanism = \"blow-to-outer-knee\"\ntender_spot = \"inner-ligament\"\nswelling = \"mild\"\nswelling_onset = \"delayed\"\npain_level = 5\nduration_days = 3\nage = 30\nweekly_km = 30\n",
    );
    let saved = dir.path().join("saved.toml");
    let mut p = start_at(
        100,
        &[
            "ask",
            "--plan",
            "--answers",
            mcl.to_str().expect("utf-8"),
            "--save",
            saved.to_str().expect("utf-8"),
        ],
    );
    let mut asked = false;
    each_screen(&mut p, |p, screen, prompt| {
        if prompt == CLEARED {
            asked = true;
            p.send(UP).expect("types"); // from "not sure" to "No"
            p.send(UP).expect("types"); // to "Yes"
            p.send(ENTER).expect("types");
            p.flush().expect("flushes");
            return true;
        }
        answer_plainly(p, screen)
    });
    assert!(asked, "the clearance question was not asked");
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "not a diagnosis");
    let plan = expect(&mut p, "follow your clinician's plan where it differs");
    assert!(plan.contains("Return-to-running plan from"), "{plan}");
    assert!(plan.contains("Brisk walk 30 min"), "{plan}");
    assert_eq!(exit_code(&mut p), 0);
    let text = std::fs::read_to_string(&saved).expect("saved");
    assert!(text.contains("cleared_to_run = true"), "{text}");

    // A runner's knee needs no clearance: not asked, and the plan follows.
    let knee = answers_file(
        dir.path(),
        "knee.toml",
        "location = \"front\"\nonset = \"gradual\"\nworse_with = [\"stairs\", \"squatting\"]\npain_level = 3\nduration_days = 21\nage = 30\nweekly_km = 30\n",
    );
    let mut p = start_at(
        100,
        &["ask", "--plan", "--answers", knee.to_str().expect("utf-8")],
    );
    each_screen(&mut p, |p, screen, prompt| {
        assert_ne!(prompt, CLEARED, "{screen}");
        answer_plainly(p, screen)
    });
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    expect(&mut p, "not a diagnosis");
    let plan = expect(&mut p, "Week");
    assert!(plan.contains("Return-to-running plan from"), "{plan}");
    assert_eq!(exit_code(&mut p), 0);

    // Without --plan the question is never asked.
    let mut p = start_at(100, &["ask", "--answers", mcl.to_str().expect("utf-8")]);
    each_screen(&mut p, |p, screen, prompt| {
        assert_ne!(prompt, CLEARED, "{screen}");
        answer_plainly(p, screen)
    });
    p.send(ENTER).expect("types");
    p.flush().expect("flushes");
    let rest = expect(&mut p, "not a diagnosis");
    assert!(!rest.contains("Return-to-running plan"), "{rest}");
    assert_eq!(exit_code(&mut p), 0);
}

#[test]
fn ask_plan_with_json_says_how_to_get_a_json_plan() {
    let out = knee_triage()
        .args(["ask", "--plan", "--json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("plan --answers FILE --json"), "{err}");
}
