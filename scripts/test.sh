#!/usr/bin/env bash
# The README's test command: installs what the tests that need outside tools
# use (mdbook; a Python virtualenv with moto, cfn-lint, python-hcl2;
# Chromium for the HTML report's browser test), then runs every test, the
# ignored ones included:
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

# tests/html_browser.rs opens the HTML report in headless Chromium
# (/usr/bin/chromium, or VPCC_CHROMIUM). Debian's package, as root or
# through sudo; without either the test fails and says how to install it.
if [ -z "${VPCC_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "scripts/test.sh: cannot install chromium (not root, no sudo); the browser test will fail" >&2
  fi
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
