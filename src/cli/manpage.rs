//! The manual page: `knee-triage man` prints one roff page holding the
//! program and, after it, each subcommand with its own synopsis and
//! options (the answer flags of `assess` included).

use clap_mangen::Man;

/// Renders the page for `command` (built with the pack's answer flags).
pub fn render(command: clap::Command) -> String {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut out = Vec::new();
    // Writing into a Vec cannot fail; a failure would only drop a section.
    let _ = Man::new(command.clone()).render(&mut out);
    let mut page = String::new();
    // The subcommands are described on this page, not on pages of their own.
    for line in String::from_utf8_lossy(&out).lines() {
        let line = match line.strip_suffix("(1)") {
            Some(name) if name.starts_with("knee\\-triage\\-") => {
                format!("knee\\-triage {}", &name["knee\\-triage\\-".len()..])
            }
            _ => line.replace(".SH SUBCOMMANDS", ".SH COMMANDS"),
        };
        let line = if line == ".SH EXTRA" {
            ".SH EXAMPLES".to_owned()
        } else {
            line
        };
        page.push_str(&line);
        page.push('\n');
    }
    for sub in command.get_subcommands() {
        add_subcommand(&mut page, sub);
    }
    keep_example_lines(&page)
}

/// In the examples, a line indented by two spaces is a command: it keeps its
/// line breaks and spacing (no-fill); other lines are filled as prose.
fn keep_example_lines(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let (mut in_examples, mut no_fill) = (false, false);
    for line in page.lines() {
        if line.starts_with(".SH ") || line.starts_with(".SS ") {
            if no_fill {
                out.push_str(".fi\n");
                no_fill = false;
            }
            in_examples = line == ".SH EXAMPLES" || line == ".SS EXAMPLES";
        } else if in_examples && !line.starts_with('.') {
            let command = line.starts_with("  ");
            if command != no_fill {
                out.push_str(if command { ".nf\n" } else { ".fi\n" });
                no_fill = command;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    if no_fill {
        out.push_str(".fi\n");
    }
    out
}

fn add_subcommand(page: &mut String, sub: &clap::Command) {
    if sub.is_hide_set() {
        return;
    }
    let name = sub
        .get_bin_name()
        .map_or_else(|| sub.get_name().to_owned(), str::to_owned);
    page.push_str(&format!(".SH \"{}\"\n", roff_escape(&name.to_uppercase())));
    // Global options are described once, at the top of the page.
    let sub = sub
        .clone()
        .mut_args(|a| if a.is_global_set() { a.hide(true) } else { a });
    let man = Man::new(sub.clone());
    let mut out = Vec::new();
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    if sub.get_arguments().any(|a| !a.is_hide_set()) {
        let _ = man.render_options_section(&mut out);
    }
    if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
        let _ = man.render_extra_section(&mut out);
    }
    // The subcommand's own sections become subsections of its section.
    for line in String::from_utf8_lossy(&out).lines() {
        match line.strip_prefix(".SH ") {
            Some("EXTRA") => page.push_str(".SS EXAMPLES\n"),
            Some(heading) => page.push_str(&format!(".SS {heading}\n")),
            None => {
                page.push_str(line);
                page.push('\n');
            }
        }
    }
    for nested in sub.get_subcommands() {
        add_subcommand(page, nested);
    }
}

/// Text safe inside a quoted roff macro argument.
fn roff_escape(text: &str) -> String {
    text.replace('\\', "\\e").replace('"', "\\(dq")
}

/// `man`: the page for the pack in use.
pub fn run(pack: &crate::model::Pack) -> Result<super::ExitCode, crate::error::Error> {
    super::emit(&render(super::build_command(Some(pack))))
}
