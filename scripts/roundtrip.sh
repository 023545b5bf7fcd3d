#!/usr/bin/env bash
# The round trip of issue 14 for one .vpc file:
#
#   scripts/roundtrip.sh FILE.vpc
#
# export CloudFormation -> cfn-lint finds no error -> deploy into moto's
# CloudFormation -> read back as the AWS CLI's describe-* JSON (one combined
# object) -> vpcc import aws (output must pass vpcc fmt --check) -> vpcc
# check clean -> the same route model, security-group and ACL rules and
# reachability matrix as the original (scripts/roundtrip.py compare).
#
# Needs the Python of scripts/test.sh (VPCC_PYTHON, default .venv-moto) and
# a built vpcc (VPCC, default target/debug/vpcc). Keeps its files in
# ROUNDTRIP_KEEP if set, else in a temporary directory it removes.
# Exit 0 when the round trip holds, 1 when it does not (the difference is
# printed), 2 on a usage error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 FILE.vpc" >&2; exit 2; }
file="$1"
vpcc="${VPCC:-$root/target/debug/vpcc}"
py="${VPCC_PYTHON:-$root/.venv-moto/bin/python}"
[ -x "$vpcc" ] || { echo "roundtrip: no vpcc at $vpcc (cargo build)" >&2; exit 2; }
[ -x "$py" ] || { echo "roundtrip: no Python at $py (scripts/test.sh makes it)" >&2; exit 2; }
if [ -n "${ROUNDTRIP_KEEP:-}" ]; then
  work="$ROUNDTRIP_KEEP"; mkdir -p "$work"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi
fail() { echo "roundtrip: $file: $*" >&2; exit 1; }

"$vpcc" check "$file" --message-format json > "$work/orig.check" || fail "the original does not check"
"$vpcc" routes "$file" --format json > "$work/orig.routes.json" 2>> "$work/stderr"
"$vpcc" report "$file" --format json > "$work/orig.report.json" 2>> "$work/stderr" || true
region="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["region"] or "us-east-1")' "$work/orig.routes.json")"

"$vpcc" export "$file" --format cloudformation -o "$work/template.yaml"
"$vpcc" export "$file" --format cloudformation-json -o "$work/template.json"
"$py" "$root/scripts/export_check.py" lint "$work/template.yaml" "$work/template.json" "$region" > "$work/lint.json"
"$py" -c '
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["errors"] == [] and r["same_tree"] else json.dumps(r, indent=1))
' "$work/lint.json" || fail "cfn-lint reports errors"

"$py" "$root/scripts/roundtrip.py" readback "$work/template.json" "$region" > "$work/aws.json" \
  || fail "moto deploy or read-back failed"
"$vpcc" import aws "$work/aws.json" -o "$work/imported.vpc" 2> "$work/import.warnings" \
  || fail "vpcc import aws failed: $(cat "$work/import.warnings")"
"$vpcc" fmt --check "$work/imported.vpc" >/dev/null || fail "the import is not canonical (vpcc fmt --check)"

# Externals are names the file gives CIDRs; AWS keeps only the CIDRs, which
# the import writes in the rules. The original's externals are added back
# so that the matrices have the same rows and columns.
cp "$work/imported.vpc" "$work/compared.vpc"
"$py" -c '
import json, sys
for e in json.load(open(sys.argv[1]))["externals"]:
    print("external", e["name"], ", ".join(e["cidrs"]))
' "$work/orig.routes.json" >> "$work/compared.vpc"

"$vpcc" check "$work/compared.vpc" --message-format json > "$work/new.check" \
  || fail "the import does not check: $(cat "$work/new.check")"
codes() { "$py" -c '
import json, sys
print(sorted(json.loads(l)["code"] for l in open(sys.argv[1]) if l.strip() and json.loads(l).get("code")))
' "$1"; }
[ "$(codes "$work/orig.check")" = "$(codes "$work/new.check")" ] \
  || fail "check diagnostics differ: original $(codes "$work/orig.check"), import $(codes "$work/new.check")"
"$vpcc" routes "$work/compared.vpc" --format json > "$work/new.routes.json" 2>> "$work/stderr"
"$vpcc" report "$work/compared.vpc" --format json > "$work/new.report.json" 2>> "$work/stderr"
"$py" "$root/scripts/roundtrip.py" compare "$work/orig.routes.json" "$work/orig.report.json" \
  "$work/new.routes.json" "$work/new.report.json" || fail "the import differs from the original"
echo "roundtrip: $file: holds ($(wc -l < "$work/import.warnings") import warnings)"
