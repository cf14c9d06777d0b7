//! The interactive questionnaire (`knee-triage ask`).

use crate::answers::Answers;
use crate::error::Error;
use crate::model::Pack;

/// Asks the questions on the terminal and returns the answers.
pub fn run_terminal(_pack: &Pack) -> Result<Answers, Error> {
    Err(Error::Usage(
        "the interactive questionnaire is not built yet; use `knee-triage assess` with flags or --answers FILE".into(),
    ))
}
