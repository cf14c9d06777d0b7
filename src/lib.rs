//! knee-triage: triage of knee pain in runners from a reviewable content pack.
//!
//! The flow runs one way (see `docs/architecture.md`):
//! content → answers → engine → report / training / plan / diary → render → cli.
//! All medical knowledge lives in the content pack (`content/`); the engine
//! only evaluates its rules. Only `cli` knows argv, streams and exit codes;
//! only `render` turns values into text for a person or a file.

pub mod answers;
pub mod checks;
pub mod cli;
pub mod content;
pub mod diary;
pub mod engine;
pub mod error;
pub mod files;
pub mod model;
pub mod plan;
pub mod questionnaire;
pub mod render;
pub mod report;
pub mod training;
