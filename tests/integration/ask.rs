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
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"stty cols 80 rows 60 2>/dev/null; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_knee-triage"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
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

#[test]
fn a_runner_answers_every_question_goes_back_once_and_gets_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("answers.toml");
    let saved_arg = saved.to_str().expect("utf-8 path");
    let mut p = start(&["ask", "--save", saved_arg]);
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]); // None of these
    answer(&mut p, "How did the pain start?", &[ENTER]); // gradually
    answer(&mut p, "give way", &[DOWN, ENTER]); // no
    answer(&mut p, "to a right angle?", &[DOWN, ENTER]); // no
    expect(&mut p, "FRONT");
    expect(&mut p, "back of knee");
    answer(&mut p, "Where does it hurt most?", &[UP, ENTER]); // ← Back
    answer(&mut p, "to a right angle?", &[ENTER]); // still "No"
    answer(
        &mut p,
        "Where does it hurt most?",
        &[DOWN, DOWN, DOWN, ENTER],
    ); // outer
    answer(&mut p, "Is the knee swollen?", &[ENTER]); // none
    answer(&mut p, "click or clunk?", &[ENTER]); // no
    answer(&mut p, "How long have you had this pain?", &["3w", ENTER]);
    answer(&mut p, "from 0 to 10?", &["4", ENTER]);
    answer(
        &mut p,
        "What makes it worse?",
        &[DOWN, DOWN, DOWN, DOWN, " ", ENTER],
    ); // running a certain distance
    answer(
        &mut p,
        "Where does pressing hurt the most?",
        &[DOWN, DOWN, DOWN, DOWN, DOWN, ENTER],
    ); // outer femur
    answer(&mut p, "hopping on that leg", &[DOWN, ENTER]);
    answer(&mut p, "wake you at night?", &[DOWN, ENTER]);
    answer(&mut p, "injured this knee before", &[DOWN, ENTER]);
    answer(&mut p, "stress fracture before", &[DOWN, ENTER]);
    answer(&mut p, "How old are you?", &["35", ENTER]);
    // Signs that the pain comes from elsewhere count against IT-band pain.
    answer(&mut p, "pain in the hip, groin or thigh?", &[DOWN, ENTER]); // no
    answer(&mut p, "low back pain", &[DOWN, ENTER]); // no
    answer(&mut p, "stay stiff?", &[ENTER]); // not sure
    answer(
        &mut p,
        "Are other joints swollen or painful too?",
        &[DOWN, ENTER],
    ); // no
    answer(&mut p, "lost weight without trying", &[DOWN, ENTER]); // no
    answer(&mut p, "clears w", &[DOWN, ENTER]); // no calf symptoms on runs
    answer(&mut p, "Answer them?", &[DOWN, ENTER]); // skip the training group
    expect(&mut p, "questions asked)");
    answer(&mut p, "Is this right?", &[ENTER]);
    expect(&mut p, "SEE A PROFESSIONAL");
    expect(&mut p, "●OUTER");
    expect(&mut p, "IT-band syndrome");
    expect(&mut p, "not a diagnosis");
    assert_eq!(exit_code(&mut p), 0);

    // The saved answers give `assess` the same report.
    let text = std::fs::read_to_string(&saved).expect("answers saved");
    assert!(text.contains("location = \"outer\""), "{text}");
    assert!(text.contains("duration_days = 21"), "{text}");
    let out = knee_triage()
        .args(["assess", "--json", "--answers", saved_arg])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["triage"]["level"], "see-professional");
    assert_eq!(report["causes"][0]["id"], "itbs");
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
    answer(&mut p, "What now?", &[ENTER]); // stop here
    expect(&mut p, "You stopped at the warning signs");
    expect(&mut p, "EMERGENCY: ");
    expect(&mut p, "Get emergency care now");
    assert_eq!(exit_code(&mut p), 0);
}

#[test]
fn no_arguments_start_the_questionnaire_and_escape_ends_it_with_130() {
    let mut p = start(&[]);
    answer(&mut p, "Warning signs:", &[UP, " ", ENTER]);
    answer(&mut p, "How did the pain start?", &[ESCAPE]);
    assert_eq!(exit_code(&mut p), 130);
}
