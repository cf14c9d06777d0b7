//! The answers parser: arbitrary bytes as JSON (first byte even) or TOML
//! (odd), then, when they parse, the whole assessment and both reports.
#![no_main]

use knee_triage::answers::Answers;
use knee_triage::render::{self, Style};
use knee_triage::report::Report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(pack) = knee_triage::content::embedded() else {
        return;
    };
    let parsed = if selector % 2 == 0 {
        Answers::from_json_str(pack, text)
    } else {
        Answers::from_toml_str(pack, text)
    };
    match parsed {
        Ok(answers) => {
            let report = Report::new(pack, &answers);
            let json = report.to_json();
            assert!(!json.is_empty());
            let human = render::human(
                &report,
                Style {
                    color: false,
                    width: 80,
                },
            );
            assert!(!human.is_empty());
            // What was understood reads back the same.
            let again = Answers::from_toml_str(pack, &answers.to_toml(pack))
                .expect("answers written as TOML read back");
            assert_eq!(again, answers);
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
        }
    }
});
