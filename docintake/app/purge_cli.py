"""`docintake purge BUNDLE` and `docintake purge --before DATE`: what the tool keeps of a submission
(cached pages, history rows, the service's reports) deleted, with an audit line that it was."""

import argparse
from datetime import datetime
from pathlib import Path

from docintake.app.console import EXIT_OK, EXIT_USAGE, say


def cmd_purge(args: argparse.Namespace) -> int:
    from docintake.extractors.ingest import BundleError
    from docintake.pipeline.history import History, HistoryError, default_url
    from docintake.pipeline.purge import purge_before, purge_bundle

    if (args.bundle is None) == (args.before is None):
        say("[red]用法错误：[/red]", "请给出材料包路径，或 --before 日期（二者取一）")
        return EXIT_USAGE
    try:
        history = History(default_url(args.history, args.settings.home))
    except HistoryError as exc:
        say("[red]错误：[/red]", exc)
        return EXIT_USAGE
    try:
        if args.bundle is not None:
            rows, cached = purge_bundle(Path(args.bundle), history, args.settings)
        else:
            try:
                day = datetime.fromisoformat(args.before).astimezone()
            except ValueError:
                say("[red]用法错误：[/red]", f"日期格式应为 YYYY-MM-DD：{args.before}")
                return EXIT_USAGE
            rows, cached = purge_before(day, history, args.settings)
    except (BundleError, HistoryError) as exc:
        say("[red]错误：[/red]", exc)
        return EXIT_USAGE
    finally:
        history.close()
    say(f"已清除：申报历史 {rows} 行，页面缓存 {cached} 个文件（审计记录已保留，不含个人信息）")
    return EXIT_OK


def add_purge_command(sub) -> None:
    purge = sub.add_parser("purge", help="delete a submission's cached pages, history rows and reports")
    purge.add_argument("bundle", nargs="?", help="the bundle (folder or .zip) whose traces to delete")
    purge.add_argument("--before", help="delete every submission checked before this date (YYYY-MM-DD)")
    purge.add_argument("--history", help="the history store (default $DOCINTAKE_HOME/history.sqlite)")
    purge.set_defaults(func=cmd_purge)
