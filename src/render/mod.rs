//! Every printer: values in, text for a person or a file out.
//!
//! One file per output. Nothing here reads argv or picks an exit code (that
//! is `cli`); nothing below this layer imports it.

pub mod diagram;
pub mod diary;
pub mod listing;
pub mod markdown;
pub mod output;
pub mod pager;
pub mod plan;
pub mod report;
pub mod schema;
pub mod text;
pub mod training;
pub mod units;
pub mod width;

pub use report::*;
