"""PII out of logs: ID numbers and bank account numbers are masked in whatever is printed or logged.

Logs (stderr, Prefect, batch logs) carry bundle and file names, and applicants name files after
people ("张三440305199001011234.jpg") and accounts. Reports are masked by docintake.privacy.
"""

import hashlib
import logging
import re
import unicodedata

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


# Mainland mobile numbers: 1, then 3-9, then 9 digits, not inside a longer run of digits.
_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_phones(text: str) -> str:
    """13812345678 -> 138****5678."""
    return _PHONE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


def redact(text: object) -> str:
    """ID numbers keep their first 6 and last 4 characters, account numbers their last 4, mobile
    numbers their first 3 and last 4."""
    return _ACCOUNT.sub(_mask_account, mask_phones(mask_ids_in_text(str(text)) or ""))


_UNSAFE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")  # controls, bidi/format, line separators


def safe_name(name: str) -> str:
    """A file name fit for reports and terminals: control, bidi-format and line-separator
    characters, and bytes that were not UTF-8 (surrogates), become visible escapes like \\x1b."""
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNSAFE else ch for ch in name)


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte: show the byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


LABEL_CHARS = 80


def safe_label(name: str) -> str:
    """A bundle's name as it may be stored and shown (outbox folder, history, run names): masked,
    control and bidi characters escaped, and a long one cut with a hash of the whole so two long
    names stay apart. The hash is of the masked name: a hash of the real one would give the masked
    middle of an ID number (a birth date) away, so two names differing only there share a label."""
    shown = safe_name(redact(name))
    if len(shown) <= LABEL_CHARS:
        return shown
    return f"{shown[:LABEL_CHARS - 10]}…{hashlib.sha256(shown.encode()).hexdigest()[:8]}"


class RedactingFilter(logging.Filter):
    """Attach to a handler: every record it emits is masked, whichever logger made it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:  # a traceback quotes paths and values too: masked with the message
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = record.exc_text = None
        record.msg, record.args = redact(message), None
        return True


def _add_filter(filterer: logging.Filterer) -> None:
    if not any(isinstance(f, RedactingFilter) for f in filterer.filters):
        filterer.addFilter(RedactingFilter())


def redact_logging(logger: logging.Logger | None = None) -> None:
    """Mask every handler of `logger` (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        _add_filter(handler)


# Prefect's run loggers send records to its API (stored in its database) and the console.
PREFECT_LOGGERS = ("prefect", "prefect.flow_runs", "prefect.task_runs", "prefect.flows", "prefect.tasks",
                   "prefect.engine", "prefect.task_engine", "prefect.flow_engine")


def redact_prefect_logging() -> None:
    """Mask whatever Prefect logs in this process: its loggers and their handlers, and the root's."""
    redact_logging()
    for name in PREFECT_LOGGERS:
        logger = logging.getLogger(name)
        _add_filter(logger)
        redact_logging(logger)
