#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment in .venv and install jupyter_mllens
# into it, editable, with the extras given as $1 (e.g. "test"). Building the package also
# builds the JupyterLab extension, so node must be on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/python -m pip install --quiet -e "$spec"
