#!/bin/sh
# Prints the triage level (emergency, urgent, see-professional or self-care)
# of an answers file, for scripts:
#   examples/triage-level.sh examples/causes/acl.toml      # urgent
# Needs knee-triage on PATH (cargo install --path .) and jq. Exits with
# knee-triage's code (2 for a bad answers file, 1 for one that
# cannot be read) if the assessment fails.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 ANSWERS_FILE" >&2
    exit 2
fi
report=$(knee-triage assess --answers "$1" --json)
printf '%s\n' "$report" | jq -r '.triage.level'
