#!/usr/bin/env bash
# The review and editor commands at organisation scale, and how they grow
# from org-25 to org-200 (the generator's org shape with N VPCs; the org
# preset is org-100):
#
#   report   `vpcc report --format json` (whole process)
#   diff     `vpcc diff` of the file (its `expect` lines removed, as a
#            reviewer's diff of a network change) against a copy with one
#            security-group port changed in a spoke VPC
#   lsp      scripts/bench-lsp.py: a one-port edit's diagnostics, a hover,
#            peak memory of the server
#
# Each figure is the median of RUNS whole-process runs (wall time from
# date(1), peak RSS from GNU time); RSS / input is peak memory over the file
# size. Uses bash, awk, GNU time (Debian package `time`) and python3.
#
#   scripts/bench-org.sh [RUNS] [SIZES...]   # default 3 runs; 25 50 100 200
#
# Environment: CARGO_TARGET_DIR, VPCC (a prebuilt binary, skips the build),
# BENCH_DIR (where the generated files go, default $CARGO_TARGET_DIR/bench).
set -euo pipefail

runs=${1:-3}
shift || true
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(25 50 100 200)
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
dir=${BENCH_DIR:-$target/bench}
mkdir -p "$dir"

if [[ -z "${VPCC:-}" ]]; then
  cargo build --release --manifest-path "$root/Cargo.toml" --quiet
  VPCC=$target/release/vpcc
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "bench-org.sh: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi

median() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f\n", m }'; }

# time_cmd OUT CMD...: runs CMD RUNS times (output discarded), prints
# "median-seconds median-peak-KiB".
time_cmd() {
  local times=() rss=() start end kb
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    kb=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1)
    end=$(date +%s%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')")
    rss+=("$kb")
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $(printf '%s\n' "${rss[@]}" | median)"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs per figure: $runs"
echo
printf '| input | size (MB) | report json (s) | report RSS / input | diff (s) | diff RSS / input | LSP edit (ms) | LSP hover (ms) | LSP RSS / input |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for n in "${sizes[@]}"; do
  file=$dir/org-$n.vpc
  "$VPCC" gen --preset org --vpcs "$n" --seed 1 -o "$file"
  bytes=$(stat -c %s "$file")
  old=$dir/org-$n.noexpect.vpc
  new=$dir/org-$n.edited.vpc
  grep -v '^expect' "$file" >"$old"
  # The first 8080 rule of spoke v5's app group, to 8081.
  awk '!done && /ingress tcp 8080 from v5-web-sg/ { sub(/8080/, "8081"); done = 1 } { print }' "$old" >"$new"
  if cmp -s "$old" "$new"; then
    echo "bench-org.sh: no rule to edit in $old" >&2
    exit 2
  fi
  read -r rt rk < <(time_cmd "$VPCC" report --format json "$file")
  # diff exits 0 whether or not flows changed; its output is the change.
  read -r dt dk < <(time_cmd "$VPCC" diff --format json "$old" "$new")
  lsp=$(python3 "$root/scripts/bench-lsp.py" --vpcc "$VPCC" --rounds $((runs * 3)) --edit port "$file")
  edit=$(awk '/^didChange/ { print $3 }' <<<"$lsp")
  hover=$(awk '/^hover / { print $3 }' <<<"$lsp")
  lrss=$(awk '/^peak memory/ { print $6 }' <<<"$lsp")
  ratio() { awk -v k="$1" -v b="$bytes" 'BEGIN { printf "%.1f×", k * 1024 / b }'; }
  printf '| org-%s | %.2f | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" \
    "$rt" "$(ratio "$rk")" "$dt" "$(ratio "$dk")" "$edit" "$hover" "$lrss"
done
