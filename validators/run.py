"""Every check over one bundle's extracted documents: findings, the subsidy and the verdict."""

from dataclasses import dataclass, field

from docintake.core.datamodel import (
    DocumentReport,
    FilingCheck,
    Finding,
    Severity,
    SourceFileReport,
    Subsidy,
    Verdict,
)

from .amounts import amount_findings, minimum_findings
from .checklist import Checklist
from .context import CheckContext, applicant_from
from .dates import date_findings, licence_findings
from .doubt import doubt_unsure_errors
from .eligibility import filing_findings, industry_findings
from .filing_registry import registry_findings
from .materials import missing_materials, unreadable_documents, unreadable_files
from .originals import original_findings
from .parties import name_findings, related_party_findings, uscc_findings
from .registry import Registry
from .seals import seal_findings, signature_findings
from .subsidy import compute_subsidy

CHECKS = [unreadable_files, unreadable_documents, missing_materials, seal_findings, signature_findings,
          date_findings, licence_findings, amount_findings, minimum_findings, name_findings, uscc_findings,
          related_party_findings, filing_findings, registry_findings, industry_findings,
          original_findings]
SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


@dataclass
class Validation:
    findings: list[Finding]
    subsidy: Subsidy
    verdict: Verdict
    filing_checks: list[FilingCheck] = field(default_factory=list)


def verdict_of(findings: list[Finding]) -> Verdict:
    """Contract: fail on any error; needs_review on warnings (incl. FIELD_UNREADABLE); else pass."""
    severities = {f.severity for f in findings}
    if Severity.error in severities:
        return Verdict.fail
    if Severity.warning in severities:
        return Verdict.needs_review
    return Verdict.pass_


def validate_documents(documents: list[DocumentReport], files: list[SourceFileReport],
                       checklist: Checklist, registry: Registry | None = None) -> Validation:
    """`registry`: the CAC filing registry the filing numbers are checked against (None: not checked)."""
    ctx = CheckContext(checklist=checklist, documents=documents, files=files,
                       applicant=applicant_from(documents), registry=registry)
    findings = [f for check in CHECKS for f in check(ctx)]
    subsidy, subsidy_findings = compute_subsidy(ctx)
    findings += subsidy_findings
    findings += ctx.unreadable.values()
    findings = doubt_unsure_errors(findings, ctx)
    findings.sort(key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
    return Validation(findings=findings, subsidy=subsidy, verdict=verdict_of(findings),
                      filing_checks=ctx.filing_checks)
