//! The tool in a runner's shell and a script author's toolchain: shell
//! completions in a real bash, the man page through groff and man, the JSON
//! Schemas (committed, and checked against real reports and answers), the
//! Markdown report, --quiet, --output, help examples, the example answers
//! files and the jq one-liner.

use std::path::{Path, PathBuf};
use std::process::Command;

use knee_triage::answers::Answers;
use knee_triage::content;
use knee_triage::model::{CauseKind, Pack};
use knee_triage::render::markdown::{self, Page};
use knee_triage::render::schema::{self, SchemaKind};
use knee_triage::report::Report;
use serde_json::{Value as Json, json};

use crate::knee_triage;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pack() -> Pack {
    content::load_from(None).expect("embedded pack")
}

/// Whether an outside tool is there. On CI (`CI` set) a missing tool is a
/// failure, because `.ci/run` installs it; elsewhere the test says why it
/// skips.
fn have_tool(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing on CI; .ci/run should have installed it"
        );
        eprintln!("skipped: {tool} is not installed (.ci/run installs it)");
    }
    found
}

fn run_ok(args: &[&str]) -> String {
    let out = knee_triage().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

// ------------------------------------------------------------ completions

/// What bash offers at the end of `words` (the last word is the one being
/// completed), from the script `knee-triage completions bash` prints.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let program = format!(
        "source '{}' || exit 3\n\
         COMP_WORDS=({})\nCOMP_CWORD={cword}\n\
         func=$(complete -p knee-triage | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n\
         \"$func\" knee-triage '{}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[cword],
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completion_offers_the_pack_values_in_a_real_bash() {
    if !have_tool("bash") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("knee-triage.bash");
    std::fs::write(&script, run_ok(&["completions", "bash"])).expect("write");
    let pack = pack();
    let location = pack
        .questions
        .iter()
        .find(|q| q.id == "location")
        .expect("location");

    let offered = bash_complete(&script, &["knee-triage", "assess", "--location", ""]);
    assert_eq!(offered, location.option_values(), "--location <TAB>");

    let offered = bash_complete(&script, &["knee-triage", "assess", "--location", "b"]);
    assert_eq!(offered, ["below-kneecap", "back"], "--location b<TAB>");

    let offered = bash_complete(&script, &["knee-triage", "assess", "--tender-spot", "fi"]);
    assert_eq!(offered, ["fibula-head"]);

    let offered = bash_complete(&script, &["knee-triage", "assess", "--format", ""]);
    assert_eq!(offered, ["human", "json", "markdown"]);

    let offered = bash_complete(&script, &["knee-triage", "assess", "--worse"]);
    assert_eq!(offered, ["--worse-with"], "answer flags complete");

    let offered = bash_complete(&script, &["knee-triage", "sch"]);
    assert_eq!(offered, ["schema"]);

    let offered = bash_complete(&script, &["knee-triage", "completions", "z"]);
    assert_eq!(offered, ["zsh"]);
}

#[test]
fn every_shell_gets_a_script_with_the_answer_flags_and_values() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run_ok(&["completions", shell]);
        for needle in ["worse-with", "tender-spot", "schema"] {
            assert!(script.contains(needle), "{shell} script lacks {needle}");
        }
        // clap_complete completes values in bash, zsh and fish only.
        if ["bash", "zsh", "fish"].contains(&shell) {
            for needle in ["running-distance", "fibula-head", "markdown"] {
                assert!(script.contains(needle), "{shell} script lacks {needle}");
            }
        }
    }
    let out = knee_triage()
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------- man page

#[test]
fn man_page_is_valid_roff_and_reads_in_man() {
    let page = run_ok(&["man"]);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{page:.80}"
    );
    for needle in [".SH \"KNEE-TRIAGE ASSESS\"", "location", "worse\\-with"] {
        assert!(page.contains(needle), "man page lacks {needle}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("knee-triage.1");
    std::fs::write(&file, &page).expect("write");

    if have_tool("groff") {
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&file)
            .output()
            .expect("groff runs");
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "groff warns about the page"
        );
    }
    if have_tool("man") {
        let out = Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "100")
            .env("MAN_KEEP_FORMATTING", "")
            .output()
            .expect("man runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        // man may embolden with backspaces when it thinks it has a terminal.
        let text: String = strip_overstrike(&text);
        // Justified lines have runs of spaces; compare words.
        let text = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        for needle in [
            "NAME",
            "knee-triage - Triage knee pain in runners",
            "KNEE-TRIAGE ASSESS",
            "--location <LOCATION>",
            "--duration-days <DAYS>",
            "knee-triage schema report",
        ] {
            assert!(
                text.contains(needle),
                "man output lacks {needle:?}:\n{text}"
            );
        }
    }
}

fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if c == '\u{8}' {
            out.pop();
            continue;
        }
        out.push(c);
    }
    // "x\bx" leaves the second x after popping the first.
    out.into_iter().collect()
}

// ------------------------------------------------------------ JSON Schema

#[test]
fn committed_schemas_match_the_code() {
    for (kind, name) in [
        (SchemaKind::Report, "report"),
        (SchemaKind::Answers, "answers"),
    ] {
        let path = root().join(format!("docs/schema/{name}.schema.json"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let generated = run_ok(&["schema", name]);
        assert_eq!(generated, schema::to_text(kind, &pack()));
        assert!(
            committed == generated,
            "docs/schema/{name}.schema.json is out of date with the code; regenerate it with\n    \
             cargo run -- schema {name} > docs/schema/{name}.schema.json"
        );
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join(format!("docs/schema/{name}.schema.json")))
        .expect("committed schema");
    let schema: Json = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft202012::meta::validate(&schema).expect("a valid 2020-12 schema");
    jsonschema::draft202012::new(&schema).expect("schema compiles")
}

fn errors(v: &jsonschema::Validator, instance: &Json) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every public vignette's and golden case's answers, with a name.
fn all_answers() -> Vec<(String, Json)> {
    let mut all = Vec::new();
    let vignettes = std::fs::read_to_string(root().join("tests/fixtures/vignettes-public.jsonl"))
        .expect("vignettes");
    for line in vignettes.lines().filter(|l| !l.trim().is_empty()) {
        let v: Json = serde_json::from_str(line).expect("vignette line");
        all.push((format!("vignette {}", v["id"]), v["answers"].clone()));
    }
    let mut case_files: Vec<_> = std::fs::read_dir(root().join("content/cases"))
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .collect();
    case_files.sort();
    for path in case_files {
        let table: toml::Table =
            toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("TOML");
        for case in table["case"].as_array().expect("[[case]]") {
            let answers = serde_json::to_value(&case["answers"]).expect("answers");
            all.push((format!("golden case {}", case["id"]), answers));
        }
    }
    all
}

#[test]
fn real_reports_of_every_vignette_and_golden_case_fit_the_report_schema() {
    let v = validator("report");
    let all = all_answers();
    assert!(all.len() >= 60, "only {} answer sets", all.len());
    for (name, answers) in &all {
        let out = knee_triage()
            .args(["assess", "--answers", "-", "--json"])
            .write_stdin(answers.to_string())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{name}");
        let report: Json = serde_json::from_slice(&out.stdout).expect("JSON");
        let problems = errors(&v, &report);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }

    // The schema really constrains: a report with a wrong level, a score
    // above 1 or a missing member does not fit.
    let (_, answers) = &all[0];
    let pack = pack();
    let good = serde_json::to_value(Report::new(
        &pack,
        &Answers::from_json(&pack, answers).expect("answers"),
    ))
    .expect("report");
    assert!(errors(&v, &good).is_empty());
    let mut bad = good.clone();
    bad["triage"]["level"] = json!("maybe");
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = good.clone();
    bad["causes"][0]["score"] = json!(1.5);
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = good.clone();
    bad.as_object_mut().expect("object").remove("disclaimer");
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = good;
    bad["answers"]["duration_days"] = json!("3w");
    assert!(
        !errors(&v, &bad).is_empty(),
        "reports hold durations in days"
    );
}

#[test]
fn answers_files_fit_the_answers_schema_and_the_schema_agrees_with_the_reader() {
    let v = validator("answers");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["examples", "examples/causes"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json" || e == "toml") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 20, "{files:?}");
    let mut all = all_answers();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let value = if path.extension().is_some_and(|e| e == "toml") {
            serde_json::to_value(toml::from_str::<toml::Table>(&text).expect("TOML"))
                .expect("value")
        } else {
            serde_json::from_str(&text).expect("JSON")
        };
        all.push((path.display().to_string(), value));
    }
    for (name, answers) in &all {
        let problems = errors(&v, answers);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }

    // Answers the reader accepts and the schema accepts too...
    for good in [
        json!({"location": "front", "duration_days": "3w"}),
        json!({"location": "front", "duration_days": "3 weeks"}),
        json!({"location": "front", "weekly_km": "25 mi", "shoe_km": "400km"}),
        json!({"location": "front", "duration_days": 21, "pain_level": 0}),
        json!({"location": "outer", "worse_with": [], "weekly_km": 42.5}),
    ] {
        assert!(errors(&v, &good).is_empty(), "{good}");
        let out = knee_triage()
            .args(["assess", "--answers", "-", "--json"])
            .write_stdin(good.to_string())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{good}");
    }
    // ...and answers the reader refuses, the schema refuses.
    for bad in [
        json!({"onset": "gradual"}),
        json!({"location": "up"}),
        json!({"location": "front", "pain_level": 11}),
        json!({"location": "front", "rest_days": 2.5}),
        json!({"location": "front", "duration_days": "3 fortnights"}),
        json!({"location": "front", "weekly_km": "25 furlongs"}),
        json!({"location": "front", "worse_with": ["hills"]}),
        json!({"location": "front", "locking": "sometimes"}),
        json!({"location": "front", "knee": "left"}),
    ] {
        assert!(!errors(&v, &bad).is_empty(), "schema accepts {bad}");
        let out = knee_triage()
            .args(["assess", "--answers", "-", "--json"])
            .write_stdin(bad.to_string())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "reader accepts {bad}");
    }
}

// -------------------------------------------------------- Markdown report

fn markdown_of(json: &str) -> String {
    let pack = pack();
    let answers = Answers::from_json_str(&pack, json).expect("answers");
    let report = Report::new(&pack, &answers);
    let md = markdown::markdown(&report, &pack, Page::dated("2025-03-14"));
    // A release changes the version, not the report.
    md.replace(
        concat!("knee-triage ", env!("CARGO_PKG_VERSION"), ","),
        "knee-triage [version],",
    )
}

#[test]
fn markdown_twisted_knee() {
    insta::assert_snapshot!(markdown_of(
        r#"{"location":"inner","onset":"sudden","mechanism":"twist","swelling":"mild","swelling_onset":"delayed","clicking":"painful","tender_spot":"joint-line","duration_days":3,"age":37,"worse_with":["twisting","squatting"],"locking":false}"#
    ));
}

#[test]
fn markdown_emergency_without_a_clear_pattern() {
    insta::assert_snapshot!(markdown_of(
        r#"{"location":"back","calf_swelling":true,"pain_level":4}"#
    ));
}

#[test]
fn markdown_has_every_section_in_order_and_the_knee_drawing() {
    let md = markdown_of(
        r#"{"location":"outer","onset":"gradual","worse_with":["running-distance"],"tender_spot":"outer-femur","shoe_km":900,"weekly_km":40}"#,
    );
    let mut last = 0;
    for heading in [
        "# Knee pain report",
        "**Date:** 2025-03-14",
        "## My answers",
        "## Where it hurts",
        "## How urgent: ",
        "## What may be going on",
        "### IT-band syndrome",
        "Pointing to it:",
        "## What may be adding to it",
        "## What to do",
        "## Notes for my physiotherapist",
        "This is not a diagnosis",
    ] {
        let at = md[last..]
            .find(heading)
            .unwrap_or_else(|| panic!("{heading:?} missing or out of order:\n{md}"));
        last += at;
    }
    let drawing = knee_triage::render::diagram::knee(
        Some("outer"),
        knee_triage::render::diagram::WIDE,
        false,
    );
    assert!(
        md.contains(&format!("```text\n{}\n```", drawing.trim_end())),
        "the human report's drawing, in a code block"
    );
    assert!(md.contains("●OUTER"));
    assert!(md.contains("Where does it hurt most? **Outer side"));
    assert!(!md.contains('\x1b'));
}

#[test]
fn markdown_from_the_command_line_to_stdout_and_to_a_file() {
    let args = [
        "--color",
        "always",
        "assess",
        "--answers",
        "examples/twisted-knee.json",
        "--format",
        "markdown",
        "--date",
        "2025-03-14",
    ];
    let printed = run_ok(&args);
    assert!(printed.starts_with("---\npagetitle: \"Knee pain report, "));
    assert!(printed.contains("\n---\n\n# Knee pain report\n"));
    assert!(printed.contains("**Date:** 2025-03-14"));
    assert!(!printed.contains('\x1b'), "Markdown never carries colour");

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("for-my-physio.md");
    std::fs::write(&file, "an older report").expect("seed");
    let mut with_output: Vec<&str> = args.to_vec();
    let file_arg = file.to_string_lossy().into_owned();
    with_output.extend(["--output", &file_arg]);
    let stdout = run_ok(&with_output);
    assert_eq!(stdout, "", "nothing on stdout with --output");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), printed);
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("ls").count(),
        1,
        "no temporary file left behind"
    );

    // Without --date it is today's date, from the clock.
    let today = run_ok(&["assess", "--location", "front", "--format", "markdown"]);
    assert!(today.contains(&format!("**Date:** {}", markdown::today())));

    let out = knee_triage()
        .args(["assess", "--location", "front", "--format", "markdown"])
        .args(["--date", "2025-02-30"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));

    let out = knee_triage()
        .args(["assess", "--location", "front", "--output"])
        .arg(dir.path().join("no-such-dir/report.txt"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
}

// ------------------------------------------------------- human polish

#[test]
fn quiet_prints_only_the_triage_line() {
    let out = run_ok(&["assess", "--answers", "examples/red-flag.json", "--quiet"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("EMERGENCY: "), "{out}");
    let full = run_ok(&["assess", "--answers", "examples/red-flag.json"]);
    assert_eq!(full.lines().next(), out.lines().next());

    let coloured = run_ok(&["--color", "always", "assess", "--location", "front", "-q"]);
    assert!(coloured.starts_with('\x1b'));

    let out = knee_triage()
        .args(["assess", "--location", "front", "--quiet", "--json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--quiet"));
}

#[test]
fn every_command_has_examples_in_its_help() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let here = format!("{path} {}", cmd.get_name());
        if cmd.get_after_help().is_none() {
            missing.push(here.clone());
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &here, missing);
        }
    }
    let mut missing = Vec::new();
    walk(
        &knee_triage::cli::build_command(Some(&pack())),
        "",
        &mut missing,
    );
    assert!(missing.is_empty(), "no after_help examples: {missing:?}");
    for args in [
        vec!["--help"],
        vec!["assess", "--help"],
        vec!["completions", "--help"],
        vec!["content", "list", "--help"],
    ] {
        assert!(run_ok(&args).contains("knee-triage "), "{args:?}");
    }
}

// ------------------------------------------------------------- examples

#[test]
fn each_cause_example_produces_its_cause() {
    let pack = pack();
    let dir = root().join("examples/causes");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("examples/causes")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = pack
        .causes
        .iter()
        .map(|c| format!("{}.toml", c.id))
        .collect();
    expected.sort();
    assert_eq!(names, expected, "one example per cause, no more");

    for cause in &pack.causes {
        let file = format!("examples/causes/{}.toml", cause.id);
        let report: Json =
            serde_json::from_str(&run_ok(&["assess", "--answers", &file, "--json"])).expect("JSON");
        let kind = cause.kind.as_str();
        let first_of_kind = report["causes"]
            .as_array()
            .expect("causes")
            .iter()
            .find(|c| c["kind"] == kind)
            .unwrap_or_else(|| panic!("{file}: no {kind} reported"));
        assert_eq!(
            first_of_kind["id"], cause.id,
            "{file}: the top {kind} should be {}",
            cause.id
        );
        if cause.kind == CauseKind::Condition {
            assert!(
                report["no_clear_pattern"].is_null(),
                "{file}: a condition was found"
            );
        }
    }
}

#[test]
fn triage_level_script_and_readme_one_liner_print_the_level() {
    if !have_tool("jq") || !have_tool("sh") {
        return;
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_knee-triage"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");

    for (file, level) in [
        ("examples/causes/acl.toml", "urgent"),
        ("examples/red-flag.json", "emergency"),
        ("examples/causes/pfps.toml", "self-care"),
        ("examples/causes/mcl.toml", "see-professional"),
    ] {
        let out = Command::new("sh")
            .arg("examples/triage-level.sh")
            .arg(file)
            .current_dir(root())
            .env("PATH", &path)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{level}\n"));
    }
    let out = Command::new("sh")
        .args(["examples/triage-level.sh", "examples/no-such-file.json"])
        .current_dir(root())
        .env("PATH", &path)
        .output()
        .expect("runs");
    // A file that cannot be read is exit 1; either way, not a level.
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed assessment is not a level"
    );
    assert!(out.stdout.is_empty());

    // The README's one-liner, exactly as printed there, with the output it shows.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let lines: Vec<&str> = readme.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("| jq -r '.triage.level'"))
        .expect("README has the jq one-liner");
    let mut command = lines[at].to_owned();
    let mut start = at;
    while start > 0 && lines[start - 1].ends_with('\\') {
        start -= 1;
        command = format!("{}\n{command}", lines[start]);
    }
    let shown = lines[at + 1]
        .strip_prefix("# ")
        .expect("the README shows the output after the command");
    let out = Command::new("sh")
        .args(["-c", &command])
        .current_dir(root())
        .env("PATH", &path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), shown);
}
