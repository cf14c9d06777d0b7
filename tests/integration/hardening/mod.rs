//! Issue 19: what a hostile file, a shared folder or a killed process can
//! do. Each test here failed before its fix (the defect numbers are the
//! issue's). Tests that need a second user or `mknod` run when the tests
//! run as root (as CI does) and print why they skip otherwise.

mod diary;
mod inputs;
mod outputs;
mod training;

use std::path::Path;
use std::time::Duration;

use crate::knee_triage;

/// Whether the tests run as root: only then can they act as a second user.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Whether `setpriv` (util-linux) is there to run a command as `nobody`.
pub fn has_setpriv() -> bool {
    std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub const NOBODY: u32 = 65534;

/// `knee-triage` run as `nobody` through setpriv (root only).
pub fn as_nobody() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_knee-triage"))
        .env_remove("KNEE_TRIAGE_DIARY")
        .env("XDG_DATA_HOME", "/nonexistent/knee-triage-tests")
        .env("XDG_CONFIG_HOME", "/nonexistent/knee-triage-tests");
    cmd
}

pub fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("no NUL");
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// A command that must return quickly: a FIFO must never block it.
pub fn quick() -> assert_cmd::Command {
    let mut cmd = knee_triage();
    cmd.timeout(Duration::from_secs(20));
    cmd
}

/// A GPX run of about 1.1 km in 10 minutes whose `<type>` is `kind`.
pub fn gpx(kind: &str, day: u32) -> String {
    format!(
        r#"<?xml version="1.0"?><gpx version="1.1"><trk><type>{kind}</type><trkseg><trkpt lat="45" lon="7"><time>2026-03-{day:02}T07:00:00Z</time></trkpt><trkpt lat="45.01" lon="7"><time>2026-03-{day:02}T07:10:00Z</time></trkpt></trkseg></trk></gpx>"#
    )
}

/// Exit code, standard output and standard error.
pub fn outcome(out: &std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A diary with three days in it.
pub fn diary_with_days(path: &Path) {
    for day in 1..=3 {
        knee_triage()
            .arg("--diary")
            .arg(path)
            .args(["checkin", "--pain", "1", "--run-km", "4", "--date"])
            .arg(format!("2027-01-0{day}"))
            .assert()
            .success();
    }
}

pub fn days_in(path: &Path) -> usize {
    let out = knee_triage()
        .arg("--diary")
        .arg(path)
        .args(["history", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["days"].as_array().map_or(0, Vec::len)
}

/// Names in a folder, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
