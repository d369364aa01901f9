"""The ledger's public face: signed checkpoints, the public key, inclusion and consistency
proofs (open to anyone, no login); and the entries themselves (staff: platform
administrators and supervisors only, for now).

How an outsider checks (RFC 9162 §2.1): keep the checkpoints you download; later, ask for
``/ledger/proof/consistency?first=<old size>&second=<new size>`` and verify that the newer
signed root extends the older one; ask for ``/ledger/proof/inclusion?seq=N&tree_size=M`` to
check that entry N is in the tree a checkpoint signed.
"""

import datetime
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.throttling import AnonRateThrottle

from sanxiang.records import checkpoints, keys, ledger_selectors, proofs
from sanxiang.records.models import Checkpoint, LedgerEntry

from ..auth import current_user
from ..pagination import Pagination
from ..schemas import ErrorOut
from .common import ERRORS

router = Router(tags=["台账与检查点"])

PUBLIC_ERRORS: dict[int, Any] = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
MESSAGE_FORMAT = (
    f"{checkpoints.MESSAGE_HEADER}\\n<台账条数>\\n<默克尔根（64位小写十六进制）>\\n"
    "<签署时间（UTC，YYYY-MM-DDTHH:MM:SSZ）>\\n"
)


class PublicKeyOut(Schema):
    algorithm: str = Field(..., examples=["Ed25519"])
    key_id: str = Field(..., description="原始公钥（32字节）的 SHA-256，十六进制")
    public_key_pem: str = Field(..., description="公钥（PEM，SubjectPublicKeyInfo）")
    message_format: str = Field(..., description="被签名的文本格式（UTF-8）")
    signature_encoding: str = Field(..., examples=["base64"])


class CheckpointOut(Schema):
    tree_size: int = Field(..., description="台账条数（默克尔树的叶子数）")
    root_hash: str = Field(..., description="默克尔根（RFC 9162），十六进制")
    signed_at: datetime.datetime
    key_id: str
    signature: str = Field(..., description="Ed25519 签名（Base64）")
    signed_message: str = Field(..., description="被签名的文本，原样")

    @staticmethod
    def resolve_signed_message(obj: Checkpoint) -> str:
        return checkpoints.checkpoint_message(obj).decode("utf-8")


class InclusionProofOut(Schema):
    seq: int
    leaf_index: int = Field(..., description="叶子序号（从0起，等于 seq-1）")
    tree_size: int
    entry_hash: str = Field(..., description="该条台账记录的哈希，即叶子数据")
    leaf_hash: str = Field(..., description="SHA-256(0x00 || 叶子数据)")
    audit_path: list[str] = Field(..., description="审计路径（RFC 9162 §2.1.3），自下而上")
    root_hash: str
    checkpoint: CheckpointOut | None = Field(None, description="条数相同的已签名检查点（如有）")


class ConsistencyProofOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str] = Field(..., description="一致性证明（RFC 9162 §2.1.4）")
    first_checkpoint: CheckpointOut | None = None
    second_checkpoint: CheckpointOut | None = None


class LedgerEntryOut(Schema):
    seq: int
    recorded_at: datetime.datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    payload: str = Field(..., description="规范化 JSON 原文（其 SHA-256 即 payload_hash）")
    data: dict[str, Any] = Field(..., description="payload 中的业务内容（已解析）")
    payload_hash: str
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_data(obj: LedgerEntry) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(obj.payload).get("data", {})
        return data


class EntryFilter(Schema):
    object_type: str | None = Field(None, max_length=64, description="对象类型，如 org.officer")
    object_id: str | None = Field(None, max_length=64, description="对象标识（须同时给出对象类型）")


def _checkpoint_at(size: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(tree_size=size).first()


@router.get(
    "/ledger/public-key",
    auth=None,
    response={200: PublicKeyOut, **PUBLIC_ERRORS},
    summary="检查点签名公钥（公开）",
    throttle=[AnonRateThrottle("60/m")],
)
def public_key(request: HttpRequest) -> dict[str, Any]:
    key = keys.public_key()
    if key is None:
        raise Http404("平台尚未生成检查点签名密钥（尚未签署任何检查点）。")
    return {
        "algorithm": "Ed25519",
        "key_id": keys.key_id(key),
        "public_key_pem": keys.public_key_pem(key),
        "message_format": MESSAGE_FORMAT,
        "signature_encoding": "base64",
    }


@router.get(
    "/ledger/checkpoints",
    auth=None,
    response={200: list[CheckpointOut], **PUBLIC_ERRORS},
    summary="签名检查点列表（公开）",
    description="按台账条数从小到大排列。",
    throttle=[AnonRateThrottle("60/m")],
)
@paginate(Pagination)
def list_checkpoints(request: HttpRequest) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("tree_size")


@router.get(
    "/ledger/checkpoints/latest",
    auth=None,
    response={200: CheckpointOut, **PUBLIC_ERRORS},
    summary="最新的签名检查点（公开）",
    throttle=[AnonRateThrottle("60/m")],
)
def latest_checkpoint(request: HttpRequest) -> Checkpoint:
    checkpoint = ledger_selectors.latest_checkpoint()
    if checkpoint is None:
        raise Http404("尚未签署任何检查点。")
    return checkpoint


def _proof_error(exc: ValueError, field: str) -> Exception:
    if isinstance(exc, proofs.LedgerIncomplete):
        return HttpError(409, f"{exc}无法生成证明，请联系平台管理员核查。")
    return ValidationError({field: str(exc)})


@router.get(
    "/ledger/proof/inclusion",
    auth=None,
    response={200: InclusionProofOut, **PUBLIC_ERRORS},
    summary="包含证明（公开）",
    description="证明第 seq 条台账记录包含在前 tree_size 条记录构成的默克尔树中。"
    "tree_size 缺省时取最新检查点的条数。",
    throttle=[AnonRateThrottle("30/m")],
)
def inclusion_proof(
    request: HttpRequest,
    seq: int = Query(..., ge=1, description="台账记录序号"),
    tree_size: int | None = Query(None, ge=1, description="树的大小（台账条数）"),
) -> dict[str, Any]:
    if tree_size is None:
        latest = ledger_selectors.latest_checkpoint()
        if latest is None:
            raise ValidationError({"tree_size": "尚未签署任何检查点，请指定 tree_size。"})
        tree_size = latest.tree_size
    try:
        proof = proofs.inclusion(seq, tree_size)
    except ValueError as exc:
        raise _proof_error(exc, "seq" if seq > tree_size else "tree_size") from None
    return {**proof.__dict__, "checkpoint": _checkpoint_at(tree_size)}


@router.get(
    "/ledger/proof/consistency",
    auth=None,
    response={200: ConsistencyProofOut, **PUBLIC_ERRORS},
    summary="一致性证明（公开）",
    description="证明前 second 条记录构成的树是前 first 条记录构成的树的延续"
    "（即前 first 条记录未被改写）。",
    throttle=[AnonRateThrottle("30/m")],
)
def consistency_proof(
    request: HttpRequest,
    first: int = Query(..., ge=1, description="较早的树的大小"),
    second: int = Query(..., ge=1, description="较晚的树的大小"),
) -> dict[str, Any]:
    try:
        proof = proofs.consistency(first, second)
    except ValueError as exc:
        raise _proof_error(exc, "first" if first > second else "second") from None
    return {
        **proof.__dict__,
        "first_checkpoint": _checkpoint_at(first),
        "second_checkpoint": _checkpoint_at(second),
    }


@router.get(
    "/ledger/entries",
    response={200: list[LedgerEntryOut], **ERRORS},
    summary="台账记录（平台管理员与执法监督人员）",
    description="按序号排列。目前仅平台管理员和执法监督人员可以查看。",
)
@paginate(Pagination)
def list_entries(request: HttpRequest, filters: Query[EntryFilter]) -> QuerySet[LedgerEntry]:
    user = current_user(request)
    if not ledger_selectors.may_read_ledger(user):
        raise PermissionDenied("只有平台管理员和执法监督人员可以查看台账记录。")
    if filters.object_id and not filters.object_type:
        raise ValidationError({"object_type": "按对象标识查询时须同时指定对象类型。"})
    return ledger_selectors.entries_for(
        ledger_selectors.entries_visible_to(user),
        object_type=filters.object_type,
        object_id=filters.object_id,
    )
