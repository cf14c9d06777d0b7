//! Safety and robustness: the triage invariants checked over the answer
//! space (properties and exhaustive grids), hostile and broken input, and
//! the content checks on fixtures made to fail them.

mod checks;
mod harmful_advice;
mod hostile;
mod invariants;
mod one_voice;
mod review_set;
