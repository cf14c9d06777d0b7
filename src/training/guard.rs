//! What a training log may cost and where it may lead: the unpacking
//! budget of a run, links that leave the folder given, and activities no
//! runner could have done.
//!
//! A Strava export is a file from elsewhere (a shared folder, a download),
//! so it is read as if hostile: every byte unpacked (a zip entry, a `.gz`
//! inside it, a file read from a folder) is counted against one budget per
//! run, each file is read once however many rows name it, a symbolic link
//! is followed only while it stays inside the folder given, and only
//! regular files are opened.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Activity, Sport, size_words};

/// Bytes left to unpack in this run, shared by every reader and thread.
/// Each unpacked byte is charged to every counter: the run's and, inside
/// a zip, the zip's.
#[derive(Debug, Clone)]
pub struct Budget {
    counters: Vec<(Arc<AtomicU64>, &'static str)>,
}

impl Budget {
    /// A budget of `bytes` for one run.
    pub fn new(bytes: u64) -> Budget {
        Budget {
            counters: vec![(Arc::new(AtomicU64::new(bytes)), "this run")],
        }
    }

    /// The same budget with a further limit of `bytes` (one zip's).
    pub fn nested(&self, bytes: u64, what: &'static str) -> Budget {
        let mut counters = self.counters.clone();
        counters.push((Arc::new(AtomicU64::new(bytes)), what));
        Budget { counters }
    }

    /// What is left: the smallest of the counters.
    pub fn left(&self) -> u64 {
        self.counters
            .iter()
            .map(|(c, _)| c.load(Ordering::SeqCst))
            .min()
            .unwrap_or(0)
    }

    /// Charges `bytes`, or says which budget they would go over (and
    /// charges nothing).
    pub fn charge(&self, bytes: u64) -> Result<(), String> {
        for (i, (counter, what)) in self.counters.iter().enumerate() {
            let taken = counter.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(bytes)
            });
            if taken.is_err() {
                for (c, _) in &self.counters[..i] {
                    c.fetch_add(bytes, Ordering::SeqCst);
                }
                return Err(self.over(what));
            }
        }
        Ok(())
    }

    /// The message for a file that does not fit in what is left.
    pub fn over(&self, what: &str) -> String {
        format!(
            "over the unpacking budget for {what} ({} left); not read (a zip bomb, or a log too large to read at once?)",
            size_words(self.left())
        )
    }

    /// Which budget is the tightest, for [`Budget::over`].
    pub fn tightest(&self) -> &'static str {
        self.counters
            .iter()
            .min_by_key(|(c, _)| c.load(Ordering::SeqCst))
            .map_or("this run", |(_, what)| what)
    }
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::new(super::Limits::RUN_BYTES)
    }
}

/// `path`, when it stays inside `root` once every link is followed; the
/// reason to skip it otherwise. Both are resolved, so `root` given through
/// a link is fine.
pub fn inside(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let real_root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve the folder: {e}"))?;
    let real = path
        .canonicalize()
        .map_err(|e| format!("cannot read: {e}"))?;
    if real.starts_with(&real_root) {
        Ok(real)
    } else {
        Err(format!(
            "a symbolic link leading outside {} (to {}); not followed",
            root.display(),
            real.display()
        ))
    }
}

/// The longest run believed (km) and the fastest average (km/h): beyond
/// them an activity is a device or export error, and would distort every
/// figure (a 1e308 m lap once reached the triage as 500 km a week).
pub const MAX_RUN_KM: f64 = 400.0;
pub const MAX_RUN_KMH: f64 = 30.0;

/// Why an activity cannot be real: a run outside physical limits, or a
/// distance that is not a number; `None` when it may be.
pub fn impossible(a: &Activity) -> Option<String> {
    if !a.km.is_finite() || a.km < 0.0 {
        return Some("its distance is not a number; left out".into());
    }
    if a.sport != Sport::Run {
        return None;
    }
    if a.km > MAX_RUN_KM {
        return Some(format!(
            "a run of {} km, over {MAX_RUN_KM} km: not a real run (a device or export error?); left out",
            short(a.km)
        ));
    }
    if let Some(s) = a.moving_s.filter(|s| *s > 0.0) {
        let kmh = a.km / (s / 3600.0);
        if kmh > MAX_RUN_KMH {
            return Some(format!(
                "{} km in {} min is {} km/h on average, faster than {MAX_RUN_KMH} km/h: not a real run (a device or export error?); left out",
                short(a.km),
                short(s / 60.0),
                short(kmh)
            ));
        }
    }
    None
}

/// A figure for a message, never 300 digits long.
fn short(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{v:.1e}")
    } else {
        format!("{:.1}", v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_budget_charges_both_and_refunds_on_refusal() {
        let run = Budget::new(100);
        let zip = run.nested(50, "this zip");
        assert!(zip.charge(40).is_ok());
        assert_eq!(run.left(), 60);
        let e = zip.charge(20).expect_err("over the zip's");
        assert!(e.contains("this zip"), "{e}");
        assert_eq!(run.left(), 60, "refunded");
        assert!(run.charge(60).is_ok());
        assert!(run.charge(1).is_err());
    }
}
