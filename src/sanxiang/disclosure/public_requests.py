"""Services for what the public asks through the portal: the applicant's progress code
(办理进度查询, 000 公示办法 第十五条) and correction requests with their written answer
(002 第二十一条; the agency then corrects within 000 公示办法 第二十一条's period).

Each function is one business action with its ledger entry. Codes are shown once and
stored only as a keyed digest; the ledger never holds a code.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from sanxiang.cases.models import Case, CaseSource
from sanxiang.core import workdays
from sanxiang.core.rules import get_profile
from sanxiang.org.models import Agency, Role, User
from sanxiang.records import ledger
from sanxiang.records.filestore.services import store_file
from sanxiang.records.filestore.types import SNIFF_BYTES, check_content

from .models import CorrectionEvidence, CorrectionRequest, ProgressCode

# No 0/O, 1/I/L: read aloud at a window and typed from a receipt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
#: Proof a requester may attach: PDF or photos/scans, a few files of modest size.
EVIDENCE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
EVIDENCE_MAX_FILES = 5

PROGRESS_SOURCE = "000 公示办法 第十五条"
CORRECTION_SOURCE = "002 第二十一条"
CORRECTION_DEADLINE_RULE = "disclosure.correct_deadline"
ANSWERING_ROLES = (Role.PUBLISHER, Role.AGENCY_HEAD)


def evidence_max_bytes() -> int:
    return int(getattr(settings, "SANXIANG_CORRECTION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def code_digest(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def code_matches(code: str, digest: str) -> bool:
    return hmac.compare_digest(code_digest(code), digest)


# ------------------------------------------------------------------ progress codes


@transaction.atomic
def issue_progress_code(*, actor: User, case: Case) -> str:
    """A new query code for the applicant of `case` (the previous one stops working).
    Returns the code: it is shown once, on the receipt, and never stored."""
    if actor.agency_id != case.agency_id:
        raise PermissionDenied("只能为本机关的案件发放办理进度查询码。")
    if not (actor.has_role(Role.OFFICER) or actor.has_role(Role.UNIT_HEAD)):
        raise PermissionDenied("只有执法人员或者承办机构负责人可以发放办理进度查询码。")
    source = CaseSource.objects.filter(case=case).first()
    if source is None or source.kind != CaseSource.Kind.APPLICATION:
        raise ValidationError(
            f"办理进度查询码发给依申请办理事项的申请人；本案不是依申请启动的（{PROGRESS_SOURCE}）。"
        )
    now = timezone.now()
    revoked = ProgressCode.objects.filter(case=case, revoked_at__isnull=True).update(revoked_at=now)
    code = new_code()
    issued = ProgressCode.objects.create(
        case=case, code_digest=code_digest(code), issued_by=actor, issued_at=now
    )
    ledger.record(
        "disclosure.issue_progress_code",
        actor=actor,
        obj=issued,
        case=case.pk,
        case_number=case.number,
        revoked_previous=revoked,
        source=PROGRESS_SOURCE,
    )
    return code


# ------------------------------------------------------------------ correction requests


@dataclass(frozen=True, kw_only=True)
class CorrectionInput:
    agency: Agency
    information: str
    inaccuracy: str
    requested_correction: str
    requester_kind: str
    requester_name: str
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""


def reply_due(agency: Agency, received_on: datetime.date) -> tuple[datetime.date | None, str]:
    """When the agency must have checked and, if inaccurate, corrected the information: the
    profile's correction period from receipt. None (with the reason) where the calendar
    does not cover it — never guessed."""
    profile = get_profile(agency.rule_profile_code)
    rule = profile.rule(CORRECTION_DEADLINE_RULE)
    period = profile.period(CORRECTION_DEADLINE_RULE)
    if period is None:
        return None, f"{rule.label}未设定期限（{rule.source}）"
    note = f"{rule.label}：{period}（{rule.source}）"
    try:
        return workdays.due_date(received_on, period.amount, period.unit), note
    except workdays.CalendarNotCovered as exc:
        return None, f"日历未覆盖：{exc}；{note}"


def _check_files(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if not files:
        raise ValidationError(
            f"请提供证明公示信息不准确的材料（{CORRECTION_SOURCE}：申请更正并提供相关证明材料）。"
        )
    if len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError(f"证明材料最多上传{EVIDENCE_MAX_FILES}个文件。")
    limit = evidence_max_bytes()
    checked: list[tuple[UploadedFile, str]] = []
    for f in files:
        name = f.name or "证明材料"
        if f.size is None or f.size == 0:
            raise ValidationError(f"证明材料“{name}”是空文件。")
        if f.size > limit:
            raise ValidationError(
                f"证明材料“{name}”超过{limit // (1024 * 1024)}MB，请压缩或者分开提交。"
            )
        head = f.read(SNIFF_BYTES)
        f.seek(0)
        media_type = check_content(
            head, declared=f.content_type or "", complete=f.size <= SNIFF_BYTES
        )
        if media_type not in EVIDENCE_TYPES:
            raise ValidationError(f"证明材料“{name}”只能是 PDF、JPEG 或 PNG 文件。")
        checked.append((f, media_type))
    return checked


def _new_number(on: datetime.date) -> str:
    while True:
        number = f"GZ{on:%Y%m%d}" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not CorrectionRequest.objects.filter(number=number).exists():
            return number


@transaction.atomic
def submit_correction_request(
    *, data: CorrectionInput, files: Sequence[UploadedFile] = ()
) -> tuple[CorrectionRequest, str]:
    """A member of the public asks for published information about them to be corrected,
    with proof (002 第二十一条). Returns the request and its query code (shown once)."""
    if not (data.contact_phone.strip() or data.contact_email.strip()):
        raise ValidationError("请至少填写一种联系方式（电话或者电子邮箱），以便书面答复。")
    for label, value in (
        ("所涉公示信息", data.information),
        ("不准确之处", data.inaccuracy),
        ("请求更正的内容", data.requested_correction),
        ("申请人姓名或名称", data.requester_name),
    ):
        if not value.strip():
            raise ValidationError(f"请填写“{label}”。")
    checked = _check_files(files)
    now = timezone.now()
    today = timezone.localdate(now)
    due_on, due_note = reply_due(data.agency, today)
    code = new_code()
    request = CorrectionRequest.objects.create(
        number=_new_number(today),
        code_digest=code_digest(code),
        agency=data.agency,
        information=data.information.strip(),
        inaccuracy=data.inaccuracy.strip(),
        requested_correction=data.requested_correction.strip(),
        requester_kind=data.requester_kind,
        requester_name=data.requester_name.strip(),
        contact_phone=data.contact_phone.strip(),
        contact_email=data.contact_email.strip(),
        contact_address=data.contact_address.strip(),
        submitted_at=now,
        reply_due_on=due_on,
        reply_due_note=due_note,
    )
    for f, media_type in checked:
        stored = store_file(
            stream=f,
            expected_sha256=None,
            expected_size=f.size,
            media_type=media_type,
            actor=None,
            origin={"correction_request": request.number},
        )
        CorrectionEvidence.objects.create(
            request=request, stored_file=stored, filename=(f.name or "证明材料")[:255]
        )
    # The requester's contact details stay out of the ledger (personal information).
    ledger.record(
        "disclosure.submit_correction_request",
        actor=None,
        obj=request,
        label="公众（门户网站）",
        number=request.number,
        agency=data.agency.pk,
        information=request.information,
        evidence=[e.stored_file.sha256 for e in request.evidence.select_related("stored_file")],
        reply_due_on=due_on,
        source=CORRECTION_SOURCE,
    )
    return request, code


@transaction.atomic
def answer_correction_request(
    *, actor: User, request: CorrectionRequest, outcome: str, reply_text: str
) -> CorrectionRequest:
    """The agency's written answer (002 第二十一条: 书面答复申请人)."""
    locked = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if actor.agency_id != locked.agency_id or not any(actor.has_role(r) for r in ANSWERING_ROLES):
        raise PermissionDenied("只有本机关的公示审核人员或者机关负责人可以答复更正申请。")
    if locked.status == CorrectionRequest.Status.ANSWERED:
        raise ValidationError("该更正申请已经书面答复，不能重复答复。")
    if outcome not in CorrectionRequest.Outcome.values:
        raise ValidationError("请选择答复结果。")
    if not reply_text.strip():
        raise ValidationError(f"请填写书面答复的内容（{CORRECTION_SOURCE}：应当书面答复申请人）。")
    locked.status = CorrectionRequest.Status.ANSWERED
    locked.outcome = outcome
    locked.reply_text = reply_text.strip()
    locked.replied_by = actor
    locked.replied_at = timezone.now()
    locked.save(update_fields=["status", "outcome", "reply_text", "replied_by", "replied_at"])
    ledger.record(
        "disclosure.answer_correction_request",
        actor=actor,
        obj=locked,
        number=locked.number,
        outcome=outcome,
        reply_text=locked.reply_text,
        source=CORRECTION_SOURCE,
    )
    return locked


@transaction.atomic
def log_evidence_download(*, actor: User, evidence: CorrectionEvidence) -> None:
    """Every download of a requester's proof is written to the ledger first."""
    ledger.record(
        "disclosure.download_correction_evidence",
        actor=actor,
        obj=evidence,
        number=evidence.request.number,
        sha256=evidence.stored_file.sha256,
    )
