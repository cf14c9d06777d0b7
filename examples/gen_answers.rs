//! Prints N random, valid answers objects as JSON Lines, for benchmarks and
//! load tests of `knee-triage batch`.
//!
//!     cargo run --release --example gen_answers -- 100000 [SEED] > answers.jsonl
//!
//! The answers are drawn from the questions of the embedded content pack, so
//! every line is accepted by `batch`; the same seed gives the same lines.

use std::io::{self, BufWriter, Write};

use knee_triage::model::{Pack, QuestionKind};
use serde_json::{Map, Value};

/// SplitMix64: small, fast and good enough to vary test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One random answers object: `location` always, every other question
/// answered with a probability of about one in three.
fn random_answers(pack: &Pack, rng: &mut Rng) -> Map<String, Value> {
    let mut map = Map::new();
    for q in &pack.questions {
        if !q.required && !rng.chance(35) {
            continue;
        }
        let value = match q.kind {
            QuestionKind::Enum => {
                let i = rng.below(q.options.len() as u64) as usize;
                Value::from(q.options[i].value.clone())
            }
            QuestionKind::List => {
                let items: Vec<Value> = q
                    .options
                    .iter()
                    .filter(|_| rng.chance(25))
                    .map(|o| Value::from(o.value.clone()))
                    .collect();
                Value::from(items)
            }
            // Warning signs are rare in a real survey: keep them rare here.
            QuestionKind::Bool => Value::from(rng.chance(15)),
            QuestionKind::Int | QuestionKind::Days => {
                let lo = q.min.unwrap_or(0.0) as i64;
                let hi = q.max.unwrap_or(100.0).min(lo as f64 + 365.0) as i64;
                Value::from(lo + rng.below((hi - lo + 1) as u64) as i64)
            }
            QuestionKind::Number => {
                let lo = q.min.unwrap_or(0.0);
                let hi = q.max.unwrap_or(100.0).min(lo + 1000.0);
                let tenths = rng.below(((hi - lo) * 10.0) as u64 + 1);
                Value::from(lo + tenths as f64 / 10.0)
            }
        };
        map.insert(q.id.clone(), value);
    }
    map
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(42);
    let pack = knee_triage::content::load_from(None)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    let mut rng = Rng(seed);
    let mut out = BufWriter::new(io::stdout().lock());
    for _ in 0..count {
        let line = Value::Object(random_answers(&pack, &mut rng)).to_string();
        if let Err(e) = writeln!(out, "{line}") {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(e);
        }
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}
