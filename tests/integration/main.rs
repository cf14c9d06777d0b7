//! One integration-test binary: the CLI as a user runs it, the
//! questionnaire in a pseudo-terminal, batch, the shipped content pack,
//! reviewed snapshots of the reports, the ecosystem (completions, man page,
//! schemas, Markdown) and the safety invariants and hostile inputs.

mod architecture;
mod ask;
mod batch;
mod checkin_answers;
mod cli;
mod config;
mod diary;
mod ecosystem;
mod forgiving;
mod from_diary;
mod hardening;
mod pack;
mod physio;
mod places;
mod plan;
mod reports;
mod return_plan;
mod runner_plan;
mod safety;
mod scripts;
mod training;
mod units;
mod warning_signs;

use assert_cmd::Command;

/// The contract's condition ids.
pub const CONDITIONS: [&str; 12] = [
    "pfps",
    "mcl",
    "meniscus",
    "itbs",
    "patellar-tendinopathy",
    "pes-anserine-bursitis",
    "osteoarthritis",
    "stress-fracture",
    "acl",
    "osgood-schlatter",
    "patellar-dislocation",
    "extensor-rupture",
];

/// The contract's contributing-factor ids.
pub const FACTORS: [&str; 7] = [
    "overpronation",
    "weak-muscles",
    "footwear",
    "overtraining",
    "running-form",
    "muscle-tightness",
    "hard-surfaces",
];

/// A clean `knee-triage` command: run from the repository root, with no
/// colour or width settings leaking in from the environment.
pub fn knee_triage() -> Command {
    let mut cmd = Command::cargo_bin("knee-triage").expect("binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        // No knee diary of the machine's user leaks into a test.
        .env_remove("KNEE_TRIAGE_DIARY")
        // Nor their config file, units or content pack.
        .env("XDG_CONFIG_HOME", "/nonexistent/knee-triage-tests")
        .env_remove("KNEE_TRIAGE_UNITS")
        .env_remove("KNEE_TRIAGE_CONTENT")
        .env("XDG_DATA_HOME", "/nonexistent/knee-triage-tests");
    cmd
}

/// Runs `assess --json` on these answers and parses the report.
pub fn assess_json(answers: &serde_json::Value) -> serde_json::Value {
    let out = knee_triage()
        .args(["assess", "--answers", "-", "--json"])
        .write_stdin(answers.to_string())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "assess failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// The shipped pack's files, not its golden cases (`content/cases/`), in
/// `to`: a pack to break for `content check`.
pub fn copy_pack(to: &std::path::Path) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("ls") {
            let path = entry.expect("entry").path();
            let name = path.file_name().expect("name");
            if path.is_dir() {
                if name != "cases" {
                    copy(&path, &to.join(name));
                }
            } else {
                std::fs::copy(&path, to.join(name)).expect("copy");
            }
        }
    }
    copy(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        to,
    );
}

/// `knee-triage --diary DIARY`, for the diary's commands.
pub fn diary_cmd(diary: &std::path::Path) -> Command {
    let mut cmd = knee_triage();
    cmd.arg("--diary").arg(diary);
    cmd
}

/// `checkin ARGS --json` into `diary`, which must succeed: its answer.
pub fn checkin(diary: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = diary_cmd(diary)
        .arg("checkin")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "checkin {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `history --json` of `diary`, which must succeed.
pub fn history(diary: &std::path::Path) -> serde_json::Value {
    let out = diary_cmd(diary)
        .args(["history", "--json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `plan` on these answers from 2027-01-04 (a Monday), with `extra` flags.
pub fn plan(answers: &serde_json::Value, extra: &[&str]) -> std::process::Output {
    knee_triage()
        .args(["plan", "--answers", "-", "--start", "2027-01-04"])
        .args(extra)
        .write_stdin(answers.to_string())
        .output()
        .expect("runs")
}

/// `plan --format json` on these answers, which must succeed.
pub fn plan_json(answers: &serde_json::Value) -> serde_json::Value {
    let out = plan(answers, &["--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// Runs `knee-triage` with `args` and, when given, `stdin`: the exit code
/// (-1 for a signal), standard output and standard error.
pub fn run_with(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = knee_triage();
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_owned());
    }
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
