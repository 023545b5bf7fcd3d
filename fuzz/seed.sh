#!/usr/bin/env bash
# Seeds the fuzz corpora with every .vpc file of the project: examples/ and
# anything under tests/ (fixtures, ui cases, regressions). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
for target in compile grammar; do
  mkdir -p "$here/corpus/$target"
done
n=0
while IFS= read -r -d '' f; do
  # Name by content hash, as libFuzzer does, so reruns add nothing twice.
  h="$(sha1sum "$f" | cut -d' ' -f1)"
  cp "$f" "$here/corpus/compile/$h"
  n=$((n + 1))
done < <(find "$root/examples" "$root/tests" -name '*.vpc' -type f -print0 2>/dev/null)
echo "seeded $n files into $here/corpus/compile"
