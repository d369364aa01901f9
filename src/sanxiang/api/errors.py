"""One error shape for every failure the API reports:

    {"error": {"code": "validation_error", "message": "中文说明", "fields": {"field": ["…"]}}}

``fields`` is always present (empty when the error is not about particular fields). Field
names are the input's own names: a body field by its name (``id_number``), a nested one by
its path (``items.0.name``), a query or path parameter by its name (``limit``).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("sanxiang.api")

_CJK = re.compile(r"[\u4e00-\u9fff]")

UNAUTHENTICATED_MESSAGE = "未登录或身份凭证无效：请先登录，或在请求头中提供有效的接口令牌（Authorization: Bearer <令牌>）。"
NOT_FOUND_MESSAGE = "未找到请求的资源，或您无权查看。"
INTERNAL_ERROR_MESSAGE = "服务器内部错误，请稍后重试；如问题持续存在，请将错误编号告知系统管理员。"


class InvalidToken(AuthenticationError):
    """A bearer token was presented but cannot be used (unknown, revoked, expired, inactive)."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _respond(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


def _chinese_or(text: str, fallback: str) -> str:
    return text if _CJK.search(text) else fallback


def _unique(messages: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(m for m in messages if m))


# --- django ValidationError (raised by services and models' full_clean) ---------------------


def django_validation_fields(exc: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    """The summary message and the per-field messages of a django ValidationError."""
    if hasattr(exc, "error_dict"):
        general: list[str] = []
        fields: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            texts = [str(m) for m in messages]
            if field == NON_FIELD_ERRORS:
                general.extend(texts)
            else:
                fields[field] = texts
        summary = _unique(general + [m for ms in fields.values() for m in ms])
        return "".join(_end(m) for m in summary), fields
    return "".join(_end(str(m)) for m in _unique(exc.messages)), {}


def _end(message: str) -> str:
    """Join messages as sentences: add a full stop where a message lacks one."""
    return message if message.endswith(("。", "！", "？", ".", "）")) else message + "。"


# --- pydantic / Ninja input errors -------------------------------------------------------


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    msg = str(error.get("msg", ""))
    simple = {
        "missing": "此项为必填项。",
        "string_type": "应为字符串。",
        "int_type": "应为整数。",
        "int_parsing": "应为整数。",
        "int_from_float": "应为整数。",
        "float_parsing": "应为数字。",
        "float_type": "应为数字。",
        "bool_parsing": "应为布尔值（true 或 false）。",
        "bool_type": "应为布尔值（true 或 false）。",
        "date_parsing": "日期格式应为 YYYY-MM-DD。",
        "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD。",
        "date_from_datetime_inexact": "日期不应包含时间部分，格式应为 YYYY-MM-DD。",
        "date_type": "日期格式应为 YYYY-MM-DD。",
        "datetime_parsing": "时间格式应为 ISO 8601，例如 2026-01-31T09:00:00+08:00。",
        "datetime_from_date_parsing": "时间格式应为 ISO 8601，例如 2026-01-31T09:00:00+08:00。",
        "datetime_type": "时间格式应为 ISO 8601，例如 2026-01-31T09:00:00+08:00。",
        "extra_forbidden": "不允许的字段。",
        "json_invalid": "请求体不是有效的 JSON。",
        "json_type": "请求体不是有效的 JSON。",
        "model_type": "应为 JSON 对象。",
        "model_attributes_type": "应为 JSON 对象。",
        "dict_type": "应为 JSON 对象。",
        "list_type": "应为数组。",
        "string_pattern_mismatch": "格式不正确。",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "此项不能为空。" if n == 1 else f"长度不能少于{n}个字符。"
    if kind == "string_too_long":
        return f"长度不能超过{ctx.get('max_length')}个字符。"
    if kind in ("enum", "literal_error"):
        return f"取值无效，可选值为：{ctx.get('expected', '')}。"
    if kind == "greater_than_equal":
        return f"不能小于{ctx.get('ge')}。"
    if kind == "greater_than":
        return f"应大于{ctx.get('gt')}。"
    if kind == "less_than_equal":
        return f"不能大于{ctx.get('le')}。"
    if kind == "less_than":
        return f"应小于{ctx.get('lt')}。"
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message.
        text = str(ctx.get("error", msg)).removeprefix("Value error, ")
        return _chinese_or(text, f"取值无效（{text}）。")
    return _chinese_or(msg, f"取值无效（{msg}）。")


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    if not parts:
        return NON_FIELD_ERRORS
    source = parts.pop(0)
    if source == "body" and len(parts) >= 1:
        # ("body", "payload", "id_number"): drop the operation's parameter name.
        parts.pop(0)
    return ".".join(str(p) for p in parts) or str(source)


def ninja_validation_fields(exc: NinjaValidationError) -> tuple[str, dict[str, list[str]]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = _field_name(error.get("loc", ()))
        fields.setdefault(name, []).append(_pydantic_message(error))
    summary = "；".join(
        f"{name}：{m.rstrip('。')}" for name, ms in fields.items() for m in _unique(ms)
    )
    return f"提交的数据未通过校验（{summary}）。", fields


# --- registration ------------------------------------------------------------------------


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`; more specific classes win (lookup follows the MRO)."""

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        message, fields = django_validation_fields(exc)
        return _respond(api, request, 422, "validation_error", message, fields)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        message, fields = ninja_validation_fields(exc)
        return _respond(api, request, 422, "validation_error", message, fields)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = _chinese_or(str(exc), "您无权执行此操作。")
        return _respond(api, request, 403, "permission_denied", message)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _chinese_or(str(exc), NOT_FOUND_MESSAGE)
        return _respond(api, request, 404, "not_found", message)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        if isinstance(exc, InvalidToken):
            response = _respond(api, request, 401, "invalid_token", exc.message)
            response["WWW-Authenticate"] = 'Bearer realm="sanxiang", error="invalid_token"'
        else:
            response = _respond(api, request, 401, "unauthenticated", UNAUTHENTICATED_MESSAGE)
            response["WWW-Authenticate"] = 'Bearer realm="sanxiang"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 403 and "CSRF" in exc.message:
            return _respond(
                api,
                request,
                403,
                "csrf_failed",
                "CSRF 校验失败：通过浏览器会话调用写操作时，请在请求头 X-CSRFToken 中携带 CSRF 令牌。",
            )
        if isinstance(exc, Throttled):
            wait = f"请约{int(exc.wait) + 1}秒后再试。" if exc.wait else "请稍后再试。"
            return _respond(api, request, 429, "throttled", f"请求过于频繁，{wait}")
        if status == 400 and "parse request body" in exc.message:
            return _respond(api, request, 400, "bad_request", "请求体不是有效的 JSON，请检查格式。")
        codes = {
            400: "bad_request",
            403: "permission_denied",
            404: "not_found",
            405: "method_not_allowed",
        }
        defaults = {400: "请求格式不正确。", 403: "您无权执行此操作。", 404: NOT_FOUND_MESSAGE}
        message = _chinese_or(exc.message, defaults.get(status, f"请求无法处理（HTTP {status}）。"))
        return _respond(api, request, status, codes.get(status, f"http_{status}"), message)

    def on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.warning("IntegrityError on %s %s: %s", request.method, request.path, exc)
        return _respond(
            api,
            request,
            409,
            "conflict",
            "数据与现有记录冲突（可能已被他人同时提交），请刷新后重试。",
        )

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        reference = uuid.uuid4().hex[:12]
        logger.exception("Unhandled API error %s on %s %s", reference, request.method, request.path)
        return _respond(
            api,
            request,
            500,
            "internal_error",
            f"{INTERNAL_ERROR_MESSAGE}（错误编号：{reference}）",
        )

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (DjangoValidationError, on_django_validation),
        (NinjaValidationError, on_ninja_validation),
        (PermissionDenied, on_permission_denied),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (AuthenticationError, on_authentication),
        (HttpError, on_http_error),
        (IntegrityError, on_integrity),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
