//! `knee-triage plan`: a return-to-running plan from the same answers as
//! `assess`, with its levels, pain rules and load rule from the pack's
//! `plan.toml`.

pub mod pack;
pub mod refuse;
pub mod schedule;
mod week;

/// The embedded `plan.toml` as `build.rs` compiled it.
#[cfg(prebuilt_pack)]
mod prebuilt {
    use super::PlanPack;

    /// Empty when the build found the pack or its plan invalid.
    static PLAN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/plan.postcard"));

    /// The prebuilt plan, or `None` (the sources are then compiled, and
    /// their problems reported).
    pub fn plan() -> Option<PlanPack> {
        crate::content::prebuilt::decode(PLAN)
    }

    #[cfg(test)]
    mod tests {
        /// The prebuilt plan is exactly what compiling the embedded
        /// `plan.toml` gives.
        #[test]
        fn prebuilt_plan_equals_the_compiled_sources() {
            let pack = crate::content::load_from(None).expect("embedded pack");
            let prebuilt = super::plan().expect("the embedded plan is valid and prebuilt");
            let sources = super::super::sources(None).expect("sources");
            let compiled = super::super::pack::load(&pack, &sources)
                .expect("valid")
                .expect("a plan.toml");
            assert_eq!(prebuilt, compiled);
        }
    }
}

use std::path::Path;

use crate::content::{self, PackError, Source};
use crate::model::Pack;
pub use pack::PlanPack;

/// The sources of the pack in use: the embedded files, or those in `dir`.
pub fn sources(dir: Option<&Path>) -> Result<Vec<Source>, PackError> {
    match dir {
        Some(d) => {
            let path = d.join(pack::FILE_NAME);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(vec![Source {
                    path: path.display().to_string(),
                    text,
                }]),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
                Err(source) => Err(PackError::Io { path, source }),
            }
        }
        None => Ok(content::embedded_sources()
            .into_iter()
            .filter(|s| s.path.ends_with(pack::FILE_NAME))
            .collect()),
    }
}

/// The plan part of the pack in use; a pack without `plan.toml` is an
/// error here, since the command needs it.
pub fn load(pack: &Pack, dir: Option<&Path>) -> Result<PlanPack, PackError> {
    #[cfg(prebuilt_pack)]
    if dir.is_none()
        && let Some(plan) = prebuilt::plan()
    {
        return Ok(plan);
    }
    let sources = sources(dir)?;
    match pack::load(pack, &sources) {
        Ok(Some(plan)) => Ok(plan),
        Ok(None) => Err(PackError::Invalid(vec![content::Problem {
            file: dir.map_or_else(|| "content".into(), |d| d.display().to_string()),
            line: 1,
            column: 1,
            message: format!(
                "the content pack has no {}: plan, checkin and history need its levels and pain rules",
                pack::FILE_NAME
            ),
        }])),
        Err(problems) => Err(PackError::Invalid(problems)),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Running;
    use crate::report::Report;

    /// A folder without `plan.toml` has no plan sources (the pack's own
    /// check then says what is missing); one that cannot be read is an
    /// error naming it.
    #[test]
    fn sources_of_a_folder_without_and_with_an_unreadable_plan() {
        let dir = tempfile::tempdir().expect("tempdir");
        let found = super::sources(Some(dir.path())).expect("no plan.toml is no error");
        assert!(found.is_empty());
        std::fs::create_dir(dir.path().join(super::pack::FILE_NAME)).expect("mkdir");
        match super::sources(Some(dir.path())) {
            Err(crate::content::PackError::Io { path, .. }) => {
                assert!(path.ends_with(super::pack::FILE_NAME), "{path:?}")
            }
            other => panic!("{other:?}"),
        }
    }

    /// One pain rule: when the report lets the runner run, its answer to
    /// "may I run?" quotes the same pain rule as the plan for those
    /// answers (2/10 for runner's knee, no pain at all for a bone at risk,
    /// 2/10 for a child), and no other "N/10" or "N out of 10". And the
    /// plan starts where the report's Running line is: `continue` never
    /// plans less than the current week in week 1, and `reduce` never
    /// starts with walking only unless the pain is 5/10 or more or the
    /// rule is the bone one.
    #[test]
    fn the_report_and_the_plan_give_the_same_pain_rule_and_start() {
        let pack = crate::content::load_from(None).expect("pack");
        let plan = super::load(&pack, None).expect("plan");
        let pain_q = pack.question_index("pain_level").expect("pain_level");
        let km_q = pack.question_index("weekly_km").expect("weekly_km");
        let mut quoted = 0;
        let mut continued = 0;
        let mut reduced = 0;
        for (id, mut answers) in crate::checks::cases::all_stories(&pack) {
            let report = Report::new(&pack, &answers);
            let steps = &report.next_steps;
            if steps.running == Running::Stop {
                continue;
            }
            let rule = super::schedule::pain_rule(&plan, &report);
            assert!(
                steps.running_text.contains(&rule.short),
                "{id}: {:?} / {}",
                steps.running_text,
                rule.short
            );
            if answers.get(km_q).is_none() {
                answers.set(km_q, Some(crate::answers::Value::Num(30.0)));
            }
            let now = match answers.get(km_q) {
                Some(crate::answers::Value::Num(k)) => k,
                _ => 30.0,
            };
            let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
            let built = super::schedule::build(&pack, &plan, &answers, start);
            if let Some(r) = &built.pain_rule {
                assert_eq!(r.short, rule.short, "{id}");
            }
            let without = steps.running_text.replace(&rule.short, "");
            assert!(
                !without.contains("/10") && !without.contains("out of 10"),
                "{id}: {}",
                steps.running_text
            );
            quoted += 1;
            let report = Report::new(&pack, &answers);
            if !built.available || !built.entry_checks_failed.is_empty() {
                continue;
            }
            let week1_km: f64 = built
                .sessions
                .iter()
                .filter(|s| s.week == 1)
                .filter_map(|s| s.km)
                .sum();
            let walking_only = built.sessions.first().is_some_and(|s| {
                s.km.is_none()
                    && plan
                        .levels
                        .iter()
                        .find(|l| l.id == s.level)
                        .is_some_and(|l| l.running_minutes() == 0)
            });
            let pain = match answers.get(pain_q) {
                Some(crate::answers::Value::Num(p)) => p,
                _ => 0.0,
            };
            match report.next_steps.running {
                Running::Continue if rule.id != "bone" => {
                    assert!(
                        week1_km + 1e-9 >= now,
                        "{id}: week 1 {week1_km} km, now {now}"
                    );
                    continued += 1;
                }
                Running::Reduce => {
                    assert!(
                        !walking_only || pain >= 5.0 || rule.id == "bone",
                        "{id}: run less, but the plan starts with walking"
                    );
                    reduced += 1;
                }
                _ => {}
            }
        }
        assert!(quoted >= 10, "{quoted}");
        assert!(continued >= 3 && reduced >= 10, "{continued} {reduced}");
    }
}
