"""The one Chinese vocabulary (vocab.yaml beside this module): what users read for each value.

The JSON report carries the contract's English enum values; everything shown to a person (the HTML
report, the OUTBOX index, the CLI, the Prefect UI, the validators' messages) names them through the
tables here. Lookups take the enum members or their plain string values alike (StrEnum).
"""

from pathlib import Path

import yaml

VOCAB_FILE = Path(__file__).parent / "vocab.yaml"
_DATA: dict = yaml.safe_load(VOCAB_FILE.read_text(encoding="utf-8"))

DOC_TYPE_ZH: dict[str, str] = dict(_DATA["doc_types"])
SEAL_ZH: dict[str, str] = dict(_DATA["seal_kinds"])  # what a found seal is
REQUIRED_SEAL_ZH: dict[str, str] = dict(_DATA["required_seals"])  # whose seal a checklist asks for
CODE_ZH: dict[str, str] = dict(_DATA["finding_codes"])
SEVERITY_ZH: dict[str, str] = dict(_DATA["severities"])
VERDICT_ZH: dict[str, str] = dict(_DATA["verdicts"])
SOURCE_ZH: dict[str, str] = dict(_DATA["text_sources"])
STATUS_ZH: dict[str, str] = dict(_DATA["outcome_statuses"])
FILING_OUTCOME_ZH: dict[str, str] = dict(_DATA["filing_outcomes"])
SIGNATURE_ZH: dict[str, str] = dict(_DATA["signature_statuses"])
QR_PREFIX: str = _DATA["qr_field_prefix"]
REVIEW_STATUS_ZH: dict[str, str] = dict(_DATA["review_statuses"])  # docintake serve
FINDING_DECISION_ZH: dict[str, str] = dict(_DATA["finding_decisions"])
OUTCOME_ZH: dict[str, str] = dict(_DATA["review_outcomes"])
ROLE_ZH: dict[str, str] = dict(_DATA["roles"])
AUDIT_ACTION_ZH: dict[str, str] = dict(_DATA["audit_actions"])

# A field is either its name, or {zh: name shown, in_messages: the wording findings' messages use}.
FIELD_ZH: dict[str, str] = {k: v if isinstance(v, str) else v["zh"] for k, v in _DATA["fields"].items()}
FIELD_IN_MESSAGES: dict[str, str] = {k: v if isinstance(v, str) else v.get("in_messages", v["zh"])
                                     for k, v in _DATA["fields"].items()}


def field_zh(name: str | None) -> str:
    """A field (or a seal kind a finding points at) as the report names it."""
    if not name:
        return ""
    if name.startswith("qr_"):  # the invoice QR code's second reading
        return QR_PREFIX + FIELD_ZH.get(name[3:], name[3:])
    return FIELD_ZH.get(name, SEAL_ZH.get(name, name))


def field_in_messages(name: str) -> str:
    """A field as the validators' messages word it."""
    return FIELD_IN_MESSAGES.get(name, name)


def verdict_zh(verdict) -> str:
    """通过 / 需人工复核 / 不通过 for a Verdict (or its value)."""
    value = getattr(verdict, "value", verdict)
    return VERDICT_ZH.get(value, str(value))


def status_zh(status) -> str:
    """已处理 / 等待 / 失败 for an intake outcome's status."""
    value = getattr(status, "value", status)
    return STATUS_ZH.get(value, str(value))
