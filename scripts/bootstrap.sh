#!/usr/bin/env bash
# Install everything docintake needs on a fresh Debian machine: CJK fonts (apt), a venv, the app.
# Python packages come from requirements-dev.lock (the tested versions; scripts/lock.sh rewrites it),
# so two installs a month apart are the same program. Idempotent: re-running only fills in what is
# missing and puts back the locked versions.
set -euo pipefail
cd "$(dirname "$0")/.."

# (grep without -q: under pipefail, grep -q quitting early kills fc-list, which reads as a miss)
fonts=$(fc-list 2>/dev/null || true)
if ! grep "Noto Sans CJK" <<<"$fonts" >/dev/null || ! grep -i "wqy" <<<"$fonts" >/dev/null \
    || ! command -v chromium >/dev/null; then  # chromium: the report's browser tests (playwright drives it)
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "installing CJK fonts and chromium (apt)..." >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    fonts-noto-cjk fonts-wqy-zenhei fontconfig chromium >/dev/null
fi

# PostgreSQL: the scale-out tests start a throw-away cluster (Prefect server and history store on it).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "installing PostgreSQL (apt)..." >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

python_bin="${PYTHON:-python3.11}"
command -v "$python_bin" >/dev/null || python_bin=python3
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
# The locked dependencies (product + dev + samples extras), then docintake itself without resolving again.
# Installed with uv (the tool that writes the locks; a fresh venv in ~24 s against ~49 s with pip,
# which keeps a fresh clone's `.ci/run` short), pip where uv cannot be had. Playwright's browser download is never
# needed: the tests launch Debian's chromium.
uv_bin=$(command -v uv || true)
if [ -z "$uv_bin" ] && .venv/bin/python -m pip install -q uv; then
  uv_bin=.venv/bin/uv
fi
# --compile-bytecode as pip does: where PYTHONDONTWRITEBYTECODE is set (CI images often do), a
# package never compiled at install is compiled again by every process that imports it.
if [ -z "$uv_bin" ] || ! "$uv_bin" pip install -q --compile-bytecode --python .venv/bin/python -r requirements-dev.lock \
    || ! "$uv_bin" pip install -q --python .venv/bin/python --no-deps -e .; then
  echo "uv unavailable or failed: installing with pip" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements-dev.lock
  .venv/bin/python -m pip install -q --no-deps -e .
fi
# docintake's own modules too (an editable install is never compiled): the tests start hundreds of
# processes. The .pyc files go to __pycache__ (git-ignored) and are rewritten when a source changes.
.venv/bin/python -m compileall -q -j 0 docintake extractors validators flows samples >/dev/null
