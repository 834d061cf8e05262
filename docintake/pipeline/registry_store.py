"""The CAC filing registry kept in the submission history store: lists imported by a service
centre (`docintake registry import`), read by every check on every worker with the snapshot."""

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from docintake.core.datamodel import FILING_COLUMNS, FilingRow
from docintake.validators.registry import Registry, build_registry, snapshot_rows

from .history import History, HistoryError, filings, store_url


def import_rows(history: History, rows: list[FilingRow]) -> list[FilingRow]:
    """Store the rows neither the snapshot nor the store holds yet, in one transaction; returns
    them (importing the same list twice adds nothing the second time)."""
    known = {r.key() for r in snapshot_rows()}
    with history.transaction() as conn:
        known |= set(conn.execute(sa.select(filings.c.row_key)).scalars())
        new = []
        for row in rows:
            if row.key() not in known:
                known.add(row.key())
                new.append(row)
        if new:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            conn.execute(sa.insert(filings), [{"row_key": r.key(), **r.model_dump(), "imported_at": now}
                                              for r in new])
    return new


def stored_rows(history: History) -> list[FilingRow]:
    with history.transaction() as conn:
        result = conn.execute(sa.select(*(filings.c[name] for name in FILING_COLUMNS))
                              .order_by(filings.c.imported_at, filings.c.list, filings.c.row_key))
        return [FilingRow(**dict(zip(FILING_COLUMNS, row, strict=True))) for row in result]


def load_registry(location: str | None, extra_csv: Path | None = None) -> Registry:
    """The snapshot, the store's imported lists (when the store at `location` exists) and, for a
    read-only set-up, one CSV in the snapshot's columns. A store that cannot be read leaves the
    snapshot: a check never fails for want of the registry's newer lists."""
    rows: list[FilingRow] = []
    url = sa.engine.make_url(store_url(location)) if location else None
    if url is not None and (url.get_backend_name() != "sqlite" or Path(url.database or "").is_file()):
        try:
            history = History(location)
            try:
                rows = stored_rows(history)
            finally:
                history.close()
        except HistoryError:
            rows = []
    if extra_csv is not None:
        from docintake.extractors.registry_lists import read_filing_list

        rows += read_filing_list(Path(extra_csv))
    return build_registry(rows)
