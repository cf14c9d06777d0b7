//! TCX (Garmin Training Center) files: one activity per `<Activity>`.
//!
//! A small streaming reader on quick-xml (the TCX crates are unmaintained).
//! The distance is the file's own: the laps' `DistanceMeters`, else the
//! largest cumulative `DistanceMeters` of the track points, else the
//! track points' positions as for GPX.

use chrono::NaiveDateTime;
use quick_xml::events::Event;

use super::gpx::{Track, parse_time, utf8};
use super::{Activity, sports};

#[derive(Default)]
struct Current {
    sport: String,
    id_time: Option<NaiveDateTime>,
    lap_start: Option<NaiveDateTime>,
    lap_metres: f64,
    laps_with_distance: usize,
    lap_seconds: f64,
    point_metres: f64,
    track: Track,
    point: Option<(Option<f64>, Option<f64>, Option<NaiveDateTime>)>,
}

/// Every activity of a TCX document.
pub fn read(bytes: &[u8]) -> Result<Vec<Activity>, String> {
    let mut reader = quick_xml::Reader::from_str(utf8(bytes, "TCX")?);
    let mut out = Vec::new();
    let mut saw_root = false;
    let mut stack: Vec<String> = Vec::new();
    let mut current: Option<Current> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not valid TCX: {e} at byte {} (truncated or corrupt?)",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                match name.as_str() {
                    "TrainingCenterDatabase" => saw_root = true,
                    "Activity" => {
                        let sport = e
                            .attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == "Sport")
                            .map(|a| a.value.trim().to_owned())
                            .unwrap_or_default();
                        current = Some(Current {
                            sport,
                            ..Current::default()
                        });
                    }
                    "Lap" => {
                        if let Some(c) = &mut current {
                            let start = e
                                .attributes()
                                .flatten()
                                .find(|a| a.key.local_name().as_ref() == "StartTime")
                                .and_then(|a| parse_time(&a.value));
                            if c.lap_start.is_none() {
                                c.lap_start = start;
                            }
                        }
                    }
                    "Track" => {
                        if let Some(c) = &mut current {
                            c.track.break_segment();
                        }
                    }
                    "Trackpoint" => {
                        if let Some(c) = &mut current {
                            c.point = Some((None, None, None));
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Text(t) => {
                let Some(c) = &mut current else { continue };
                let n = stack.len();
                let (Some(this), parent) = (stack.last(), n.checked_sub(2).map(|i| &stack[i]))
                else {
                    continue;
                };
                let value = t.trim();
                match (this.as_str(), parent.map(String::as_str)) {
                    ("Id", Some("Activity")) => c.id_time = parse_time(value),
                    ("DistanceMeters", Some("Lap")) => {
                        if let Ok(m) = value.parse::<f64>()
                            && m.is_finite()
                            && m >= 0.0
                        {
                            c.lap_metres += m;
                            c.laps_with_distance += 1;
                        }
                    }
                    ("TotalTimeSeconds", Some("Lap")) => {
                        if let Ok(s) = value.parse::<f64>()
                            && s.is_finite()
                            && s >= 0.0
                        {
                            c.lap_seconds += s;
                        }
                    }
                    ("DistanceMeters", Some("Trackpoint")) => {
                        if let Ok(m) = value.parse::<f64>()
                            && m.is_finite()
                        {
                            c.point_metres = c.point_metres.max(m);
                        }
                    }
                    ("Time", Some("Trackpoint")) => {
                        if let Some(p) = &mut c.point {
                            p.2 = parse_time(value);
                        }
                    }
                    ("LatitudeDegrees", _) => {
                        if let Some(p) = &mut c.point {
                            p.0 = value.parse().ok();
                        }
                    }
                    ("LongitudeDegrees", _) => {
                        if let Some(p) = &mut c.point {
                            p.1 = value.parse().ok();
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                stack.pop();
                match e.local_name().as_ref() {
                    "Trackpoint" => {
                        if let Some(c) = &mut current
                            && let Some((lat, lon, time)) = c.point.take()
                        {
                            if let Some(t) = time {
                                c.track.timed(t);
                            }
                            // Without a position the point has no fix.
                            if let (Some(lat), Some(lon)) = (lat, lon) {
                                c.track.point(lat, lon, time);
                            }
                        }
                    }
                    "Activity" => {
                        if let Some(c) = current.take()
                            && let Some(a) = finish(c)
                        {
                            out.push(a);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err("not a TCX file (no <TrainingCenterDatabase> element)".into());
    }
    if current.is_some() {
        return Err("not valid TCX: the file ends inside an activity (truncated?)".into());
    }
    Ok(out)
}

fn finish(c: Current) -> Option<Activity> {
    let start = c.id_time.or(c.lap_start).or(c.track.first_time)?;
    let metres = if c.laps_with_distance > 0 {
        c.lap_metres
    } else if c.point_metres > 0.0 {
        c.point_metres
    } else {
        c.track.metres
    };
    let moving = if c.lap_seconds > 0.0 {
        c.lap_seconds
    } else {
        c.track.moving_s
    };
    let km = metres / 1000.0;
    // TCX's Sport is Running, Biking or Other; a file without one is
    // judged by its speed, from the first to the last timed point (else
    // the laps' time).
    let sport = if c.sport.trim().is_empty() {
        let span = c
            .track
            .span_s()
            .filter(|s| *s > 0.0)
            .or((c.lap_seconds > 0.0).then_some(c.lap_seconds));
        sports::untyped(km, span)
    } else {
        sports::from_name(&c.sport)
    };
    Some(Activity {
        start,
        km,
        moving_s: (moving > 0.0).then_some(moving),
        sport,
        gear: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::Sport;

    #[test]
    fn lap_distance_wins_over_points() {
        let tcx = r#"<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>2024-03-01T07:00:00Z</Id>
<Lap StartTime="2024-03-01T07:00:00Z"><TotalTimeSeconds>1800</TotalTimeSeconds><DistanceMeters>5000</DistanceMeters>
<Track><Trackpoint><Time>2024-03-01T07:00:00Z</Time><Position><LatitudeDegrees>0</LatitudeDegrees><LongitudeDegrees>0</LongitudeDegrees></Position><DistanceMeters>0</DistanceMeters></Trackpoint>
<Trackpoint><Time>2024-03-01T07:30:00Z</Time><Position><LatitudeDegrees>0.01</LatitudeDegrees><LongitudeDegrees>0</LongitudeDegrees></Position><DistanceMeters>4900</DistanceMeters></Trackpoint>
</Track></Lap>
<Lap StartTime="2024-03-01T07:30:00Z"><TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>1500.5</DistanceMeters></Lap>
</Activity></Activities></TrainingCenterDatabase>"#;
        let acts = read(tcx.as_bytes()).expect("reads");
        assert_eq!(acts.len(), 1);
        assert!((acts[0].km - 6.5005).abs() < 1e-9);
        assert_eq!(acts[0].moving_s, Some(2400.0));
        assert_eq!(acts[0].sport, Sport::Run);
    }
}
