#!/usr/bin/env bash
# Benchmarks of `knee-triage training`, run by hand, never in CI. Prints the
# medians for docs/performance.md.
#
#   scripts/bench-training.sh
#
# 1. a five-year Strava export (activities.csv with 2,000 runs): target
#    under 100 ms;
# 2. a folder of 500 GPX files, each a one-hour run at one point a second:
#    target 50 MB/s of XML or more;
# 3. one 30 MB FIT file (a 33-hour ultra with many sensor fields): peak
#    memory (/usr/bin/time -v) at most 50 MB, whatever the file's size;
# 4. a 300 MB Apple Health export.xml (heart-rate records, a run every two
#    days): target 100 MB/s or more, with flat memory.
#
# Needs the Rust toolchain and hyperfine (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq hyperfine >/dev/null
fi

echo "== building (release)" >&2
cargo build --release --locked --bin knee-triage --example gen_training >&2
bin=target/release/knee-triage
work=target/bench/training
if [ ! -s "$work/export/activities.csv" ] || [ ! -s "$work/gpx/0499.gpx" ] \
    || [ ! -s "$work/fit/ultra.fit" ] || [ ! -s "$work/apple/export.xml" ]; then
    echo "== generating $work" >&2
    target/release/examples/gen_training "$work" 2000 500
fi
# The newest run is 2025; --today keeps the future check out of it.
today=2026-01-01
csv_bytes=$(stat -c %s "$work/export/activities.csv")
fit_bytes=$(stat -c %s "$work/fit/ultra.fit")
apple_bytes=$(stat -c %s "$work/apple/export.xml")
gpx_bytes=$(du -cb "$work"/gpx/*.gpx | tail -1 | cut -f1)

echo "== 1. the five-year export ($csv_bytes bytes)" >&2
hyperfine -N --warmup 3 --runs 30 --export-json "$work/csv.json" \
    "$bin training $work/export --today $today --json" >&2

echo "== 2. 500 GPX files ($gpx_bytes bytes)" >&2
hyperfine -N --warmup 1 --runs 10 --export-json "$work/gpx.json" \
    "$bin training $work/gpx --today $today --json" >&2

echo "== 3. one FIT file ($fit_bytes bytes): peak memory" >&2
hyperfine -N --warmup 1 --runs 5 --export-json "$work/fit.json" \
    "$bin training $work/fit/ultra.fit --today $today --json" >&2
/usr/bin/time -v "$bin" training "$work/fit/ultra.fit" --today "$today" --json \
    >/dev/null 2>"$work/fit.time"
fit_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/fit.time")

echo "== 4. Apple Health export.xml ($apple_bytes bytes)" >&2
hyperfine -N --warmup 1 --runs 5 --export-json "$work/apple.json" \
    "$bin training $work/apple/export.xml --today $today --json" >&2
/usr/bin/time -v "$bin" training "$work/apple/export.xml" --today "$today" --json \
    >/dev/null 2>"$work/apple.time"
apple_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/apple.time")

median() { jq '.results[0].median' "$1"; }
csv_ms=$(median "$work/csv.json" | awk '{printf "%.1f", $1 * 1000}')
gpx_s=$(median "$work/gpx.json")
rate=$(awk -v b="$gpx_bytes" -v s="$gpx_s" 'BEGIN {printf "%.0f", b / 1e6 / s}')
cores=$(nproc)
echo
echo "| benchmark | median | target |"
echo "|---|---|---|"
echo "| \`training\` on a 5-year export (2,000 runs, $((csv_bytes / 1024)) kB activities.csv) | $csv_ms ms | < 100 ms |"
echo "| \`training\` on 500 one-hour GPX files ($((gpx_bytes / 1000000)) MB) | $(awk -v s="$gpx_s" 'BEGIN {printf "%.2f", s}') s, $rate MB/s on $cores cores | ≥ 50 MB/s |"
fit_s=$(median "$work/fit.json")
apple_s=$(median "$work/apple.json")
echo "| \`training\` on one $((fit_bytes / 1000000)) MB FIT file | $(awk -v s="$fit_s" 'BEGIN {printf "%.2f", s}') s, peak $((fit_kb / 1024)) MB | peak ≤ 50 MB |"
echo "| \`training\` on a $((apple_bytes / 1000000)) MB Apple Health export.xml | $(awk -v s="$apple_s" 'BEGIN {printf "%.2f", s}') s, $(awk -v b="$apple_bytes" -v s="$apple_s" 'BEGIN {printf "%.0f", b / 1e6 / s}') MB/s, peak $((apple_kb / 1024)) MB | ≥ 100 MB/s |"
