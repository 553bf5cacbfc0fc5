#!/bin/sh
# Runs the official W3C Trace Context test suite (SPEC_LEVEL=2 STRICT_LEVEL=2) against the
# /__tracehop/w3c endpoint of every service `tracehop serve` starts. The suite is the test/ folder of
# github.com/w3c/trace-context; it is not vendored (its licence and size), so it is not part of `npm test`:
# run `npm run test:w3c` locally, and the `w3c` job of .github/workflows/test.yml fetches it and runs this.
set -eu
cd "$(dirname "$0")/.."

PYTHON="${TRACEHOP_W3C_PYTHON:-$(command -v python3 || echo python3)}"
SUITE="${TRACEHOP_W3C_SUITE:-}"

if [ -z "$SUITE" ]; then
  cat >&2 <<'HELP'
[tracehop] Failed to run the W3C Trace Context suite: TRACEHOP_W3C_SUITE is not set. Get the suite once and point the variable at its test/ folder:

  git clone --depth 1 https://github.com/w3c/trace-context /tmp/w3c-trace-context
  sudo apt-get install -y python3-aiohttp        # Debian/Ubuntu; elsewhere, a venv (pip refuses an externally managed Python):
  python3 -m venv /tmp/w3c-venv && /tmp/w3c-venv/bin/pip install aiohttp && export TRACEHOP_W3C_PYTHON=/tmp/w3c-venv/bin/python
  TRACEHOP_W3C_SUITE=/tmp/w3c-trace-context/test npm run test:w3c

TRACEHOP_W3C_PYTHON picks another Python 3 (default: the python3 on PATH).
HELP
  exit 2
fi
if [ ! -f "$SUITE/test.py" ]; then
  echo "[tracehop] Failed to run the W3C Trace Context suite: \"$SUITE\" has no test.py. Point TRACEHOP_W3C_SUITE at the test/ folder of github.com/w3c/trace-context." >&2
  exit 2
fi
if ! "$PYTHON" -c 'import aiohttp' 2>/dev/null; then
  echo "[tracehop] Failed to run the W3C Trace Context suite: \"$PYTHON\" cannot import aiohttp. Install python3-aiohttp (apt-get), or aiohttp in a venv (python3 -m venv /tmp/w3c-venv && /tmp/w3c-venv/bin/pip install aiohttp) and set TRACEHOP_W3C_PYTHON=/tmp/w3c-venv/bin/python." >&2
  exit 2
fi
if [ ! -f dist/harness/cli/main.js ]; then
  npm run build
fi

export TRACEHOP_W3C_SUITE="$SUITE" TRACEHOP_W3C_PYTHON="$PYTHON"
exec npx jest --testMatch '**/test/w3c/*.w3c.ts' --runInBand "$@"
