//! `-o`, `--output` and `ask --save`: defects 2, 3, 6, 7 and 15.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use super::{days_in, diary_with_days, is_root, names, outcome};
use crate::knee_triage;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o7777
}

/// Defect 7: the diary is 0600, so what is written from it is too; an
/// existing file keeps its mode.
#[test]
fn outputs_are_private_and_an_existing_file_keeps_its_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    diary_with_days(&diary);
    let export = dir.path().join("export.json");
    knee_triage()
        .arg("--diary")
        .arg(&diary)
        .args(["history", "--json", "-o"])
        .arg(&export)
        .assert()
        .success();
    assert_eq!(mode(&export), 0o600, "a new export is private");

    for existing in [0o600, 0o640] {
        let mine = dir.path().join(format!("mine-{existing:o}.md"));
        std::fs::write(&mine, "old").expect("seed");
        std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(existing)).expect("chmod");
        knee_triage()
            .args([
                "assess",
                "--location",
                "front",
                "--format",
                "markdown",
                "-o",
            ])
            .arg(&mine)
            .assert()
            .success();
        assert_eq!(mode(&mine), existing, "{}", mine.display());
        assert!(std::fs::read_to_string(&mine).expect("read").contains('#'));
    }
}

/// Defect 15: `-o` naming a folder fails and leaves no temporary file.
#[test]
fn output_onto_a_folder_fails_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("adir");
    std::fs::create_dir(&target).expect("mkdir");
    let out = knee_triage()
        .args([
            "plan",
            "--location",
            "front",
            "--onset",
            "gradual",
            "--format",
            "ics",
            "-o",
        ])
        .arg(&target)
        .output()
        .expect("runs");
    let (code, _, stderr) = outcome(&out);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains("adir"), "{stderr}");
    assert_eq!(names(dir.path()), ["adir"], "no temporary left");
}

/// Defect 6: `-o` naming the diary itself is refused (exit 2) for every
/// command that writes an output, and the diary keeps its days.
#[test]
fn output_onto_the_diary_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("diary.sqlite3");
    diary_with_days(&diary);
    let training = tempfile::tempdir().expect("tempdir");
    std::fs::write(training.path().join("a.gpx"), super::gpx("running", 1)).expect("gpx");
    let commands: Vec<Vec<String>> = vec![
        vec!["history".into()],
        vec!["history".into(), "--json".into()],
        vec!["assess".into(), "--location".into(), "front".into()],
        vec![
            "plan".into(),
            "--location".into(),
            "front".into(),
            "--onset".into(),
            "gradual".into(),
            "--save".into(),
            "--format".into(),
            "ics".into(),
        ],
        vec!["training".into(), training.path().display().to_string()],
    ];
    for args in commands {
        let out = knee_triage()
            .arg("--diary")
            .arg(&diary)
            .args(&args)
            .arg("-o")
            .arg(&diary)
            .output()
            .expect("runs");
        let (code, _, stderr) = outcome(&out);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("diary"), "{args:?}: {stderr}");
        assert_eq!(days_in(&diary), 3, "{args:?} kept every day");
    }
    // Through another name for the same file (a hard link) too.
    let link = dir.path().join("backup.sqlite3");
    std::fs::hard_link(&diary, &link).expect("link");
    let out = knee_triage()
        .arg("--diary")
        .arg(&diary)
        .args(["history", "-o"])
        .arg(&link)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(days_in(&diary), 3);
}

/// Defect 3: an output that is not a regular file (a pipe behind a
/// symbolic link, as `/dev/stdout` is) is written in place, never renamed
/// over.
#[test]
fn output_onto_a_pipe_is_written_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("stdout-link");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).expect("symlink");
    let out = knee_triage()
        .args([
            "assess",
            "--location",
            "front",
            "--format",
            "markdown",
            "-o",
        ])
        .arg(&link)
        .output()
        .expect("runs");
    let (code, stdout, stderr) = outcome(&out);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("# "),
        "the report reached the pipe: {stdout:?}"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(names(dir.path()), ["stdout-link"]);
}

/// Defect 3 as root: a character device given to `-o` stays a device.
#[test]
fn output_onto_a_device_keeps_the_device() {
    if !is_root() {
        eprintln!("skipped: mknod needs root");
        return;
    }
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let node = dir.path().join("null");
    let c = std::ffi::CString::new(node.as_os_str().as_bytes()).expect("path");
    // SAFETY: a valid path; makes a copy of /dev/null (char 1,3).
    let rc = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
    assert_eq!(rc, 0, "mknod");
    knee_triage()
        .args(["assess", "--location", "front", "-o"])
        .arg(&node)
        .assert()
        .success();
    let meta = std::fs::symlink_metadata(&node).expect("stat");
    use std::os::unix::fs::FileTypeExt;
    assert!(meta.file_type().is_char_device(), "still a device");
    assert_eq!(names(dir.path()), ["null"]);
}

/// Defect 2: in a shared folder, another user plants `.NAME.tmp-PID`
/// links to a root-only file (and writable regular files) for the coming
/// process ids; root's `plan -o` must neither write through them nor
/// leave its report owned by that user.
#[test]
fn planted_temporary_files_are_never_used() {
    if !is_root() {
        eprintln!("skipped: needs root to plant files as a second user");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("mkdir");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "VICTIM DATA\n").expect("victim");
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let last: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    for pid in last..last + 3000 {
        let link = shared.join(format!(".r.ics.tmp-{pid}"));
        std::os::unix::fs::symlink(&victim, &link).expect("plant link");
        std::os::unix::fs::lchown(&link, Some(super::NOBODY), Some(super::NOBODY)).expect("chown");
        let file = shared.join(format!(".r.md.tmp-{pid}"));
        std::fs::write(&file, "").expect("plant file");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).expect("chmod");
        std::os::unix::fs::chown(&file, Some(super::NOBODY), Some(super::NOBODY)).expect("chown");
    }
    knee_triage()
        .args([
            "plan",
            "--location",
            "front",
            "--onset",
            "gradual",
            "--format",
            "ics",
            "-o",
        ])
        .arg(shared.join("r.ics"))
        .assert()
        .success();
    knee_triage()
        .args([
            "assess",
            "--location",
            "front",
            "--format",
            "markdown",
            "-o",
        ])
        .arg(shared.join("r.md"))
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "VICTIM DATA\n"
    );
    for name in ["r.ics", "r.md"] {
        let meta = std::fs::symlink_metadata(shared.join(name)).expect("stat");
        assert!(meta.file_type().is_file(), "{name} is a regular file");
        assert_eq!(meta.uid(), 0, "{name} owned by root");
        assert_eq!(meta.mode() & 0o777, 0o600, "{name} private");
    }
}

/// Defect 15: SIGINT, SIGTERM or SIGHUP during `batch --output` leaves no
/// partial file behind.
#[test]
fn an_interrupted_batch_output_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("many.jsonl");
    let mut text = String::new();
    for i in 0..300_000 {
        text.push_str(&format!("{{\"id\":{i},\"location\":\"front\"}}\n"));
    }
    std::fs::write(&input, text).expect("input");
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let out_dir = dir.path().join(format!("out-{signal}"));
        std::fs::create_dir(&out_dir).expect("mkdir");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_knee-triage"))
            .args(["batch", "--threads", "1", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(out_dir.join("out.jsonl"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        // Wait until the temporary file exists (the run is writing).
        let started = std::time::Instant::now();
        while std::fs::read_dir(&out_dir).expect("ls").next().is_none()
            && started.elapsed() < std::time::Duration::from_secs(10)
        {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().expect("wait");
        assert!(!status.success(), "signal {signal}: interrupted");
        assert_eq!(names(&out_dir), Vec::<String>::new(), "signal {signal}");
    }
}
