//! Errors the commands can end with; `cli::exit_codes` maps each to the
//! contract's exit code.

use std::path::PathBuf;

use crate::answers::AnswerError;
use crate::content::PackError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Answers(#[from] AnswerError),
    #[error("{0}")]
    Pack(#[from] PackError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("interrupted")]
    Interrupted,
    /// The knee diary could not be opened, read or written (exit 1).
    #[error("diary {}: {message}", path.display())]
    Diary { path: PathBuf, message: String },
    /// A path the user named that cannot be read at all (missing, no
    /// permission): always exit 1, with the path.
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
