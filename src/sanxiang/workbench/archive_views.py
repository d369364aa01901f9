"""The records custodian's pages (档案管理): the case files due, overdue, assembled and
archived (/staff/archives/), and one case file (cover data, contents, assemblies, the PDF
and the archive package to download — each download written to the ledger first with who,
when and why). Views stay thin: ``sanxiang.archives.services`` applies the rules."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sanxiang.archives import selectors, services
from sanxiang.archives.models import CaseFile, CaseFileAssembly
from sanxiang.archives.responses import package_response
from sanxiang.org.models import User
from sanxiang.portal.pagination import paginate
from sanxiang.records.filestore import get_store
from sanxiang.workbench.auth import staff_user

from .archive_forms import AssembleForm, ExportForm

CASE_FILES_PER_PAGE = 25


def _case_file(user: User, pk: int) -> CaseFile:
    case_file = CaseFile.objects.select_related("case__agency", "archived_by").filter(pk=pk).first()
    if case_file is None or not services.may_view(user, case_file):
        raise Http404("未找到该案卷，或您无权查看。")
    return case_file


def _refusal(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


@login_required
@require_GET
def archive_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not selectors.is_custodian(user):
        raise PermissionDenied("档案管理页面仅供档案管理员使用。")
    today = timezone.localdate()
    base = selectors.case_files_for(user)
    tab = request.GET.get("tab", "due")
    if tab not in selectors.TABS:
        tab = "due"
    counts = selectors.tab_counts(base, today)
    page = paginate(request, selectors.listing(base, tab, today), per_page=CASE_FILES_PER_PAGE)
    rows = [
        {"file": f, "overdue": not f.archived and f.due_on is not None and f.due_on < today}
        for f in page.object_list
    ]
    return render(
        request,
        "workbench/archives/list.html",
        {
            "tab": tab,
            "tabs": [(code, label, counts[code]) for code, label in selectors.TABS.items()],
            "rows": rows,
            "page": page,
            "today": today,
        },
    )


@login_required
@require_POST
def register_due(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not selectors.is_custodian(user) or user.agency is None:
        raise PermissionDenied("仅档案管理员可以登记待归档案卷。")
    count = services.register_due_case_files(actor=user, agency=user.agency)
    messages.success(request, f"已登记新办结案件的案卷 {count} 件。")
    return redirect(reverse("workbench:archives"))


def _page(
    request: HttpRequest, case_file: CaseFile, assemble_form: AssembleForm | None = None
) -> HttpResponse:
    user = staff_user(request)
    assemblies = list(selectors.assemblies(case_file)[:20])
    latest: CaseFileAssembly | None = assemblies[0] if assemblies else None
    custodian = services._is_custodian(user, case_file.agency_id)
    stale = latest is not None and latest.contents_key != services.contents_key(case_file.case)
    today = timezone.localdate()
    return render(
        request,
        "workbench/archives/case_file.html",
        {
            "file": case_file,
            "case": case_file.case,
            "latest": latest,
            "assemblies": assemblies,
            "items": list(selectors.items(latest)) if latest else [],
            "custodian": custodian,
            "stale": stale,
            "overdue": not case_file.archived
            and case_file.due_on is not None
            and case_file.due_on < today,
            "assemble_form": assemble_form
            or AssembleForm(initial={"retention": case_file.retention}),
            "export_form": ExportForm(),
        },
    )


@login_required
@require_GET
def case_file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _case_file(staff_user(request), pk))


@login_required
@require_POST
def assemble(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case_file = _case_file(user, pk)
    form = AssembleForm(request.POST)
    if form.is_valid():
        try:
            assembly = services.assemble(
                actor=user, case_file=case_file, retention=form.cleaned_data["retention"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(
                request, f"已组卷（第{assembly.version}版），归档号{assembly.archive_number}。"
            )
        return redirect(reverse("workbench:archive_file", args=[case_file.pk]))
    return _page(request, case_file, form)


@login_required
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case_file = _case_file(user, pk)
    try:
        case_file = services.archive(actor=user, case_file=case_file)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"案卷已归档，归档号{case_file.archive_number}，此后不可更改。")
    return redirect(reverse("workbench:archive_file", args=[case_file.pk]))


def _assembly(case_file: CaseFile, version: int) -> CaseFileAssembly:
    assembly = selectors.assemblies(case_file).filter(version=version).first()
    if assembly is None:
        raise Http404("未找到该组卷版本。")
    return assembly


def _export(request: HttpRequest, pk: int, version: int, what: str) -> CaseFileAssembly:
    user = staff_user(request)
    case_file = _case_file(user, pk)
    assembly = _assembly(case_file, version)
    form = ExportForm(request.POST)
    if not form.is_valid():
        raise ValidationError("请选择导出用途。")
    services.log_export(
        actor=user,
        case_file=case_file,
        assembly=assembly,
        what=what,
        purpose=form.cleaned_data["purpose"],
    )
    return assembly


def _disposition(filename: str, ascii_name: str) -> str:
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@login_required
@require_POST
def download_pdf(request: HttpRequest, pk: int, version: int) -> HttpResponseBase:
    try:
        assembly = _export(request, pk, version, "pdf")
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(reverse("workbench:archive_file", args=[pk]))
    response = FileResponse(get_store().open(assembly.pdf.sha256), content_type="application/pdf")
    response["Content-Disposition"] = _disposition(
        f"{assembly.archive_number}-案卷.pdf", f"{assembly.archive_number}.pdf"
    )
    response["Content-Length"] = str(assembly.pdf.size)
    return response


@login_required
@require_POST
def download_package(request: HttpRequest, pk: int, version: int) -> HttpResponseBase:
    try:
        assembly = _export(request, pk, version, "package")
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(reverse("workbench:archive_file", args=[pk]))
    return package_response(assembly)


urlpatterns: list[URLPattern] = [
    path("archives/", archive_list, name="archives"),
    path("archives/register/", register_due, name="archives_register"),
    path("archives/<int:pk>/", case_file_detail, name="archive_file"),
    path("archives/<int:pk>/assemble/", assemble, name="archive_file_assemble"),
    path("archives/<int:pk>/archive/", archive, name="archive_file_archive"),
    path("archives/<int:pk>/v<int:version>/case-file.pdf", download_pdf, name="archive_file_pdf"),
    path(
        "archives/<int:pk>/v<int:version>/package.zip",
        download_package,
        name="archive_file_package",
    ),
]
