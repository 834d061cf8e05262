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


@pytest.fixture(scope="session")
def prefect_db(tmp_path_factory):
    """A Prefect database migrated once per session, shared by the xdist workers (servicekit)."""
    from tests.support.servicekit import migrated_prefect_db

    return migrated_prefect_db(tmp_path_factory.getbasetemp().parent)
