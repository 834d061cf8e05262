"""`docintake registry import FILE` and `docintake registry show QUERY`: the CAC filing registry.

The registry is the snapshot shipped in the package plus the lists a service centre imports into
the submission history store (the same `--history` / $DOCINTAKE_HOME as `check`), so every worker
checks against the same lists. Exit status 0 on success, 2 on an unreadable file or store (nothing
is changed then), 1 when `show` finds nothing.
"""

import argparse
from pathlib import Path

from docintake.app.console import EXIT_FAILED, EXIT_OK, EXIT_USAGE, say
from docintake.core.datamodel import FilingRow

SHOWN_ADDED = 20  # rows of an import listed one by one; the rest are counted


def row_line(row: FilingRow) -> str:
    """One row as a clerk reads it: kind, name, filer, number, date, list (tab-separated)."""
    return "\t".join((row.kind, row.name, row.filer, row.number, row.filed or "-", f"{row.list} 名单"))


def _counts(rows: list[FilingRow]) -> str:
    filed = sum(r.kind == "备案" for r in rows)
    return f"备案 {filed} 条，登记 {len(rows) - filed} 条"


def cmd_registry_import(args: argparse.Namespace) -> int:
    from docintake.extractors.registry_lists import RegistryFileError, read_filing_list
    from docintake.pipeline.history import History, HistoryError, default_url
    from docintake.pipeline.registry_store import import_rows, load_registry

    try:  # the whole file is read before the store is touched: a damaged file changes nothing
        rows = read_filing_list(Path(args.file), args.list)
    except RegistryFileError as exc:
        say("[red]错误：[/red]", exc)
        return EXIT_USAGE
    location = default_url(args.history, args.settings.home)
    try:
        history = History(location)
        try:
            added = import_rows(history, rows)
        finally:
            history.close()
        as_of = load_registry(location).as_of
    except HistoryError as exc:
        say("[red]错误：[/red]", exc)
        return EXIT_USAGE
    for row in added[:SHOWN_ADDED]:
        print(row_line(row))
    if len(added) > SHOWN_ADDED:
        print(f"……另 {len(added) - SHOWN_ADDED} 条")
    print(f"读取 {len(rows)} 条（{_counts(rows)}），新增 {len(added)} 条（{_counts(added)}），"
          f"{len(rows) - len(added)} 条已在名录中；名录截至 {as_of.isoformat()}")
    return EXIT_OK


def cmd_registry_show(args: argparse.Namespace) -> int:
    from docintake.extractors.registry_lists import RegistryFileError
    from docintake.pipeline.history import default_url
    from docintake.pipeline.registry_store import load_registry

    try:
        registry = load_registry(default_url(args.history, args.settings.home), args.settings.registry_csv)
    except RegistryFileError as exc:
        say("[red]错误：[/red]", exc)
        return EXIT_USAGE
    found = registry.search(args.query)
    for row in found:
        print(row_line(row))
    say(f"找到 {len(found)} 条（名录截至 {registry.as_of.isoformat()}，共 {len(registry.rows)} 条）")
    return EXIT_OK if found else EXIT_FAILED


def add_registry_commands(sub) -> None:
    registry = sub.add_parser("registry", help="the CAC filing registry (生成式人工智能服务 备案/登记 lists)")
    commands = registry.add_subparsers(dest="registry_command", required=True, parser_class=type(registry))
    history_help = "history store holding the imported lists (default $DOCINTAKE_HOME/history.sqlite)"

    imp = commands.add_parser("import", help="add a CAC list (.docx or .xlsx as published, or a CSV "
                                             "with the header kind,list,seq,region,name,filer,number,filed)")
    imp.add_argument("file")
    imp.add_argument("--list", help="the list's name for its rows (.docx/.xlsx; default the file name)")
    imp.add_argument("--history", help=history_help)
    imp.set_defaults(func=cmd_registry_import)

    show = commands.add_parser("show", help="rows whose number, model name or filer matches QUERY")
    show.add_argument("query")
    show.add_argument("--history", help=history_help)
    show.set_defaults(func=cmd_registry_show)
