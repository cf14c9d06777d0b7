//! Writes a synthetic training log for benchmarks of `knee-triage training`:
//!
//!     cargo run --release --example gen_training -- DIR [RUNS] [GPX_FILES] [FIT_MB] [APPLE_MB]
//!
//! - `DIR/export/activities.csv`: a five-year Strava export with RUNS runs
//!   (default 2,000) plus rides and walks, in Strava's column layout;
//! - `DIR/gpx/NNNN.gpx`: GPX_FILES files (default 500), each a one-hour run
//!   with one point a second;
//! - `DIR/fit/ultra.fit`: one FIT activity of about FIT_MB megabytes
//!   (default 30), for the memory benchmark;
//! - `DIR/apple/export.xml`: an Apple Health export of about APPLE_MB
//!   megabytes (default 300), mostly heart-rate records, a run every two
//!   days.
//!
//! The same arguments always give the same files.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime};

const HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed";

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: gen_training DIR [RUNS] [GPX_FILES]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let files: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(500);
    let dir = Path::new(dir);
    let fit_mb: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(30);
    let apple_mb: usize = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(300);
    export(&dir.join("export"), runs)?;
    gpx_folder(&dir.join("gpx"), files)?;
    fs::create_dir_all(dir.join("fit"))?;
    fit_file(&dir.join("fit/ultra.fit"), fit_mb)?;
    fs::create_dir_all(dir.join("apple"))?;
    apple_export(&dir.join("apple/export.xml"), apple_mb)?;
    Ok(())
}

fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2021, 1, 4)
        .and_then(|d| d.and_hms_opt(6, 30, 0))
        .unwrap_or_default()
}

fn export(dir: &Path, runs: usize) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut out = BufWriter::new(File::create(dir.join("activities.csv"))?);
    writeln!(out, "{HEADER}")?;
    // Five years: runs spread evenly, every eighth activity a ride or walk.
    let span_minutes = 5 * 365 * 24 * 60;
    let total = runs + runs / 7;
    for i in 0..total {
        let when = start() + Duration::minutes((i * span_minutes / total) as i64);
        let (kind, km, gear) = match i % 8 {
            7 if i % 16 == 7 => ("Ride", 40.0, "Bike"),
            7 => ("Walk", 5.0, "Trail shoes"),
            _ => (
                "Run",
                5.0 + (i % 13) as f64 * 1.3,
                ["Pegasus", "Ghost", "Trail shoes"][(i / 300) % 3],
            ),
        };
        let secs = (km * 330.0) as u64;
        writeln!(
            out,
            "{},\"{}\",{kind} {i},{kind},,{secs},{km:.2},150,40,false,,{gear},activities/{i}.gpx.gz,70,,{secs}.0,{}.0,{:.1},4.1",
            8_000_000_000u64 + i as u64,
            when.format("%b %-d, %Y, %-I:%M:%S %p"),
            secs * 97 / 100,
            km * 1000.0
        )?;
    }
    out.flush()
}

fn gpx_folder(dir: &Path, files: usize) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    for f in 0..files {
        let mut out = BufWriter::new(File::create(dir.join(format!("{f:04}.gpx")))?);
        let t0 = start() + Duration::days(f as i64 * 3);
        writeln!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx creator=\"gen_training\" version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n <metadata><time>{}</time></metadata>\n <trk><name>Run {f}</name><type>running</type><trkseg>",
            t0.format("%Y-%m-%dT%H:%M:%SZ")
        )?;
        // 3,600 points a second apart at about 3 m/s, wandering east.
        for s in 0..3600u32 {
            let lat = 51.5 + f64::from(s) * 0.000_018 + (f64::from(s) * 0.05).sin() * 0.000_01;
            let lon = -0.12 + f64::from(s) * 0.000_03;
            let t = t0 + Duration::seconds(i64::from(s));
            writeln!(
                out,
                "  <trkpt lat=\"{lat:.7}\" lon=\"{lon:.7}\"><ele>{:.1}</ele><time>{}</time></trkpt>",
                20.0 + (f64::from(s) * 0.01).sin() * 5.0,
                t.format("%Y-%m-%dT%H:%M:%SZ")
            )?;
        }
        writeln!(out, " </trkseg></trk>\n</gpx>")?;
        out.flush()?;
    }
    Ok(())
}

/// The FIT CRC-16 (from the FIT protocol description).
fn fit_crc(crc: u16, data: &[u8]) -> u16 {
    const T: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    let mut crc = crc;
    for &b in data {
        let tmp = T[(crc & 0xF) as usize];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ T[(b & 0xF) as usize];
        let tmp = T[(crc & 0xF) as usize];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ T[((b >> 4) & 0xF) as usize];
    }
    crc
}

/// One FIT activity of about `mb` megabytes: file_id, a record a second
/// (time, position, distance, heart rate, altitude, speed, and 228 bytes of
/// a field the reader does not use, as a watch's many sensors add), then
/// its session: a 30 MB file is a 33-hour, 300 km ultra at 2.5 m/s.
fn fit_file(path: &Path, mb: usize) -> std::io::Result<()> {
    let t0: u32 = 1_100_000_000;
    let records = mb * 1_000_000 / 250;
    let mut data = Vec::with_capacity(mb * 1_000_000 + 200);
    // file_id: type (enum) = 4 activity, time_created.
    data.extend([0x40, 0, 0, 0, 0, 2, 0, 1, 0x00, 4, 4, 0x86, 0x00, 4]);
    data.extend(t0.to_le_bytes());
    // record: timestamp, lat, long, distance, heart_rate, altitude, speed.
    data.extend([0x41, 0, 0, 20, 0, 8]);
    data.extend([
        253, 4, 0x86, 0, 4, 0x85, 1, 4, 0x85, 5, 4, 0x86, 3, 1, 0x02, 2, 2, 0x84, 6, 2, 0x84,
    ]);
    data.extend([250, 228, 0x0D]);
    let mut metres = 0.0f64;
    for i in 0..records {
        // Laps of a 400 m track near 50°N, 2.5 m/s.
        metres += 2.5;
        let angle = metres / 400.0 * std::f64::consts::TAU;
        let lat = 50.0 + 0.0006 * angle.sin();
        let lon = 8.0 + 0.0009 * angle.cos();
        let semi = |deg: f64| (deg * 2f64.powi(31) / 180.0) as i32;
        data.push(0x01);
        data.extend((t0 + i as u32).to_le_bytes());
        data.extend(semi(lat).to_le_bytes());
        data.extend(semi(lon).to_le_bytes());
        data.extend(((metres * 100.0) as u32).to_le_bytes());
        data.push(140 + (i % 20) as u8);
        data.extend((2500u16 + (i % 50) as u16).to_le_bytes());
        data.extend(2500u16.to_le_bytes());
        data.extend([0u8; 228]);
    }
    let end = t0 + records as u32;
    // session: timestamp, start_time, total_elapsed_time, total_timer_time,
    // total_distance, sport.
    data.extend([0x42, 0, 0, 18, 0, 6]);
    data.extend([
        253, 4, 0x86, 2, 4, 0x86, 7, 4, 0x86, 8, 4, 0x86, 9, 4, 0x86, 5, 1, 0x00,
    ]);
    data.push(0x02);
    data.extend(end.to_le_bytes());
    data.extend(t0.to_le_bytes());
    data.extend((records as u32 * 1000).to_le_bytes());
    data.extend((records as u32 * 1000).to_le_bytes());
    data.extend(((metres * 100.0) as u32).to_le_bytes());
    data.push(1);
    let mut file = vec![14u8, 0x20, 0x54, 0x08];
    file.extend((data.len() as u32).to_le_bytes());
    file.extend(b".FIT");
    let crc = fit_crc(0, &file);
    file.extend(crc.to_le_bytes());
    let crc = fit_crc(fit_crc(0, &file), &data);
    file.extend(&data);
    file.extend(crc.to_le_bytes());
    fs::write(path, file)
}

/// An Apple Health export.xml of about `mb` megabytes: heart-rate and step
/// records, and a run every other day among them.
fn apple_export(path: &Path, mb: usize) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>\n<!ATTLIST HealthData\n  locale CDATA #REQUIRED\n>\n]>"
    )?;
    writeln!(
        out,
        "<HealthData locale=\"en_GB\">\n <ExportDate value=\"2025-12-31 10:00:00 +0000\"/>"
    )?;
    let mut written = 0usize;
    let mut i = 0u64;
    let t0 = start();
    while written < mb * 1_000_000 {
        let when = t0 + Duration::seconds((i * 60) as i64);
        let stamp = when.format("%Y-%m-%d %H:%M:%S +0100");
        let line = if i.is_multiple_of(2880) {
            format!(
                " <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"35.5\" durationUnit=\"min\" totalDistance=\"{:.2}\" totalDistanceUnit=\"km\" sourceName=\"Watch\" sourceVersion=\"10.1\" creationDate=\"{stamp}\" startDate=\"{stamp}\" endDate=\"{stamp}\">\n  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n </Workout>\n",
                5.0 + (i % 7) as f64
            )
        } else {
            format!(
                " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" sourceVersion=\"10.1\" device=\"&lt;&lt;HKDevice: 0x283a0c0a0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;\" unit=\"count/min\" creationDate=\"{stamp}\" startDate=\"{stamp}\" endDate=\"{stamp}\" value=\"{}\">\n  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"0\"/>\n </Record>\n",
                60 + i % 40
            )
        };
        out.write_all(line.as_bytes())?;
        written += line.len();
        i += 1;
    }
    writeln!(out, "</HealthData>")?;
    out.flush()
}
