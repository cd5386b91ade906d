#!/bin/sh
# Regenerates the expected cargo-audit results beside this script (see README.md).
# Usage: generate.sh <cargo-audit binary> <advisory-db directory> <lockfile>...
set -eu
bin=$1; db=$2; shift 2
out=$(dirname "$0")
scratch=$(mktemp -d)
for lock in "$@"; do
    name=$(basename "$lock")
    # Exit status 1 means "vulnerabilities found"; anything else is a failure.
    HOME="$scratch" "$bin" audit --db "$db" --no-fetch --no-yanked --json --file "$lock" > "$scratch/report.json" || [ $? -eq 1 ]
    {
        printf 'advisory\tcrate\tversion\tkind\n'
        jq -r '(.vulnerabilities.list[] | [.advisory.id, .package.name, .package.version, "vulnerability"]),
               (.warnings | to_entries[] | .value[] | [.advisory.id, .package.name, .package.version, .kind])
               | @tsv' "$scratch/report.json" | LC_ALL=C sort
    } > "$out/$name.tsv"
done
rm -rf "$scratch"
