//! FIT files (Garmin and most watches), through `fitparser`.
//!
//! One activity per `session` message, with the session's own
//! `total_distance`; a file without sessions gives one activity from its
//! `record` messages: the largest cumulative `distance`, else the
//! positions as for GPX.

use chrono::NaiveDateTime;
use fitparser::profile::MesgNum;
use fitparser::{FitDataRecord, Value};

use super::gpx::Track;
use super::{Activity, Sport};

fn number(v: &Value) -> Option<f64> {
    let n = match v {
        Value::Byte(x) | Value::Enum(x) | Value::UInt8(x) | Value::UInt8z(x) => f64::from(*x),
        Value::SInt8(x) => f64::from(*x),
        Value::SInt16(x) => f64::from(*x),
        Value::UInt16(x) | Value::UInt16z(x) => f64::from(*x),
        Value::SInt32(x) => f64::from(*x),
        Value::UInt32(x) | Value::UInt32z(x) => f64::from(*x),
        Value::SInt64(x) => *x as f64,
        Value::UInt64(x) | Value::UInt64z(x) => *x as f64,
        Value::Float32(x) => f64::from(*x),
        Value::Float64(x) => *x,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

fn time(v: &Value) -> Option<NaiveDateTime> {
    match v {
        Value::Timestamp(t) => Some(t.naive_utc()),
        _ => None,
    }
}

fn field<'a>(rec: &'a FitDataRecord, name: &str) -> Option<&'a Value> {
    rec.fields()
        .iter()
        .find(|f| f.name() == name)
        .map(|f| f.value())
}

/// FIT's sport: a name (`running`) or the profile's number (1 is running).
fn sport(v: Option<&Value>) -> Sport {
    match v {
        Some(Value::String(s)) => match s.as_str() {
            "running" => Sport::Run,
            "cycling" => Sport::Other("Ride".into()),
            "walking" => Sport::Other("Walk".into()),
            other => Sport::Other(other.to_owned()),
        },
        Some(Value::Enum(1)) => Sport::Run,
        Some(v) => Sport::Other(format!("sport {v}")),
        // No sport said: the runner gave us the file as a run.
        None => Sport::Run,
    }
}

/// Every session of a FIT file.
pub fn read(bytes: &[u8]) -> Result<Vec<Activity>, String> {
    // The parser is a third party's: a panic on a hostile file must not end
    // the whole read, only this file.
    let parsed = std::panic::catch_unwind(|| fitparser::from_bytes(bytes))
        .map_err(|_| "not a readable FIT file (the FIT reader failed on it)".to_owned())?;
    let records = parsed.map_err(|e| format!("not valid FIT: {e} (truncated or corrupt?)"))?;
    let mut out = Vec::new();
    let mut file_sport: Option<&Value> = None;
    for rec in &records {
        if rec.kind() == MesgNum::Sport {
            file_sport = field(rec, "sport").or(file_sport);
        }
    }
    for rec in records.iter().filter(|r| r.kind() == MesgNum::Session) {
        let Some(start) = field(rec, "start_time").and_then(time) else {
            continue;
        };
        let Some(metres) = field(rec, "total_distance").and_then(number) else {
            continue;
        };
        let moving = field(rec, "total_timer_time").and_then(number);
        out.push(Activity {
            start,
            km: metres.max(0.0) / 1000.0,
            moving_s: moving.filter(|s| *s > 0.0),
            sport: sport(field(rec, "sport").or(file_sport)),
            gear: None,
        });
    }
    if !out.is_empty() {
        return Ok(out);
    }
    // No usable session: the records.
    let mut track = Track::default();
    let mut cumulative: f64 = 0.0;
    let mut first: Option<NaiveDateTime> = None;
    for rec in records.iter().filter(|r| r.kind() == MesgNum::Record) {
        let t = field(rec, "timestamp").and_then(time);
        if let Some(t) = t
            && first.is_none_or(|f| t < f)
        {
            first = Some(t);
        }
        if let Some(d) = field(rec, "distance").and_then(number) {
            cumulative = cumulative.max(d);
        }
        let lat = field(rec, "position_lat").and_then(number);
        let lon = field(rec, "position_long").and_then(number);
        if let (Some(lat), Some(lon)) = (lat, lon) {
            // Semicircles to degrees.
            let k = 180.0 / 2f64.powi(31);
            track.point(lat * k, lon * k, t);
        }
    }
    let Some(start) = first else {
        return Ok(out);
    };
    let metres = if cumulative > 0.0 {
        cumulative
    } else {
        track.metres
    };
    if metres > 0.0 || track.points > 0 {
        out.push(Activity {
            start,
            km: metres / 1000.0,
            moving_s: (track.moving_s > 0.0).then_some(track.moving_s),
            sport: sport(file_sport),
            gear: None,
        });
    }
    Ok(out)
}
