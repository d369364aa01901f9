"""Display helpers shared by the portal and workbench templates."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from sanxiang.portal.pagination import page_links as _page_links

register = template.Library()


@register.filter
def zh_date(value: datetime.date | None) -> str:
    """2025年3月1日; an em dash when there is no date."""
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def zh_duration(value: datetime.timedelta | None) -> str:
    """A lock-out period in words: 30分钟, 1小时30分钟, 1天."""
    if not value:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{days}天" if days else "",
        f"{hours}小时" if hours else "",
        f"{minutes}分钟" if minutes else "",
    ]
    return "".join(parts) or "不到1分钟"


@register.simple_tag
def page_links(page: Any) -> list[int | str]:
    return _page_links(page)
