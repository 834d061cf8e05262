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
from docintake.pipeline import Context, build_report, classify, group, ingest, read_text, validate
from validators.checklist import load_checklist


def _step(fn, **options):
    @task(name=fn.__name__, **options)
    def run(bundle: Bundle, ctx: Context) -> Bundle:
        fn(bundle, ctx)
        return bundle

    return run


ingest_task = _step(ingest)
read_text_task = _step(read_text, retries=2, retry_delay_seconds=5)
classify_task = _step(classify)
group_task = _step(group)
validate_task = _step(validate)


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
        for step in (ingest_task, read_text_task, classify_task, group_task, validate_task):
            bundle = step(bundle, ctx)
    report = build_report(bundle)
    write_report_task(report, out_json)
    get_run_logger().info("%s: %s, %d findings", bundle.name, report.verdict.value, len(report.findings))
    return report
