#!/usr/bin/env bash
# Quick start, part 2: set up everything and run the whole test suite.
# Installs the package with its test extras (this builds the JupyterLab extension),
# Debian's Chromium for the browser tests when it is missing, then runs the static checks,
# the TypeScript unit tests and pytest (unit, CLI, nbqa, pre-commit, server, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

echo "== installing jupyter_mllens with its test extras"
bash scripts/setup-venv.sh test --with-lab
py=.venv/bin/python

echo "== static checks"
$py -m ruff check jupyter_mllens tests benchmarks
$py -m ruff format --check jupyter_mllens tests benchmarks
$py -m mypy
$py -m jupyter_mllens.docs --check

if [ -f labextension/package.json ]; then
  echo "== TypeScript unit tests"
  (cd labextension && ../.venv/bin/jlpm install --immutable >/dev/null && ../.venv/bin/jlpm test)
fi

echo "== pytest"
$py -m pytest "$@"
