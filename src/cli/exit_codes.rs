//! The contract's exit codes, and which error ends with which. Only the
//! command line knows them.

use crate::content::PackError;
use crate::error::Error;

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

/// The contract's exit code for an error.
pub fn of(error: &Error) -> ExitCode {
    use std::io::ErrorKind;
    match error {
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
        Error::Write { .. } | Error::Unreadable { .. } | Error::Diary { .. } => ExitCode::Failure,
        Error::Interrupted => ExitCode::Interrupted,
    }
}
