//! Writes a synthetic training log for benchmarks of `knee-triage training`:
//!
//!     cargo run --release --example gen_training -- DIR [RUNS] [GPX_FILES]
//!
//! - `DIR/export/activities.csv`: a five-year Strava export with RUNS runs
//!   (default 2,000) plus rides and walks, in Strava's column layout;
//! - `DIR/gpx/NNNN.gpx`: GPX_FILES files (default 500), each a one-hour run
//!   with one point a second.
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
    export(&dir.join("export"), runs)?;
    gpx_folder(&dir.join("gpx"), files)?;
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
