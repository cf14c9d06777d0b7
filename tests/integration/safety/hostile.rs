//! Hostile and broken input, as a table: each row is one bad input with the
//! exit code and the message it must get. Every row must end within a
//! second, with no panic and no backtrace, and (unless marked) with exactly
//! one line on stderr that starts with `error: `.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::knee_triage;

/// Where the input comes from.
enum Input {
    /// Bytes on standard input, with `assess --answers -`.
    Stdin(Vec<u8>),
    /// A file of this name and content in a temporary folder, with
    /// `assess --answers FILE`.
    File(&'static str, Vec<u8>),
    /// These arguments as they are (`{tmp}` is the temporary folder).
    Args(Vec<&'static str>),
    /// A pack folder holding these files, run with `content check` and
    /// `--content DIR assess`.
    Pack(Vec<(&'static str, Vec<u8>)>),
}

struct Row {
    name: &'static str,
    input: Input,
    code: i32,
    /// Must appear in the first line of stderr.
    message: &'static str,
    /// Clap's usage errors add a usage line and a tip after the error line.
    one_line: bool,
}

fn json(s: &str) -> Input {
    Input::Stdin(s.as_bytes().to_vec())
}

fn row(name: &'static str, input: Input, code: i32, message: &'static str) -> Row {
    Row {
        name,
        input,
        code,
        message,
        one_line: true,
    }
}

fn minimal_pack() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/minimal/pack.toml"),
    )
    .expect("minimal pack")
}

fn table() -> Vec<Row> {
    let deep = |n: usize| {
        format!(
            "{{\"location\": \"front\", \"worse_with\": {}{}}}",
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    let mut big_string = minimal_pack();
    big_string.extend(b"\n[[advice]]\nid = \"huge\"\ncategory = \"rest-recovery\"\ntitle = \"t\"\nsource = \"s\"\ntext = \"");
    big_string.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    big_string.extend(b"\"\n");
    let mut rows = vec![
        // Wrong types.
        row(
            "location is a number",
            json(r#"{"location": 3}"#),
            2,
            "invalid value for location: 3; allowed: inner, front",
        ),
        row(
            "location is a list",
            json(r#"{"location": ["front"]}"#),
            2,
            "invalid value for location: an array; allowed:",
        ),
        row(
            "bool given a word",
            json(r#"{"location": "front", "locking": "sometimes"}"#),
            2,
            "invalid value for locking: \"sometimes\"; allowed: true or false",
        ),
        row(
            "bool given a number",
            json(r#"{"location": "front", "fever": 1}"#),
            2,
            "invalid value for fever: 1; allowed: true or false",
        ),
        row(
            "enum given a bool",
            json(r#"{"location": "front", "swelling": true}"#),
            2,
            "invalid value for swelling: true; allowed: none, mild, marked",
        ),
        row(
            "int given a word",
            json(r#"{"location": "front", "pain_level": "high"}"#),
            2,
            "invalid value for pain_level: \"high\"; allowed: a whole number from 0 to 10",
        ),
        row(
            "int given a fraction",
            json(r#"{"location": "front", "age": 41.5}"#),
            2,
            "invalid value for age: 41.5",
        ),
        row(
            "list holding a number",
            json(r#"{"location": "front", "worse_with": [1]}"#),
            2,
            "invalid value for worse_with: a list holding a number",
        ),
        row(
            "list item misspelt",
            json(r#"{"location": "front", "worse_with": ["stairs", "jumpin"]}"#),
            2,
            "\"jumpin\" (did you mean \"jumping\"?)",
        ),
        row(
            "enum value misspelt",
            json(r#"{"location": "frnt"}"#),
            2,
            "\"frnt\" (did you mean \"front\"?)",
        ),
        row(
            "object as a value",
            json(r#"{"location": "front", "onset": {"when": "now"}}"#),
            2,
            "invalid value for onset: an object",
        ),
        // Unknown keys.
        row(
            "unknown key, close",
            json(r#"{"location": "front", "swellling": "mild"}"#),
            2,
            "unknown answer key \"swellling\" (did you mean \"swelling\"?)",
        ),
        row(
            "unknown key, kebab-case",
            json(r#"{"location": "front", "pain-level": 3}"#),
            2,
            "unknown answer key \"pain-level\" (did you mean \"pain_level\"?)",
        ),
        row(
            "unknown key, far",
            json(r#"{"location": "front", "banana": 1}"#),
            2,
            "unknown answer key \"banana\"; allowed keys: cannot_bear_weight, deformity",
        ),
        // Out-of-range numbers.
        row(
            "pain 11",
            json(r#"{"location": "front", "pain_level": 11}"#),
            2,
            "invalid value for pain_level: 11; allowed: a whole number from 0 to 10",
        ),
        row(
            "pain -1",
            json(r#"{"location": "front", "pain_level": -1}"#),
            2,
            "invalid value for pain_level: -1",
        ),
        row(
            "negative days",
            json(r#"{"location": "front", "duration_days": -3}"#),
            2,
            "invalid value for duration_days: -3",
        ),
        row(
            "negative duration text",
            json(r#"{"location": "front", "duration_days": "-3d"}"#),
            2,
            "invalid value for duration_days: \"-3d\"",
        ),
        row(
            "1e400",
            json(r#"{"location": "front", "weekly_km": 1e400}"#),
            2,
            "invalid value for weekly_km: 1e400 (too large a number); allowed: a distance in km from 0 to 500",
        ),
        row(
            "-1e400 pain",
            json(r#"{"location": "front", "pain_level": -1e400}"#),
            2,
            "invalid value for pain_level: -1e400",
        ),
        row(
            "rest days 8",
            json(r#"{"location": "front", "rest_days": 8}"#),
            2,
            "invalid value for rest_days: 8; allowed: a whole number from 0 to 7",
        ),
        row(
            "huge integer",
            json(r#"{"location": "front", "age": 123456789012345678901234567890}"#),
            2,
            "invalid value for age",
        ),
        row(
            "days overflow",
            json(r#"{"location": "front", "duration_days": "99999999999999999999m"}"#),
            2,
            "invalid value for duration_days",
        ),
        // Empty and wrong shapes.
        row(
            "empty stdin",
            json(""),
            2,
            "standard input: cannot read answers: the input is empty",
        ),
        row(
            "whitespace-only stdin",
            json(" \n\t \n"),
            2,
            "standard input: cannot read answers: the input is empty",
        ),
        row(
            "JSON null",
            json("null"),
            2,
            "answers must be a JSON object of key: value pairs, found null",
        ),
        row("JSON array", json("[1, 2]"), 2, "found an array"),
        row("JSON string", json("\"front\""), 2, "found a string"),
        row(
            "truncated JSON",
            json(r#"{"location": "#),
            2,
            "cannot read answers as JSON: EOF while parsing",
        ),
        row(
            "trailing garbage",
            json(r#"{"location": "front"} x"#),
            2,
            "cannot read answers as JSON: trailing characters",
        ),
        row(
            "missing location",
            json(r#"{"onset": "gradual"}"#),
            2,
            "missing answer: location is required",
        ),
        row(
            "location null",
            json(r#"{"location": null}"#),
            2,
            "missing answer: location is required",
        ),
        row(
            "TOML given as JSON, with a bad value",
            json("location = \"front\"\nonset = \"sideways\"\n"),
            2,
            "standard input:2:9: invalid value for onset: \"sideways\"; allowed: gradual, sudden",
        ),
        row(
            "JSON given as TOML, broken as both",
            Input::File("answers.toml", br#"{"location": "front",}"#.to_vec()),
            2,
            "answers.toml:1:22: cannot read answers as JSON (the name says TOML, but the text looks like JSON; it is not valid as either): trailing comma",
        ),
        row(
            "unquoted TOML text",
            Input::File(
                "answers.toml",
                b"onset = \"gradual\"\nlocation = front\n".to_vec(),
            ),
            2,
            "answers.toml:2:12: location = front: text needs quotes in TOML: location = \"front\"; allowed: inner, front",
        ),
        row(
            "unquoted JSON text",
            json("{\"location\": \"front\",\n \"onset\": gradual}"),
            2,
            "standard input:2:11: \"onset\": gradual: text needs double quotes in JSON: \"onset\": \"gradual\"; allowed: gradual, sudden",
        ),
        row(
            "TOML key given twice",
            Input::File(
                "answers.toml",
                b"location = \"front\"\nlocation = \"inner\"\n".to_vec(),
            ),
            2,
            "answers.toml:2:1: location: the answer is given twice; give each answer once",
        ),
        row(
            "neither JSON nor TOML",
            Input::File("answers.yaml", b"location: front\n".to_vec()),
            2,
            "answers.yaml:1:",
        ),
        row(
            "bad TOML value",
            Input::File(
                "answers.toml",
                b"location = \"front\"\npain_level = \"eleven\"\n".to_vec(),
            ),
            2,
            "answers.toml:2:14: invalid value for pain_level: \"eleven\"; allowed: a whole number from 0 to 10",
        ),
        // Bytes that are not text, and sizes no answers have.
        row(
            "non-UTF-8 stdin",
            Input::Stdin(b"{\"location\": \"fr\xffont\"}".to_vec()),
            2,
            "answers on standard input are not UTF-8 text",
        ),
        row(
            "non-UTF-8 file",
            Input::File("answers.json", b"\xfe\xff{}".to_vec()),
            2,
            "answers.json is not UTF-8 text",
        ),
        row(
            "50 MB answers file",
            Input::File("big.json", vec![b' '; 50 * 1024 * 1024]),
            2,
            "big.json is 50.0 MB, over the 1 MB limit for answers",
        ),
        row(
            "2 MB on stdin",
            Input::Stdin(vec![b' '; 2 * 1024 * 1024]),
            2,
            "answers on standard input is more than 1 MB, over the 1 MB limit for answers",
        ),
        row(
            "deeply nested JSON",
            json(&"[".repeat(100_000)),
            2,
            "cannot read answers as JSON: recursion limit exceeded",
        ),
        row(
            "deeply nested JSON value",
            json(&deep(50_000)),
            2,
            "cannot read answers as JSON: recursion limit exceeded",
        ),
        row(
            "deeply nested TOML",
            Input::File(
                "deep.toml",
                format!("location = {}", "[".repeat(100_000)).into_bytes(),
            ),
            2,
            "cannot read answers as TOML",
        ),
        // Files that are not there or not files.
        row(
            "missing file",
            Input::Args(vec!["assess", "--answers", "{tmp}/no/such.json"]),
            1,
            "no/such.json: No such file or directory",
        ),
        row(
            "directory as answers file",
            Input::Args(vec!["assess", "--answers", "{tmp}"]),
            1,
            "it is a directory, not a file",
        ),
        row(
            "file as pack folder",
            Input::Args(vec![
                "--content",
                "Cargo.toml",
                "assess",
                "--location",
                "front",
            ]),
            1,
            "cannot read content pack Cargo.toml",
        ),
        row(
            "missing pack folder",
            Input::Args(vec!["--content", "{tmp}/nothing", "content", "list"]),
            1,
            "cannot read content pack",
        ),
        // Flags.
        row(
            "flag out of range",
            Input::Args(vec!["assess", "--location", "front", "--pain-level", "11"]),
            2,
            "invalid value for pain_level: \"11\"",
        ),
        row(
            "flag bad duration",
            Input::Args(vec![
                "assess",
                "--location",
                "front",
                "--duration-days",
                "1.5w",
            ]),
            2,
            "invalid value for duration_days: \"1.5w\"",
        ),
        row(
            "flag bad bool",
            Input::Args(vec!["assess", "--location", "front", "--locking=maybe"]),
            2,
            "invalid value for locking: \"maybe\"",
        ),
        row(
            "flag bad enum",
            Input::Args(vec!["assess", "--location", "knee"]),
            2,
            "invalid value for location (--location): \"knee\"",
        ),
        // Forgiving forms, given wrong.
        row(
            "duration with a space, unquoted",
            Input::Args(vec![
                "assess",
                "--location",
                "front",
                "--duration-days",
                "3",
                "weeks",
            ]),
            2,
            "a value with a space must be quoted: --duration-days \"3 weeks\" (or --duration-days 3w)",
        ),
        row(
            "miles with a space, unquoted",
            Input::Args(vec![
                "assess",
                "--location",
                "front",
                "--weekly-km",
                "25",
                "mi",
            ]),
            2,
            "--weekly-km \"25 mi\" (or --weekly-km 25mi)",
        ),
        row(
            "quoted duration with an unknown unit",
            Input::Args(vec![
                "assess",
                "--location",
                "front",
                "--duration-days",
                "3 fortnights",
            ]),
            2,
            "invalid value for duration_days: \"3 fortnights\"; allowed: a whole number of days",
        ),
        row(
            "distance in furlongs",
            json(r#"{"location": "front", "weekly_km": "25 furlongs"}"#),
            2,
            "invalid value for weekly_km: \"25 furlongs\"; allowed: a distance in km from 0 to 500, or in miles",
        ),
        row(
            "miles over the range",
            json(r#"{"location": "front", "shoe_km": "99999 mi"}"#),
            2,
            "invalid value for shoe_km: \"99999 mi\"",
        ),
        row(
            "yes for a choice",
            json(r#"{"location": "front", "swelling": "yes"}"#),
            2,
            "invalid value for swelling: \"yes\"; allowed: none, mild, marked",
        ),
        row(
            "bool flag given a word with a space",
            Input::Args(vec!["assess", "--location", "front", "--locking", "maybe"]),
            2,
            "invalid value for locking: \"maybe\"; allowed: true or false (also yes or no)",
        ),
        row(
            "a word from the drawing",
            Input::Args(vec!["assess", "--location", "kneecap"]),
            2,
            "\"kneecap\" (did you mean \"front\" [around or behind the kneecap] or \"below-kneecap\" [just below the kneecap, on the tendon]?); allowed: inner, front",
        ),
        row(
            "two formats",
            Input::Args(vec![
                "assess",
                "--location",
                "front",
                "--json",
                "--format",
                "markdown",
            ]),
            2,
            "--json and --format markdown ask for two different formats",
        ),
        // Content packs.
        row(
            "pack that is not UTF-8",
            Input::Pack(vec![("pack.toml", b"name = \"\xff\"".to_vec())]),
            2,
            "stream did not contain valid UTF-8",
        ),
        row(
            "pack with a 10 MB string",
            Input::Pack(vec![("pack.toml", big_string)]),
            2,
            "over the 1 MB limit for one pack file",
        ),
        row(
            "empty pack folder",
            Input::Pack(vec![("notes.txt", b"hello".to_vec())]),
            2,
            "holds no .toml files",
        ),
    ];
    // An invalid pack lists every problem, one a line, then their count.
    rows.push(Row {
        one_line: false,
        ..row(
            "pack with a syntax error",
            Input::Pack(vec![("pack.toml", b"[pack\nname = 1\n".to_vec())]),
            2,
            "pack.toml:1:6: unclosed table",
        )
    });
    rows.push(Row {
        one_line: false,
        ..row(
            "unknown flag",
            Input::Args(vec!["assess", "--location", "front", "--lockng"]),
            2,
            "unexpected argument '--lockng' found",
        )
    });
    rows
}

#[test]
fn every_bad_input_gets_one_clear_line_and_its_exit_code_fast() {
    let rows = table();
    assert!(rows.len() >= 40, "only {} rows", rows.len());
    let mut failures = Vec::new();
    for r in rows {
        let tmp = tempfile::tempdir().expect("tempdir");
        let tmp_s = tmp.path().display().to_string();
        let mut runs = Vec::new();
        match &r.input {
            Input::Stdin(bytes) => {
                let mut cmd = knee_triage();
                cmd.args(["assess", "--answers", "-"])
                    .write_stdin(bytes.clone());
                runs.push(cmd);
            }
            Input::File(name, bytes) => {
                let path = tmp.path().join(name);
                std::fs::write(&path, bytes).expect("write");
                let mut cmd = knee_triage();
                cmd.args(["assess", "--answers"]).arg(&path);
                runs.push(cmd);
            }
            Input::Args(args) => {
                let mut cmd = knee_triage();
                cmd.args(args.iter().map(|a| a.replace("{tmp}", &tmp_s)));
                runs.push(cmd);
            }
            Input::Pack(files) => {
                for (name, bytes) in files {
                    std::fs::write(tmp.path().join(name), bytes).expect("write");
                }
                let mut check = knee_triage();
                check.args(["content", "check"]).arg(tmp.path());
                let mut assess = knee_triage();
                assess
                    .arg("--content")
                    .arg(tmp.path())
                    .args(["assess", "--location", "front"]);
                runs.push(check);
                runs.push(assess);
            }
        }
        for mut cmd in runs {
            let start = Instant::now();
            let out = cmd.timeout(Duration::from_secs(10)).output().expect("runs");
            let took = start.elapsed();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stdout = String::from_utf8_lossy(&out.stdout);
            // `content check` lists a pack's problems on stdout.
            let text = if stderr.is_empty() {
                stdout.clone()
            } else {
                stderr.clone()
            };
            let first = text.lines().next().unwrap_or("");
            let mut bad = Vec::new();
            if out.status.code() != Some(r.code) {
                bad.push(format!("exit {:?}, want {}", out.status.code(), r.code));
            }
            if !first.contains(r.message) {
                bad.push(format!("first line lacks {:?}", r.message));
            }
            if !stderr.is_empty() && !stderr.starts_with("error: ") {
                bad.push("stderr does not start with `error: `".into());
            }
            if r.one_line && stderr.lines().count() > 1 {
                bad.push("more than one line on stderr".into());
            }
            if text.contains("panicked") || text.contains("RUST_BACKTRACE") {
                bad.push("a panic".into());
            }
            if took > Duration::from_secs(1) {
                bad.push(format!("took {took:?}"));
            }
            if !bad.is_empty() {
                failures.push(format!(
                    "{}: {}\n  stderr: {stderr}\n  stdout: {}",
                    r.name,
                    bad.join("; "),
                    stdout.chars().take(300).collect::<String>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A reader that goes away (`| head -c1`) ends the run quietly, whatever
/// the command and format.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        vec!["assess", "--location", "front", "--onset", "gradual"],
        vec!["assess", "--location", "inner", "--locking", "--json"],
        vec!["content", "list"],
        vec!["content", "check"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("knee-triage"))
            .args(&args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}
