//! Errors that point at the place (issue 11): answers files get
//! `file:line:column`, the key, the value and what is allowed, in plain
//! words; a file is read by its content when its name says otherwise;
//! a pack mistake is told once, without its follow-ons.

fn run(args: &[&str]) -> (i32, String, String) {
    crate::run_with(args, None)
}

/// Writes `text` to `name` in a new folder and runs `assess --answers` on it.
fn assess_file(name: &str, text: &str, extra: &[&str]) -> (i32, String, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    let shown = path.display().to_string();
    let mut args = vec!["assess", "--answers", &shown];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    (code, out, err, shown)
}

/// Messages for people: no Rust type names or serde words.
fn assert_plain(err: &str) {
    // Type names as whole words: a random temporary folder such as
    // `/tmp/.tmpu8bWSx` in the message is not jargon.
    let words: Vec<&str> = err.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    for jargon in ["i64", "u8", "f64"] {
        assert!(!words.contains(&jargon), "{jargon:?} in {err}");
    }
    for jargon in ["variant", "field `", "invalid type"] {
        assert!(!err.contains(jargon), "{jargon:?} in {err}");
    }
}

#[test]
fn a_bad_value_in_toml_names_file_line_column_key_and_allowed_values() {
    let (code, out, err, path) = assess_file(
        "answers.toml",
        "# my knee\nlocation = \"front\"\npain_level = 11\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {path}:3:14: invalid value for pain_level: 11; allowed: a whole number from 0 to 10"
        )
    );
    assert_plain(&err);
}

#[test]
fn a_bad_value_in_json_names_file_line_column_key_and_allowed_values() {
    let (code, _, err, path) = assess_file(
        "answers.json",
        "{\n  \"location\": \"front\",\n  \"swelling\": \"huge\"\n}\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {path}:3:15: invalid value for swelling: \"huge\"; allowed: none, mild, marked"
        )
    );
    let (code, _, err, path) = assess_file(
        "answers.json",
        "{\"location\": \"front\",\n \"swellling\": \"mild\"}",
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "error: {path}:2:15: unknown answer key \"swellling\" (did you mean \"swelling\"?); allowed keys: "
        )),
        "{err}"
    );
}

#[test]
fn unquoted_text_says_to_quote_it_with_the_allowed_values() {
    let (code, _, err, path) = assess_file(
        "answers.toml",
        "onset = \"gradual\"\nlocation = front\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {path}:2:12: location = front: text needs quotes in TOML: location = \"front\"; allowed: inner, front, below-kneecap, outer, back, diffuse"
        )
    );
    assert_plain(&err);
    let (code, _, err, path) = assess_file("answers.json", "{\"location\": front}", &[]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {path}:1:14: \"location\": front: text needs double quotes in JSON: \"location\": \"front\"; allowed: inner, front, below-kneecap, outer, back, diffuse"
        )
    );
}

#[test]
fn a_key_given_twice_is_told_at_its_second_place() {
    let (code, _, err, path) = assess_file(
        "answers.toml",
        "location = \"front\"\nonset = \"gradual\"\nlocation = \"inner\"\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        format!("error: {path}:3:1: location: the answer is given twice; give each answer once")
    );
}

#[test]
fn a_file_is_read_by_its_content_when_its_name_says_otherwise() {
    let report = |name: &str, text: &str| -> serde_json::Value {
        let (code, out, err, _) = assess_file(name, text, &["--json"]);
        assert_eq!(code, 0, "{name}: {err}");
        serde_json::from_str(&out).expect("JSON")
    };
    let toml_in_json = report("answers.json", "location = \"inner\"\nlocking = true\n");
    assert_eq!(toml_in_json["answers"]["locking"], true);
    let json_in_toml = report("answers.toml", r#"{"location": "inner", "locking": true}"#);
    assert_eq!(json_in_toml["answers"], toml_in_json["answers"]);
    let no_extension = report("answers", "location = \"inner\"\nlocking = true\n");
    assert_eq!(no_extension["answers"], toml_in_json["answers"]);
    // Broken as both: the message says which format the name promised.
    let (code, _, err, path) = assess_file("answers.toml", r#"{"location": "front",}"#, &[]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        format!(
            "error: {path}:1:22: cannot read answers as JSON (the name says TOML, but the text looks like JSON; it is not valid as either): trailing comma (no comma after the last answer)"
        )
    );
    let (code, _, err, path) = assess_file("answers.json", "{\"location\": \"front\"", &[]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "error: {path}:1:20: cannot read answers as JSON (expected JSON from the file name): EOF while parsing an object"
        )),
        "{err}"
    );
}

#[test]
fn flags_can_complete_a_file_without_the_required_answer() {
    let (code, out, err, _) = assess_file(
        "answers.toml",
        "onset = \"gradual\"\n",
        &["--location", "front", "-q"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    let (code, _, err, path) = assess_file("answers.toml", "onset = \"gradual\"\n", &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("missing answer: location is required; allowed: inner, front"),
        "{err} ({path})"
    );
}

/// Breaks the first occurrence of `from` in the pack's `file`, runs
/// `content check` and returns (exit code, its problem lines).
fn check_broken(file: &str, from: &str, to: &str) -> (i32, Vec<String>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_pack(dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let shown = dir.path().display().to_string();
    let (code, out, _) = run(&["content", "check", &shown]);
    let problems = out
        .lines()
        .filter(|l| l.starts_with(&shown))
        .map(str::to_owned)
        .collect();
    (code, problems, out)
}

#[test]
fn one_mistake_in_a_cause_file_is_one_problem() {
    // A cause whose file cannot be read is named by advice elsewhere:
    // those are follow-ons, not mistakes to fix.
    let (code, problems, out) = check_broken(
        "causes/pfps.toml",
        "kind = \"condition\"",
        "kind = \"conditon\"",
    );
    assert_eq!(code, 2);
    assert_eq!(problems.len(), 1, "{out}");
    assert!(
        problems[0].contains("causes/pfps.toml:")
            && problems[0].ends_with(
                "unknown value \"conditon\" (did you mean \"condition\"?); allowed: condition, factor"
            ),
        "{out}"
    );
    assert!(out.contains("content pack has 1 problem"), "{out}");
    assert_plain(&out);

    let (code, problems, out) = check_broken(
        "causes/pfps.toml",
        "possible_at = ",
        "possible_at = \"x\" #",
    );
    assert_eq!(code, 2);
    assert_eq!(problems.len(), 1, "{out}");
    assert!(
        problems[0].ends_with("expected a whole number, found the text \"x\""),
        "{out}"
    );
    assert_plain(&out);
}

#[test]
fn a_misspelt_reference_is_still_the_root_problem() {
    // An advice item naming a cause no file declares is the mistake itself.
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_pack(dir.path());
    let advice = std::fs::read_dir(dir.path().join("advice"))
        .expect("ls")
        .map(|e| e.expect("entry").path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("{ pfps = ")))
        .expect("some advice names pfps");
    let text = std::fs::read_to_string(&advice).expect("read");
    std::fs::write(&advice, text.replacen("{ pfps = ", "{ pfpss = ", 1)).expect("write");
    let shown = dir.path().display().to_string();
    let (code, out, _) = run(&["content", "check", &shown]);
    assert_eq!(code, 2);
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with(&shown)).collect();
    assert_eq!(problems.len(), 1, "{out}");
    assert!(
        problems[0].contains("unknown cause \"pfpss\" (did you mean \"pfps\"?)"),
        "{out}"
    );
}

#[test]
fn content_list_takes_a_folder() {
    let (code, out, err) = run(&["content", "list", "content/"]);
    assert_eq!(code, 0, "{err}");
    let (_, built_in, _) = run(&["content", "list"]);
    assert_eq!(out, built_in, "the same files list the same");
    assert!(
        out.lines().next().is_some_and(|l| l.contains("(sha256 ")),
        "{out}"
    );
    let (code, _, err) = run(&["content", "list", "tests/fixtures/packs/minimal"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["content", "list", "no/such/pack"]);
    assert_eq!(code, 1);
    assert!(err.contains("no/such/pack"), "{err}");
}

/// The pack's `references.toml` with `entry` added at its end.
fn check_with_reference(entry: &str) -> (i32, Vec<String>, String) {
    let (code, problems, out) = check_broken(
        "references.toml",
        "[[reference]]\ntitle = \"Ottawa knee rule\"",
        &format!("{entry}\n\n[[reference]]\ntitle = \"Ottawa knee rule\""),
    );
    (code, problems, out)
}

#[test]
fn a_reference_must_be_https_once_and_cited() {
    let (code, problems, out) = check_with_reference(
        "[[reference]]\ntitle = \"NICE CKS Septic arthritis\"\nurl = \"http://cks.example.org/septic\"",
    );
    assert_eq!(code, 2, "{out}");
    assert_eq!(problems.len(), 1, "{out}");
    assert!(
        problems[0].contains("references.toml:")
            && problems[0].ends_with(
                "reference \"NICE CKS Septic arthritis\": url \"http://cks.example.org/septic\" is not an https:// address; allowed: https://host/path, without spaces"
            ),
        "{out}"
    );

    let (code, problems, out) = check_with_reference(
        "[[reference]]\ntitle = \"Warden et al., JOSPT 2014\"\nurl = \"https://example.org/warden\"",
    );
    assert_eq!(code, 2, "{out}");
    assert_eq!(problems.len(), 1, "{out}");
    assert!(
        problems[0].contains("duplicate reference title \"Warden et al., JOSPT 2014\""),
        "{out}"
    );

    let (code, problems, out) = check_with_reference(
        "[[reference]]\ntitle = \"A guideline nobody cites\"\nurl = \"https://example.org/none\"",
    );
    assert_eq!(code, 2, "{out}");
    assert_eq!(problems.len(), 1, "{out}");
    assert!(
        problems[0].contains("reference \"A guideline nobody cites\" is cited by nothing; allowed: a title a `source` in the pack cites"),
        "{out}"
    );
    assert_plain(&out);
}

#[test]
fn child_no_is_only_for_a_yes_no_question() {
    let (code, problems, out) = check_broken(
        "questions.toml",
        "prompt = \"What happened at that moment?\"",
        "prompt = \"What happened at that moment?\"\nchild_no = \"nothing happened to them\"",
    );
    assert_eq!(code, 2, "{out}");
    assert_eq!(problems.len(), 1, "{out}");
    assert!(
        problems[0].contains("questions.toml:")
            && problems[0]
                .ends_with("`child_no` is only for bool questions, and \"mechanism\" is enum"),
        "{out}"
    );
}
