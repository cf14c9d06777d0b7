//! Apple Health's export (`export.zip` holding
//! `apple_health_export/export.xml`, or `export.xml` itself): its
//! `<Workout>` elements, read as a stream, since the file is often over a
//! gigabyte of heart-rate and step `<Record>`s that the figures do not need.
//!
//! A workout's sport is its `workoutActivityType`
//! (`HKWorkoutActivityTypeRunning`, ...); its start is `startDate`
//! (`2024-05-01 07:30:00 +0200`: local time with its offset, so a UTC day);
//! its distance is `totalDistance` in `totalDistanceUnit` (`km`, `mi`, `m`,
//! `yd`, `ft`), or, in exports from iOS 16 on, the `sum` of its
//! `<WorkoutStatistics type="HKQuantityTypeIdentifierDistance...">` child
//! in its `unit`.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use chrono::{DateTime, NaiveDateTime};
use quick_xml::events::{BytesStart, Event};

use super::{Activity, Log, Skipped, Sport, sports};

/// This reader's name in `training`'s summary.
pub const SOURCE: &str = "Apple Health export";

/// Whether a zip entry is the export's XML (not `export_cda.xml`, the
/// clinical records).
pub fn is_export_entry(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base == "export.xml" || base == "Export.xml"
}

fn finish_log(r: Result<Read, String>, label: &str) -> Log {
    match r {
        Ok(r) => {
            let mut log = Log {
                skipped: r.skipped,
                bytes: r.bytes,
                ..Log::default()
            };
            log.count(SOURCE, &r.activities);
            log.activities = r.activities;
            log
        }
        Err(reason) => Log {
            skipped: vec![Skipped {
                item: label.to_owned(),
                reason,
            }],
            ..Log::default()
        },
    }
}

/// `export.xml` on disk, streamed.
pub fn read_file(path: &Path) -> Log {
    let label = path.display().to_string();
    let r = File::open(path)
        .map_err(|e| format!("cannot read: {e}"))
        .and_then(|f| read(BufReader::with_capacity(64 * 1024, f), &label));
    finish_log(r, &label)
}

/// `export.zip`: its `export.xml`, streamed out of the zip, never held
/// whole.
pub fn read_zip(archive: &mut zip::ZipArchive<File>, zip_label: &str) -> Log {
    let index = (0..archive.len()).find(|&i| {
        archive
            .by_index_raw(i)
            .ok()
            .and_then(|e| e.name().ok().map(|n| is_export_entry(&n)))
            .unwrap_or(false)
    });
    let Some(index) = index else {
        return finish_log(Err("no export.xml in this zip".into()), zip_label);
    };
    let label = format!("{zip_label}: export.xml");
    let r = archive
        .by_index(index)
        .map_err(|e| format!("cannot read this zip entry: {e}"))
        .and_then(|entry| read(BufReader::with_capacity(64 * 1024, entry), &label));
    finish_log(r, &label)
}

/// Kilometres in one of Apple Health's length units.
fn km_per_unit(unit: &str) -> Option<f64> {
    Some(match unit.trim() {
        "km" => 1.0,
        "m" => 0.001,
        "cm" => 0.000_01,
        "mi" => 1.609_344,
        "yd" => 0.000_914_4,
        "ft" => 0.000_304_8,
        _ => return None,
    })
}

/// `2024-05-01 07:30:00 +0200`, as UTC.
pub fn parse_date(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S %z")
        .or_else(|_| DateTime::parse_from_rfc3339(t))
        .ok()
        .map(|d| d.naive_utc())
}

/// HealthKit's workout type as Strava's activity type.
fn sport(kind: &str) -> Sport {
    let name = kind.trim().trim_start_matches("HKWorkoutActivityType");
    match name {
        "Running" => Sport::Run,
        "TraditionalStrengthTraining" | "FunctionalStrengthTraining" => {
            Sport::Other("WeightTraining".into())
        }
        "HighIntensityIntervalTraining" | "MixedCardio" | "CrossTraining" | "Other" => {
            Sport::Other("Workout".into())
        }
        "PaddleSports" => Sport::Other("Canoeing".into()),
        "StairClimbing" | "Stairs" => Sport::Other("StairStepper".into()),
        "WheelchairRunPace" | "WheelchairWalkPace" => Sport::Other("Wheelchair".into()),
        "DownhillSkiing" => Sport::Other("AlpineSki".into()),
        "CrossCountrySkiing" => Sport::Other("NordicSki".into()),
        "" => Sport::Other(sports::UNTYPED.into()),
        other => sports::from_name(other),
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.to_string())
}

/// A workout being read.
struct Workout {
    kind: String,
    start: Option<NaiveDateTime>,
    start_text: String,
    km: Option<f64>,
    duration_s: Option<f64>,
    line: u64,
}

fn workout(e: &BytesStart, line: u64) -> Workout {
    let total = attr(e, "totalDistance").and_then(|v| v.trim().parse::<f64>().ok());
    let unit = attr(e, "totalDistanceUnit").unwrap_or_else(|| "km".into());
    let km = total
        .zip(km_per_unit(&unit))
        .map(|(v, k)| v * k)
        .filter(|v| v.is_finite() && *v > 0.0);
    let duration = attr(e, "duration").and_then(|v| v.trim().parse::<f64>().ok());
    let seconds = match attr(e, "durationUnit").as_deref().map(str::trim) {
        Some("s") => 1.0,
        Some("hr" | "h") => 3600.0,
        _ => 60.0,
    };
    let start_text = attr(e, "startDate").unwrap_or_default();
    Workout {
        kind: attr(e, "workoutActivityType").unwrap_or_default(),
        start: parse_date(&start_text),
        start_text,
        km,
        duration_s: duration
            .map(|d| d * seconds)
            .filter(|d| d.is_finite() && *d > 0.0),
        line,
    }
}

/// What an export gave.
#[derive(Debug, Default)]
pub struct Read {
    pub activities: Vec<Activity>,
    pub skipped: Vec<Skipped>,
    /// Bytes of XML read.
    pub bytes: u64,
}

/// Every workout of an `export.xml`, read as a stream; `label` names it.
pub fn read(input: impl BufRead, label: &str) -> Result<Read, String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut out = Read::default();
    let mut buf = Vec::with_capacity(4096);
    let mut current: Option<Workout> = None;
    let mut saw_root = false;
    let mut workouts = 0u64;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "not valid XML: {e} at byte {} (truncated or corrupt?)",
                reader.error_position()
            )
        })?;
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.local_name().as_ref() {
                "HealthData" => saw_root = true,
                "Workout" if current.is_none() => {
                    workouts += 1;
                    let w = workout(e, workouts);
                    // An empty element has no children to wait for.
                    if empty {
                        finish(w, label, &mut out);
                    } else {
                        current = Some(w);
                    }
                }
                "WorkoutStatistics" => {
                    if let Some(w) = &mut current
                        && w.km.is_none()
                        && attr(e, "type").is_some_and(|t| t.contains("Distance"))
                        && let (Some(sum), Some(k)) = (
                            attr(e, "sum").and_then(|v| v.trim().parse::<f64>().ok()),
                            attr(e, "unit").as_deref().and_then(km_per_unit),
                        )
                    {
                        w.km = Some(sum * k).filter(|v| v.is_finite() && *v > 0.0);
                    }
                }
                _ => {}
            }
        }
        match event {
            Event::End(e) => {
                if e.local_name().as_ref() == "Workout"
                    && let Some(w) = current.take()
                {
                    finish(w, label, &mut out);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err("not an Apple Health export (no <HealthData> element)".into());
    }
    out.bytes = reader.buffer_position();
    Ok(out)
}

fn finish(w: Workout, label: &str, out: &mut Read) {
    let item = format!("{label}: workout {}", w.line);
    let Some(start) = w.start else {
        out.skipped.push(Skipped {
            item,
            reason: format!(
                "startDate \"{}\" is not a date (expected like \"2024-05-01 07:30:00 +0200\")",
                w.start_text
            ),
        });
        return;
    };
    let sport = sport(&w.kind);
    let km = match (w.km, &sport) {
        (Some(km), _) => km,
        (None, Sport::Run) => {
            out.skipped.push(Skipped {
                item,
                reason: "a run with no distance; not counted".into(),
            });
            return;
        }
        (None, _) => 0.0,
    };
    out.activities.push(Activity {
        start,
        km,
        moving_s: w.duration_s,
        sport,
        gear: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workouts_with_their_units_and_offsets() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>
]>
<HealthData locale="en_GB">
 <ExportDate value="2024-06-01 10:00:00 +0100"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" unit="count/min" value="60" startDate="2024-05-01 07:00:00 +0100"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" totalDistance="3.1" totalDistanceUnit="mi" startDate="2024-05-01 00:30:00 +0200" endDate="2024-05-01 01:00:00 +0200"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="1800" durationUnit="s" startDate="2024-05-02 07:30:00 +0000">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" sum="300" unit="kcal"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" sum="5000" unit="m"/>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeTraditionalStrengthTraining" duration="40" durationUnit="min" startDate="2024-05-03 18:00:00 +0000"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" startDate="soon"/>
</HealthData>"#;
        let r = read(xml.as_bytes(), "export.xml").expect("reads");
        assert_eq!(r.activities.len(), 3, "{:?}", r.activities);
        let a = &r.activities[0];
        assert_eq!(a.sport, Sport::Run);
        assert!((a.km - 3.1 * 1.609_344).abs() < 1e-9);
        // 00:30 at +02:00 is the day before, UTC.
        assert_eq!(a.start.to_string(), "2024-04-30 22:30:00");
        assert_eq!(a.moving_s, Some(1800.0));
        assert!((r.activities[1].km - 5.0).abs() < 1e-9);
        assert_eq!(r.activities[2].sport, Sport::Other("WeightTraining".into()));
        assert_eq!(r.skipped.len(), 1);
        assert!(r.skipped[0].reason.contains("not a date"));
        assert!(read(&b"<gpx/>"[..], "x").is_err());
    }
}
