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

use super::{Activity, sports};

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
    pub last_time: Option<NaiveDateTime>,
    pub points: usize,
}

impl Track {
    /// A new segment: no step is counted across the gap.
    pub fn break_segment(&mut self) {
        self.last = None;
    }

    /// A point's time, kept for the track's first and last time.
    pub fn timed(&mut self, t: NaiveDateTime) {
        if self.first_time.is_none_or(|f| t < f) {
            self.first_time = Some(t);
        }
        if self.last_time.is_none_or(|l| t > l) {
            self.last_time = Some(t);
        }
    }

    /// Seconds from the first timed point to the last.
    pub fn span_s(&self) -> Option<f64> {
        let (a, b) = (self.first_time?, self.last_time?);
        Some((b - a).num_milliseconds() as f64 / 1000.0)
    }

    /// One point with a fix. Returns whether it was kept.
    pub fn point(&mut self, lat: f64, lon: f64, time: Option<NaiveDateTime>) -> bool {
        if !(lat.is_finite() && lon.is_finite()) || lat.abs() > 90.0 || lon.abs() > 180.0 {
            return false;
        }
        if let Some(t) = time {
            self.timed(t);
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
    Name,
}

/// What a GPX document holds: its dated tracks, and why any other track
/// was left out.
#[derive(Debug, Default)]
pub struct Read {
    pub activities: Vec<Activity>,
    pub skipped: Vec<String>,
}

/// Every track of a GPX document, as activities; an error when none of
/// them is one.
pub fn read(bytes: &[u8]) -> Result<Vec<Activity>, String> {
    let r = read_all(bytes)?;
    match (r.activities.is_empty(), r.skipped.into_iter().next()) {
        (true, Some(reason)) => Err(reason),
        _ => Ok(r.activities),
    }
}

/// A track being read.
#[derive(Default)]
struct Current {
    track: Track,
    /// `trk/type`: the sport, when the file says.
    kind: Option<String>,
    name: Option<String>,
    /// Element depth of the `<trk>`, to tell its own `<type>` and `<name>`
    /// from those inside its `<link>` or `<extensions>`.
    depth: usize,
    number: usize,
}

/// Every track of a GPX document (1.0 or 1.1).
///
/// A track's date is that of its first timed point. A track without a
/// timed point has no date (a planned route, say): it is listed in
/// `skipped`, never dated by the file's `metadata/time`, which says when
/// the file was made. Only `trk/type` is the sport; a track without one is
/// judged by its speed ([`sports::untyped`]).
pub fn read_all(bytes: &[u8]) -> Result<Read, String> {
    let mut reader = quick_xml::Reader::from_str(utf8(bytes, "GPX")?);
    reader.config_mut().check_end_names = true;
    let mut out = Read::default();
    let mut saw_gpx = false;
    let mut current: Option<Current> = None;
    let mut tracks = 0usize;
    // The point being read: lat, lon, time, no fix.
    let mut point: Option<(f64, f64, Option<NaiveDateTime>, bool)> = None;
    let mut text = Text::None;
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not valid GPX: {e} at byte {} (truncated or corrupt?)",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name();
                let child_of_trk = current.as_ref().is_some_and(|c| depth == c.depth + 1);
                match name.as_ref() {
                    "gpx" => saw_gpx = true,
                    "trk" => {
                        tracks += 1;
                        current = Some(Current {
                            depth,
                            number: tracks,
                            ..Current::default()
                        });
                    }
                    "trkseg" => {
                        if let Some(c) = &mut current {
                            c.track.break_segment();
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
                    "type" if child_of_trk => text = Text::Type,
                    "name" if child_of_trk => text = Text::Name,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if e.local_name().as_ref() == "trkpt"
                    && let Some(c) = &mut current
                    && let (Some(lat), Some(lon)) = (attr_f64(&e, "lat"), attr_f64(&e, "lon"))
                {
                    c.track.point(lat, lon, None);
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
                        if let Some(c) = &mut current {
                            c.kind = Some(value.to_owned());
                        }
                    }
                    Text::Name => {
                        if let Some(c) = &mut current {
                            c.name = Some(value.chars().take(60).collect());
                        }
                    }
                    Text::None => {}
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                text = Text::None;
                match e.local_name().as_ref() {
                    "trkpt" => {
                        if let (Some((lat, lon, time, no_fix)), Some(c)) =
                            (point.take(), &mut current)
                            && !no_fix
                        {
                            c.track.point(lat, lon, time);
                        }
                    }
                    "trk" => {
                        if let Some(c) = current.take() {
                            finish(c, &mut out);
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
    if current.is_some() {
        return Err("not valid GPX: the file ends inside a track (truncated?)".into());
    }
    Ok(out)
}

fn finish(c: Current, out: &mut Read) {
    let t = c.track;
    let label = match &c.name {
        Some(name) if !name.is_empty() => format!("track {} (\"{name}\")", c.number),
        _ => format!("track {}", c.number),
    };
    // A track with no point is no activity (GPS logs often hold one).
    if t.points == 0 {
        return;
    }
    let Some(start) = t.first_time else {
        out.skipped.push(format!(
            "{label}: no point has a time, so it has no date (a planned route?); not counted"
        ));
        return;
    };
    let km = t.metres / 1000.0;
    let sport = match c.kind.as_deref().map(str::trim) {
        Some(kind) if !kind.is_empty() => sports::from_name(kind),
        _ => sports::untyped(km, t.span_s()),
    };
    out.activities.push(Activity {
        start,
        km,
        moving_s: (t.moving_s > 0.0).then_some(t.moving_s),
        sport,
        gear: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::Sport;

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

    /// A track due north at `kmh`, `n` points a minute apart, with a
    /// `<type>` or not, and points timed or not.
    fn track(kind: Option<&str>, kmh: f64, timed: bool) -> String {
        let step = kmh * 1000.0 / 60.0 / 111_195.0;
        let mut s = String::from("<trk><name>T</name>");
        s.push_str(
            "<link href=\"https://example.com\"><text>x</text><type>text/html</type></link>",
        );
        if let Some(k) = kind {
            s.push_str(&format!("<type>{k}</type>"));
        }
        s.push_str("<trkseg>");
        for i in 0..=30 {
            let time = if timed {
                format!("<time>2024-01-01T10:{i:02}:00Z</time>")
            } else {
                String::new()
            };
            s.push_str(&format!(
                "<trkpt lat=\"{:.9}\" lon=\"0\">{time}</trkpt>",
                f64::from(i) * step
            ));
        }
        s.push_str("</trkseg></trk>");
        s
    }

    fn doc(tracks: &[String]) -> String {
        format!(
            "<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"t\"><metadata><time>2025-06-01T00:00:00Z</time></metadata>{}</gpx>",
            tracks.concat()
        )
    }

    #[test]
    fn the_type_inside_a_link_is_not_the_sport() {
        let acts = read(doc(&[track(Some("running"), 30.0, true)]).as_bytes()).expect("reads");
        assert_eq!(acts[0].sport, Sport::Run, "trk/type, not link/type");
        let acts = read(doc(&[track(None, 10.0, true)]).as_bytes()).expect("reads");
        assert_eq!(acts[0].sport, Sport::Run, "untyped at 10 km/h");
    }

    #[test]
    fn untyped_tracks_are_runs_only_at_5_to_20_kmh() {
        for (kmh, run) in [(3.0, false), (6.0, true), (19.0, true), (25.0, false)] {
            let acts = read(doc(&[track(None, kmh, true)]).as_bytes()).expect("reads");
            let want = if run {
                Sport::Run
            } else {
                Sport::Other("untyped".into())
            };
            assert_eq!(acts[0].sport, want, "{kmh} km/h");
        }
    }

    #[test]
    fn a_track_without_times_has_no_date() {
        // Never the metadata's time: that is when the file was made.
        let err =
            read(doc(&[track(Some("running"), 10.0, false)]).as_bytes()).expect_err("no date");
        assert!(err.contains("no point has a time"), "{err}");
        // In a file with a timed track too: that one counts, this one is listed.
        let r = read_all(
            doc(&[
                track(Some("running"), 10.0, true),
                track(Some("running"), 10.0, false),
            ])
            .as_bytes(),
        )
        .expect("reads");
        assert_eq!(r.activities.len(), 1);
        assert_eq!(r.skipped.len(), 1);
        assert!(
            r.skipped[0].starts_with("track 2 (\"T\")"),
            "{:?}",
            r.skipped
        );
        // GPX 1.0 says the same.
        let old = format!(
            "<gpx version=\"1.0\"><time>2025-06-01T00:00:00Z</time>{}</gpx>",
            track(None, 10.0, false)
        );
        assert!(
            read(old.as_bytes())
                .expect_err("no date")
                .contains("no date")
        );
    }
}
