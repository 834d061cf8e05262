#!/usr/bin/env bash
# Set up (if needed) and check the committed sample bundle; writes out/report.json and out/report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
mkdir -p out
.venv/bin/docintake check samples/bundles/etown-demo --programme etown-model-voucher-2026h1 \
  --json out/report.json --html out/report.html
echo "report: out/report.json, out/report.html" >&2
