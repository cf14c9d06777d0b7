#!/usr/bin/env bash
# Turns a club survey export (CSV with a header row) into JSON Lines and
# runs it through `knee-triage batch --summary`.
#
#   examples/survey-to-batch.sh examples/club-survey.csv           # a table
#   examples/survey-to-batch.sh examples/club-survey.csv --json    # JSON
#   examples/survey-to-batch.sh examples/club-survey.csv --by age-band
#   examples/survey-to-batch.sh survey.csv --jsonl > answers.jsonl # only convert
#
# Columns are answer keys (see the README). A column named `name`, `runner`
# or `id` names the runner: it becomes the answers' `id`, so the summary
# lists who fell in each triage level (`--list-ids`, always passed). An
# empty cell is an unanswered question; `yes`/`no` are booleans; numbers
# stay numbers; in `worse_with` several values are separated by `;`. Plain
# CSV only: no quoted cells holding commas. Extra arguments go to
# `knee-triage batch`. KNEE_TRIAGE names the binary (default: knee-triage on
# the PATH).
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 SURVEY.csv [--jsonl | knee-triage batch options]" >&2
    exit 2
fi
csv=$1
shift

to_jsonl() {
    awk -F',' '
    function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    function value(key, v,    n, parts, i, out) {
        if (key == "worse_with") {
            n = split(v, parts, ";")
            out = ""
            for (i = 1; i <= n; i++) if (parts[i] != "") out = out (out == "" ? "" : ",") esc(parts[i])
            return "[" out "]"
        }
        if (v == "yes" || v == "true") return "true"
        if (v == "no" || v == "false") return "false"
        if (v ~ /^-?[0-9]+(\.[0-9]+)?$/) return v
        return esc(v)
    }
    { sub(/\r$/, "") }
    NR == 1 {
        for (i = 1; i <= NF; i++) {
            key[i] = $i
            k = tolower($i)
            if (k == "name" || k == "runner" || k == "id") key[i] = "id"
        }
        next
    }
    /^[[:space:]]*$/ { next }
    {
        line = ""
        for (i = 1; i <= NF; i++) {
            if (key[i] == "" || $i == "") continue
            v = (key[i] == "id") ? esc($i) : value(key[i], $i)
            line = line (line == "" ? "" : ", ") esc(key[i]) ": " v
        }
        print "{" line "}"
    }' "$1"
}

if [ "${1:-}" = "--jsonl" ]; then
    to_jsonl "$csv"
    exit 0
fi
to_jsonl "$csv" | "${KNEE_TRIAGE:-knee-triage}" batch --summary --list-ids "$@"
