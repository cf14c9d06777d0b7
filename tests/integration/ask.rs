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

/// The question on a screen: its last prompt, up to the question mark
/// (or up to its choices), however it wrapped.
fn prompt_of(screen: &str) -> String {
    let seg = screen.rsplit("\n? ").next().unwrap_or_default();
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
    let screen = screen.rsplit("\n? ").next().unwrap_or_default();
    let keys: &[&str] = if screen.starts_with("Warning signs:") {
        &[UP, " ", ENTER] // None of these
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
    answer(&mut p, "Warning signs:", &[DOWN, DOWN, " ", ENTER]); // feverish
    // The swelling question comes before any offer to stop.
    let before = expect(&mut p, "Is the knee swollen?");
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
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]); // None of these
    // v3: swelling says whether a sudden onset was an injury, so it comes first.
    answer(&mut p, "Is the knee swollen?", &[ENTER]); // no swelling
    answer(&mut p, "Is any of these true?", &[UP, UP, UP, " ", ENTER]); // None of these
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
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]); // None of these
    // v3: swelling says whether a sudden onset was an injury, so it comes first.
    answer(&mut p, "Is the knee swollen?", &[ENTER]); // no swelling
    answer(&mut p, "Is any of these true?", &[UP, UP, UP, " ", ENTER]); // None of these
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
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]);
    answer(&mut p, "Is the knee swollen?", &[ENTER]);
    answer(&mut p, "Is any of these true?", &[UP, UP, UP, " ", ENTER]);
    answer(&mut p, "How did the pain start?", &[ESCAPE]);
    assert_eq!(exit_code(&mut p), 130);
}

#[test]
fn in_a_narrow_terminal_choices_wrap_at_words_rather_than_being_cut() {
    let mut p = start_at(60, &["ask"]);
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
    let start_file = dir.path().join("start.toml");
    // Bone-point tenderness on the outer side: how much the distance went
    // up can matter (a stress fracture), so the running questions come.
    std::fs::write(
        &start_file,
        "location = \"outer\"\nonset = \"gradual\"\ntender_spot = \"bone-point\"\nswelling = \"none\"\n",
    )
    .expect("writes");
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
        let current = screen.rsplit("\n? ").next().unwrap_or_default();
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
