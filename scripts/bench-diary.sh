#!/usr/bin/env bash
# Benchmarks of the knee diary, run by hand, never in CI: `history` and
# `checkin` on a three-year diary (1,100 days) against `assess` start-up.
# Target: each within 2 ms of `assess`. Prints the medians for
# docs/performance.md.
#
#   scripts/bench-diary.sh
#
# Needs the Rust toolchain, python3 (to write the import file) and
# hyperfine (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq hyperfine >/dev/null
fi

echo "== building (release)" >&2
cargo build --release --locked --bin knee-triage >&2
bin="$PWD/target/release/knee-triage"
work=target/bench/diary
mkdir -p "$work"
days="$work/days.json"
# 1,100 days from 2023-01-01, in the shape `history --json` writes and
# `checkin --import` reads.
python3 - "$days" <<'PY'
import datetime, json, sys
start = datetime.date(2023, 1, 1)
days = []
for i in range(1100):
    d = start + datetime.timedelta(days=i)
    run = i % 2 == 0
    days.append({"date": d.isoformat(), "pain": (i * 7) % 4, "run_km": 5.0 + (i % 5) if run else None,
                 "no_run": not run, "next_morning": None, "answers": {}})
json.dump({"days": days, "trend": None, "plan": None}, open(sys.argv[1], "w"))
PY
base="$work/base.sqlite3"
rm -f "$base" "$base"-wal "$base"-shm
KNEE_TRIAGE_DIARY="$base" "$bin" checkin --import "$days" >/dev/null
copy="$work/copy.sqlite3"

# The same diary on a RAM disk: checkin without the disk's syncs, to show
# how much of its time is SQLite making the row durable.
ram=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    ram=$(mktemp -d /dev/shm/knee-triage-bench.XXXXXX)
    trap 'rm -rf "$ram"' EXIT
fi

echo "== assess start-up, history and checkin on 1,100 days" >&2
# `--diary FILE` rather than `env KNEE_TRIAGE_DIARY=FILE`: hyperfine -N
# runs the command itself, and `env` would add its own start-up (about
# 0.6 ms here) to the diary commands only. checkin writes: each run starts
# from a fresh copy of the 1,100-day diary and checks in one more day (the
# check-in folds its WAL back into the file and deletes it when it closes,
# so each run creates the WAL again, as each of a runner's check-ins does).
extra=()
if [ -n "$ram" ]; then
    extra=(-n "checkin (RAM disk)" "$bin checkin --diary $ram/copy.sqlite3 --pain 2 --run-km 5 --date 2026-01-06")
fi
hyperfine -N --warmup 5 --runs 50 --export-json "$work/diary.json" \
    --prepare "sh -c 'cp $base $copy; [ -z \"$ram\" ] || cp $base $ram/copy.sqlite3'" \
    -n assess "$bin assess --location front --json" \
    -n "history --json" "$bin history --json --diary $base" \
    -n "history (table and chart)" "$bin history --diary $base --width 100" \
    -n checkin "$bin checkin --diary $copy --pain 2 --run-km 5 --date 2026-01-06" \
    "${extra[@]}" >&2

python3 - "$work/diary.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
a = r["assess"]["median"] * 1000
for name in r:
    m = r[name]["median"] * 1000
    print(f"{name}: median {m:.2f} ms ({m - a:+.2f} ms against assess)")
PY
