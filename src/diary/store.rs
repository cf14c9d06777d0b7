//! The knee diary on disk: one SQLite file, what the runner said and
//! nothing derived from it.
//!
//! - Schema versioned with `PRAGMA user_version` and forward-only
//!   migrations; a diary written by a newer version is refused before
//!   anything is written to it.
//! - WAL mode and a busy timeout, so two processes can check in at once;
//!   every write is one `BEGIN IMMEDIATE` transaction.
//! - Created with mode 0600 (in a 0700 folder when the folder is ours).
//! - A file that is not a diary is reported with its path and left as it is:
//!   a diary carries its own `application_id` (older ones: exactly the
//!   tables `day` and `plan`), so another program's SQLite database is
//!   refused before anything, even the journal mode, is changed.
//! - Only a regular file is opened: a FIFO would block forever.
//! - Reading never needs to write: a diary in a read-only folder is read
//!   as it is, and a rollback journal left by a killed first check-in is
//!   rolled back before reading.
//! - Every write checks the file's integrity first, and a row that cannot
//!   be read is left out and named instead of making the whole diary
//!   unreadable.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::error::Error;

/// The schema this build writes. Each step of [`MIGRATIONS`] raises the
/// version by one.
pub const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[i]` takes a diary from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE day (
        date TEXT PRIMARY KEY NOT NULL,          -- YYYY-MM-DD, the runner's local date
        pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
        run_km REAL CHECK (run_km IS NULL OR run_km >= 0),
        no_run INTEGER NOT NULL DEFAULT 0 CHECK (no_run IN (0, 1)),
        next_morning TEXT CHECK (next_morning IS NULL OR next_morning IN ('better', 'same', 'worse')),
        answers TEXT NOT NULL DEFAULT '{}',      -- warning answers given that day, JSON
        recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE plan (
        id INTEGER PRIMARY KEY,
        start TEXT NOT NULL,                     -- YYYY-MM-DD
        answers TEXT NOT NULL,                   -- the answers the plan was made from, JSON
        saved_at TEXT NOT NULL
    ) STRICT;
"];

/// `PRAGMA application_id` of a knee-triage diary ("KnTr"), set when the
/// diary is created: how a diary is told from another program's database.
pub const APPLICATION_ID: i64 = 0x4B6E_5472;

/// The tables of a diary made before [`APPLICATION_ID`] was set.
const TABLES: [&str; 2] = ["day", "plan"];

/// How long a writer waits for another to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the diary lives: `--diary`, else `$KNEE_TRIAGE_DIARY`, else
/// `knee-triage/diary.sqlite3` under `$XDG_DATA_HOME` or `~/.local/share`.
pub fn resolve(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("KNEE_TRIAGE_DIARY").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let data = crate::files::xdg_dir("XDG_DATA_HOME", ".local/share")?;
    Some(data.join("knee-triage").join("diary.sqlite3"))
}

/// How the runner's knee was on the morning after the last run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Morning {
    Better,
    Same,
    Worse,
}

impl Morning {
    pub fn as_str(self) -> &'static str {
        match self {
            Morning::Better => "better",
            Morning::Same => "same",
            Morning::Worse => "worse",
        }
    }

    fn from_name(s: &str) -> Option<Morning> {
        match s {
            "better" => Some(Morning::Better),
            "same" => Some(Morning::Same),
            "worse" => Some(Morning::Worse),
            _ => None,
        }
    }
}

/// One day of the diary, as the runner gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Day {
    #[serde(with = "iso_date")]
    pub date: NaiveDate,
    pub pain: u8,
    #[serde(default)]
    pub run_km: Option<f64>,
    #[serde(default)]
    pub no_run: bool,
    #[serde(default)]
    pub next_morning: Option<Morning>,
    /// Warning answers given that day (`{"locking": true}`).
    #[serde(default)]
    pub answers: Map<String, Json>,
}

/// The plan saved with `plan --save`: its start and the answers it was
/// made from (the sessions are recomputed from the pack).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPlan {
    #[serde(with = "iso_date")]
    pub start: NaiveDate,
    pub answers: Map<String, Json>,
}

pub mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::plan::schedule::iso_date(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        crate::plan::schedule::parse_date(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("\"{text}\" is not a YYYY-MM-DD date")))
    }
}

/// An open diary.
pub struct Diary {
    conn: Connection,
    path: PathBuf,
    /// Rows [`Diary::days`] could not read, each named for a note.
    bad_rows: RefCell<Vec<String>>,
}

fn diary_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Diary {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Says what went wrong in the runner's words.
fn sql_error(path: &Path, e: &rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    let message = match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            "is not a knee-triage diary (not an SQLite database, or damaged); it was left as it is"
                .to_owned()
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            "is damaged (the database is corrupt); it was left as it is".to_owned()
        }
        Some(ErrorCode::ReadOnly) => "cannot be written (read-only)".to_owned(),
        Some(ErrorCode::CannotOpen) => "cannot be opened".to_owned(),
        Some(ErrorCode::PermissionDenied) => "cannot be opened (permission denied)".to_owned(),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            "is busy: another knee-triage kept it locked for too long".to_owned()
        }
        _ => e.to_string(),
    };
    diary_error(path, message)
}

impl Diary {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the diary to read; `None` when there is none yet. Nothing is
    /// created or written, except that a rollback journal left by a killed
    /// check-in is rolled back (as any writer would) before reading.
    pub fn open_existing(path: &Path) -> Result<Option<Diary>, Error> {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(diary_error(path, "is a folder, not a diary file"));
            }
            Ok(m) if !m.is_file() => return Err(diary_error(path, crate::files::NOT_REGULAR)),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(diary_error(path, format!("cannot be read: {e}"))),
        }
        let diary = Diary::open_reader(path)?;
        let version = diary.version()?;
        if version > SCHEMA_VERSION {
            return Err(diary.newer(version));
        }
        diary.check_ours(version)?;
        if version < SCHEMA_VERSION {
            // An empty file (or an older diary) has nothing this build can
            // read without migrating, which only a writer does.
            if version == 0 && diary.is_empty_database()? {
                return Ok(None);
            }
            return Err(diary_error(
                path,
                format!(
                    "has schema version {version}; check in once (knee-triage checkin) to bring it to version {SCHEMA_VERSION}"
                ),
            ));
        }
        Ok(Some(diary))
    }

    /// A read-only connection that has read the header. A WAL diary whose
    /// folder cannot be written (no `-shm` can be made) is opened
    /// immutable when no `-wal` file holds unmerged writes; a hot rollback
    /// journal is rolled back by a short read-write open first.
    fn open_reader(path: &Path) -> Result<Diary, Error> {
        let plain = |flags: OpenFlags, target: &str| -> Result<Diary, rusqlite::Error> {
            let conn = Connection::open_with_flags(target, flags)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?;
            Ok(Diary {
                conn,
                path: path.to_path_buf(),
                bad_rows: RefCell::new(Vec::new()),
            })
        };
        let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let Some(text) = path.to_str() else {
            return plain(read_only, &path.to_string_lossy()).map_err(|e| sql_error(path, &e));
        };
        let first = match plain(read_only, text) {
            Ok(d) => return Ok(d),
            Err(e) => e,
        };
        if !matches!(
            first.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen)
        ) {
            return Err(sql_error(path, &first));
        }
        let beside = |suffix: &str| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(PathBuf::from(p)).is_ok_and(|m| m.len() > 0)
        };
        if beside("-journal") {
            // A check-in killed mid-write: roll back as a writer would.
            let rw = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            if plain(rw, text).is_ok() {
                return plain(read_only, text).map_err(|e| sql_error(path, &e));
            }
            return Err(diary_error(
                path,
                "was left half-written by an interrupted check-in, and cannot be repaired here (read-only); check in once where it can be written",
            ));
        }
        if beside("-wal") {
            return Err(sql_error(path, &first));
        }
        // Nothing unmerged: the file alone is the whole diary.
        let uri = format!("file:{}?immutable=1", uri_path(text));
        plain(read_only | OpenFlags::SQLITE_OPEN_URI, &uri).map_err(|_| sql_error(path, &first))
    }

    /// Opens the diary to write, creating it (0600, in a 0700 folder when
    /// the folder is new) and migrating it to this build's schema.
    pub fn open_for_writing(path: &Path) -> Result<Diary, Error> {
        if let Ok(m) = std::fs::metadata(path) {
            if m.is_dir() {
                return Err(diary_error(path, "is a folder, not a diary file"));
            }
            if !m.is_file() {
                return Err(diary_error(path, crate::files::NOT_REGULAR));
            }
        }
        create_private(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_error(path, &e))?;
        let mut diary = Diary {
            conn,
            path: path.to_path_buf(),
            bad_rows: RefCell::new(Vec::new()),
        };
        diary.setup_connection()?;
        // Read before anything is written: a newer, foreign or damaged
        // file is refused untouched.
        let version = diary.version()?;
        if version > SCHEMA_VERSION {
            return Err(diary.newer(version));
        }
        diary.check_ours(version)?;
        diary.check_integrity()?;
        if diary.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(diary_error(path, "cannot be written (read-only)"));
        }
        diary.use_wal()?;
        // A diary already at this version needs no write lock to check.
        if version < SCHEMA_VERSION {
            diary.migrate()?;
        }
        Ok(diary)
    }

    /// Switches the file to WAL once (the mode is kept in the file). The
    /// switch takes a lock that SQLite's busy handler does not wait for, so
    /// two processes creating the diary at the same moment retry here.
    fn use_wal(&self) -> Result<(), Error> {
        let started = std::time::Instant::now();
        loop {
            let mode: Result<String, rusqlite::Error> =
                self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0));
            let switched = match mode {
                Ok(m) if m.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(_) => self
                    .conn
                    .pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(())),
                Err(e) => Err(e),
            };
            match switched {
                Ok(()) => return Ok(()),
                Err(e)
                    if matches!(
                        e.sqlite_error_code(),
                        Some(rusqlite::ErrorCode::DatabaseBusy)
                            | Some(rusqlite::ErrorCode::DatabaseLocked)
                    ) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(sql_error(&self.path, &e)),
            }
        }
    }

    fn setup_connection(&self) -> Result<(), Error> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sql_error(&self.path, &e))
    }

    fn version(&self) -> Result<i64, Error> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, &e))
    }

    /// Refuses another program's database: a diary has this program's
    /// `application_id`, or (made before it was set) a version and exactly
    /// the diary's tables; an empty database will become one.
    fn check_ours(&self, version: i64) -> Result<(), Error> {
        let id: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, &e))?;
        if id == APPLICATION_ID {
            return Ok(());
        }
        let tables = self.table_names()?;
        let ours = id == 0
            && if version == 0 {
                tables.is_empty()
            } else {
                tables.iter().map(String::as_str).eq(TABLES)
            };
        if ours {
            return Ok(());
        }
        let what = if tables.is_empty() {
            "another program's SQLite database".to_owned()
        } else {
            let shown: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
            format!(
                "another program's SQLite database, with the tables {}{}",
                shown.join(", "),
                if tables.len() > 5 { ", …" } else { "" }
            )
        };
        Err(diary_error(
            &self.path,
            format!("is not a knee-triage diary ({what}); it was left as it is"),
        ))
    }

    fn table_names(&self) -> Result<Vec<String>, Error> {
        let get = |e: rusqlite::Error| sql_error(&self.path, &e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .map_err(get)?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(get)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(get)?;
        Ok(names)
    }

    /// `PRAGMA quick_check` before every write: a damaged diary is refused
    /// by every command that writes, not only by those that read it first.
    fn check_integrity(&self) -> Result<(), Error> {
        let result: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, &e))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(diary_error(
                &self.path,
                "is damaged (the database is corrupt); it was left as it is",
            ))
        }
    }

    fn is_empty_database(&self) -> Result<bool, Error> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, &e))?;
        Ok(n == 0)
    }

    fn newer(&self, version: i64) -> Error {
        diary_error(
            &self.path,
            format!(
                "was written by a newer knee-triage (diary schema version {version}; this one knows up to {SCHEMA_VERSION}); it was not changed. Update knee-triage to use it."
            ),
        )
    }

    fn migrate(&mut self) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&path, &e))?;
        // Read again inside the write lock: another process may have
        // migrated it meanwhile.
        let mut version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| sql_error(&path, &e))?;
        if version > SCHEMA_VERSION {
            return Err(self_newer(&path, version));
        }
        if version == 0 {
            // Checked again under the lock: still empty, so ours to make.
            let n: i64 = tx
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(|e| sql_error(&path, &e))?;
            if n > 0 {
                return Err(diary_error(
                    &path,
                    "is not a knee-triage diary (another program's SQLite database); it was left as it is",
                ));
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(|e| sql_error(&path, &e))?;
        }
        while version < SCHEMA_VERSION {
            let step = MIGRATIONS.get(version as usize).ok_or_else(|| {
                diary_error(&path, format!("no migration from version {version}"))
            })?;
            tx.execute_batch(step).map_err(|e| sql_error(&path, &e))?;
            version += 1;
            tx.pragma_update(None, "user_version", version)
                .map_err(|e| sql_error(&path, &e))?;
        }
        tx.commit().map_err(|e| sql_error(&path, &e))
    }

    /// Every day that can be read, oldest first. A row that cannot be read
    /// (a bad date, a wrong type) is left out and named in
    /// [`Diary::bad_rows`], so one bad row never hides the others.
    pub fn days(&self) -> Result<Vec<Day>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT date, pain, run_km, no_run, next_morning, answers FROM day ORDER BY date",
            )
            .map_err(|e| sql_error(&self.path, &e))?;
        let mut rows = stmt.query([]).map_err(|e| sql_error(&self.path, &e))?;
        let mut out = Vec::new();
        let mut bad = Vec::new();
        // Borrowed text, not a String a row: `history` reads every day.
        while let Some(r) = rows.next().map_err(|e| sql_error(&self.path, &e))? {
            match read_day(r) {
                Ok(day) => out.push(day),
                Err(why) => bad.push(why),
            }
        }
        *self.bad_rows.borrow_mut() = bad;
        Ok(out)
    }

    /// The rows the last [`Diary::days`] left out, each with why.
    pub fn bad_rows(&self) -> Vec<String> {
        self.bad_rows.borrow().clone()
    }

    /// The latest saved plan.
    pub fn plan(&self) -> Result<Option<SavedPlan>, Error> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT start, answers FROM plan ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| sql_error(&self.path, &e))?;
        Ok(row.and_then(|(start, answers)| {
            let start = crate::plan::schedule::parse_date(&start)?;
            match serde_json::from_str::<Json>(&answers) {
                Ok(Json::Object(answers)) => Some(SavedPlan { start, answers }),
                _ => None,
            }
        }))
    }

    /// Records a day in one transaction. A second check-in on the same
    /// date replaces what it says and keeps what it leaves out.
    pub fn put_day(&mut self, day: &Day, hold: Option<Duration>) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&path, &e))?;
        upsert(&tx, day).map_err(|e| sql_error(&path, &e))?;
        if let Some(d) = hold {
            // Tests only: hold the write transaction open, to kill the
            // process in the middle of a check-in.
            eprintln!("test hook: holding the write transaction");
            std::thread::sleep(d);
        }
        tx.commit().map_err(|e| sql_error(&path, &e))
    }

    /// Saves a plan in one transaction.
    pub fn save_plan(&mut self, plan: &SavedPlan) -> Result<(), Error> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&path, &e))?;
        insert_plan(&tx, plan).map_err(|e| sql_error(&path, &e))?;
        tx.commit().map_err(|e| sql_error(&path, &e))
    }

    /// Imports days (and a plan) in one transaction: all or nothing. A day
    /// the diary already holds, and the diary's plan, are kept unless
    /// `replace`: an old export must not undo what was recorded since.
    pub fn import(
        &mut self,
        days: &[Day],
        plan: Option<&SavedPlan>,
        replace: bool,
    ) -> Result<Imported, Error> {
        let path = self.path.clone();
        let sql = |e: rusqlite::Error| sql_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let mut outcome = Imported::default();
        if let Some(p) = plan {
            let has_plan: bool = tx
                .query_row("SELECT EXISTS (SELECT 1 FROM plan)", [], |r| r.get(0))
                .map_err(sql)?;
            if replace || !has_plan {
                insert_plan(&tx, p).map_err(sql)?;
                outcome.plan = true;
            }
        }
        for d in days {
            if replace {
                replace_day(&tx, d).map_err(sql)?;
                outcome.added += 1;
                continue;
            }
            let existing: Option<String> = tx
                .query_row(
                    "SELECT date FROM day WHERE date = ?1",
                    [crate::plan::schedule::iso_date(d.date)],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql)?;
            if existing.is_some() {
                outcome.kept.push(d.date);
            } else {
                replace_day(&tx, d).map_err(sql)?;
                outcome.added += 1;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(outcome)
    }
}

/// One `day` row, or what is wrong with it.
fn read_day(r: &rusqlite::Row) -> Result<Day, String> {
    let date_cell = r.get_ref(0).map_err(|e| e.to_string())?;
    let date_text = match date_cell {
        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        other => format!("{other:?}"),
    };
    let named = |why: String| format!("the day \"{date_text}\" cannot be read: {why}");
    let date = crate::plan::schedule::parse_date(&date_text)
        .ok_or_else(|| named("its date is not YYYY-MM-DD".into()))?;
    let get = |e: rusqlite::Error| named(e.to_string());
    let pain: i64 = r.get(1).map_err(get)?;
    let run_km: Option<f64> = r.get(2).map_err(get)?;
    let no_run: i64 = r.get(3).map_err(get)?;
    let morning = match r.get_ref(4).map_err(get)? {
        rusqlite::types::ValueRef::Text(t) => {
            std::str::from_utf8(t).ok().and_then(Morning::from_name)
        }
        _ => None,
    };
    // Most days carry no answers: skip the JSON parser for them.
    let answers = match r.get_ref(5).map_err(get)? {
        rusqlite::types::ValueRef::Text(t) => match std::str::from_utf8(t).unwrap_or("").trim() {
            "" | "{}" => Map::new(),
            json => match serde_json::from_str::<Json>(json) {
                Ok(Json::Object(m)) => m,
                _ => Map::new(),
            },
        },
        _ => Map::new(),
    };
    Ok(Day {
        date,
        pain: pain.clamp(0, 10) as u8,
        run_km,
        no_run: no_run != 0,
        next_morning: morning,
        answers,
    })
}

/// A path as the path part of an SQLite `file:` URI.
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// Days written.
    pub added: usize,
    /// Days already in the diary, kept as they were.
    pub kept: Vec<NaiveDate>,
    /// Whether the file's plan became the current one.
    pub plan: bool,
}

fn self_newer(path: &Path, version: i64) -> Error {
    diary_error(
        path,
        format!(
            "was written by a newer knee-triage (diary schema version {version}; this one knows up to {SCHEMA_VERSION}); it was not changed. Update knee-triage to use it."
        ),
    )
}

fn now_text() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn upsert(tx: &rusqlite::Transaction, day: &Day) -> rusqlite::Result<()> {
    let answers = Json::Object(day.answers.clone()).to_string();
    tx.execute(
        "INSERT INTO day (date, pain, run_km, no_run, next_morning, answers, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(date) DO UPDATE SET
           pain = excluded.pain,
           run_km = coalesce(excluded.run_km, CASE WHEN excluded.no_run = 1 THEN NULL ELSE day.run_km END),
           no_run = CASE WHEN excluded.no_run = 1 OR excluded.run_km IS NOT NULL THEN excluded.no_run ELSE day.no_run END,
           next_morning = coalesce(excluded.next_morning, day.next_morning),
           answers = json_patch(day.answers, excluded.answers),
           recorded_at = excluded.recorded_at",
        params![
            crate::plan::schedule::iso_date(day.date),
            i64::from(day.pain),
            day.run_km,
            i64::from(day.no_run),
            day.next_morning.map(Morning::as_str),
            answers,
            now_text(),
        ],
    )
    .map(|_| ())
}

fn replace_day(tx: &rusqlite::Transaction, day: &Day) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO day (date, pain, run_km, no_run, next_morning, answers, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            crate::plan::schedule::iso_date(day.date),
            i64::from(day.pain),
            day.run_km,
            i64::from(day.no_run),
            day.next_morning.map(Morning::as_str),
            Json::Object(day.answers.clone()).to_string(),
            now_text(),
        ],
    )
    .map(|_| ())
}

fn insert_plan(tx: &rusqlite::Transaction, plan: &SavedPlan) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO plan (start, answers, saved_at) VALUES (?1, ?2, ?3)",
        params![
            crate::plan::schedule::iso_date(plan.start),
            Json::Object(plan.answers.clone()).to_string(),
            now_text(),
        ],
    )
    .map(|_| ())
}

/// Creates the file 0600 if it does not exist, and its folder 0700 if that
/// does not exist; an existing file or folder is left as it is.
fn create_private(path: &Path) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(dir)
            .map_err(|e| diary_error(path, format!("cannot create its folder: {e}")))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(diary_error(path, format!("cannot be created: {e}"))),
    }
}
