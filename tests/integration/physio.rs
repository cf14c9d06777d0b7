//! What a physiotherapist reads (issue 21, items 12 and 13): the Markdown
//! report scans (the answers given first, the "no"s in one line, what was
//! not asked, the runner's id), `-o FILE.md` writes Markdown, and
//! `history --format markdown` gives the diary with its trend and plan.

use serde_json::Value;

use crate::knee_triage;

fn ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_markdown_report_puts_answers_given_first_and_the_nos_in_one_line() {
    let md = ok(knee_triage().args([
        "assess",
        "--location",
        "front",
        "--onset",
        "gradual",
        "--duration-days",
        "1",
        "--fever",
        "no",
        "--calf-swelling",
        "no",
        "--locking",
        "no",
        "--id",
        "ann",
        "--format",
        "markdown",
        "--date",
        "2026-01-05",
    ]));
    assert!(
        md.contains("pagetitle: \"Knee pain report, ann, 2026-01-05\""),
        "{md}"
    );
    assert!(md.contains("- **Runner:** ann\n"), "{md}");
    let answers = &md[md.find("## My answers").expect("answers")
        ..md.find("## Where it hurts").expect("drawing")];
    let lines: Vec<&str> = answers.lines().filter(|l| !l.is_empty()).collect();
    // The answers given, each on its line, "1 day" in the singular.
    assert!(lines.iter().any(|l| l.ends_with("**1 day**")), "{answers}");
    assert!(!answers.contains("1 days"), "{answers}");
    assert!(
        lines.iter().all(|l| !l.ends_with("**No**")),
        "no \"No\" on a line of its own: {answers}"
    );
    // Then the nos in one line, then what was not asked.
    let no = lines
        .iter()
        .position(|l| l.starts_with("**No:** "))
        .expect("a No line");
    assert_eq!(
        lines[no], "**No:** fever, calf swelling, locking.",
        "{answers}"
    );
    let not_asked = lines
        .iter()
        .position(|l| l.starts_with("**Not asked:** "))
        .expect("Not asked");
    assert!(no < not_asked, "{answers}");
    let last_given = lines
        .iter()
        .rposition(|l| l.starts_with("- "))
        .expect("answers");
    assert!(last_given < no, "{answers}");
    assert!(lines[not_asked].contains("cannot bear weight"), "{answers}");
    assert!(!lines[not_asked].contains("fever"), "{answers}");
    // The likelihood in words a physio reads at a glance.
    assert!(md.contains(" needed for likely)"), "{md}");
    assert!(!md.contains("likely from"), "{md}");
}

#[test]
fn the_output_files_extension_chooses_the_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = dir.path().join("for-my-physio.md");
    let json = dir.path().join("report.json");
    for file in [&md, &json] {
        ok(knee_triage()
            .args(["assess", "--location", "front", "-o"])
            .arg(file));
    }
    let text = std::fs::read_to_string(&md).expect("md");
    assert!(
        text.starts_with("---\npagetitle: ") && text.contains("# Knee pain report"),
        "{text}"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("JSON");
    assert_eq!(report["answers"]["location"], "front");
    // A format given wins over the extension.
    ok(knee_triage()
        .args(["assess", "--location", "front", "--format", "human", "-o"])
        .arg(&md));
    assert!(
        !std::fs::read_to_string(&md)
            .expect("md")
            .contains("# Knee pain report")
    );
}

#[test]
fn history_markdown_gives_the_days_the_trend_and_the_plan_in_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let diary = dir.path().join("d.sqlite3");
    let diary_cmd = || {
        let mut cmd = knee_triage();
        cmd.arg("--diary").arg(&diary);
        cmd
    };
    ok(diary_cmd()
        .args([
            "plan",
            "--location",
            "front",
            "--onset",
            "gradual",
            "--worse-with",
            "stairs",
        ])
        .args(["--weekly-km", "30", "--start", "2026-01-05", "--save"]));
    let days: [(&str, &[&str]); 15] = [
        ("05", &["--pain", "1", "--run-km", "3"]),
        ("06", &["--pain", "1", "--no-run"]),
        ("07", &["--pain", "1", "--run-km", "3"]),
        ("08", &["--pain", "1", "--no-run"]),
        ("09", &["--pain", "2", "--run-km", "3.5"]),
        ("10", &["--pain", "1", "--no-run"]),
        ("11", &["--pain", "1", "--run-km", "4"]),
        ("12", &["--pain", "3", "--no-run"]),
        ("13", &["--pain", "3", "--run-km", "3"]),
        ("14", &["--pain", "4", "--no-run"]),
        ("15", &["--pain", "3", "--run-km", "2"]),
        ("16", &["--pain", "4", "--no-run"]),
        ("17", &["--pain", "4", "--no-run"]),
        (
            "18",
            &["--pain", "4", "--no-run", "--next-morning", "worse"],
        ),
        ("19", &["--pain", "5", "--swelling", "mild", "--no-run"]),
    ];
    for (day, args) in days {
        ok(diary_cmd()
            .args(["checkin", "--date", &format!("2026-01-{day}")])
            .args(args));
    }
    let file = dir.path().join("diary.md");
    ok(diary_cmd().args(["history", "-o"]).arg(&file));
    let md = std::fs::read_to_string(&file).expect("written");
    assert!(md.starts_with("---\npagetitle: \"Knee diary, "), "{md}");
    assert!(
        md.contains("- **Days:** 15 check-ins from 2026-01-05 to 2026-01-19"),
        "{md}"
    );
    assert!(md.contains("- **Trend:** worse"), "{md}");
    assert!(md.contains("the worst was 5/10, on 2026-01-19"), "{md}");
    assert!(
        md.contains("- **Distance:** 6 runs, 18.5 km in all"),
        "{md}"
    );
    assert!(md.contains("## The plan in force"), "{md}");
    assert!(md.contains("- **Started:** 2026-01-05"), "{md}");
    assert!(md.contains("- **Pain rule:** "), "{md}");
    assert!(
        md.contains("- **Next session:** none until the knee has been seen"),
        "{md}"
    );
    assert!(
        md.contains("| Mon 2026-01-19 | 5/10 | rest |  | swelling mild | get-help: "),
        "{md}"
    );
    assert!(md.contains("| Mon 2026-01-05 | 1/10 | 3 |"), "{md}");
    assert!(md.contains("```text\nPain (0-10)"), "{md}");
    // The same with --format, on standard output.
    let printed = ok(diary_cmd().args(["history", "--format", "markdown"]));
    assert_eq!(printed, md);
}

#[test]
fn the_markdown_report_links_a_cited_guideline_to_its_page() {
    // Sudden pain at 60 fires the Ottawa knee rule, which the pack's
    // references give an address.
    let md = ok(knee_triage().args([
        "assess",
        "--location",
        "front",
        "--age",
        "60",
        "--onset",
        "sudden",
        "--duration-days",
        "2",
        "--format",
        "markdown",
        "--date",
        "2026-01-05",
    ]));
    let urgent = &md[md.find("## How urgent").expect("level")
        ..md.find("## What may be going on").expect("causes")];
    assert!(
        urgent.contains(
            "[Ottawa knee rule](https://jamanetwork.com/journals/jama/article-abstract/397187) (Stiell et al., JAMA 1996; acute injuries within 7 days)"
        ),
        "{urgent}"
    );
    // A title with no known page stays text, never a link.
    assert!(!md.contains("[NICE CKS Knee pain - assessment]("), "{md}");
}

/// One day of pain is "1 day of pain" in the reasons too, not "1 days"
/// (`phrase_one`), in the terminal report and the Markdown.
#[test]
fn one_day_is_singular_in_the_reasons() {
    for format in ["human", "markdown"] {
        let text = ok(knee_triage().args([
            "assess",
            "--location",
            "front",
            "--onset",
            "sudden",
            "--mechanism",
            "fall-onto-knee",
            "--age",
            "60",
            "--duration-days",
            "1",
            "--rest-days",
            "1",
            "--format",
            format,
            "--no-pager",
        ]));
        assert!(text.contains("1 day of pain"), "{format}: {text}");
        assert!(!text.contains("1 days"), "{format}: {text}");
    }
}

/// `phrase_one` is for a number, with `{value}` in it.
#[test]
fn content_check_refuses_a_phrase_one_it_cannot_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_pack(dir.path());
    let questions = dir.path().join("questions.toml");
    let text = std::fs::read_to_string(&questions).expect("questions.toml");
    let broken = text
        .replacen(
            "phrase_one = \"{value} day of pain\"",
            "phrase_one = \"one day of pain\"",
            1,
        )
        .replacen(
            "yes = \"a pop at the moment of injury\"",
            "yes = \"a pop at the moment of injury\"\nphrase_one = \"{value} pop\"",
            1,
        );
    assert_ne!(text, broken);
    std::fs::write(&questions, broken).expect("writes");
    let out = knee_triage()
        .args(["content", "check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for id in ["duration_days", "heard_pop"] {
        assert!(
            all.contains(&format!(
                "`phrase_one` of \"{id}\" must be for a numeric question and contain {{value}}"
            )),
            "{id}: {all}"
        );
    }
    assert!(all.contains("questions.toml:"), "{all}");
}
