//! The content pack compiled into the binary.
//!
//! An explicit table rather than a directory-embedding crate, so adding a
//! file is a visible change; a test checks this table lists exactly the
//! `.toml` files under `content/` (outside `cases/`), in sorted order.

pub const FILES: &[(&str, &str)] = &[
    (
        "advice/exercise.toml",
        include_str!("../../content/advice/exercise.toml"),
    ),
    (
        "advice/footwear-form.toml",
        include_str!("../../content/advice/footwear-form.toml"),
    ),
    (
        "advice/prevention.toml",
        include_str!("../../content/advice/prevention.toml"),
    ),
    (
        "advice/professional.toml",
        include_str!("../../content/advice/professional.toml"),
    ),
    (
        "advice/rest-recovery.toml",
        include_str!("../../content/advice/rest-recovery.toml"),
    ),
    (
        "advice/return-to-running.toml",
        include_str!("../../content/advice/return-to-running.toml"),
    ),
    (
        "advice/stretch.toml",
        include_str!("../../content/advice/stretch.toml"),
    ),
    (
        "advice/urgent-care.toml",
        include_str!("../../content/advice/urgent-care.toml"),
    ),
    (
        "causes/acl.toml",
        include_str!("../../content/causes/acl.toml"),
    ),
    (
        "causes/footwear.toml",
        include_str!("../../content/causes/footwear.toml"),
    ),
    (
        "causes/hard-surfaces.toml",
        include_str!("../../content/causes/hard-surfaces.toml"),
    ),
    (
        "causes/itbs.toml",
        include_str!("../../content/causes/itbs.toml"),
    ),
    (
        "causes/mcl.toml",
        include_str!("../../content/causes/mcl.toml"),
    ),
    (
        "causes/meniscus.toml",
        include_str!("../../content/causes/meniscus.toml"),
    ),
    (
        "causes/muscle-tightness.toml",
        include_str!("../../content/causes/muscle-tightness.toml"),
    ),
    (
        "causes/osteoarthritis.toml",
        include_str!("../../content/causes/osteoarthritis.toml"),
    ),
    (
        "causes/overpronation.toml",
        include_str!("../../content/causes/overpronation.toml"),
    ),
    (
        "causes/overtraining.toml",
        include_str!("../../content/causes/overtraining.toml"),
    ),
    (
        "causes/patellar-tendinopathy.toml",
        include_str!("../../content/causes/patellar-tendinopathy.toml"),
    ),
    (
        "causes/pes-anserine-bursitis.toml",
        include_str!("../../content/causes/pes-anserine-bursitis.toml"),
    ),
    (
        "causes/pfps.toml",
        include_str!("../../content/causes/pfps.toml"),
    ),
    (
        "causes/running-form.toml",
        include_str!("../../content/causes/running-form.toml"),
    ),
    (
        "causes/stress-fracture.toml",
        include_str!("../../content/causes/stress-fracture.toml"),
    ),
    (
        "causes/weak-muscles.toml",
        include_str!("../../content/causes/weak-muscles.toml"),
    ),
    ("load.toml", include_str!("../../content/load.toml")),
    (
        "next-steps.toml",
        include_str!("../../content/next-steps.toml"),
    ),
    ("pack.toml", include_str!("../../content/pack.toml")),
    ("plan.toml", include_str!("../../content/plan.toml")),
    (
        "questions.toml",
        include_str!("../../content/questions.toml"),
    ),
    ("triage.toml", include_str!("../../content/triage.toml")),
];

/// The golden cases shipped with the pack (`content/cases/`).
pub const CASES: &[(&str, &str)] = &[
    (
        "cases/conditions.toml",
        include_str!("../../content/cases/conditions.toml"),
    ),
    (
        "cases/factors.toml",
        include_str!("../../content/cases/factors.toml"),
    ),
    (
        "cases/red-flags.toml",
        include_str!("../../content/cases/red-flags.toml"),
    ),
    (
        "cases/warning-signs-v2.toml",
        include_str!("../../content/cases/warning-signs-v2.toml"),
    ),
];
