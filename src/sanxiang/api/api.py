"""The NinjaAPI instance: /api/, OpenAPI at /api/openapi.json, Swagger UI at /api/docs.

The docs page uses the Swagger UI assets Ninja bundles (static files under ``ninja/``, as
"ninja" is in INSTALLED_APPS), so it works without reaching any CDN; the online spec
validator badge is switched off for the same reason.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger
from ninja.operation import Operation
from ninja.renderers import JSONRenderer

from . import errors
from .auth import session_auth, token_auth
from .endpoints import agencies, cases, entrustments, ledger, me, officers, public, uploads

DESCRIPTION = """\
行政执法三项制度（行政执法公示、执法全过程记录、重大执法决定法制审核）信息系统的接口。

**身份认证**：浏览器中登录后使用会话（写操作须在请求头 `X-CSRFToken` 中携带 CSRF 令牌）；
其他系统使用接口令牌：`Authorization: Bearer <令牌>`，令牌由平台管理员以
`sanxiang apitoken issue` 签发。`/api/public/` 下的接口，以及 `/api/ledger/` 下除台账记录外的
检查点、公钥和证明接口，无需认证。

**数据范围**：账号只能看到本执法主体的数据；执法监督人员可以看到本辖区及下级辖区的全部执法主体。

**分页**：列表接口以 `limit`（默认50，最多500）和 `offset` 分页，返回 `{"count": 总数, "items": [...]}`，按 id 排序。

**错误**：所有错误均为 `{"error": {"code": "…", "message": "中文说明", "fields": {"字段": ["…"]}}}`。
"""


class SanxiangAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`officers_list_officers` rather than `sanxiang_api_endpoints_officers_list_officers`."""
        return super().get_openapi_operation_id(operation).removeprefix("sanxiang_api_endpoints_")


class ChineseJSONRenderer(JSONRenderer):
    """Chinese text as itself, not \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = SanxiangAPI(
    title="三项制度信息系统 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[token_auth, session_auth],
    renderer=ChineseJSONRenderer(),
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

api.add_router("", me.router)
api.add_router("", agencies.router)
api.add_router("", officers.router)
api.add_router("", entrustments.router)
api.add_router("", public.router)
api.add_router("", "sanxiang.api.endpoints.public_decisions.router")
api.add_router("", uploads.router)
api.add_router("", ledger.router)
api.add_router("", cases.router)
api.add_router("", "sanxiang.api.endpoints.review.router")
api.add_router("", "sanxiang.api.endpoints.archives.router")
