"""执法案件与全过程记录: open a case, read its trail, fire transitions, add records,
signatures, corrections, parties, officers, evidence and AV metadata — the same services as
the workbench (sanxiang.cases.services), so every rule of the procedure applies here too.

A stale ``expected_version`` is answered 409 with code ``concurrent_change``; a transition
the procedure refuses is answered 422 with the violations (each naming its rule and article)
in ``error.fields.transition``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sanxiang.access import copies as access_copies
from sanxiang.access import selectors as access_selectors
from sanxiang.access import services as access_services
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases import services as case_services
from sanxiang.cases.documents import record_pdf
from sanxiang.cases.models import AVRecording, Case, Evidence, Record
from sanxiang.cases.state import build_case_state
from sanxiang.catalog.models import PowerItem
from sanxiang.org.models import Officer, Unit, User
from sanxiang.procedures import engine, get_procedure
from sanxiang.procedures.model import ACTOR_ROLES
from sanxiang.procedures.state import Violation
from sanxiang.records.models import StoredFile

from ..auth import current_user
from ..cases_schemas import (
    AssignOfficerIn,
    AVRecordingIn,
    AVRecordingOut,
    CaseDetailOut,
    CaseFilter,
    CaseIn,
    CaseOfficerOut,
    CaseOut,
    CollectiveDiscussionIn,
    CorrectionIn,
    EvidenceIn,
    EvidenceOut,
    PartyIn,
    PartyOut,
    RecordIn,
    RecordOut,
    SignatureIn,
    SignatureOut,
    TrailOut,
    TransitionIn,
)
from ..errors import error_body
from ..pagination import Pagination
from ..schemas import ErrorOut
from .common import ERRORS, agency_to_act_on

router = Router(tags=["执法案件与全过程记录"])

CASE_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}


# --- look-ups ------------------------------------------------------------------------------


def _visible_case(user: User, pk: int) -> Case:
    case = case_selectors.visible_case(user, pk)
    if case is None:
        raise Http404(f"未找到 id 为 {pk} 的案件，或您无权查看。")
    return case


def _visible_record(user: User, pk: int) -> Record:
    record = case_selectors.visible_record(user, pk)
    if record is None:
        raise Http404(f"未找到 id 为 {pk} 的文书记录，或您无权查看。")
    return record


def _officer_of(case: Case, pk: int | None, field: str) -> Officer | None:
    if pk is None:
        return None
    officer = (
        Officer.objects.prefetch_related("certificates").filter(agency=case.agency, pk=pk).first()
    )
    if officer is None:
        raise ValidationError(
            {field: f"未找到 id 为 {pk} 的执法人员，或其不属于{case.agency.name}。"}
        )
    return officer


def _required_officer(case: Case, pk: int, field: str) -> Officer:
    officer = _officer_of(case, pk, field)
    assert officer is not None
    return officer


def _record_of(case: Case, pk: int | None, field: str) -> Record | None:
    if pk is None:
        return None
    record = Record.objects.filter(case=case, pk=pk).first()
    if record is None:
        raise ValidationError({field: f"本案没有 id 为 {pk} 的文书记录。"})
    return record


def _stored_file(case: Case, sha256: str | None, field: str = "file_sha256") -> StoredFile | None:
    """A file already uploaded (POST /api/uploads) by a user of the case's agency."""
    if not sha256:
        return None
    stored = case_selectors.agency_stored_file(case, sha256)
    if stored is None:
        raise ValidationError(
            {field: "未找到该 SHA-256 对应的已入库文件：请先通过 /api/uploads 上传该文件。"}
        )
    return stored


def _signature_inputs(case: Case, items: list[SignatureIn]) -> list[case_services.SignatureInput]:
    return [
        case_services.SignatureInput(
            role=item.role,
            signer_name=item.signer_name,
            officer=_officer_of(case, item.officer, f"signatures.{index}.officer"),
            refused=item.refused,
            refusal_note=item.refusal_note,
            signed_at=item.signed_at,
        )
        for index, item in enumerate(items)
    ]


def _violation(v: Violation) -> dict[str, str]:
    return {"code": v.code, "message": v.message, "source": v.source, "severity": v.severity}


def _detail(user: User, case: Case) -> Case:
    """The case with its parties, officers and what may happen next (for the caller)."""
    state = build_case_state(case, timezone.localdate())
    procedure = get_procedure(case.procedure)
    roles = [r for r in ACTOR_ROLES if user.has_role(r)]
    checks = engine.available_transitions(state, actor_roles=roles)
    case.next = {  # type: ignore[attr-defined]
        "transitions": [
            {
                "code": c.code,
                "label": c.label,
                "to_stage": c.to_stage,
                "to_stage_name": procedure.stage_name(c.to_stage),
                "allowed": c.allowed,
                "violations": [_violation(v) for v in c.violations],
            }
            for c in checks
        ],
        "open_requirements": [_violation(v) for v in engine.open_requirements(state)],
    }
    return case


def _case_out(user: User, pk: int) -> Case:
    return _detail(user, _visible_case(user, pk))


def _conflict(exc: case_services.ConcurrentChange) -> JsonResponse:
    body = error_body(
        "concurrent_change",
        f"{exc}。",
        {"expected_version": [f"案件当前版本为{exc.current_version}。"]},
    )
    return JsonResponse(body, status=409, json_dumps_params={"ensure_ascii": False})


# --- cases ---------------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: list[CaseOut], **ERRORS},
    summary="案件列表",
    description="本执法主体的案件（执法监督人员：本辖区及下级辖区）；可按状态、执法行为类别、环节筛选。",
)
@paginate(Pagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> QuerySet[Case]:
    qs = case_selectors.cases_visible_to(current_user(request)).select_related("matter")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.action_type:
        qs = qs.filter(action_type=filters.action_type)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    return qs.order_by("pk")


@router.post(
    "/cases",
    response={201: CaseDetailOut, **ERRORS},
    summary="启动案件（登记案件来源、当事人、执法人员）",
)
def open_case(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    user = current_user(request)
    agency = agency_to_act_on(payload.agency)
    unit = Unit.objects.filter(agency=agency, pk=payload.unit).first()
    if unit is None:
        raise ValidationError({"unit": f"{agency.name}没有 id 为 {payload.unit} 的内设机构。"})
    matter = None
    if payload.matter is not None:
        matter = PowerItem.objects.filter(agency=agency, pk=payload.matter).first()
        if matter is None:
            raise ValidationError(
                {"matter": f"{agency.name}的权责清单中没有 id 为 {payload.matter} 的事项。"}
            )
    officers = []
    for index, pk in enumerate(payload.officers):
        officer = Officer.objects.filter(agency=agency, pk=pk).first()
        if officer is None:
            raise ValidationError(
                {f"officers.{index}": f"未找到 id 为 {pk} 的执法人员，或其不属于{agency.name}。"}
            )
        officers.append(officer)
    case = case_services.open_case(
        actor=user,
        agency=agency,
        unit=unit,
        action_type=payload.action_type,
        title=payload.title,
        source=case_services.SourceInput(**payload.source.model_dump()),
        parties=[case_services.PartyInput(**p.model_dump()) for p in payload.parties],
        officers=officers,
        matter=matter,
        simple=payload.simple,
        opened_on=payload.opened_on,
    )
    return Status(201, _case_out(user, case.pk))


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    summary="案件详情（含当事人、案件来源、执法人员、当前环节、版本及下一步）",
    description="`next.transitions` 列出当前环节可执行的流转、当前用户能否执行以及不能执行的原因；"
    "`next.open_requirements` 列出本环节尚缺的记录和签名。",
)
def get_case(request: HttpRequest, case_id: int) -> Case:
    return _case_out(current_user(request), case_id)


@router.get(
    "/cases/{case_id}/trail",
    response={200: TrailOut, **ERRORS},
    summary="案件全过程记录（环节流转、文书及签名/拒签、更正、证据、音像记录，按时间排序）",
    description="已标注保密标识的文书、证据、音像记录，调用者无权查阅（非本案承办人员且无有效"
    "调阅、复制许可）时，该项的 `record` / `evidence` / `av` 为 null；有权查阅的，本次查阅记入台账。",
)
def get_trail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = current_user(request)
    case = _visible_case(user, case_id)
    # marked items: content only for those who may read it (logged); the others get the item
    # without its content (record/evidence/av null) — sanxiang.access
    access = access_selectors.case_access(user, case)
    access_services.log_case_view(actor=user, access=access, where="api")
    items: list[dict[str, Any]] = []
    for t in case.transitions.select_related("fired_by").order_by("version"):
        items.append(
            {
                "type": "transition",
                "on": t.fired_on,
                "at": t.fired_at,
                "stage": t.to_stage,
                "transition": {
                    "transition": t.transition,
                    "from_stage": t.from_stage,
                    "to_stage": t.to_stage,
                    "fired_by": t.fired_by.full_name or t.fired_by.username,
                    "fired_at": t.fired_at,
                    "fired_on": t.fired_on,
                    "version": t.version,
                },
            }
        )
    records = case_selectors.case_trail(case).select_related("superseded_by")
    for r in records:
        shown = r if access.readable("record", r.pk) else None
        items.append(
            {"type": "record", "on": r.made_on, "at": r.made_at, "stage": r.stage, "record": shown}
        )
    for e in case.evidence.select_related("stored_file"):
        items.append(
            {
                "type": "evidence",
                "on": timezone.localdate(e.collected_at),
                "at": e.collected_at,
                "stage": e.stage,
                "evidence": e if access.readable("evidence", e.pk) else None,
            }
        )
    av_rows = case.av_recordings.select_related("stored_file").prefetch_related("interruptions")
    for av in av_rows:
        items.append(
            {
                "type": "av",
                "on": timezone.localdate(av.started_at),
                "at": av.started_at,
                "stage": av.stage,
                "av": av if access.readable("av", av.pk) else None,
            }
        )
    items.sort(key=lambda i: (i["on"], i["at"]))
    return {
        "case_id": case.pk,
        "number": case.number,
        "stage": case.stage,
        "version": case.version,
        "status": case.status,
        "items": items,
    }


@router.post(
    "/cases/{case_id}/transitions",
    response={200: CaseDetailOut, **CASE_ERRORS},
    summary="执行环节流转",
    description="须提交读取案件时的 `expected_version`。程序不允许时返回 422，"
    "`error.fields.transition` 列出每条违反的规则及条款；案件已被他人更新时返回 409"
    "（`concurrent_change`），请重新读取后再试。",
)
def fire_transition(
    request: HttpRequest, case_id: int, payload: TransitionIn
) -> Case | JsonResponse:
    user = current_user(request)
    case = _visible_case(user, case_id)
    try:
        case_services.fire_transition(
            actor=user,
            case=case,
            transition_code=payload.transition,
            expected_version=payload.expected_version,
        )
    except case_services.ConcurrentChange as exc:
        return _conflict(exc)
    except ValidationError as exc:
        raise ValidationError({"transition": exc.messages}) from None
    return _case_out(user, case_id)


@router.post(
    "/cases/{case_id}/close",
    response={200: CaseDetailOut, **CASE_ERRORS},
    summary="办结（终结环节的记录完备后）",
)
def close_case(request: HttpRequest, case_id: int) -> Case:
    user = current_user(request)
    case_services.close_if_finished(actor=user, case=_visible_case(user, case_id))
    return _case_out(user, case_id)


@router.post(
    "/cases/{case_id}/collective-discussion",
    response={200: CaseDetailOut, **ERRORS},
    summary="提请机关负责人集体讨论决定（情节复杂或者重大违法）",
    description="标记后，作出决定须有完备的集体讨论记录（《中华人民共和国行政处罚法》第五十七条第二款；"
    "000 全过程记录办法 第十三条）；标记及理由不可撤销。",
)
def mark_collective_discussion(
    request: HttpRequest, case_id: int, payload: CollectiveDiscussionIn
) -> Case:
    user = current_user(request)
    case_services.mark_collective_discussion(
        actor=user, case=_visible_case(user, case_id), reason=payload.reason
    )
    return _case_out(user, case_id)


@router.post("/cases/{case_id}/parties", response={201: PartyOut, **ERRORS}, summary="登记当事人")
def add_party(request: HttpRequest, case_id: int, payload: PartyIn) -> Status[Any]:
    user = current_user(request)
    party = case_services.add_party(
        actor=user,
        case=_visible_case(user, case_id),
        party=case_services.PartyInput(**payload.model_dump()),
    )
    return Status(201, party)


@router.post(
    "/cases/{case_id}/officers",
    response={201: CaseOfficerOut, **ERRORS},
    summary="指派执法人员参与环节（须持有效执法证）",
)
def assign_officer(request: HttpRequest, case_id: int, payload: AssignOfficerIn) -> Status[Any]:
    user = current_user(request)
    case = _visible_case(user, case_id)
    row = case_services.assign_officer(
        actor=user,
        case=case,
        officer=_required_officer(case, payload.officer, "officer"),
        stage=payload.stage,
        role=payload.role,
    )
    return Status(201, row)


# --- records -------------------------------------------------------------------------------


def _record_out(pk: int) -> Record:
    return (
        Record.objects.select_related("made_by", "superseded_by")
        .prefetch_related("signatures")
        .get(pk=pk)
    )


def _record_kwargs(case: Case, payload: RecordIn) -> dict[str, Any]:
    return {
        "made_on": payload.made_on,
        "data": payload.data,
        "hearing_requested": payload.hearing_requested,
        "statement_waived": payload.statement_waived,
        "served_on": payload.served_on,
        "service_method": payload.service_method,
        "served_document": _record_of(case, payload.served_document, "served_document"),
        "amount": payload.amount,
        "violations_found": payload.violations_found,
        "signatures": _signature_inputs(case, payload.signatures),
    }


@router.post(
    "/cases/{case_id}/records",
    response={201: RecordOut, **ERRORS},
    summary="在当前环节制作文书记录（可同时录入签名或拒签）",
    description="缺少必填事项、文书种类不属于当前环节、日期晚于今天或早于立案等情形返回 422，"
    "说明所依据的规则及条款。",
)
def add_record(request: HttpRequest, case_id: int, payload: RecordIn) -> Status[Record]:
    user = current_user(request)
    case = _visible_case(user, case_id)
    assert payload.kind is not None
    record = case_services.add_record(
        actor=user, case=case, kind=payload.kind, **_record_kwargs(case, payload)
    )
    return Status(201, _record_out(record.pk))


@router.post(
    "/records/{record_id}/signatures",
    response={201: SignatureOut, **ERRORS},
    summary="签名，或记录当事人/见证人拒绝签名（004 第十三条）",
)
def add_signature(request: HttpRequest, record_id: int, payload: SignatureIn) -> Status[Any]:
    user = current_user(request)
    record = _visible_record(user, record_id)
    if payload.refused:
        signature = case_services.record_refusal(
            actor=user,
            record=record,
            role=payload.role,
            signer_name=payload.signer_name,
            note=payload.refusal_note,
            signed_at=payload.signed_at,
        )
    else:
        signature = case_services.sign_record(
            actor=user,
            record=record,
            role=payload.role,
            signer_name=payload.signer_name,
            officer=_officer_of(record.case, payload.officer, "officer"),
            signed_at=payload.signed_at,
        )
    return Status(201, signature)


@router.post(
    "/records/{record_id}/corrections",
    response={201: RecordOut, **ERRORS},
    summary="更正记录（制作新记录取代原记录，二者均保留）",
)
def correct_record(request: HttpRequest, record_id: int, payload: CorrectionIn) -> Status[Record]:
    user = current_user(request)
    record = _visible_record(user, record_id)
    new = case_services.correct_record(
        actor=user,
        record=record,
        reason=payload.reason,
        kind=payload.kind,
        **_record_kwargs(record.case, payload),
    )
    return Status(201, _record_out(new.pk))


# --- evidence and AV -----------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/evidence",
    response={201: EvidenceOut, **ERRORS},
    summary="登记证据（文件须先通过 /api/uploads 上传）",
)
def add_evidence(request: HttpRequest, case_id: int, payload: EvidenceIn) -> Status[Evidence]:
    user = current_user(request)
    case = _visible_case(user, case_id)
    evidence = case_services.add_evidence(
        actor=user,
        case=case,
        kind=payload.kind,
        description=payload.description,
        collector=_required_officer(case, payload.collector, "collector"),
        collected_at=payload.collected_at,
        place=payload.place,
        stage=payload.stage,
        stored_file=_stored_file(case, payload.file_sha256),
    )
    return Status(201, Evidence.objects.select_related("stored_file").get(pk=evidence.pk))


@router.post(
    "/cases/{case_id}/av-recordings",
    response={201: AVRecordingOut, **ERRORS},
    summary="登记音像记录元数据（文件须先通过 /api/uploads 上传）",
    description="返回单位后超过储存时限才储存的，记录中给出提示（000 全过程记录办法 第二十六条）。",
)
def add_av_recording(
    request: HttpRequest, case_id: int, payload: AVRecordingIn
) -> Status[AVRecording]:
    user = current_user(request)
    case = _visible_case(user, case_id)
    evidence = None
    if payload.evidence is not None:
        evidence = Evidence.objects.filter(case=case, pk=payload.evidence).first()
        if evidence is None:
            raise ValidationError({"evidence": f"本案没有 id 为 {payload.evidence} 的证据。"})
    recording = case_services.add_av_recording(
        actor=user,
        case=case,
        device=payload.device,
        officer=_required_officer(case, payload.officer, "officer"),
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        place=payload.place,
        spoken_statement=payload.spoken_statement,
        full_process=payload.full_process,
        returned_at=payload.returned_at,
        stored_at=payload.stored_at,
        stored_file=_stored_file(case, payload.file_sha256),
        evidence=evidence,
        stage=payload.stage,
        interruptions=[
            case_services.InterruptionInput(**i.model_dump()) for i in payload.interruptions
        ],
    )
    row = (
        AVRecording.objects.select_related("stored_file")
        .prefetch_related("interruptions")
        .get(pk=recording.pk)
    )
    return Status(201, row)


@router.get(
    "/records/{record_id}/document.pdf",
    response={200: None, **ERRORS},
    summary="文书 PDF（嵌入中文字体）",
    description="按文书种类的格式生成该记录的 PDF；已被更正的记录和更正记录均可下载，并注明更正关系。"
    "已标注保密标识的记录：本案承办人员、机关负责人等可下载；其他人须有经机关负责人批准、"
    "仍在有效期内的调阅或复制许可（001 河南全过程记录办法 第二十四条），否则返回 403；"
    "按许可下载的 PDF 加注申请人姓名、申请编号和时间水印。每次下载及被拒均记入台账。",
    openapi_extra={
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}
    },
)
def record_document(request: HttpRequest, record_id: int) -> HttpResponse:
    user = current_user(request)
    record = _visible_record(user, record_id)
    # a marked record: logged; 403 without entitlement or grant; watermarked under a grant
    decision = access_services.open_item(actor=user, item=record, how="pdf", where="api")
    access_services.refuse(decision)
    pdf = access_copies.watermark_pdf(record_pdf(record), decision.watermark(timezone.now()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="R{record.pk}.pdf"'
    return response
