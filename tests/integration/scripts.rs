//! For scripts (issue 11): runner ids through `assess` and `batch`, the
//! tool and pack in every report, the rules behind each cause with their
//! points, the summary by level, by answer and by name, and the README's
//! `jq` one-liners.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    crate::run_with(args, stdin)
}

fn json_report(args: &[&str], stdin: Option<&str>) -> Value {
    let (code, out, err) = run(args, stdin);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).expect("JSON report")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_answers_id_comes_back_in_the_report() {
    let r = json_report(
        &["assess", "--answers", "-", "--json"],
        Some(r#"{"id": "Ann Lee", "location": "front"}"#),
    );
    assert_eq!(r["id"], "Ann Lee");
    assert!(
        r["answers"].get("id").is_none(),
        "the id is not an answer: {}",
        r["answers"]
    );
    let r = json_report(
        &["assess", "--answers", "-", "--json"],
        Some(r#"{"id": 17, "location": "front"}"#),
    );
    assert_eq!(r["id"], 17);
    // Without an id there is no `id` member.
    let r = json_report(&["assess", "--location", "front", "--json"], None);
    assert!(r.get("id").is_none(), "{r}");
    // --id names the runner from the command line, over the file's id.
    let r = json_report(
        &["assess", "--answers", "-", "--json", "--id", "row 9"],
        Some(r#"{"id": 17, "location": "front"}"#),
    );
    assert_eq!(r["id"], "row 9");
    // In TOML too.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.toml");
    std::fs::write(&path, "id = \"Bo\"\nlocation = \"inner\"\n").expect("write");
    let r = json_report(
        &[
            "assess",
            "--answers",
            path.to_str().expect("utf-8"),
            "--json",
        ],
        None,
    );
    assert_eq!(r["id"], "Bo");
}

#[test]
fn an_id_that_is_neither_text_nor_a_whole_number_is_refused() {
    for (id, given) in [("1.5", "1.5"), ("true", "a boolean"), ("[1]", "an array")] {
        let input = format!(r#"{{"id": {id}, "location": "front"}}"#);
        let (code, out, err) = run(&["assess", "--answers", "-"], Some(&input));
        assert_eq!(code, 2, "{id}");
        assert_eq!(out, "");
        assert!(
            err.contains(&format!(
                "invalid value for id: {given}; allowed: a text or a whole number that names the runner"
            )),
            "{id}: {err}"
        );
    }
}

#[test]
fn every_report_names_the_tool_and_the_pack() {
    let r = json_report(&["assess", "--location", "front", "--json"], None);
    assert_eq!(r["tool"]["name"], "knee-triage");
    assert_eq!(r["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let pack_toml: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("content/pack.toml")).expect("read"))
            .expect("TOML");
    assert_eq!(
        r["pack"]["name"].as_str(),
        pack_toml["pack"]["name"].as_str()
    );
    assert_eq!(
        r["pack"]["version"].as_str(),
        pack_toml["pack"]["version"].as_str()
    );
    let hash = r["pack"]["hash"].as_str().expect("hash");
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')));
}

#[test]
fn the_pack_hash_is_the_same_for_the_same_files_wherever_they_are() {
    let hash_of = |content: Option<&Path>| -> String {
        let mut args: Vec<String> = Vec::new();
        if let Some(dir) = content {
            args.extend(["--content".into(), dir.display().to_string()]);
        }
        args.extend(["assess", "--location", "front", "--json"].map(String::from));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        json_report(&args, None)["pack"]["hash"]
            .as_str()
            .expect("hash")
            .to_owned()
    };
    let embedded = hash_of(None);
    assert_eq!(hash_of(Some(Path::new("content"))), embedded);
    assert_eq!(hash_of(Some(Path::new("./content/"))), embedded);
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("another name");
    crate::copy_pack(&copy);
    assert_eq!(hash_of(Some(&copy)), embedded, "a copy elsewhere");
    // One more line in one file is another pack.
    let pack_toml = copy.join("pack.toml");
    let text = std::fs::read_to_string(&pack_toml).expect("read");
    std::fs::write(&pack_toml, format!("{text}\n# edited\n")).expect("write");
    assert_ne!(hash_of(Some(&copy)), embedded);
}

#[test]
fn causes_carry_their_rules_with_points_and_against_is_always_a_list() {
    let vignettes = std::fs::read_to_string(root().join("tests/fixtures/vignettes-public.jsonl"))
        .expect("vignettes");
    let input: String = vignettes
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON");
            format!("{}\n", v["answers"])
        })
        .collect();
    let (code, out, err) = run(&["batch"], Some(&input));
    assert_eq!(code, 0, "{err}");
    let mut negative = 0;
    let mut causes = 0;
    for line in out.lines() {
        let r: Value = serde_json::from_str(line).expect("JSON line");
        for c in r["causes"].as_array().expect("causes") {
            causes += 1;
            let rules = c["rules"].as_array().expect("rules");
            let against = c["against"].as_array().expect("against is always a list");
            let sum: i64 = rules
                .iter()
                .map(|r| r["points"].as_i64().expect("points"))
                .sum();
            assert_eq!(Some(sum), c["points"].as_i64(), "{c}");
            let below: Vec<&Value> = rules
                .iter()
                .filter(|r| r["points"].as_i64() < Some(1))
                .collect();
            assert_eq!(below.len(), against.len(), "{c}");
            negative += below.len();
            for rule in rules {
                assert!(!rule["id"].as_str().unwrap_or("").is_empty(), "{rule}");
                let text = rule["text"].as_str().expect("text");
                assert!(
                    c["evidence"]
                        .as_array()
                        .into_iter()
                        .chain(c["against"].as_array())
                        .flatten()
                        .any(|e| e.as_str().is_some_and(|e| e.starts_with(text))),
                    "{text} is in evidence or against: {c}"
                );
            }
        }
    }
    assert!(causes > 20, "{causes}");
    assert!(negative > 0, "some rule counted against a cause");
}

#[test]
fn batch_echoes_ids_in_reports_and_errors() {
    let input = concat!(
        r#"{"id": "Ann", "location": "front"}"#,
        "\n",
        r#"{"id": 2, "location": "knee"}"#,
        "\n",
        r#"{"location": "knee"}"#,
        "\n",
        "not json\n",
        r#"{"id": "Cy", "location": "inner", "locking": "yes"}"#,
        "\n",
    );
    let (code, out, _) = run(&["batch"], Some(input));
    assert_eq!(code, 2);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], "Ann");
    assert_eq!(lines[1]["error"]["id"], 2);
    assert_eq!(lines[1]["error"]["line"], 2);
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("location") && m.contains("\"knee\"")),
        "{}",
        lines[1]
    );
    assert!(lines[2]["error"].get("id").is_none(), "{}", lines[2]);
    assert!(lines[3]["error"].get("id").is_none(), "{}", lines[3]);
    assert_eq!(lines[4]["id"], "Cy");
    assert_eq!(lines[4]["triage"]["level"], "urgent");
}

const SURVEY: &str = concat!(
    r#"{"id": "Ann", "location": "back", "calf_swelling": true, "surface": "road", "age": 34}"#,
    "\n",
    r#"{"id": "Bo", "location": "inner", "onset": "sudden", "mechanism": "twist", "locking": true, "surface": "trail", "age": 38}"#,
    "\n",
    r#"{"location": "front", "onset": "gradual", "surface": "road", "age": 52}"#,
    "\n",
    r#"{"id": 7, "location": "front", "onset": "gradual", "surface": "road"}"#,
    "\n",
);

#[test]
fn summary_lists_who_is_in_each_level() {
    let (code, out, err) = run(
        &["batch", "--summary", "--list-ids", "--json"],
        Some(SURVEY),
    );
    assert_eq!(code, 0, "{err}");
    let s: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(s["ids"]["emergency"], serde_json::json!(["Ann"]));
    assert_eq!(s["ids"]["urgent"], serde_json::json!(["Bo"]));
    let rest: Vec<&str> = ["see-professional", "self-care"]
        .iter()
        .flat_map(|l| s["ids"][l].as_array().expect("list"))
        .filter_map(Value::as_str)
        .collect();
    let mut rest = rest;
    rest.sort_unstable();
    assert_eq!(rest, vec!["7", "line 3"]);
    // The table says the same, one row per level.
    let (code, out, _) = run(&["batch", "--summary", "--list-ids"], Some(SURVEY));
    assert_eq!(code, 0);
    let row = |level: &str| {
        out.lines()
            .find(|l| l.contains(&format!(" {level} ")))
            .unwrap_or_else(|| panic!("no {level} row:\n{out}"))
            .to_owned()
    };
    assert!(row("emergency").contains("Ann"), "{out}");
    assert!(row("urgent").contains("Bo"), "{out}");
    assert!(out.contains("who"), "{out}");
}

#[test]
fn summary_groups_by_an_answer_or_by_age_band() {
    let (code, out, err) = run(
        &["batch", "--summary", "--by", "surface", "--json"],
        Some(SURVEY),
    );
    assert_eq!(code, 0, "{err}");
    let s: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(s["by"]["key"], "surface");
    let groups = s["by"]["groups"].as_array().expect("groups");
    let road = groups.iter().find(|g| g["value"] == "road").expect("road");
    assert_eq!(road["runners"], 3);
    assert_eq!(road["levels"]["emergency"], 1);
    let trail = groups
        .iter()
        .find(|g| g["value"] == "trail")
        .expect("trail");
    assert_eq!(trail["levels"]["urgent"], 1);

    let (code, out, _) = run(
        &["batch", "--summary", "--by", "age-band", "--json"],
        Some(SURVEY),
    );
    assert_eq!(code, 0);
    let s: Value = serde_json::from_str(&out).expect("JSON");
    let values: Vec<&str> = s["by"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["value"].as_str())
        .collect();
    assert_eq!(values, vec!["(not answered)", "30-39", "50-59"]);
    let (code, out, _) = run(&["batch", "--summary", "--by", "age-band"], Some(SURVEY));
    assert_eq!(code, 0);
    assert!(out.contains("30-39"), "{out}");
}

/// `--by id-field:N` groups on a part of the runner's id (a club, a
/// squad); a runner without an id, or without that part, gets a group of
/// its own.
#[test]
fn summary_groups_by_a_field_of_the_id() {
    let survey = concat!(
        r#"{"id": "north/ann", "location": "back", "calf_swelling": true}"#,
        "\n",
        r#"{"id": "north/bo", "location": "front", "onset": "gradual"}"#,
        "\n",
        r#"{"id": "south-cy", "location": "inner", "onset": "sudden", "locking": true}"#,
        "\n",
        r#"{"location": "front", "onset": "gradual"}"#,
        "\n",
        r#"{"id": 7, "location": "front", "onset": "gradual"}"#,
        "\n",
    );
    let groups = |by: &str| -> Vec<(String, u64)> {
        let (code, out, err) = run(&["batch", "--summary", "--by", by, "--json"], Some(survey));
        assert_eq!(code, 0, "{err}");
        let s: Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(s["by"]["key"], by);
        s["by"]["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| {
                (
                    g["value"].as_str().expect("value").to_owned(),
                    g["runners"].as_u64().expect("runners"),
                )
            })
            .collect()
    };
    let first = groups("id-field:1");
    assert!(first.contains(&("north".into(), 2)), "{first:?}");
    assert!(first.contains(&("south".into(), 1)), "{first:?}");
    assert!(first.contains(&("7".into(), 1)), "{first:?}");
    assert!(first.contains(&("(no id)".into(), 1)), "{first:?}");
    assert_eq!(groups("id-field"), first);
    let second = groups("id-field:2");
    assert!(second.contains(&("ann".into(), 1)), "{second:?}");
    assert!(second.contains(&("cy".into(), 1)), "{second:?}");
    assert!(
        second.contains(&("(no such field)".into(), 1)),
        "{second:?}"
    );
    let (code, out, err) = run(&["batch", "--summary", "--by", "id-field:0"], Some(survey));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("id-field:N with N from 1"), "{err}");
}

#[test]
fn summary_options_are_checked() {
    let (code, out, err) = run(&["batch", "--summary", "--by", "surfce"], Some(SURVEY));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("invalid value for --by: \"surfce\" (did you mean \"surface\"?); allowed: an answer key (")
            && err.contains("age-band"),
        "{err}"
    );
    let (code, _, err) = run(&["batch", "--list-ids"], Some(SURVEY));
    assert_eq!(code, 2);
    assert!(err.contains("--summary"), "{err}");
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// PATH with the built binary first.
fn path_with_binary() -> std::ffi::OsString {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_knee-triage"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH")
}

/// The done-when of issue 11: a coach's CSV with a name column goes
/// through the script, and the summary says who needs care now.
#[test]
fn a_coachs_csv_with_names_says_who_needs_care_now() {
    if !have("bash") || !have("awk") {
        eprintln!("skipped: needs bash and awk");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("club.csv");
    std::fs::write(
        &csv,
        "Name,location,onset,calf_swelling,locking,worse_with,age\n\
         Priya,back,,yes,,,41\n\
         Tom,inner,sudden,,yes,twisting,29\n\
         Sam,front,gradual,,,stairs;squatting,35\n",
    )
    .expect("write");
    let script = |extra: &[&str]| {
        let out = Command::new("bash")
            .arg("examples/survey-to-batch.sh")
            .arg(&csv)
            .args(extra)
            .current_dir(root())
            .env("KNEE_TRIAGE", env!("CARGO_BIN_EXE_knee-triage"))
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let s: Value = serde_json::from_str(&script(&["--json"])).expect("JSON");
    assert_eq!(s["ids"]["emergency"], serde_json::json!(["Priya"]));
    assert_eq!(s["ids"]["urgent"], serde_json::json!(["Tom"]));
    let table = script(&[]);
    let emergency = table
        .lines()
        .find(|l| l.contains(" emergency "))
        .expect("emergency row");
    assert!(emergency.contains("Priya"), "{table}");
    // The example survey too: every runner is named in some level.
    let out = Command::new("bash")
        .args([
            "examples/survey-to-batch.sh",
            "examples/club-survey.csv",
            "--json",
        ])
        .current_dir(root())
        .env("KNEE_TRIAGE", env!("CARGO_BIN_EXE_knee-triage"))
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    let s: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let named: usize = s["ids"]
        .as_object()
        .expect("ids")
        .values()
        .map(|v| v.as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(Some(named as u64), s["assessed"].as_u64());
    assert!(
        s["ids"]["emergency"].as_array().is_some_and(|a| a
            .iter()
            .all(|v| v.as_str().is_some_and(|n| !n.starts_with("line ")))),
        "{s}"
    );
}

/// Every `jq` one-liner in the README's code blocks runs, and prints what
/// the README shows after it (a `# ...` line right below), if anything.
#[test]
fn the_readmes_jq_one_liners_run() {
    if !have("jq") || !have("sh") {
        eprintln!("skipped: needs jq");
        return;
    }
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let lines: Vec<&str> = readme.lines().collect();
    let mut in_block = false;
    let mut ran = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("```") {
            in_block = line.trim() == "```sh";
            continue;
        }
        if !in_block || !line.contains("| jq ") || line.contains("survey.jsonl") {
            continue;
        }
        let mut start = i;
        while start > 0 && lines[start - 1].ends_with('\\') {
            start -= 1;
        }
        let command = lines[start..=i].join("\n");
        let out = Command::new("sh")
            .args(["-c", &command])
            .current_dir(root())
            .env("PATH", path_with_binary())
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && !stdout.trim().is_empty(),
            "{command}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if let Some(shown) = lines.get(i + 1).and_then(|l| l.strip_prefix("# ")) {
            assert_eq!(stdout.trim(), shown, "{command}");
        }
        ran.push(command);
    }
    assert!(
        ran.iter().any(|c| c.contains(".rules[].points")),
        "a one-liner over causes[].rules[].points: {ran:#?}"
    );
    assert!(ran.len() >= 5, "{ran:#?}");
}
