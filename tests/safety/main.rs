//! Safety and robustness: the triage invariants checked over the answer
//! space (properties and exhaustive grids), hostile and broken input, and
//! the content checks on fixtures made to fail them.

mod checks;
mod hostile;
mod invariants;

use assert_cmd::Command;

/// A clean `knee-triage` command run from the repository root.
pub fn knee_triage() -> Command {
    let mut cmd = Command::cargo_bin("knee-triage").expect("binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE");
    cmd
}
