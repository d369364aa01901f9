"""案卷与归档: the agency's case files (due, overdue, assembled, archived), one case file with
its latest assembly's contents, and the downloads of the volume PDF and the archive package
(a zipped BagIt bag, streamed) — each download written to the ledger first with who, when
and why (000 全过程记录办法 第二十八条). Thin over sanxiang.archives.services/selectors."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from sanxiang.archives import selectors, services
from sanxiang.archives.models import CaseFile, CaseFileAssembly
from sanxiang.archives.responses import package_response
from sanxiang.org.models import User
from sanxiang.records.filestore import get_store

from ..auth import current_user
from ..pagination import Pagination
from .common import ERRORS

router = Router(tags=["案卷与归档"])


class CaseFileOut(Schema):
    id: int
    case_id: int = Field(..., description="案件 id")
    case_number: str
    status: str
    status_label: str
    closed_on: datetime.date = Field(..., description="执法行为终结日期")
    due_on: datetime.date | None = Field(..., description="归档期限；为空时见 uncovered_year")
    uncovered_year: int | None = Field(..., description="工作日历未覆盖的年度（日历未覆盖）")
    deadline: str = Field(..., description="归档时限及依据")
    retention: str = Field(..., description="保管期限")
    archive_number: str = Field(..., description="归档号")
    versions: int = Field(..., description="组卷次数")
    archived_at: datetime.datetime | None

    @staticmethod
    def resolve_case_number(obj: CaseFile) -> str:
        return obj.case.number

    @staticmethod
    def resolve_status_label(obj: CaseFile) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_deadline(obj: CaseFile) -> str:
        return f"{obj.deadline_text}（{obj.deadline_source}）"


class ItemOut(Schema):
    position: int
    section: str
    title: str
    number: str
    date: datetime.date | None
    pages: str = Field(..., description="卷内页号")
    path: str = Field(..., description="归档包内路径")
    sha256: str
    size: int


class AssemblyOut(Schema):
    version: int
    assembled_at: datetime.datetime
    archive_number: str
    pages: int
    pdf_sha256: str
    package_sha256: str
    package_size: int
    payload_oxum: str
    items: list[ItemOut]


class CaseFileDetailOut(CaseFileOut):
    latest: AssemblyOut | None


def _case_file(user: User, pk: int) -> CaseFile:
    f = CaseFile.objects.select_related("case").filter(pk=pk).first()
    if f is None or not services.may_view(user, f):
        raise Http404(f"未找到 id 为 {pk} 的案卷，或您无权查看。")
    return f


def _assembly(f: CaseFile, version: int) -> CaseFileAssembly:
    a = selectors.assemblies(f).filter(version=version).first()
    if a is None:
        raise Http404(f"未找到第{version}版组卷。")
    return a


@router.get(
    "/case-files",
    response={200: list[CaseFileOut], **ERRORS},
    summary="本机关案卷（待归档、已逾期、已组卷待归档、已归档）",
    description="`tab` 为 due（待归档，默认）、overdue、assembled 或 archived。",
)
@paginate(Pagination)
def list_case_files(request: HttpRequest, tab: str = "due") -> QuerySet[CaseFile]:
    qs = selectors.tab(selectors.case_files_for(current_user(request)), tab, timezone.localdate())
    return qs.select_related("case").order_by("pk")


@router.get(
    "/case-files/{case_file_id}", response={200: CaseFileDetailOut, **ERRORS}, summary="案卷详情"
)
def get_case_file(request: HttpRequest, case_file_id: int) -> CaseFile:
    f = _case_file(current_user(request), case_file_id)
    latest = services.latest_assembly(f)
    out: dict[str, Any] | None = None
    if latest is not None:
        out = {
            "version": latest.version,
            "assembled_at": latest.assembled_at,
            "archive_number": latest.archive_number,
            "pages": latest.pages,
            "pdf_sha256": latest.pdf.sha256,
            "package_sha256": latest.package_sha256,
            "package_size": latest.package_size,
            "payload_oxum": latest.payload_oxum,
            "items": [
                {
                    "position": i.position,
                    "section": i.section,
                    "title": i.title,
                    "number": i.number,
                    "date": i.date,
                    "pages": i.pages(),
                    "path": i.path,
                    "sha256": i.stored_file.sha256,
                    "size": i.stored_file.size,
                }
                for i in selectors.items(latest)
            ],
        }
    f.latest = out  # type: ignore[attr-defined]
    return f


PURPOSE_DOC = "`purpose`：archive（归档）、transfer（移交）或 consult（查阅），记入台账。"


@router.get(
    "/case-files/{case_file_id}/versions/{version}/case-file.pdf",
    response={200: None, **ERRORS},
    summary="下载案卷PDF（记入台账）",
    description=PURPOSE_DOC,
    openapi_extra={
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}
    },
)
def download_pdf(
    request: HttpRequest, case_file_id: int, version: int, purpose: str
) -> FileResponse:
    user = current_user(request)
    f = _case_file(user, case_file_id)
    a = _assembly(f, version)
    services.log_export(actor=user, case_file=f, assembly=a, what="pdf", purpose=purpose)
    return FileResponse(
        get_store().open(a.pdf.sha256),
        as_attachment=True,
        filename=f"{a.archive_number}-案卷.pdf",
        content_type="application/pdf",
    )


@router.get(
    "/case-files/{case_file_id}/versions/{version}/package.zip",
    response={200: None, **ERRORS},
    summary="下载归档包（BagIt，ZIP；档案管理员；记入台账）",
    description=PURPOSE_DOC,
    openapi_extra={
        "responses": {"200": {"description": "ZIP", "content": {"application/zip": {}}}}
    },
)
def download_package(
    request: HttpRequest, case_file_id: int, version: int, purpose: str
) -> StreamingHttpResponse:
    user = current_user(request)
    f = _case_file(user, case_file_id)
    a = _assembly(f, version)
    services.log_export(actor=user, case_file=f, assembly=a, what="package", purpose=purpose)
    return package_response(a)
