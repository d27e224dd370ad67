#!/usr/bin/env bash
# The JupyterLab extension's tests on their own: TypeScript unit tests (jest), the server
# extension's handler tests (pytest-jupyter) and the browser end-to-end tests (Debian
# Chromium through Playwright, no browser download). scripts/test.sh runs all of these as
# part of the whole suite; this is the quick loop for working on the panel.
#
#   bash scripts/test-lab.sh [pytest args...]
#
# Uses .venv (set it up with `bash scripts/setup-venv.sh test --with-lab`) or $PYTHON. The venv's
# copy of the labextension is replaced by a link to the fresh build, so the browser tests
# exercise the current source.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
python="${PYTHON:-.venv/bin/python}"
bin="$(dirname "$python")"
export PATH="$(cd "$bin" && pwd):$PATH"

echo "== JS dependencies (lockfile must be up to date)"
(cd labextension && jlpm install --immutable >/dev/null)

echo "== jest"
(cd labextension && jlpm test)

echo "== build the labextension and link it into the environment"
(cd labextension && jlpm build >/dev/null)
"$python" -m jupyter labextension develop --overwrite . >/dev/null 2>&1

echo "== pytest: server handlers and browser end-to-end"
"$python" -m pytest tests/server tests/ui "$@"
echo "screenshots: tests/artifacts/"
