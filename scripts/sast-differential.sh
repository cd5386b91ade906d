#!/usr/bin/env bash
# Runs Semgrep and portcullis on the same Semgrep-format rule files and their test targets, and diffs the
# findings rule by rule: each rule file `x.yaml` is run on the targets beside it (`x.<ext>`, `x.test.yaml`),
# and every (rule id, range as line:column-line:column) that one tool reports and the other does not is printed as
#
#   <rule file>: only semgrep: <id> <line>:<col>-<line>:<col>
#   <rule file>: only portcullis: <id> <line>:<col>-<line>:<col>
#
# then a summary line `differential: <files> rule files, <n> differ`. Every difference is a bug of ours or
# a divergence listed in rules/sast/README.md (the same rule on the same range counts once: Semgrep
# sometimes reports a range twice, with different bindings). Not on CI's path (Semgrep is not a dependency): without
# `semgrep` on PATH it says so and exits 0. Exit 1 when any rule file differs.
#
# Usage: scripts/sast-differential.sh [DIR]...   (default: fixtures/sast-semantics rules/sast)
# Builds target/debug/portcullis with `cargo build` when it is missing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v semgrep >/dev/null 2>&1; then
    echo "semgrep is not on PATH: nothing to compare with (pip install semgrep); skipping"
    exit 0
fi
bin="${CARGO_TARGET_DIR:-$repo/target}/debug/portcullis"
[[ -x "$bin" ]] || (cd "$repo" && cargo build --quiet)
dirs=("$@")
[[ ${#dirs[@]} -gt 0 ]] || dirs=("$repo/fixtures/sast-semantics" "$repo/rules/sast")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Prints "id start end" per finding of one tool's JSON on stdin.
semgrep_lines() {
    python3 -c '
import json, sys
for r in json.load(sys.stdin)["results"]:
    s, e = r["start"], r["end"]
    print(r["check_id"].split(".")[-1], "%d:%d-%d:%d" % (s["line"], s["col"], e["line"], e["col"]))'
}
ours_lines() {
    python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    l = f["location"]
    print(f["rule_id"], "%d:%d-%d:%d" % (l["start_line"], l["start_column"], l["end_line"], l["end_column"]))'
}

files=0
differ=0
while IFS= read -r rules; do
    rules="$(realpath "$rules")"
    stem="${rules%.yaml}"
    targets=()
    for t in "$stem".* ; do
        [[ "$t" == "$rules" || "$t" == *.fixed.* ]] && continue
        targets+=("$t")
    done
    [[ ${#targets[@]} -gt 0 ]] || continue
    files=$((files + 1))
    rm -rf "$work/t" && mkdir -p "$work/t"
    cp "${targets[@]}" "$work/t/"
    SEMGREP_ENABLE_VERSION_CHECK=0 semgrep scan --metrics=off --disable-version-check --no-git-ignore \
        --scan-unknown-extensions --json --quiet --config "$rules" "$work/t" 2>/dev/null \
        | semgrep_lines | sort -u > "$work/semgrep" || true
    (cd "$work/t" && "$bin" scan --scanners sast --no-builtin-rules --rules "$rules" --format json \
        --fail-on never . 2>"$work/err") | ours_lines | sort -u > "$work/ours" || true
    if [[ -s "$work/err" ]]; then
        sed "s|^|${rules#"$repo"/}: portcullis said: |" "$work/err"
    fi
    if ! cmp -s "$work/semgrep" "$work/ours"; then
        differ=$((differ + 1))
        comm -23 "$work/semgrep" "$work/ours" | sed "s|^|${rules#"$repo"/}: only semgrep: |"
        comm -13 "$work/semgrep" "$work/ours" | sed "s|^|${rules#"$repo"/}: only portcullis: |"
    fi
done < <(find "${dirs[@]}" -name '*.yaml' ! -name '*.test.yaml' ! -name 'README*' | sort)

echo "differential: $files rule files, $differ differ"
[[ $differ -eq 0 ]]
