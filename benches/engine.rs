//! Benchmarks run by hand (`cargo bench`), never in CI:
//!
//! - `assess`: the engine alone, on the answers of the public vignettes
//!   (`tests/fixtures/vignettes-public.jsonl`), one assessment per iteration;
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

/// One assessment per iteration, cycling through the vignettes.
#[divan::bench]
fn assess(bencher: Bencher) {
    let pack = pack();
    let answers = vignettes(&pack);
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % answers.len();
        knee_triage::engine::assess(black_box(&pack), black_box(&answers[i]))
    });
}

/// Assessment plus the report line that `batch` writes.
#[divan::bench]
fn report_json_line(bencher: Bencher) {
    let pack = pack();
    let answers = vignettes(&pack);
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % answers.len();
        knee_triage::report::Report::new(black_box(&pack), black_box(&answers[i])).to_json_line()
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
