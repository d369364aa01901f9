"""`sanxiang apitoken`: issue, list and revoke API tokens.

sanxiang apitoken issue --user USERNAME --name "省平台对接" [--days 365]
sanxiang apitoken list [--user USERNAME] [--all]
sanxiang apitoken revoke PREFIX
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sanxiang.api import selectors, services
from sanxiang.api.models import ApiToken
from sanxiang.org.models import User


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在。")
    return user


def _positive_int(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{what}“{text}”不是整数。") from None
    if value < 1:
        raise CommandError(f"{what}应为正整数。")
    return value


def _when(at: datetime.datetime | None) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else "—"


class Command(BaseCommand):
    help = "接口令牌：签发、列出、吊销。令牌原文只在签发时显示一次，系统只保存其摘要。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="操作")
        issue = sub.add_parser("issue", help="为用户签发接口令牌")
        issue.add_argument("--user", required=True, help="用户名")
        issue.add_argument("--name", required=True, help="令牌名称或用途，例如“省平台对接”")
        issue.add_argument("--days", help="有效天数（不填则长期有效，直至吊销）")
        listing = sub.add_parser("list", help="列出接口令牌（默认只列有效的）")
        listing.add_argument("--user", help="只列该用户的令牌")
        listing.add_argument("--all", action="store_true", help="包括已吊销和已过期的令牌")
        revoke = sub.add_parser("revoke", help="按前缀吊销接口令牌")
        revoke.add_argument("prefix", help="令牌前缀（前8位）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "issue":
                self._issue(options)
            elif action == "list":
                self._list(options)
            else:
                self._revoke(options["prefix"])
        except ValidationError as exc:
            raise CommandError("".join(exc.messages)) from None

    def _issue(self, options: dict[str, Any]) -> None:
        user = _user(options["user"])
        expires_at = None
        if options["days"]:
            days = _positive_int(options["days"], "有效天数")
            expires_at = timezone.now() + datetime.timedelta(days=days)
        token, raw_key = services.issue_token(
            user=user, name=options["name"], expires_at=expires_at
        )
        self.stdout.write(raw_key)
        self.stderr.write(
            f"已为用户“{user.username}”签发接口令牌“{token.name}”（前缀 {token.prefix}，"
            f"到期：{_when(token.expires_at) if token.expires_at else '长期有效'}）。\n"
            "令牌原文只显示这一次，请妥善保存；调用时使用请求头 Authorization: Bearer <令牌>。"
        )

    def _list(self, options: dict[str, Any]) -> None:
        user = _user(options["user"]) if options["user"] else None
        now = timezone.now()
        qs = selectors.tokens(user)
        if not options["all"]:
            qs = qs.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)
        count = 0
        for token in qs.iterator(chunk_size=500):
            count += 1
            self.stdout.write(
                "\t".join(
                    [
                        token.prefix,
                        token.user.username,
                        token.name,
                        token.state(now),
                        f"签发 {_when(token.created_at)}",
                        f"到期 {_when(token.expires_at)}",
                        f"最近使用 {_when(token.last_used_at)}",
                    ]
                )
            )
        if count == 0:
            self.stderr.write("没有符合条件的接口令牌。")

    def _revoke(self, prefix: str) -> None:
        matches = list(ApiToken.objects.select_related("user").filter(prefix=prefix.strip())[:2])
        if not matches:
            raise CommandError(f"没有前缀为“{prefix}”的接口令牌。")
        if len(matches) > 1:
            raise CommandError(f"前缀“{prefix}”对应多个令牌，请在管理后台按名称吊销。")
        token = services.revoke_token(token=matches[0], actor=None)
        self.stdout.write(
            f"已吊销接口令牌“{token.name}”（{token.prefix}…，用户 {token.user.username}）。"
        )
