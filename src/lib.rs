//! knee-triage: triage of knee pain in runners from a reviewable content pack.
//!
//! The flow is answers → [`engine::assess`] → [`report::Report`] → a renderer.
//! All medical knowledge lives in the content pack (`content/`); the engine
//! only evaluates its rules.

pub mod answers;
pub mod batch;
pub mod cases;
pub mod checks;
pub mod cli;
pub mod completions;
pub mod content;
pub mod diagram;
pub mod engine;
pub mod error;
pub mod listing;
pub mod manpage;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pager;
pub mod questionnaire;
pub mod render;
pub mod report;
pub mod schema;
pub mod training;
pub mod width;
