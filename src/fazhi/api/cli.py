"""`fazhi token …`: API tokens for machine clients are made and revoked from the command line
(by whoever runs the server), never through the API itself.

Wired into `fazhi.cli` by `add_parser(sub)` in the parser and `"token": cmd_token` in HANDLERS.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_FAILED = 0, 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from fazhi.cli import ChineseHelpFormatter

    def command(
        parent: argparse._SubParsersAction, name: str, text: str
    ) -> argparse.ArgumentParser:
        p = parent.add_parser(
            name, help=text, description=text, add_help=False, formatter_class=ChineseHelpFormatter
        )
        p.add_argument("-h", "--help", action="help", help="显示帮助并退出")
        p._positionals.title = "参数"
        p._optionals.title = "选项"
        return p

    p = command(subparsers, "token", "接口令牌：为机器调用方创建、列出、吊销令牌")
    sub = p.add_subparsers(dest="token_command", metavar="子命令", required=True)
    create = command(sub, "create", "为用户创建一个接口令牌（只显示一次）")
    create.add_argument("username", metavar="用户名", help="令牌代表的用户")
    create.add_argument(
        "--name", default="接口调用", metavar="用途", help="用途说明（默认“接口调用”）"
    )
    listing = command(sub, "list", "列出令牌（不显示令牌本身）")
    listing.add_argument("username", nargs="?", metavar="用户名", help="只列出此用户的令牌")
    revoke = command(sub, "revoke", "吊销令牌")
    revoke.add_argument(
        "token_id", type=int, metavar="令牌编号", help="`fazhi token list` 中的编号"
    )


def cmd_token(args: argparse.Namespace) -> int:
    from fazhi.cli import setup_django

    setup_django()
    handlers = {"create": _create, "list": _list, "revoke": _revoke}
    return handlers[args.token_command](args)


def _create(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fazhi.api.tokens import create_token

    user = get_user_model().objects.filter(username=args.username, is_active=True).first()
    if user is None:
        print(f"没有名为 {args.username} 的有效用户，未创建令牌。", file=sys.stderr)
        return EXIT_FAILED
    token, key = create_token(user, args.name, timezone.now())
    print(
        f"已为 {args.username} 创建令牌（编号 {token.pk}，用途：{token.name}）。令牌只显示这一次："
    )
    print(key)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from fazhi.api.models import ApiToken

    tokens = ApiToken.objects.select_related("user").order_by("pk")
    if args.username:
        tokens = tokens.filter(user__username=args.username)
    for t in tokens:
        state = (
            "有效"
            if t.revoked_at is None
            else f"已吊销（{timezone.localtime(t.revoked_at):%Y-%m-%d %H:%M}）"
        )
        created = timezone.localtime(t.created_at)
        print(
            f"{t.pk}  {t.user.get_username()}  {t.prefix}…  {t.name}  创建于 {created:%Y-%m-%d %H:%M}  {state}"
        )
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from fazhi.api.models import ApiToken
    from fazhi.api.tokens import revoke_token

    token = ApiToken.objects.filter(pk=args.token_id).first()
    if token is None:
        print(f"没有编号为 {args.token_id} 的令牌。", file=sys.stderr)
        return EXIT_FAILED
    if token.revoked_at is not None:
        print(f"令牌 {token.pk} 已于此前吊销。")
        return EXIT_OK
    revoke_token(token, timezone.now())
    print(f"已吊销令牌 {token.pk}（{token.user.get_username()}，{token.name}）。")
    return EXIT_OK
