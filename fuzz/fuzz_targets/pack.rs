//! The content pack loader: arbitrary text as one pack file, then, when it
//! loads, the static analyses of `content check` and an assessment with no
//! answers.
#![no_main]

use knee_triage::answers::Answers;
use knee_triage::content::{self, Source};
use knee_triage::report::Report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = [Source {
        path: "fuzz/pack.toml".into(),
        text: text.to_owned(),
    }];
    match content::load(&sources) {
        Ok(pack) => {
            let _ = knee_triage::checks::analysis::analyse(&pack);
            let answers = Answers::new(&pack);
            let report = Report::new(&pack, &answers);
            let _ = report.to_json();
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
});
