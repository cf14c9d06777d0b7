//! Writing output files (`-o`, `--output`, `ask --save`) so that a report
//! lands whole or not at all, readable only by its owner, and never through
//! a file someone else put in the way.
//!
//! - A regular file (or a new name) is written to a temporary file with an
//!   unpredictable name, created exclusively (`O_EXCL`, mode 0600) in the
//!   target's folder, flushed to disk, then renamed over the target. In a
//!   shared folder, another user's planted link or file is never opened.
//! - A new file is 0600 (a report is health data, like the diary); an
//!   existing file keeps its mode (and, for root, its owner).
//! - A target that exists and is not a regular file (a device, a pipe,
//!   `/dev/stdout`) is written in place: renaming over it would replace
//!   the device for everyone. A folder is refused.
//! - The temporary file is removed on every error path (when dropped), and
//!   when SIGINT, SIGTERM or SIGHUP ends the run ([`cleanup`]).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` as described above: readers see the old file
/// or the whole new one, never part of it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Whether `a` and `b` are the same file (same device and inode): `-o`
/// naming the diary, even through a link or another name, is refused.
pub fn is_same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// An output being written; [`AtomicFile::commit`] puts it in place.
/// Dropped without commit, the temporary file is removed.
pub struct AtomicFile {
    inner: Inner,
}

enum Inner {
    /// A temporary beside the target, renamed over it on commit; the slot
    /// registered for removal on a signal.
    Temp {
        temp: tempfile::NamedTempFile,
        target: PathBuf,
        slot: Option<usize>,
    },
    /// An existing special file (device, pipe) written where it is.
    InPlace(File),
    Done,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let existing = match fs::metadata(target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if let Some(meta) = &existing {
            if meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a folder; give a file name",
                ));
            }
            if !meta.is_file() {
                let file = fs::OpenOptions::new().write(true).open(target)?;
                return Ok(AtomicFile {
                    inner: Inner::InPlace(file),
                });
            }
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        // tempfile: a random name, O_CREAT|O_EXCL (so never through a
        // link), mode 0600.
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .tempfile_in(&dir)?;
        let slot = cleanup::register(temp.path());
        let file = AtomicFile {
            inner: Inner::Temp {
                temp,
                target: target.to_path_buf(),
                slot,
            },
        };
        if let (Some(meta), Inner::Temp { temp, .. }) = (&existing, &file.inner) {
            keep_mode_and_owner(temp.as_file(), meta)?;
        }
        Ok(file)
    }

    /// Flushes to disk and puts the file in place.
    pub fn commit(mut self) -> io::Result<()> {
        match std::mem::replace(&mut self.inner, Inner::Done) {
            Inner::Temp { temp, target, slot } => {
                let result = temp
                    .as_file()
                    .sync_all()
                    .and_then(|()| temp.persist(&target).map(drop).map_err(|e| e.error));
                // On an error the temporary is already dropped, so removed.
                cleanup::unregister(slot);
                result
            }
            Inner::InPlace(mut file) => file.flush(),
            Inner::Done => Ok(()),
        }
    }
}

/// An existing file keeps its mode, and (when root writes it) its owner.
fn keep_mode_and_owner(file: &File, meta: &fs::Metadata) -> io::Result<()> {
    file.set_permissions(meta.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()))?;
        }
    }
    Ok(())
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Inner::Temp { temp, .. } => temp.write(buf),
            Inner::InPlace(f) => f.write(buf),
            Inner::Done => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Inner::Temp { temp, .. } => temp.flush(),
            Inner::InPlace(f) => f.flush(),
            Inner::Done => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Inner::Temp { slot, .. } = std::mem::replace(&mut self.inner, Inner::Done) {
            // The NamedTempFile removes itself as it is dropped here.
            cleanup::unregister(slot);
        }
    }
}

/// Removing temporary files when SIGINT, SIGTERM or SIGHUP ends the run.
///
/// The handler may only call async-signal-safe functions, so the paths are
/// kept as C strings in a few atomic slots, and each is leaked on purpose:
/// the handler may read one at any moment. A signal that was ignored when
/// the first output was made (`nohup`) stays ignored; a handler already
/// installed (the questionnaire's) is called after the clean-up.
#[cfg(unix)]
mod cleanup {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::sync::Once;
    use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

    const SLOTS: usize = 8;
    static PATHS: [AtomicPtr<libc::c_char>; SLOTS] =
        [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];
    static PREVIOUS: [AtomicUsize; 3] = [const { AtomicUsize::new(libc::SIG_DFL) }; 3];
    static INSTALL: Once = Once::new();

    pub fn register(path: &Path) -> Option<usize> {
        INSTALL.call_once(install);
        let c = CString::new(path.as_os_str().as_bytes()).ok()?;
        let ptr = c.into_raw();
        for (i, slot) in PATHS.iter().enumerate() {
            if slot
                .compare_exchange(
                    std::ptr::null_mut(),
                    ptr,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                return Some(i);
            }
        }
        None
    }

    pub fn unregister(slot: Option<usize>) {
        if let Some(i) = slot {
            PATHS[i].store(std::ptr::null_mut(), Ordering::SeqCst);
        }
    }

    fn install() {
        for (i, &sig) in SIGNALS.iter().enumerate() {
            // SAFETY: querying and setting a signal's disposition; the
            // handler below only calls async-signal-safe functions.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut old) != 0
                    || old.sa_sigaction == libc::SIG_IGN
                {
                    continue;
                }
                PREVIOUS[i].store(old.sa_sigaction, Ordering::SeqCst);
                let handler: extern "C" fn(libc::c_int) = on_signal;
                libc::signal(sig, handler as libc::sighandler_t);
            }
        }
    }

    extern "C" fn on_signal(sig: libc::c_int) {
        for slot in &PATHS {
            let p = slot.load(Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: a leaked, never-freed C string; unlink is
                // async-signal-safe.
                unsafe { libc::unlink(p) };
            }
        }
        let previous = SIGNALS
            .iter()
            .position(|&s| s == sig)
            .map_or(libc::SIG_DFL, |i| PREVIOUS[i].load(Ordering::SeqCst));
        // SAFETY: `previous` is a handler installed before ours, or the
        // default; resetting and raising again ends the process as the
        // signal would have.
        unsafe {
            if previous != libc::SIG_DFL && previous != libc::SIG_IGN {
                let f: extern "C" fn(libc::c_int) = std::mem::transmute(previous);
                f(sig);
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}

#[cfg(not(unix))]
mod cleanup {
    pub fn register(_: &std::path::Path) -> Option<usize> {
        None
    }
    pub fn unregister(_: Option<usize>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("report.md");
        fs::write(&path, "old").expect("seed");
        write_atomic(&path, b"new contents").expect("write");
        assert_eq!(fs::read_to_string(&path).expect("read"), "new contents");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn abandoned_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("answers.toml");
        fs::write(&path, "old").expect("seed");
        {
            let mut f = AtomicFile::create(&path).expect("create");
            f.write_all(b"half").expect("write");
            // dropped without commit, as when a run is interrupted
        }
        assert_eq!(fs::read_to_string(&path).expect("read"), "old");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private_and_old_ones_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let new = dir.path().join("new.json");
        write_atomic(&new, b"{}").expect("write");
        let mode = |p: &Path| fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&new), 0o600);
        let old = dir.path().join("old.json");
        fs::write(&old, "x").expect("seed");
        fs::set_permissions(&old, fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&old, b"{}").expect("write");
        assert_eq!(mode(&old), 0o644);
    }

    #[test]
    fn a_folder_is_refused_and_nothing_is_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).expect("mkdir");
        assert!(write_atomic(&sub, b"x").is_err());
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }
}
