//! The config file (issue 21, item 17): `knee-triage/config.toml` under
//! `$XDG_CONFIG_HOME`; a flag beats the environment, which beats the file;
//! a bad file is exit 2 with its path, line and key; `knee-triage config`
//! shows what is in force and where it came from.

use std::path::Path;

use crate::knee_triage;

fn with_config(dir: &Path, text: &str) -> assert_cmd::Command {
    let folder = dir.join("knee-triage");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join("config.toml"), text).expect("write");
    let mut cmd = knee_triage();
    cmd.env("XDG_CONFIG_HOME", dir);
    cmd
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_file_sets_units_and_diary_and_a_flag_or_the_environment_beats_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "units = \"mi\"\ndiary = \"my-diary.sqlite3\"\ncolor = \"never\"\n";
    let shown = stdout(with_config(dir.path(), text).arg("config"));
    let file = dir.path().join("knee-triage/config.toml");
    assert!(
        shown.contains(&format!("Config file: {}", file.display())),
        "{shown}"
    );
    let line = |key: &str| {
        shown
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key}: {shown}"))
            .to_owned()
    };
    assert!(
        line("units").contains("mi") && line("units").contains("config file"),
        "{shown}"
    );
    let diary = dir.path().join("knee-triage/my-diary.sqlite3");
    assert!(
        line("diary").contains(&diary.display().to_string()),
        "{shown}"
    );
    assert!(line("content").contains("default"), "{shown}");

    // The file's diary is the one checkin writes to.
    stdout(with_config(dir.path(), text).args(["checkin", "--pain", "2", "--run-km", "8.05"]));
    assert!(diary.exists());
    // The file's units are the ones history prints in.
    let h = stdout(with_config(dir.path(), text).args(["history", "--format", "csv"]));
    assert!(h.lines().next().unwrap_or("").contains("run_mi"), "{h}");
    assert!(h.contains(",5,"), "8.05 km is 5 mi: {h}");

    // The environment beats the file, and a flag beats both.
    let shown = stdout(
        with_config(dir.path(), text)
            .env("KNEE_TRIAGE_UNITS", "km")
            .arg("config"),
    );
    assert!(shown.contains("KNEE_TRIAGE_UNITS"), "{shown}");
    let h = stdout(
        with_config(dir.path(), text)
            .env("KNEE_TRIAGE_UNITS", "mi")
            .args(["--units", "km", "history", "--format", "csv"]),
    );
    assert!(h.contains("run_km") && h.contains(",8.05,"), "{h}");
    let other = dir.path().join("other.sqlite3");
    let shown = stdout(
        with_config(dir.path(), text)
            .env("KNEE_TRIAGE_DIARY", &other)
            .arg("config"),
    );
    assert!(
        shown.contains(&other.display().to_string()) && shown.contains("KNEE_TRIAGE_DIARY"),
        "{shown}"
    );
}

#[test]
fn a_bad_config_file_is_exit_2_with_its_path_line_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("knee-triage/config.toml");
    for (text, line, key) in [
        ("units = \"mi\"\nunit = \"km\"\n", 2, "unit"),
        ("# mine\n\nunits = \"miles\"\n", 3, "units"),
        ("color = 3\n", 1, "color"),
        ("pager = [1]\n", 1, "pager"),
    ] {
        let out = with_config(dir.path(), text)
            .args(["assess", "--location", "front"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{text}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("{}:{line}:", file.display())),
            "{text}: {stderr}"
        );
        assert!(stderr.contains(key), "{text}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}
