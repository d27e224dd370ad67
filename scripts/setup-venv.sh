#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment in .venv and install jupyter_mllens
# into it, editable, with the extras given as $1 (e.g. "test").
# With --with-lab as $2, the JupyterLab extension is built too (this needs Node.js): the
# package's build hook for it is off by default, so installs from source need no Node.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
with_lab="${2:-}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
spec="."
[ -n "$extras" ] && spec=".[$extras]"
if [ "$with_lab" = "--with-lab" ]; then
  export HATCH_BUILD_HOOKS_ENABLE=1
fi
.venv/bin/python -m pip install --quiet -e "$spec"
