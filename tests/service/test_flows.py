"""A real Prefect run (ephemeral API, temporary PREFECT_HOME) of the bundle flow."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.support.builders import COMMITMENT, INVOICE, make_pdf


@pytest.mark.slow
def test_bundle_flow_runs_in_prefect_and_writes_the_report(tmp_path):
    bundle = tmp_path / "bundle"
    make_pdf(bundle / "a.pdf", [INVOICE, COMMITMENT])
    out = tmp_path / "out" / "report.json"
    code = textwrap.dedent(f"""
        from pathlib import Path
        from docintake.flows.bundle import check_bundle_flow
        state = check_bundle_flow(Path({str(bundle)!r}), "etown-model-voucher-2026h1",
                                  Path({str(out)!r}), return_state=True)
        print("STATE", state.type.value)
    """)
    env = os.environ | {"PREFECT_HOME": str(tmp_path / "prefect"),
                        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                        "PREFECT_LOGGING_LEVEL": "WARNING",
                        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240,
                          env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "STATE COMPLETED" in proc.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [d["doc_type"] for d in report["documents"]] == ["invoice", "commitment_letter"]
    # the run is recorded in Prefect's own database
    assert (tmp_path / "prefect").exists()
