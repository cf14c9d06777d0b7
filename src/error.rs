//! Errors the commands can end with, each mapped to the contract's exit code.

use std::path::PathBuf;

use crate::answers::AnswerError;
use crate::content::PackError;

/// The process exit codes of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    /// Anything that is not the user's input: I/O, a full disk.
    Failure = 1,
    /// Bad usage or bad input: flags, answers, content pack.
    Usage = 2,
    /// Ctrl-C or Escape in the questionnaire.
    Interrupted = 130,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

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
    /// A path the user named that cannot be read at all (missing, no
    /// permission): always exit 1, with the path.
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        use std::io::ErrorKind;
        match self {
            Error::Answers(_) | Error::Usage(_) => ExitCode::Usage,
            Error::Pack(PackError::Io { source, .. }) | Error::Read { source, .. } => {
                match source.kind() {
                    // Read, but not text: the input is wrong, not the file system.
                    ErrorKind::InvalidData => ExitCode::Usage,
                    // Missing, a folder, no permission: the path is named.
                    _ => ExitCode::Failure,
                }
            }
            Error::Pack(_) => ExitCode::Usage,
            Error::Write { .. } | Error::Unreadable { .. } => ExitCode::Failure,
            Error::Interrupted => ExitCode::Interrupted,
        }
    }
}
