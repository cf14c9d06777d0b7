#!/usr/bin/env bash
# Benchmarks run by hand, never in CI. Prints a Markdown table of medians and
# ratios for docs/performance.md.
#
#   scripts/bench.sh              # everything (a few minutes)
#   SKIP_CARGO_BENCH=1 scripts/bench.sh   # skip `cargo bench`
#   SKIP_TRAINING_DIARY=1 scripts/bench.sh  # skip the training-log and diary scripts
#
# Needs: the Rust toolchain; hyperfine, GNU time and jq, which it installs
# with apt-get (as root, or with sudo) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== building (release)" >&2
cargo build --release --locked --bin knee-triage --example gen_answers >&2
bin=target/release/knee-triage
gen=target/release/examples/gen_answers
work=target/bench
mkdir -p "$work"

for n in 10000 100000 1000000; do
    f="$work/answers-$n.jsonl"
    [ -s "$f" ] || "$gen" "$n" 42 >"$f"
done

engine_line="(skipped)"
load_line="(skipped)"
if [ -z "${SKIP_CARGO_BENCH:-}" ]; then
    echo "== cargo bench (engine, pack loading)" >&2
    cargo bench --locked --bench engine 2>/dev/null | tee "$work/cargo-bench.txt" >&2
    # divan prints: name fastest │ slowest │ median │ mean │ samples │ iters,
    # and for a bench with a counter a second line of throughputs.
    median_of() { grep -E "[├╰]─ $1 " "$work/cargo-bench.txt" | awk -F'│' '{print $3}' | xargs; }
    rate_of() { grep -A1 -E "[├╰]─ $1 " "$work/cargo-bench.txt" | tail -1 | sed 's/^│//' | awk -F'│' '{print $3}' | xargs; }
    engine_line="$(rate_of assess) (16 vignettes in $(median_of assess))"
    load_line="$(median_of load_embedded_pack)"
fi

echo "== 1. assess --json once, beside /bin/true" >&2
hyperfine -N --warmup 50 --runs 500 --export-json "$work/assess.json" \
    "$bin assess --location front --onset gradual --worse-with stairs,squatting --json" \
    "/bin/true" >&2

echo "== 2. batch on 100,000 lines, beside jq -c ." >&2
hyperfine -N --warmup 1 --runs 10 --export-json "$work/batch.json" \
    "$bin batch --input $work/answers-100000.jsonl" \
    "jq -c . $work/answers-100000.jsonl" >&2

echo "== 3. peak memory of batch" >&2
peak() {
    /usr/bin/time -v "$bin" batch --input "$1" 2>&1 >/dev/null |
        awk -F': ' '/Maximum resident set size/ {print $2}'
}
rss10k=$(peak "$work/answers-10000.jsonl")
rss1m=$(peak "$work/answers-1000000.jsonl")

ms() { jq -r ".results[$2].median * 1000" "$1"; }
assess_ms=$(ms "$work/assess.json" 0)
true_ms=$(ms "$work/assess.json" 1)
batch_ms=$(ms "$work/batch.json" 0)
jq_ms=$(ms "$work/batch.json" 1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%.2f", a }'; }

cat <<EOF

Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg).

| measurement | knee-triage | baseline | ratio | target |
|---|---|---|---|---|
| \`assess --json\` once (median) | $(fmt "$assess_ms") ms | \`/bin/true\` $(fmt "$true_ms") ms | $(ratio "$assess_ms" "$true_ms")× | ≤ 2× |
| \`batch\` on 100,000 lines (median) | $(fmt "$batch_ms") ms | \`jq -c .\` $(fmt "$jq_ms") ms | $(ratio "$batch_ms" "$jq_ms")× | < 1× |
| \`batch\` peak memory, 1,000,000 vs 10,000 lines | ${rss1m} KB | ${rss10k} KB | $(ratio "$rss1m" "$rss10k")× | ≤ 1.2× |
| engine alone, assessments per second on one core (cargo bench median) | ${engine_line} | | | ≥ 1 Mitem/s |
| loading the embedded pack (cargo bench median) | ${load_line} | | | |
EOF

# The training-log readers and the knee diary have scripts of their own;
# run them too unless asked not to (each prints its medians).
if [ -z "${SKIP_TRAINING_DIARY:-}" ]; then
    echo
    echo "Training log (scripts/bench-training.sh):"
    bash scripts/bench-training.sh
    echo
    echo "Knee diary, 1,100 days (scripts/bench-diary.sh):"
    bash scripts/bench-diary.sh
fi
