"""Deployments against a Prefect server (PREFECT_API_URL must point at it).

    python -m docintake.flows.deploy serve-batch --inbox I --out O [--cron "*/10 * * * *"] [--pool docintake]
        serves the batch flow on a cron schedule (this process runs the batch runs; one at a time).
        With --pool, bundles become runs of the `inbox-bundle` deployment on that work pool.
    python -m docintake.flows.deploy bundle-deployment [--pool docintake]
        creates the process work pool (if missing) and the `inbox-bundle` deployment on it; start
        workers with `prefect worker start --pool docintake` (as many as the machines allow).
"""

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.exceptions import ObjectAlreadyExists

from docintake.core.settings import ConfigError, Settings
from docintake.flows.batch import BUNDLE_DEPLOYMENT, batch_flow
from docintake.flows.bundle import inbox_bundle_flow

ROOT = Path(__file__).resolve().parents[1]


async def ensure_pool(name: str, concurrency: int | None = None) -> None:
    async with get_client() as client:
        with contextlib.suppress(ObjectAlreadyExists):
            await client.create_work_pool(WorkPoolCreate(name=name, type="process",
                                                         concurrency_limit=concurrency))


def bundle_deployment(pool: str, concurrency: int | None = None) -> str:
    """The bundle flow as a deployment on a process work pool; workers run it from this checkout."""
    asyncio.run(ensure_pool(pool, concurrency))
    flow = inbox_bundle_flow.from_source(source=str(ROOT), entrypoint="flows/bundle.py:inbox_bundle_flow")
    flow.deploy(name=BUNDLE_DEPLOYMENT.split("/")[1], work_pool_name=pool, print_next_steps=False,
                description="一个材料包：核查、重复申报、写报告、记入历史")
    assert inbox_bundle_flow.name == BUNDLE_DEPLOYMENT.split("/")[0]
    return BUNDLE_DEPLOYMENT


def serve_batch(inbox: Path, out: Path, history: str | None, cron: str, settle: float,
                workers: int | None, pool: str | None) -> None:
    params = {"inbox": str(inbox.resolve()), "outbox": str(out.resolve()), "history": history,
              "settle": settle, "workers": workers,
              "deployment": bundle_deployment(pool) if pool else None}
    # global_limit=1: a batch still running when the next tick comes is not overtaken by another.
    batch_flow.serve(name="inbox-batch", cron=cron, parameters=params, global_limit=1,
                     description="收件目录中所有未处理且已稳定的材料包")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m docintake.flows.deploy")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve-batch")
    serve.add_argument("--inbox", required=True, type=Path)
    serve.add_argument("--out", required=True, type=Path)
    serve.add_argument("--history")
    serve.add_argument("--cron", default="*/10 * * * *")
    serve.add_argument("--settle", type=float, default=10.0)
    serve.add_argument("--workers", type=int)
    serve.add_argument("--pool", help="run bundles on this process work pool's workers")
    deploy = sub.add_parser("bundle-deployment")
    deploy.add_argument("--pool", default="docintake")
    deploy.add_argument("--concurrency", type=int, help="bundles at a time over all workers")
    args = parser.parse_args(argv)
    try:  # a bad DOCINTAKE_* value stops here, not in every scheduled run
        Settings.from_env()
    except ConfigError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if args.command == "serve-batch":
        serve_batch(args.inbox, args.out, args.history, args.cron, args.settle, args.workers, args.pool)
    else:
        print(bundle_deployment(args.pool, args.concurrency))


if __name__ == "__main__":
    main()
