#!/usr/bin/env bash
# The README's test command: installs what the tests that need outside tools
# use (mdbook; a Python virtualenv with moto, cfn-lint, python-hcl2), then
# runs every test, the ignored ones included:
#
#   scripts/test.sh                 # everything
#   scripts/test.sh --test build    # extra arguments go to cargo test
#
# `cargo test` alone runs the tests that need nothing outside the crate and
# lists the others as ignored, each with the tool it needs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v mdbook >/dev/null 2>&1; then
  echo "== installing mdbook"
  cargo install mdbook --locked --version 0.5.4
fi

venv="$root/.venv-moto"
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements.txt
export VPCC_PYTHON="$venv/bin/python"
export PATH="$venv/bin:$PATH"

echo "== cargo test -- --include-ignored"
cargo test "$@" -- --include-ignored
