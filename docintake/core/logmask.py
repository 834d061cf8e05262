"""PII out of logs: ID numbers and bank account numbers are masked in whatever is printed or logged.

Logs (stderr, Prefect, batch logs) carry bundle and file names, and applicants name files after
people ("张三440305199001011234.jpg") and accounts. Reports are masked by docintake.privacy.
"""

import logging
import re

from docintake.core.idnumbers import mask_ids_in_text

# 12-23 digits, maybe grouped by spaces or dashes: bank cards are 16-19, company accounts up to 23.
# Also masks invoice numbers and long serials in a log line, which costs nothing there.
_ACCOUNT = re.compile(r"(?<![0-9A-Za-z])\d(?:[ -]?\d){11,22}(?![0-9A-Za-z])")


def _mask_account(m: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in m.group())
    seen = 0
    out = []
    for ch in m.group():
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - 4 else "*")
        else:
            out.append(ch)
    return "".join(out)


def redact(text: object) -> str:
    """ID numbers keep their first 6 and last 4 characters, account numbers their last 4."""
    return _ACCOUNT.sub(_mask_account, mask_ids_in_text(str(text)) or "")


class RedactingFilter(logging.Filter):
    """Attach to a handler: every record it emits is masked, whichever logger made it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        return True


def redact_logging(logger: logging.Logger | None = None) -> None:
    """Mask every handler of `logger` (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
