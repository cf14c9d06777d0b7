//! Opening input files: only regular files are read.
//!
//! A FIFO blocks `open` until someone writes to it, and a device such as
//! `/dev/zero` never ends, so a path given as an answers file, a diary or
//! a training file (or found in a training folder) is opened without
//! blocking and refused unless it is a regular file. Standard input is
//! the one stream that is read as it comes.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// What is said of a path that is not a regular file.
pub const NOT_REGULAR: &str = "is not a regular file (a FIFO, a device or a socket); give a file";

/// Opens `path` for reading when it is a regular file; a folder or any
/// special file is an error that says what it is, and nothing blocks.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Without O_NONBLOCK, opening a FIFO waits for a writer forever.
        // It changes nothing for a regular file, whose reads never block.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a directory, not a file",
        ));
    }
    if !meta.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// The error for a path that exists but is not a regular file.
pub fn not_regular() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, NOT_REGULAR)
}

/// Whether `path` exists and is something other than a regular file or a
/// folder (following links), without opening it.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A base folder of the XDG spec: `$VAR` when set to an absolute path,
/// else `$HOME/fallback` (`.config`, `.local/share`); `None` without
/// either. The config file and the diary find their folder the same way.
pub fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(fallback))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_open_and_devices_do_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("a.json");
        std::fs::write(&f, "{}").expect("write");
        assert!(open_regular(&f).is_ok());
        assert!(open_regular(dir.path()).is_err());
        #[cfg(unix)]
        {
            let e = open_regular(Path::new("/dev/null")).expect_err("a device");
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }
}
