"""A per-address attempt counter for the public forms that take a code (progress query,
correction tracking) or create rows (correction requests), so that codes cannot be
guessed and the forms cannot be flooded. Uses Django's cache: configure a shared cache
(e.g. Redis) where several app processes serve the portal."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def exceeded(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """True when this address already used up `limit` attempts of `scope` in `window` s."""
    return int(cache.get(f"throttle:{scope}:{client_address(request)}", 0)) >= limit


def count(request: HttpRequest, scope: str, *, window: int) -> None:
    key = f"throttle:{scope}:{client_address(request)}"
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
