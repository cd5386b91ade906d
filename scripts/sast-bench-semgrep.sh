#!/usr/bin/env bash
# Times Semgrep and portcullis running the same Semgrep-format Python rules over the Python standard
# library: the benchmark rules of `cargo bench --bench sast` (benches/sast-rules/python-bench.yaml) and
# the built-in Python pack (rules/sast/python/), one run per tool and rule set. Prints
#
#   semgrep: <rule set>: <seconds> s, <N> findings
#   portcullis: <rule set>: <seconds> s, <N> findings
#   speedup: <rule set>: <semgrep seconds / portcullis seconds>
#
# and, last, `speedup: <x>` over both rule sets together. Without `semgrep` on PATH it says so and exits 0.
# Builds target/release/portcullis with `cargo build --release` only when that binary is missing.
#
# Environment: PYTHON (default python3) picks the interpreter whose standard library is scanned;
# CARGO_TARGET_DIR is honoured when looking for the release binary.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
rule_sets=("benches/sast-rules/python-bench.yaml" "rules/sast/python/")

if ! command -v semgrep >/dev/null 2>&1; then
    echo "semgrep is not on PATH: nothing to compare with (pip install semgrep); skipping"
    exit 0
fi

stdlib="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
if [[ ! -d "$stdlib" ]]; then
    echo "error: the standard library directory $stdlib of $python does not exist" >&2
    exit 2
fi

# Both tools get the same tree: a copy of the standard library without site-packages (third-party code,
# different on every machine) and __pycache__. A copy is needed besides: when the stdlib lies inside a
# git checkout (pyenv's root is one), Semgrep scans only git-tracked files and so would scan nothing.
# The copy has no .semgrepignore, so each tool applies its default ignore list; both skip `test/` and
# `tests/` folders (Semgrep by default, portcullis because its default .semgrepignore list copies
# Semgrep's), so the stdlib's own test suite is skipped by both alike.
tree="$(mktemp -d "${TMPDIR:-/tmp}/sast-bench-stdlib.XXXXXX")"
out="$tree.out.json"
trap 'rm -rf -- "$tree" "$out"' EXIT
tar -C "$stdlib" --exclude=./site-packages --exclude=__pycache__ -cf - . | tar -C "$tree" -xf -
echo "tree: $stdlib (copied to $tree without site-packages and __pycache__), $(find "$tree" -name '*.py' | wc -l) .py files"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }'; }
count() { "$python" -c 'import json, sys; print(len(json.load(sys.stdin)[sys.argv[1]]))' "$1"; }

declare -A semgrep_time
semgrep_total=0
for rules in "${rule_sets[@]}"; do
    start="$(now)"
    # Semgrep's own limit is 1 MB a file; give it portcullis's 10MB so both read the same files.
    status=0
    (cd "$tree" && SEMGREP_ENABLE_VERSION_CHECK=0 semgrep --metrics=off --quiet --json \
        --max-target-bytes 10485760 --config "$repo/$rules" .) >"$out" || status=$?
    end="$(now)"
    if [[ $status -ne 0 ]]; then
        echo "error: semgrep exited with $status on $rules" >&2
        exit 2
    fi
    errors="$(count errors <"$out")"
    if [[ $errors -ne 0 ]]; then
        echo "warning: semgrep reported $errors errors on $rules" >&2
    fi
    semgrep_time[$rules]="$(elapsed "$start" "$end")"
    semgrep_total="$(awk -v a="$semgrep_total" -v b="${semgrep_time[$rules]}" 'BEGIN { print a + b }')"
    echo "semgrep: $rules: ${semgrep_time[$rules]} s, $(count results <"$out") findings"
done

portcullis="${CARGO_TARGET_DIR:-$repo/target}/release/portcullis"
if [[ ! -x "$portcullis" ]]; then
    echo "building $portcullis (cargo build --release)..."
    (cd "$repo" && cargo build --release --quiet)
fi

portcullis_total=0
speedups=()
for rules in "${rule_sets[@]}"; do
    start="$(now)"
    status=0
    "$portcullis" scan "$tree" --scanners sast --no-builtin-rules --rules "$repo/$rules" \
        --format json --max-file-size 10MB >"$out" || status=$?
    end="$(now)"
    # 0: gate passed, 1: gate failed on a finding; anything else is an error.
    if [[ $status -gt 1 ]]; then
        echo "error: portcullis exited with $status on $rules" >&2
        exit 2
    fi
    seconds="$(elapsed "$start" "$end")"
    portcullis_total="$(awk -v a="$portcullis_total" -v b="$seconds" 'BEGIN { print a + b }')"
    echo "portcullis: $rules: $seconds s, $(count findings <"$out") findings"
    speedups+=("speedup: $rules: $(ratio "${semgrep_time[$rules]}" "$seconds")")
done

printf '%s\n' "${speedups[@]}"
echo "speedup: $(ratio "$semgrep_total" "$portcullis_total")"
