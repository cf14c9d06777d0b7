//! Shell completion scripts, generated from the same command the program
//! parses with, so the pack's answer flags and their values complete too.

use clap_complete::Shell;

const BIN: &str = "knee-triage";

/// The completion script for `shell`.
pub fn script(shell: Shell, mut command: clap::Command) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut out);
    let script = String::from_utf8_lossy(&out).into_owned();
    match shell {
        Shell::Bash => fix_bash_hyphenated_bin(&script),
        _ => script,
    }
}

/// clap_complete's bash script spells the state of a subcommand of a
/// hyphenated binary two ways (`knee__triage__subcmd__assess` while
/// walking the words, `knee__subcmd__triage__subcmd__assess` in the case
/// arms; clap-rs/clap#6421), so nothing after a subcommand completes.
/// Spell the arms the way the walk does.
fn fix_bash_hyphenated_bin(script: &str) -> String {
    let walk = BIN.replace('-', "__");
    let arms = BIN.replace('-', "__subcmd__");
    script.replace(&format!("{arms}__subcmd__"), &format!("{walk}__subcmd__"))
}

/// `completions SHELL`: the script for the pack in use.
pub fn run(
    pack: &crate::model::Pack,
    shell: Shell,
) -> Result<super::ExitCode, crate::error::Error> {
    super::emit(&script(shell, super::build_command(Some(pack))))
}
