//! GPX files: one activity per `<trk>`, its distance from the track points.
//!
//! A small streaming reader on quick-xml rather than the `gpx` crate: the
//! `gpx` crate builds the whole document on xml-rs, several times slower,
//! and the distance needs only the points' position, time and fix (see
//! docs/performance.md). GPX has no distance field of its own, so the
//! distance is the sum of the great-circle steps between points, leaving
//! out points without a fix and steps faster than [`MAX_SPEED`].

use chrono::{DateTime, NaiveDateTime};
use quick_xml::events::{BytesStart, Event};

use super::{Activity, Sport};

/// Faster than this between two points is a GPS jump, not running (m/s).
pub const MAX_SPEED: f64 = 12.0;

/// A step slower than this does not count as moving time (m/s).
const MOVING_SPEED: f64 = 0.5;

/// Metres between two points (haversine, mean Earth radius).
pub fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * a.sqrt().min(1.0).asin()
}

/// An ISO 8601 time (`2024-05-01T06:00:00Z`, with or without fractions or
/// an offset), as UTC.
pub fn parse_time(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.naive_utc());
    }
    // No zone: taken as UTC.
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok()
}

/// Sums a track's distance point by point.
#[derive(Debug, Default)]
pub struct Track {
    last: Option<(f64, f64, Option<NaiveDateTime>)>,
    pub metres: f64,
    pub moving_s: f64,
    pub first_time: Option<NaiveDateTime>,
    pub points: usize,
}

impl Track {
    /// A new segment: no step is counted across the gap.
    pub fn break_segment(&mut self) {
        self.last = None;
    }

    /// One point with a fix. Returns whether it was kept.
    pub fn point(&mut self, lat: f64, lon: f64, time: Option<NaiveDateTime>) -> bool {
        if !(lat.is_finite() && lon.is_finite()) || lat.abs() > 90.0 || lon.abs() > 180.0 {
            return false;
        }
        if let Some(t) = time
            && self.first_time.is_none_or(|f| t < f)
        {
            self.first_time = Some(t);
        }
        if let Some((plat, plon, ptime)) = self.last {
            let d = haversine(plat, plon, lat, lon);
            if let (Some(a), Some(b)) = (ptime, time) {
                let dt = (b - a).num_milliseconds() as f64 / 1000.0;
                if dt <= 0.0 {
                    if d > MAX_SPEED {
                        return false;
                    }
                } else if d / dt > MAX_SPEED {
                    return false;
                } else if d / dt >= MOVING_SPEED {
                    self.moving_s += dt;
                }
            }
            self.metres += d;
        }
        self.last = Some((lat, lon, time));
        self.points += 1;
        true
    }
}

pub(crate) fn attr_f64(e: &BytesStart, name: &str) -> Option<f64> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
}

/// The document as text: XML activity files are UTF-8 (a byte-order mark
/// is allowed).
pub(crate) fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid {what}: not UTF-8 text at byte {} (corrupt, or not a {what} file?)",
            e.valid_up_to()
        )
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Text {
    None,
    PointTime,
    Fix,
    Type,
    MetaTime,
}

/// Every track of a GPX document, as activities.
pub fn read(bytes: &[u8]) -> Result<Vec<Activity>, String> {
    let mut reader = quick_xml::Reader::from_str(utf8(bytes, "GPX")?);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    let mut saw_gpx = false;
    let mut meta_time: Option<NaiveDateTime> = None;
    let mut in_metadata = false;
    let mut track: Option<(Track, Option<String>)> = None;
    // The point being read: lat, lon, time, no fix.
    let mut point: Option<(f64, f64, Option<NaiveDateTime>, bool)> = None;
    let mut text = Text::None;
    let mut in_trk_type = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not valid GPX: {e} at byte {} (truncated or corrupt?)",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "gpx" => saw_gpx = true,
                    "metadata" => in_metadata = true,
                    "time" if in_metadata => text = Text::MetaTime,
                    "trk" => {
                        track = Some((Track::default(), None));
                        in_trk_type = 0;
                    }
                    "trkseg" => {
                        if let Some((t, _)) = &mut track {
                            t.break_segment();
                        }
                    }
                    "trkpt" => {
                        point = Some(match (attr_f64(&e, "lat"), attr_f64(&e, "lon")) {
                            (Some(lat), Some(lon)) => (lat, lon, None, false),
                            _ => (f64::NAN, f64::NAN, None, true),
                        });
                    }
                    "time" if point.is_some() => text = Text::PointTime,
                    "fix" if point.is_some() => text = Text::Fix,
                    "type" if track.is_some() && point.is_none() => {
                        in_trk_type += 1;
                        text = Text::Type;
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if e.local_name().as_ref() == "trkpt"
                    && let Some((t, _)) = &mut track
                    && let (Some(lat), Some(lon)) = (attr_f64(&e, "lat"), attr_f64(&e, "lon"))
                {
                    t.point(lat, lon, None);
                }
            }
            Event::Text(e) => {
                if text == Text::None {
                    continue;
                }
                let value = e.trim();
                match text {
                    Text::PointTime => {
                        if let Some(p) = &mut point {
                            p.2 = parse_time(value);
                        }
                    }
                    Text::Fix => {
                        if let Some(p) = &mut point
                            && value == "none"
                        {
                            p.3 = true;
                        }
                    }
                    Text::Type => {
                        if let Some((_, kind)) = &mut track
                            && in_trk_type == 1
                        {
                            *kind = Some(value.to_owned());
                        }
                    }
                    Text::MetaTime => meta_time = parse_time(value),
                    Text::None => {}
                }
            }
            Event::End(e) => {
                text = Text::None;
                match e.local_name().as_ref() {
                    "metadata" => in_metadata = false,
                    "trkpt" => {
                        if let (Some((lat, lon, time, no_fix)), Some((t, _))) =
                            (point.take(), &mut track)
                            && !no_fix
                        {
                            t.point(lat, lon, time);
                        }
                    }
                    "trk" => {
                        if let Some((t, kind)) = track.take() {
                            let start = t.first_time.or(meta_time);
                            if let (Some(start), true) = (start, t.points > 0) {
                                out.push(Activity {
                                    start,
                                    km: t.metres / 1000.0,
                                    moving_s: (t.moving_s > 0.0).then_some(t.moving_s),
                                    sport: kind.as_deref().map_or(Sport::Run, gpx_sport),
                                    gear: None,
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_gpx {
        return Err("not a GPX file (no <gpx> element)".into());
    }
    if track.is_some() {
        return Err("not valid GPX: the file ends inside a track (truncated?)".into());
    }
    Ok(out)
}

/// GPX `<type>`: Strava writes `running` or `9`; Garmin `running`,
/// `trail_running`, `cycling`, `walking`.
fn gpx_sport(kind: &str) -> Sport {
    let lower = kind.trim().to_ascii_lowercase();
    if lower.contains("run") || lower == "9" {
        Sport::Run
    } else if lower == "1" {
        Sport::Other("Ride".into())
    } else if lower == "10" {
        Sport::Other("Walk".into())
    } else {
        Sport::from_name(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_one_degree_of_latitude() {
        let d = haversine(0.0, 0.0, 1.0, 0.0);
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn jumps_and_points_without_fix_are_left_out() {
        let gpx = r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>running</type><trkseg>
<trkpt lat="0" lon="0"><time>2024-01-01T10:00:00Z</time></trkpt>
<trkpt lat="0.001" lon="0"><time>2024-01-01T10:00:30Z</time></trkpt>
<trkpt lat="0.5" lon="0"><time>2024-01-01T10:01:00Z</time></trkpt>
<trkpt lat="0.002" lon="0"><time>2024-01-01T10:01:30Z</time><fix>none</fix></trkpt>
<trkpt lat="0.002" lon="0"><time>2024-01-01T10:02:00Z</time></trkpt>
</trkseg></trk></gpx>"#;
        let acts = read(gpx.as_bytes()).expect("reads");
        assert_eq!(acts.len(), 1);
        let want = haversine(0.0, 0.0, 0.002, 0.0) / 1000.0;
        assert!((acts[0].km - want).abs() < 1e-9, "{} vs {want}", acts[0].km);
        assert_eq!(acts[0].sport, Sport::Run);
    }

    #[test]
    fn truncated_is_an_error_not_a_panic() {
        let gpx =
            r#"<gpx><trk><trkseg><trkpt lat="0" lon="0"><time>2024-01-01T10:00:00Z</time></trkpt>"#;
        assert!(read(gpx.as_bytes()).is_err());
        assert!(read(b"\xff\xfe\x00garbage<<<").is_err());
    }
}
