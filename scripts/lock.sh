#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml with `uv pip compile`, for Python 3.11 on Linux x86_64:
#   requirements.lock      the product's own dependencies (the Dockerfile installs these)
#   requirements-dev.lock  the same plus the dev and samples extras (scripts/bootstrap.sh, CI)
# The optional `paddle` extra stays out of both. The versions installed in .venv (the tested set)
# are kept wherever they still satisfy pyproject.toml: `pip freeze` is passed as constraints.
# LOCK_FRESH=1 drops those constraints and resolves to the newest releases instead.
# After changing a dependency: edit pyproject.toml, install it into .venv, run this, commit the locks.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uv_bin=$(command -v uv || true)
if [ -z "$uv_bin" ]; then  # uv is only a tool here, not a dependency: a throw-away copy
  python3 -m venv "$work/uv"
  "$work/uv/bin/pip" install -q uv
  uv_bin="$work/uv/bin/uv"
fi

constraints=()
if [ -z "${LOCK_FRESH:-}" ] && [ -x .venv/bin/pip ]; then
  .venv/bin/pip freeze --exclude-editable | grep -v '^#' > "$work/tested.txt"
  constraints=(-c "$work/tested.txt")
fi

compile() {  # OUT [EXTRA...]
  local out=$1 extras=()
  shift
  for e in "$@"; do extras+=(--extra "$e"); done
  "$uv_bin" pip compile -q pyproject.toml "${extras[@]}" "${constraints[@]}" -o "$out" \
    --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
    --no-header --annotation-style split
  # the constraints file is a temporary copy: keep only the real reasons in the annotations
  sed -i '/^    #   -c /d; s/^    # via -c .*$/    # via the tested .venv/' "$out"
  { echo "# Locked by scripts/lock.sh (uv pip compile, Python 3.11, Linux x86_64) from pyproject.toml${*:+, extras: $*}."
    echo "# Install: pip install -r $out, then docintake itself: pip install --no-deps [-e] ."
    cat "$out"; } > "$work/with-header" && mv "$work/with-header" "$out"
}

compile requirements.lock
compile requirements-dev.lock dev samples
echo "wrote requirements.lock ($(grep -c '==' requirements.lock) pins)," \
     "requirements-dev.lock ($(grep -c '==' requirements-dev.lock) pins)" >&2
