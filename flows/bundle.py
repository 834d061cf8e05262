"""Prefect flow for one bundle: a thin layer, one task per step of docintake.pipeline.steps.STEPS.

The steps stay plain functions; this module only gives them retries, caching and a place in the
Prefect UI. read_text reads each file through a task of its own (Context.read_file), cached by the
file's sha256 and the settings and page passes that change what is read (docintake's page cache,
not Prefect's), so re-running a bundle does not re-OCR unchanged files; it is also what can fail
transiently (an OCR session, a network share) and so it retries.
"""

import tempfile
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run, task_run

from docintake.core.datamodel import Bundle, Page, Report, SourceFile
from docintake.core.files import report_json, write_atomic
from docintake.core.logmask import redact, redact_prefect_logging, safe_label
from docintake.core.memory import keep_freed_memory
from docintake.core.settings import Settings
from docintake.core.vocabulary import CODE_ZH, SEVERITY_ZH, verdict_zh
from docintake.extractors.ingest import BundleError
from docintake.extractors.pages import READERS
from docintake.extractors.scan import SCAN_STEPS
from docintake.extractors.text_layer import TEXT_LAYER_STEPS
from docintake.pipeline.history import default_url
from docintake.pipeline.inbox import Candidate, Failure, Outcome, finish, unusable
from docintake.pipeline.pagecache import PageCache, cached_reader
from docintake.pipeline.run import build_report, run_steps
from docintake.pipeline.steps import STEPS, Context, Step, read_file
from docintake.validators.checklist import load_checklist

redact_prefect_logging()  # every process that runs these flows: logs reach Prefect's database masked


def _transient(task, task_run, state) -> bool:
    """An unusable bundle (BundleError) stays unusable: retry only other failures."""
    return not isinstance(state.result(raise_on_failure=False), BundleError)


# A file on a share may hiccup while being opened.
TASK_OPTIONS = {"ingest": {"retries": 1, "retry_delay_seconds": 5, "retry_condition_fn": _transient}}


def _task(step: Step):
    @task(name=step.name, **TASK_OPTIONS.get(step.name, {}))
    def run(bundle: Bundle, ctx: Context) -> Bundle:
        return run_steps(bundle, ctx, [step])  # the plain runner: same enabling and timings

    return run


def _read_name() -> str:
    return "read_file " + safe_label(task_run.parameters["file"].name)


# Not Prefect's cache: that pickled every page's text in its result storage, unmasked, and kept
# pages cut short by a deadline. docintake's page cache keeps complete readings only, encrypted,
# owner-only, under DOCINTAKE_HOME (docintake/pipeline/pagecache.py).
@task(name="read_file", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE, persist_result=False,
      task_run_name=_read_name)
def read_file_task(file: SourceFile, ctx: Context) -> tuple[list[Page], str | None]:
    cache = PageCache(ctx.settings, PAGE_PASSES)
    return cached_reader(cache, lambda f: read_file(f, ctx))(file)


# One task per step; read_text reads each file through read_file_task (Context.read_file).
STEP_TASKS = [(step, _task(step)) for step in STEPS]
# The page passes, and the file readers (OFD, XML, signed PDFs), are part of what a cached reading
# depends on: readings cached before a reader existed are not reused.
PAGE_PASSES = ([p.name for p in SCAN_STEPS] + [p.name for p in TEXT_LAYER_STEPS]
               + [f"reader:{fmt}" for fmt in sorted(READERS)] + ["pdf_signatures"])


@task(name="write_report")
def write_report_task(report: Report, out_json: Path) -> Path:
    write_atomic(out_json, report_json(report))
    return out_json


@task(name="finish", retries=2, retry_delay_seconds=10)  # a locked history store clears up
def finish_task(candidate: Candidate, report: Report, outbox: Path, history: str
                ) -> tuple[Outcome, Report]:
    outcome, report = finish(candidate, report, outbox, history)
    if outcome.failure == Failure.store_locked:
        raise RuntimeError(outcome.reason)  # retried by Prefect
    return outcome, report


def _run_steps(bundle_path: Path, programme: str, settings: Settings, history: str | None = None) -> Report:
    keep_freed_memory()  # a pool process or a deployment's worker reads pages as `check` does
    load_checklist(programme)
    bundle = Bundle(name=bundle_path.name, path=bundle_path, programme=programme)
    PageCache(settings, PAGE_PASSES).expire()  # retention enforced on every run
    with tempfile.TemporaryDirectory(prefix="docintake-") as tmp:
        ctx = Context(settings, Path(tmp), lambda *_: None, read_file=read_file_task, history=history)
        for step, step_task in STEP_TASKS:
            if step.enabled(settings):
                bundle = step_task(bundle, ctx)
    return build_report(bundle)


def verdict_texts(report: Report, outcome: Outcome | None = None) -> tuple[str, str, str]:
    """(markdown, description, run name) of the verdict artifact, in the vocabulary's Chinese."""
    verdict = verdict_zh(report.verdict)
    errors = [f for f in report.findings if f.severity == "error"]
    lines = [f"**{report.programme} / {report.bundle}**：{verdict}",
             f"{len(report.documents)} 份材料，{len(errors)} 个错误，共 {len(report.findings)} 条发现", ""]
    lines += [f"- {SEVERITY_ZH.get(f.severity, f.severity)}·{CODE_ZH.get(f.code, f.code)}（`{f.code}`）："
              f"{f.message}" for f in report.findings[:30]]
    if outcome is not None and outcome.report:
        lines.append(f"\n报告：`{outcome.report}`")
    return (redact("\n".join(lines)), f"结论 {verdict}",
            redact(f"{report.programme}/{safe_label(report.bundle)} → {verdict}"))


def _show_verdict(report: Report, outcome: Outcome | None = None) -> None:
    """The verdict where the Prefect UI shows it: the run's name and a markdown artifact."""
    markdown, description, name = verdict_texts(report, outcome)
    create_markdown_artifact(markdown=markdown, description=description)
    try:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            client.update_flow_run(flow_run.id, name=name)
    except Exception as exc:  # cosmetic only
        get_run_logger().warning("could not rename the flow run: %s", exc)


def _check_run_name() -> str:
    params = flow_run.parameters
    return f"{params['programme']}/{safe_label(Path(params['bundle_path']).name)}"


@flow(name="check-bundle", flow_run_name=_check_run_name)
def check_bundle_flow(bundle_path: Path, programme: str, out_json: Path) -> Report:
    """Check one bundle and write its report (no history)."""
    report = _run_steps(Path(bundle_path), programme, Settings.from_env())
    write_report_task(report, Path(out_json))
    get_run_logger().info("%s: %s, %d findings", report.bundle, report.verdict.value, len(report.findings))
    _show_verdict(report)
    return report


@flow(name="inbox-bundle", flow_run_name="{candidate.programme}/{candidate.label}")
def inbox_bundle_flow(candidate: Candidate, outbox: Path, history: str | None = None,
                      ocr_threads: int | None = None) -> Outcome:
    """One bundle of the watched folder: check, duplicates against the history, report, record."""
    settings = Settings.from_env()  # this run's process: a pool process or a deployment's worker
    if ocr_threads:
        settings.ocr_threads = ocr_threads
    history = default_url(history, settings.home)
    if candidate.path is None:  # found again by its masked name (a run's stored parameters): gone
        return Outcome(programme=candidate.programme, bundle=candidate.name, status="waiting",
                       reason="材料包已被移走或改名", failure=Failure.moved)
    try:
        report = _run_steps(candidate.path, candidate.programme, settings, history)
    except BundleError as exc:
        return unusable(candidate, exc)
    outcome, report = finish_task(candidate, report, Path(outbox), history)
    get_run_logger().info("%s/%s: %s %s", candidate.programme, candidate.name, outcome.status,
                          outcome.verdict or outcome.reason)
    if outcome.status == "done":
        _show_verdict(report, outcome)
    return outcome
