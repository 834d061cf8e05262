"""Running the step list on one bundle, in this process, and the report built from the result."""

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from docintake import __version__
from docintake.core.datamodel import Applicant, Bundle, DocumentReport, Report
from docintake.core.settings import Settings
from docintake.validators.checklist import load_checklist
from docintake.validators.context import applicant_from
from docintake.validators.run import verdict_of

from .steps import STEPS, Context, Progress, Step, file_reports


def _no_progress(what: str, done: int, total: int) -> None:
    pass


def applicant_of(documents: list[DocumentReport]) -> Applicant:
    """The applicant is who the business licence says."""
    found = applicant_from(documents)
    return Applicant(name=found.name, uscc=found.uscc)


def build_report(bundle: Bundle) -> Report:
    return Report(
        programme=bundle.programme,
        bundle=bundle.name,
        bundle_sha256=bundle.sha256,
        applicant=applicant_of(bundle.documents),
        documents=bundle.documents,
        findings=bundle.findings,
        subsidy=bundle.subsidy,
        verdict=verdict_of(bundle.findings),
        files=file_reports(bundle),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        timings={k: round(v, 3) for k, v in bundle.timings.items()},
        filing_checks=bundle.filing_checks,
    )


def run_steps(bundle: Bundle, ctx: Context, steps: list[Step] = STEPS) -> Bundle:
    """Each enabled step in order; its seconds go to bundle.timings."""
    for step in steps:
        if step.enabled(ctx.settings):
            start = time.perf_counter()
            step.run(bundle, ctx)
            bundle.timings[step.name] = time.perf_counter() - start
    return bundle


def process_bundle(path: Path, programme: str, settings: Settings | None = None,
                   progress=_no_progress, history: str | None = None) -> Bundle:
    """Run every step on one bundle. Raises BundleError / ChecklistError for unusable input.
    `history`: the store whose imported filing lists join the registry (None: HOME's)."""
    settings = settings or Settings.from_env()
    load_checklist(programme)  # fail fast on an unknown programme, before any OCR
    path = Path(path)
    bundle = Bundle(name=path.name, path=path, programme=programme)
    with tempfile.TemporaryDirectory(prefix="docintake-") as tmp:
        return run_steps(bundle, Context(settings, Path(tmp), progress, history=history))


def check_bundle(path: Path, programme: str, settings: Settings | None = None,
                 progress: Progress = _no_progress, history: str | None = None) -> Report:
    """Check one bundle end to end and return its report."""
    return build_report(process_bundle(path, programme, settings, progress, history))
