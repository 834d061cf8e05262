"""`docintake users add|list|disable` and `docintake serve OUTBOX`: the reviewers' workspace.

Accounts live in the submission history store (the same `--history` / $DOCINTAKE_HOME as batch), so
`serve` beside `batch` or `watch` sees the submissions as they are recorded. Exit status 0 on success,
2 on bad usage or an unusable store.
"""

import argparse
import getpass
import sys
from pathlib import Path

from docintake.app.console import EXIT_OK, EXIT_USAGE, err
from docintake.core.vocabulary import ROLE_ZH
from docintake.pipeline.history import History, HistoryError, default_url
from docintake.pipeline.review_store import ReviewStore, UserError


def _password() -> str:
    """From stdin: typed twice at a terminal, else the first line (scripts: `echo pw | docintake ...`)."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != first:
            raise UserError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace) -> int:
    try:
        history = History(default_url(args.history, args.settings.home))
    except HistoryError as exc:
        err.print(f"[red]错误：[/red]{exc}")
        return EXIT_USAGE
    store = ReviewStore(history)
    try:
        if args.action == "add":
            store.add_user(args.name, args.role, _password())
            err.print(f"已添加用户 {args.name}（{ROLE_ZH[args.role]}）")
        elif args.action == "disable":
            store.disable_user(args.name)
            err.print(f"已停用用户 {args.name}")
        else:
            for u in store.list_users():
                state = "已停用" if u["disabled"] else "可用"
                print(f"{u['name']}\t{ROLE_ZH.get(u['role'], u['role'])}\t{state}\t{u['created_at']}")
    except (UserError, HistoryError) as exc:
        err.print(f"[red]错误：[/red]{exc}")
        return EXIT_USAGE
    finally:
        history.close()
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    if not Path(args.outbox).is_dir():
        err.print(f"[red]错误：[/red]OUTBOX 不是文件夹：{args.outbox}")
        return EXIT_USAGE
    try:
        from docintake.app.serve_api import create_app

        app = create_app(Path(args.outbox), default_url(args.history, args.settings.home),
                         args.settings.review_token_hours)
    except HistoryError as exc:
        err.print(f"[red]错误：[/red]{exc}")
        return EXIT_USAGE
    import uvicorn

    err.print(f"审核工作台：http://{args.host}:{args.port}/（Ctrl+C 停止）")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return EXIT_OK


def add_review_commands(sub) -> None:
    users = sub.add_parser("users", help="reviewers' accounts of `serve` (add, list, disable)")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="add an account; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["reviewer", "lead"])
    users_sub.add_parser("list", help="list the accounts")
    disable = users_sub.add_parser("disable", help="disable an account (its logins end at once)")
    disable.add_argument("name")
    for p in users_sub.choices.values():
        p.add_argument("--history", help="history store: SQLite path or SQLAlchemy URL "
                                         "(default $DOCINTAKE_HOME/history.sqlite)")
    users.set_defaults(func=cmd_users)

    serve = sub.add_parser("serve", help="the reviewers' workspace over OUTBOX (web, login required)")
    serve.add_argument("outbox")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--history", help="history store: SQLite path or SQLAlchemy URL "
                                         "(default $DOCINTAKE_HOME/history.sqlite)")
    serve.set_defaults(func=cmd_serve)
