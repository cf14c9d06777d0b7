//! `knee-triage batch` as a script runs it: every non-blank input line gives
//! exactly one output line, in input order, whatever the line endings, bad
//! lines or input size.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::Value;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_knee-triage"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    cmd
}

/// Runs `knee-triage ARGS` with `input` on stdin; returns (code, stdout, stderr).
fn run(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("runs");
    writer.join().expect("writer");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn parse_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The output line for an input line: `Ok(location)` for a report, `Err(line)` for an error.
fn shape(v: &Value) -> Result<String, u64> {
    match v.get("error") {
        Some(e) => {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
            Err(e["line"].as_u64().expect("error.line"))
        }
        None => {
            assert_eq!(v["schema_version"], 1);
            assert!(v["triage"]["level"].is_string(), "{v}");
            Ok(v["answers"]["location"]
                .as_str()
                .expect("location")
                .to_owned())
        }
    }
}

#[test]
fn bad_lines_at_start_middle_and_end_keep_their_place() {
    let input = b"{\"location\": \"knee\"}\n\
        {\"location\": \"front\"}\n\
        \n\
        not json\n\
        {\"location\": \"inner\", \"onset\": \"sudden\", \"mechanism\": \"twist\", \"locking\": true}\n\
        {\"onset\": \"gradual\"}\n\
        [1, 2]\n\
        {\"location\": \"outer\"}\n\
        {\"location\": \"back\", \"pain_level\": 11}";
    let (code, out, err) = run(&["batch"], input);
    assert_eq!(code, 2, "{err}");
    let lines = parse_lines(&out);
    let shapes: Vec<_> = lines.iter().map(shape).collect();
    assert_eq!(
        shapes,
        vec![
            Err(1),
            Ok("front".into()),
            Err(4),
            Ok("inner".into()),
            Err(6),
            Err(7),
            Ok("outer".into()),
            Err(9),
        ]
    );
    assert!(
        lines[0]["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("location")
                && m.contains("\"knee\"")
                && m.contains("front"))
    );
    assert!(
        lines[4]["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("location is required"))
    );
    assert_eq!(lines[3]["triage"]["level"], "urgent");
    assert!(err.contains("assessed 3, failed 5"), "{err}");
}

#[test]
fn reports_are_the_same_as_assess_json() {
    let answers = [
        r#"{"location": "outer", "onset": "gradual", "worse_with": ["running-distance", "downhill"], "tender_spot": "outer-femur"}"#,
        r#"{"location": "front", "cannot_bear_weight": true, "onset": "sudden", "mechanism": "fall-onto-knee"}"#,
    ];
    let (code, out, err) = run(&["batch"], answers.join("\n").as_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("assessed 2, failed 0"), "{err}");
    let lines = parse_lines(&out);
    assert_eq!(lines.len(), 2);
    for (line, answers) in lines.iter().zip(answers) {
        let (code, single, err) = run(&["assess", "--answers", "-", "--json"], answers.as_bytes());
        assert_eq!(code, 0, "{err}");
        let single: Value = serde_json::from_str(&single).expect("JSON");
        assert_eq!(line, &single);
    }
}

#[test]
fn crlf_blank_lines_and_no_final_newline() {
    let input = b"\r\n{\"location\": \"front\"}\r\n   \r\n{\"location\": \"inner\"}\r\n\r\n{\"location\": \"bad\"}\r\n{\"location\": \"back\"}";
    let (code, out, _) = run(&["batch"], input);
    assert_eq!(code, 2);
    let shapes: Vec<_> = parse_lines(&out).iter().map(shape).collect();
    assert_eq!(
        shapes,
        vec![
            Ok("front".into()),
            Ok("inner".into()),
            Err(6),
            Ok("back".into())
        ]
    );
    assert!(out.ends_with('\n'));
}

#[test]
fn a_line_that_is_not_utf8_is_an_error_line() {
    let input =
        b"{\"location\": \"front\"}\n{\"location\": \"fr\xffnt\"}\n{\"location\": \"inner\"}\n";
    let (code, out, err) = run(&["batch"], input);
    assert_eq!(code, 2, "{err}");
    let lines = parse_lines(&out);
    let shapes: Vec<_> = lines.iter().map(shape).collect();
    assert_eq!(shapes, vec![Ok("front".into()), Err(2), Ok("inner".into())]);
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("UTF-8"))
    );
}

#[test]
fn empty_input_gives_no_lines_and_succeeds() {
    let (code, out, err) = run(&["batch"], b"");
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("assessed 0, failed 0"), "{err}");
    let (code, out, _) = run(&["batch"], b"\n\r\n  \n");
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn order_is_kept_across_chunks_and_threads() {
    let locations = [
        "inner",
        "front",
        "below-kneecap",
        "outer",
        "back",
        "diffuse",
    ];
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 1..=9000u64 {
        if i % 997 == 0 {
            input.push_str("{\"location\": 7}\n");
            expected.push(Err(i));
        } else {
            let loc = locations[(i as usize * 7) % locations.len()];
            input.push_str(&format!("{{\"location\": \"{loc}\"}}\n"));
            expected.push(Ok(loc.to_owned()));
        }
    }
    for threads in ["1", "2", "3"] {
        let (code, out, err) = run(&["batch", "--threads", threads], input.as_bytes());
        assert_eq!(code, 2, "{err}");
        let shapes: Vec<_> = out
            .lines()
            .map(|l| shape(&serde_json::from_str(l).expect("JSON")))
            .collect();
        assert_eq!(shapes, expected, "threads {threads}");
    }
}

#[test]
fn output_file_is_written_whole_and_input_file_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    let output = dir.path().join("out.jsonl");
    std::fs::write(&input, "{\"location\": \"front\"}\nnope\n").expect("write");
    let (code, out, err) = run(
        &[
            "batch",
            "--input",
            input.to_str().expect("utf-8 path"),
            "--output",
            output.to_str().expect("utf-8 path"),
        ],
        b"",
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    let written = std::fs::read_to_string(&output).expect("output exists");
    let shapes: Vec<_> = parse_lines(&written).iter().map(shape).collect();
    assert_eq!(shapes, vec![Ok("front".into()), Err(2)]);
    // Only the input and the output: no temporary left behind.
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 2);

    // A missing input file is exit 1 with its path, and no output file appears.
    let missing = dir.path().join("missing.jsonl");
    let other = dir.path().join("other.jsonl");
    let (code, _, err) = run(
        &[
            "batch",
            "--input",
            missing.to_str().expect("utf-8 path"),
            "--output",
            other.to_str().expect("utf-8 path"),
        ],
        b"",
    );
    assert_eq!(code, 1);
    assert!(err.contains("missing.jsonl"), "{err}");
    assert!(!other.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 2);
}

#[test]
fn summary_counts_levels_and_causes() {
    let input = "{\"location\": \"inner\", \"onset\": \"sudden\", \"mechanism\": \"twist\", \"locking\": true}\n\
        {\"location\": \"front\", \"onset\": \"gradual\", \"worse_with\": [\"stairs\", \"squatting\", \"prolonged-sitting\"], \"tender_spot\": \"kneecap-edge\"}\n\
        {\"location\": \"front\", \"onset\": \"gradual\", \"worse_with\": [\"stairs\", \"squatting\", \"prolonged-sitting\"], \"tender_spot\": \"kneecap-edge\"}\n\
        {\"location\": \"nowhere\"}\n";
    let (code, out, err) = run(&["batch", "--summary", "--json"], input.as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("\"line\":4"),
        "the bad line is told on stderr: {err}"
    );
    let summary: Value = serde_json::from_str(&out).expect("JSON summary");
    assert_eq!(summary["assessed"], 3);
    assert_eq!(summary["failed"], 1);
    let levels = &summary["levels"];
    let total: u64 = ["emergency", "urgent", "see-professional", "self-care"]
        .iter()
        .map(|l| levels[l].as_u64().expect("count"))
        .sum();
    assert_eq!(total, 3);
    assert_eq!(levels["urgent"], 1);
    let causes = summary["causes"].as_array().expect("causes");
    let pfps = causes
        .iter()
        .find(|c| c["id"] == "pfps")
        .expect("pfps counted");
    assert_eq!(pfps["runners"], 2);
    assert!(causes.iter().any(|c| c["id"] == "meniscus"));
    // Most frequent first.
    let counts: Vec<u64> = causes
        .iter()
        .map(|c| c["runners"].as_u64().expect("n"))
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    let (code, table, _) = run(&["batch", "--summary"], input.as_bytes());
    assert_eq!(code, 2);
    assert!(
        table.contains("assessed 3 runners, failed 1 line"),
        "{table}"
    );
    assert!(
        table.contains("urgent") && table.contains("(pfps)"),
        "{table}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = bin()
        .args(["batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        for _ in 0..20_000 {
            if stdin.write_all(b"{\"location\": \"front\"}\n").is_err() {
                break;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("one line");
    drop(stdout);
    let out = child.wait_with_output().expect("exits");
    writer.join().expect("writer");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(first.starts_with("{\"schema_version\":1"));
}

/// One million lines streamed through the binary: every line is counted,
/// and the bad lines at the start, in the middle and at the end are told
/// with their line numbers. `--summary` keeps the output small so the test
/// measures reading and assessing, not the pipe.
#[test]
fn a_million_lines_stream_through() {
    const LINES: u64 = 1_000_000;
    let mut child = bin()
        .args(["batch", "--summary", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let mut buf = Vec::with_capacity(1 << 20);
        for i in 1..=LINES {
            let line: &[u8] = match i {
                1 | 500_000 | LINES => b"{\"location\": \"elbow\"}\n",
                _ if i % 2 == 0 => b"{\"location\": \"front\"}\r\n",
                _ => b"{\"location\":\"outer\"}\n",
            };
            buf.extend_from_slice(line);
            if buf.len() > (1 << 20) - 64 {
                stdin.write_all(&buf).expect("feeds");
                buf.clear();
            }
        }
        // No final newline.
        buf.pop();
        stdin.write_all(&buf).expect("feeds");
    });
    let out = child.wait_with_output().expect("runs");
    writer.join().expect("writer");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let summary: Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(summary["assessed"], LINES - 3);
    assert_eq!(summary["failed"], 3);
    let error_lines: Vec<u64> = err
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|v| v["error"]["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(error_lines, vec![1, 500_000, LINES]);
    assert!(
        err.contains(&format!("assessed {}, failed 3", LINES - 3)),
        "{err}"
    );
}

/// The club-survey example: CSV to JSON Lines with awk, then `batch --summary`.
#[test]
fn club_survey_example_runs_through_batch_summary() {
    let has = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has("bash") || !has("awk") {
        eprintln!("skipped: needs bash and awk");
        return;
    }
    let out = Command::new("bash")
        .args([
            "examples/survey-to-batch.sh",
            "examples/club-survey.csv",
            "--json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("KNEE_TRIAGE", env!("CARGO_BIN_EXE_knee-triage"))
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let summary: Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    let rows = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/club-survey.csv"),
    )
    .expect("csv")
    .lines()
    .skip(1)
    .filter(|l| !l.trim().is_empty())
    .count() as u64;
    assert!(rows >= 10);
    assert_eq!(summary["assessed"], rows, "{summary}");
    assert_eq!(summary["failed"], 0);
    // The survey holds a runner who cannot bear weight after a fall.
    assert!(
        summary["levels"]["emergency"].as_u64() >= Some(1),
        "{summary}"
    );
    assert!(
        summary["causes"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["id"] == "itbs")),
        "{summary}"
    );
}
