//! Benchmarks run by hand (`cargo bench`), never in CI:
//!
//! - `assess`: the engine alone, on the answers of the 16 public vignettes
//!   (`tests/fixtures/vignettes-public.jsonl`), all 16 per iteration, with
//!   assessments per second;
//! - `report_json_line`: the engine plus the JSON line `batch` writes;
//! - `load_embedded_pack` / `compile_pack_sources`: what start-up pays for
//!   the content pack, and what compiling it from TOML would cost.
//!
//! See docs/performance.md for the numbers and how they were measured.

use divan::{Bencher, black_box};
use knee_triage::answers::Answers;
use knee_triage::content;
use knee_triage::model::Pack;

fn main() {
    divan::main();
}

fn pack() -> Pack {
    content::load_from(None).expect("embedded pack is valid")
}

/// The answers of every public vignette, in file order.
fn vignettes(pack: &Pack) -> Vec<Answers> {
    let text = include_str!("../tests/fixtures/vignettes-public.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("fixture line is JSON");
            Answers::from_json(pack, &v["answers"]).expect("fixture answers are valid")
        })
        .collect()
}

/// Every vignette assessed once per iteration; divan reports assessments
/// per second (`item/s`).
#[divan::bench(sample_count = 300, sample_size = 20)]
fn assess(bencher: Bencher) {
    let pack = pack();
    let answers = vignettes(&pack);
    bencher
        .counter(divan::counter::ItemsCount::new(answers.len()))
        .bench_local(|| {
            for a in &answers {
                black_box(knee_triage::engine::assess(black_box(&pack), black_box(a)));
            }
        });
}

/// Assessment plus the report line that `batch` writes, for every vignette.
#[divan::bench(sample_count = 100, sample_size = 5)]
fn report_json_line(bencher: Bencher) {
    let pack = pack();
    let answers = vignettes(&pack);
    let writer = knee_triage::report::LineWriter::new(&pack);
    let mut out = Vec::new();
    bencher
        .counter(divan::counter::ItemsCount::new(answers.len()))
        .bench_local(|| {
            for a in &answers {
                out.clear();
                let assessment = knee_triage::engine::assess(&pack, black_box(a));
                writer.write(a, &assessment, &mut out);
                black_box(&out);
            }
        });
}

/// What every run of the binary pays to have the embedded pack.
#[divan::bench]
fn load_embedded_pack() -> Pack {
    pack()
}

/// Parsing and validating the pack's TOML sources (`content check`, `--content DIR`).
#[divan::bench]
fn compile_pack_sources(bencher: Bencher) {
    let sources = content::embedded_sources();
    bencher.bench_local(|| content::load(black_box(&sources)).expect("valid"));
}
