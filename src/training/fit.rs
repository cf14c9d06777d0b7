//! FIT files (Garmin and most watches), read as a stream.
//!
//! A small decoder written from the FIT protocol description (file header,
//! definition and data messages, compressed timestamp headers, developer
//! fields, chained files, the CRC): it keeps only what the figures need,
//! so memory stays flat whatever the file's size (a 30 MB file is read in
//! a few kilobytes; see docs/training.md). It reads:
//!
//! - `file_id.type`: only an activity file (type 4), or a file that names
//!   no type, holds activities. A course (a planned route), a workout or a
//!   settings file holds none.
//! - one activity per `session`: its `start_time` (else the first record's
//!   time), `total_distance`, `total_timer_time`, `sport` and `sub_sport`;
//! - without a usable session, one activity from the `record` messages:
//!   the largest cumulative `distance`, else the positions as for GPX.
//!
//! A FIT `date_time` below 0x10000000 is device-relative (seconds since the
//! device was switched on), not a date: such an activity is skipped with
//! that reason, never dated 1990. An activity without a sport is judged by
//! its average speed ([`super::sports::untyped`]).

use std::io::Read;

use chrono::{DateTime, NaiveDateTime};

use super::gpx::Track;
use super::{Activity, sports};

/// Seconds from the Unix epoch to the FIT epoch, 1989-12-31 00:00 UTC.
const FIT_EPOCH: i64 = 631_065_600;

/// FIT `date_time` values below this are device-relative, not dates.
const MIN_DATE: u32 = 0x1000_0000;

/// FIT's global message numbers used here.
const FILE_ID: u16 = 0;
const SPORT: u16 = 12;
const SESSION: u16 = 18;
const LAP: u16 = 19;
const RECORD: u16 = 20;

/// The FIT file types (`file_id.type`), for messages.
fn file_type_name(t: u8) -> &'static str {
    match t {
        1 => "device",
        2 => "settings",
        3 => "sport settings",
        5 => "workout",
        6 => "course (a planned route)",
        7 => "schedules",
        9 => "weight",
        10 => "totals",
        11 => "goals",
        14 => "blood pressure",
        15 | 28 | 32 => "monitoring (daily health)",
        20 => "activity summary",
        34 | 35 => "segment",
        _ => "non-activity",
    }
}

/// One field of a definition: number, size in bytes, base type.
#[derive(Debug, Clone, Copy)]
struct FieldDef {
    num: u8,
    size: u8,
    base: u8,
}

#[derive(Debug, Clone, Default)]
struct Definition {
    global: u16,
    big_endian: bool,
    fields: Vec<FieldDef>,
    /// Bytes of the message's data: fields and developer fields.
    size: usize,
}

/// A number read from a field, or `None` for FIT's "invalid" value.
fn number(bytes: &[u8], base: u8, big: bool) -> Option<f64> {
    macro_rules! int {
        ($t:ty, $n:expr, $invalid:expr) => {{
            let arr: [u8; $n] = bytes.get(..$n)?.try_into().ok()?;
            let v = if big {
                <$t>::from_be_bytes(arr)
            } else {
                <$t>::from_le_bytes(arr)
            };
            (v != $invalid).then_some(v as f64)
        }};
    }
    match base & 0x1F {
        0x00 | 0x02 | 0x0D => bytes.first().filter(|b| **b != 0xFF).map(|b| f64::from(*b)),
        0x01 => bytes
            .first()
            .filter(|b| **b != 0x7F)
            .map(|b| f64::from(*b as i8)),
        0x0A => bytes.first().filter(|b| **b != 0).map(|b| f64::from(*b)),
        0x03 => int!(i16, 2, i16::MAX),
        0x04 => int!(u16, 2, u16::MAX),
        0x0B => int!(u16, 2, 0),
        0x05 => int!(i32, 4, i32::MAX),
        0x06 => int!(u32, 4, u32::MAX),
        0x0C => int!(u32, 4, 0),
        0x0E => int!(i64, 8, i64::MAX),
        0x0F => int!(u64, 8, u64::MAX),
        0x10 => int!(u64, 8, 0),
        0x08 => {
            let arr: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
            let v = if big {
                f32::from_be_bytes(arr)
            } else {
                f32::from_le_bytes(arr)
            };
            (v.is_finite() && v.to_bits() != u32::MAX).then_some(f64::from(v))
        }
        0x09 => {
            let arr: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
            let v = if big {
                f64::from_be_bytes(arr)
            } else {
                f64::from_le_bytes(arr)
            };
            v.is_finite().then_some(v)
        }
        _ => None,
    }
}

/// A FIT time: a date, a device-relative count, or none.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Time {
    Date(u32),
    Relative,
}

fn fit_time(v: Option<f64>) -> Option<Time> {
    let v = v?;
    if !(0.0..=f64::from(u32::MAX)).contains(&v) {
        return None;
    }
    let v = v as u32;
    Some(if v < MIN_DATE {
        Time::Relative
    } else {
        Time::Date(v)
    })
}

fn to_datetime(t: u32) -> Option<NaiveDateTime> {
    DateTime::from_timestamp(FIT_EPOCH + i64::from(t), 0).map(|d| d.naive_utc())
}

/// One session as read.
#[derive(Debug, Default)]
struct Session {
    start: Option<Time>,
    end: Option<Time>,
    metres: Option<f64>,
    timer_s: Option<f64>,
    elapsed_s: Option<f64>,
    sport: Option<u8>,
    sub_sport: Option<u8>,
}

/// Everything kept from one FIT file: a few numbers per session, never the
/// records themselves.
#[derive(Debug, Default)]
struct State {
    file_type: Option<u8>,
    /// From the `sport` message, or the first lap that names one.
    sport: Option<(u8, Option<u8>)>,
    sessions: Vec<Session>,
    first_record: Option<u32>,
    last_record: Option<u32>,
    record_relative: bool,
    record_metres: f64,
    track: Track,
    /// The last `timestamp` seen, for compressed timestamp headers.
    last_timestamp: Option<u32>,
}

/// CRC-16 of the FIT protocol, fed byte by byte.
#[derive(Debug, Default)]
struct Crc(u16);

impl Crc {
    const TABLE: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];

    fn update(&mut self, bytes: &[u8]) {
        let mut crc = self.0;
        for &b in bytes {
            let tmp = Self::TABLE[(crc & 0xF) as usize];
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ Self::TABLE[(b & 0xF) as usize];
            let tmp = Self::TABLE[(crc & 0xF) as usize];
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ Self::TABLE[((b >> 4) & 0xF) as usize];
        }
        self.0 = crc;
    }
}

/// Reads exact byte counts from the stream, counting them into the CRC.
struct Input<R> {
    inner: R,
    crc: Crc,
    /// Bytes of the current file's data section still to read.
    left: u64,
}

impl<R: Read> Input<R> {
    fn take(&mut self, buf: &mut [u8]) -> Result<(), String> {
        if (buf.len() as u64) > self.left {
            return Err("not valid FIT: a message runs past the end of the data (corrupt?)".into());
        }
        self.inner.read_exact(buf).map_err(truncated)?;
        self.crc.update(buf);
        self.left -= buf.len() as u64;
        Ok(())
    }
}

fn truncated(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "not valid FIT: the file ends before its data does (truncated?)".into()
    } else {
        format!("cannot read: {e}")
    }
}

/// Every session of a FIT file held in memory.
pub fn read(bytes: &[u8]) -> Result<Vec<Activity>, String> {
    read_from(bytes)
}

/// Every session of a FIT file, read from a stream: memory stays flat
/// whatever the file's size.
pub fn read_from(reader: impl Read) -> Result<Vec<Activity>, String> {
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, reader);
    let mut out = Vec::new();
    let mut reasons = Vec::new();
    let mut files = 0usize;
    loop {
        // A FIT file may be followed by more (chained FIT files).
        let mut header = [0u8; 14];
        let got = read_up_to(&mut reader, &mut header[..1])?;
        if got == 0 {
            break;
        }
        let size = usize::from(header[0]);
        if size != 12 && size != 14 {
            if files > 0 {
                // Padding after the last file: what a device leaves.
                break;
            }
            return Err(format!(
                "not a FIT file: the header says it is {size} bytes long (12 or 14 expected)"
            ));
        }
        reader.read_exact(&mut header[1..size]).map_err(truncated)?;
        if &header[8..12] != b".FIT" {
            return Err("not a FIT file (no \".FIT\" in its header)".into());
        }
        let data_size = u64::from(u32::from_le_bytes([
            header[4], header[5], header[6], header[7],
        ]));
        let mut crc = Crc::default();
        crc.update(&header[..size]);
        let mut input = Input {
            inner: &mut reader,
            crc,
            left: data_size,
        };
        let mut state = State::default();
        decode(&mut input, &mut state)?;
        let mut tail = [0u8; 2];
        input.inner.read_exact(&mut tail).map_err(truncated)?;
        if input.crc.0 != u16::from_le_bytes(tail) {
            return Err("not valid FIT: its checksum does not match (corrupt?)".into());
        }
        files += 1;
        match finish(state) {
            Ok(acts) => out.extend(acts),
            Err(reason) => reasons.push(reason),
        }
    }
    if files == 0 {
        return Err("the file is empty".into());
    }
    if out.is_empty()
        && let Some(reason) = reasons.into_iter().next()
    {
        return Err(reason);
    }
    Ok(out)
}

/// Reads what there is, up to `buf.len()` bytes; 0 at the end.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, String> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read: {e}")),
        }
    }
    Ok(n)
}

/// The data section: definitions and data messages, the wanted fields
/// kept in `state`.
fn decode<R: Read>(input: &mut Input<R>, state: &mut State) -> Result<(), String> {
    let mut defs: [Option<Definition>; 16] = Default::default();
    let mut buf = vec![0u8; 255 * 3 * 2 + 8];
    while input.left > 0 {
        let mut head = [0u8; 1];
        input.take(&mut head)?;
        let h = head[0];
        if h & 0x80 != 0 {
            // Compressed timestamp header: local type in bits 5–6, a
            // 5-bit offset from the last full timestamp.
            let local = usize::from((h >> 5) & 0x03);
            let offset = u32::from(h & 0x1F);
            let time = state.last_timestamp.map(|last| {
                let base = last & !0x1F;
                let t = if offset >= (last & 0x1F) {
                    base + offset
                } else {
                    base + offset + 0x20
                };
                state.last_timestamp = Some(t);
                t
            });
            data_message(input, state, &defs, local, time, &mut buf)?;
        } else if h & 0x40 != 0 {
            let local = usize::from(h & 0x0F);
            let developer = h & 0x20 != 0;
            let mut fixed = [0u8; 5];
            input.take(&mut fixed)?;
            let big_endian = fixed[1] == 1;
            let global = if big_endian {
                u16::from_be_bytes([fixed[2], fixed[3]])
            } else {
                u16::from_le_bytes([fixed[2], fixed[3]])
            };
            let n = usize::from(fixed[4]);
            let mut raw = vec![0u8; n * 3];
            input.take(&mut raw)?;
            let fields: Vec<FieldDef> = raw
                .chunks_exact(3)
                .map(|c| FieldDef {
                    num: c[0],
                    size: c[1],
                    base: c[2],
                })
                .collect();
            let mut size: usize = fields.iter().map(|f| usize::from(f.size)).sum();
            if developer {
                let mut count = [0u8; 1];
                input.take(&mut count)?;
                let mut dev = vec![0u8; usize::from(count[0]) * 3];
                input.take(&mut dev)?;
                size += dev
                    .chunks_exact(3)
                    .map(|c| usize::from(c[1]))
                    .sum::<usize>();
            }
            defs[local] = Some(Definition {
                global,
                big_endian,
                fields,
                size,
            });
        } else {
            let local = usize::from(h & 0x0F);
            data_message(input, state, &defs, local, None, &mut buf)?;
        }
    }
    Ok(())
}

fn data_message<R: Read>(
    input: &mut Input<R>,
    state: &mut State,
    defs: &[Option<Definition>; 16],
    local: usize,
    compressed_time: Option<u32>,
    buf: &mut Vec<u8>,
) -> Result<(), String> {
    let Some(def) = &defs[local] else {
        return Err(format!(
            "not valid FIT: a data message of local type {local} comes before its definition (corrupt?)"
        ));
    };
    if buf.len() < def.size {
        buf.resize(def.size, 0);
    }
    let data = &mut buf[..def.size];
    input.take(data)?;
    let wanted = matches!(def.global, FILE_ID | SPORT | SESSION | LAP | RECORD);
    let mut timestamp = compressed_time;
    let mut at = 0usize;
    // (field number, value) of the wanted fields; FIT messages are short.
    let mut values: [(u8, Option<f64>); 12] = [(0, None); 12];
    let mut n_values = 0;
    for f in &def.fields {
        let bytes = &data[at..at + usize::from(f.size)];
        at += usize::from(f.size);
        if f.num == 253 {
            if let Some(v) = number(bytes, f.base, def.big_endian)
                && (0.0..=f64::from(u32::MAX)).contains(&v)
            {
                timestamp = Some(v as u32);
                state.last_timestamp = Some(v as u32);
            }
            continue;
        }
        if !wanted || n_values == values.len() {
            continue;
        }
        let keep = match def.global {
            FILE_ID => f.num == 0,
            SPORT => f.num <= 1,
            SESSION => matches!(f.num, 2 | 5..=9),
            LAP => matches!(f.num, 25 | 39),
            RECORD => matches!(f.num, 0 | 1 | 5),
            _ => false,
        };
        if keep {
            values[n_values] = (f.num, number(bytes, f.base, def.big_endian));
            n_values += 1;
        }
    }
    let get = |num: u8| {
        values[..n_values]
            .iter()
            .find(|(n, _)| *n == num)
            .and_then(|(_, v)| *v)
    };
    let byte = |num: u8| get(num).map(|v| v as u8);
    match def.global {
        FILE_ID => state.file_type = byte(0).or(state.file_type),
        SPORT => {
            if let Some(s) = byte(0) {
                state.sport = Some((s, byte(1)));
            }
        }
        LAP => {
            if state.sport.is_none()
                && let Some(s) = byte(25)
            {
                state.sport = Some((s, byte(39)));
            }
        }
        SESSION => state.sessions.push(Session {
            start: fit_time(get(2)),
            end: fit_time(timestamp.map(f64::from)),
            metres: get(9).map(|v| v / 100.0),
            timer_s: get(8).map(|v| v / 1000.0),
            elapsed_s: get(7).map(|v| v / 1000.0),
            sport: byte(5),
            sub_sport: byte(6),
        }),
        RECORD => {
            let time = fit_time(timestamp.map(f64::from));
            let date = match time {
                Some(Time::Date(t)) => {
                    if state.first_record.is_none_or(|f| t < f) {
                        state.first_record = Some(t);
                    }
                    if state.last_record.is_none_or(|l| t > l) {
                        state.last_record = Some(t);
                    }
                    to_datetime(t)
                }
                Some(Time::Relative) => {
                    state.record_relative = true;
                    None
                }
                None => None,
            };
            if let Some(d) = get(5) {
                state.record_metres = state.record_metres.max(d / 100.0);
            }
            if let (Some(lat), Some(lon)) = (get(0), get(1)) {
                // Semicircles to degrees.
                let k = 180.0 / 2f64.powi(31);
                state.track.point(lat * k, lon * k, date);
            }
        }
        _ => {}
    }
    Ok(())
}

const RELATIVE: &str = "its times are device-relative (counted from when the device was switched on, FIT times below 0x10000000), not dates; not counted";

/// The activities of one decoded file.
fn finish(state: State) -> Result<Vec<Activity>, String> {
    if let Some(t) = state.file_type
        && t != 4
    {
        return Err(format!(
            "a FIT {} file (file type {t}), not an activity: it holds no runs",
            file_type_name(t)
        ));
    }
    let file_sport = state.sport;
    let record_span = match (state.first_record, state.last_record) {
        (Some(a), Some(b)) if b > a => Some(f64::from(b - a)),
        _ => None,
    };
    let single = state.sessions.len() == 1;
    let mut out = Vec::new();
    let mut reasons = Vec::new();
    for s in &state.sessions {
        let start = match s.start {
            Some(Time::Date(t)) => to_datetime(t),
            // No start time: the first record's (FIT's session timestamp is
            // when it ended).
            None => state.first_record.and_then(to_datetime),
            Some(Time::Relative) => None,
        };
        let Some(start) = start else {
            let relative = s.start == Some(Time::Relative)
                || s.end == Some(Time::Relative)
                || state.record_relative;
            reasons.push(if relative {
                RELATIVE.to_owned()
            } else {
                "a session with no start time and no timed record; not counted".to_owned()
            });
            continue;
        };
        let metres = match s.metres {
            Some(m) => m.max(0.0),
            None if single && state.record_metres > 0.0 => state.record_metres,
            None if single && state.track.metres > 0.0 => state.track.metres,
            None => {
                reasons.push("a session with no distance; not counted".into());
                continue;
            }
        };
        let km = metres / 1000.0;
        let span = if single {
            record_span.or(s.elapsed_s)
        } else {
            s.elapsed_s
        };
        let sport = s
            .sport
            .and_then(|sp| sports::from_fit(sp, s.sub_sport))
            .or_else(|| file_sport.and_then(|(sp, sub)| sports::from_fit(sp, sub)))
            .unwrap_or_else(|| sports::untyped(km, span));
        out.push(Activity {
            start,
            km,
            moving_s: s.timer_s.filter(|t| *t > 0.0),
            sport,
            gear: None,
        });
    }
    if !out.is_empty() || !state.sessions.is_empty() {
        return match (out.is_empty(), reasons.into_iter().next()) {
            (true, Some(reason)) => Err(reason),
            _ => Ok(out),
        };
    }
    // No session: one activity from the records.
    let Some(start) = state.first_record.and_then(to_datetime) else {
        return Err(if state.record_relative {
            RELATIVE.to_owned()
        } else {
            "no session and no timed record in it".to_owned()
        });
    };
    let metres = if state.record_metres > 0.0 {
        state.record_metres
    } else {
        state.track.metres
    };
    let km = metres / 1000.0;
    let sport = file_sport
        .and_then(|(sp, sub)| sports::from_fit(sp, sub))
        .unwrap_or_else(|| sports::untyped(km, record_span));
    Ok(vec![Activity {
        start,
        km,
        moving_s: (state.track.moving_s > 0.0).then_some(state.track.moving_s),
        sport,
        gear: None,
    }])
}

/// FIT files made in tests (also the Garmin export's uploads).
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::training::Sport;

    /// A FIT file from its data messages.
    fn file(data: &[u8]) -> Vec<u8> {
        let mut f = vec![14u8, 0x20, 0x54, 0x08];
        f.extend((data.len() as u32).to_le_bytes());
        f.extend(b".FIT");
        f.extend([0, 0]);
        f.extend(data);
        let mut crc = Crc::default();
        crc.update(&f);
        f.extend(crc.0.to_le_bytes());
        f
    }

    /// file_id of `file_type`, then one session: its end and start (FIT
    /// times), `metres` and `sport`.
    pub(crate) fn session_file(file_type: u8, start: u32, metres: u32, sport: u8) -> Vec<u8> {
        let mut d = vec![0x40, 0, 0, 0, 0, 1, 0, 1, 0x00, 0x00, file_type];
        d.extend([
            0x41, 0, 0, 18, 0, 4, 253, 4, 0x86, 2, 4, 0x86, 9, 4, 0x86, 5, 1, 0x00,
        ]);
        d.push(0x01);
        d.extend((start + 3000).to_le_bytes());
        d.extend(start.to_le_bytes());
        d.extend((metres * 100).to_le_bytes());
        d.push(sport);
        file(&d)
    }

    const T: u32 = 1_100_000_000; // 2024-11-09

    #[test]
    fn a_session_is_an_activity() {
        let acts = read(&session_file(4, T, 10_000, 1)).expect("reads");
        assert_eq!(acts.len(), 1);
        assert_eq!(acts[0].km, 10.0);
        assert_eq!(acts[0].sport, Sport::Run);
        assert_eq!(acts[0].start.to_string(), "2024-11-08 11:33:20");
    }

    #[test]
    fn a_course_file_holds_no_activity() {
        let err = read(&session_file(6, T, 162_000, 1)).expect_err("a course");
        assert!(err.contains("course"), "{err}");
    }

    #[test]
    fn a_device_relative_time_is_not_a_date() {
        let err = read(&session_file(4, 5000, 5_000, 1)).expect_err("no date");
        assert!(err.contains("device-relative"), "{err}");
    }

    #[test]
    fn a_bad_checksum_or_a_truncated_file_is_an_error() {
        let mut f = session_file(4, T, 10_000, 1);
        let n = f.len();
        f[n - 3] ^= 1;
        assert!(read(&f).expect_err("crc").contains("checksum"));
        let f = session_file(4, T, 10_000, 1);
        assert!(
            read(&f[..f.len() - 5])
                .expect_err("cut")
                .contains("truncated")
        );
        assert!(read(b"").is_err());
        assert!(
            read(&[
                14, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, b'.', b'F', b'I', b'T', 0, 0
            ])
            .is_err()
        );
    }

    /// Any byte changed, any length cut: an error in one line or a result,
    /// never a panic (there is no third-party parser to catch).
    #[test]
    fn corrupt_files_give_one_line_never_a_panic() {
        use proptest::prelude::*;
        let good = session_file(4, T, 10_000, 1);
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(
                &(0..good.len(), any::<u8>(), 0..=good.len()),
                |(at, byte, cut)| {
                    let mut bad = good.clone();
                    bad[at] = byte;
                    // A checksum that matches, so the decoder sees the change.
                    let n = bad.len() - 2;
                    let mut crc = Crc::default();
                    crc.update(&bad[..n]);
                    bad[n..].copy_from_slice(&crc.0.to_le_bytes());
                    bad.truncate(cut.max(1));
                    if let Err(e) = read(&bad) {
                        prop_assert!(!e.contains('\n') && !e.is_empty(), "{e}");
                    }
                    Ok(())
                },
            )
            .expect("no panic");
    }
}
