from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver, path, re_path

from .api import api
from .errors import error_body


def _json(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False}
    )


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Unknown paths under /api/ answer in the API's error shape, not with an HTML page."""
    return _json(404, "not_found", f"接口不存在：{request.path}。接口说明见 /api/docs。")


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a wrong method with a plain-text 405; give it the error shape too."""

    @wraps(view)  # keeps csrf_exempt and the other flags Ninja sets on its views
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            json = _json(
                405,
                "method_not_allowed",
                f"该接口不支持 {request.method} 方法，可用方法：{allowed}。",
            )
            json["Allow"] = allowed
            return json
        return response

    return wrapped


def _api_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_method_not_allowed(pattern.callback)
    return patterns


urlpatterns: list[URLPattern | URLResolver] = [
    path("", (_api_patterns(), "api", "api")),
    re_path(r"^(?P<rest>.*)$", not_found),
]
