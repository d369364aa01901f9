"""Writes of the archives app: registering the case files due, assembling, archiving, and
logging every export. Each is one transaction with one ledger entry (the stored PDFs of an
assembly also get the file store's own ingest entries, ``records.store_file``).

Rules applied (from the agency's rule profile, never by jurisdiction name):

- the archiving deadline ``recording.archive_deadline``: 20 working days from the end of the
  enforcement act (000 全过程记录办法 第二十五条; 001 河南全过程记录办法 第二十一条), 30 days
  in Zhoucun (002 第四十三条). A deadline running into a year the working-day calendar lacks
  is not computed (日历未覆盖), never guessed.
- one case, one file (一案一卷, 004 第二十五条); the written description of AV used as
  evidence goes into the file (000 全过程记录办法 第二十七条); an archived file is read-only
  (000 全过程记录办法 第二十八条).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sanxiang.access.selectors import Decision, case_access
from sanxiang.cases.models import AVInterruption, Case, Signature, StageTransition
from sanxiang.cases.selectors import cases_visible_to
from sanxiang.core.rules import UnknownRule, get_profile
from sanxiang.core.rules.model import Period
from sanxiang.core.workdays import CalendarNotCovered, due_date
from sanxiang.documents import pdftools
from sanxiang.documents.builders import DocumentInputError
from sanxiang.documents.casefile import (
    RETENTION_PERIODS,
    CaseFileCover,
    CaseFilePart,
    assemble_case_file,
)
from sanxiang.org.models import Agency, Role, User
from sanxiang.records import ledger
from sanxiang.records.filestore.services import store_file
from sanxiang.records.models import StoredFile
from sanxiang.review.models import LegalReview

from . import documents
from .models import CaseFile, CaseFileAssembly, CaseFileItem
from .package import PayloadFile, package_digest, payload_oxum

DEADLINE_RULE = "recording.archive_deadline"
ONE_CASE_ONE_FILE = "004 第二十五条"
READ_ONLY_RULE = "000 全过程记录办法 第二十八条"
ARCHIVED_MESSAGE = f"案件已归档，案卷及案件材料均不可再更改（{READ_ONLY_RULE}）。"
REGISTER_BATCH = 2000
RETENTION_CODES = {"永久": "Y", "定期30年": "D30", "定期10年": "D10"}
PURPOSES = {"archive": "归档", "transfer": "移交", "consult": "查阅"}
UNITS = {"workdays": "个工作日", "calendar_days": "日"}


@dataclass(frozen=True)
class Deadline:
    due_on: datetime.date | None
    uncovered_year: int | None
    text: str  # e.g. 20个工作日
    source: str  # e.g. 000 全过程记录办法 第二十五条


def archive_deadline(profile_code: str, closed_on: datetime.date) -> Deadline:
    """The archiving deadline of a case closed on ``closed_on`` under the profile."""
    try:
        rule = get_profile(profile_code).rule(DEADLINE_RULE)
    except UnknownRule:
        return Deadline(None, None, "本辖区未规定", "")
    period = rule.value
    if not isinstance(period, Period):
        return Deadline(None, None, "本辖区未规定", "")
    amount, unit = period.amount, period.unit
    text = f"{amount}{UNITS.get(unit, unit)}"
    try:
        return Deadline(due_date(closed_on, amount, unit), None, text, rule.source)
    except CalendarNotCovered as exc:
        return Deadline(None, exc.year, text, rule.source)


def _is_custodian(user: User, agency_id: int) -> bool:
    return user.agency_id == agency_id and user.has_role(Role.RECORDS_CUSTODIAN)


def _deny_unless_custodian(user: User, case_file: CaseFile) -> None:
    if not _is_custodian(user, case_file.agency_id):
        raise PermissionDenied(
            "只有本机关的档案管理员可以组卷、归档（000 全过程记录办法 第二十五条）。"
        )


# ------------------------------------------------------------------ registering files due


@transaction.atomic
def _register_batch(
    *,
    actor: User | None,
    rows: list[tuple[int, int, datetime.date]],
    memo: dict[tuple[str, datetime.date], Deadline],
) -> int:
    profiles = dict(
        Agency.objects.filter(pk__in={a for _, a, _ in rows})
        .select_related("jurisdiction")
        .in_bulk()
        .items()
    )
    files = []
    for case_id, agency_id, closed_on in rows:
        code = profiles[agency_id].rule_profile_code
        key = (code, closed_on)
        if key not in memo:
            memo[key] = archive_deadline(code, closed_on)
        d = memo[key]
        files.append(
            CaseFile(
                case_id=case_id,
                agency_id=agency_id,
                closed_on=closed_on,
                due_on=d.due_on,
                uncovered_year=d.uncovered_year,
                deadline_text=d.text,
                deadline_source=d.source,
            )
        )
    created = CaseFile.objects.bulk_create(files, ignore_conflicts=True, batch_size=500)
    ledger.record(
        "archives.register_due",
        actor=actor,
        count=len(created),
        first_case=rows[0][0],
        last_case=rows[-1][0],
    )
    return len(created)


def register_due_case_files(
    *,
    actor: User | None,
    agency: Agency | None = None,
    batch_size: int = REGISTER_BATCH,
    limit: int | None = None,
) -> int:
    """Register a case file (待立卷, with its due date) for every closed case that has none:
    batches in case-id order (keyset, an anti-join on the unique case_file index), one
    transaction and one ledger entry per batch. Returns how many were registered."""
    done = 0
    after = 0
    # one deadline per (profile, closing day), shared by the batches of this run
    memo: dict[tuple[str, datetime.date], Deadline] = {}
    while limit is None or done < limit:
        qs = Case.objects.filter(status=Case.Status.CLOSED, case_file__isnull=True, pk__gt=after)
        if agency is not None:
            qs = qs.filter(agency=agency)
        size = batch_size if limit is None else min(batch_size, limit - done)
        rows = [
            (pk, a, closed or timezone.localdate())
            for pk, a, closed in qs.order_by("pk").values_list("pk", "agency_id", "closed_on")[
                :size
            ]
        ]
        if not rows:
            break
        done += _register_batch(actor=actor, rows=rows, memo=memo)
        after = rows[-1][0]
    return done


@transaction.atomic
def register_case_file(*, actor: User, case: Case) -> CaseFile:
    """The case file of one closed case (the existing one, if registered)."""
    existing = CaseFile.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if case.status != Case.Status.CLOSED:
        raise ValidationError(
            "案件尚未办结，执法行为终结后方可立卷归档（000 全过程记录办法 第二十五条）。"
        )
    register_due_case_files(actor=actor, agency=case.agency, limit=None)
    return CaseFile.objects.get(case=case)


def on_transition(case: Case, transition: StageTransition) -> None:
    """cases.hooks.after_transition: a transition that closes the case registers its case
    file (待立卷) with its deadline, inside the transition's transaction (its ledger entry
    says ``closed``). Cases closed otherwise are registered by ``archive_due``."""
    if case.status != Case.Status.CLOSED or CaseFile.objects.filter(case=case).exists():
        return
    d = archive_deadline(case.agency.rule_profile_code, case.closed_on or timezone.localdate())
    CaseFile.objects.create(
        case=case,
        agency_id=case.agency_id,
        closed_on=case.closed_on or timezone.localdate(),
        due_on=d.due_on,
        uncovered_year=d.uncovered_year,
        deadline_text=d.text,
        deadline_source=d.source,
    )


# ------------------------------------------------------------------ assembly


def contents_key(case: Case) -> str:
    """What the case holds now; an assembly is stale once the key changes."""
    counts = Case.objects.filter(pk=case.pk).aggregate(
        r=Count("records", distinct=True),
        e=Count("evidence", distinct=True),
        a=Count("av_recordings", distinct=True),
    )
    signatures = Signature.objects.filter(record__case=case).count()
    interruptions = AVInterruption.objects.filter(recording__case=case).count()
    reviews = LegalReview.objects.filter(
        case=case, status__in=[LegalReview.Status.PASSED, LegalReview.Status.FAILED]
    ).count()
    return f"r{counts['r']}:s{signatures}:e{counts['e']}:a{counts['a']}:i{interruptions}:l{reviews}"


def archive_number(case_file: CaseFile, retention: str) -> str:
    """归档号 全宗号—年度—保管期限—件号: fixed by the agency, the year closed, the retention
    and the file's own number, so it is unique without a counter."""
    return (
        f"QZ{case_file.agency_id:04d}-{case_file.closed_on.year}-"
        f"{RETENTION_CODES[retention]}-{case_file.pk:07d}"
    )


def _store_pdf(pdf: bytes, actor: User, origin: dict[str, Any]) -> StoredFile:
    return store_file(
        stream=io.BytesIO(pdf),
        expected_sha256=None,
        expected_size=len(pdf),
        media_type="application/pdf",
        actor=actor,
        origin=origin,
    )


def _bag_name(case: Case, number: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in case.number)
    return f"{number}_{safe}"


@transaction.atomic
def assemble(*, actor: User, case_file: CaseFile, retention: str) -> CaseFileAssembly:
    """Assemble the case file (组卷): cover, contents, every record in order, the legal
    review opinions, the AV list and the evidence list, as one PDF in the store; the parts
    and the evidence and AV files as the items of an archive package whose SHA-256 is
    recorded. A new version each time; refused once archived (ledger: archives.assemble)."""
    case_file = (
        CaseFile.objects.select_for_update().select_related("case__agency").get(pk=case_file.pk)
    )
    _deny_unless_custodian(actor, case_file)
    if case_file.archived:
        raise ValidationError(ARCHIVED_MESSAGE)
    if retention not in RETENTION_PERIODS:
        raise ValidationError(f"保管期限应为{'、'.join(RETENTION_PERIODS)}之一。")
    case = case_file.case
    today = timezone.localdate()
    version = case_file.versions + 1
    number = archive_number(case_file, retention)
    recordings = documents.case_recordings(case)
    evidence = documents.case_evidence(case)
    parts = documents.case_file_parts(case, today, recordings, evidence)
    if not parts:
        raise ValidationError(f"本案没有任何文书记录，无法组卷（{ONE_CASE_ONE_FILE}：一案一卷）。")
    parties = "、".join(case.parties.values_list("name", flat=True)[:20])
    officers = "、".join(
        dict.fromkeys(
            case.officers.select_related("officer").values_list("officer__name", flat=True)
        )
    )
    cover = CaseFileCover(
        agency=case.agency.name,
        case_cause=case.title,
        parties=parties or "—",
        opened_on=case.opened_on,
        closed_on=case_file.closed_on,
        retention=retention,
        archive_number=number,
        title="行政执法案卷",
        case_number=case.number,
        officers=officers,
        filed_by=actor.full_name or actor.username,
        volume="第1卷 共1卷",
    )
    try:
        volume = assemble_case_file(
            cover,
            [
                CaseFilePart(
                    title=p.title, pdf=p.pdf, number=p.number, date=p.date, remark=p.remark
                )
                for p in parts
            ],
        )
    except DocumentInputError as exc:
        raise ValidationError(str(exc)) from exc
    origin = {"case_file": case_file.pk, "version": version}
    volume_file = _store_pdf(volume, actor, {**origin, "part": "案卷"})
    payload: list[PayloadFile] = [
        PayloadFile("data/案卷.pdf", volume_file.sha256, volume_file.size)
    ]
    items: list[CaseFileItem] = []
    page = 1
    for position, p in enumerate(parts, start=1):
        stored = _store_pdf(p.pdf, actor, {**origin, "part": p.title})
        count = pdftools.page_count(p.pdf)
        path = f"data/records/{position:03d}-{p.slug}.pdf"
        items.append(
            CaseFileItem(
                position=position,
                section=p.section,
                title=p.title,
                number=p.number,
                date=p.date,
                remark=p.remark,
                first_page=page,
                last_page=page + count - 1,
                path=path,
                stored_file=stored,
            )
        )
        payload.append(PayloadFile(path, stored.sha256, stored.size))
        page += count
    position = len(parts)
    for e in evidence:
        if e.stored_file is None:
            continue
        position += 1
        ext = documents.extension(e.stored_file.media_type)
        path = f"data/evidence/E{e.pk}-{e.stored_file.sha256[:12]}.{ext}"
        items.append(
            CaseFileItem(
                position=position,
                section=CaseFileItem.Section.EVIDENCE,
                title=f"证据E{e.pk}：{e.description[:60]}",
                date=timezone.localdate(e.collected_at),
                path=path,
                stored_file=e.stored_file,
            )
        )
        payload.append(PayloadFile(path, e.stored_file.sha256, e.stored_file.size))
    for av in recordings:
        if av.stored_file is None:
            continue
        position += 1
        ext = documents.extension(av.stored_file.media_type)
        path = f"data/av/AV{av.pk}-{av.stored_file.sha256[:12]}.{ext}"
        items.append(
            CaseFileItem(
                position=position,
                section=CaseFileItem.Section.AV,
                title=f"音像记录AV{av.pk}：{av.device} {av.place}"[:255],
                date=timezone.localdate(av.started_at),
                remark=documents.AV_RULE,
                path=path,
                stored_file=av.stored_file,
            )
        )
        payload.append(PayloadFile(path, av.stored_file.sha256, av.stored_file.size))
    pages = pdftools.page_count(volume)
    bag_name = _bag_name(case, number)
    oxum = payload_oxum(payload)
    info = bag_info(
        case=case,
        case_file=case_file,
        number=number,
        retention=retention,
        version=version,
        today=today,
        oxum=oxum,
        pages=pages,
    )
    package_sha256, package_size = package_digest(bag_name, info, payload)
    assembly = CaseFileAssembly.objects.create(
        case_file=case_file,
        version=version,
        assembled_at=timezone.now(),
        assembled_by=actor,
        retention=retention,
        archive_number=number,
        pdf=volume_file,
        pages=pages,
        bag_name=bag_name,
        bag_info=info,
        payload_oxum=oxum,
        package_sha256=package_sha256,
        package_size=package_size,
        contents_key=contents_key(case),
    )
    for item in items:
        item.assembly = assembly
    CaseFileItem.objects.bulk_create(items)
    CaseFile.objects.filter(pk=case_file.pk).update(
        status=CaseFile.Status.ASSEMBLED,
        versions=version,
        retention=retention,
        archive_number=number,
    )
    ledger.record(
        "archives.assemble",
        actor=actor,
        obj=case_file,
        case_id=case.pk,
        version=version,
        archive_number=number,
        retention=retention,
        pdf_sha256=volume_file.sha256,
        pages=pages,
        items=len(items),
        payload_oxum=oxum,
        package_sha256=package_sha256,
        package_size=package_size,
    )
    return assembly


def bag_info(
    *,
    case: Case,
    case_file: CaseFile,
    number: str,
    retention: str,
    version: int,
    today: datetime.date,
    oxum: str,
    pages: int,
) -> list[list[str]]:
    """bag-info.txt (RFC 8493 §2.2.2 reserved labels first, then the archive's own)."""
    return [
        ["Source-Organization", case.agency.name],
        ["Bagging-Date", today.isoformat()],
        ["External-Identifier", number],
        ["External-Description", f"行政执法案卷：{case.title}"],
        ["Bag-Count", "1 of 1"],
        ["Payload-Oxum", oxum],
        ["Case-Number", case.number],
        ["Archive-Number", number],
        ["Retention-Period", retention],
        ["Case-Opened", case.opened_on.isoformat()],
        ["Case-Closed", case_file.closed_on.isoformat()],
        ["Archive-Due", case_file.due_on.isoformat() if case_file.due_on else "日历未覆盖"],
        ["Archive-Deadline-Source", case_file.deadline_source],
        ["Assembly-Version", str(version)],
        ["Volume-Pages", str(pages)],
    ]


def latest_assembly(case_file: CaseFile) -> CaseFileAssembly | None:
    return case_file.assemblies.select_related("pdf").order_by("-version").first()


@transaction.atomic
def archive(*, actor: User, case_file: CaseFile) -> CaseFile:
    """Archive the latest assembly (归档): from then on the file and its case are read-only.
    Refused when nothing was assembled, or the case changed since (ledger: archives.archive)."""
    case_file = CaseFile.objects.select_for_update().select_related("case").get(pk=case_file.pk)
    _deny_unless_custodian(actor, case_file)
    if case_file.archived:
        raise ValidationError("该案卷已归档。")
    assembly = latest_assembly(case_file)
    if assembly is None:
        raise ValidationError("案卷尚未组卷，不能归档。")
    if assembly.contents_key != contents_key(case_file.case):
        raise ValidationError(
            "组卷后案件材料有增加（记录、签名、证据或音像记录），请重新组卷后再归档。"
        )
    now = timezone.now()
    CaseFile.objects.filter(pk=case_file.pk).update(
        status=CaseFile.Status.ARCHIVED, archived_at=now, archived_by=actor
    )
    case_file.refresh_from_db()
    today = timezone.localdate(now)
    ledger.record(
        "archives.archive",
        actor=actor,
        obj=case_file,
        case_id=case_file.case_id,
        version=assembly.version,
        archive_number=assembly.archive_number,
        package_sha256=assembly.package_sha256,
        on_time=case_file.due_on is not None and today <= case_file.due_on,
        due_on=case_file.due_on,
    )
    return case_file


# ------------------------------------------------------------------ exports


def may_view(user: User, case_file: CaseFile) -> bool:
    return _is_custodian(user, case_file.agency_id) or (
        cases_visible_to(user).filter(pk=case_file.case_id).exists()
    )


def log_export(
    *,
    actor: User,
    case_file: CaseFile,
    assembly: CaseFileAssembly,
    what: str,
    purpose: str,
) -> None:
    """Every download of a volume PDF or a package is on the ledger with who, when and why
    (归档、移交、查阅), written before the first byte is sent (000 全过程记录办法 第二十八条).
    The package (the original evidence and AV) is exported by the custodian only. A volume
    holds every record: someone who may not read one of its marked items (access app) is
    refused, and the refusal is recorded; the custodian files and hands over whole volumes,
    and the export names the marked items it carried."""
    if what not in ("pdf", "package"):
        raise ValidationError("未知的导出内容。")
    if purpose not in PURPOSES:
        raise ValidationError(f"请选择导出用途：{'、'.join(PURPOSES.values())}。")
    custodian = _is_custodian(actor, case_file.agency_id)
    allowed = custodian if what == "package" else may_view(actor, case_file)
    if not allowed:
        raise PermissionDenied("您无权导出该案卷。")
    if assembly.case_file_id != case_file.pk:
        raise ValidationError("该组卷版本不属于本案卷。")
    access = case_access(actor, case_file.case)
    locked = [d for d in access.decisions.values() if not d.allowed]
    if locked and not custodian:
        message = (
            f"本案卷含有{len(locked)}项标有保密标识、您无权查阅的材料（{locked[0].message}），"
            "不能导出整卷；请就所需材料申请调阅。"
        )
        _record_refusal(actor=actor, case_file=case_file, what=what, message=message)
        raise PermissionDenied(message)
    _record_export(
        actor=actor,
        case_file=case_file,
        assembly=assembly,
        what=what,
        purpose=purpose,
        marked=list(access.decisions.values()),
    )


@transaction.atomic
def _record_refusal(*, actor: User, case_file: CaseFile, what: str, message: str) -> None:
    ledger.record(
        "access.denied",
        actor=actor,
        obj=case_file,
        case_id=case_file.case_id,
        what=what,
        how="export",
        reason=message,
    )


@transaction.atomic
def _record_export(
    *,
    actor: User,
    case_file: CaseFile,
    assembly: CaseFileAssembly,
    what: str,
    purpose: str,
    marked: list[Decision],
) -> None:
    ledger.record(
        "archives.export",
        actor=actor,
        obj=case_file,
        case_id=case_file.case_id,
        what=what,
        purpose=PURPOSES[purpose],
        version=assembly.version,
        sha256=assembly.pdf.sha256 if what == "pdf" else assembly.package_sha256,
        size=assembly.pdf.size if what == "pdf" else assembly.package_size,
        marked_items=[{"item": d.ref, "level": d.level_label} for d in marked],
    )


def archived_lock(case: Case) -> str | None:
    """For cases.state.register_case_lock: an archived case takes no more writes."""
    if CaseFile.objects.filter(case_id=case.pk, status=CaseFile.Status.ARCHIVED).exists():
        return ARCHIVED_MESSAGE
    return None
