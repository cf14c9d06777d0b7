//! A report taller than the terminal opens in a pager, so the runner sees
//! its first screen (the level, whether to run, what to do first, when to
//! get help) instead of its last lines.
//!
//! Only when standard output is a terminal: `$PAGER` when set, else the
//! config file's `pager` (either empty or
//! `cat` turns paging off), else `less -FRX` (quits at once when the text
//! fits, keeps colour, leaves the text on the screen). When no pager can
//! be started the text is printed as usual.

use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};

/// Shows `text` in a pager when stdout is a terminal shorter than it.
/// `None`: not paged (the caller prints it); `Some(Ok)`: shown.
/// `configured`: the config file's `pager`, used when `$PAGER` is not set.
pub fn show(text: &str, configured: Option<&str>) -> Option<io::Result<()>> {
    if !io::stdout().is_terminal() {
        return None;
    }
    let rows = terminal_rows()?;
    if text.lines().count() < rows {
        return None;
    }
    let pager = std::env::var("PAGER")
        .ok()
        .or_else(|| configured.map(str::to_owned));
    let mut command = match pager {
        Some(p) if p.trim().is_empty() || p.trim() == "cat" => return None,
        Some(p) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(p);
            c
        }
        None => {
            let mut c = Command::new("less");
            c.arg("-FRX");
            c
        }
    };
    let mut child = command.stdin(Stdio::piped()).spawn().ok()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The runner may quit the pager before reading everything.
        match stdin.write_all(text.as_bytes()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Some(Err(e)),
            _ => {}
        }
    }
    Some(child.wait().map(|_| ()))
}

/// The terminal's rows on standard output.
#[cfg(unix)]
fn terminal_rows() -> Option<usize> {
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes a `winsize` into the pointer we pass.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_row > 0).then_some(usize::from(size.ws_row))
}

#[cfg(not(unix))]
fn terminal_rows() -> Option<usize> {
    None
}
