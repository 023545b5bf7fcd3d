#!/usr/bin/env bash
# Differential test of vpcc's CIDR rules against moto (see moto_diff.py).
# Creates .venv-moto at the repository root, installs the pinned moto and
# boto3, builds vpcc and runs the comparison with a fixed seed.
#
#   scripts/moto_diff.sh                  # --seed 1 --cases 300
#   scripts/moto_diff.sh --cases 50 -v    # extra arguments go to the script
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/.venv-moto"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements.txt
cargo build --quiet --bin vpcc
target="${CARGO_TARGET_DIR:-$root/target}"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--seed 1 --cases 300)
exec "$venv/bin/python" scripts/moto_diff.py --vpcc "$target/debug/vpcc" "${args[@]}"
