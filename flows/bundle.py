"""Prefect flow for one bundle: a thin layer, one task per pipeline step.

The steps stay plain functions in docintake.pipeline; this module only gives them names,
retries and a place in the Prefect UI. Reading pages is the step that can fail transiently
(an OCR session, a file on a network share), so it alone retries.
"""

import tempfile
from pathlib import Path

from prefect import flow, get_run_logger, task

from docintake.cli import report_json, write_atomic
from docintake.config import Settings
from docintake.datamodel import Bundle, Report
from docintake.pipeline import STEPS, Context, build_report
from validators.checklist import load_checklist

# Reading pages is the step that can fail transiently (OCR session, a file on a share).
TASK_OPTIONS = {"read_text": {"retries": 2, "retry_delay_seconds": 5}}


def _step(fn):
    @task(name=fn.__name__, **TASK_OPTIONS.get(fn.__name__, {}))
    def run(bundle: Bundle, ctx: Context) -> Bundle:
        fn(bundle, ctx)
        return bundle

    return run


STEP_TASKS = [_step(fn) for fn in STEPS]


@task(name="write_report")
def write_report_task(report: Report, out_json: Path) -> Path:
    write_atomic(out_json, report_json(report))
    return out_json


@flow(name="check-bundle", flow_run_name="{programme}/{bundle_path.name}")
def check_bundle_flow(bundle_path: Path, programme: str, out_json: Path) -> Report:
    settings = Settings.from_env()
    load_checklist(programme)
    bundle = Bundle(name=bundle_path.name, path=bundle_path, programme=programme)
    with tempfile.TemporaryDirectory(prefix="docintake-") as tmp:
        ctx = Context(settings, Path(tmp), lambda *_: None)
        for step in STEP_TASKS:
            bundle = step(bundle, ctx)
    report = build_report(bundle)
    write_report_task(report, out_json)
    get_run_logger().info("%s: %s, %d findings", bundle.name, report.verdict.value, len(report.findings))
    return report
