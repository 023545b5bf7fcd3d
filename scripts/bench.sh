#!/usr/bin/env bash
# Whole-process benchmarks of `vpcc check` on generated networks: median
# wall time and its range, peak memory, throughput, and the doubling ratio
# time(2N)/time(N). Uses only public tools: bash, GNU time (/usr/bin/time,
# Debian package `time`) and awk. For the per-stage figures run
# `cargo bench --bench pipeline`.
#
#   scripts/bench.sh [RUNS]        # default 11 runs per file
#
# Environment: CARGO_TARGET_DIR (default target), VPCC (a prebuilt binary,
# skips the build), BENCH_DIR (where the generated files go, default
# $CARGO_TARGET_DIR/bench).
set -euo pipefail

runs=${1:-11}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
dir=${BENCH_DIR:-$target/bench}
mkdir -p "$dir"

if [[ -z "${VPCC:-}" ]]; then
  cargo build --release --manifest-path "$root/Cargo.toml" --quiet
  VPCC=$target/release/vpcc
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "bench.sh: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi

# name and generator arguments; org-N are the org shape with N VPCs (the
# org preset is org-100), for the doubling ratio.
inputs=(
  "medium:--vpcs 10 --azs 3 --subnets-per-az 9 --instances-per-subnet 2 --security-groups-per-vpc 20"
  "org-25:--preset org --vpcs 25"
  "org-50:--preset org --vpcs 50"
  "org-100:--preset org"
  "org-200:--preset org --vpcs 200"
)

# median, min and max of numbers on stdin, one per line
stats() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f %.4f %.4f\n", m, v[1], v[NR] }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs per file: $runs"
echo
printf '| input | size (MB) | median (s) | range (s) | MB/s | peak RSS (MB) | RSS / input | ratio to previous |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
prev=""
for entry in "${inputs[@]}"; do
  name=${entry%%:*}
  args=${entry#*:}
  file=$dir/$name.vpc
  # shellcheck disable=SC2086
  "$VPCC" gen $args --seed 1 -o "$file"
  bytes=$(stat -c %s "$file")
  "$VPCC" check "$file" >/dev/null 2>&1 # warm the page cache
  times=()
  rss=()
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    kb=$(/usr/bin/time -f '%M' "$VPCC" check "$file" 2>&1 >/dev/null | tail -1)
    end=$(date +%s%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')")
    rss+=("$kb")
  done
  read -r med lo hi < <(printf '%s\n' "${times[@]}" | stats)
  read -r rss_med _ _ < <(printf '%s\n' "${rss[@]}" | stats)
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }')
  tput=$(awk -v b="$bytes" -v t="$med" 'BEGIN { printf "%.1f", b / 1e6 / t }')
  rss_mb=$(awk -v k="$rss_med" 'BEGIN { printf "%.1f", k / 1024 }')
  rss_ratio=$(awk -v k="$rss_med" -v b="$bytes" 'BEGIN { printf "%.1f", k * 1024 / b }')
  ratio="–"
  if [[ -n "$prev" && "$name" == org-* ]]; then
    ratio=$(awk -v a="$med" -v b="$prev" 'BEGIN { printf "%.2f", a / b }')
  fi
  [[ "$name" == org-* ]] && prev=$med
  printf '| %s | %s | %s | %s–%s | %s | %s | %s× | %s |\n' "$name" "$mb" "$med" "$lo" "$hi" "$tput" "$rss_mb" "$rss_ratio" "$ratio"
done
