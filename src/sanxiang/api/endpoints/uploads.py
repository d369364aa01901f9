"""Resumable uploads of evidence, audio/video recordings and documents into the file store.

1. `POST /api/uploads` declares the file (name, size, SHA-256, type) → `id`, `offset` 0 and
   the suggested `chunk_size`.
2. `PUT /api/uploads/{id}` with header `Upload-Offset: N` (or `Content-Range: bytes
   N-M/size`) and the raw bytes as body appends one chunk (at most 8 MiB) at exactly N;
   the answer gives the new offset. The request that reaches the declared size completes
   the upload: the digest is checked and the file enters the store (`stored_file`).
3. After a broken connection `GET /api/uploads/{id}` tells the offset to resume from; a
   PUT at the wrong offset is answered 409 with the right one (body and `Upload-Offset`).
4. `DELETE /api/uploads/{id}` abandons the upload.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from sanxiang.records import uploads
from sanxiang.records.models import StoredFile, UploadSession

from ..auth import current_user
from ..errors import error_body
from ..schemas import ErrorOut, InputSchema
from .common import ERRORS

router = Router(tags=["文件上传（断点续传）"])

UPLOAD_ERRORS: dict[int, Any] = {**ERRORS, 400: ErrorOut, 409: ErrorOut, 411: ErrorOut}

_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


class UploadIn(InputSchema):
    filename: str = Field(..., min_length=1, max_length=255, description="原文件名")
    size: int = Field(..., ge=1, description="文件字节数")
    sha256: str = Field(
        ...,
        pattern=r"^[0-9a-fA-F]{64}$",
        description="文件内容的 SHA-256（十六进制）；全部数据到达后据此校验",
    )
    media_type: str = Field(
        "", max_length=128, description="文件类型（MIME），如 video/mp4；以文件内容识别结果为准"
    )


class StoredFileRef(Schema):
    sha256: str
    size: int
    media_type: str = Field(..., description="按文件内容识别的类型")
    stored_at: datetime.datetime


class UploadOut(Schema):
    id: uuid.UUID
    filename: str
    size: int = Field(..., description="声明的文件字节数")
    sha256: str = Field(..., description="声明的 SHA-256")
    media_type: str = Field(..., description="声明的文件类型")
    offset: int = Field(..., description="已接收的字节数：下一个数据片段从这里开始")
    chunk_size: int = Field(..., description="建议的数据片段大小（字节）")
    max_chunk_size: int = Field(..., description="数据片段的最大字节数")
    status: UploadSession.Status
    status_label: str
    failure: str = Field(..., description="失败原因（状态为 failed 时）")
    stored_file: StoredFileRef | None = Field(..., description="入库的文件（状态为 complete 时）")


def _out(session: UploadSession) -> dict[str, Any]:
    stored: StoredFile | None = session.stored_file
    return {
        "id": session.pk,
        "filename": session.filename,
        "size": session.declared_size,
        "sha256": session.declared_sha256,
        "media_type": session.media_type,
        "offset": session.received,
        "chunk_size": uploads.chunk_size(),
        "max_chunk_size": uploads.max_chunk_size(),
        "status": session.status,
        "status_label": session.get_status_display(),
        "failure": session.failure,
        "stored_file": stored,
    }


def _headers(response: HttpResponse, session: UploadSession) -> None:
    response["Upload-Offset"] = str(session.received)
    response["Upload-Length"] = str(session.declared_size)
    response["Cache-Control"] = "no-store"


def _conflict(exc: uploads.UploadConflict) -> JsonResponse:
    response = JsonResponse(
        error_body(exc.code, exc.message), status=409, json_dumps_params={"ensure_ascii": False}
    )
    _headers(response, exc.session)
    return response


def _offset(request: HttpRequest, length: int) -> int:
    header = request.headers.get("Upload-Offset")
    if header is not None:
        if not header.strip().isdigit():
            raise HttpError(400, "请求头 Upload-Offset 应为非负整数（已接收的字节数）。")
        return int(header)
    content_range = request.headers.get("Content-Range")
    if content_range is not None:
        match = _CONTENT_RANGE.match(content_range.strip())
        if not match:
            raise HttpError(400, "请求头 Content-Range 格式应为 bytes 起始-结束/总长。")
        start, end = int(match[1]), int(match[2])
        if end - start + 1 != length:
            raise HttpError(400, "请求头 Content-Range 的范围与 Content-Length 不一致。")
        return start
    raise HttpError(400, "缺少请求头 Upload-Offset（或 Content-Range），无法确定数据片段的位置。")


def _length(request: HttpRequest) -> int:
    raw = request.META.get("CONTENT_LENGTH") or ""
    if not raw.strip():
        raise HttpError(411, "缺少 Content-Length：每个数据片段必须声明其字节数。")
    if not raw.strip().isdigit():
        raise HttpError(400, "Content-Length 应为非负整数。")
    return int(raw)


@router.post(
    "/uploads",
    response={201: UploadOut, **UPLOAD_ERRORS},
    summary="开始上传：声明文件名、大小、SHA-256 和类型",
    description=(
        "返回上传会话 id、起始偏移量 0 和建议的数据片段大小。文件类型按文件内容识别，"
        "只接受图片、音视频、PDF、Word/Excel 文档和纯文本。"
    ),
)
def create_upload(request: HttpRequest, payload: UploadIn, response: HttpResponse) -> Status[Any]:
    session = uploads.open_upload(actor=current_user(request), **payload.model_dump())
    _headers(response, session)
    response["Location"] = f"{request.path.rstrip('/')}/{session.pk}"
    return Status(201, _out(session))


@router.get(
    "/uploads/{upload_id}",
    response={200: UploadOut, **UPLOAD_ERRORS},
    summary="查询上传进度（断点续传时从 offset 继续）",
)
def get_upload(request: HttpRequest, upload_id: str, response: HttpResponse) -> dict[str, Any]:
    session = uploads.session_for(actor=current_user(request), session_id=upload_id)
    _headers(response, session)
    return _out(session)


@router.put(
    "/uploads/{upload_id}",
    response={200: UploadOut, **UPLOAD_ERRORS},
    summary="上传一个数据片段",
    description=(
        "请求体为原始字节（Content-Type: application/octet-stream），请求头 Upload-Offset "
        "为该片段在文件中的起始位置，必须等于已接收的字节数，否则返回 409 及正确的偏移量。"
        "片段不完整（连接中断）时整个片段被丢弃，偏移量不变。到达声明的大小时校验 SHA-256 "
        "并入库；校验不符返回 422，上传失败。"
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        "parameters": [
            {
                "in": "header",
                "name": "Upload-Offset",
                "required": True,
                "schema": {"type": "integer", "minimum": 0},
                "description": "本片段的起始字节位置（等于已接收的字节数）",
            }
        ],
    },
)
def put_chunk(
    request: HttpRequest, upload_id: str, response: HttpResponse
) -> dict[str, Any] | HttpResponse:
    user = current_user(request)
    length = _length(request)
    offset = _offset(request, length)
    try:
        session = uploads.append_chunk(
            actor=user, session_id=upload_id, offset=offset, length=length, stream=request
        )
    except uploads.UploadConflict as exc:
        return _conflict(exc)
    except uploads.TruncatedChunk as exc:
        bad = JsonResponse(
            error_body("truncated_chunk", exc.message),
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
        _headers(bad, exc.session)
        return bad
    _headers(response, session)
    return _out(session)


@router.delete(
    "/uploads/{upload_id}",
    response={200: UploadOut, **UPLOAD_ERRORS},
    summary="放弃上传（删除已接收的数据）",
)
def delete_upload(
    request: HttpRequest, upload_id: str, response: HttpResponse
) -> dict[str, Any] | HttpResponse:
    user = current_user(request)
    session = uploads.session_for(actor=user, session_id=upload_id)
    try:
        session = uploads.abandon_upload(actor=user, session=session)
    except uploads.UploadConflict as exc:
        return _conflict(exc)
    _headers(response, session)
    return _out(session)
