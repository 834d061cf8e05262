"""Fixtures the service tests share."""

import pytest


@pytest.fixture
def postgres():
    """A throw-away PostgreSQL cluster (history store, Prefect server); skipped where none starts."""
    from tests.support.pgcluster import PgCluster

    try:
        cluster = PgCluster()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"PostgreSQL cannot be started here: {exc}")
    yield cluster
    cluster.stop()
